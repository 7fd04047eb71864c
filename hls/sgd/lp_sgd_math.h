/*
 * lp_sgd_math.h - exp, sigmoid and softmax as explicit sequences of FP32 operations
 * (docs/design.md contract 6). No libm: every step is an IEEE binary32 +, -, *, / (round to
 * nearest even, no FMA), a compare, or integer work on the bits; the RTL repeats the
 * same sequence operation by operation.
 *
 * lp_exp_f32(x):
 *   1. clamp: x <= -87.0f -> return +0.0f; x > 88.0f -> x = 88.0f; NaN -> NaN (x returned)
 *   2. t  = x * LOG2E + 0x1.8p23f         (rounds x*log2(e) to the nearest integer n,
 *      kf = t - 0x1.8p23f                  ties to even, in the FP32 adder)
 *      n  = (int32)(bits(t) - bits(0x1.8p23f))
 *   3. r  = (x - kf * LN2_HI) - kf * LN2_LO    Cody-Waite reduction, |r| <= ln2/2;
 *      LN2_HI = 0x1.62e4p-1f (kf*LN2_HI is exact for |n| <= 2^8), LN2_LO = 0x1.7f7d1cp-20f
 *   4. p  = 1 + r*(1 + r*(C2 + r*(C3 + r*(C4 + r*(C5 + r*C6)))))   Horner, Taylor
 *      coefficients C_i = 1/i! rounded to FP32
 *   5. return p * 2^n, 2^n built as bits (n + 127) << 23 (n in [-126, 127]: always normal)
 * lp_sigmoid_f32(z):  e = lp_exp_f32(-|z|);  z >= 0 ? 1/(1+e) : e/(1+e)
 * lp_softmax_f32(z, K, p):  m = max z_k (sequential, k = 0..K-1, first wins);
 *   e_k = lp_exp_f32(z_k - m); s = e_0 + e_1 + ... (sequential, class order);
 *   inv = 1/s;  p_k = e_k * inv
 *
 * Error against libm in double (tests/sgd/test_sgd_math.c asserts these bounds over a
 * dense sweep plus hashed random points; it prints the maxima it saw):
 *   exp      on (-87, 88]: <= 3 ulp (the worst cases are large x, where r loses bits)
 *   sigmoid  on (-87, 100]: <= 4 ulp; below -87 it returns 0 (absolute error < 2e-38)
 *   softmax  K <= 16, |z| <= 50: p_k within 5 + 2|z_k - max z| ulp of the exact softmax of
 *            the FP32 inputs - the FP32 subtraction z_k - max z rounds (relative 2^-24),
 *            which exp turns into up to |z_k - max z| ulp; the rest of the sequence adds
 *            no more than 5 ulp.
 * At and below -87 exp returns +0 (the true value < 1.7e-38; as an input to sigmoid/softmax
 * the absolute error is below FP32's smallest normal).
 */
#ifndef LP_SGD_MATH_H
#define LP_SGD_MATH_H

#include "../lp_kernel.h"

float lp_exp_f32(float x);
float lp_sigmoid_f32(float z);
void lp_softmax_f32(const float *z, uint32_t k, float *p);

#endif
