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
        for (uint32_t i = 1; i < k; i++) {
            LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 15)
            best = z[i] > z[best] ? i : best;
        }
        *correct += best == c;
        lp_softmax_f32(z, k, d);
        for (uint32_t i = 0; i < k; i++) {
            LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16)
            d[i] = i == c ? d[i] - 1.0f : d[i];
        }
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

/* The partial sums of a dot product of nbeats 16-float beats (lp_sgd.h DOT PRODUCTS): beat
 * bt adds a*b into partial bt % 4 of its lane (II = 1: a partial is read again 4 beats after
 * it was written); lp_red_fold then gives the dot product. lp_dot_f32 and the forward pass. */
static LP_SGD_INLINE void lp_dot_partials(float acc[LP_PARTIALS][LP_LANES], const LP_GLOBAL float *a,
                                          const LP_GLOBAL float *b, uint32_t nbeats)
{
    for (uint32_t p = 0; p < LP_PARTIALS; p++)
        for (uint32_t l = 0; l < LP_LANES; l++)
            acc[p][l] = 0.0f;
    for (uint32_t bt = 0; bt < nbeats; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 512)
        LP_PRAGMA(HLS PIPELINE II = 1)
        LP_PRAGMA(HLS DEPENDENCE variable = acc inter distance = 4 true)
        for (uint32_t l = 0; l < LP_LANES; l++) {
            float prod = a[bt * LP_LANES + l] * b[bt * LP_LANES + l];
            acc[bt % LP_PARTIALS][l] = acc[bt % LP_PARTIALS][l] + prod;
        }
    }
}

/* Step 1's outputs z_c = lp_dot_f32(w_c, x), c = 0..K-1: per class the partials, then the K
 * folds as one pipelined loop, so a row pays the fold's latency once, not once per class. */
static LP_SGD_INLINE void lp_sgd_forward_inline(const LP_GLOBAL float *w, const LP_GLOBAL float *x, uint32_t K,
                                                 uint32_t D, float *z)
{
    float acc[LP_SGD_MAX_CLASSES][LP_PARTIALS][LP_LANES];
    LP_PRAGMA(HLS ARRAY_PARTITION variable = acc dim = 3 complete)
    for (uint32_t c = 0; c < K; c++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16)
        lp_dot_partials(acc[c], w + c * D, x, D / LP_SGD_LANES);
    }
    for (uint32_t c = 0; c < K; c++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16)
        LP_PRAGMA(HLS PIPELINE II = 1)
        z[c] = lp_red_fold((const float(*)[LP_LANES])acc[c]);
    }
}
#ifndef LP_SGD_FORWARD
#define LP_SGD_FORWARD lp_sgd_forward_inline
#endif

/*
 * The loops below are written beat by beat (16 lanes, the RTL's beat) for Vitis HLS:
 * each pipelines at II = 1 with its 16 lanes unrolled, the on-chip arrays being partitioned
 * cyclically by 16 (lp_sgd.c), so a beat's 16 words sit in 16 banks. docs/hls.md has the
 * table: per loop its II, its trip count and the cycles per step.
 */

/*
 * Step 1 is, per row, a DATAFLOW region of three processes (Vitis' canonical "dataflow in a
 * loop": no inlining, B a function argument), so rows stream as the RTL's do:
 *     lp_sgd_row_load (row r+2)  ->  lp_sgd_row_forward (row r+1)  ->  lp_sgd_row_accum (row r)
 * load reads the row's beats from the data port (two copies: a channel has one reader);
 * forward computes z and the derivatives d; accum adds d_c * x_j into the
 * accumulator, which only it touches during the loop. The row buffers are local arrays,
 * which Vitis HLS makes ping-pong channels; in OpenCL C they are the scratch's (32 KiB is
 * too much private memory for a work-item). gcc runs the processes one after the other,
 * row by row: the same adds in the same order.
 */
#if defined(LP_HLS) || defined(__SYNTHESIS__)
#define LP_SGD_ROWBUF(x, sc, i) float x[LP_SGD_MAX_DIM]
#else
#define LP_SGD_ROWBUF(x, sc, i) LP_GLOBAL float *x = (sc)->row[i]
#endif
/* Only a dataflow network needs load's second copy of the row (a channel has one reader);
 * run sequentially (gcc, OpenCL), accum reads the first. */
#if defined(LP_HLS) || defined(__SYNTHESIS__)
#define LP_SGD_ROW_COPY 1
#endif

/* Process 1: the row at beat rb of the data port: its label and x_r (beats 1..D/16), into
 * row and, for a dataflow network, the same beat in the same cycle into row2 too. */
static LP_SGD_INLINE void lp_sgd_row_load(const LP_GLOBAL lp_beat_t *data, uint64_t rb, uint32_t D,
                                          LP_GLOBAL float *row, LP_GLOBAL float *row2, float *y)
{
    LP_PRAGMA(HLS INLINE off)
    *y = lp_bits_f32(data[rb].w[0]);
    for (uint32_t bt = 0; bt < D / LP_SGD_LANES; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 512)
        LP_PRAGMA(HLS PIPELINE II = 1)
        for (uint32_t l = 0; l < LP_SGD_LANES; l++) {
            float x = lp_bits_f32(data[rb + 1u + bt].w[l]);
            row[bt * LP_SGD_LANES + l] = x;
#ifdef LP_SGD_ROW_COPY
            row2[bt * LP_SGD_LANES + l] = x;
#endif
        }
    }
#ifndef LP_SGD_ROW_COPY
    (void)row2;
#endif
}

/* Process 2: the row's forward pass and loss derivatives d (its loss and correct count
 * added to *loss, *correct). */
static LP_SGD_INLINE void lp_sgd_row_forward(const LP_GLOBAL float *w, const LP_GLOBAL float *row, float y,
                                             const uint32_t *cfg, float *d, float *loss, uint32_t *correct)
{
    LP_PRAGMA(HLS INLINE off)
    uint32_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D];
    float z[LP_SGD_MAX_CLASSES];
    LP_SGD_FORWARD(w, row, K, D, z);
    lp_sgd_row_derivative(cfg[LP_CFG_MODEL], K, z, y, d, loss, correct);
}

/* Process 3: a_c,j = a_c,j + d_c * x_j for every class c < K and element j < D (one add
 * per element per row). */
static LP_SGD_INLINE void lp_sgd_row_accum(LP_GLOBAL float *acc, const float *d, const LP_GLOBAL float *row,
                                           uint32_t K, uint32_t D)
{
    LP_PRAGMA(HLS INLINE off)
    for (uint32_t c = 0; c < K; c++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16)
        float dc = d[c];
        LP_GLOBAL float *a = acc + c * D; /* class c's accumulator (a uint32 index would wrap: gcc
                                             then keeps the loop scalar) */
        for (uint32_t bt = 0; bt < D / LP_SGD_LANES; bt++) {
            LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 512)
            LP_PRAGMA(HLS PIPELINE II = 1)
            for (uint32_t l = 0; l < LP_SGD_LANES; l++) {
                float prod = dc * row[bt * LP_SGD_LANES + l];
                a[bt * LP_SGD_LANES + l] = a[bt * LP_SGD_LANES + l] + prod;
            }
        }
    }
}

/* Step 1 over the B rows from beat `base` of the data port, in row order: the accumulator,
 * the loss sum, the correct count. */
static LP_SGD_INLINE void lp_sgd_accumulate(const LP_GLOBAL lp_sgd_state_t *st, LP_GLOBAL lp_sgd_scratch_t *sc,
                                            const LP_GLOBAL lp_beat_t *data, uint64_t base, uint32_t B,
                                            const uint32_t *cfg, float *loss, uint32_t *correct)
{
    uint32_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D];
    for (uint32_t bt = 0; bt < K * D / LP_SGD_LANES; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
        LP_PRAGMA(HLS PIPELINE II = 1)
        for (uint32_t l = 0; l < LP_SGD_LANES; l++)
            sc->acc[bt * LP_SGD_LANES + l] = 0.0f;
    }
    for (uint32_t r = 0; r < B; r++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 65536)
        LP_PRAGMA(HLS DATAFLOW)
        LP_SGD_ROWBUF(x, sc, 0);
        LP_SGD_ROWBUF(x2, sc, 1);
        float y, d[LP_SGD_MAX_CLASSES];
        lp_sgd_row_load(data, base + (uint64_t)r * LP_SGD_ROW_BEATS(D), D, x, x2, &y);
        lp_sgd_row_forward(st->w, x, y, cfg, d, loss, correct);
#ifdef LP_SGD_ROW_COPY
        lp_sgd_row_accum(sc->acc, d, x2, K, D); /* a channel has one reader: load's second copy */
#else
        lp_sgd_row_accum(sc->acc, d, x, K, D);
#endif
    }
}

/* Step 2: g_i = a_i * inv_b + lambda * w_i (products first, then the add). */
static LP_SGD_INLINE void lp_sgd_gradient(LP_GLOBAL lp_sgd_scratch_t *sc, const LP_GLOBAL float *w, uint32_t n,
                                          float inv_b, float lambda)
{
    for (uint32_t bt = 0; bt < n / LP_SGD_LANES; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
        LP_PRAGMA(HLS PIPELINE II = 1)
        for (uint32_t l = 0; l < LP_SGD_LANES; l++) {
            uint32_t i = bt * LP_SGD_LANES + l;
            float gd = sc->acc[i] * inv_b;
            float gl = lambda * w[i];
            sc->g[i] = gd + gl;
        }
    }
}

/* Step 5: w_i <- w_i - mu_k * gq_i. */
static LP_SGD_INLINE void lp_sgd_update(LP_GLOBAL float *w, const LP_GLOBAL float *gq, uint32_t n, float lr)
{
    for (uint32_t bt = 0; bt < n / LP_SGD_LANES; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
        LP_PRAGMA(HLS PIPELINE II = 1)
        for (uint32_t l = 0; l < LP_SGD_LANES; l++) {
            uint32_t i = bt * LP_SGD_LANES + l;
            float step = lr * gq[i];
            w[i] = w[i] - step;
        }
    }
}

/* One step (lp_sgd.h ONE STEP) on the B rows from beat `base` of the data port; its record
 * into *rec. */
static LP_SGD_INLINE void lp_sgd_step_inline(LP_GLOBAL lp_sgd_state_t *st, LP_GLOBAL lp_sgd_scratch_t *sc,
                                              const LP_GLOBAL lp_beat_t *data, uint64_t base, const uint32_t *cfg,
                                              const lp_fmt_params_t *p, const lp_qcfg_t *qc, uint32_t k,
                                              lp_sgd_rec_t *rec)
{
    uint32_t n = cfg[LP_CFG_K] * cfg[LP_CFG_D];
    float loss = 0.0f;
    uint32_t correct = 0;
    lp_sgd_accumulate(st, sc, data, base, cfg[LP_CFG_BATCH], cfg, &loss, &correct); /* 1 */
    float inv_b = 1.0f / (float)cfg[LP_CFG_BATCH], lambda = lp_bits_f32(cfg[LP_CFG_LAMBDA]);
    lp_sgd_gradient(sc, st->w, n, inv_b, lambda);                                    /* 2 */
    lp_qstats_t qs;                                                                  /* 3 */
    sc->scale_k[0] = 0;
    lp_quantize_vec(sc->g, sc->gq, NULL, qc->scale == LP_SCALE_TENSOR ? sc->scale_k : NULL, n, p, qc, k, &qs);
    float lr = lp_sgd_stepsize(cfg, k);                                              /* 4 */
    float q_hat = st->state[0];
    if (cfg[LP_CFG_OPTIONS] & LP_CFG_COMPENSATE) {
        lr = lp_sgd_compensate(lr, qs.sum[LP_SUM_G2], qs.sum[LP_SUM_GE], &q_hat);
        st->state[0] = q_hat;
    }
    lp_sgd_update(st->w, sc->gq, n, lr);                                             /* 5 */
    rec->step = k;                                                                   /* 6 */
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
int lp_sgd_step_host(lp_sgd_state_t *st, lp_sgd_scratch_t *sc, const lp_beat_t *data, uint64_t base,
                     const uint32_t *cfg, const lp_fmt_params_t *p, const lp_qcfg_t *qc, uint32_t k,
                     lp_sgd_rec_t *rec);
int lp_sgd_forward_host(const float *w, const float *x, uint32_t K, uint32_t D, float *z);
#endif

#endif
