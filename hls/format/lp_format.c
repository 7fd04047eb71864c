/*
 * lp_format.c - format presets, validation and derived parameters.
 */
#include "lp_format.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    lp_format_t fmt;
} lp_presets[LP_FMT_NPRESETS] = {
    /*                 kind           E  M   specials           bias */
    {"fp32",     {LP_KIND_FLOAT, 8, 23, LP_SPECIALS_IEEE, 127, 0, 0}}, /* IEEE 754 binary32    */
    {"bf16",     {LP_KIND_FLOAT, 8, 7, LP_SPECIALS_IEEE, 127, 0, 0}},  /* bfloat16             */
    {"fp16",     {LP_KIND_FLOAT, 5, 10, LP_SPECIALS_IEEE, 15, 0, 0}},  /* IEEE 754 binary16    */
    {"fp8_e5m2", {LP_KIND_FLOAT, 5, 2, LP_SPECIALS_IEEE, 15, 0, 0}},   /* OCP OFP8 E5M2        */
    {"fp8_e4m3", {LP_KIND_FLOAT, 4, 3, LP_SPECIALS_FN, 7, 0, 0}},      /* OCP OFP8 E4M3        */
    {"fp6_e3m2", {LP_KIND_FLOAT, 3, 2, LP_SPECIALS_NONE, 3, 0, 0}},    /* OCP MX v1.0 FP6 E3M2 */
    {"fp6_e2m3", {LP_KIND_FLOAT, 2, 3, LP_SPECIALS_NONE, 1, 0, 0}},    /* OCP MX v1.0 FP6 E2M3 */
    {"fp4_e2m1", {LP_KIND_FLOAT, 2, 1, LP_SPECIALS_NONE, 1, 0, 0}},    /* OCP MX v1.0 FP4 E2M1 */
};

lp_format_t lp_format_preset(int id) { return lp_presets[id].fmt; }

const char *lp_format_preset_name(int id) { return lp_presets[id].name; }

lp_format_t lp_format_exmy(int e, int m)
{
    lp_format_t f;
    memset(&f, 0, sizeof f);
    f.kind = LP_KIND_FLOAT;
    f.exp_bits = (uint8_t)e;
    f.man_bits = (uint8_t)m;
    f.specials = LP_SPECIALS_IEEE;
    f.bias = (int16_t)((1 << (e - 1)) - 1);
    return f;
}

lp_format_t lp_format_fixed(int w, int fr)
{
    lp_format_t f;
    memset(&f, 0, sizeof f);
    f.kind = LP_KIND_FIXED;
    f.width = (uint8_t)w;
    f.frac = (uint8_t)fr;
    f.specials = LP_SPECIALS_NONE;
    return f;
}

int lp_msb32(uint32_t v)
{
#if defined(__GNUC__)
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

int lp_format_derive(const lp_format_t *fmt, lp_fmt_params_t *p, const char **why)
{
    static const char *ok = "";
    memset(p, 0, sizeof *p);
    *why = ok;
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

static int parse_uint(const char *s, const char **end, int *out)
{
    int v = 0, n = 0;
    while (*s >= '0' && *s <= '9' && n < 4) {
        v = v * 10 + (*s - '0');
        s++;
        n++;
    }
    *end = s;
    *out = v;
    return n > 0 && !(*s >= '0' && *s <= '9');
}

int lp_format_parse(const char *text, lp_format_t *fmt, char *errbuf, unsigned errlen)
{
    const char *why = "";
    lp_fmt_params_t p;
    for (int i = 0; i < LP_FMT_NPRESETS; i++)
        if (strcmp(text, lp_presets[i].name) == 0) {
            *fmt = lp_presets[i].fmt;
            return 0;
        }
    const char *s = text, *end;
    int a, b;
    if (s[0] == 'e' && parse_uint(s + 1, &end, &a) && end[0] == 'm' && parse_uint(end + 1, &end, &b) &&
        *end == '\0') {
        if (a < 1 || a > 8 || b > 23) {
            snprintf(errbuf, errlen, "format '%s': eXmY needs 1 <= X <= 8 and 0 <= Y <= 23", text);
            return -1;
        }
        *fmt = lp_format_exmy(a, b);
    } else if (strncmp(s, "fixed", 5) == 0 && parse_uint(s + 5, &end, &a) && end[0] == '.' &&
               parse_uint(end + 1, &end, &b) && *end == '\0') {
        *fmt = lp_format_fixed(a > 255 ? 255 : a, b > 255 ? 255 : b);
    } else {
        snprintf(errbuf, errlen,
                 "unknown format '%s': use a preset (fp32 bf16 fp16 fp8_e5m2 fp8_e4m3 fp6_e3m2 "
                 "fp6_e2m3 fp4_e2m1), eXmY (IEEE-style, 1<=X<=8, 0<=Y<=23) or fixedW.F "
                 "(see 'lpsgd formats')",
                 text);
        return -1;
    }
    if (lp_format_derive(fmt, &p, &why) != 0) {
        snprintf(errbuf, errlen, "format '%s': %s", text, why);
        return -1;
    }
    return 0;
}

void lp_format_name(const lp_format_t *fmt, char *buf, unsigned len)
{
    for (int i = 0; i < LP_FMT_NPRESETS; i++)
        if (memcmp(fmt, &lp_presets[i].fmt, sizeof *fmt) == 0) {
            snprintf(buf, len, "%s", lp_presets[i].name);
            return;
        }
    if (fmt->kind == LP_KIND_FIXED)
        snprintf(buf, len, "fixed%u.%u", fmt->width, fmt->frac);
    else
        snprintf(buf, len, "e%um%u", fmt->exp_bits, fmt->man_bits);
}
