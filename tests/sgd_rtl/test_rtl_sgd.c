/*
 * test_rtl_sgd.c - the RTL SGD step engine (rtl/sgd/lp_sgd_step.sv, via sim/sgd/lp_vsgd.h)
 * against the C kernel (hls/sgd lp_sgd_run), bit for bit: every step record and the final
 * model, for least squares, hinge, logistic and softmax (K = 2..16 classes), several formats and
 * quantizer options, row lengths from one beat up, batches from 1 row, the L2 term on and off,
 * runs split over calls.
 */
#include <stdlib.h>
#include <string.h>

#include "format/lp_format.h"
#include "format/lp_bits.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull; /* the xorshift state of lp_sgd_test.h */

typedef struct {
    const char *fmt;
    uint32_t qopt; /* rounding | overflow<<8 | subnormals<<16 | scale<<24 */
} qcase_t;

static lp_sgd_state_t *st;
static lp_vsgd_perf_t perf;
static unsigned ncase;

/* One configuration: 2 x nsteps steps over two calls (load + nsteps, nsteps + store) in the
 * C kernel and in the RTL; every record word and every final weight compared. */
static void one_case(lp_vsgd_t *v, uint32_t model, const char *mname, uint32_t K, const qcase_t *q, uint32_t D,
                     uint32_t B, float lambda, float lr, uint32_t seed)
{
    const uint32_t nsteps = 4, rw = LP_SGD_ROW_WORDS(D), n = K * D;
    uint32_t cfg[LP_SGD_CFG_WORDS];
    if (lp_sgd_test_cfg(cfg, model, K, D, B, q->fmt, q->qopt, LP_SCHED_CONST, lr, 0, lambda) != 0) {
        LP_CHECK(0, "format %s does not parse", q->fmt);
        return;
    }
    cfg[LP_CFG_SEED] = seed;
    const char *why;
    if (lp_sgd_check_cfg(cfg, &why) != LP_SGD_OK) {
        LP_CHECK(0, "cfg %s %s K=%u D=%u: %s", mname, q->fmt, K, D, why);
        return;
    }
    if (lp_vsgd_supported(cfg, &why) != 0) {
        LP_SKIP("%s K=%u %s D=%u: %s", mname, K, q->fmt, D, why);
        return;
    }
    /* data: features in [-1,1) (the last used column is the bias 1.0f), labels; a random
     * model with a nonzero reserved state word that must come back unchanged */
    uint32_t *data = lp_sgd_test_rows(&rng, model, K, D, 2 * nsteps * B);
    float *m0 = lp_sgd_test_model(&rng, K, D), *mc = calloc(n + 16, 4), *mv = calloc(n + 16, 4);
    uint32_t rc[2 * nsteps * LP_SGD_REC_WORDS], rv[2 * nsteps * LP_SGD_REC_WORDS];
    memcpy(mc, m0, (n + 16) * 4);
    memcpy(mv, m0, (n + 16) * 4);
    /* two calls: load + nsteps, then nsteps more and store (model kept on chip) */
    uint32_t ok = lp_sgd_run(st, data, mc, rc, cfg, nsteps, 0, LP_SGD_FLAG_LOAD) == LP_SGD_OK;
    ok &= lp_sgd_run(st, data + (size_t)nsteps * B * rw, mc, rc + nsteps * LP_SGD_REC_WORDS, cfg, nsteps, nsteps,
                     LP_SGD_FLAG_STORE) == LP_SGD_OK;
    int r1 = lp_vsgd_run(v, data, mv, rv, cfg, nsteps, 0, LP_SGD_FLAG_LOAD, &perf);
    int r2 = lp_vsgd_run(v, data + (size_t)nsteps * B * rw, mv, rv + nsteps * LP_SGD_REC_WORDS, cfg, nsteps, nsteps,
                         LP_SGD_FLAG_STORE, &perf);
    unsigned badrec = 0, badw = 0, firstrec = 0;
    for (unsigned i = 0; i < 2 * nsteps * LP_SGD_REC_WORDS; i++)
        if (rc[i] != rv[i] && badrec++ == 0)
            firstrec = i;
    for (unsigned j = 0; j < n + 16; j++)
        badw += memcmp(&mc[j], &mv[j], 4) != 0;
    char name[160];
    snprintf(name, sizeof name, "%s K=%u %s%s D=%u B=%u lambda=%g: %u steps, records and weights bit-identical",
             mname, K, q->fmt, (q->qopt >> 24) == LP_SCALE_TENSOR ? " (tensor scaling)" : "", D, B, (double)lambda,
             2 * nsteps);
    LP_CASE(name, ok && r1 == 0 && r2 == 0 && badrec == 0 && badw == 0,
            "%s: rc %d/%d, %u record words differ (first: step %u word %u: C %08x RTL %08x), %u weights differ", name,
            r1, r2, badrec, firstrec / LP_SGD_REC_WORDS, firstrec % LP_SGD_REC_WORDS, rc[firstrec], rv[firstrec],
            badw);
    ncase++;
    free(data);
    free(m0);
    free(mc);
    free(mv);
}

static int engine_has_softmax(lp_vsgd_t *v);
static int finish(lp_vsgd_t *v);

int main(int argc, char **argv)
{
    /* argument "softmax": the softmax cases only; "quick": one row length per K = 1 case */
    int only_softmax = argc > 1 && strcmp(argv[1], "softmax") == 0;
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    static const qcase_t qc[] = {
        {"fp32", 1u << 16},
        {"bf16", 1u << 16},
        {"fp8_e4m3", 1u << 16},
        {"fp8_e5m2", LP_ROUND_SR | 1u << 16},
        {"fp4_e2m1", 1u << 16},
        {"fp4_e2m1", LP_ROUND_SR | 1u << 16 | (uint32_t)LP_SCALE_BLOCK32 << 24},
        {"fp6_e3m2", LP_ROUND_RTZ},
        {"fixed16.12", 1u << 16},
        /* LP_SCALE_TENSOR: the two-pass QUANT (amax on chip, SCALE_K from lp_scale_k) */
        {"fp8_e4m3", 1u << 16 | (uint32_t)LP_SCALE_TENSOR << 24},
        {"fp4_e2m1", LP_ROUND_SR | 1u << 16 | (uint32_t)LP_SCALE_TENSOR << 24},
        {"fixed8.4", LP_ROUND_RTZ | (uint32_t)LP_SCALE_TENSOR << 24},
    };
    static const uint32_t Ds[] = {16, 48, 160};
    static const uint32_t Bs[] = {1, 3, 8};
    char err[256];
    lp_vsgd_t *v = lp_vsgd_open(NULL, err, sizeof err);
    if (!v) {
        printf("%s\n", err);
        return 1;
    }
    st = calloc(1, sizeof *st);
    static const uint32_t models[] = {LP_MODEL_LSQ, LP_MODEL_HINGE, LP_MODEL_LOGISTIC};
    static const char *const mnames[] = {"lsq", "hinge", "logistic"};
    for (unsigned mi = 0; mi < (only_softmax ? 0u : 3u); mi++)
        for (unsigned qi = 0; qi < 8; qi++)
            for (unsigned di = 0; di < 3; di++)
                if (!quick || di == (qi + mi) % 3)
                    one_case(v, models[mi], mnames[mi], 1, &qc[qi], Ds[di], Bs[(qi + di) % 3],
                             di == 1 ? 0.01f : 0.0f, qi % 2 ? 0.05f : 0.3f, 1234 + qi);
    /* tensor scaling (qc 8..10) for the one-output models */
    for (unsigned i = 0; i < (only_softmax ? 0u : 3u); i++)
        one_case(v, models[i], mnames[i], 1, &qc[8 + i], Ds[(i + 1) % 3], Bs[i], i == 0 ? 0.01f : 0.0f, 0.1f, 99 + i);
    /* softmax: K from 2 to 16 (power of two or not), every row length class, batches
     * 1/3/8, L2 on and off, formats, roundings and scalings */
    static const struct {
        uint32_t K, qi, D, B;
        float lambda;
    } sm[] = {
        {2, 0, 16, 1, 0.0f},   {3, 1, 48, 3, 0.01f},  {10, 2, 160, 8, 0.0f}, {10, 5, 48, 8, 0.01f},
        {16, 6, 16, 3, 0.0f},  {16, 3, 48, 8, 0.01f}, {4, 7, 160, 3, 0.0f},  {7, 4, 16, 8, 0.01f},
        {4, 5, 48, 1, 0.0f},   {16, 2, 160, 3, 0.01f}, {10, 8, 48, 8, 0.01f}, {3, 9, 160, 3, 0.0f},
        {16, 10, 16, 8, 0.0f},
    };
    if (!engine_has_softmax(v))
        return finish(v);
    for (unsigned i = 0; i < sizeof sm / sizeof sm[0]; i++)
        one_case(v, LP_MODEL_SOFTMAX, "softmax", sm[i].K, &qc[sm[i].qi], sm[i].D, sm[i].B, sm[i].lambda,
                 i % 2 ? 0.5f : 0.1f, 77 + i);
    return finish(v);
}

/* The default build (Classes = 1) holds one class: it must refuse softmax by name, which is
 * checked once here; softmax runs through the 16-class kernel build in test_kernel (and
 * here with `make LP_VSGD_CLASSES=16`). Returns whether this engine runs softmax. */
static int engine_has_softmax(lp_vsgd_t *v)
{
    (void)v;
    uint32_t cfg[LP_SGD_CFG_WORDS];
    const char *why = "";
    LP_CHECK(lp_sgd_test_cfg(cfg, LP_MODEL_SOFTMAX, 2, 16, 1, "fp32", 0, LP_SCHED_CONST, 0.1f, 0, 0.0f) == 0,
             "softmax probe cfg");
    if (lp_vsgd_supported(cfg, &why) == 0)
        return 1;
    LP_CASE("Classes = 1 step engine refuses softmax by name (softmax: test_kernel's 16-class build)",
            strstr(why, "K = 1 models only") != NULL, "refusal reads [%s]", why);
    return 0;
}

static int finish(lp_vsgd_t *v)
{
    printf("%u configurations; %llu beats in %llu cycles (%.3f beats/cycle over whole steps, %.3f in the gradient "
           "phase)\n",
           ncase, (unsigned long long)perf.beats, (unsigned long long)perf.cycles,
           perf.cycles ? (double)perf.beats / (double)perf.cycles : 0.0,
           perf.grad_cycles ? (double)perf.beats / (double)perf.grad_cycles : 0.0);
    lp_vsgd_close(v);
    free(st);
    return lp_test_summary();
}
