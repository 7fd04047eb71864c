/*
 * cmd_selftest.c - `lpsgd selftest [--backend B]`: a few short SGD jobs on a backend (an
 * Alveo card by default), every step record and the final model compared bit for bit
 * with the C model (csim). Ends with one line, TEST PASSED or TEST FAILED, as the
 * Vitis_Accel_Examples hosts do; on XRT's noop shim, where the kernel computes nothing,
 * with a line that says nothing was compared (exit LP_SELFTEST_NOT_COMPARED), never PASSED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend/xrt.h"
#include "cli.h"
#include "format/lp_bits.h"
#include "format/lp_format.h"
#include "selftest.h"
#include "train/train.h"

/* ---- the jobs: cfg blocks and rows straight in the kernel's ABI ----------------------- */

typedef struct {
    const char *what;
    uint32_t model, K, d, B, sched, fmt, rounding, scale, compensate, chunks, steps;
    float lr, gamma, lambda;
} job_spec_t;

static const job_spec_t specs[LP_SELFTEST_NJOBS] = {
    {"lsq      fp8_e4m3 RNE    const lr", LP_MODEL_LSQ, 1, 20, 8, LP_SCHED_CONST, LP_FMT_FP8_E4M3, LP_ROUND_RNE,
     LP_SCALE_NONE, 0, 3, 4, 0.05f, 0.0f, 0.0f},
    {"softmax  fp4_e2m1 SR     inverse, compensate", LP_MODEL_SOFTMAX, 4, 40, 8, LP_SCHED_INVERSE,
     LP_FMT_FP4_E2M1, LP_ROUND_SR, LP_SCALE_NONE, 1, 4, 3, 2.0f, 10.0f, 1e-4f},
    {"logistic bf16     RTZ    halving, block32", LP_MODEL_LOGISTIC, 1, 60, 16, LP_SCHED_HALVING, LP_FMT_BF16,
     LP_ROUND_RTZ, LP_SCALE_BLOCK32, 0, 2, 5, 0.5f, 0.0f, 1e-3f},
    {"hinge    fp6_e3m2 RNE    const, tensor scale", LP_MODEL_HINGE, 1, 30, 4, LP_SCHED_CONST, LP_FMT_FP6_E3M2,
     LP_ROUND_RNE, LP_SCALE_TENSOR, 0, 3, 2, 0.1f, 0.0f, 1e-2f},
};

#define f2u lp_f32_bits /* a label or feature as the row's FP32 bits */

/* xorshift32: the jobs' data, reproducible on every host */
static uint32_t next(uint32_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
    return *s;
}

/* a value in [-2, 2) with at most 12 significant bits: exact in FP32 */
static float small(uint32_t *s) { return (float)((int32_t)(next(s) >> 20) - 2048) / 1024.0f; }

size_t lp_selftest_chunk_words(const lp_selftest_job_t *job)
{
    return (size_t)job->steps * job->cfg[LP_CFG_BATCH] * LP_SGD_ROW_WORDS(job->D);
}

int lp_selftest_job(unsigned j, lp_selftest_job_t *job, lp_err_t *err)
{
    const job_spec_t *sp = &specs[j];
    uint32_t s = 0x9E3779B9u ^ (j * 0x85EBCA6Bu);
    lp_train_opts_t o;
    lp_data_t shape; /* the data's shape only: lp_train_make_cfg reads no rows */
    memset(job, 0, sizeof *job);
    memset(&shape, 0, sizeof shape);
    lp_train_opts_default(&o);
    o.model = sp->model;
    o.q = lp_qcfg_default(lp_format_preset((int)sp->fmt));
    o.q.rounding = (uint8_t)sp->rounding;
    o.q.scale = (uint8_t)sp->scale;
    o.q.seed = 1234u + j;
    o.sched = sp->sched;
    o.lr = sp->lr;
    o.gamma = sp->gamma;
    o.period = 3;
    o.batch = sp->B;
    o.lambda = sp->lambda;
    o.compensate = (int)sp->compensate;
    snprintf(shape.name, sizeof shape.name, "selftest job %u", j + 1);
    shape.train.n = sp->chunks * sp->steps * sp->B;
    shape.train.d = sp->d;
    shape.train.task = sp->model == LP_MODEL_LSQ ? LP_TASK_REGRESSION : LP_TASK_CLASSIFICATION;
    shape.train.classes = sp->model == LP_MODEL_LSQ ? 0 : sp->model == LP_MODEL_SOFTMAX ? sp->K : 2;
    if (lp_train_make_cfg(&o, &shape, job->cfg, err) != 0)
        return -1;
    job->what = sp->what;
    job->K = job->cfg[LP_CFG_K];
    job->D = job->cfg[LP_CFG_D];
    job->chunks = sp->chunks;
    job->steps = sp->steps;

    size_t rows = (size_t)sp->chunks * sp->steps * sp->B, rw = LP_SGD_ROW_WORDS(job->D);
    job->data = calloc(rows * rw, 4);
    job->model = calloc(LP_SGD_MODEL_WORDS(sp->K, job->D), 4);
    if (!job->data || !job->model) {
        lp_selftest_job_free(job);
        return lp_fail(err, "out of memory");
    }
    for (size_t r = 0; r < rows; r++) {
        uint32_t *row = job->data + r * rw;
        float y = sp->model == LP_MODEL_LSQ       ? small(&s)
                  : sp->model == LP_MODEL_SOFTMAX ? (float)(next(&s) % sp->K)
                                                  : (float)(next(&s) & 1);
        row[0] = f2u(y);
        for (uint32_t i = 0; i < sp->d; i++)
            row[LP_SGD_LANES + i] = f2u(small(&s));
        row[LP_SGD_LANES + sp->d] = f2u(1.0f); /* the bias input */
    }
    for (uint32_t i = 0; i < sp->K * job->D; i++) /* a small start away from 0 */
        if (i % job->D <= sp->d)
            job->model[i] = small(&s) / 64.0f;
    job->model[sp->K * job->D] = 1.0f; /* state word 0: q_hat starts at 1 */
    return 0;
}

void lp_selftest_job_free(lp_selftest_job_t *job)
{
    free(job->data);
    free(job->model);
    job->data = NULL;
    job->model = NULL;
}

int lp_selftest_run(const lp_backend_ops_t *ops, lp_backend_t *be, const lp_selftest_job_t *job, unsigned depth,
                    uint32_t *records, float *model, lp_err_t *err)
{
    size_t cw = lp_selftest_chunk_words(job);
    unsigned waited = 0;
    if (!ops->train_load)
        return lp_fail(err, "backend %s cannot train yet", ops->name);
    if (ops->train_load(be, job->cfg, job->model, err) != 0)
        return -1;
    for (unsigned k = 0; k < job->chunks; k++) {
        if (k - waited >= depth) {
            if (ops->train_wait(be, records + (size_t)waited * job->steps * LP_SGD_REC_WORDS, err) != 0)
                return -1;
            waited++;
        }
        if (ops->train_submit(be, job->data + k * cw, job->steps, k * job->steps, err) != 0)
            return -1;
    }
    for (; waited < job->chunks; waited++)
        if (ops->train_wait(be, records + (size_t)waited * job->steps * LP_SGD_REC_WORDS, err) != 0)
            return -1;
    return ops->train_read(be, model, err);
}

/* ---- the command ------------------------------------------------------------------- */

static const char *const rec_fields[LP_SGD_REC_WORDS] = {
    "step", "lr", "G2", "Q2", "E2", "GE", "n", "underflow", "saturated", "subnormal", "nan", "inf", "q_hat", "loss",
    "correct", "scale_k"};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lpsgd selftest [--backend xrt|opencl|csim|...] [--device D] [--xclbin FILE] [--depth 1|2]\n\n"
            "Runs %d short SGD jobs (every model; fp8, fp4, bf16, fp6; RNE, RTZ and stochastic\n"
            "rounding; the three schedules; compensation; tensor and block scaling) on the backend\n"
            "and on the C model (csim), and compares every step record and the final model bit\n"
            "for bit. Ends with TEST PASSED (exit 0) or TEST FAILED (exit 1); a backend that cannot\n"
            "start (no card, no xclbin) gives one message and exit 2.\n\n"
            "  --backend B    the backend to check (default xrt: an Alveo card; opencl: an OpenCL\n"
            "                 device, docs/opencl.md)\n"
            "  --device D     xrt: card index or PCIe address (lpsgd devices lists them; default 0);\n"
            "                 opencl: P:D indices or a piece of the platform or device name\n"
            "  --xclbin F     xrt, opencl on XRT's platform: the xclbin (default: lp_sgd.xclbin next\n"
            "                 to lpsgd, which make xclbin TARGET=hw PLATFORM=... links there)\n"
            "  --depth N      runs in flight: 1 (default) or 2 (double buffering; xrt, opencl, vcard)\n"
            "  --card C, --cus N, --pcie P\n"
            "                 vcard (the simulated Alveo card, docs/vcard.md): the card (u250, u280,\n"
            "                 u55c), its compute units (default: all of constraints/C.cfg) and the\n"
            "                 PCIe model (gen3x16, gen4x8). Its CUs hold the Classes = 1 and 16\n"
            "                 kernels (softmax on the 16-class one); a build without the 16-class\n"
            "                 one (make LP_VKERNEL_BUILDS=1) SKIPs the softmax job with the reason\n\n"
            "An xclbin with several compute units (lp_sgd_1, lp_sgd_2, ...: constraints/u250.cfg) runs\n"
            "the jobs all at once, one per CU and one run in flight per CU (--depth does not apply),\n"
            "and each job's line names its CU.\n\n"
            "Under XCL_EMULATION_MODE=noop (XRT's noop shim, no card) the whole host path runs\n"
            "but the kernel computes nothing, so nothing is compared: it ends with \"host path ran\n"
            "on XRT's noop shim; no kernel result compared (needs an Alveo card)\" and exit %d,\n"
            "never TEST PASSED (docs/alveo.md).\n",
            LP_SELFTEST_NJOBS, LP_SELFTEST_NOT_COMPARED);
}

/* Compares one job's records and model; prints "identical" or the first difference. 0: same. */
static int compare_job(const char *backend, const uint32_t *r0, const uint32_t *r1, size_t nrec, const float *m0,
                       const float *m1, size_t nmod)
{
    for (size_t w = 0; w < nrec; w++)
        if (r0[w] != r1[w]) {
            printf("DIFFER\n    step %zu record word %zu (%s): csim 0x%08X, %s 0x%08X\n", w / LP_SGD_REC_WORDS,
                   w % LP_SGD_REC_WORDS, rec_fields[w % LP_SGD_REC_WORDS], r0[w], backend, r1[w]);
            return 1;
        }
    for (size_t w = 0; w < nmod; w++)
        if (memcmp(&m0[w], &m1[w], 4) != 0) {
            uint32_t a, b;
            memcpy(&a, &m0[w], 4);
            memcpy(&b, &m1[w], 4);
            printf("DIFFER\n    model word %zu: csim 0x%08X, %s 0x%08X\n", w, a, backend, b);
            return 1;
        }
    printf("%zu record + %zu model words identical\n", nrec, nmod);
    return 0;
}

/*
 * Job j on the reference and on the backend under test (done: the backend's results of
 * this job, already run by train_jobs on unit done->unit). Returns -1 when a run did not
 * complete (message on stderr), else 0 (same bits or not compared), 1 (a difference) or 2
 * (skipped: the backend cannot run this job, backend.h unsupported; the line says why).
 */
static int run_job(unsigned j, const lp_backend_ops_t *ref, lp_backend_t *rbe, const lp_backend_ops_t *dut,
                   lp_backend_t *dbe, const char *backend, unsigned depth, int noop, const lp_train_job_t *done)
{
    lp_selftest_job_t job;
    lp_err_t err;
    int rc = -1;
    if (lp_selftest_job(j, &job, &err) != 0) {
        fprintf(stderr, "lpsgd selftest: job %u: %s\n", j + 1, err.msg);
        return -1;
    }
    const char *why = done || !dut->unsupported ? NULL : dut->unsupported(dbe, job.cfg);
    if (why) { /* a job the backend cannot run: said so, counted as skipped, never as a pass */
        printf("  job %u  %-44s %2u x %u steps  SKIPPED: %s\n", j + 1, job.what, job.chunks, job.steps, why);
        lp_selftest_job_free(&job);
        return 2;
    }
    size_t nrec = (size_t)job.chunks * job.steps * LP_SGD_REC_WORDS;
    size_t nmod = LP_SGD_MODEL_WORDS(job.K, job.D);
    uint32_t *r0 = calloc(nrec, 4), *r1 = calloc(nrec, 4);
    float *m0 = calloc(nmod, 4), *m1 = calloc(nmod, 4);
    if (!r0 || !r1 || !m0 || !m1) {
        fprintf(stderr, "lpsgd selftest: out of memory\n");
    } else if (lp_selftest_run(ref, rbe, &job, 1, r0, m0, &err) != 0 ||
               (!done && lp_selftest_run(dut, dbe, &job, depth, r1, m1, &err) != 0)) {
        fprintf(stderr, "lpsgd selftest: job %u: %s\n", j + 1, err.msg);
    } else {
        if (done)
            memcpy(r1, done->records, nrec * 4), memcpy(m1, done->model_out, nmod * 4);
        printf("  job %u  %-44s %2u x %u steps  ", j + 1, job.what, job.chunks, job.steps);
        if (done)
            printf("CU %u  ", done->unit + 1);
        if (noop) {
            printf("host path ran (noop: not compared)\n");
            rc = 0;
        } else {
            rc = compare_job(backend, r0, r1, nrec, m0, m1, nmod);
        }
    }
    free(r0), free(r1), free(m0), free(m1);
    lp_selftest_job_free(&job);
    return rc;
}

/*
 * A backend with several compute units: every job at once through train_jobs (one run in
 * flight per unit), then each compared with csim as run_job does. Returns the failed
 * jobs, or -1 as run_job.
 */
static int run_on_units(const lp_backend_ops_t *ref, lp_backend_t *rbe, const lp_backend_ops_t *dut,
                        lp_backend_t *dbe, const char *backend, int noop, unsigned *skipped)
{
    lp_selftest_job_t sj[LP_SELFTEST_NJOBS];
    lp_train_job_t tj[LP_SELFTEST_NJOBS];
    lp_err_t err;
    unsigned built = 0;
    int rc = -1, failed = 0;
    memset(tj, 0, sizeof tj);
    for (; built < LP_SELFTEST_NJOBS; built++) {
        lp_selftest_job_t *b = &sj[built];
        if (lp_selftest_job(built, b, &err) != 0)
            break;
        tj[built] = (lp_train_job_t){b->cfg, b->model, b->data, b->chunks, b->steps, NULL, NULL, 0};
        tj[built].records = calloc((size_t)b->chunks * b->steps * LP_SGD_REC_WORDS, 4);
        tj[built].model_out = calloc(LP_SGD_MODEL_WORDS(b->K, b->D), 4);
        if (!tj[built].records || !tj[built].model_out) {
            snprintf(err.msg, sizeof err.msg, "out of memory");
            built++;
            break;
        }
    }
    lp_train_job_t run[LP_SELFTEST_NJOBS]; /* the jobs the backend runs (unsupported: none) */
    unsigned idx[LP_SELFTEST_NJOBS], nrun = 0;
    for (unsigned j = 0; j < built; j++)
        if (!dut->unsupported || !dut->unsupported(dbe, tj[j].cfg))
            run[nrun] = tj[j], idx[nrun++] = j;
    if (built < LP_SELFTEST_NJOBS || dut->train_jobs(dbe, run, nrun, &err) != 0)
        fprintf(stderr, "lpsgd selftest: %s\n", err.msg);
    else
        for (unsigned j = 0, r = 0; j < LP_SELFTEST_NJOBS && rc != -2; j++) {
            int ran = r < nrun && idx[r] == j;
            if (ran)
                tj[j].unit = run[r++].unit;
            int x = run_job(j, ref, rbe, dut, dbe, backend, 1, noop, ran ? &tj[j] : NULL);
            failed += x == 1;
            *skipped += x == 2;
            rc = x < 0 ? -2 : failed;
        }
    for (unsigned j = 0; j < built; j++)
        free(tj[j].records), free(tj[j].model_out), lp_selftest_job_free(&sj[j]);
    return rc < 0 ? -1 : rc;
}

int cmd_selftest(int argc, char **argv)
{
    const char *backend = "xrt";
    lp_backend_opts_t bo = {0};
    unsigned depth = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (i + 1 < argc && !strcmp(a, "--backend"))
            backend = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--device"))
            bo.device = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--xclbin"))
            bo.xclbin = argv[++i];
        else if (i + 1 < argc && (!strcmp(a, "--card") || !strcmp(a, "--cus") || !strcmp(a, "--pcie"))) {
            lp_args_t la;
            lp_args_begin(&la, "selftest", argc, argv);
            la.i = i;
            if (lp_args_vcard_opt(&la, &bo) < 0)
                return 2;
            i = la.i;
        } else if (i + 1 < argc && !strcmp(a, "--depth")) {
            const char *v = argv[++i];
            if (strcmp(v, "1") && strcmp(v, "2")) {
                fprintf(stderr, "lpsgd selftest: --depth takes 1 or 2, not '%s'\n", v);
                return 2;
            }
            depth = (unsigned)(v[0] - '0');
        } else {
            fprintf(stderr, "lpsgd selftest: unknown option or missing value '%s' (try --help)\n", a);
            return 2;
        }
    }
    if (strcmp(backend, "vcard") && (bo.card || bo.cus || bo.pcie)) {
        fprintf(stderr, "lpsgd selftest: %s applies to --backend vcard only (this run uses %s)\n",
                bo.card ? "--card" : bo.cus ? "--cus" : "--pcie", backend);
        return 2;
    }
    lp_err_t err;
    const lp_backend_ops_t *ref = lp_backend_find("csim", &err), *dut = lp_backend_find(backend, &err);
    if (!ref || !dut) {
        fprintf(stderr, "lpsgd selftest: %s\n", err.msg);
        return 2;
    }
    lp_backend_t *rbe = NULL, *dbe = NULL;
    if (ref->open(&rbe, &bo, &err) != 0 || dut->open(&dbe, &bo, &err) != 0) {
        fprintf(stderr, "lpsgd selftest: %s\n", err.msg); /* e.g. no card, or built without XRT */
        if (rbe)
            ref->close(rbe);
        return 2;
    }
    if (!dut->train_load) {
        fprintf(stderr, "lpsgd selftest: backend %s cannot train yet\n", backend);
        dut->close(dbe);
        ref->close(rbe);
        return 2;
    }
    int noop = !strcmp(backend, "xrt") && lp_xrt_is_noop();
    unsigned units = dut->units && dut->train_jobs ? dut->units(dbe) : 1;
    printf("selftest: backend %s%s%s%s%s against csim, %d jobs, ", backend, bo.device ? ", device " : "",
           bo.device ? bo.device : "", bo.xclbin ? ", xclbin " : "", bo.xclbin ? bo.xclbin : "", LP_SELFTEST_NJOBS);
    if (units > 1)
        printf("all at once on %u compute units (one run in flight each)\n", units);
    else
        printf("%u run(s) in flight\n", depth);
    int failed = 0, rc = 0;
    unsigned skipped = 0;
    if (units > 1)
        rc = failed = run_on_units(ref, rbe, dut, dbe, backend, noop, &skipped);
    for (unsigned j = 0; units <= 1 && j < LP_SELFTEST_NJOBS && rc >= 0; j++) {
        rc = run_job(j, ref, rbe, dut, dbe, backend, depth, noop, NULL);
        failed += rc == 1;
        skipped += rc == 2;
    }
    dut->close(dbe);
    ref->close(rbe);
    if (rc < 0) {
        printf("TEST FAILED (the run did not complete)\n");
        return 1;
    }
    if (noop) { /* nothing was compared: no PASSED line, and an exit status of its own */
        printf("host path ran on XRT's noop shim; no kernel result compared (needs an Alveo card)\n");
        return LP_SELFTEST_NOT_COMPARED;
    }
    if (skipped)
        printf("%u of %d jobs SKIPPED (the reason is on their lines)\n", skipped, LP_SELFTEST_NJOBS);
    printf(failed ? "TEST FAILED\n" : "TEST PASSED\n");
    return failed ? 1 : 0;
}
