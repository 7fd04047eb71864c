/*
 * lp_quant_vec.h - quantize a gradient vector and accumulate its statistics.
 * The C-model top of the standalone quantizer kernel; the RTL stream quantizer
 * (rtl/quant/) computes the same outputs beat by beat.
 */
#ifndef LP_QUANT_VEC_H
#define LP_QUANT_VEC_H

#include <stdint.h>

#include "../stats/lp_stats.h"
#include "lp_quant.h"

/*
 * g[n] in, gq[n] out (decoded FP32), codes[n] out (encoded elements, may be NULL),
 * scale_k out (may be NULL): LP_SCALE_TENSOR writes one exponent, LP_SCALE_BLOCK32 one per
 * 32-element block (ceil(n/32)); the E8M0 code of block b is lp_e8m0_code(scale_k[b]).
 * step feeds the stochastic-rounding hash (element index = i). st gets the statistics.
 * p must be lp_format_derive(&cfg->fmt).
 */
void lp_quantize_vec(const float *g, float *gq, uint32_t *codes, int32_t *scale_k, uint32_t n,
                     const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, lp_qstats_t *st);

#endif
