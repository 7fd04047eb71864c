/*
 * test_opencl_api.c - the opencl backend (host/backend/opencl.c) through backend.h, where the
 * CLI cannot reach: the order of the training calls (submit before load, a third run while
 * two are outstanding, wait without a run, read with a run outstanding), two runs in flight
 * whose records and model equal csim's, a bad configuration block, quantize with and without
 * codes/scale_k, n = 0 and n not a multiple of 16 or 32, all against csim bit for bit.
 * Skipped with its reason when this lpsgd has no OpenCL or the machine no OpenCL device.
 */
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "cli/selftest.h"
#include "format/lp_format.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"

static const lp_backend_ops_t *ocl, *ref;
static lp_backend_t *refbe; /* csim */

/* train job j with `depth` runs in flight on both backends; 1 when records and model agree */
static int train_same(lp_backend_t *be, lp_backend_t *rb, unsigned j, unsigned depth)
{
    lp_selftest_job_t job;
    lp_err_t err;
    err.msg[0] = '\0';
    if (lp_selftest_job(j, &job, &err) != 0)
        return 0;
    size_t nrec = (size_t)job.chunks * job.steps * LP_SGD_REC_WORDS, nmod = LP_SGD_MODEL_WORDS(job.K, job.D);
    uint32_t *r0 = calloc(nrec, 4), *r1 = calloc(nrec, 4);
    float *m0 = calloc(nmod, 4), *m1 = calloc(nmod, 4);
    int same = r0 && r1 && m0 && m1 && lp_selftest_run(ref, rb, &job, 1, r0, m0, &err) == 0 &&
               lp_selftest_run(ocl, be, &job, depth, r1, m1, &err) == 0 && !memcmp(r0, r1, nrec * 4) &&
               !memcmp(m0, m1, nmod * 4);
    if (!same && err.msg[0])
        printf("  job %u depth %u: %s\n", j + 1, depth, err.msg);
    free(r0), free(r1), free(m0), free(m1);
    lp_selftest_job_free(&job);
    return same;
}

static void call_order(lp_backend_t *be)
{
    lp_selftest_job_t job;
    lp_err_t err;
    uint32_t rec[64 * LP_SGD_REC_WORDS];
    float model[LP_SGD_MODEL_WORDS(16, 64)];
    err.msg[0] = '\0';
    LP_CASE("train_submit before train_load: refused", ocl->train_submit(be, NULL, 1, 0, &err) != 0 &&
            strstr(err.msg, "before train_load"), "%s", err.msg);
    LP_CASE("train_wait without a run: refused", ocl->train_wait(be, rec, &err) != 0 &&
            strstr(err.msg, "without a submitted run"), "%s", err.msg);
    if (lp_selftest_job(0, &job, &err) != 0) {
        LP_CHECK(0, "selftest job: %s", err.msg);
        return;
    }
    size_t cw = lp_selftest_chunk_words(&job);
    LP_CHECK(ocl->train_load(be, job.cfg, job.model, &err) == 0, "%s", err.msg);
    LP_CHECK(ocl->train_submit(be, job.data, job.steps, 0, &err) == 0, "%s", err.msg);
    LP_CHECK(ocl->train_submit(be, job.data + cw, job.steps, job.steps, &err) == 0, "%s", err.msg);
    LP_CASE("a third run while two are outstanding: refused",
            ocl->train_submit(be, job.data, job.steps, 0, &err) != 0 && strstr(err.msg, "already outstanding"), "%s",
            err.msg);
    LP_CASE("train_read with runs outstanding: refused",
            ocl->train_read(be, model, &err) != 0 && strstr(err.msg, "no outstanding run"), "%s", err.msg);
    LP_CASE("train_load with runs outstanding: refused",
            ocl->train_load(be, job.cfg, job.model, &err) != 0 && strstr(err.msg, "outstanding"), "%s", err.msg);
    int w1 = ocl->train_wait(be, rec, &err) == 0 && rec[0] == 0;
    int w2 = w1 && ocl->train_wait(be, rec, &err) == 0 && rec[0] == job.steps;
    LP_CASE("two runs in flight, waited in order: first records' steps 0.. then steps..", w1 && w2, "%s", err.msg);
    uint32_t bad[LP_SGD_CFG_WORDS];
    memcpy(bad, job.cfg, sizeof bad);
    bad[LP_CFG_MAGIC] ^= 1u;
    LP_CASE("train_load with a bad configuration block: refused before the device",
            ocl->train_load(be, bad, job.model, &err) != 0, "accepted");
    lp_selftest_job_free(&job);
}

/* quantize n values with cfg on both backends; 1 when outputs and statistics agree */
static int quant_same(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t n, int with_codes, lp_err_t *err)
{
    float *g = calloc(n + 1, 4), *q0 = calloc(n + 1, 4), *q1 = calloc(n + 1, 4);
    uint32_t *c0 = calloc(n + 1, 4), *c1 = calloc(n + 1, 4);
    int32_t k0[1024] = {0}, k1[1024] = {0};
    lp_qstats_t s0, s1;
    uint32_t x = 12345;
    memset(&s0, 0, sizeof s0), memset(&s1, 0, sizeof s1);
    for (uint32_t i = 0; i < n; i++) { /* sign, exponent over about 2^-30 .. 2^10, mantissa */
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        uint32_t bits = (x & 0x807FFFFFu) | ((97u + (x >> 8) % 40u) << 23);
        memcpy(&g[i], &bits, 4);
    }
    int same = g && q0 && q1 && c0 && c1 &&
               ref->quantize(refbe, cfg, 7, g, q0, with_codes ? c0 : NULL, with_codes ? k0 : NULL, n, &s0, err) == 0 &&
               ocl->quantize(be, cfg, 7, g, q1, with_codes ? c1 : NULL, with_codes ? k1 : NULL, n, &s1, err) == 0 &&
               !memcmp(q0, q1, (size_t)n * 4) && !memcmp(c0, c1, (size_t)n * 4) && !memcmp(k0, k1, sizeof k0) &&
               !memcmp(&s0, &s1, sizeof s0);
    free(g), free(q0), free(q1), free(c0), free(c1);
    return same;
}

static void quantize_cases(lp_backend_t *be)
{
    static const struct {
        int fmt, scale, rounding;
        uint32_t n;
        int codes;
    } c[] = {
        {LP_FMT_FP8_E4M3, LP_SCALE_NONE, LP_ROUND_RNE, 1000, 1},  {LP_FMT_FP4_E2M1, LP_SCALE_BLOCK32, LP_ROUND_SR, 1001, 1},
        {LP_FMT_BF16, LP_SCALE_TENSOR, LP_ROUND_RTZ, 37, 1},      {LP_FMT_FP6_E3M2, LP_SCALE_BLOCK32, LP_ROUND_RNE, 33, 0},
        {LP_FMT_FP16, LP_SCALE_NONE, LP_ROUND_SR, 0, 1},          {LP_FMT_FP8_E5M2, LP_SCALE_TENSOR, LP_ROUND_RNE, 1, 0},
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
        lp_qcfg_t q = lp_qcfg_default(lp_format_preset(c[i].fmt));
        lp_err_t err;
        char name[160], fname[32];
        err.msg[0] = '\0';
        q.scale = (uint8_t)c[i].scale;
        q.rounding = (uint8_t)c[i].rounding;
        q.seed = 99;
        lp_format_name(&q.fmt, fname, sizeof fname);
        snprintf(name, sizeof name, "quantize %s scale %d rounding %d n=%u %s: opencl = csim", fname, c[i].scale,
                 c[i].rounding, c[i].n, c[i].codes ? "with codes and scale_k" : "codes and scale_k NULL");
        LP_CASE(name, quant_same(be, &q, c[i].n, c[i].codes, &err), "%s differs %s", name, err.msg);
    }
}

int main(void)
{
    lp_err_t err;
    lp_backend_t *be = NULL, *rb = NULL;
    ocl = lp_backend_find("opencl", &err);
    ref = lp_backend_find("csim", &err);
    if (!ocl || !ref || ocl->open(&be, NULL, &err) != 0) {
        LP_SKIP("the opencl backend cannot open here: %s", ocl ? err.msg : "not in this lpsgd");
        return lp_test_summary();
    }
    LP_CHECK(ref->open(&rb, NULL, &err) == 0, "%s", err.msg);
    refbe = rb;
    call_order(be);
    for (unsigned j = 0; j < LP_SELFTEST_NJOBS; j++)
        for (unsigned depth = 1; depth <= 2; depth++) {
            char name[80];
            snprintf(name, sizeof name, "selftest job %u, %u run(s) in flight: opencl = csim", j + 1, depth);
            LP_CASE(name, train_same(be, rb, j, depth), "%s differs", name);
        }
    quantize_cases(be);
    ocl->close(be);
    ref->close(rb);
    return lp_test_summary();
}
