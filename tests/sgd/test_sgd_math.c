/*
 * test_sgd_math.c - the FP32 exp/sigmoid/softmax sequences (hls/sgd/lp_sgd_math.h)
 * against libm in double: the documented error bounds, special values, and that the
 * sequences are what the header says (an independent transcription, bit for bit).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "format/lp_bits.h"
#include "lp_test.h"
#include "quant/lp_quant.h"
#include "sgd/lp_sgd_math.h"

/* |a - b| in units of the FP32 ulp at b (b the exact value in double). */
static double ulp_err(float a, double b)
{
    if (b == 0)
        return a == 0 ? 0 : INFINITY;
    int e;
    frexp(b, &e);
    double ulp = ldexp(1.0, (e - 24) < -149 ? -149 : e - 24);
    return fabs((double)a - b) / ulp;
}

/* The header's step list, transcribed independently (volatile: no contraction). */
static float exp_spec(float x)
{
    if (x != x)
        return x;
    if (x <= -87.0f)
        return 0.0f;
    if (x > 88.0f)
        x = 88.0f;
    volatile float t = x * 1.44269502162933349609375f;
    t = t + 12582912.0f;
    volatile float kf = t - 12582912.0f;
    int32_t n = (int32_t)(lp_f32_bits(t) - 0x4B400000u);
    volatile float a = kf * 0.693145751953125f;
    volatile float r = x - a;
    volatile float b = kf * 1.428606765330187045037746429443359375e-6f;
    r = r - b;
    const float c[7] = {1.0f, 1.0f, 0.5f, (float)(1.0 / 6), (float)(1.0 / 24), (float)(1.0 / 120),
                        (float)(1.0 / 720)};
    volatile float p = c[6];
    for (int i = 5; i >= 0; i--) {
        volatile float m = r * p;
        p = c[i] + m;
    }
    float two_n;
    uint32_t bits = (uint32_t)(n + 127) << 23;
    memcpy(&two_n, &bits, 4);
    return p * two_n;
}

int main(void)
{
    /* exp: dense sweep and hashed random points over [-87, 88] */
    double worst = 0, worst_x = 0;
    int spec_bad = 0;
    for (int i = 0; i <= 2000000; i++) {
        float x = -86.99f + 174.99f * (float)i / 2000000.0f;
        if (i & 1)
            x = -86.99f + 174.99f * (float)(lp_hash_mix32((uint32_t)i) >> 8) / 16777216.0f;
        x = x > 88.0f ? 88.0f : x;
        float y = lp_exp_f32(x);
        double e = ulp_err(y, exp((double)x));
        if (e > worst) {
            worst = e;
            worst_x = x;
        }
        spec_bad += lp_f32_bits(y) != lp_f32_bits(exp_spec(x));
    }
    printf("exp: max error %.3f ulp (at x = %.9g)\n", worst, worst_x);
    LP_CASE("exp within 3 ulp of libm on (-87, 88]", worst <= 3.0, "max %.3f ulp at %.9g", worst, worst_x);
    LP_CASE("exp is the documented sequence, bit for bit", spec_bad == 0, "%d mismatches", spec_bad);
    LP_CHECK(lp_exp_f32(0.0f) == 1.0f, "exp(0) = %g", (double)lp_exp_f32(0.0f));
    LP_CHECK(lp_exp_f32(-100.0f) == 0.0f, "exp(-100) flushes to 0");
    LP_CHECK(lp_exp_f32(1000.0f) == lp_exp_f32(88.0f), "exp clamps at 88");
    LP_CHECK(isnan(lp_exp_f32(NAN)), "exp(NaN) is NaN");
    LP_CHECK(lp_exp_f32(-INFINITY) == 0.0f, "exp(-inf) = 0");

    /* sigmoid on [-100, 100]: ulp on (-87, 100], absolute below (exp flushes at -87) */
    worst = 0;
    double abs_low = 0;
    for (int i = 0; i <= 400000; i++) {
        float z = -100.0f + 200.0f * (float)i / 400000.0f;
        double ref = 1.0 / (1.0 + exp(-(double)z));
        if (z <= -87.0f) {
            double ae = fabs(lp_sigmoid_f32(z) - ref);
            abs_low = ae > abs_low ? ae : abs_low;
            continue;
        }
        double e = ulp_err(lp_sigmoid_f32(z), ref);
        if (e > worst) {
            worst = e;
            worst_x = z;
        }
    }
    printf("sigmoid: max error %.3f ulp (at z = %.9g)\n", worst, worst_x);
    LP_CASE("sigmoid within 4 ulp on (-87, 100]", worst <= 4.0, "max %.3f ulp at %.9g", worst, worst_x);
    LP_CASE("sigmoid below -87 within 2e-38 absolute", abs_low <= 2e-38, "abs err %g", abs_low);
    LP_CHECK(lp_sigmoid_f32(0.0f) == 0.5f, "sigmoid(0) = 0.5");

    /* softmax: K = 2..16, |z| <= 50, hashed */
    worst = 0;
    for (uint32_t t = 0; t < 200000; t++) {
        uint32_t k = 2 + t % 15;
        float z[16], p[16];
        double m = -INFINITY, s = 0;
        for (uint32_t i = 0; i < k; i++) {
            z[i] = -50.0f + 100.0f * (float)(lp_sr_hash(7, t, i) >> 8) / 16777216.0f;
            if (t % 3 == 0)
                z[i] *= 0.02f; /* close logits */
            m = z[i] > m ? z[i] : m;
        }
        for (uint32_t i = 0; i < k; i++)
            s += exp((double)z[i] - m);
        lp_softmax_f32(z, k, p);
        for (uint32_t i = 0; i < k; i++) {
            double ref = exp((double)z[i] - m) / s;
            if (ref < 1e-37)
                continue; /* below FP32's normal range: exp flushes */
            /* the FP32 subtraction z_k - m rounds (relative 2^-24): that costs up to
               |z_k - m| ulp in exp; the sequence itself adds a few */
            double e = ulp_err(p[i], ref) - 2.0 * fabs((double)z[i] - m);
            worst = e > worst ? e : worst;
        }
    }
    printf("softmax: max error %.3f ulp beyond 2|z_k - max z| ulp\n", worst);
    LP_CASE("softmax within 5 + 2|z_k - max z| ulp (K <= 16, |z| <= 50)", worst <= 5.0, "max %.3f ulp", worst);
    return lp_test_summary();
}
