/*
 * lp_sgd_step.h - one step of the SGD kernel (lp_sgd.h, ONE STEP) as inline code: the HLS
 * kernel's (lp_sgd.c includes it) and, compiled once per instruction set, the host's
 * (lp_sgd_host.c, host-only: its loops on the CPU's vector unit, the same bits).
 * LP_SGD_INLINE (default inline, the functions being static) and LP_SGD_FORWARD (the
 * step's forward pass, default lp_sgd_forward_inline: the host variants have their own
 * dot products in the same documented order) may be defined first.
 */
#ifndef LP_SGD_STEP_H
#define LP_SGD_STEP_H

#include "../format/lp_bits.h"
#include "../quant/lp_quant_vec.h"
#include "../stats/lp_stats.h"
#include "lp_sgd.h"
#include "lp_sgd_math.h"

#ifndef LP_SGD_INLINE
#define LP_SGD_INLINE inline
#endif

/* Loss derivative for one row: z[K] in, d[K] out; adds the row's loss/correct count. */
static LP_SGD_INLINE void lp_sgd_row_derivative(uint32_t model, uint32_t k, const float *z, float y, float *d,
                                                float *loss, uint32_t *correct)
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

/* Step 1's outputs z_c = lp_dot_f32(w_c, x), c = 0..K-1. */
static LP_SGD_INLINE void lp_sgd_forward_inline(const LP_GLOBAL float *w, const LP_GLOBAL float *x, uint32_t K,
                                                 uint32_t D, float *z)
{
    for (uint32_t c = 0; c < K; c++)
        z[c] = lp_dot_f32(w + c * D, x, D / LP_SGD_LANES);
}
#ifndef LP_SGD_FORWARD
#define LP_SGD_FORWARD lp_sgd_forward_inline
#endif

/* One step (lp_sgd.h ONE STEP), its record into *rec. */
static LP_SGD_INLINE void lp_sgd_step_inline(LP_GLOBAL lp_sgd_state_t *st, LP_GLOBAL lp_sgd_scratch_t *sc,
                                              const LP_GLOBAL uint32_t *rows, const uint32_t *cfg, const lp_fmt_params_t *p, const lp_qcfg_t *qc,
                                              uint32_t k, lp_sgd_rec_t *rec)
{
    uint32_t model = cfg[LP_CFG_MODEL], K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], B = cfg[LP_CFG_BATCH];
    uint32_t n = K * D, rw = LP_SGD_ROW_WORDS(D);
    float loss = 0.0f, z[LP_SGD_MAX_CLASSES], d[LP_SGD_MAX_CLASSES];
    uint32_t correct = 0;

    /* 1. gradient accumulation over the minibatch, row order */
    for (uint32_t i = 0; i < n; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16384)
        sc->acc[i] = 0.0f;
    }
    for (uint32_t r = 0; r < B; r++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 65536)
        uint64_t r0 = (uint64_t)r * rw;
        float y = lp_bits_f32(rows[r0]);
        for (uint32_t j = 0; j < D; j++) {
            LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 8192)
            sc->row[j] = lp_bits_f32(rows[r0 + LP_SGD_LANES + j]);
        }
        LP_SGD_FORWARD(st->w, sc->row, K, D, z);
        lp_sgd_row_derivative(model, K, z, y, d, &loss, &correct);
        for (uint32_t c = 0; c < K; c++) {
            float dc = d[c];
            LP_GLOBAL float *a = sc->acc + c * D;
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
    sc->scale_k[0] = 0;
    lp_quantize_vec(sc->g, sc->gq, NULL, qc->scale == LP_SCALE_TENSOR ? sc->scale_k : NULL, n, p, qc, k, &qs);

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
    rec->scale_k = sc->scale_k[0];
}

#ifdef LP_SGD_HOST
/* Host builds only (lp_sgd_host.c): the step and lp_sgd_forward in the variant chosen by
 * lp_sgd_variant_set (lp_sgd.h); 0 (nothing done) when that is "plain", the code above. */
int lp_sgd_step_host(lp_sgd_state_t *st, lp_sgd_scratch_t *sc, const uint32_t *rows, const uint32_t *cfg,
                     const lp_fmt_params_t *p, const lp_qcfg_t *qc, uint32_t k, lp_sgd_rec_t *rec);
int lp_sgd_forward_host(const float *w, const float *x, uint32_t K, uint32_t D, float *z);
#endif

#endif
