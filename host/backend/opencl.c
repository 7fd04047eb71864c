/*
 * opencl.c - the opencl backend: the same kernel source as the HLS kernel, compiled as
 * OpenCL C 1.2 (hls/opencl/lp_kernels.cl), on any OpenCL device the ICD loader finds
 * (PoCL on the CPU here), or the lp_sgd kernel of an xclbin on XRT's OpenCL platform.
 * docs/opencl.md has the whole story; this is the only file of lpsgd that calls OpenCL.
 *
 * Life of a backend:
 *   open    pick the device: opts->device (--device), else $LPSGD_OPENCL_DEVICE, as "P:D"
 *           (platform and device index, lpsgd devices lists them) or a piece of the
 *           platform or device name; else the first device that qualifies. A device
 *           qualifies when its single-precision FP config has denormals and round to
 *           nearest (the kernels' IEEE binary32 contract) and it can compile OpenCL C, or
 *           when its platform is XRT's (a name containing "Xilinx").
 *           Other platforms: build the embedded source (opencl.mk flattens it with the C
 *           preprocessor) with -cl-std=CL1.2 and, where the device offers it,
 *           -cl-fp32-correctly-rounded-divide-sqrt (OpenCL's default FP32 division may be
 *           2.5 ulp off; the kernel's divisions must be IEEE); never fast-math or
 *           denormals-are-zero options. Kernels lp_sgd_cl and lp_quantize_cl.
 *           XRT's platform: load the xclbin (opts->xclbin, else $LPSGD_XCLBIN, else
 *           lp_sgd.xclbin next to lpsgd; checked by lp_xclbin.c first) with
 *           clCreateProgramWithBinary; kernel lp_sgd, its model on chip; every buffer is
 *           placed in the memory bank the xclbin connects its argument to (Xilinx's
 *           cl_mem_ext_ptr_t, below).
 *   train   the xrt backend's own streaming code (host/backend/lp_stream.c: buffer layout,
 *           double buffering, two runs outstanding, the call order) on one CU; this file
 *           gives it the device calls (opencl_dev, below):
 *             alloc  clCreateBuffer (placed by its argument, above) and a host copy of the
 *                    buffer as its map (the stream fills and reads the map)
 *             sync   a blocking clEnqueueWriteBuffer / ReadBuffer of the map on the transfer
 *                    queue: the kernel queue's run goes on meanwhile, so the next chunk is
 *                    written while the previous run computes
 *             start  lp_sgd's seven arguments, then (PoCL) lp_sgd_cl's state and scratch
 *                    buffers, and the run enqueued on the kernel queue (its event per slot)
 *             wait   clWaitForEvents and the run's status: every run ends (no timeout, so
 *                    the stream never asks for abort, which OpenCL has not got)
 *           The kernel's state (lp_sgd_state_t: the model between runs) stays in a device
 *           buffer, scratch in another.
 *   close   the stream waits for outstanding runs and releases its buffers; then both
 *           queues are finished and every object released.
 * Every OpenCL call is checked; an error names the call, the CL error and what to do.
 */
#define _GNU_SOURCE 1

#include "opencl.h"

#include <stdio.h>
#include <string.h>

#ifdef LP_HAVE_OPENCL

#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>

#include <CL/cl.h>

#include "io/lp_io.h"
#include "lp_stream.h"
#include "lp_xclbin.h"
#include "sgd/lp_sgd.h"

/* the kernel source, flattened by host/backend/opencl.mk */
#ifndef LP_OPENCL_CL_PATH
#define LP_OPENCL_CL_PATH "hls/opencl/lp_kernels.cl"
#endif
#ifndef LP_OPENCL_FLAT
#define LP_OPENCL_FLAT "build/gen/lp_kernels_cl.c.cl"
#endif
extern const char lp_opencl_source[];
extern const size_t lp_opencl_source_len;

/*
 * Xilinx's OpenCL buffer extension, written down here from XRT's documentation ("Xilinx
 * OpenCL extension", https://xilinx.github.io/XRT/2020.2/html/opencl_extension.html, and
 * its header src/include/1_2/CL/cl_ext_xilinx.h) so lpsgd builds without XRT's headers:
 * clCreateBuffer with CL_MEM_EXT_PTR_XILINX in its flags reads host_ptr as this struct.
 * Two placements are used: flags = the kernel's argument index with param = the kernel
 * (XRT picks the bank the xclbin connects that argument to: "by kernel name and argument
 * index"), or flags = bank index | XCL_MEM_TOPOLOGY ("by memory bank index": the bank in
 * the xclbin's MEM_TOPOLOGY), which $LPSGD_OPENCL_BANK selects for every buffer.
 */
typedef struct {
    unsigned int flags; /* argument index, or bank index | LP_XCL_MEM_TOPOLOGY */
    void *obj;          /* host pointer (CL_MEM_USE_HOST_PTR); NULL here        */
    void *param;        /* the cl_kernel of the argument index, or NULL         */
} lp_cl_mem_ext_ptr_t;
#define LP_CL_MEM_EXT_PTR_XILINX ((cl_mem_flags)1 << 31)
#define LP_XCL_MEM_TOPOLOGY (1u << 31)

#define MAXDEV 64 /* devices looked at over all platforms */

/* Arguments of lp_sgd_cl after lp_sgd's seven (hls/opencl/lp_kernels.cl). */
enum { ARG_STATE = LP_SGD_NARGS, ARG_SCRATCH, NARGS_CL };

struct lp_backend {
    cl_platform_id plat;
    cl_device_id dev;
    cl_context ctx;
    cl_command_queue q_run, q_xfer; /* kernels in order; writes and reads beside them */
    cl_program prog;
    cl_kernel ksgd, kquant; /* kquant: NULL on XRT's platform                       */
    int xilinx, bank;       /* XRT's platform; LPSGD_OPENCL_BANK (-1: per argument) */
    char name[240];         /* "platform / device" for the messages                 */
    cl_mem state, scratch;  /* lp_sgd_cl's (not on XRT's platform)                  */
    lp_stream_t st;         /* buffers, slots, call order (host/backend/lp_stream.c) */
    cl_event run[LP_STREAM_SLOTS]; /* the stream's run in each slot, NULL when none */
};

/* ---- errors ------------------------------------------------------------------------- */

static const char *cl_err_name(cl_int e)
{
    static const struct {
        cl_int code;
        const char *name;
    } names[] = {
        {CL_DEVICE_NOT_FOUND, "CL_DEVICE_NOT_FOUND"},
        {CL_DEVICE_NOT_AVAILABLE, "CL_DEVICE_NOT_AVAILABLE"},
        {CL_COMPILER_NOT_AVAILABLE, "CL_COMPILER_NOT_AVAILABLE"},
        {CL_MEM_OBJECT_ALLOCATION_FAILURE, "CL_MEM_OBJECT_ALLOCATION_FAILURE"},
        {CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES"},
        {CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY"},
        {CL_BUILD_PROGRAM_FAILURE, "CL_BUILD_PROGRAM_FAILURE"},
        {CL_MISALIGNED_SUB_BUFFER_OFFSET, "CL_MISALIGNED_SUB_BUFFER_OFFSET"},
        {CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST, "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST"},
        {CL_INVALID_VALUE, "CL_INVALID_VALUE"},
        {CL_INVALID_PLATFORM, "CL_INVALID_PLATFORM"},
        {CL_INVALID_DEVICE, "CL_INVALID_DEVICE"},
        {CL_INVALID_CONTEXT, "CL_INVALID_CONTEXT"},
        {CL_INVALID_COMMAND_QUEUE, "CL_INVALID_COMMAND_QUEUE"},
        {CL_INVALID_HOST_PTR, "CL_INVALID_HOST_PTR"},
        {CL_INVALID_MEM_OBJECT, "CL_INVALID_MEM_OBJECT"},
        {CL_INVALID_BINARY, "CL_INVALID_BINARY"},
        {CL_INVALID_BUILD_OPTIONS, "CL_INVALID_BUILD_OPTIONS"},
        {CL_INVALID_PROGRAM, "CL_INVALID_PROGRAM"},
        {CL_INVALID_PROGRAM_EXECUTABLE, "CL_INVALID_PROGRAM_EXECUTABLE"},
        {CL_INVALID_KERNEL_NAME, "CL_INVALID_KERNEL_NAME"},
        {CL_INVALID_KERNEL, "CL_INVALID_KERNEL"},
        {CL_INVALID_ARG_INDEX, "CL_INVALID_ARG_INDEX"},
        {CL_INVALID_ARG_VALUE, "CL_INVALID_ARG_VALUE"},
        {CL_INVALID_ARG_SIZE, "CL_INVALID_ARG_SIZE"},
        {CL_INVALID_KERNEL_ARGS, "CL_INVALID_KERNEL_ARGS"},
        {CL_INVALID_WORK_DIMENSION, "CL_INVALID_WORK_DIMENSION"},
        {CL_INVALID_WORK_GROUP_SIZE, "CL_INVALID_WORK_GROUP_SIZE"},
        {CL_INVALID_GLOBAL_WORK_SIZE, "CL_INVALID_GLOBAL_WORK_SIZE"},
        {CL_INVALID_EVENT_WAIT_LIST, "CL_INVALID_EVENT_WAIT_LIST"},
        {CL_INVALID_EVENT, "CL_INVALID_EVENT"},
        {CL_INVALID_OPERATION, "CL_INVALID_OPERATION"},
        {CL_INVALID_BUFFER_SIZE, "CL_INVALID_BUFFER_SIZE"},
        {-1001, "CL_PLATFORM_NOT_FOUND_KHR"},
    };
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == e)
            return names[i].name;
    return "an OpenCL error";
}

/* err = "opencl: CALL failed: CL_NAME (code). HINT" */
static int cl_fail(lp_err_t *err, const char *call, cl_int e, const char *hint)
{
    return lp_fail(err, "opencl: %s failed: %s (%d). %s", call, cl_err_name(e), (int)e, hint);
}

#define HINT_RES "The device ran out of memory or resources: use a smaller --batch or fewer steps per chunk"
#define HINT_RUN "The OpenCL runtime could not run the kernel: check the device (lpsgd devices) and try again"

int lp_opencl_built(void) { return 1; }

/* ---- platforms and devices ---------------------------------------------------------- */

typedef struct {
    cl_platform_id p;
    cl_device_id d;
    unsigned pi, di;
} pair_t;

/* Every device of every platform (up to max); 0 when the ICD loader finds no platform. */
static int all_devices(pair_t *out, int max, lp_err_t *err)
{
    cl_platform_id plats[16];
    cl_uint np = 0;
    int n = 0;
    cl_int e = clGetPlatformIDs(16, plats, &np);
    if (e == -1001 /* CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found no platform */ || (e == CL_SUCCESS && !np))
        return 0;
    if (e != CL_SUCCESS)
        return cl_fail(err, "clGetPlatformIDs", e, "The OpenCL ICD loader failed: check /etc/OpenCL/vendors");
    for (cl_uint i = 0; i < np && i < 16; i++) {
        cl_device_id devs[MAXDEV];
        cl_uint nd = 0;
        e = clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_ALL, MAXDEV, devs, &nd);
        if (e == CL_DEVICE_NOT_FOUND)
            continue;
        if (e != CL_SUCCESS)
            return cl_fail(err, "clGetDeviceIDs", e, "The OpenCL platform cannot list its devices");
        for (cl_uint j = 0; j < nd && j < MAXDEV && n < max; j++)
            out[n++] = (pair_t){plats[i], devs[j], i, j};
    }
    return n;
}

static void plat_str(cl_platform_id p, cl_platform_info what, char *buf, size_t size)
{
    if (clGetPlatformInfo(p, what, size, buf, NULL) != CL_SUCCESS)
        snprintf(buf, size, "?");
    buf[size - 1] = '\0';
}

static void dev_str(cl_device_id d, cl_device_info what, char *buf, size_t size)
{
    if (clGetDeviceInfo(d, what, size, buf, NULL) != CL_SUCCESS)
        snprintf(buf, size, "?");
    buf[size - 1] = '\0';
}

static int is_xilinx(cl_platform_id p)
{
    char name[96];
    plat_str(p, CL_PLATFORM_NAME, name, sizeof name);
    return strstr(name, "Xilinx") != NULL || strstr(name, "XILINX") != NULL;
}

/* 1 when lpsgd can run its kernels on d; *why says how, or why not. */
static int qualifies(const pair_t *x, char *why, size_t size)
{
    cl_device_fp_config fp = 0;
    cl_bool avail = CL_FALSE, compiler = CL_FALSE;
    char cver[64];
    if (clGetDeviceInfo(x->d, CL_DEVICE_AVAILABLE, sizeof avail, &avail, NULL) != CL_SUCCESS || !avail)
        return snprintf(why, size, "not available (CL_DEVICE_AVAILABLE is false)"), 0;
    if (is_xilinx(x->p))
        return snprintf(why, size, "loads an xclbin with the kernel lp_sgd (train, theory, selftest)"), 1;
    if (clGetDeviceInfo(x->d, CL_DEVICE_SINGLE_FP_CONFIG, sizeof fp, &fp, NULL) != CL_SUCCESS)
        return snprintf(why, size, "does not report CL_DEVICE_SINGLE_FP_CONFIG"), 0;
    if (!(fp & CL_FP_DENORM) || !(fp & CL_FP_ROUND_TO_NEAREST))
        return snprintf(why, size, "FP32 without %s: the kernels need IEEE binary32 (docs/design.md contract 5)",
                        !(fp & CL_FP_DENORM) ? "denormals (CL_FP_DENORM)" : "round to nearest"), 0;
    if (clGetDeviceInfo(x->d, CL_DEVICE_COMPILER_AVAILABLE, sizeof compiler, &compiler, NULL) != CL_SUCCESS ||
        !compiler)
        return snprintf(why, size, "has no OpenCL C compiler (CL_DEVICE_COMPILER_AVAILABLE is false)"), 0;
    dev_str(x->d, CL_DEVICE_OPENCL_C_VERSION, cver, sizeof cver);
    if (strncmp(cver, "OpenCL C ", 9) || atof(cver + 9) < 1.2)
        return snprintf(why, size, "compiles %s, the kernels need OpenCL C 1.2", cver), 0;
    return snprintf(why, size, "builds the kernels from source (-cl-std=CL1.2%s)",
                    (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) ? " -cl-fp32-correctly-rounded-divide-sqrt" : ""),
           1;
}

static int ci_contains(const char *hay, const char *needle)
{
    for (; *hay; hay++) {
        size_t i = 0;
        while (needle[i] && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (!needle[i])
            return 1;
    }
    return !*needle;
}

/* The device `sel` names ("P:D" or a piece of a name; NULL: the first that qualifies). */
static int pick_device(lp_backend_t *be, const char *sel, lp_err_t *err)
{
    pair_t all[MAXDEV];
    char why[200] = "", pname[96], dname[128], refused[400] = "";
    unsigned pi, di;
    char tail;
    int n = all_devices(all, MAXDEV, err), byidx = 0;
    if (n < 0)
        return -1;
    if (n == 0)
        return lp_fail(err, "opencl: no OpenCL platform found: install pocl-opencl-icd (the CPU; sudo make deps) "
                            "or a vendor's OpenCL driver (on a card host: XRT), then try lpsgd devices");
    if (sel && sscanf(sel, "%u:%u%c", &pi, &di, &tail) == 2)
        byidx = 1;
    for (int i = 0; i < n; i++) {
        plat_str(all[i].p, CL_PLATFORM_NAME, pname, sizeof pname);
        dev_str(all[i].d, CL_DEVICE_NAME, dname, sizeof dname);
        int match = !sel || (byidx ? all[i].pi == pi && all[i].di == di
                                   : ci_contains(pname, sel) || ci_contains(dname, sel));
        if (!match)
            continue;
        if (!qualifies(&all[i], why, sizeof why)) {
            if (!*refused) /* the first match that cannot run the kernels, for the message */
                snprintf(refused, sizeof refused, "%u:%u (%.60s / %.60s) %s", all[i].pi, all[i].di, pname, dname,
                         why);
            continue;
        }
        be->plat = all[i].p;
        be->dev = all[i].d;
        be->xilinx = is_xilinx(all[i].p);
        snprintf(be->name, sizeof be->name, "%u:%u %.90s / %.120s", all[i].pi, all[i].di, pname, dname);
        return 0;
    }
    if (sel && *refused)
        return lp_fail(err, "opencl: device %s: pick another with --device (lpsgd devices lists them)", refused);
    if (sel)
        return lp_fail(err, "opencl: no OpenCL device matches '%s' (give P:D indices or a piece of the platform or "
                            "device name; lpsgd devices lists them)", sel);
    return lp_fail(err, "opencl: none of the %d OpenCL device(s) can run lpsgd's kernels (the last: %s); lpsgd "
                        "devices says why for each", n, why);
}

/* ---- the program ---------------------------------------------------------------------- */

/* The build log after a failed clBuildProgram, on stderr (it does not fit an error line). */
static void print_build_log(lp_backend_t *be)
{
    size_t len = 0;
    if (clGetProgramBuildInfo(be->prog, be->dev, CL_PROGRAM_BUILD_LOG, 0, NULL, &len) != CL_SUCCESS || !len)
        return;
    char *log = malloc(len + 1);
    if (!log)
        return;
    if (clGetProgramBuildInfo(be->prog, be->dev, CL_PROGRAM_BUILD_LOG, len, log, NULL) == CL_SUCCESS) {
        log[len] = '\0';
        fprintf(stderr, "opencl: build log (%s):\n%s\n", be->name, log);
    }
    free(log);
}

static int build_source(lp_backend_t *be, lp_err_t *err)
{
    cl_device_fp_config fp = 0;
    cl_int e;
    const char *src = lp_opencl_source;
    size_t len = lp_opencl_source_len;
    char opts[128];
    if ((e = clGetDeviceInfo(be->dev, CL_DEVICE_SINGLE_FP_CONFIG, sizeof fp, &fp, NULL)) != CL_SUCCESS)
        return cl_fail(err, "clGetDeviceInfo(CL_DEVICE_SINGLE_FP_CONFIG)", e, HINT_RUN);
    /* never -cl-denorms-are-zero, -cl-mad-enable, -cl-fast-relaxed-math: IEEE binary32 only */
    snprintf(opts, sizeof opts, "-cl-std=CL1.2%s",
             (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");
    be->prog = clCreateProgramWithSource(be->ctx, 1, &src, &len, &e);
    if (!be->prog)
        return cl_fail(err, "clCreateProgramWithSource", e, HINT_RES);
    e = clBuildProgram(be->prog, 1, &be->dev, opts, NULL, NULL);
    if (e != CL_SUCCESS) {
        print_build_log(be);
        return lp_fail(err, "opencl: clBuildProgram(%s) of the kernel source failed on %s: %s (%d). The build log "
                            "is above; its line numbers are those of %s, flattened from %s (docs/opencl.md)",
                       opts, be->name, cl_err_name(e), (int)e, LP_OPENCL_FLAT, LP_OPENCL_CL_PATH);
    }
    be->ksgd = clCreateKernel(be->prog, "lp_sgd_cl", &e);
    if (!be->ksgd)
        return cl_fail(err, "clCreateKernel(lp_sgd_cl)", e, "The kernel source lacks lp_sgd_cl: rebuild lpsgd");
    be->kquant = clCreateKernel(be->prog, "lp_quantize_cl", &e);
    if (!be->kquant)
        return cl_fail(err, "clCreateKernel(lp_quantize_cl)", e,
                       "The kernel source lacks lp_quantize_cl: rebuild lpsgd");
    return 0;
}

static void default_xclbin(char *buf, size_t size)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(buf, size, "%.4000s/lp_sgd.xclbin", n > 0 ? exe : ".");
}

/* XRT's platform: the xclbin (checked by lpsgd's reader first), kernel lp_sgd. */
static int load_xclbin(lp_backend_t *be, const char *path, lp_err_t *err)
{
    uint8_t *img = NULL;
    size_t len = 0;
    char why[256];
    lp_xclbin_t xb;
    lp_err_t rerr;
    cl_int e, st = CL_SUCCESS;
    cl_uint nargs = 0;
    /* a regular file only (a FIFO would block): host/io's one reader, as xrt.c */
    if (lp_io_read_file(path, LP_IO_MAX_FILE, "an xclbin written by v++", &img, &len, &rerr) != 0)
        return lp_fail(err, "opencl: cannot read the xclbin: %s. Build one with 'make xclbin TARGET=hw "
                            "PLATFORM=<your card's shell>' (docs/alveo.md) or pass --xclbin FILE", rerr.msg);
    if (lp_xclbin_parse(img, len, &xb, why, sizeof why) != LP_XCLBIN_OK) {
        free(img);
        return lp_fail(err, "opencl: the xclbin '%s' %s: pass the .xclbin that v++ -l wrote (make xclbin)", path,
                       why);
    }
    const unsigned char *bin = img;
    be->prog = clCreateProgramWithBinary(be->ctx, 1, &be->dev, &len, &bin, &st, &e);
    free(img);
    if (!be->prog || st != CL_SUCCESS)
        return cl_fail(err, "clCreateProgramWithBinary(the xclbin)", e != CL_SUCCESS ? e : st,
                       "The xclbin must be built for this card's shell: make xclbin PLATFORM=<its platform>");
    if ((e = clBuildProgram(be->prog, 1, &be->dev, "", NULL, NULL)) != CL_SUCCESS) {
        print_build_log(be);
        return cl_fail(err, "clBuildProgram(the xclbin)", e, "XRT could not load the xclbin onto the card");
    }
    be->ksgd = clCreateKernel(be->prog, LP_SGD_KERNEL_NAME, &e);
    if (!be->ksgd)
        return cl_fail(err, "clCreateKernel(" LP_SGD_KERNEL_NAME ")", e,
                       "This xclbin has no kernel lp_sgd: build lpsgd's with make xclbin");
    if ((e = clGetKernelInfo(be->ksgd, CL_KERNEL_NUM_ARGS, sizeof nargs, &nargs, NULL)) != CL_SUCCESS)
        return cl_fail(err, "clGetKernelInfo(CL_KERNEL_NUM_ARGS)", e, HINT_RUN);
    if (nargs != LP_SGD_NARGS)
        return lp_fail(err, "opencl: the xclbin's kernel lp_sgd takes %u arguments, this lpsgd passes %d "
                            "(hls/sgd/lp_sgd_regmap.h): rebuild the xclbin with make xclbin", nargs, LP_SGD_NARGS);
    return 0;
}

/* ---- buffers -------------------------------------------------------------------------- */

static void mem_release(cl_mem *m)
{
    if (*m)
        clReleaseMemObject(*m);
    *m = NULL;
}

/* A device buffer of `size` bytes (at least 64) for kernel argument `arg` of lp_sgd. */
static int mem_new(lp_backend_t *be, cl_mem *m, size_t size, cl_mem_flags flags, unsigned arg, const char *what,
                   lp_err_t *err)
{
    cl_int e;
    char call[96];
    lp_cl_mem_ext_ptr_t ext = {0, NULL, NULL};
    void *host = NULL;
    size = size < 64 ? 64 : size;
    if (be->xilinx) { /* the bank of that argument, or $LPSGD_OPENCL_BANK */
        ext.flags = be->bank >= 0 ? (unsigned)be->bank | LP_XCL_MEM_TOPOLOGY : arg;
        ext.param = be->bank >= 0 ? NULL : (void *)be->ksgd;
        flags |= LP_CL_MEM_EXT_PTR_XILINX;
        host = &ext;
    }
    *m = clCreateBuffer(be->ctx, flags, size, host, &e);
    if (!*m) {
        snprintf(call, sizeof call, "clCreateBuffer(%zu bytes for %s)", size, what);
        return cl_fail(err, call, e, HINT_RES);
    }
    return 0;
}

static int set_mem(cl_kernel k, unsigned i, const cl_mem *m, lp_err_t *err)
{
    char call[64];
    cl_int e = clSetKernelArg(k, i, sizeof(cl_mem), m);
    if (e == CL_SUCCESS)
        return 0;
    snprintf(call, sizeof call, "clSetKernelArg(%u)", i);
    return cl_fail(err, call, e, "The kernel does not take lpsgd's arguments: rebuild lpsgd (and the xclbin)");
}

static int set_u32(cl_kernel k, unsigned i, uint32_t v, lp_err_t *err)
{
    char call[64];
    cl_uint u = v;
    cl_int e = clSetKernelArg(k, i, sizeof u, &u);
    if (e == CL_SUCCESS)
        return 0;
    snprintf(call, sizeof call, "clSetKernelArg(%u)", i);
    return cl_fail(err, call, e, "The kernel does not take lpsgd's arguments: rebuild lpsgd (and the xclbin)");
}

/* A single work-item run (clEnqueueTask's semantics) on the kernel queue, then flushed. */
static int enqueue_task(lp_backend_t *be, cl_kernel k, cl_uint nwait, const cl_event *wait, cl_event *ev,
                        const char *what, lp_err_t *err)
{
    const size_t one = 1;
    char call[96];
    cl_int e = clEnqueueNDRangeKernel(be->q_run, k, 1, NULL, &one, &one, nwait, wait, ev);
    if (e == CL_SUCCESS)
        e = clFlush(be->q_run);
    if (e == CL_SUCCESS)
        return 0;
    snprintf(call, sizeof call, "clEnqueueNDRangeKernel(%s)", what);
    return cl_fail(err, call, e, HINT_RUN);
}

/* ---- the device calls of the stream (lp_stream.h): buffers and runs of lp_sgd ------- */

#define NPTR 4 /* lp_sgd's pointer arguments, the first four (the stream's bufs[4]) */
_Static_assert(LP_ARG_CFG == NPTR - 1 && LP_ARG_NSTEPS == NPTR, "pointer arguments first");

/* How lp_sgd uses each pointer argument (lp_sgd_regmap.h order): clCreateBuffer's flags. */
static const cl_mem_flags arg_flags[NPTR] = {CL_MEM_READ_ONLY, CL_MEM_READ_WRITE, CL_MEM_WRITE_ONLY,
                                                      CL_MEM_READ_ONLY};

/* A buffer for argument `arg` (the stream's bank of an argument is the argument itself here:
   mem_new places the buffer by it), and a zeroed host copy of it as its map. */
static int dev_alloc(void *dev, lp_dbuf_t *b, size_t size, int arg, const char *what, lp_err_t *err)
{
    lp_backend_t *be = dev;
    cl_mem m = NULL;
    if (arg < 0 || arg >= NPTR)
        return lp_fail(err, "opencl: no pointer argument %d of lp_sgd for %s", arg, what);
    b->map = calloc(1, size);
    if (!b->map)
        return lp_fail(err, "opencl: out of memory for the host copy of %s (%zu bytes)", what, size);
    if (mem_new(be, &m, size, arg_flags[arg], (unsigned)arg, what, err)) {
        free(b->map);
        b->map = NULL;
        return -1;
    }
    b->h = m, b->size = size;
    return 0;
}

/* OpenCL deletes a buffer only once the runs enqueued with it have ended (clReleaseMemObject
   drops lpsgd's reference), so keep changes nothing; the host copy is lpsgd's alone. */
static void dev_release(void *dev, lp_dbuf_t *b, int keep)
{
    (void)dev, (void)keep;
    if (b->h)
        clReleaseMemObject((cl_mem)b->h);
    free(b->map);
    memset(b, 0, sizeof *b);
}

/* Blocking, on the transfer queue: a run on the kernel queue goes on meanwhile. */
static int dev_sync(void *dev, lp_dbuf_t *b, int to_device, size_t bytes, lp_err_t *err)
{
    lp_backend_t *be = dev;
    cl_mem m = b->h;
    cl_int e = to_device ? clEnqueueWriteBuffer(be->q_xfer, m, CL_TRUE, 0, bytes, b->map, 0, NULL, NULL)
                         : clEnqueueReadBuffer(be->q_xfer, m, CL_TRUE, 0, bytes, b->map, 0, NULL, NULL);
    if (e == CL_SUCCESS)
        return 0;
    return to_device ? cl_fail(err, "clEnqueueWriteBuffer(to the device)", e, HINT_RES)
                     : cl_fail(err, "clEnqueueReadBuffer(from the device)", e, HINT_RUN);
}

/* lp_sgd's seven arguments, lp_sgd_cl's two more (PoCL), and the run enqueued (its event in
   run[slot]). One CU: the stream's cu is always 0. */
static int dev_start(void *dev, unsigned cu, unsigned slot, lp_dbuf_t *const bufs[4], const uint32_t scalars[3],
                     lp_err_t *err)
{
    lp_backend_t *be = dev;
    cl_kernel k = be->ksgd;
    (void)cu;
    for (unsigned a = 0; a < NPTR; a++) {
        cl_mem m = bufs[a]->h;
        if (set_mem(k, a, &m, err))
            return -1;
    }
    for (unsigned i = 0; i < 3; i++)
        if (set_u32(k, LP_ARG_NSTEPS + i, scalars[i], err))
            return -1;
    if (!be->xilinx && (set_mem(k, ARG_STATE, &be->state, err) || set_mem(k, ARG_SCRATCH, &be->scratch, err)))
        return -1;
    return enqueue_task(be, k, 0, NULL, &be->run[slot], "lp_sgd", err);
}

/* Waits for the run in slot `slot` (as long as it takes) and releases its event. */
static int dev_wait(void *dev, unsigned cu, unsigned slot, lp_err_t *err)
{
    lp_backend_t *be = dev;
    cl_event *ev = &be->run[slot];
    (void)cu;
    if (!*ev) {
        lp_fail(err, "opencl: no run in slot %u", slot);
        return LP_DEV_ENDED;
    }
    cl_int st = CL_COMPLETE, e = clWaitForEvents(1, ev);
    if (e == CL_SUCCESS || e == CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
        clGetEventInfo(*ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof st, &st, NULL);
    clReleaseEvent(*ev);
    *ev = NULL;
    if (e != CL_SUCCESS && e != CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
        return cl_fail(err, "clWaitForEvents(the lp_sgd run)", e, HINT_RUN), LP_DEV_ENDED;
    if (st < 0)
        return lp_fail(err, "opencl: the lp_sgd run on %s ended with %s (%d). %s", be->name, cl_err_name(st),
                       (int)st, HINT_RUN),
               LP_DEV_ENDED;
    return LP_DEV_DONE;
}

/* Never asked: dev_wait has no time limit, so no run is ever left stuck (docs/opencl.md). */
static int dev_abort(void *dev, unsigned cu, unsigned slot, char *what, size_t whatsize)
{
    (void)dev, (void)cu, (void)slot;
    snprintf(what, whatsize, "OpenCL has no abort");
    return 0;
}

static const lp_dev_ops_t opencl_dev = {dev_alloc, dev_release, dev_sync, dev_start, dev_wait, dev_abort};

/* ---- open and close ------------------------------------------------------------------- */

static void opencl_close(lp_backend_t *be)
{
    if (!be)
        return;
    if (be->st.ops)
        lp_stream_close(&be->st); /* waits for the runs not waited for; releases the buffers */
    if (be->q_run)
        clFinish(be->q_run);
    if (be->q_xfer)
        clFinish(be->q_xfer);
    for (unsigned i = 0; i < LP_STREAM_SLOTS; i++)
        if (be->run[i])
            clReleaseEvent(be->run[i]);
    mem_release(&be->state);
    mem_release(&be->scratch);
    if (be->ksgd)
        clReleaseKernel(be->ksgd);
    if (be->kquant)
        clReleaseKernel(be->kquant);
    if (be->prog)
        clReleaseProgram(be->prog);
    if (be->q_run)
        clReleaseCommandQueue(be->q_run);
    if (be->q_xfer)
        clReleaseCommandQueue(be->q_xfer);
    if (be->ctx)
        clReleaseContext(be->ctx);
    free(be);
}

/* Context, the two queues, and (not on XRT's platform) the state and scratch buffers. */
static int make_context(lp_backend_t *be, lp_err_t *err)
{
    cl_int e;
    const cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)be->plat, 0};
    be->ctx = clCreateContext(props, 1, &be->dev, NULL, NULL, &e);
    if (!be->ctx)
        return cl_fail(err, "clCreateContext", e, "The device may be in use or its driver broken: lpsgd devices");
    be->q_run = clCreateCommandQueue(be->ctx, be->dev, 0, &e);
    if (!be->q_run)
        return cl_fail(err, "clCreateCommandQueue(kernels)", e, HINT_RES);
    be->q_xfer = clCreateCommandQueue(be->ctx, be->dev, 0, &e);
    if (!be->q_xfer)
        return cl_fail(err, "clCreateCommandQueue(transfers)", e, HINT_RES);
    return 0;
}

static int make_state(lp_backend_t *be, lp_err_t *err)
{
    const cl_uint zero = 0;
    cl_int e;
    if (mem_new(be, &be->state, sizeof(lp_sgd_state_t), CL_MEM_READ_WRITE, ARG_STATE, "the kernel state", err) ||
        mem_new(be, &be->scratch, sizeof(lp_sgd_scratch_t), CL_MEM_READ_WRITE, ARG_SCRATCH, "scratch", err))
        return -1;
    /* defined contents before the first LP_SGD_FLAG_LOAD */
    e = clEnqueueFillBuffer(be->q_xfer, be->state, &zero, sizeof zero, 0, sizeof(lp_sgd_state_t), 0, NULL, NULL);
    if (e == CL_SUCCESS)
        e = clFinish(be->q_xfer);
    return e == CL_SUCCESS ? 0 : cl_fail(err, "clEnqueueFillBuffer(the kernel state)", e, HINT_RES);
}

static int opencl_open(lp_backend_t **out, const lp_backend_opts_t *opts, lp_err_t *err)
{
    const char *sel = opts && opts->device ? opts->device : getenv("LPSGD_OPENCL_DEVICE");
    const char *xclbin = opts && opts->xclbin ? opts->xclbin : getenv("LPSGD_XCLBIN");
    const char *bank = getenv("LPSGD_OPENCL_BANK");
    char defpath[4200];
    lp_backend_t *be;
    *out = NULL;
    if (sel && !*sel)
        sel = NULL;
    be = calloc(1, sizeof *be);
    if (!be)
        return lp_fail(err, "opencl: out of memory");
    be->bank = -1;
    lp_stream_init(&be->st, &opencl_dev, be, "opencl", 1, NULL);
    for (unsigned a = 0; a < NPTR; a++) /* dev_alloc places a buffer by its argument */
        lp_stream_bank(&be->st, 0, a, (int)a);
    if (bank && *bank) {
        char *end;
        unsigned long b = strtoul(bank, &end, 10);
        if (*end || !isdigit((unsigned char)*bank) || b > 255) {
            free(be);
            return lp_fail(err, "opencl: LPSGD_OPENCL_BANK='%.40s' is not a memory bank index (0..255 of the "
                                "xclbin's memory topology; unset it to place each buffer by its argument)", bank);
        }
        be->bank = (int)b;
    }
    if (pick_device(be, sel, err) || make_context(be, err)) {
        opencl_close(be);
        return -1;
    }
    if (be->xilinx) {
        if (!xclbin || !*xclbin) {
            default_xclbin(defpath, sizeof defpath);
            xclbin = defpath;
        }
        if (load_xclbin(be, xclbin, err)) {
            opencl_close(be);
            return -1;
        }
    } else if (build_source(be, err) || make_state(be, err)) {
        opencl_close(be);
        return -1;
    }
    *out = be;
    return 0;
}

/* ---- training: the stream (lp_stream.c) on its one CU ---------------------------------- */

static int opencl_train_load(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    return lp_stream_load(&be->st, 0, cfg, model, err);
}

static int opencl_train_submit(lp_backend_t *be, const uint32_t *data, uint32_t nsteps, uint32_t step0,
                               lp_err_t *err)
{
    return lp_stream_submit(&be->st, 0, data, nsteps, step0, err);
}

static int opencl_train_wait(lp_backend_t *be, uint32_t *records, lp_err_t *err)
{
    return lp_stream_wait(&be->st, 0, records, err);
}

static int opencl_train_read(lp_backend_t *be, float *model, lp_err_t *err)
{
    return lp_stream_read(&be->st, 0, model, err);
}

/* ---- the quantizer ------------------------------------------------------------------- */

enum { QB_G, QB_GQ, QB_CODES, QB_SCALE, QB_CFG, QB_STATS, QB_N };

static int quant_enqueue(lp_backend_t *be, cl_mem *b, uint32_t n, uint32_t step, lp_err_t *err)
{
    cl_kernel k = be->kquant;
    cl_event ev = NULL;
    cl_mem none = NULL;
    if (set_mem(k, 0, &b[QB_G], err) || set_mem(k, 1, &b[QB_GQ], err) ||
        set_mem(k, 2, b[QB_CODES] ? &b[QB_CODES] : &none, err) ||
        set_mem(k, 3, b[QB_SCALE] ? &b[QB_SCALE] : &none, err) || set_mem(k, 4, &b[QB_CFG], err) ||
        set_u32(k, 5, n, err) || set_u32(k, 6, step, err) || set_mem(k, 7, &b[QB_STATS], err) ||
        enqueue_task(be, k, 0, NULL, &ev, "lp_quantize_cl", err))
        return -1;
    cl_int st = CL_COMPLETE, e = clWaitForEvents(1, &ev);
    clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof st, &st, NULL);
    clReleaseEvent(ev);
    if (e != CL_SUCCESS || st < 0)
        return cl_fail(err, "clWaitForEvents(the lp_quantize_cl run)", e != CL_SUCCESS ? e : st, HINT_RUN);
    return 0;
}

static int opencl_quantize(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                           uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err)
{
    lp_fmt_params_t p;
    const char *why;
    uint32_t cw[LP_SGD_CFG_WORDS];
    cl_mem b[QB_N] = {0};
    cl_int e = CL_SUCCESS;
    int rc = -1;
    if (be->xilinx)
        return lp_fail(err, "opencl: %s", LP_OPENCL_XILINX_NO_QUANTIZE);
    if (lp_format_derive(&cfg->fmt, &p, &why) != 0)
        return lp_fail(err, "invalid format: %s", why);
    memset(cw, 0, sizeof cw);
    lp_sgd_cfg_set_qcfg(cw, cfg); /* the words lp_quantize_cl reads (lp_sgd_cfg_qcfg) */
    size_t nb = (size_t)n * 4u, nscale = cfg->scale == LP_SCALE_TENSOR    ? 1
                                         : cfg->scale == LP_SCALE_BLOCK32 ? ((size_t)n + 31) / 32
                                                                          : 0;
    if (mem_new(be, &b[QB_G], nb, CL_MEM_READ_ONLY, 0, "g", err) ||
        mem_new(be, &b[QB_GQ], nb, CL_MEM_WRITE_ONLY, 0, "gq", err) ||
        (codes && mem_new(be, &b[QB_CODES], nb, CL_MEM_WRITE_ONLY, 0, "codes", err)) ||
        (scale_k && mem_new(be, &b[QB_SCALE], (nscale ? nscale : 1) * 4u, CL_MEM_WRITE_ONLY, 0, "scale_k", err)) ||
        mem_new(be, &b[QB_CFG], sizeof cw, CL_MEM_READ_ONLY, 0, "cfg", err) ||
        mem_new(be, &b[QB_STATS], sizeof *st, CL_MEM_WRITE_ONLY, 0, "qstats", err))
        goto out;
    if ((nb && (e = clEnqueueWriteBuffer(be->q_xfer, b[QB_G], CL_TRUE, 0, nb, g, 0, NULL, NULL))) ||
        (e = clEnqueueWriteBuffer(be->q_xfer, b[QB_CFG], CL_TRUE, 0, sizeof cw, cw, 0, NULL, NULL))) {
        cl_fail(err, "clEnqueueWriteBuffer(g and cfg)", e, HINT_RES);
        goto out;
    }
    if (quant_enqueue(be, b, n, step, err))
        goto out;
    if ((nb && (e = clEnqueueReadBuffer(be->q_xfer, b[QB_GQ], CL_TRUE, 0, nb, gq, 0, NULL, NULL))) ||
        (codes && nb && (e = clEnqueueReadBuffer(be->q_xfer, b[QB_CODES], CL_TRUE, 0, nb, codes, 0, NULL, NULL))) ||
        (scale_k && nscale &&
         (e = clEnqueueReadBuffer(be->q_xfer, b[QB_SCALE], CL_TRUE, 0, nscale * 4u, scale_k, 0, NULL, NULL))) ||
        (e = clEnqueueReadBuffer(be->q_xfer, b[QB_STATS], CL_TRUE, 0, sizeof *st, st, 0, NULL, NULL))) {
        cl_fail(err, "clEnqueueReadBuffer(the quantizer's outputs)", e, HINT_RUN);
        goto out;
    }
    uint32_t w0;
    memcpy(&w0, st, 4); /* G2 is never a NaN: 0xFFFFFFFF is the kernel refusing the format */
    if (w0 == 0xFFFFFFFFu) {
        lp_fail(err, "opencl: lp_quantize_cl refused the format lpsgd accepted: the kernel source and lpsgd "
                     "disagree; rebuild lpsgd");
        goto out;
    }
    rc = 0;
out:
    for (int i = 0; i < QB_N; i++)
        mem_release(&b[i]);
    return rc;
}

static uint64_t opencl_cycles(lp_backend_t *be)
{
    (void)be;
    return 0;
}

/* ---- lpsgd devices ------------------------------------------------------------------- */

int lp_opencl_list(lp_opencl_dev_t *devs, int max, lp_err_t *err)
{
    pair_t all[MAXDEV];
    int n = all_devices(all, MAXDEV, err);
    for (int i = 0; i < n && i < max; i++) {
        lp_opencl_dev_t *d = &devs[i];
        memset(d, 0, sizeof *d);
        d->platform = all[i].pi;
        d->device = all[i].di;
        plat_str(all[i].p, CL_PLATFORM_NAME, d->platform_name, sizeof d->platform_name);
        dev_str(all[i].d, CL_DEVICE_NAME, d->device_name, sizeof d->device_name);
        dev_str(all[i].d, CL_DEVICE_VERSION, d->version, sizeof d->version);
        d->usable = qualifies(&all[i], d->why, sizeof d->why);
    }
    return n;
}

#define LP_OPENCL_SUMMARY                                                                                    \
    "an OpenCL device: PoCL (CPU) builds the kernels from source; XRT's platform loads the xclbin "              \
    "(--device P:D|NAME; docs/opencl.md)"

#else /* built without OpenCL: the backend exists and says what to install */

#ifdef LP_OPENCL_NO_SOURCE
#define LP_OPENCL_MISSING                                                                                        \
    "opencl: this lpsgd was built without OpenCL: the kernel source " LP_OPENCL_NO_SOURCE " is missing; "        \
    "restore it and rebuild with make"
#else
#define LP_OPENCL_MISSING                                                                                        \
    "opencl: this lpsgd was built without OpenCL. Install Debian's opencl-headers, ocl-icd-opencl-dev and "      \
    "pocl-opencl-icd (sudo make deps), then rebuild with make"
#endif

int lp_opencl_built(void) { return 0; }

static int opencl_open(lp_backend_t **be, const lp_backend_opts_t *opts, lp_err_t *err)
{
    (void)opts;
    *be = NULL;
    return lp_fail(err, LP_OPENCL_MISSING);
}

static void opencl_close(lp_backend_t *be) { (void)be; }

static int opencl_quantize(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                           uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err)
{
    (void)be, (void)cfg, (void)step, (void)g, (void)gq, (void)codes, (void)scale_k, (void)n, (void)st;
    return lp_fail(err, LP_OPENCL_MISSING);
}

static uint64_t opencl_cycles(lp_backend_t *be)
{
    (void)be;
    return 0;
}

int lp_opencl_list(lp_opencl_dev_t *devs, int max, lp_err_t *err)
{
    (void)devs, (void)max;
    return lp_fail(err, LP_OPENCL_MISSING);
}

/* The training entries exist so that train/theory/selftest reach open and its message. */
static int opencl_train_load(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    (void)be, (void)cfg, (void)model;
    return lp_fail(err, LP_OPENCL_MISSING);
}

static int opencl_train_submit(lp_backend_t *be, const uint32_t *data, uint32_t nsteps, uint32_t step0,
                               lp_err_t *err)
{
    (void)be, (void)data, (void)nsteps, (void)step0;
    return lp_fail(err, LP_OPENCL_MISSING);
}

static int opencl_train_wait(lp_backend_t *be, uint32_t *records, lp_err_t *err)
{
    (void)be, (void)records;
    return lp_fail(err, LP_OPENCL_MISSING);
}

static int opencl_train_read(lp_backend_t *be, float *model, lp_err_t *err)
{
    (void)be, (void)model;
    return lp_fail(err, LP_OPENCL_MISSING);
}

#define LP_OPENCL_SUMMARY                                                                                    \
    "an OpenCL device (not built in: install opencl-headers ocl-icd-opencl-dev pocl-opencl-icd and rebuild)"

#endif

/* One table for both builds: only the summary and the entries' bodies differ. */
const lp_backend_ops_t lp_backend_opencl = {
    .name = "opencl",
    .summary = LP_OPENCL_SUMMARY,
    .open = opencl_open,
    .close = opencl_close,
    .quantize = opencl_quantize,
    .cycles = opencl_cycles,
    .train_load = opencl_train_load,
    .train_submit = opencl_train_submit,
    .train_wait = opencl_train_wait,
    .train_read = opencl_train_read,
    .train_depth = LP_STREAM_SLOTS, /* lp_stream: two runs outstanding */
};
