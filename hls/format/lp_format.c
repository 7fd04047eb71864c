/*
 * lp_format.c - format validation and derived parameters (kernel code: the SGD kernel
 * validates its configuration block with lp_format_derive). The presets, the parser and the
 * names are host-side, in lp_format_name.c.
 */
#include "lp_format.h"

int lp_msb32(uint32_t v)
{
#if defined(__OPENCL_C_VERSION__)
    return 31 - (int)clz(v);
#elif defined(__GNUC__)
    return 31 - __builtin_clz(v);
#else
    int p = 0;
    for (int i = 0; i < 32; i++)
        if ((v >> i) & 1u)
            p = i;
    return p;
#endif
}

uint32_t lp_f32_pack(uint32_t kq, int32_t qe)
{
    int p = lp_msb32(kq);
    int32_t rexp = qe + p; /* unbiased exponent of the leading one */
    if (rexp >= 128)
        return 0x7F800000u;
    if (rexp >= -126) {
        uint32_t mant = p <= 23 ? kq << (23 - p) : kq >> (p - 23);
        return ((uint32_t)(rexp + 127) << 23) | (mant & 0x7FFFFFu);
    }
    return kq << (qe + 149); /* FP32 subnormal: kq * 2^qe = m * 2^-149 */
}

int lp_format_derive(const lp_format_t *fmt, lp_fmt_params_t *p, lp_why_t *why)
{
    lp_fmt_params_t z = {0};
    *p = z;
    *why = "";
    if (fmt->kind == LP_KIND_FIXED) {
        int w = fmt->width, f = fmt->frac;
        if (w < 2 || w > 24) {
            *why = "fixed-point width W must be 2..24 (every value then fits FP32 exactly)";
            return -1;
        }
        if (f > 149) {
            *why = "fixed-point fraction bits F must be 0..149 (2^-F must be an FP32 value)";
            return -1;
        }
        p->kind = LP_KIND_FIXED;
        p->specials = LP_SPECIALS_NONE;
        p->man = (uint8_t)(w - 1);
        p->code_bits = (uint8_t)w;
        p->emin = (int16_t)(w - 1 - f);
        p->bias = (int16_t)f;
        p->max_kq = (1u << (w - 1)) - 1u;
        p->emax = (int16_t)(lp_msb32(p->max_kq) - f);
        p->max_bits = lp_f32_pack(p->max_kq, -f);
        p->neg_bits = lp_f32_pack(1u << (w - 1), -f);
        p->max_code = p->max_kq;
        return 0;
    }
    if (fmt->kind != LP_KIND_FLOAT) {
        *why = "unknown kind of format";
        return -1;
    }
    int e = fmt->exp_bits, m = fmt->man_bits, b = fmt->bias;
    if (e < 1 || e > 8) {
        *why = "exponent bits must be 1..8 (the formats FP32 can hold exactly)";
        return -1;
    }
    if (m > 23) {
        *why = "mantissa bits must be 0..23 (the formats FP32 can hold exactly)";
        return -1;
    }
    if (fmt->specials > LP_SPECIALS_NONE) {
        *why = "unknown special-value policy";
        return -1;
    }
    if (fmt->specials == LP_SPECIALS_FN && m < 1) {
        *why = "a finite-with-NaN format needs at least one mantissa bit";
        return -1;
    }
    int emin = 1 - b;
    int topfield = fmt->specials == LP_SPECIALS_IEEE ? (1 << e) - 2 : (1 << e) - 1;
    uint32_t topman = fmt->specials == LP_SPECIALS_FN ? (1u << m) - 2u : (1u << m) - 1u;
    p->kind = LP_KIND_FLOAT;
    p->specials = fmt->specials;
    p->man = (uint8_t)m;
    p->code_bits = (uint8_t)(1 + e + m);
    p->emin = (int16_t)emin;
    p->bias = (int16_t)b;
    if (topfield == 0) {
        /* e1mY with IEEE specials: no normal numbers, only subnormals below Inf/NaN */
        if (m == 0) {
            *why = "this format has no nonzero finite value (e1m0 is only 0 and Inf)";
            return -1;
        }
        p->max_kq = (1u << m) - 1u;
        p->emax = (int16_t)(emin - m + lp_msb32(p->max_kq));
        p->max_code = p->max_kq;
        if (emin - m < -149 || emin - m + 24 > 128) {
            *why = "bias puts the format outside the FP32 range";
            return -1;
        }
        p->max_bits = lp_f32_pack(p->max_kq, emin - m);
    } else {
        int emax = topfield - b; /* checked before the int16 cast (bias -32768 would wrap) */
        p->max_kq = (1u << m) | topman;
        p->emax = (int16_t)emax;
        p->max_code = ((uint32_t)topfield << m) | topman;
        if (emin - m < -149 || emax > 127) {
            *why = "bias puts the format outside the FP32 range";
            return -1;
        }
        p->max_bits = lp_f32_pack(p->max_kq, p->emax - m);
    }
    p->neg_bits = p->max_bits;
    p->has_inf = fmt->specials == LP_SPECIALS_IEEE;
    p->has_nan = (fmt->specials == LP_SPECIALS_IEEE && m >= 1) || fmt->specials == LP_SPECIALS_FN;
    uint32_t ones = (1u << e) - 1u;
    p->inf_code = p->has_inf ? ones << m : 0;
    if (fmt->specials == LP_SPECIALS_FN)
        p->nan_code = (ones << m) | ((1u << m) - 1u);
    else if (p->has_nan)
        p->nan_code = (ones << m) | (1u << (m - 1));
    return 0;
}

