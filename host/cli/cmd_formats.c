/*
 * cmd_formats.c - `lpsgd formats [F...]`: every preset's parameters (or those of the formats
 * named), from lp_format_derive.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "format/lp_bits.h"
#include "format/lp_format.h"
#include "io/lp_io.h"

#define MAX_LISTED 64

static double bits2d(uint32_t u) { return lp_bits_f32(u); }

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

/* The standard a format follows (presets), or how it is defined. */
static const char *standard_name(const lp_format_t *f)
{
    static const char *std[LP_FMT_NPRESETS] = {"IEEE 754 binary32", "bfloat16",        "IEEE 754 binary16",
                                               "OCP OFP8 E5M2",     "OCP OFP8 E4M3",   "OCP MX v1.0 FP6",
                                               "OCP MX v1.0 FP6",   "OCP MX v1.0 FP4"};
    for (int id = 0; id < LP_FMT_NPRESETS; id++) {
        lp_format_t p = lp_format_preset(id);
        if (!memcmp(&p, f, sizeof p))
            return std[id];
    }
    return f->kind == LP_KIND_FIXED ? "two's complement, saturating" : "IEEE-style eXmY";
}

static void usage(void)
{
    printf("usage: lpsgd formats [--json] [F...]\n\n"
           "Lists the preset formats (or the formats F named): exponent bits E, mantissa bits M,\n"
           "bias, bits per encoded element, largest finite value, smallest normal and subnormal,\n"
           "and which special values exist.\n"
           "Besides the presets, any eXmY (IEEE-style, bias 2^(X-1)-1, 1<=X<=8, 0<=Y<=23)\n"
           "and fixedW.F (W-bit two's complement with F fraction bits, saturating) work\n"
           "wherever a --format is asked for. Note e4m3 is IEEE-style (max 240), while\n"
           "fp8_e4m3 is OCP OFP8 E4M3 (no Inf, max 448).\n\n"
           "examples:\n"
           "  lpsgd formats\n"
           "  lpsgd formats e4m3 fp8_e4m3 fixed16.8\n"
           "  lpsgd formats --json\n");
}

int cmd_formats(int argc, char **argv)
{
    lp_args_t a;
    lp_format_t list[MAX_LISTED];
    int n = 0, json = 0;
    lp_args_begin(&a, "formats", argc, argv);
    while (lp_args_next(&a)) {
        char msg[512];
        if (lp_args_help(&a)) {
            usage();
            return 0;
        }
        if (lp_args_flag(&a, "--json")) {
            json = 1;
            continue;
        }
        if (lp_args_is_option(&a))
            return lp_args_unknown(&a);
        if (n == MAX_LISTED)
            return lp_args_error(&a, "at most %d formats at a time", MAX_LISTED);
        if (lp_format_parse(lp_args_cur(&a), &list[n], msg, sizeof msg))
            return lp_args_error(&a, "%s", msg);
        n++;
    }
    if (n == 0)
        for (int id = 0; id < LP_FMT_NPRESETS; id++)
            list[n++] = lp_format_preset(id);

    if (!json)
        printf("%-10s %2s %2s %4s %4s %13s %13s %13s  %-9s %s\n", "format", "E", "M", "bias", "bits",
               "max finite", "min normal", "min subnorm", "specials", "standard");
    else
        printf("[\n");
    for (int i = 0; i < n; i++) {
        const lp_format_t *f = &list[i];
        lp_fmt_params_t p;
        const char *why;
        char name[32];
        lp_format_derive(f, &p, &why); /* lp_format_parse validated it */
        lp_format_name(f, name, sizeof name);
        int fixed = f->kind == LP_KIND_FIXED;
        double maxv = bits2d(p.max_bits);
        double minn = fixed ? 0.0 : bits2d((uint32_t)(p.emin + 127) << 23);
        double mins = bits2d(lp_f32_pack(1, p.emin - p.man)); /* fixed: the quantum 2^-F */
        if (!json) {
            char e[8], m[8], b[8], mn[16];
            snprintf(e, sizeof e, fixed ? "-" : "%u", f->exp_bits);
            snprintf(m, sizeof m, fixed ? "-" : "%u", f->man_bits);
            snprintf(b, sizeof b, fixed ? "-" : "%d", f->bias);
            snprintf(mn, sizeof mn, fixed ? "-" : "%.6g", minn);
            printf("%-10s %2s %2s %4s %4u %13.6g %13s %13.6g  %-9s %s\n", name, e, m, b, p.code_bits, maxv, mn, mins,
                   specials_name(&p), standard_name(f));
        } else {
            printf("  {\"format\": \"%s\", \"kind\": \"%s\", ", name, fixed ? "fixed" : "float");
            if (fixed)
                printf("\"W\": %u, \"F\": %u, ", f->width, f->frac);
            else
                printf("\"E\": %u, \"M\": %u, \"bias\": %d, ", f->exp_bits, f->man_bits, f->bias);
            printf("\"bits\": %u, \"max_finite\": ", p.code_bits);
            lp_json_num(stdout, maxv);
            printf(", \"min_normal\": ");
            if (fixed)
                printf("null");
            else
                lp_json_num(stdout, minn);
            printf(", \"min_subnormal\": ");
            lp_json_num(stdout, mins);
            printf(", \"inf\": %s, \"nan\": %s, \"standard\": \"%s\"}%s\n", p.has_inf ? "true" : "false",
                   p.has_nan ? "true" : "false", standard_name(f), i + 1 < n ? "," : "");
        }
    }
    if (json)
        printf("]\n");
    return 0;
}
