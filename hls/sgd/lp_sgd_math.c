/*
 * lp_sgd_math.c - the FP32 exp/sigmoid/softmax sequences (documented in lp_sgd_math.h).
 */
#include "lp_sgd_math.h"

#include "../format/lp_bits.h"

#define LP_EXP_SHIFTER 0x1.8p23f
#define LP_LOG2E 0x1.715476p+0f
#define LP_LN2_HI 0x1.62e4p-1f
#define LP_LN2_LO 0x1.7f7d1cp-20f

float lp_exp_f32(float x)
{
    if (x != x)
        return x;
    if (x <= -87.0f)
        return 0.0f;
    if (x > 88.0f)
        x = 88.0f;
    float t = x * LP_LOG2E + LP_EXP_SHIFTER;
    float kf = t - LP_EXP_SHIFTER;
    int32_t n = (int32_t)(lp_f32_bits(t) - lp_f32_bits(LP_EXP_SHIFTER));
    float r = (x - kf * LP_LN2_HI) - kf * LP_LN2_LO;
    float p = 1.0f / 720.0f;
    p = 1.0f / 120.0f + r * p;
    p = 1.0f / 24.0f + r * p;
    p = 1.0f / 6.0f + r * p;
    p = 0.5f + r * p;
    p = 1.0f + r * p;
    p = 1.0f + r * p;
    return p * lp_bits_f32((uint32_t)(n + 127) << 23);
}

float lp_sigmoid_f32(float z)
{
    float a = z < 0.0f ? -z : z;
    float e = lp_exp_f32(-a);
    float d = 1.0f + e;
    return z >= 0.0f ? 1.0f / d : e / d;
}

void lp_softmax_f32(const float *z, uint32_t k, float *p)
{
    float m = z[0];
    for (uint32_t i = 1; i < k; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 15)
        m = z[i] > m ? z[i] : m;
    }
    float s = 0.0f;
    for (uint32_t i = 0; i < k; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16)
        p[i] = lp_exp_f32(z[i] - m);
        s = s + p[i];
    }
    float inv = 1.0f / s;
    for (uint32_t i = 0; i < k; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 16)
        p[i] = p[i] * inv;
    }
}
