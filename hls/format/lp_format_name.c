/*
 * lp_format_name.c - host side: the format presets, the parser and the canonical names
 * (the validation and derived parameters, kernel code, are in lp_format.c).
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
