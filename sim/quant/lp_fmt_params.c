/*
 * lp_fmt_params.c - the parameters of rtl/quant/lp_quant_lane_fmt.sv for one format,
 * derived by the C model (lp_format_derive), as a Yosys chparam command.
 * Usage: lp_fmt_params FORMAT     (a preset, eXmY or fixedW.F)
 * Used by scripts/resources.sh (make resources). Signed values are written as their
 * 32-bit two's complement (Yosys 0.23 chparam does not parse a minus sign).
 */
#include <stdio.h>

#include "format/lp_format.h"

int main(int argc, char **argv)
{
    lp_format_t f;
    lp_fmt_params_t p;
    char err[256];
    const char *why;
    if (argc != 2) {
        fprintf(stderr, "usage: lp_fmt_params FORMAT   (fp8_e4m3, e3m4, fixed16.8, ...)\n");
        return 2;
    }
    if (lp_format_parse(argv[1], &f, err, sizeof err) != 0) {
        fprintf(stderr, "lp_fmt_params: %s\n", err);
        return 2;
    }
    if (lp_format_derive(&f, &p, &why) != 0) {
        fprintf(stderr, "lp_fmt_params: format '%s': %s\n", argv[1], why);
        return 2;
    }
    printf("chparam -set Fixed %d -set Man %d -set CodeBits %d -set Emin 32'h%08X -set Bias 32'h%08X -set HasInf %d "
           "-set HasNan %d -set MaxKq 32'h%08X -set MaxBits 32'h%08X -set NegBits 32'h%08X -set MaxCode 32'h%08X "
           "-set InfCode 32'h%08X -set NanCode 32'h%08X lp_quant_lane_fmt\n",
           p.kind == LP_KIND_FIXED, p.man, p.code_bits, (uint32_t)(int32_t)p.emin, (uint32_t)(int32_t)p.bias, p.has_inf, p.has_nan, p.max_kq, p.max_bits,
           p.neg_bits, p.max_code, p.inf_code, p.nan_code);
    return 0;
}
