/*
 * lp_sgd_test.h - test inputs for the SGD kernel, shared by the tests and benches that
 * compare a backend with lp_sgd_run: a configuration block from readable fields, rows of
 * random features with labels fitting the model, and a small random model. Deterministic
 * from the caller's xorshift state. And the dot product's order, transcribed from its text.
 */
#ifndef LP_SGD_TEST_H
#define LP_SGD_TEST_H

#include <stdlib.h>
#include <string.h>

#include "format/lp_bits.h"
#include "format/lp_format.h"
#include "sgd/lp_sgd.h"

static inline uint32_t lp_sgd_test_rnd32(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)(*s >> 16);
}
/* uniform in [0, 1) */
static inline float lp_sgd_test_rndu(uint64_t *s) { return (float)(lp_sgd_test_rnd32(s) & 0xFFFFFF) / 16777216.0f; }

/* A configuration block from a parsed format: gamma 3.5, period 2, seed 77+qopt (callers
 * that test a schedule or a seed set those words afterwards). */
static inline void lp_sgd_test_cfg_fmt(uint32_t *cfg, uint32_t model, uint32_t K, uint32_t D, uint32_t B,
                                       const lp_format_t *f, uint32_t qopt, uint32_t sched, float lr, int compensate,
                                       float lambda)
{
    memset(cfg, 0, LP_SGD_CFG_WORDS * 4);
    cfg[LP_CFG_MAGIC] = LP_SGD_CFG_MAGIC;
    cfg[LP_CFG_VERSION] = LP_SGD_CFG_VERSION;
    cfg[LP_CFG_MODEL] = model;
    cfg[LP_CFG_K] = K;
    cfg[LP_CFG_D] = D;
    cfg[LP_CFG_BATCH] = B;
    cfg[LP_CFG_SCHED] = sched;
    cfg[LP_CFG_LR] = lp_f32_bits(lr);
    cfg[LP_CFG_GAMMA] = lp_f32_bits(3.5f);
    cfg[LP_CFG_PERIOD] = 2;
    cfg[LP_CFG_LAMBDA] = lp_f32_bits(lambda);
    cfg[LP_CFG_OPTIONS] = compensate ? LP_CFG_COMPENSATE : 0;
    lp_sgd_cfg_set_format(cfg, f);
    cfg[LP_CFG_QOPT] = qopt;
    cfg[LP_CFG_SEED] = 77 + qopt;
}

/* The same from a format name; 0, or -1 (cfg all zero) if fmt does not parse. */
static inline int lp_sgd_test_cfg(uint32_t *cfg, uint32_t model, uint32_t K, uint32_t D, uint32_t B, const char *fmt,
                                  uint32_t qopt, uint32_t sched, float lr, int compensate, float lambda)
{
    lp_format_t f;
    char err[128];
    memset(cfg, 0, LP_SGD_CFG_WORDS * 4);
    if (lp_format_parse(fmt, &f, err, sizeof err) != 0)
        return -1;
    lp_sgd_test_cfg_fmt(cfg, model, K, D, B, &f, qopt, sched, lr, compensate, lambda);
    return 0;
}

/* lp_dot_f32's order, literally (an independent transcription of lp_sgd.h DOT PRODUCTS):
 * per lane l, partial p gets beats b = p, p+4, ...; then the fold. */
static inline float lp_sgd_test_dot_order(const float *a, const float *b, uint32_t nbeats)
{
    float lane[16];
    for (int l = 0; l < 16; l++) {
        float part[4] = {0, 0, 0, 0};
        for (uint32_t bt = 0; bt < nbeats; bt++) {
            volatile float prod = a[bt * 16 + l] * b[bt * 16 + l];
            part[bt % 4] = part[bt % 4] + prod;
        }
        volatile float x = part[0] + part[1], y = part[2] + part[3];
        lane[l] = x + y;
    }
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++)
            lane[l] = lane[2 * l] + lane[2 * l + 1];
    return lane[0];
}

/* features per row before the bias column (the rest of D is zero padding) */
static inline uint32_t lp_sgd_test_nf(uint32_t D) { return D > 16 ? D - 5 : D - 1; }

/* rows (calloc'd): features in [-1,1), the bias 1.0f, labels by model (LSQ: [-2,2); softmax:
 * a class 0..K-1; logistic, hinge: 0 or 1) */
static inline uint32_t *lp_sgd_test_rows(uint64_t *s, uint32_t model, uint32_t K, uint32_t D, uint32_t rows)
{
    uint32_t rw = LP_SGD_ROW_WORDS(D), nf = lp_sgd_test_nf(D);
    uint32_t *data = calloc((size_t)rows * rw + 1, 4);
    for (uint32_t r = 0; data && r < rows; r++) {
        uint32_t *row = data + (size_t)r * rw;
        float y = model == LP_MODEL_LSQ       ? 4.0f * lp_sgd_test_rndu(s) - 2.0f
                  : model == LP_MODEL_SOFTMAX ? (float)(lp_sgd_test_rnd32(s) % K)
                                              : (float)(lp_sgd_test_rnd32(s) & 1);
        row[0] = lp_f32_bits(y);
        for (uint32_t j = 0; j < nf; j++)
            row[16 + j] = lp_f32_bits(2.0f * lp_sgd_test_rndu(s) - 1.0f);
        row[16 + nf] = lp_f32_bits(1.0f);
    }
    return data;
}

/* a model buffer (calloc'd, K*D+16 words): weights in [-0.1,0.1) on the used columns, q_hat
 * 1.0f, and a nonzero reserved state word (5) that must come back unchanged */
static inline float *lp_sgd_test_model(uint64_t *s, uint32_t K, uint32_t D)
{
    uint32_t nf = lp_sgd_test_nf(D);
    float *m = calloc(LP_SGD_MODEL_WORDS(K, D), 4);
    for (uint32_t c = 0; m && c < K; c++)
        for (uint32_t j = 0; j <= nf; j++)
            m[c * D + j] = 0.2f * lp_sgd_test_rndu(s) - 0.1f;
    if (m) {
        m[K * D] = 1.0f;
        m[K * D + 5] = lp_bits_f32(0x12345u);
    }
    return m;
}

#endif
