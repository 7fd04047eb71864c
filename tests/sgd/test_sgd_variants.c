/*
 * test_sgd_variants.c - every variant of the SGD step this CPU can run (hls/sgd/lp_sgd.h:
 * plain = the HLS code, base, avx2, avx512, forced with lp_sgd_variant_set) trains to the
 * same bits as plain and as an independent reference of the step.
 *
 * The reference (ref_step) is lp_sgd.h's ONE STEP written again from its text: the dot
 * products in the documented order (lp_sgd_test_dot_order), the loss derivatives of MODELS
 * (exp/sigmoid/softmax from lp_sgd_math.h's sequences, tested on their own in
 * test_sgd_math), the quantizer of the independent oracle (tests/oracle/) with the
 * statistics in the documented reduction order (tests/quant/red_ref.h), the schedules and
 * the compensation from their formulas. Jobs: every model (softmax with 3, 10 and 16
 * classes), every schedule, with and without compensation, formats fp8/fp4/fp16/bf16/e3m4/
 * fixed with rne/rtz/sr, saturation/inf, subnormals on/off, no/tensor/block32 scaling, row
 * lengths with and without a whole group of 4 beats, several calls in a row (the model
 * kept on chip). Each variant's records (every step's 16 words) and final model buffer
 * must equal plain's and the reference's byte for byte; lp_sgd_forward (the evaluation's
 * forward pass) must equal the documented order for K = 1..16 and row lengths 1..13 beats.
 * A variant the CPU lacks is not run and not counted: a note says so.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp_sgd_test.h"
#include "lp_test.h"
#include "oracle/lp_oracle.h"
#include "quant/lp_quant_vec.h"
#include "quant/red_ref.h"
#include "sgd/lp_sgd_math.h"

#define SAN LP_TEST_SAN
#define MAXW (16u * 800u + LP_SGD_STATE_WORDS)
#define MAXSTEPS 12u

typedef struct {
    uint32_t model, K, D, B, sched, compensate;
    const char *fmt;
    uint32_t qopt; /* rounding | overflow<<8 | subnormals<<16 | scale<<24 */
    float lr, lambda;
} job_t;

#define Q(r, o, s, sc) ((uint32_t)(r) | (uint32_t)(o) << 8 | (uint32_t)(s) << 16 | (uint32_t)(sc) << 24)
static const job_t jobs[] = {
    {LP_MODEL_SOFTMAX, 10, 800, 16, LP_SCHED_HALVING, 0, "fp8_e4m3", Q(LP_ROUND_RNE, LP_OVF_SAT, 1, 0), 0.2f, 1e-4f},
    {LP_MODEL_SOFTMAX, 10, 800, 8, LP_SCHED_CONST, 1, "fp4_e2m1", Q(LP_ROUND_SR, LP_OVF_SAT, 1, 0), 0.1f, 1e-4f},
    {LP_MODEL_SOFTMAX, 3, 80, 7, LP_SCHED_INVERSE, 1, "fp8_e5m2", Q(LP_ROUND_SR, LP_OVF_INF, 0, LP_SCALE_TENSOR),
     0.5f, 1e-3f},
    {LP_MODEL_SOFTMAX, 16, 48, 5, LP_SCHED_HALVING, 0, "fp6_e2m3", Q(LP_ROUND_RTZ, LP_OVF_SAT, 1, LP_SCALE_BLOCK32),
     0.3f, 0.0f},
    {LP_MODEL_LOGISTIC, 1, 112, 9, LP_SCHED_CONST, 0, "fp16", Q(LP_ROUND_RNE, LP_OVF_SAT, 1, 0), 0.5f, 1e-4f},
    {LP_MODEL_LOGISTIC, 1, 64, 4, LP_SCHED_INVERSE, 1, "e3m4", Q(LP_ROUND_SR, LP_OVF_SAT, 0, 0), 1.0f, 1e-2f},
    {LP_MODEL_HINGE, 1, 144, 6, LP_SCHED_HALVING, 1, "bf16", Q(LP_ROUND_RNE, LP_OVF_SAT, 1, 0), 0.2f, 1e-4f},
    {LP_MODEL_HINGE, 1, 16, 3, LP_SCHED_CONST, 0, "fp4_e2m1", Q(LP_ROUND_SR, LP_OVF_SAT, 1, LP_SCALE_BLOCK32), 0.5f,
     0.0f},
    {LP_MODEL_LSQ, 1, 96, 8, LP_SCHED_INVERSE, 0, "fixed8.5", Q(LP_ROUND_RNE, LP_OVF_SAT, 1, 0), 0.05f, 1e-4f},
    {LP_MODEL_LSQ, 1, 784 + 16, 2, LP_SCHED_CONST, 1, "fp8_e4m3", Q(LP_ROUND_SR, LP_OVF_SAT, 1, LP_SCALE_TENSOR),
     0.01f, 0.0f},
    {LP_MODEL_SOFTMAX, 2, 32, 1, LP_SCHED_CONST, 0, "fp32", Q(LP_ROUND_RNE, LP_OVF_SAT, 1, 0), 0.1f, 1e-4f},
};
#define NJOBS (sizeof jobs / sizeof jobs[0])

/* ---- the reference: lp_sgd.h ONE STEP, from its text ---------------------------------- */

static float ref_stepsize(const uint32_t *cfg, uint32_t k)
{
    float lr = u2f(cfg[LP_CFG_LR]);
    if (cfg[LP_CFG_SCHED] == LP_SCHED_INVERSE)
        return lr / (u2f(cfg[LP_CFG_GAMMA]) + (float)(k + 1));
    if (cfg[LP_CFG_SCHED] == LP_SCHED_HALVING) {
        uint32_t r = k / cfg[LP_CFG_PERIOD];
        return lr * ldexpf(1.0f, -(int)(r < 126 ? r : 126));
    }
    return lr;
}

/* d[K] of one row (MODELS); adds the row's loss and whether it was classified right. */
static void ref_derivative(uint32_t m, uint32_t K, const float *z, float y, float *d, float *loss, uint32_t *right)
{
    if (m == LP_MODEL_LSQ) {
        float r = z[0] - y;
        d[0] = r;
        *loss = *loss + 0.5f * (r * r);
        return;
    }
    if (m == LP_MODEL_SOFTMAX) {
        uint32_t c = (uint32_t)y, best = 0;
        for (uint32_t i = 1; i < K; i++)
            if (z[i] > z[best])
                best = i;
        *right += best == c;
        lp_softmax_f32(z, K, d);
        d[c] = d[c] - 1.0f;
        return;
    }
    float s = y > 0.5f ? 1.0f : -1.0f, sz = s * z[0];
    *right += (z[0] >= 0.0f) == (y > 0.5f);
    if (m == LP_MODEL_LOGISTIC) {
        d[0] = lp_sigmoid_f32(z[0]) - y;
    } else {
        d[0] = sz < 1.0f ? -s : 0.0f;
        *loss = *loss + fmaxf(1.0f - sz, 0.0f);
    }
}

typedef struct {
    float acc[MAXW], g[MAXW];
    lp_orc_q_t q[MAXW];
    uint32_t v[MAXW], f[MAXW];
    int32_t k[MAXW / 32 + 2];
} ref_buf_t;

/* The quantizer and its statistics: the oracle's values and flags, red_ref.h's sums. */
static void ref_quant(const lp_orc_t *o, const lp_qcfg_t *qc, ref_buf_t *b, uint32_t n, uint32_t k, lp_sgd_rec_t *rec)
{
    memset(b->k, 0, sizeof b->k);
    lp_orc_quant_vec(o, qc, (const uint32_t *)b->g, n, k, b->q, b->k);
    rec->n = n;
    rec->underflow = rec->saturated = rec->subnormal = rec->nan = rec->inf = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t fl = b->q[i].flags;
        b->v[i] = b->q[i].value;
        b->f[i] = fl;
        rec->underflow += (fl & LP_QF_UNDERFLOW) != 0;
        rec->saturated += (fl & LP_QF_SATURATED) != 0;
        rec->subnormal += (fl & LP_QF_SUBNORMAL) != 0;
        rec->nan += (fl & LP_QF_NAN) != 0;
        rec->inf += (fl & LP_QF_INF) != 0;
    }
    red_reference((const uint32_t *)b->g, b->v, b->f, n, rec->sum);
    rec->scale_k = qc->scale == LP_SCALE_TENSOR ? b->k[0] : 0;
}

/* One step k on the model buffer w (K*D weights, then the state words). */
static void ref_step(float *w, const uint32_t *rows, const uint32_t *cfg, const lp_orc_t *o, ref_buf_t *b,
                     uint32_t k, lp_sgd_rec_t *rec)
{
    uint32_t m = cfg[LP_CFG_MODEL], K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], B = cfg[LP_CFG_BATCH], n = K * D;
    float z[16], d[16], loss = 0.0f;
    uint32_t right = 0;
    memset(b->acc, 0, n * sizeof(float));
    for (uint32_t r = 0; r < B; r++) {
        const uint32_t *row = rows + (size_t)r * LP_SGD_ROW_WORDS(D);
        const float *x = (const float *)(row + LP_SGD_LANES);
        for (uint32_t c = 0; c < K; c++)
            z[c] = lp_sgd_test_dot_order(w + c * D, x, D / 16);
        ref_derivative(m, K, z, u2f(row[0]), d, &loss, &right);
        for (uint32_t c = 0; c < K; c++)
            for (uint32_t j = 0; j < D; j++)
                b->acc[c * D + j] = b->acc[c * D + j] + d[c] * x[j];
    }
    float inv_b = 1.0f / (float)B, lambda = u2f(cfg[LP_CFG_LAMBDA]);
    for (uint32_t i = 0; i < n; i++)
        b->g[i] = b->acc[i] * inv_b + lambda * w[i];
    lp_qcfg_t qc = lp_sgd_cfg_qcfg(cfg);
    ref_quant(o, &qc, b, n, k, rec);
    float lr = ref_stepsize(cfg, k), *q_hat = &w[n];
    if (cfg[LP_CFG_OPTIONS] & LP_CFG_COMPENSATE) {
        float g2 = rec->sum[LP_SUM_G2], qp = g2 > 0.0f ? 1.0f + rec->sum[LP_SUM_GE] / g2 : 1.0f;
        *q_hat = *q_hat + 0.125f * (qp - *q_hat);
        lr = lr * (1.0f / fminf(fmaxf(*q_hat, 0.0625f), 1.0f));
    }
    for (uint32_t i = 0; i < n; i++)
        w[i] = w[i] - lr * u2f(b->v[i]);
    rec->step = k;
    rec->lr = lr;
    rec->q_hat = *q_hat;
    rec->loss = m == LP_MODEL_LSQ || m == LP_MODEL_HINGE ? loss : 0.0f;
    rec->correct = m == LP_MODEL_LSQ ? 0 : right;
}

/* ---- the runs --------------------------------------------------------------------------- */

typedef struct {
    float model[MAXW];
    uint32_t rec[MAXSTEPS * LP_SGD_REC_WORDS];
} out_t;

static lp_sgd_state_t st;

/* A job's steps as two kernel calls (the model kept on chip between them), from step 3. */
static void run_kernel(const uint32_t *cfg, const uint32_t *data, const float *m0, uint32_t ns, out_t *out)
{
    uint32_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], h = ns / 2;
    memset(out, 0, sizeof *out);
    memcpy(out->model, m0, LP_SGD_MODEL_WORDS(K, D) * sizeof(float));
    lp_sgd_run(&st, data, out->model, out->rec, cfg, h, 3, LP_SGD_FLAG_LOAD);
    lp_sgd_run(&st, data + (size_t)h * cfg[LP_CFG_BATCH] * LP_SGD_ROW_WORDS(D), out->model,
               out->rec + h * LP_SGD_REC_WORDS, cfg, ns - h, 3 + h, LP_SGD_FLAG_STORE);
}

static void run_ref(const uint32_t *cfg, const uint32_t *data, const float *m0, uint32_t ns, const lp_orc_t *o,
                    ref_buf_t *b, out_t *out)
{
    uint32_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D];
    memset(out, 0, sizeof *out);
    memcpy(out->model, m0, LP_SGD_MODEL_WORDS(K, D) * sizeof(float));
    for (uint32_t s = 0; s < ns; s++) {
        lp_sgd_rec_t R;
        ref_step(out->model, data + (size_t)s * cfg[LP_CFG_BATCH] * LP_SGD_ROW_WORDS(D), cfg, o, b, 3 + s, &R);
        memcpy(out->rec + s * LP_SGD_REC_WORDS, &R, sizeof R);
    }
}

static int same(const out_t *a, const out_t *b) { return memcmp(a, b, sizeof *a) == 0; }

/* One job: plain against the reference, then every other variant against plain. */
static void job(const job_t *j, const int *vars, int nv, ref_buf_t *b, out_t *o)
{
    uint64_t rng = 0x9E3779B97F4A7C15ull ^ j->D ^ (uint64_t)j->K << 20;
    uint32_t cfg[LP_SGD_CFG_WORDS], ns = SAN ? 4 : MAXSTEPS;
    lp_sgd_test_cfg(cfg, j->model, j->K, j->D, j->B, j->fmt, j->qopt, j->sched, j->lr, j->compensate, j->lambda);
    const char *why;
    lp_orc_t orc;
    lp_format_t f = lp_sgd_cfg_format(cfg);
    LP_CHECK(lp_orc_init(&orc, &f, &why) == 0, "oracle for %s: %s", j->fmt, why);
    uint32_t *data = lp_sgd_test_rows(&rng, j->model, j->K, j->D, ns * j->B);
    float *m0 = lp_sgd_test_model(&rng, j->K, j->D);
    char name[200];
    snprintf(name, sizeof name, "model %u K=%u D=%u B=%u sched %u%s %s qopt %08x, %u steps", j->model, j->K, j->D,
             j->B, j->sched, j->compensate ? " compensate" : "", j->fmt, j->qopt, ns);
    lp_sgd_variant_set(LP_QV_PLAIN);
    run_kernel(cfg, data, m0, ns, &o[0]);
    run_ref(cfg, data, m0, ns, &orc, b, &o[1]);
    char msg[260];
    snprintf(msg, sizeof msg, "%s: plain = reference (records, model)", name);
    LP_CASE(msg, same(&o[0], &o[1]), "%s: plain differs from the reference", name);
    for (int vi = 0; vi < nv; vi++) {
        lp_sgd_variant_set(vars[vi]);
        run_kernel(cfg, data, m0, ns, &o[1]);
        snprintf(msg, sizeof msg, "%s: %s = plain", name, lp_qv_variant_name(vars[vi]));
        LP_CASE(msg, same(&o[1], &o[0]), "%s: variant %s differs from plain", name, lp_qv_variant_name(vars[vi]));
    }
    lp_orc_free(&orc);
    free(data);
    free(m0);
}

/* lp_sgd_forward under each variant = the documented order, K = 1..16, 1..13 beats. */
static void forward(const int *vars, int nv)
{
    static float w[16 * 16 * 13], x[16 * 13];
    uint64_t rng = 12345;
    for (int vi = 0; vi < nv; vi++) {
        lp_sgd_variant_set(vars[vi]);
        unsigned bad = 0, cases = 0;
        for (uint32_t K = 1; K <= 16; K++)
            for (uint32_t nb = 1; nb <= 13; nb++, cases++) {
                float z[16];
                for (uint32_t i = 0; i < K * nb * 16; i++)
                    w[i] = (lp_sgd_test_rndu(&rng) - 0.5f) * (float)(1 + i % 7) * 1e3f;
                for (uint32_t i = 0; i < nb * 16; i++)
                    x[i] = lp_sgd_test_rndu(&rng) - 0.5f;
                lp_sgd_forward(w, x, K, nb * 16, z);
                for (uint32_t c = 0; c < K; c++)
                    bad += f2u(z[c]) != f2u(lp_sgd_test_dot_order(w + c * nb * 16, x, nb));
            }
        char msg[120];
        snprintf(msg, sizeof msg, "lp_sgd_forward %s = the documented order (%u rows)", lp_qv_variant_name(vars[vi]),
                 cases);
        LP_CASE(msg, bad == 0, "%s: %u dot products differ", lp_qv_variant_name(vars[vi]), bad);
    }
}

int main(void)
{
    int vars[LP_QV_NVARIANTS], nv = 0;
    for (int v = LP_QV_PLAIN; v < LP_QV_NVARIANTS; v++) {
        if (lp_qv_variant_supported(v))
            vars[nv++] = v;
        else
            printf("note: variant %s: not supported by this CPU, not run\n", lp_qv_variant_name(v));
    }
    forward(vars, nv);
    static ref_buf_t b;
    static out_t o[2];
    for (uint32_t i = 0; i < NJOBS; i++)
        job(&jobs[i], vars + 1, nv - 1, &b, o);
    lp_sgd_variant_set(-1);
    printf("automatic choice on this CPU: %s\n", lp_qv_variant_name(lp_sgd_variant_get()));
    return lp_test_summary();
}
