/*
 * lp_quant_vec.c - vector quantizer with statistics (see lp_quant_vec.h).
 *
 * Scaling needs the amax of what it scales before quantizing: the whole tensor
 * (LP_SCALE_TENSOR, one pass ahead: lp_amax_bits) or each 32-element MX block
 * (LP_SCALE_BLOCK32: the block is read once into registers, its amax, scale and 32
 * elements computed from them). Written beat by beat for Vitis HLS (docs/hls.md): the
 * unscaled and tensor-scaled loop takes one 16-element beat per cycle (II = 1, lanes
 * unrolled), the block loop one block per two cycles (II = 2: the same beat rate). Every
 * element adds into the statistics partial of its lane and beat (lp_stats.h), so the order
 * of every sum is the documented one whatever the loop shape.
 */
#include "lp_quant_vec.h"

#include "../format/lp_bits.h"
#include "lp_quant_elem.h"

/* Element i (< n): quantize, store, add to the statistics. */
static inline void qv_element(const LP_GLOBAL float *g, LP_GLOBAL float *gq, LP_GLOBAL uint32_t *codes, uint32_t i,
                              const lp_fmt_params_t *p, const lp_qgrid_t *grid, const lp_qcfg_t *cfg, uint32_t step,
                              lp_red_t *red)
{
    uint32_t rnd = cfg->rounding == LP_ROUND_SR ? lp_sr_hash(cfg->seed, step, i) : 0u;
    lp_q_t q = lp_quant_f32_inline(lp_f32_bits(g[i]), p, grid, cfg, rnd);
    gq[i] = lp_bits_f32(q.value);
    if (codes)
        codes[i] = q.code;
    lp_red_add(red, i, g[i], gq[i], q.flags);
}

/* LP_SCALE_BLOCK32: block by block, each one read once (its amax, then its elements). */
static void qv_blocks(const LP_GLOBAL float *g, LP_GLOBAL float *gq, LP_GLOBAL uint32_t *codes,
                      LP_GLOBAL int32_t *scale_k, uint32_t n, const lp_fmt_params_t *p, const lp_qcfg_t *cfg,
                      uint32_t step, lp_red_t *red)
{
    for (uint32_t b = 0; b < (n + LP_MX_BLOCK - 1) / LP_MX_BLOCK; b++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 512)
        LP_PRAGMA(HLS PIPELINE II = 2)
        uint32_t a = 0, b0 = b * LP_MX_BLOCK;
        for (uint32_t j = 0; j < LP_MX_BLOCK; j++)
            a = lp_amax_step(a, b0 + j < n ? lp_f32_bits(g[b0 + j]) : 0u);
        int32_t kb = lp_scale_k(a, p, LP_SCALE_BLOCK32);
        lp_qgrid_t grid = lp_quant_grid(p, kb);
        if (scale_k)
            scale_k[b] = kb;
        for (uint32_t j = 0; j < LP_MX_BLOCK; j++)
            if (b0 + j < n)
                qv_element(g, gq, codes, b0 + j, p, &grid, cfg, step, red);
    }
}

void lp_quantize_vec(const LP_GLOBAL float *g, LP_GLOBAL float *gq, LP_GLOBAL uint32_t *codes,
                     LP_GLOBAL int32_t *scale_k, uint32_t n, const lp_fmt_params_t *p, const lp_qcfg_t *cfg,
                     uint32_t step, lp_qstats_t *st)
{
#ifdef LP_QV_HOST
    if (lp_quantize_vec_host(g, gq, codes, scale_k, n, p, cfg, step, st))
        return; /* the same bits on the CPU's vector unit (host builds only) */
#endif
    lp_red_t red; /* 1 KiB: the on-chip accumulators in hardware */
    LP_PRAGMA(HLS ARRAY_PARTITION variable = red.acc complete)
    lp_red_init(&red);
    if (cfg->scale == LP_SCALE_BLOCK32) {
        qv_blocks(g, gq, codes, scale_k, n, p, cfg, step, &red);
    } else {
        int32_t k = lp_scale_k(cfg->scale == LP_SCALE_TENSOR ? lp_amax_bits(g, n) : 0, p, cfg->scale);
        lp_qgrid_t grid = lp_quant_grid(p, k);
        if (scale_k && cfg->scale == LP_SCALE_TENSOR)
            scale_k[0] = k;
        for (uint32_t bt = 0; bt < (n + LP_LANES - 1) / LP_LANES; bt++) {
            LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
            LP_PRAGMA(HLS PIPELINE II = 1)
            LP_PRAGMA(HLS DEPENDENCE variable = red.acc inter distance = 4 true)
            for (uint32_t l = 0; l < LP_LANES; l++)
                if (bt * LP_LANES + l < n)
                    qv_element(g, gq, codes, bt * LP_LANES + l, p, &grid, cfg, step, &red);
        }
    }
    *st = *lp_red_finish(&red);
}
