/*
 * lp_quant_elem.h - the element quantizer, inline so vector loops vectorize it.
 * Step by step as documented in lp_quant.h; the RTL (rtl/quant/) has one stage per step.
 */
#ifndef LP_QUANT_ELEM_H
#define LP_QUANT_ELEM_H

#include "lp_quant.h"

/* Step 3: round sig / 2^sh (sh >= 0) to an integer by the rounding mode. */
static inline uint32_t lp_round_sig(uint32_t sig, int32_t sh, int mode, uint32_t rnd)
{
    uint32_t shc = sh > 63 ? 63u : (uint32_t)sh;
    uint64_t full = (uint64_t)sig << 32; /* sig < 2^24: fraction bits below the quantum */
    uint64_t t = full >> shc;
    uint32_t kept = (uint32_t)(t >> 32);
    uint32_t frac = (uint32_t)t; /* top 32 bits of the discarded fraction */
    uint32_t sticky = (full & ((1ull << shc) - 1u)) != 0;
    uint32_t rne = (frac > 0x80000000u) | ((frac == 0x80000000u) & (sticky | (kept & 1u)));
    uint32_t sr = (uint32_t)(((uint64_t)frac + rnd) >> 32);
    uint32_t up = mode == LP_ROUND_RNE ? rne : mode == LP_ROUND_SR ? sr : 0u;
    return kept + up;
}

/* Step 4: kq * 2^qe as FP32 bits, kq != 0, msb = index of kq's leading one. */
static inline uint32_t lp_pack_f32_msb(uint32_t kq, int32_t qe, int msb)
{
    int32_t rexp = qe + msb;
    uint32_t mant = msb <= 23 ? kq << (23 - msb) : kq >> (msb - 23);
    uint32_t normal = ((uint32_t)(rexp + 127) << 23) | (mant & 0x7FFFFFu);
    uint32_t sub = kq << ((qe + 149) & 31);
    return rexp >= 128 ? 0x7F800000u : rexp >= -126 ? normal : sub;
}

static inline lp_q_t lp_quant_f32_inline(uint32_t x, const lp_fmt_params_t *p, const lp_qgrid_t *g,
                                         const lp_qcfg_t *cfg, uint32_t rnd)
{
    lp_q_t r;
    /* Step 1: unpack. */
    uint32_t s = x >> 31;
    uint32_t mag = x & 0x7FFFFFFFu;
    uint32_t ef = mag >> 23;
    uint32_t sig = (mag & 0x7FFFFFu) | (ef ? 0x800000u : 0u);
    int32_t eu = (int32_t)(ef ? ef : 1u) - 127;
    /* the binade of x: eu, or below -126 for an FP32 subnormal (matters when emin_s < -126) */
    int32_t eb = ef ? eu : lp_msb32(sig | 1u) - 149;
    int fixed = p->kind == LP_KIND_FIXED;
    uint32_t is_nan = mag > 0x7F800000u;
    uint32_t is_inf = mag == 0x7F800000u;

    /* Step 2: the grid. */
    int32_t qe = (eb > g->emin_s ? eb : g->emin_s) - (int32_t)p->man;
    int32_t sh = qe - (eu - 23);

    /* Step 3: round. */
    uint32_t kq = lp_round_sig(sig, sh, cfg->rounding, rnd);

    /* Step 4: pack. */
    int msb = lp_msb32(kq | 1u);
    uint32_t vbits = kq ? lp_pack_f32_msb(kq, qe, msb) : 0u;
    uint32_t is_sub = !fixed & (kq != 0) & (kq < (1u << p->man));
    uint32_t flush = is_sub & !cfg->subnormals;
    kq = flush ? 0u : kq;
    vbits = flush ? 0u : vbits;
    is_sub &= !flush;

    /* Step 5: specials and overflow. */
    uint32_t limit = (s && fixed) ? g->neg_bits : g->max_bits;
    uint32_t ovf = vbits > limit;
    uint32_t cb = p->code_bits;
    uint32_t code, value;
    if (fixed) {
        uint32_t wmask = cb >= 32 ? 0xFFFFFFFFu : (1u << cb) - 1u;
        uint32_t kk = ovf ? (s ? 1u << p->man : p->max_kq) : kq;
        uint32_t lim = s ? g->neg_bits : g->max_bits;
        code = (s ? 0u - kk : kk) & wmask;
        value = kk == 0 ? 0u : (s << 31) | (ovf ? lim : vbits);
        if (is_nan) {
            code = 0;
            value = 0;
        }
    } else {
        int to_inf = ovf && cfg->overflow == LP_OVF_INF && (p->has_inf || p->has_nan);
        /* normal results: exponent field from the leading one, mantissa below it */
        uint32_t mmask = (1u << p->man) - 1u;
        int32_t field = qe + msb + g->k + p->bias;
        uint32_t rsh = (uint32_t)(msb - (int)p->man) & 31u; /* 0 or 1 for normal results */
        uint32_t code_mag = is_sub ? kq : kq ? ((uint32_t)field << p->man) | ((kq >> rsh) & mmask) : 0u;
        uint32_t sgn_code = s << (cb - 1);
        uint32_t nan_value = (s << 31) | 0x7FC00000u;
        if (is_nan) {
            code = p->has_nan ? sgn_code | p->nan_code : 0u;
            value = p->has_nan ? nan_value : 0u;
        } else if (to_inf) {
            code = sgn_code | (p->has_inf ? p->inf_code : p->nan_code);
            value = p->has_inf ? (s << 31) | 0x7F800000u : nan_value;
        } else if (ovf) {
            code = sgn_code | p->max_code;
            value = (s << 31) | limit;
        } else {
            code = sgn_code | code_mag;
            value = (s << 31) | vbits;
        }
    }
    /* subnormal result: a rounded subnormal, or the saturated maximum of e1mY (all subnormal) */
    uint32_t max_sub = !fixed && p->max_kq < (1u << p->man) && !(cfg->overflow == LP_OVF_INF && (p->has_inf | p->has_nan));
    uint32_t res_sub = (!is_nan) & (ovf ? max_sub : is_sub);
    r.code = code;
    r.value = value;
    r.flags = (((!is_nan) & (!is_inf) & (mag != 0) & ((value & 0x7FFFFFFFu) == 0)) ? LP_QF_UNDERFLOW : 0u) |
              ((!is_nan && mag > limit) ? LP_QF_SATURATED : 0u) | (res_sub ? LP_QF_SUBNORMAL : 0u) |
              (is_nan ? LP_QF_NAN : 0u) | (is_inf ? LP_QF_INF : 0u);
    return r;
}

#endif
