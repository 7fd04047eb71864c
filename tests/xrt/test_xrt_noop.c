/*
 * test_xrt_noop.c - the xrt backend's whole host path through Debian's real XRT 2.13 on
 * XRT's noop shim (XCL_EMULATION_MODE=noop): xclbin load, kernel open, argument offsets
 * and memory groups, buffer objects, map, sync, runs, waits. The kernel computes nothing
 * there, so this checks the plumbing, never the numbers (docs/alveo.md says what only a
 * card shows). The xclbins are written by lp_xclbin_fixture.h from the register map, with
 * one CU or several (train_jobs across CUs).
 *
 * Errors that need another XRT set-up (no device, XILINX_XRT wrong) run in a child
 * process: XRT picks its shim once per process.
 */
#define _GNU_SOURCE 1 /* memmem */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/xrt.h"
#include "backend/xrt_run.h"
#include "cli/selftest.h"
#include "lp_test.h"
#include "lp_xclbin_fixture.h"
#include "sgd/lp_sgd.h"

static char dir[256], exe[4096];

static const char *fixture(const char *name, const lp_fixture_opts_t *o)
{
    static char path[8][512];
    static int next;
    char *p = path[next++ & 7];
    snprintf(p, 512, "%s/%s.xclbin", dir, name);
    if (lp_fixture_write(p, o) != 0) {
        printf("FAIL cannot write the fixture %s\n", p);
        exit(1);
    }
    return p;
}

/* Open the xrt backend; on failure returns NULL and the message in err. */
static lp_backend_t *open_xrt(const char *device, const char *xclbin, lp_err_t *err)
{
    const lp_backend_ops_t *ops = lp_backend_find("xrt", err);
    lp_backend_opts_t bo = {0};
    lp_backend_t *be = NULL;
    bo.device = device;
    bo.xclbin = xclbin;
    err->msg[0] = '\0';
    if (!ops || ops->open(&be, &bo, err) != 0)
        return NULL;
    return be;
}

static int contains(const char *text, const char *part) { return strstr(text, part) != NULL; }

/* Child mode: try to open; print the message; exit 0 when the open failed as expected. */
static int child_open(const char *device, const char *xclbin)
{
    lp_err_t err;
    lp_backend_t *be = open_xrt(device, xclbin, &err);
    if (be) {
        lp_backend_find("xrt", &err)->close(be);
        printf("opened\n");
        return 1;
    }
    printf("%s\n", err.msg);
    return 0;
}

/* Run this program as a child with an environment prefix; its stdout in out. */
static int run_child(const char *envprefix, const char *device, const char *xclbin, char *out, size_t size)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "env %s '%s' --child-open '%s' '%s' 2>&1", envprefix, exe, device, xclbin);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, size - 1, p) : 0;
    out[n] = '\0';
    return p ? pclose(p) : -1;
}

static void test_children(const char *good)
{
    char out[4096];
    int rc;
    rc = run_child("-u XCL_EMULATION_MODE", "ffff:ff:1f.7", good, out, sizeof out);
    LP_CASE("no device: a clear message", rc == 0 && contains(out, "xrtDeviceOpenByBDF(ffff:ff:1f.7) failed") &&
                                              contains(out, "lpsgd devices"),
            "rc %d, output: %s", rc, out);
    rc = run_child("XCL_EMULATION_MODE=noop XILINX_XRT=/nonexistent", "0", good, out, sizeof out);
    LP_CASE("XILINX_XRT without XRT's libraries: a message, no abort",
            rc == 0 && contains(out, "XILINX_XRT=/nonexistent has no lib/libxrt_noop.so.2"), "rc %d, output: %s",
            rc, out);
    rc = run_child("XCL_EMULATION_MODE=bogus", "0", good, out, sizeof out);
    LP_CASE("unknown XCL_EMULATION_MODE: a message, no abort",
            rc == 0 && contains(out, "XCL_EMULATION_MODE=bogus is not a mode XRT knows"), "rc %d, output: %s", rc,
            out);
}

static void test_offsets(const char *name, const char *path, int hbm)
{
    lp_err_t err;
    lp_backend_t *be = open_xrt("0", path, &err);
    char label[96];
    snprintf(label, sizeof label, "%s: device open, xclbin load, kernel open", name);
    LP_CASE(label, be != NULL, "open failed: %s", err.msg);
    if (!be)
        return;
    int ok = 1;
    for (unsigned i = 0; i < LP_SGD_NARGS; i++) {
        uint32_t off = 0;
        int grp = -2;
        int rc = lp_xrt_arg_info(be, i, &off, &grp, &err);
        int want = lp_sgd_args[i].is_pointer ? lp_fixture_bank(lp_sgd_args[i].bundle, hbm, 0, 1) : -1;
        LP_CHECK(rc == 0 && off == lp_sgd_args[i].offset && grp == want,
                 "%s arg %u (%s): offset 0x%X group %d, register map says 0x%X group %d (%s)", name, i,
                 lp_sgd_args[i].name, off, grp, lp_sgd_args[i].offset, want, rc ? err.msg : "");
        ok &= rc == 0 && off == lp_sgd_args[i].offset && grp == want;
    }
    snprintf(label, sizeof label, "%s: argument offsets and memory groups = lp_sgd_regmap.h", name);
    LP_CASE(label, ok, "see above");
    lp_backend_find("xrt", &err)->close(be);
}

static void test_streaming(const char *path)
{
    enum { CHUNKS = 12, MAXSTEPS = 16 };
    static const uint32_t steps[CHUNKS] = {1, 3, 8, 2, 5, 7, 1, 16, 4, 6, 2, 9};
    lp_err_t err;
    const lp_backend_ops_t *ops = lp_backend_find("xrt", &err);
    lp_selftest_job_t job;
    uint64_t started, completed;
    int ok = 1;

    if (lp_selftest_job(0, &job, &err) != 0) {
        printf("FAIL out of memory\n");
        return;
    }
    size_t rw = LP_SGD_ROW_WORDS(job.D), B = job.cfg[LP_CFG_BATCH], nmod = LP_SGD_MODEL_WORDS(job.K, job.D);
    uint32_t *data = calloc((size_t)MAXSTEPS * B * rw, 4), *rec = calloc((size_t)MAXSTEPS * LP_SGD_REC_WORDS, 4);
    float *back = calloc(nmod, 4);
    lp_backend_t *be = open_xrt("0", path, &err);
    LP_CHECK(be != NULL, "open: %s", err.msg);
    if (!be || !data || !rec || !back)
        goto out;
    LP_CASE("train_submit before train_load: refused", ops->train_submit(be, data, 1, 0, &err) != 0 &&
                                                          contains(err.msg, "before train_load"),
            "got: %s", err.msg);
    LP_CASE("train_load: cfg and model to the card, one LOAD run", ops->train_load(be, job.cfg, job.model, &err) == 0,
            "%s", err.msg);

    /* double buffering: chunk k+1 is filled, synced and queued while chunk k runs */
    uint32_t step0 = 0, waited = 0;
    for (unsigned k = 0; k < CHUNKS; k++) {
        for (size_t w = 0; w < (size_t)steps[k] * B * rw; w++)
            data[w] = (uint32_t)(k * 1000003u + w); /* the caller reuses its buffer at once */
        if (ops->train_submit(be, data, steps[k], step0, &err) != 0) {
            ok = 0;
            printf("FAIL submit %u: %s\n", k, err.msg);
        }
        step0 += steps[k];
        if (k == 1) /* chunks 0 and 1 are outstanding: a third is refused */
            LP_CASE("a third outstanding run is refused with a message",
                    ops->train_submit(be, data, 1, step0, &err) != 0 && contains(err.msg, "outstanding"), "got: %s",
                    err.msg);
        if (k >= 1) { /* two outstanding: wait for the older, then fill the next */
            if (ops->train_wait(be, rec, &err) != 0) {
                ok = 0;
                printf("FAIL wait %u: %s\n", waited, err.msg);
            }
            waited++;
        }
    }
    while (ops->train_wait(be, rec, &err) == 0)
        waited++;
    LP_CHECK(contains(err.msg, "without a submitted run"), "drain ended with: %s", err.msg);
    LP_CASE("train_read: the model back from the card (noop: the bytes loaded)",
            ops->train_read(be, back, &err) == 0 && memcmp(back, job.model, nmod * 4) == 0, "%s", err.msg);
    lp_xrt_run_counts(be, &started, &completed);
    LP_CASE("double-buffered streaming: every run started completed",
            ok && waited == CHUNKS && started == completed && started == CHUNKS + 2, "started %llu, completed %llu",
            (unsigned long long)started, (unsigned long long)completed);
    LP_CASE("quantize: a clear 'use csim or verilator'",
            ops->quantize(be, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, &err) != 0 && contains(err.msg, "csim"),
            "got: %s", err.msg);
    ops->close(be);
    be = NULL;

    /* load, one chunk, read: the read runs on the slot no chunk has used yet */
    be = open_xrt("0", path, &err);
    LP_CASE("load, one chunk, read (the read on a fresh slot)",
            be && ops->train_load(be, job.cfg, job.model, &err) == 0 &&
                ops->train_submit(be, job.data, job.steps, 0, &err) == 0 && ops->train_wait(be, rec, &err) == 0 &&
                ops->train_read(be, back, &err) == 0,
            "%s", err.msg);
    if (be)
        ops->close(be);
    be = NULL;

    /* every selftest job through the generic driver, one and two runs in flight */
    for (unsigned depth = 1; depth <= 2; depth++)
        for (unsigned j = 0; j < LP_SELFTEST_NJOBS; j++) {
            lp_selftest_job_t t;
            char label[96];
            if (lp_selftest_job(j, &t, &err) != 0)
                continue;
            size_t n = LP_SGD_MODEL_WORDS(t.K, t.D);
            uint32_t *r = calloc((size_t)t.chunks * t.steps * LP_SGD_REC_WORDS, 4);
            float *m = calloc(n, 4);
            lp_backend_t *b2 = open_xrt("0", path, &err);
            int rc = b2 && r && m ? lp_selftest_run(ops, b2, &t, depth, r, m, &err) : -1;
            snprintf(label, sizeof label, "selftest job %u, %u in flight: load, %u chunks, read", j + 1, depth,
                     t.chunks);
            LP_CASE(label, rc == 0 && memcmp(m, t.model, n * 4) == 0, "%s", err.msg);
            if (b2)
                ops->close(b2);
            free(r), free(m);
            lp_selftest_job_free(&t);
        }
out:
    if (be)
        ops->close(be);
    free(data), free(rec), free(back);
    lp_selftest_job_free(&job);
}

/*
 * Several CUs (fixture xclbins with lp_sgd_1..N, banks as the constraints/ configs place them):
 * every CU opened with its own memory groups, independent jobs dispatched by train_jobs,
 * every CU given runs, never more than one run in flight on a CU, all CUs running at once,
 * and each job's records and model byte for byte those of the single-CU path
 * (lp_selftest_run on the one-CU xclbin). On the noop shim the kernel computes nothing:
 * the model read back is the model loaded and the records are the zeroed buffers, so this
 * shows that every job's bytes reach its own buffers on its own CU and come back to it,
 * not that a CU computes them (that needs a card: lpsgd selftest compares with csim there).
 */
enum { MJOBS = 2 * LP_SELFTEST_NJOBS };

typedef struct {
    lp_selftest_job_t sj[MJOBS];
    lp_train_job_t tj[MJOBS];
} mjobs_t;

/* Every selftest job twice; the second round's models made different from the first's. */
static int mjobs_make(mjobs_t *m)
{
    lp_err_t err;
    memset(m, 0, sizeof *m);
    for (unsigned j = 0; j < MJOBS; j++) {
        lp_selftest_job_t *b = &m->sj[j];
        if (lp_selftest_job(j % LP_SELFTEST_NJOBS, b, &err) != 0)
            return -1;
        size_t nmod = LP_SGD_MODEL_WORDS(b->K, b->D);
        for (size_t w = 0; j >= LP_SELFTEST_NJOBS && w < nmod; w++)
            b->model[w] += 0.25f * (float)(w % 7 + 1);
        m->tj[j] = (lp_train_job_t){b->cfg, b->model, b->data, b->chunks, b->steps, NULL, NULL, 99};
        m->tj[j].records = calloc((size_t)b->chunks * b->steps * LP_SGD_REC_WORDS, 4);
        m->tj[j].model_out = calloc(nmod, 4);
        if (!m->tj[j].records || !m->tj[j].model_out)
            return -1;
    }
    return 0;
}

static void mjobs_free(mjobs_t *m)
{
    for (unsigned j = 0; j < MJOBS; j++)
        free(m->tj[j].records), free(m->tj[j].model_out), lp_selftest_job_free(&m->sj[j]);
}

/* Each job's outputs against lp_selftest_run of the same job on the one-CU xclbin. */
static int same_as_single(const char *single, mjobs_t *m)
{
    lp_err_t err;
    const lp_backend_ops_t *ops = lp_backend_find("xrt", &err);
    int same = 1;
    for (unsigned j = 0; j < MJOBS && same; j++) {
        const lp_selftest_job_t *b = &m->sj[j];
        size_t nrec = (size_t)b->chunks * b->steps * LP_SGD_REC_WORDS, nmod = LP_SGD_MODEL_WORDS(b->K, b->D);
        uint32_t *r = calloc(nrec, 4);
        float *mo = calloc(nmod, 4);
        lp_backend_t *be = open_xrt("0", single, &err);
        same = be && r && mo && lp_selftest_run(ops, be, b, 1, r, mo, &err) == 0 &&
               !memcmp(r, m->tj[j].records, nrec * 4) && !memcmp(mo, m->tj[j].model_out, nmod * 4) &&
               !memcmp(mo, b->model, nmod * 4);
        LP_CHECK(same, "job %u: %s", j + 1, err.msg);
        if (be)
            ops->close(be);
        free(r), free(mo);
    }
    return same;
}

static void test_multi_cu(const char *name, const char *path, int hbm, unsigned ncu, const char *single)
{
    lp_err_t err;
    const lp_backend_ops_t *ops = lp_backend_find("xrt", &err);
    lp_xrt_cu_info_t ci[8];
    char label[160];
    mjobs_t m;
    lp_backend_t *be = open_xrt("0", path, &err);
    unsigned n = be ? lp_xrt_cu_info(be, 0, &ci[0]) : 0, groups_ok = n == ncu && ops->units(be) == ncu;
    for (unsigned c = 0; c < n && c < 8; c++) {
        char want[72];
        lp_xrt_cu_info(be, c, &ci[c]);
        snprintf(want, sizeof want, "lp_sgd:lp_sgd_%u", c + 1);
        groups_ok &= !strcmp(ci[c].name, want);
        for (unsigned a = 0; a < LP_SGD_NARGS; a++)
            groups_ok &= ci[c].group[a] == (lp_sgd_args[a].is_pointer
                                                 ? lp_fixture_bank(lp_sgd_args[a].bundle, hbm, (int)c, (int)ncu)
                                                 : -1);
    }
    snprintf(label, sizeof label, "%s: %u CUs opened, each with the memory groups of its own banks", name, ncu);
    LP_CASE(label, be && groups_ok, "%u CUs; %s", n, be ? "" : err.msg);
    if (!be || mjobs_make(&m) != 0) {
        if (be)
            ops->close(be);
        return;
    }
    int rc = ops->train_jobs(be, m.tj, MJOBS, &err);
    unsigned used = 0, peak = 0, fair = 1;
    uint64_t started, completed;
    for (unsigned j = 0; j < MJOBS; j++)
        used |= m.tj[j].unit < ncu ? 1u << m.tj[j].unit : 0;
    for (unsigned c = 0; c < ncu; c++) {
        lp_xrt_cu_info(be, c, &ci[c]);
        peak = ci[c].peak > peak ? ci[c].peak : peak;
        fair &= ci[c].started > 0 && ci[c].started == ci[c].completed;
    }
    lp_xrt_run_counts(be, &started, &completed);
    snprintf(label, sizeof label, "%s: %d jobs through train_jobs, every CU ran jobs and runs", name, MJOBS);
    LP_CASE(label, rc == 0 && used == (1u << ncu) - 1 && fair && started == completed, "rc %d used 0x%X: %s", rc,
            used, err.msg);
    snprintf(label, sizeof label, "%s: one run in flight per CU, all %u CUs running at once", name, ncu);
    LP_CASE(label, rc == 0 && peak == 1 && ci[0].at_once == ncu, "peak %u, at once %u", peak, ci[0].at_once);
    snprintf(label, sizeof label, "%s: every job's records and model = the single-CU path's, byte for byte", name);
    LP_CASE(label, rc == 0 && same_as_single(single, &m), "see above");
    /* the single-CU entries still work on CU 1, and train_jobs refuses to run beside them */
    int refused = ops->train_load(be, m.sj[0].cfg, m.sj[0].model, &err) == 0 &&
                  ops->train_submit(be, m.sj[0].data, m.sj[0].steps, 0, &err) == 0 &&
                  ops->train_jobs(be, m.tj, 1, &err) != 0 && contains(err.msg, "outstanding");
    snprintf(label, sizeof label, "%s: train_jobs while a train_submit run is outstanding: refused", name);
    LP_CASE(label, refused && ops->train_wait(be, m.tj[0].records, &err) == 0, "%s", err.msg);
    ops->close(be);
    mjobs_free(&m);
}

/*
 * A run that never finishes (pretended: on the noop shim every run completes): aborted
 * together with every run on the card, on one CU or across CUs during train_jobs. An
 * abort XRT confirms frees the way to a new load; one it does not confirm wedges the
 * backend, which then refuses every run and keeps the buffers at close.
 */
static void test_timeouts(const char *one, const char *four)
{
    lp_err_t err;
    const lp_backend_ops_t *ops = lp_backend_find("xrt", &err);
    mjobs_t m;
    if (mjobs_make(&m) != 0)
        return;
    const lp_selftest_job_t *j = &m.sj[0];
    lp_backend_t *be = open_xrt("0", one, &err);
    int ok = be && ops->train_load(be, j->cfg, j->model, &err) == 0 &&
             ops->train_submit(be, j->data, j->steps, 0, &err) == 0 &&
             ops->train_submit(be, j->data, j->steps, j->steps, &err) == 0;
    lp_xrt_test_pretend(3 /* ERT_CMD_STATE_RUNNING */, 0); /* the abort is XRT's own */
    int rc = ok ? ops->train_wait(be, m.tj[0].records, &err) : 0;
    lp_xrt_test_pretend(0, 0);
    LP_CASE("a run past the timeout: aborted with the other run, confirmed, the CU named",
            ok && rc != 0 && contains(err.msg, "CU lp_sgd:lp_sgd_1 did not finish within") &&
                contains(err.msg, "confirmed stopped (XRT says") && contains(err.msg, "Load the model again"),
            "%s", err.msg);
    rc = be ? ops->train_submit(be, j->data, j->steps, 0, &err) : 0;
    LP_CASE("after a confirmed abort: the model must be loaded again, then runs go on",
            be && rc != 0 && contains(err.msg, "before train_load") &&
                ops->train_load(be, j->cfg, j->model, &err) == 0,
            "%s", err.msg);
    if (be)
        ops->close(be);

    unsigned kept = lp_xrt_buffers_kept();
    be = open_xrt("0", four, &err);
    lp_xrt_test_pretend(3, LP_XRUN_ABORT_PENDING);
    rc = be ? ops->train_jobs(be, m.tj, MJOBS, &err) : 0;
    lp_xrt_test_pretend(0, 0);
    LP_CASE("train_jobs, a run past the timeout, abort not confirmed: the backend is wedged",
            be && rc != 0 && contains(err.msg, "did not finish within") && contains(err.msg, "not confirmed") &&
                contains(err.msg, "runs nothing more"),
            "%s", err.msg);
    rc = be ? ops->train_load(be, j->cfg, j->model, &err) : 0;
    LP_CASE("a wedged backend refuses every run", rc != 0 && contains(err.msg, "did not stop after a timeout"),
            "%s", err.msg);
    if (be)
        ops->close(be);
    LP_CASE("close keeps the buffers of the 4 CUs' runs that may still write them (freed at exit)",
            lp_xrt_buffers_kept() >= kept + 4 * 2 + 4 * 2, "kept %u -> %u", kept, lp_xrt_buffers_kept());
    mjobs_free(&m);
}

/* LPSGD_XRT_CU=n (what lpsgd sweep gives each job it runs at once): only CU n opened. */
static void test_one_cu(const char *four, const char *one)
{
    lp_err_t err;
    const lp_backend_ops_t *ops = lp_backend_find("xrt", &err);
    lp_xrt_cu_info_t ci;
    lp_selftest_job_t job;
    LP_CASE("the xclbin's CU count without XRT: 4, 1, and 1 for a file that cannot be read",
            lp_xrt_xclbin_cus(four) == 4 && lp_xrt_xclbin_cus(one) == 1 &&
                lp_xrt_xclbin_cus("/nonexistent.xclbin") == 1,
            "%u %u", lp_xrt_xclbin_cus(four), lp_xrt_xclbin_cus(one));
    if (lp_selftest_job(1, &job, &err) != 0)
        return;
    size_t nrec = (size_t)job.chunks * job.steps * LP_SGD_REC_WORDS, nmod = LP_SGD_MODEL_WORDS(job.K, job.D);
    uint32_t *r = calloc(nrec, 4);
    float *m = calloc(nmod, 4);
    setenv("LPSGD_XRT_CU", "3", 1);
    lp_backend_t *be = open_xrt("0", four, &err);
    unsigned n = be ? lp_xrt_cu_info(be, 0, &ci) : 0;
    int groups = 1;
    for (unsigned a = 0; a < LP_SGD_NARGS; a++)
        groups &= ci.group[a] == (lp_sgd_args[a].is_pointer ? 2 : -1); /* CU 3's bank (index 2) */
    LP_CASE("LPSGD_XRT_CU=3: only lp_sgd:lp_sgd_3 opened, on its own bank, and a job runs there",
            be && n == 1 && !strcmp(ci.name, "lp_sgd:lp_sgd_3") && groups && r && m &&
                lp_selftest_run(ops, be, &job, 2, r, m, &err) == 0 && !memcmp(m, job.model, nmod * 4),
            "n %u name %s: %s", n, ci.name, err.msg);
    if (be)
        ops->close(be);
    setenv("LPSGD_XRT_CU", "5", 1);
    be = open_xrt("0", four, &err);
    LP_CASE("LPSGD_XRT_CU=5 on 4 CUs: refused with the range",
            !be && contains(err.msg, "LPSGD_XRT_CU=5: the xclbin has 4 compute unit(s)"), "%s", err.msg);
    if (be)
        ops->close(be);
    unsetenv("LPSGD_XRT_CU");
    free(r), free(m);
    lp_selftest_job_free(&job);
}

/* What the kernel's status register and the buffers' device addresses say (pretended:
 * the noop shim's kernel computes nothing, XRT's buffers are 4 KiB-aligned). */
static void test_status(const char *path)
{
    lp_err_t err;
    const lp_backend_ops_t *ops = lp_backend_find("xrt", &err);
    lp_selftest_job_t job;
    if (lp_selftest_job(0, &job, &err) != 0)
        return;
    uint32_t *rec = calloc((size_t)job.steps * LP_SGD_REC_WORDS, 4);
    lp_backend_t *be = open_xrt("0", path, &err);
    int loaded = be && ops->train_load(be, job.cfg, job.model, &err) == 0;
    LP_CHECK(loaded, "load: %s", err.msg);
    lp_xrt_test_pretend_kernel(LP_SGD_ST_GMEM0_RD | 2u << LP_SGD_ST_RESP_SHIFT(0) | LP_SGD_ST_GMEM1_WR |
                                   3u << LP_SGD_ST_RESP_SHIFT(2),
                               0);
    int rc = loaded ? ops->train_submit(be, job.data, job.steps, 0, &err) : -1;
    rc = rc == 0 ? ops->train_wait(be, rec, &err) : 0;
    lp_xrt_test_pretend_kernel(0, 0);
    LP_CASE("a run whose status register reports SLVERR and DECERR fails with both named",
            rc != 0 && contains(err.msg, "gmem0 read (minibatch rows) answered SLVERR") &&
                contains(err.msg, "gmem1 write (records, model store) answered DECERR") &&
                contains(err.msg, "not usable"),
            "rc %d: %s", rc, err.msg);
    if (be)
        ops->close(be);
    lp_xrt_test_pretend_kernel(0, 8);
    be = open_xrt("0", path, &err);
    rc = be ? ops->train_load(be, job.cfg, job.model, &err) : 0;
    lp_xrt_test_pretend_kernel(0, 0);
    LP_CASE("a buffer at a device address not 64-byte aligned is refused before any run",
            rc != 0 && contains(err.msg, "the cfg buffer's device address") && contains(err.msg, "not 64-byte aligned"),
            "rc %d: %s", rc, err.msg);
    if (be)
        ops->close(be);
    free(rec);
    lp_selftest_job_free(&job);
}

static void test_errors(void)
{
    lp_fixture_opts_t o = {0};
    lp_err_t err;
    lp_backend_t *be;

    o.kernel = "other_kernel";
    be = open_xrt("0", fixture("other", &o), &err);
    LP_CASE("missing kernel: names the call and what to do",
            !be && contains(err.msg, "xrtPLKernelOpen(lp_sgd)") && contains(err.msg, "No such kernel") &&
                contains(err.msg, "make xclbin"),
            "got: %s", err.msg);
    memset(&o, 0, sizeof o);
    o.bad_magic = 1;
    be = open_xrt("0", fixture("magic", &o), &err);
    LP_CASE("not an xclbin: refused before XRT sees it", !be && contains(err.msg, "is not an xclbin"), "got: %s",
            err.msg);
    memset(&o, 0, sizeof o);
    o.truncate = 700;
    o.uuid_seed = 3;
    be = open_xrt("0", fixture("truncated", &o), &err);
    LP_CASE("truncated xclbin: refused with both sizes", !be && contains(err.msg, "is truncated or damaged") &&
                                                             contains(err.msg, "the file has 700"),
            "got: %s", err.msg);
    memset(&o, 0, sizeof o);
    o.kernel = "lp_sgd"; /* the right kernel, but XML that XRT cannot parse */
    o.uuid_seed = 7;
    {
        const char *p = fixture("badxml", &o);
        FILE *f = fopen(p, "r+b");
        char buf[1 << 16];
        size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
        char *x = n ? memmem(buf, n, "<project", 8) : NULL;
        if (x && fseek(f, (long)(x - buf), SEEK_SET) == 0)
            fwrite("<projekt", 1, 8, f); /* XRT no longer finds the kernels in the metadata */
        if (f)
            fclose(f);
        be = open_xrt("0", p, &err);
    }
    LP_CASE("metadata XRT cannot use: XRT's own message, the call named", !be && contains(err.msg, "failed: ") &&
                                                                             contains(err.msg, "xrt: xrt"),
            "got: %s", err.msg);
    if (be)
        lp_backend_find("xrt", &err)->close(be);
    memset(&o, 0, sizeof o);
    o.bad_offset = 1;
    o.uuid_seed = 5;
    be = open_xrt("0", fixture("offset", &o), &err);
    LP_CASE("argument at another offset: the xclbin of another kernel version",
            !be && contains(err.msg, "argument 1 (model) at offset 0x20") && contains(err.msg, "expects 0x1C"),
            "got: %s", err.msg);
    be = open_xrt("0", "/nonexistent/lp_sgd.xclbin", &err);
    LP_CASE("no xclbin file: says how to build one", !be && contains(err.msg, "cannot read the xclbin"), "got: %s",
            err.msg);
    be = open_xrt("card7", fixture("good2", &o), &err);
    LP_CASE("--device neither index nor BDF", !be && contains(err.msg, "neither a card index"), "got: %s", err.msg);
    if (be)
        lp_backend_find("xrt", &err)->close(be);
}

static void test_list(void)
{
    lp_xrt_card_t cards[4];
    char env[512];
    lp_err_t err;
    int n = lp_xrt_list(cards, 4, env, sizeof env, &err);
    LP_CASE("lp_xrt_list on the noop shim: one device, environment named",
            n == 1 && contains(env, "XCL_EMULATION_MODE=noop") && contains(env, "XILINX_XRT="), "n %d env %s %s",
            n, env, n < 0 ? err.msg : "");
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--child-open"))
        return child_open(argv[2], argv[3]);
    if (!lp_xrt_built()) {
        LP_SKIP("xrt backend on the noop shim: this build has no XRT (install libxrt-dev uuid-dev: scripts/deps.sh test)");
        return lp_test_summary();
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    snprintf(dir, sizeof dir, "%s/lpsgd-xrt-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        printf("FAIL cannot make a temporary directory\n");
        return 1;
    }
    lp_fixture_opts_t ddr = {0}, hbm = {0};
    hbm.hbm = 1;
    hbm.uuid_seed = 1;
    const char *good = fixture("u250", &ddr), *good_hbm = fixture("u55c", &hbm);

    test_children(good);
    setenv("XCL_EMULATION_MODE", "noop", 1);
    test_list();
    test_offsets("U250 (DDR banks)", good, 0);
    test_offsets("U55C (HBM pseudo-channels)", good_hbm, 1);
    test_streaming(good);
    lp_fixture_opts_t four = {0}, two = {0};
    four.ncu = 4, four.uuid_seed = 11;
    two.ncu = 2, two.hbm = 1, two.uuid_seed = 12;
    test_multi_cu("4 CUs on DDR (U250-like)", fixture("u250x4", &four), 0, 4, good);
    test_multi_cu("2 CUs on HBM (U280/U55C-like)", fixture("u55cx2", &two), 1, 2, good_hbm);
    test_timeouts(good, fixture("u250x4", &four));
    test_one_cu(fixture("u250x4", &four), good);
    test_status(good);
    test_errors();

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return lp_test_summary();
}
