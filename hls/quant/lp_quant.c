/*
 * lp_quant.c - element quantizer entry points, decoding, scale selection, SR hash.
 */
#include "lp_quant.h"

#include "../format/lp_bits.h"
#include "lp_quant_elem.h"

lp_qcfg_t lp_qcfg_default(lp_format_t fmt)
{
    lp_qcfg_t c;
    c.fmt = fmt;
    c.rounding = LP_ROUND_RNE;
    c.overflow = LP_OVF_SAT;
    c.subnormals = 1;
    c.scale = LP_SCALE_NONE;
    c.seed = 0;
    return c;
}

uint32_t lp_hash_mix32(uint32_t x) { return lp_mix32_inline(x); }

uint32_t lp_sr_hash(uint32_t seed, uint32_t step, uint32_t index)
{
    uint32_t h = lp_hash_mix32(seed ^ lp_hash_mix32(step ^ 0x9E3779B9u));
    return lp_hash_mix32(h ^ index);
}

lp_qgrid_t lp_quant_grid(const lp_fmt_params_t *p, int32_t k)
{
    lp_qgrid_t g;
    int top = lp_msb32(p->max_kq);
    g.k = k;
    g.emin_s = p->emin - k;
    g.max_bits = lp_f32_pack(p->max_kq, p->emax - top - k);
    g.neg_bits = p->kind == LP_KIND_FIXED ? lp_f32_pack(1u << p->man, -p->bias - k) : g.max_bits;
    return g;
}

lp_q_t lp_quant_f32(uint32_t x, const lp_fmt_params_t *p, const lp_qgrid_t *g, const lp_qcfg_t *cfg,
                    uint32_t rnd)
{
    return lp_quant_f32_inline(x, p, g, cfg, rnd);
}

uint32_t lp_decode(uint32_t code, const lp_fmt_params_t *p, int32_t k)
{
    uint32_t cb = p->code_bits;
    if (p->kind == LP_KIND_FIXED) {
        uint32_t neg = (code >> (cb - 1)) & 1u;
        uint32_t mag = neg ? ((~code + 1u) & ((1u << cb) - 1u)) : code;
        if (neg && mag == 0)
            mag = 1u << (cb - 1); /* unreachable for W-bit codes; kept total */
        if (mag == 0)
            return 0;
        return (neg << 31) | lp_f32_pack(mag, -p->bias - k);
    }
    uint32_t man = p->man;
    uint32_t ebits = cb - 1 - man;
    uint32_t s = (code >> (cb - 1)) & 1u;
    uint32_t field = (code >> man) & ((1u << ebits) - 1u);
    uint32_t m = code & ((1u << man) - 1u);
    uint32_t ones = (1u << ebits) - 1u;
    if (p->specials == LP_SPECIALS_IEEE && field == ones)
        return (s << 31) | (m ? 0x7FC00000u : 0x7F800000u);
    if (p->specials == LP_SPECIALS_FN && field == ones && m == (1u << man) - 1u)
        return (s << 31) | 0x7FC00000u;
    uint32_t kq = field ? (1u << man) | m : m;
    int32_t qe = (field ? (int32_t)field : 1) - p->bias - (int32_t)man - k;
    return (s << 31) | (kq ? lp_f32_pack(kq, qe) : 0u);
}

int32_t lp_scale_k(uint32_t amax_bits, const lp_fmt_params_t *p, int mode)
{
    int32_t k;
    if (mode == LP_SCALE_NONE)
        return 0;
    uint32_t ef = (amax_bits >> 23) & 0xFFu;
    uint32_t sig = (amax_bits & 0x7FFFFFu) | (ef ? 0x800000u : 0u);
    int32_t ea = ef ? (int32_t)ef - 127 : lp_msb32(sig | 1u) - 149; /* floor(log2 amax) */
    if (mode == LP_SCALE_BLOCK32) {
        k = amax_bits == 0 ? 127 : p->emax - ea;
        k = k > 127 ? 127 : k < -127 ? -127 : k;
    } else {
        if (amax_bits == 0)
            return 0;
        k = p->emax - ea;
        /* amax*2^k and max share an exponent: compare their normalized significands */
        uint32_t sa = sig << (23 - lp_msb32(sig));
        uint32_t sm = p->max_kq << (23 - lp_msb32(p->max_kq));
        if (sa > sm)
            k -= 1;
    }
    /* the largest magnitude: max finite, or for fixed point the most negative value 2^emin */
    int32_t etop = p->kind == LP_KIND_FIXED ? p->emin : p->emax;
    int32_t kmin = etop - 127, kmax = p->emin - (int32_t)p->man + 149;
    return k < kmin ? kmin : k > kmax ? kmax : k;
}

uint32_t lp_amax_bits(const LP_GLOBAL float *x, uint32_t n)
{
    uint32_t a[16] = {0}; /* one running maximum per lane: a maximum is order-free */
    for (uint32_t bt = 0; bt < (n + 15u) / 16u; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
        LP_PRAGMA(HLS PIPELINE II = 1)
        for (uint32_t l = 0; l < 16u; l++) {
            uint32_t i = bt * 16u + l;
            a[l] = lp_amax_step(a[l], i < n ? lp_f32_bits(x[i]) : 0u);
        }
    }
    uint32_t m = 0;
    for (uint32_t l = 0; l < 16u; l++)
        m = a[l] > m ? a[l] : m;
    return m;
}
