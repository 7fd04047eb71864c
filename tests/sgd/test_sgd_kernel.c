/*
 * test_sgd_kernel.c - the SGD kernel (hls/sgd/lp_sgd.h) on small data:
 *   - lp_dot_f32 follows the documented reduction order, bit for bit (an independent,
 *     naive transcription of the order, lp_sgd_test.h);
 *   - the gradient of every model against a double-precision reference (tolerance: this
 *     checks the math, not backend bits), read back from one FP32 step with lr = 1;
 *   - the step's statistics are those of lp_quantize_vec on that gradient;
 *   - the schedules and the compensation follow their documented formulas;
 *   - the kernel top refuses bad configuration blocks; training reduces the loss.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/lp_bits.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "quant/lp_quant_vec.h"
#include "sgd/lp_sgd.h"

static float rnd(uint32_t a, uint32_t b)
{
    return (float)((int32_t)(lp_sr_hash(99, a, b) >> 8) - (1 << 23)) / (float)(1 << 23);
}

/* RNE, saturation, subnormals on, no scaling; a constant stepsize (tests of a schedule set
 * its words afterwards) */
static void make_cfg(uint32_t *cfg, uint32_t model, uint32_t K, uint32_t D, uint32_t B, float lr, float lambda,
                     lp_format_t fmt)
{
    lp_sgd_test_cfg_fmt(cfg, model, K, D, B, &fmt, 1u << 16, LP_SCHED_CONST, lr, 0, lambda);
}

/* d features + bias, B rows, labels by model. */
static void make_data(uint32_t *data, uint32_t model, uint32_t K, uint32_t d, uint32_t D, uint32_t B, uint32_t salt)
{
    for (uint32_t r = 0; r < B; r++) {
        uint32_t *row = data + (size_t)r * LP_SGD_ROW_WORDS(D);
        memset(row, 0, LP_SGD_ROW_WORDS(D) * 4);
        float y = model == LP_MODEL_LSQ ? 3.0f * rnd(salt, r) : (float)(lp_sr_hash(5, salt, r) % K);
        if (model == LP_MODEL_LOGISTIC || model == LP_MODEL_HINGE)
            y = (float)(lp_sr_hash(5, salt, r) % 2);
        row[0] = lp_f32_bits(y);
        for (uint32_t j = 0; j < d; j++)
            row[16 + j] = lp_f32_bits(rnd(salt + 1000, r * 64 + j));
        row[16 + d] = lp_f32_bits(1.0f);
    }
}

/* The gradient in double from the definitions in lp_sgd.h. */
static void grad_ref(uint32_t model, uint32_t K, uint32_t D, uint32_t B, const uint32_t *data, const float *w,
                     double lambda, double *g)
{
    memset(g, 0, (size_t)K * D * sizeof(double));
    for (uint32_t r = 0; r < B; r++) {
        const uint32_t *row = data + (size_t)r * LP_SGD_ROW_WORDS(D);
        double y = lp_bits_f32(row[0]), z[16], dz[16], mx = -INFINITY, s = 0;
        for (uint32_t c = 0; c < K; c++) {
            z[c] = 0;
            for (uint32_t j = 0; j < D; j++)
                z[c] += (double)w[c * D + j] * lp_bits_f32(row[16 + j]);
            mx = z[c] > mx ? z[c] : mx;
        }
        if (model == LP_MODEL_LSQ) {
            dz[0] = z[0] - y;
        } else if (model == LP_MODEL_LOGISTIC) {
            dz[0] = 1.0 / (1.0 + exp(-z[0])) - y;
        } else if (model == LP_MODEL_HINGE) {
            double sg = y > 0.5 ? 1 : -1;
            dz[0] = sg * z[0] < 1 ? -sg : 0;
        } else {
            for (uint32_t c = 0; c < K; c++)
                s += exp(z[c] - mx);
            for (uint32_t c = 0; c < K; c++)
                dz[c] = exp(z[c] - mx) / s - (c == (uint32_t)y);
        }
        for (uint32_t c = 0; c < K; c++)
            for (uint32_t j = 0; j < D; j++)
                g[c * D + j] += dz[c] * lp_bits_f32(row[16 + j]);
    }
    for (uint32_t i = 0; i < K * D; i++)
        g[i] = g[i] / B + lambda * w[i];
}

static lp_sgd_state_t st;

int main(void)
{
    /* 1. the dot product's order */
    {
        float a[16 * 13], b[16 * 13];
        int bad = 0;
        for (uint32_t t = 0; t < 2000; t++) {
            uint32_t nb = 1 + t % 13;
            for (uint32_t i = 0; i < 16 * nb; i++) {
                a[i] = rnd(t, i) * (float)(1 + i % 7) * 1e3f;
                b[i] = rnd(t + 77777, i);
            }
            bad += lp_f32_bits(lp_dot_f32(a, b, nb)) != lp_f32_bits(lp_sgd_test_dot_order(a, b, nb));
        }
        LP_CASE("lp_dot_f32 follows the documented reduction order (bits)", bad == 0, "%d mismatches", bad);
    }

    /* 2. gradients of every model vs double, and 3. the statistics */
    static uint32_t data[8 * (16 + 48)];
    static float model[16 * 48 + 16], model1[16 * 48 + 16], g32[16 * 48], gq[16 * 48];
    uint32_t recs[LP_SGD_REC_WORDS];
    double g[16 * 48];
    const uint32_t models[4] = {LP_MODEL_LSQ, LP_MODEL_LOGISTIC, LP_MODEL_SOFTMAX, LP_MODEL_HINGE};
    for (int mi = 0; mi < 4; mi++) {
        uint32_t m = models[mi], K = m == LP_MODEL_SOFTMAX ? 5 : 1, d = 37, D = 48, B = 8, cfg[LP_SGD_CFG_WORDS];
        make_cfg(cfg, m, K, D, B, 1.0f, 0.01f, lp_format_preset(LP_FMT_FP32));
        make_data(data, m, K, d, D, B, (uint32_t)mi);
        memset(model, 0, sizeof model);
        for (uint32_t c = 0; c < K; c++)
            for (uint32_t j = 0; j <= d; j++)
                model[c * D + j] = 0.3f * rnd(50 + mi, c * D + j);
        model[K * D] = 1.0f;
        lp_sgd_run(&st, data, model, recs, cfg, 1, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        memcpy(model1, model, sizeof model1);
        /* reload the starting point: model was overwritten by STORE */
        memset(model, 0, sizeof model);
        for (uint32_t c = 0; c < K; c++)
            for (uint32_t j = 0; j <= d; j++)
                model[c * D + j] = 0.3f * rnd(50 + mi, c * D + j);
        grad_ref(m, K, D, B, data, model, 0.01, g);
        double worst = 0;
        for (uint32_t i = 0; i < K * D; i++) {
            g32[i] = model[i] - model1[i]; /* lr = 1, fp32: w1 = w0 - g */
            double e = fabs(g32[i] - g[i]) / (fabs(g[i]) + 1e-3);
            worst = e > worst ? e : worst;
        }
        char name[64];
        snprintf(name, sizeof name, "gradient of model %d matches double (rel err %.2g)", (int)m, worst);
        LP_CASE(name, worst < 1e-4, "worst relative error %.3g", worst);
        /* the hinge gradient is piecewise constant: make sure some rows are active */
        lp_sgd_rec_t R;
        memcpy(&R, recs, sizeof R);
        LP_CHECK(R.step == 0 && R.n == K * D && R.lr == 1.0f && R.q_hat == 1.0f, "record header");
        LP_CHECK(R.sum[LP_SUM_G2] > 0, "G2 > 0");
    }

    /* 3. statistics of a quantized step equal lp_quantize_vec on the kernel's gradient */
    {
        uint32_t K = 5, d = 37, D = 48, B = 8, cfg[LP_SGD_CFG_WORDS];
        lp_format_t f = lp_format_preset(LP_FMT_FP4_E2M1);
        make_cfg(cfg, LP_MODEL_SOFTMAX, K, D, B, 1.0f, 0.0f, lp_format_preset(LP_FMT_FP32));
        make_data(data, LP_MODEL_SOFTMAX, K, d, D, B, 9);
        memset(model, 0, sizeof model);
        model[K * D] = 1.0f;
        lp_sgd_run(&st, data, model, recs, cfg, 1, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        for (uint32_t i = 0; i < K * D; i++)
            g32[i] = -model[i]; /* w0 = 0, lr = 1: the FP32 gradient exactly */
        make_cfg(cfg, LP_MODEL_SOFTMAX, K, D, B, 1.0f, 0.0f, f);
        memset(model, 0, sizeof model);
        model[K * D] = 1.0f;
        lp_sgd_run(&st, data, model, recs, cfg, 1, 7, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        lp_fmt_params_t p;
        const char *why;
        lp_format_derive(&f, &p, &why);
        lp_qcfg_t qc = lp_qcfg_default(f);
        lp_qstats_t qs;
        lp_quantize_vec(g32, gq, NULL, NULL, K * D, &p, &qc, 7, &qs);
        lp_sgd_rec_t R;
        memcpy(&R, recs, sizeof R);
        int same = R.step == 7 && !memcmp(R.sum, qs.sum, sizeof qs.sum) && R.underflow == qs.underflow &&
                   R.subnormal == qs.subnormal && R.saturated == qs.saturated;
        int wsame = 1;
        for (uint32_t i = 0; i < K * D; i++)
            wsame &= lp_f32_bits(model[i]) == lp_f32_bits(0.0f - gq[i]);
        LP_CASE("fp4 step: statistics and update are lp_quantize_vec's (bits)", same && wsame,
                "same %d wsame %d", same, wsame);
    }

    /* 4. schedules and compensation */
    {
        uint32_t cfg[LP_SGD_CFG_WORDS];
        make_cfg(cfg, LP_MODEL_LSQ, 1, 16, 1, 0.5f, 0, lp_format_preset(LP_FMT_FP32));
        cfg[LP_CFG_SCHED] = LP_SCHED_INVERSE;
        cfg[LP_CFG_GAMMA] = lp_f32_bits(10.0f);
        LP_CHECK(lp_sgd_stepsize(cfg, 0) == 0.5f / 11.0f, "inverse k=0");
        LP_CHECK(lp_sgd_stepsize(cfg, 89) == 0.5f / 100.0f, "inverse k=89");
        cfg[LP_CFG_SCHED] = LP_SCHED_HALVING;
        cfg[LP_CFG_PERIOD] = 100;
        LP_CHECK(lp_sgd_stepsize(cfg, 99) == 0.5f && lp_sgd_stepsize(cfg, 100) == 0.25f &&
                     lp_sgd_stepsize(cfg, 350) == 0.0625f,
                 "halving");
        LP_CHECK(lp_sgd_stepsize(cfg, 4000000000u) == ldexpf(0.5f, -126), "halving saturates at 2^-126");
        cfg[LP_CFG_SCHED] = LP_SCHED_CONST;
        LP_CHECK(lp_sgd_stepsize(cfg, 12345) == 0.5f, "const");

        /* compensation: q_hat follows the EMA of q_proj (fp4 on softmax data) */
        uint32_t K = 5, d = 37, D = 48, B = 8;
        make_cfg(cfg, LP_MODEL_SOFTMAX, K, D, B, 0.1f, 0, lp_format_preset(LP_FMT_FP4_E2M1));
        cfg[LP_CFG_OPTIONS] = LP_CFG_COMPENSATE;
        make_data(data, LP_MODEL_SOFTMAX, K, d, D, B, 3);
        memset(model, 0, sizeof model);
        model[K * D] = 1.0f;
        uint32_t r3[3 * LP_SGD_REC_WORDS];
        static uint32_t data3[3 * 8 * (16 + 48)];
        for (int s = 0; s < 3; s++)
            memcpy(data3 + s * 8 * (16 + 48), data, sizeof data);
        lp_sgd_run(&st, data3, model, r3, cfg, 3, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        float qh = 1.0f;
        int ok = 1;
        for (int s = 0; s < 3; s++) {
            lp_sgd_rec_t R;
            memcpy(&R, r3 + s * LP_SGD_REC_WORDS, sizeof R);
            float qp = R.sum[LP_SUM_G2] > 0 ? 1.0f + R.sum[LP_SUM_GE] / R.sum[LP_SUM_G2] : 1.0f;
            qh = qh + 0.125f * (qp - qh);
            float qu = qh < 0.0625f ? 0.0625f : qh > 1.0f ? 1.0f : qh;
            ok &= R.q_hat == qh && R.lr == 0.1f * (1.0f / qu);
        }
        LP_CASE("compensation: q_hat = EMA(1/8) of q_proj, lr = lr / clamp(q_hat)", ok && model[K * D] == qh,
                "q_hat or lr differs");
    }

    /* 5. bad configuration blocks are refused, the top reports it */
    {
        uint32_t cfg[LP_SGD_CFG_WORDS];
        lp_beat_t rec[1], cfgb[LP_SGD_CFG_WORDS / LP_SGD_LANES];
        const char *why;
        make_cfg(cfg, LP_MODEL_SOFTMAX, 17, 48, 8, 0.1f, 0, lp_format_preset(LP_FMT_FP32));
        LP_CHECK(lp_sgd_check_cfg(cfg, &why) == LP_SGD_EBADCFG, "K = 17 refused");
        make_cfg(cfg, LP_MODEL_LSQ, 1, 40, 8, 0.1f, 0, lp_format_preset(LP_FMT_FP32));
        LP_CHECK(lp_sgd_check_cfg(cfg, &why) == LP_SGD_EBADCFG, "D = 40 refused");
        make_cfg(cfg, LP_MODEL_LSQ, 1, 48, 0, 0.1f, 0, lp_format_preset(LP_FMT_FP32));
        LP_CHECK(lp_sgd_check_cfg(cfg, &why) == LP_SGD_EBADCFG, "B = 0 refused");
        make_cfg(cfg, LP_MODEL_LSQ, 1, 48, 8, 0.1f, 0, lp_format_exmy(9, 3));
        LP_CHECK(lp_sgd_check_cfg(cfg, &why) == LP_SGD_EBADCFG, "format e9m3 refused: %s", why);
        cfg[LP_CFG_MAGIC] = 0;
        for (int i = 0; i < LP_SGD_CFG_WORDS; i++)
            cfgb[i / LP_SGD_LANES].w[i % LP_SGD_LANES] = cfg[i];
        lp_sgd(NULL, NULL, rec, cfgb, 1, 0, 0);
        LP_CHECK(rec[0].w[0] == LP_SGD_REC_BADCFG, "the top writes LP_SGD_REC_BADCFG");
    }

    /* 6. training reduces the loss: least squares, 200 steps on a fixed batch set */
    {
        uint32_t d = 20, D = 32, B = 16, cfg[LP_SGD_CFG_WORDS], n = 200;
        static uint32_t big[200 * 16 * 48];
        static uint32_t rr[200 * LP_SGD_REC_WORDS];
        make_cfg(cfg, LP_MODEL_LSQ, 1, D, B, 0.05f, 0.001f, lp_format_preset(LP_FMT_FP8_E4M3));
        for (uint32_t s = 0; s < n; s++) {
            make_data(big + (size_t)s * B * LP_SGD_ROW_WORDS(D), LP_MODEL_LSQ, 1, d, D, B, s % 10);
            /* a consistent linear target: y = sum_j x_j * (j % 3 - 1) */
            for (uint32_t r = 0; r < B; r++) {
                uint32_t *row = big + ((size_t)s * B + r) * LP_SGD_ROW_WORDS(D);
                float y = 0;
                for (uint32_t j = 0; j < d; j++)
                    y += lp_bits_f32(row[16 + j]) * (float)((int)(j % 3) - 1);
                row[0] = lp_f32_bits(y);
            }
        }
        memset(model, 0, sizeof model);
        model[D] = 1.0f;
        lp_sgd_run(&st, big, model, rr, cfg, n, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        lp_sgd_rec_t R0, R1;
        memcpy(&R0, rr, sizeof R0);
        memcpy(&R1, rr + (n - 1) * LP_SGD_REC_WORDS, sizeof R1);
        LP_CASE("least squares fp8: minibatch loss falls 20x in 200 steps", R1.loss * 20 < R0.loss,
                "first %g last %g", (double)R0.loss, (double)R1.loss);
    }
    return lp_test_summary();
}
