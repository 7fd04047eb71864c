/*
 * lp_sgd.c - the SGD kernel (HLS C; the golden model when compiled by gcc). The step,
 * the buffers and the reductions are specified in lp_sgd.h; this file follows it line by
 * line. The Vitis HLS pragmas sit behind LP_HLS (defined by the Vitis flow's cflags)
 * because -Wall enables -Wunknown-pragmas in gcc.
 *
 * Loop bounds: the loops run to the configuration's K, D, B and n = K*D, each bounded by a
 * constant (LP_SGD_MAX_*) that lp_sgd_check_cfg enforces before any loop runs; the
 * LOOP_TRIPCOUNT pragmas state those bounds, the Vitis HLS idiom for bounded variable
 * loops. (Constant loops with an early exit would be equivalent for HLS but stop gcc
 * from vectorizing the golden model.)
 */
#include "lp_sgd.h"

#include <string.h>

#include "../quant/lp_quant_vec.h"
#include "../stats/lp_stats.h"
#include "lp_sgd_math.h"
#include "../format/lp_bits.h"

#ifdef LP_HLS
#define LP_PRAGMA(x) _Pragma(#x)
#else
#define LP_PRAGMA(x)
#endif

float lp_dot_f32(const float *a, const float *b, uint32_t nbeats)
{
    float acc[LP_PARTIALS][LP_LANES];
    memset(acc, 0, sizeof acc);
    for (uint32_t bt = 0; bt < nbeats; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 512)
        LP_PRAGMA(HLS PIPELINE II = 1)
        float *pa = acc[bt % LP_PARTIALS];
        const float *ra = a + bt * LP_LANES, *rb = b + bt * LP_LANES;
        for (int l = 0; l < LP_LANES; l++) {
            float prod = ra[l] * rb[l];
            pa[l] = pa[l] + prod;
        }
    }
    return lp_red_fold((const float(*)[LP_LANES])acc);
}

lp_format_t lp_sgd_cfg_format(const uint32_t *cfg)
{
    lp_format_t f;
    f.kind = (uint8_t)(cfg[LP_CFG_FMT0] & 0xFF);
    f.exp_bits = (uint8_t)(cfg[LP_CFG_FMT0] >> 8);
    f.man_bits = (uint8_t)(cfg[LP_CFG_FMT0] >> 16);
    f.specials = (uint8_t)(cfg[LP_CFG_FMT0] >> 24);
    f.bias = (int16_t)cfg[LP_CFG_FMT1];
    f.width = (uint8_t)(cfg[LP_CFG_FMT2] & 0xFF);
    f.frac = (uint8_t)(cfg[LP_CFG_FMT2] >> 8);
    return f;
}

void lp_sgd_cfg_set_format(uint32_t *cfg, const lp_format_t *f)
{
    cfg[LP_CFG_FMT0] = (uint32_t)f->kind | (uint32_t)f->exp_bits << 8 | (uint32_t)f->man_bits << 16 |
                       (uint32_t)f->specials << 24;
    cfg[LP_CFG_FMT1] = (uint32_t)(int32_t)f->bias;
    cfg[LP_CFG_FMT2] = (uint32_t)f->width | (uint32_t)f->frac << 8;
}

uint32_t lp_sgd_check_cfg(const uint32_t *cfg, const char **why)
{
    lp_fmt_params_t p;
    uint32_t k = cfg[LP_CFG_K], d = cfg[LP_CFG_D], model = cfg[LP_CFG_MODEL];
    *why = "";
    if (cfg[LP_CFG_MAGIC] != LP_SGD_CFG_MAGIC || cfg[LP_CFG_VERSION] != LP_SGD_CFG_VERSION)
        *why = "configuration block: wrong magic or version";
    else if (model >= LP_NMODELS)
        *why = "configuration block: unknown model";
    else if (model == LP_MODEL_SOFTMAX ? (k < 2 || k > LP_SGD_MAX_CLASSES) : k != 1)
        *why = "configuration block: K must be 1, or 2..16 classes for softmax";
    else if (d == 0 || d % LP_SGD_LANES || d > LP_SGD_MAX_DIM || k * d > LP_SGD_MAX_WORDS)
        *why = "configuration block: D must be a nonzero multiple of 16 with D <= 8192 and K*D <= 16384";
    else if (cfg[LP_CFG_BATCH] == 0 || cfg[LP_CFG_BATCH] > LP_SGD_MAX_BATCH)
        *why = "configuration block: batch must be 1..65536";
    else if (cfg[LP_CFG_SCHED] >= LP_NSCHEDS || (cfg[LP_CFG_SCHED] == LP_SCHED_HALVING && cfg[LP_CFG_PERIOD] == 0))
        *why = "configuration block: unknown schedule or halving period 0";
    else {
        lp_format_t f = lp_sgd_cfg_format(cfg);
        if (lp_format_derive(&f, &p, why) != 0)
            return LP_SGD_EBADCFG;
        if ((cfg[LP_CFG_QOPT] & 0xFF) > LP_ROUND_SR || ((cfg[LP_CFG_QOPT] >> 8) & 0xFF) > LP_OVF_INF ||
            ((cfg[LP_CFG_QOPT] >> 16) & 0xFF) > 1 || (cfg[LP_CFG_QOPT] >> 24) > LP_SCALE_BLOCK32) {
            *why = "configuration block: rounding/overflow/subnormals/scale out of range";
            return LP_SGD_EBADCFG;
        }
        return LP_SGD_OK;
    }
    return LP_SGD_EBADCFG;
}

lp_qcfg_t lp_sgd_cfg_qcfg(const uint32_t *cfg)
{
    lp_qcfg_t q;
    memset(&q, 0, sizeof q);
    q.fmt = lp_sgd_cfg_format(cfg);
    q.rounding = (uint8_t)(cfg[LP_CFG_QOPT] & 0xFF);
    q.overflow = (uint8_t)(cfg[LP_CFG_QOPT] >> 8);
    q.subnormals = (uint8_t)(cfg[LP_CFG_QOPT] >> 16);
    q.scale = (uint8_t)(cfg[LP_CFG_QOPT] >> 24);
    q.seed = cfg[LP_CFG_SEED];
    return q;
}

float lp_sgd_stepsize(const uint32_t *cfg, uint32_t k)
{
    float lr = lp_bits_f32(cfg[LP_CFG_LR]);
    switch (cfg[LP_CFG_SCHED]) {
    case LP_SCHED_INVERSE: {
        float den = lp_bits_f32(cfg[LP_CFG_GAMMA]) + (float)(k + 1u);
        return lr / den;
    }
    case LP_SCHED_HALVING: {
        uint32_t r = k / cfg[LP_CFG_PERIOD];
        r = r > 126u ? 126u : r;
        return lr * lp_bits_f32((127u - r) << 23);
    }
    default:
        return lr;
    }
}

float lp_sgd_compensate(float mu_k, float g2, float ge, float *q_hat)
{
    float qp = g2 > 0.0f ? 1.0f + ge / g2 : 1.0f;
    float diff = qp - *q_hat;
    float qh = *q_hat + 0.125f * diff;
    float qu = qh > 0.0625f ? qh : 0.0625f;
    qu = qu < 1.0f ? qu : 1.0f;
    *q_hat = qh;
    return mu_k * (1.0f / qu);
}

/* Loss derivative for one row: z[K] in, d[K] out; adds the row's loss/correct count. */
static void row_derivative(uint32_t model, uint32_t k, const float *z, float y, float *d, float *loss,
                           uint32_t *correct)
{
    if (model == LP_MODEL_LSQ) {
        float r = z[0] - y;
        d[0] = r;
        float hr = 0.5f * (r * r);
        *loss = *loss + hr;
    } else if (model == LP_MODEL_SOFTMAX) {
        uint32_t c = (uint32_t)y, best = 0;
        for (uint32_t i = 1; i < k; i++)
            best = z[i] > z[best] ? i : best;
        *correct += best == c;
        lp_softmax_f32(z, k, d);
        for (uint32_t i = 0; i < k; i++)
            d[i] = i == c ? d[i] - 1.0f : d[i];
    } else {
        float s = y > 0.5f ? 1.0f : -1.0f;
        *correct += (z[0] >= 0.0f) == (y > 0.5f);
        if (model == LP_MODEL_LOGISTIC) {
            d[0] = lp_sigmoid_f32(z[0]) - y;
        } else {
            float m = s * z[0];
            float h = 1.0f - m;
            d[0] = m < 1.0f ? -s : 0.0f;
            *loss = *loss + (h > 0.0f ? h : 0.0f);
        }
    }
}

/* Scratch of one step: the gradient accumulator, the gradient and its quantized form. */
typedef struct {
    float acc[LP_SGD_MAX_WORDS];
    float g[LP_SGD_MAX_WORDS];
    float gq[LP_SGD_MAX_WORDS];
    float row[LP_SGD_MAX_DIM];
} lp_sgd_scratch_t;

static void sgd_step(lp_sgd_state_t *st, lp_sgd_scratch_t *sc, const uint32_t *rows, const uint32_t *cfg,
                     const lp_fmt_params_t *p, const lp_qcfg_t *qc, uint32_t k, lp_sgd_rec_t *rec)
{
    uint32_t model = cfg[LP_CFG_MODEL], K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], B = cfg[LP_CFG_BATCH];
    uint32_t n = K * D, nb = D / LP_SGD_LANES, rw = LP_SGD_ROW_WORDS(D);
    float loss = 0.0f, z[LP_SGD_MAX_CLASSES], d[LP_SGD_MAX_CLASSES];
    uint32_t correct = 0;

    /* 1. gradient accumulation over the minibatch, row order */
    memset(sc->acc, 0, n * sizeof(float));
    for (uint32_t r = 0; r < B; r++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 65536)
        const uint32_t *row = rows + (uint64_t)r * rw;
        float y = lp_bits_f32(row[0]);
        memcpy(sc->row, row + LP_SGD_LANES, D * sizeof(float));
        for (uint32_t c = 0; c < K; c++)
            z[c] = lp_dot_f32(st->w + c * D, sc->row, nb);
        row_derivative(model, K, z, y, d, &loss, &correct);
        for (uint32_t c = 0; c < K; c++) {
            float dc = d[c];
            float *a = sc->acc + c * D;
            for (uint32_t j = 0; j < D; j++) {
                LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 8192)
                LP_PRAGMA(HLS PIPELINE II = 1)
                float prod = dc * sc->row[j];
                a[j] = a[j] + prod;
            }
        }
    }

    /* 2. the gradient with the L2 term */
    float inv_b = 1.0f / (float)B, lambda = lp_bits_f32(cfg[LP_CFG_LAMBDA]);
    for (uint32_t i = 0; i < n; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16384)
        LP_PRAGMA(HLS PIPELINE II = 1)
        float gd = sc->acc[i] * inv_b;
        float gl = lambda * st->w[i];
        sc->g[i] = gd + gl;
    }

    /* 3. quantizer and statistics */
    lp_qstats_t qs;
    int32_t scale_k = 0;
    lp_quantize_vec(sc->g, sc->gq, NULL, qc->scale == LP_SCALE_TENSOR ? &scale_k : NULL, n, p, qc, k, &qs);

    /* 4. the stepsize, compensated */
    float lr = lp_sgd_stepsize(cfg, k);
    float q_hat = st->state[0];
    if (cfg[LP_CFG_OPTIONS] & LP_CFG_COMPENSATE) {
        lr = lp_sgd_compensate(lr, qs.sum[LP_SUM_G2], qs.sum[LP_SUM_GE], &q_hat);
        st->state[0] = q_hat;
    }

    /* 5. the update */
    for (uint32_t i = 0; i < n; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16384)
        LP_PRAGMA(HLS PIPELINE II = 1)
        float step = lr * sc->gq[i];
        st->w[i] = st->w[i] - step;
    }

    /* 6. the record */
    rec->step = k;
    rec->lr = lr;
    for (int q = 0; q < 4; q++)
        rec->sum[q] = qs.sum[q];
    rec->n = qs.n;
    rec->underflow = qs.underflow;
    rec->saturated = qs.saturated;
    rec->subnormal = qs.subnormal;
    rec->nan = qs.nan;
    rec->inf = qs.inf;
    rec->q_hat = q_hat;
    rec->loss = loss;
    rec->correct = correct;
    rec->scale_k = scale_k;
}

static lp_sgd_scratch_t lp_sgd_scratch; /* on-chip buffers in hardware (BRAM/URAM) */

uint32_t lp_sgd_run(lp_sgd_state_t *st, const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg,
                    uint32_t nsteps, uint32_t step0, uint32_t flags)
{
    const char *why;
    uint32_t c[LP_SGD_CFG_WORDS];
    memcpy(c, cfg, sizeof c);
    if (lp_sgd_check_cfg(c, &why) != LP_SGD_OK)
        return LP_SGD_EBADCFG;
    uint32_t K = c[LP_CFG_K], D = c[LP_CFG_D], B = c[LP_CFG_BATCH];
    uint32_t n = K * D;
    lp_qcfg_t qc = lp_sgd_cfg_qcfg(c);
    lp_fmt_params_t p;
    lp_format_derive(&qc.fmt, &p, &why);

    if (flags & LP_SGD_FLAG_LOAD) {
        memcpy(st->w, model, n * sizeof(float));
        memcpy(st->state, model + n, LP_SGD_STATE_WORDS * sizeof(float));
    }
    for (uint32_t s = 0; s < nsteps; s++) {
        lp_sgd_rec_t rec;
        sgd_step(st, &lp_sgd_scratch, data + (uint64_t)s * B * LP_SGD_ROW_WORDS(D), c, &p, &qc, step0 + s, &rec);
        memcpy(stats + (uint64_t)s * LP_SGD_REC_WORDS, &rec, sizeof rec);
    }
    if (flags & LP_SGD_FLAG_STORE) {
        memcpy(model, st->w, n * sizeof(float));
        memcpy(model + n, st->state, LP_SGD_STATE_WORDS * sizeof(float));
    }
    return LP_SGD_OK;
}

void lp_sgd(const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg, uint32_t nsteps,
            uint32_t step0, uint32_t flags)
{
    LP_PRAGMA(HLS INTERFACE m_axi port = data offset = slave bundle = gmem0 max_read_burst_length = 256)
    LP_PRAGMA(HLS INTERFACE m_axi port = model offset = slave bundle = gmem1)
    LP_PRAGMA(HLS INTERFACE m_axi port = stats offset = slave bundle = gmem1)
    LP_PRAGMA(HLS INTERFACE m_axi port = cfg offset = slave bundle = gmem1)
    LP_PRAGMA(HLS INTERFACE s_axilite port = data)
    LP_PRAGMA(HLS INTERFACE s_axilite port = model)
    LP_PRAGMA(HLS INTERFACE s_axilite port = stats)
    LP_PRAGMA(HLS INTERFACE s_axilite port = cfg)
    LP_PRAGMA(HLS INTERFACE s_axilite port = nsteps)
    LP_PRAGMA(HLS INTERFACE s_axilite port = step0)
    LP_PRAGMA(HLS INTERFACE s_axilite port = flags)
    LP_PRAGMA(HLS INTERFACE s_axilite port = return)
    static lp_sgd_state_t state; /* the model on chip, kept between calls */
    LP_PRAGMA(HLS ARRAY_PARTITION variable = state.w cyclic factor = 16)
    if (lp_sgd_run(&state, data, model, stats, cfg, nsteps, step0, flags) != LP_SGD_OK && nsteps > 0)
        stats[0] = LP_SGD_REC_BADCFG;
}
