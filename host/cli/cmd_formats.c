/*
 * cmd_formats.c - `lpsgd formats`: every preset's parameters, from lp_format_derive.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format/lp_format.h"

static double bits2d(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static const char *specials_name(const lp_fmt_params_t *p)
{
    if (p->has_inf && p->has_nan)
        return "Inf, NaN";
    if (p->has_nan)
        return "NaN only";
    if (p->has_inf)
        return "Inf only";
    return "none";
}

int cmd_formats(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: lpsgd formats [--json]\n\n"
                   "Lists the preset formats: exponent bits E, mantissa bits M, bias, largest\n"
                   "finite value, smallest normal and subnormal, and which special values exist.\n"
                   "Besides the presets, any eXmY (IEEE-style, bias 2^(X-1)-1, 1<=X<=8, 0<=Y<=23)\n"
                   "and fixedW.F (W-bit two's complement with F fraction bits, saturating) work\n"
                   "wherever a --format is asked for. Note e4m3 is IEEE-style (max 240), while\n"
                   "fp8_e4m3 is OCP OFP8 E4M3 (no Inf, max 448).\n");
            return 0;
        } else {
            fprintf(stderr, "lpsgd formats: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }
    if (!json)
        printf("%-9s %2s %2s %4s %13s %13s %13s  %-9s %s\n", "format", "E", "M", "bias", "max finite",
               "min normal", "min subnorm", "specials", "standard");
    else
        printf("[\n");
    static const char *std[LP_FMT_NPRESETS] = {"IEEE 754 binary32", "bfloat16",     "IEEE 754 binary16",
                                               "OCP OFP8 E5M2",     "OCP OFP8 E4M3", "OCP MX v1.0 FP6",
                                               "OCP MX v1.0 FP6",   "OCP MX v1.0 FP4"};
    for (int id = 0; id < LP_FMT_NPRESETS; id++) {
        lp_format_t f = lp_format_preset(id);
        lp_fmt_params_t p;
        const char *why;
        lp_format_derive(&f, &p, &why);
        double maxv = bits2d(p.max_bits);
        double minn = bits2d((uint32_t)(p.emin + 127) << 23);
        double mins = bits2d(lp_f32_pack(1, p.emin - p.man));
        if (!json)
            printf("%-9s %2u %2u %4d %13.6g %13.6g %13.6g  %-9s %s\n", lp_format_preset_name(id), f.exp_bits,
                   f.man_bits, f.bias, maxv, minn, mins, specials_name(&p), std[id]);
        else
            printf("  {\"format\": \"%s\", \"E\": %u, \"M\": %u, \"bias\": %d, \"max_finite\": %.9g, "
                   "\"min_normal\": %.9g, \"min_subnormal\": %.9g, \"inf\": %s, \"nan\": %s, "
                   "\"standard\": \"%s\"}%s\n",
                   lp_format_preset_name(id), f.exp_bits, f.man_bits, f.bias, maxv, minn, mins,
                   p.has_inf ? "true" : "false", p.has_nan ? "true" : "false", std[id],
                   id + 1 < LP_FMT_NPRESETS ? "," : "");
    }
    if (json)
        printf("]\n");
    return 0;
}
