/*
 * lp_quant_vec.c - vector quantizer with statistics (see lp_quant_vec.h).
 *
 * Scaling needs the amax of what it scales before quantizing: the whole tensor
 * (LP_SCALE_TENSOR, one pass ahead) or each 32-element MX block (LP_SCALE_BLOCK32).
 */
#include "lp_quant_vec.h"

#include "../format/lp_bits.h"
#include "lp_quant_elem.h"

void lp_quantize_vec(const LP_GLOBAL float *g, LP_GLOBAL float *gq, LP_GLOBAL uint32_t *codes,
                     LP_GLOBAL int32_t *scale_k, uint32_t n, const lp_fmt_params_t *p, const lp_qcfg_t *cfg,
                     uint32_t step, lp_qstats_t *st)
{
#ifdef LP_QV_HOST
    if (lp_quantize_vec_host(g, gq, codes, scale_k, n, p, cfg, step, st))
        return; /* the same bits on the CPU's vector unit (host builds only) */
#endif
    lp_red_t red; /* 1 KiB: the on-chip accumulators in hardware */
    lp_red_init(&red);
    int32_t k = lp_scale_k(cfg->scale == LP_SCALE_TENSOR ? lp_amax_bits(g, n) : 0, p,
                           cfg->scale == LP_SCALE_TENSOR ? LP_SCALE_TENSOR : LP_SCALE_NONE);
    lp_qgrid_t grid = lp_quant_grid(p, k);
    if (scale_k && cfg->scale == LP_SCALE_TENSOR)
        scale_k[0] = k;
    for (uint32_t b0 = 0; b0 < n; b0 += LP_MX_BLOCK) {
        uint32_t len = n - b0 < LP_MX_BLOCK ? n - b0 : LP_MX_BLOCK;
        if (cfg->scale == LP_SCALE_BLOCK32) {
            int32_t kb = lp_scale_k(lp_amax_bits(g + b0, len), p, LP_SCALE_BLOCK32);
            grid = lp_quant_grid(p, kb);
            if (scale_k)
                scale_k[b0 / LP_MX_BLOCK] = kb;
        }
        for (uint32_t j = 0; j < len; j++) {
            uint32_t i = b0 + j;
            uint32_t rnd = cfg->rounding == LP_ROUND_SR ? lp_sr_hash(cfg->seed, step, i) : 0u;
            lp_q_t q = lp_quant_f32_inline(lp_f32_bits(g[i]), p, &grid, cfg, rnd);
            gq[i] = lp_bits_f32(q.value);
            if (codes)
                codes[i] = q.code;
            lp_red_add(&red, i, g[i], gq[i], q.flags);
        }
    }
    *st = *lp_red_finish(&red);
}
