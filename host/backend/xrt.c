/*
 * xrt.c - the xrt backend: the SGD kernel on an Alveo card, through XRT's native C API
 * (xrt/xrt_device.h, xrt_kernel.h, xrt_bo.h); its runs go through xrt_run.cpp (XRT's C++
 * API: xrt::run::abort has no C twin in XRT 2.13). These two files are the only ones of
 * lpsgd that call XRT; the xclbin is checked first by lpsgd's own reader (lp_xclbin.c).
 *
 * The streaming itself (buffer layout, banks, arguments, double buffering, aborts, jobs
 * across CUs) is host/backend/lp_stream.c's, shared with any backend that runs the same
 * kernel; this file gives it the device calls (xrt_dev: xrtBO*, xrt::run) and owns
 * XRT's set-up. Life of a backend:
 *   open    find XRT's runtime (XILINX_XRT, see xrt_env), open the card by index or PCIe
 *           address (opts->device, else $LPSGD_DEVICE, else 0), load the xclbin
 *           (opts->xclbin, else $LPSGD_XCLBIN, else lp_sgd.xclbin next to lpsgd: read,
 *           checked by lp_xclbin.c, the same bytes handed to XRT), open every CU of
 *           lp_sgd the IP_LAYOUT names ("lp_sgd:{lp_sgd_1}", "lp_sgd:{lp_sgd_2}", ...),
 *           each for exclusive use (XRT reads a CU's registers only then: the status
 *           register, below), check that every argument sits at the offset of
 *           hls/sgd/lp_sgd_regmap.h, and give the stream each CU's memory group per
 *           pointer argument (xrtKernelArgGroupId), where its buffers are allocated; a
 *           buffer whose device address is not 64-byte aligned is refused
 *           (lp_sgd_check_addr).
 *   train   train_load/submit/wait/read run on the first CU (two runs outstanding:
 *           double buffering); train_jobs runs independent jobs on every CU, one run in
 *           flight per CU (lp_stream_jobs). After each completed run the CU's status
 *           register (LP_REG_STATUS: an AXI error response, a misaligned pointer) is read
 *           and a run fails with its meaning when it is not 0. A run that does not finish
 *           within $LPSGD_XRT_TIMEOUT seconds (120) is aborted (xrt::run::abort, bounded)
 *           with every other run on the card; the error names the CU (from IP_LAYOUT).
 *   close   the stream waits for outstanding runs and frees the buffers, but those of a
 *           run not known to have stopped (kept until the process exits); then runs,
 *           kernels, device, on every path (XRT aborts at exit on leaked handles).
 *
 * Errors: every XRT call is checked. XRT writes its own message to its log, which lpsgd
 * points at an anonymous in-memory file (Runtime.runtime_log) so that nothing of XRT's
 * reaches stdout; the message is read back and put into the one error lpsgd prints,
 * together with the call that failed and what to do.
 */
#define _GNU_SOURCE 1 /* memfd_create, RTLD_DEFAULT */

#include "xrt.h"

#include <stdio.h>
#include <string.h>

#ifdef LP_HAVE_XRT

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include <xclbin.h>
#include <xrt.h>
#include <experimental/xrt_ini.h>
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>

#include "sgd/lp_sgd.h"
#include "io/lp_io.h"
#include "lp_stream.h"
#include "lp_xclbin.h"
#include "xrt_run.h"

#ifndef LP_XRT_ROOT
#define LP_XRT_ROOT "/opt/xilinx/xrt"
#endif

/* One compute unit of lp_sgd: its kernel handle (arguments, status register) and one
   XRT run per slot of the stream (lp_stream.h). */
typedef struct {
    xrtKernelHandle krn;
    lp_xrun_t *run[LP_STREAM_SLOTS];
} xcu_t;

struct lp_backend {
    xrtDeviceHandle dev;
    xuid_t uuid;
    lp_xclbin_t xb;   /* what lpsgd read from the xclbin: its CUs of lp_sgd */
    unsigned ncu;     /* CUs opened: every lp_sgd:<instance> of IP_LAYOUT, or the one of LPSGD_XRT_CU */
    xcu_t cu[LP_STREAM_MAX_CUS];
    lp_stream_t st;   /* buffers, slots and dispatch (host/backend/lp_stream.c) */
    unsigned timeout_ms;
};

/* ---- XRT's environment and its messages -------------------------------------------- */

static struct {
    int ready;
    int logfd;  /* XRT's log (memfd), -1 when XRT logs to its console     */
    off_t seen; /* bytes of the log already looked at                     */
} xg = {0, -1, 0};

static const char *xrt_shim_lib(const char **mode)
{
    *mode = getenv("XCL_EMULATION_MODE");
    if (!*mode || !**mode)
        return "libxrt_core.so.2";
    if (!strcmp(*mode, "noop"))
        return "libxrt_noop.so.2";
    if (!strcmp(*mode, "sw_emu"))
        return "libxrt_swemu.so.2";
    if (!strcmp(*mode, "hw_emu"))
        return "libxrt_hwemu.so.2";
    return NULL;
}

static int has_shim(const char *root, const char *lib)
{
    char path[4096];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/lib/%s", root, lib) >= (int)sizeof path)
        return 0;
    return stat(path, &st) == 0;
}

/*
 * XRT loads its shim from $XILINX_XRT/lib and aborts the whole process (an uncaught C++
 * exception) when the variable is unset or the library is not there, so this checks
 * first. When XILINX_XRT is unset it tries, in order: <dir of lpsgd>/xrt (make creates it
 * for Debian's libxrt1: lib -> /usr/lib/<multiarch>), the root lpsgd was built against,
 * /opt/xilinx/xrt.
 */
static int xrt_env(lp_err_t *err)
{
    const char *mode, *lib = xrt_shim_lib(&mode), *root = getenv("XILINX_XRT");
    if (xg.ready)
        return 0;
    if (mode && !*mode) { /* XRT aborts on a set but empty XCL_EMULATION_MODE */
        unsetenv("XCL_EMULATION_MODE");
        lib = xrt_shim_lib(&mode);
    }
    if (!lib)
        return lp_fail(err, "xrt: XCL_EMULATION_MODE=%s is not a mode XRT knows: unset it to use a card, "
                            "or set noop, sw_emu or hw_emu", mode);
    if (root && *root) {
        if (!has_shim(root, lib))
            return lp_fail(err, "xrt: XILINX_XRT=%s has no lib/%s, so XRT cannot start. On a card host: "
                                "source /opt/xilinx/xrt/setup.sh. With Debian's libxrt1: unset XILINX_XRT "
                                "(lpsgd then uses the directory make created next to it)", root, lib);
    } else {
        char exe[4096], cand[3][4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        int found = -1;
        exe[n > 0 ? n : 0] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        if (snprintf(cand[0], sizeof cand[0], "%s/xrt", exe) >= (int)sizeof cand[0])
            cand[0][0] = '\0';
        snprintf(cand[1], sizeof cand[1], "%s", LP_XRT_ROOT);
        snprintf(cand[2], sizeof cand[2], "/opt/xilinx/xrt");
        for (int i = 0; i < 3 && found < 0; i++)
            if (has_shim(cand[i], lib))
                found = i;
        if (found < 0)
            return lp_fail(err, "xrt: XRT's runtime (lib/%s) is not in %s, %s or %s. On a card host: source "
                                "/opt/xilinx/xrt/setup.sh; with Debian's libxrt1: rebuild lpsgd with make "
                                "(it creates %s) or set XILINX_XRT to a directory whose lib links to "
                                "/usr/lib/x86_64-linux-gnu",
                           lib, cand[0], cand[1], cand[2], cand[0]);
        setenv("XILINX_XRT", cand[found], 1);
    }
    /* XRT's messages into an anonymous file that the error path reads back */
    xg.logfd = memfd_create("lpsgd-xrt-log", MFD_CLOEXEC);
    if (xg.logfd >= 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", xg.logfd);
        if (access(path, W_OK) != 0 || xrtIniStringSet("Runtime.runtime_log", path) != 0) {
            close(xg.logfd);
            xg.logfd = -1;
        }
    }
    xg.ready = 1;
    return 0;
}

/* XRT's last error message since the previous call, or strerror(e). */
static void xrt_message(char *buf, size_t size, int e)
{
    snprintf(buf, size, "%s", e ? strerror(e) : "no message from XRT");
    if (xg.logfd < 0)
        return;
    off_t end = lseek(xg.logfd, 0, SEEK_END);
    if (end <= xg.seen)
        return;
    size_t n = (size_t)(end - xg.seen);
    char *text = malloc(n + 1);
    if (!text)
        return;
    ssize_t got = pread(xg.logfd, text, n, xg.seen);
    xg.seen = end;
    if (got > 0) {
        text[got] = '\0';
        char *last = NULL, *p = text;
        while ((p = strstr(p, "ERROR: ")) != NULL)
            last = p, p += 7;
        if (last) {
            last += 7;
            char *nl = strchr(last, '\n');
            if (nl)
                *nl = '\0';
            snprintf(buf, size, "%s", last);
        }
    }
    free(text);
}

/* Forget what XRT logged so far (messages that are not errors for lpsgd). */
static void xrt_log_skip(void)
{
    char m[8];
    xrt_message(m, sizeof m, 0);
}

/* err = "xrt: CALL failed: XRT'S MESSAGE. HINT" */
static int xrt_fail(lp_err_t *err, const char *call, const char *hint)
{
    char msg[320];
    xrt_message(msg, sizeof msg, errno);
    return lp_fail(err, "xrt: %s failed: %s. %s", call, msg, hint);
}

int lp_xrt_built(void) { return 1; }

int lp_xrt_is_noop(void)
{
    const char *m = getenv("XCL_EMULATION_MODE");
    return m && !strcmp(m, "noop");
}

/* ---- the device calls of the stream (lp_stream.h): buffers and runs through XRT --- */

static int pretend_wait, pretend_abort;
static uint32_t pretend_status, pretend_skew;
static unsigned kept_buffers;

static void dev_free(lp_dbuf_t *b)
{
    if (b->h)
        xrtBOFree((xrtBufferHandle)b->h);
    memset(b, 0, sizeof *b);
}

static int dev_alloc(void *dev, lp_dbuf_t *b, size_t size, int grp, const char *what, lp_err_t *err)
{
    lp_backend_t *be = dev;
    errno = 0;
    b->h = xrtBOAlloc(be->dev, size, XRT_BO_FLAGS_NONE, (xrtMemoryGroup)grp);
    if (!b->h) {
        char call[96];
        snprintf(call, sizeof call, "xrtBOAlloc(%zu bytes for %s in memory group %d)", size, what, grp);
        return xrt_fail(err, call, "The card's memory bank may be full or the size too large: use a smaller "
                                   "--batch or fewer steps per chunk");
    }
    b->size = size;
    errno = 0;
    b->map = xrtBOMap((xrtBufferHandle)b->h);
    if (!b->map) {
        dev_free(b);
        return xrt_fail(err, "xrtBOMap", "XRT could not map the buffer into the host");
    }
    memset(b->map, 0, size); /* defined contents even where the card never writes */
    char m[256];
    /* XRT's noop shim has no device memory: every buffer's address reads 0xdeadbeef there */
    uint64_t addr = lp_xrt_is_noop() ? 0 : xrtBOAddress((xrtBufferHandle)b->h);
    if (lp_sgd_check_addr(what, addr + pretend_skew, m, sizeof m)) {
        dev_free(b);
        return lp_fail(err, "xrt: %s", m);
    }
    return 0;
}

/*
 * A buffer a kernel may still write is never freed nor reused while lpsgd runs: it is
 * kept (deliberately leaked) until the process exits. Then, as the process's memory goes
 * anyway, an atexit handler frees it, before XRT's own teardown, which crashes on buffer
 * handles still open when its shim's tables are gone.
 */
static xrtBufferHandle kept[64];
static unsigned nkept;

static void free_kept(void)
{
    while (nkept)
        xrtBOFree(kept[--nkept]);
}

static void dev_release(void *dev, lp_dbuf_t *b, int keep)
{
    (void)dev;
    if (keep && b->h) {
        kept_buffers++;
        if (nkept < sizeof kept / sizeof kept[0] && (nkept || atexit(free_kept) == 0))
            kept[nkept++] = b->h;
        memset(b, 0, sizeof *b);
    }
    dev_free(b);
}

static int dev_sync(void *dev, lp_dbuf_t *b, int to_device, size_t size, lp_err_t *err)
{
    (void)dev;
    errno = 0;
    if (xrtBOSync((xrtBufferHandle)b->h, to_device ? XCL_BO_SYNC_BO_TO_DEVICE : XCL_BO_SYNC_BO_FROM_DEVICE, size, 0))
        return xrt_fail(err, to_device ? "xrtBOSync(to the card)" : "xrtBOSync(from the card)",
                        "The DMA between host and card failed: check the card with xbutil examine");
    return 0;
}

static int dev_start(void *dev, unsigned cu, unsigned slot, lp_dbuf_t *const bufs[4], const uint32_t scalars[3],
                     lp_err_t *err)
{
    lp_backend_t *be = dev;
    void *h[4] = {bufs[0]->h, bufs[1]->h, bufs[2]->h, bufs[3]->h};
    char m[320] = "";
    if (lp_xrun_start(be->cu[cu].run[slot], h, 4, scalars, 3, m, sizeof m) != 0)
        return lp_fail(err, "xrt: starting the kernel on CU %s failed: %s. Check the card with xbutil examine; an "
                            "xclbin whose kernel does not take lp_sgd's arguments must be rebuilt",
                       be->st.cuname[cu], m);
    return 0;
}

void lp_xrt_test_pretend(int wait_state, int abort_state)
{
    pretend_wait = wait_state;
    pretend_abort = abort_state;
}

void lp_xrt_test_pretend_kernel(uint32_t status, uint32_t addr_skew)
{
    pretend_status = status;
    pretend_skew = addr_skew;
}

unsigned lp_xrt_buffers_kept(void) { return kept_buffers; }

static const char *state_name(int s)
{
    static const char *const names[] = {"?",     "NEW",   "QUEUED",  "RUNNING",    "COMPLETED", "ERROR",
                                        "ABORT", "SUBMITTED", "TIMEOUT", "NORESPONSE", "SKERROR",   "SKCRASHED"};
    return s == LP_XRUN_ABORT_PENDING ? "no answer"
           : s < 0 || s >= (int)(sizeof names / sizeof names[0]) ? "unknown"
                                                                   : names[s];
}

/* The run has left the card (its buffers are free again) when it ended in one of these. */
static int finished(int s)
{
    return s == ERT_CMD_STATE_COMPLETED || s == ERT_CMD_STATE_ERROR || s == ERT_CMD_STATE_ABORT;
}

/* After a completed run: the CU's status register (an AXI error response, a misaligned pointer). */
static int cu_status(lp_backend_t *be, unsigned cu, lp_err_t *err)
{
    uint32_t status = 0;
    char why[400];
    errno = 0; /* the noop shim has no CU registers (it refuses the read): status 0 there */
    if (!lp_xrt_is_noop() && xrtKernelReadRegister(be->cu[cu].krn, LP_REG_STATUS, &status) != 0)
        return xrt_fail(err, "xrtKernelReadRegister(the kernel's status register)",
                        "lpsgd cannot tell whether the run succeeded: check the card with xbutil examine");
    status |= pretend_status;
    if (status)
        return lp_fail(err, "xrt: the kernel on CU %s: %s. Check the card with xbutil examine; a DECERR means "
                            "an address no memory answers (an xclbin linked for another platform)",
                       be->st.cuname[cu], lp_sgd_status_msg(status, why, sizeof why));
    return 0;
}

static int dev_wait(void *dev, unsigned cu, unsigned slot, lp_err_t *err)
{
    lp_backend_t *be = dev;
    char m[320] = "";
    int st = pretend_wait ? pretend_wait : lp_xrun_wait(be->cu[cu].run[slot], be->timeout_ms, m, sizeof m);
    if (st == ERT_CMD_STATE_COMPLETED)
        return cu_status(be, cu, err) ? LP_DEV_ENDED : LP_DEV_DONE;
    if (finished(st)) { /* on the card no more, but not completed */
        lp_fail(err, "xrt: the kernel on CU %s ended in state %s: check the card with xbutil examine",
                be->st.cuname[cu], state_name(st));
        return LP_DEV_ENDED;
    }
    lp_fail(err, "xrt: the kernel's CU %s did not finish within %.3g s (%s); raise LPSGD_XRT_TIMEOUT (seconds) for "
                 "very long chunks",
            be->st.cuname[cu], be->timeout_ms / 1000.0, st < 0 ? m : state_name(st));
    return LP_DEV_STUCK;
}

/* xrt::run::abort on its own thread, waited for a bounded time (xrt_run.cpp). */
static int dev_abort(void *dev, unsigned cu, unsigned slot, char *what, size_t whatsize)
{
    lp_backend_t *be = dev;
    char m[200] = "";
    int st = pretend_abort ? pretend_abort : lp_xrun_abort(be->cu[cu].run[slot], be->timeout_ms, m, sizeof m);
    snprintf(what, whatsize, "XRT says %s", st == LP_XRUN_ABORT_FAILED && m[0] ? m : state_name(st));
    return finished(st);
}

static const lp_dev_ops_t xrt_dev = {dev_alloc, dev_release, dev_sync, dev_start, dev_wait, dev_abort};

/* ---- open / close ------------------------------------------------------------------- */

static void xrt_close(lp_backend_t *be)
{
    if (!be)
        return;
    if (be->st.ops)
        lp_stream_close(&be->st); /* waits for runs; keeps buffers a run may still write */
    for (unsigned c = 0; c < be->ncu; c++) {
        for (unsigned k = 0; k < LP_STREAM_SLOTS; k++)
            if (be->cu[c].run[k])
                lp_xrun_close(be->cu[c].run[k]);
        if (be->cu[c].krn)
            xrtKernelClose(be->cu[c].krn);
    }
    if (be->dev)
        xrtDeviceClose(be->dev);
    free(be);
}

static int is_index(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

static int open_device(lp_backend_t *be, const char *device, lp_err_t *err)
{
    const char *hint = "Run 'lpsgd devices' to see the cards XRT finds (none on a host without an Alveo card; "
                       "there only XCL_EMULATION_MODE=noop runs, see docs/alveo.md)";
    char call[96];
    if (!device || is_index(device)) {
        unsigned long idx = device ? strtoul(device, NULL, 10) : 0;
        snprintf(call, sizeof call, "xrtDeviceOpen(%lu)", idx);
        errno = 0;
        be->dev = idx <= 1024 ? xrtDeviceOpen((unsigned)idx) : NULL;
    } else if (strchr(device, ':')) {
        snprintf(call, sizeof call, "xrtDeviceOpenByBDF(%.60s)", device);
        errno = 0;
        be->dev = xrtDeviceOpenByBDF(device);
    } else {
        return lp_fail(err, "xrt: --device '%s' is neither a card index (0, 1, ...) nor a PCIe address like "
                            "0000:65:00.1 (lpsgd devices lists them)", device);
    }
    return be->dev ? 0 : xrt_fail(err, call, hint);
}

static int default_xclbin(char *path, size_t size)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(path, size, "%s/lp_sgd.xclbin", exe);
    return 0;
}

/*
 * Reads the xclbin, checks it (lp_xclbin.c: header, section bounds, IP_LAYOUT) and hands XRT
 * exactly the bytes that were checked (xrtDeviceLoadXclbin, not the file a second time).
 */
static int load_xclbin(lp_backend_t *be, const char *path, lp_err_t *err)
{
    char call[300], why[256];
    size_t size;
    uint8_t *img;
    lp_err_t rerr;
    /* a regular file only (a FIFO would block, /dev/zero never ends): host/io's one reader */
    if (lp_io_read_file(path, LP_IO_MAX_FILE, "an xclbin written by v++", &img, &size, &rerr) != 0)
        return lp_fail(err, "xrt: cannot read the xclbin: %s. Build one with 'make xclbin TARGET=hw "
                            "PLATFORM=<your card's shell>' (docs/alveo.md) or pass --xclbin FILE",
                       rerr.msg);
    int rc = lp_xclbin_parse(img, size, &be->xb, why, sizeof why);
    if (rc != LP_XCLBIN_OK) {
        free(img);
        if (rc == LP_XCLBIN_NOT_XCLBIN)
            return lp_fail(err, "xrt: '%s' %s: pass the .xclbin that v++ -l wrote (make xclbin)", path, why);
        return lp_fail(err, "xrt: the xclbin '%s' %s. Copy it again or rebuild it (make xclbin)", path, why);
    }
    snprintf(call, sizeof call, "xrtDeviceLoadXclbin(%.200s)", path);
    errno = 0;
    rc = xrtDeviceLoadXclbin(be->dev, (const struct axlf *)img);
    free(img);
    if (rc != 0)
        return xrt_fail(err, call, "The xclbin must be complete and built for this card's shell (lpsgd devices "
                                   "shows it): rebuild with make xclbin PLATFORM=<that shell>");
    errno = 0;
    if (xrtDeviceGetXclbinUUID(be->dev, be->uuid) != 0)
        return xrt_fail(err, "xrtDeviceGetXclbinUUID", "XRT lost the xclbin it just loaded: try again");
    return 0;
}

/*
 * The name XRT opens for the IP_LAYOUT's CU i of lp_sgd: "lp_sgd:{lp_sgd_2}" for the entry
 * "lp_sgd:lp_sgd_2"; plain "lp_sgd" when the IP_LAYOUT names no CU of lp_sgd (XRT then
 * says which kernel is missing).
 */
static void cu_open_name(const lp_backend_t *be, unsigned c, char *out, size_t size)
{
    const char *colon = be->xb.ncu ? strchr(be->xb.cu[c], ':') : NULL;
    if (colon)
        snprintf(out, size, "%s:{%s}", LP_SGD_KERNEL_NAME, colon + 1);
    else
        snprintf(out, size, "%s", LP_SGD_KERNEL_NAME);
}

/* Every argument of CU c's kernel at the offset of lp_sgd_regmap.h; its memory groups to the stream. */
static int check_args(lp_backend_t *be, unsigned c, lp_err_t *err)
{
    for (unsigned i = 0; i < LP_SGD_NARGS; i++) {
        const lp_sgd_arg_t *a = &lp_sgd_args[i];
        errno = 0;
        uint32_t off = xrtKernelArgOffset(be->cu[c].krn, (int)i);
        if (off != a->offset) {
            char m[320];
            xrt_message(m, sizeof m, errno);
            return lp_fail(err, "xrt: the xclbin's kernel " LP_SGD_KERNEL_NAME " has argument %u (%s) at offset "
                                "0x%X, this lpsgd expects 0x%X (hls/sgd/lp_sgd_regmap.h)%s%s: the xclbin comes "
                                "from another version of the kernel; rebuild it with make xclbin",
                           i, a->name, off, a->offset, off == UINT32_MAX ? "; XRT says: " : "",
                           off == UINT32_MAX ? m : "");
        }
        if (a->is_pointer) {
            errno = 0;
            int grp = xrtKernelArgGroupId(be->cu[c].krn, (int)i);
            if (grp < 0) {
                char call[96];
                snprintf(call, sizeof call, "xrtKernelArgGroupId(%s)", a->name);
                return xrt_fail(err, call, "The xclbin does not connect this argument to a memory bank: check the "
                                           "v++ connectivity config (constraints/*.cfg)");
            }
            lp_stream_bank(&be->st, c, i, grp);
        }
    }
    return 0;
}

/*
 * The CUs to open: every CU of lp_sgd, or only CU n of them when LPSGD_XRT_CU=n (1-based:
 * `lpsgd sweep` gives each job it runs at once a CU of its own). The IP_LAYOUT index of
 * the first in *first. 0, or -1 with a message for a value the xclbin has no CU for.
 */
static int pick_cus(lp_backend_t *be, unsigned *first, lp_err_t *err)
{
    const char *want = getenv("LPSGD_XRT_CU");
    unsigned n = be->xb.ncu ? be->xb.ncu : 1;
    *first = 0;
    be->ncu = n > LP_STREAM_MAX_CUS ? LP_STREAM_MAX_CUS : n;
    if (!want || !*want)
        return 0;
    unsigned long cu = is_index(want) && strlen(want) < 6 ? strtoul(want, NULL, 10) : 0;
    if (cu < 1 || cu > be->ncu)
        return lp_fail(err, "xrt: LPSGD_XRT_CU=%s: the xclbin has %u compute unit(s) of " LP_SGD_KERNEL_NAME
                            ", numbered 1 to %u (unset it to use them all)", want, be->ncu, be->ncu);
    *first = (unsigned)cu - 1;
    be->ncu = 1;
    return 0;
}

/* The chosen CUs of lp_sgd, each for exclusive use (XRT reads a CU's registers only then), with its runs. */
static int open_kernel(lp_backend_t *be, const char *path, lp_err_t *err)
{
    const char *names[LP_STREAM_MAX_CUS];
    unsigned first;
    if (pick_cus(be, &first, err))
        return -1;
    for (unsigned c = 0; c < be->ncu; c++)
        names[c] = be->xb.ncu ? be->xb.cu[first + c] : LP_SGD_KERNEL_NAME;
    lp_stream_init(&be->st, &xrt_dev, be, "xrt", be->ncu, names);
    for (unsigned c = 0; c < be->ncu; c++) {
        char name[96], call[400], m[320] = "";
        cu_open_name(be, first + c, name, sizeof name);
        snprintf(call, sizeof call, "xrtPLKernelOpen(%s) on %.200s", name, path);
        errno = 0;
        be->cu[c].krn = xrtPLKernelOpenExclusive(be->dev, be->uuid, name);
        if (!be->cu[c].krn)
            return xrt_fail(err, call, "This xclbin has no kernel " LP_SGD_KERNEL_NAME
                                       ": it was built from something else; build lpsgd's with make xclbin");
        if (check_args(be, c, err))
            return -1;
        for (unsigned k = 0; k < LP_STREAM_SLOTS; k++)
            if (!(be->cu[c].run[k] = lp_xrun_open(xrtDeviceToXclDevice(be->dev), be->uuid, name, m, sizeof m)))
                return lp_fail(err, "xrt: XRT could not create a run of the kernel's CU %s: %s", name, m);
    }
    return 0;
}

static int xrt_open(lp_backend_t **out, const lp_backend_opts_t *opts, lp_err_t *err)
{
    char defpath[4200];
    const char *path = opts && opts->xclbin ? opts->xclbin : getenv("LPSGD_XCLBIN");
    const char *device = opts && opts->device ? opts->device : getenv("LPSGD_DEVICE");
    lp_backend_t *be;
    *out = NULL;
    if (xrt_env(err) != 0)
        return -1;
    if (path && !*path)
        path = NULL;
    if (device && !*device)
        device = NULL;
    if (!path) {
        default_xclbin(defpath, sizeof defpath);
        path = defpath;
    }
    be = calloc(1, sizeof *be);
    if (!be)
        return lp_fail(err, "xrt: out of memory");
    const char *t = getenv("LPSGD_XRT_TIMEOUT");
    unsigned long tsec = t && is_index(t) ? strtoul(t, NULL, 10) : 120;
    be->timeout_ms = (unsigned)(tsec < 1 ? 1000 : tsec > 86400 ? 86400000 : tsec * 1000);
    if (open_device(be, device, err) || load_xclbin(be, path, err) || open_kernel(be, path, err)) {
        xrt_close(be);
        return -1;
    }
    *out = be;
    return 0;
}

/* ---- training: the stream (lp_stream.c); train_* on the first CU, train_jobs on all -- */

static int xrt_train_load(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    return lp_stream_load(&be->st, 0, cfg, model, err);
}

static int xrt_train_submit(lp_backend_t *be, const uint32_t *data, uint32_t nsteps, uint32_t step0, lp_err_t *err)
{
    return lp_stream_submit(&be->st, 0, data, nsteps, step0, err);
}

static int xrt_train_wait(lp_backend_t *be, uint32_t *records, lp_err_t *err)
{
    return lp_stream_wait(&be->st, 0, records, err);
}

static int xrt_train_read(lp_backend_t *be, float *model, lp_err_t *err)
{
    return lp_stream_read(&be->st, 0, model, err);
}

static unsigned xrt_units(lp_backend_t *be) { return be->ncu; }

static int xrt_train_jobs(lp_backend_t *be, lp_train_job_t *jobs, unsigned njobs, lp_err_t *err)
{
    return lp_stream_jobs(&be->st, jobs, njobs, err);
}

static int xrt_quantize(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                        uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err)
{
    (void)be, (void)cfg, (void)step, (void)g, (void)gq, (void)codes, (void)scale_k, (void)n, (void)st;
    return lp_fail(err, "xrt: " LP_XRT_NO_QUANTIZE);
}

static uint64_t xrt_cycles(lp_backend_t *be)
{
    (void)be;
    return 0;
}

/* ---- extras for lpsgd devices and the tests ----------------------------------------- */

int lp_xrt_arg_info(lp_backend_t *be, unsigned arg, uint32_t *offset, int *group, lp_err_t *err)
{
    if (arg >= LP_SGD_NARGS)
        return lp_fail(err, "xrt: the kernel has %d arguments, not %u", LP_SGD_NARGS, arg + 1);
    errno = 0;
    *offset = xrtKernelArgOffset(be->cu[0].krn, (int)arg);
    *group = lp_sgd_args[arg].is_pointer ? xrtKernelArgGroupId(be->cu[0].krn, (int)arg) : -1;
    if (*offset == UINT32_MAX)
        return xrt_fail(err, "xrtKernelArgOffset", "The kernel does not have this argument");
    return 0;
}

void lp_xrt_run_counts(lp_backend_t *be, uint64_t *started, uint64_t *completed)
{
    lp_stream_counts(&be->st, started, completed);
}

unsigned lp_xrt_cu_info(lp_backend_t *be, unsigned cu, lp_xrt_cu_info_t *info)
{
    memset(info, 0, sizeof *info);
    if (cu < be->ncu) {
        const lp_cu_t *u = &be->st.cu[cu];
        info->started = u->started, info->completed = u->completed, info->peak = u->peak;
        info->at_once = be->st.peak_cus;
        snprintf(info->name, sizeof info->name, "%s", be->st.cuname[cu]);
        for (unsigned a = 0; a < LP_SGD_NARGS; a++)
            info->group[a] = be->st.bank[cu][a];
    }
    return be->ncu;
}

unsigned lp_xrt_xclbin_cus(const char *xclbin)
{
    char def[4200], why[256];
    const char *path = xclbin ? xclbin : getenv("LPSGD_XCLBIN");
    uint8_t *img;
    size_t size;
    lp_err_t e;
    lp_xclbin_t x;
    if (!path || !*path)
        default_xclbin(def, sizeof def), path = def;
    if (lp_io_read_file(path, LP_IO_MAX_FILE, "an xclbin written by v++", &img, &size, &e) != 0)
        return 1;
    int ok = lp_xclbin_parse(img, size, &x, why, sizeof why) == LP_XCLBIN_OK && x.ncu > 1;
    free(img);
    return ok ? (x.ncu > LP_STREAM_MAX_CUS ? LP_STREAM_MAX_CUS : x.ncu) : 1;
}

/* The legacy HAL calls of xrt.h live in the shim XRT loaded; they are looked up there. */
typedef unsigned (*probe_fn)(void);
typedef int (*info_fn)(xclDeviceHandle, struct xclDeviceInfo2 *);

int lp_xrt_list(lp_xrt_card_t *cards, int max, char *env, unsigned envsize, lp_err_t *err)
{
    const char *mode;
    int n = 0;
    probe_fn probe;
    info_fn info;
    if (xrt_env(err) != 0)
        return -1;
    xrt_shim_lib(&mode);
    snprintf(env, envsize, "XILINX_XRT=%s%s%s", getenv("XILINX_XRT"), mode && *mode ? " XCL_EMULATION_MODE=" : "",
             mode && *mode ? mode : "");
    errno = 0;
    xrtDeviceHandle d = xrtDeviceOpen(0); /* loads the shim; NULL when there is no card */
    *(void **)&probe = dlsym(RTLD_DEFAULT, "xclProbe");
    *(void **)&info = dlsym(RTLD_DEFAULT, "xclGetDeviceInfo2");
    unsigned total = probe ? probe() : 0;
    if (!d) {
        char m[320];
        xrt_message(m, sizeof m, errno);
        if (total == 0)
            return 0;
        return lp_fail(err, "xrt: XRT sees %u card(s) but xrtDeviceOpen(0) failed: %s. Check that the xocl driver "
                            "is loaded and that you may open /dev/dri/renderD* (xbutil examine)", total, m);
    }
    xrtDeviceClose(d);
    if (!probe) /* no legacy probe: count by opening */
        for (total = 1; total < 64; total++) {
            xrtDeviceHandle t = xrtDeviceOpen(total);
            if (!t)
                break;
            xrtDeviceClose(t);
        }
    for (unsigned i = 0; i < total && n < max; i++) {
        lp_xrt_card_t *c = &cards[n];
        memset(c, 0, sizeof *c);
        c->index = i;
        errno = 0;
        d = xrtDeviceOpen(i);
        if (!d) {
            char m[200];
            xrt_message(m, sizeof m, errno);
            snprintf(c->shell, sizeof c->shell, "(cannot open: %s)", m);
            n++;
            continue;
        }
        struct xclDeviceInfo2 inf;
        memset(&inf, 0, sizeof inf);
        if (info && info(xrtDeviceToXclDevice(d), &inf) == 0) {
            inf.mName[sizeof inf.mName - 1] = '\0';
            snprintf(c->shell, sizeof c->shell, "%s", inf.mName);
            if (!strncmp(inf.mName, "xilinx_", 7)) { /* xilinx_u250_gen3x16_... -> Alveo U250 */
                size_t k = 0;
                char card[16];
                for (const char *q = inf.mName + 7; *q && *q != '_' && k < sizeof card - 1; q++)
                    card[k++] = (char)toupper((unsigned char)*q);
                card[k] = '\0';
                snprintf(c->name, sizeof c->name, "Alveo %s", card);
            }
            if (inf.mPciSlot || inf.mVendorId)
                snprintf(c->bdf, sizeof c->bdf, "%04x:%02x:%02x.%x", (inf.mPciSlot >> 16) & 0xFFFF,
                         (inf.mPciSlot >> 8) & 0xFF, (inf.mPciSlot >> 3) & 0x1F, inf.mPciSlot & 7);
        }
        xuid_t u;
        static const xuid_t zero = {0};
        if (xrtDeviceGetXclbinUUID(d, u) == 0 && memcmp(u, zero, sizeof u) != 0)
            uuid_unparse_lower(u, c->xclbin);
        else
            xrt_log_skip(); /* XRT's "no xclbin loaded" is not an error here */
        xrtDeviceClose(d);
        n++;
    }
    return (int)total;
}

const lp_backend_ops_t lp_backend_xrt = {
    .name = "xrt",
    .summary = "an Alveo card through XRT (--device N|BDF, --xclbin FILE; docs/alveo.md)",
    .open = xrt_open,
    .close = xrt_close,
    .quantize = xrt_quantize,
    .cycles = xrt_cycles,
    .train_load = xrt_train_load,
    .train_submit = xrt_train_submit,
    .train_wait = xrt_train_wait,
    .train_read = xrt_train_read,
    .train_depth = LP_STREAM_SLOTS, /* lp_stream: two runs outstanding */
    .units = xrt_units,
    .train_jobs = xrt_train_jobs,
};

#else /* built without XRT: the backend exists and says what to install */

#define LP_XRT_MISSING                                                                                           \
    "xrt: this lpsgd was built without XRT. Install Debian's libxrt-dev and uuid-dev (sudo make deps), or "     \
    "source /opt/xilinx/xrt/setup.sh on a card host, then rebuild with make"

int lp_xrt_built(void) { return 0; }
void lp_xrt_test_pretend(int wait_state, int abort_state) { (void)wait_state, (void)abort_state; }
void lp_xrt_test_pretend_kernel(uint32_t status, uint32_t addr_skew) { (void)status, (void)addr_skew; }
unsigned lp_xrt_buffers_kept(void) { return 0; }
int lp_xrt_is_noop(void) { return 0; }

static int xrt_open(lp_backend_t **be, const lp_backend_opts_t *opts, lp_err_t *err)
{
    (void)opts;
    *be = NULL;
    return lp_fail(err, LP_XRT_MISSING);
}

static void xrt_close(lp_backend_t *be) { (void)be; }

static int xrt_quantize(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                        uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err)
{
    (void)be, (void)cfg, (void)step, (void)g, (void)gq, (void)codes, (void)scale_k, (void)n, (void)st;
    return lp_fail(err, LP_XRT_MISSING);
}

static uint64_t xrt_cycles(lp_backend_t *be)
{
    (void)be;
    return 0;
}

int lp_xrt_list(lp_xrt_card_t *cards, int max, char *env, unsigned envsize, lp_err_t *err)
{
    (void)cards, (void)max;
    snprintf(env, envsize, "(no XRT)");
    return lp_fail(err, LP_XRT_MISSING);
}

int lp_xrt_arg_info(lp_backend_t *be, unsigned arg, uint32_t *offset, int *group, lp_err_t *err)
{
    (void)be, (void)arg, (void)offset, (void)group;
    return lp_fail(err, LP_XRT_MISSING);
}

void lp_xrt_run_counts(lp_backend_t *be, uint64_t *started, uint64_t *completed)
{
    (void)be;
    *started = *completed = 0;
}

unsigned lp_xrt_cu_info(lp_backend_t *be, unsigned cu, lp_xrt_cu_info_t *info)
{
    (void)be, (void)cu;
    memset(info, 0, sizeof *info);
    return 0;
}

unsigned lp_xrt_xclbin_cus(const char *xclbin)
{
    (void)xclbin;
    return 1;
}

const lp_backend_ops_t lp_backend_xrt = {
    .name = "xrt",
    .summary = "an Alveo card through XRT (not built in: install libxrt-dev uuid-dev and rebuild)",
    .open = xrt_open,
    .close = xrt_close,
    .quantize = xrt_quantize,
    .cycles = xrt_cycles,
};

#endif
