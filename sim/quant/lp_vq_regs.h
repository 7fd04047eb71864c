/*
 * lp_vq_regs.h - the stream quantizer's configuration register words (docs/rtl.md
 * register map, rtl/quant/lp_quant_regs.sv) from the C model's derived format parameters
 * (lp_format_derive) and options: the one definition lp_vq_configure writes and the RTL
 * configuration unit (rtl/sgd/lp_sgd_cfg.sv) is tested against. C and C++.
 */
#ifndef LP_VQ_REGS_H
#define LP_VQ_REGS_H

#include <stdint.h>

#include "format/lp_format.h"
#include "quant/lp_quant.h"

enum {
    LP_VQ_R_FORMAT = 0, LP_VQ_R_EXP, LP_VQ_R_BIAS, LP_VQ_R_MAX_KQ, LP_VQ_R_MAX_BITS, LP_VQ_R_NEG_BITS,
    LP_VQ_R_MAX_CODE, LP_VQ_R_INF_CODE, LP_VQ_R_NAN_CODE, LP_VQ_R_OPTIONS, LP_VQ_R_SEED, LP_VQ_R_STEP,
    LP_VQ_R_SCALE_K, LP_VQ_NWORDS /* writable words; the read-only ID follows */
};

/* w[a] = the word at address a for format parameters p, options cfg, SR step and tensor
 * scale exponent k. */
static inline void lp_vq_reg_words(const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, int32_t k,
                                   uint32_t w[LP_VQ_NWORDS])
{
    w[LP_VQ_R_FORMAT] = (uint32_t)p->kind | ((uint32_t)p->specials << 1) | ((uint32_t)p->has_inf << 3) |
                        ((uint32_t)p->has_nan << 4) | ((uint32_t)p->man << 8) | ((uint32_t)p->code_bits << 16);
    w[LP_VQ_R_EXP] = ((uint32_t)(uint16_t)p->emin) | ((uint32_t)(uint16_t)p->emax << 16);
    w[LP_VQ_R_BIAS] = (uint32_t)(uint16_t)p->bias;
    w[LP_VQ_R_MAX_KQ] = p->max_kq;
    w[LP_VQ_R_MAX_BITS] = p->max_bits;
    w[LP_VQ_R_NEG_BITS] = p->neg_bits;
    w[LP_VQ_R_MAX_CODE] = p->max_code;
    w[LP_VQ_R_INF_CODE] = p->inf_code;
    w[LP_VQ_R_NAN_CODE] = p->nan_code;
    w[LP_VQ_R_OPTIONS] = (uint32_t)cfg->rounding | ((uint32_t)cfg->overflow << 4) |
                         ((uint32_t)(cfg->subnormals != 0) << 8) | ((uint32_t)cfg->scale << 12);
    w[LP_VQ_R_SEED] = cfg->seed;
    w[LP_VQ_R_STEP] = step;
    w[LP_VQ_R_SCALE_K] = (uint32_t)(uint16_t)(int16_t)k;
}

#endif
