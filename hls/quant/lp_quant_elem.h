/*
 * lp_quant_elem.h - the element quantizer, inline so vector loops vectorize it.
 * Step by step as documented in lp_quant.h; the RTL (rtl/quant/) has one stage per step.
 *
 * Written for vector units as much as for HLS: 32-bit integer arithmetic only, every
 * decision a select (no data-dependent branch), every shift count clamped below 32, and
 * the format/grid/options read through pointers the caller can point at locals (a loop
 * over a buffer then keeps them in registers and vectorizes; see lp_quant_values).
 */
#ifndef LP_QUANT_ELEM_H
#define LP_QUANT_ELEM_H

#include "lp_quant.h"

/* lp_msb32, inline where the compiler has a count-leading-zeros (a vector one, too).
 * A includer may define its own first (lp_quant_vec_host.c: one that vectorizes on AVX2). */
#ifndef LP_MSB32
#if defined(__OPENCL_C_VERSION__)
#define LP_MSB32(v) (31 - (int)clz(v))
#elif defined(__GNUC__)
#define LP_MSB32(v) (31 - __builtin_clz(v))
#else
#define LP_MSB32(v) lp_msb32(v)
#endif
#endif

/* How the element steps are inlined: a includer that needs them inlined into its own
 * vectorized loops (lp_quant_vec_host.c) defines this as always_inline first. */
#ifndef LP_ELEM_INLINE
#define LP_ELEM_INLINE inline
#endif

/* The SR hash's mixing function (lp_hash_mix32, documented in lp_quant.h), inline. */
static LP_ELEM_INLINE uint32_t lp_mix32_inline(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x21F0AAADu;
    x ^= x >> 15;
    x *= 0x735A2D97u;
    x ^= x >> 15;
    return x;
}

/* One step of lp_amax_bits: the running amax a after FP32 bits x (NaN and Inf count as 0),
 * a plain maximum so vector loops reduce it. */
static LP_ELEM_INLINE uint32_t lp_amax_step(uint32_t a, uint32_t x)
{
    uint32_t m = x & 0x7FFFFFFFu;
    uint32_t f = m & (0u - (uint32_t)(m < 0x7F800000u)); /* a mask, not a choice: vectorizes */
    return f > a ? f : a;
}

/* Branch-free select, c in {0, 1}: c ? a : b (keeps chains of choices vectorizable). */
static LP_ELEM_INLINE uint32_t lp_sel(uint32_t c, uint32_t a, uint32_t b)
{
    uint32_t m = 0u - c;
    return (a & m) | (b & ~m);
}

/* Step 3: round sig / 2^sh (sh >= 0, sig < 2^24) to an integer by the rounding mode. */
static LP_ELEM_INLINE uint32_t lp_round_sig(uint32_t sig, int32_t sh, int mode, uint32_t rnd)
{
    uint32_t shc = sh > 25 ? 25u : (uint32_t)sh; /* sig >> 25 == 0: nothing changes beyond */
    uint32_t kept = sig >> shc;
    uint32_t rem = sig & ((1u << shc) - 1u); /* the discarded bits, < 2^shc           */
    uint32_t one = 1u << shc;                /* the quantum in units of sig's LSB       */
    /* RNE: compare 2*rem with the quantum; a tie goes to even kept */
    uint32_t rne = (2u * rem > one) | ((2u * rem == one) & kept);
    /* SR: the top 32 bits of the discarded fraction rem / 2^sh, plus r, carry out */
    uint32_t fl = (uint32_t)sh <= 32u ? rem << ((32u - (uint32_t)sh) & 31u) : 0u;
    uint32_t fr = (uint32_t)sh - 32u < 32u ? rem >> (((uint32_t)sh - 32u) & 31u) : 0u;
    uint32_t frac = lp_sel(sh <= 32, fl, fr) & (0u - (uint32_t)(sh != 0));
    uint32_t sr = frac + rnd < frac;
    uint32_t up = (rne & (uint32_t)(mode == LP_ROUND_RNE)) | (sr & (uint32_t)(mode == LP_ROUND_SR));
    return kept + up;
}

/* Step 4: value kq * 2^qe as FP32 bits, where kq = round(sig / 2^sh) of an input with
 * exponent eu (x = sig * 2^(eu-23)), so qe = eu - 23 + sh. No normalization is needed:
 * for sh <= 24, kq << sh is the rounded significand on the input's own scale and adding
 * it to the exponent field (eu + 126) lets a carry (2^24) bump the exponent; FP32
 * subnormal inputs (eu = -126) land on FP32 subnormal bits the same way. For sh > 24,
 * kq is 0 or 1 and the value is 0 or 2^qe (a normal FP32 number: qe > eu + 1). Results
 * beyond FP32 come out as the Inf pattern or above (only for Inf/NaN inputs). */
static LP_ELEM_INLINE uint32_t lp_pack_f32_grid(uint32_t kq, int32_t eu, int32_t sh)
{
    int32_t qe = eu - 23 + sh;
    uint32_t near = ((uint32_t)(eu + 126) << 23) + (kq << (sh > 24 ? 0 : sh));
    uint32_t far = (uint32_t)(qe + 127) << 23;
    return lp_sel(sh <= 24, near, far) & (0u - (uint32_t)(kq != 0));
}

static LP_ELEM_INLINE lp_q_t lp_quant_f32_inline(uint32_t x, const lp_fmt_params_t *p, const lp_qgrid_t *g,
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
    int32_t esub = LP_MSB32(sig | 1u) - 149; /* computed for every x: no branch to vectorize */
    int32_t eb = (int32_t)lp_sel(ef != 0, (uint32_t)eu, (uint32_t)esub);
    uint32_t fixed = p->kind == LP_KIND_FIXED;
    uint32_t is_nan = mag > 0x7F800000u;
    uint32_t is_inf = mag == 0x7F800000u;
    uint32_t man = p->man;

    /* Step 2: the grid. */
    int32_t eg = eb > g->emin_s ? eb : g->emin_s; /* binade whose quantum applies */
    int32_t qe = eg - (int32_t)man;
    int32_t sh = qe - (eu - 23);

    /* Step 3: round. */
    uint32_t kq = lp_round_sig(sig, sh, cfg->rounding, rnd);

    /* Step 4: pack; subnormal results flushed when subnormals are off. */
    uint32_t vbits = lp_pack_f32_grid(kq, eu, sh);
    uint32_t is_sub = (fixed ^ 1u) & (kq != 0) & (kq < (1u << man));
    uint32_t flush = is_sub & (cfg->subnormals == 0);
    kq = flush ? 0u : kq;
    vbits = flush ? 0u : vbits;
    is_sub &= flush ^ 1u;

    /* Step 5: specials and overflow. */
    uint32_t limit = (s & fixed) ? g->neg_bits : g->max_bits;
    uint32_t ovf = vbits > limit;
    uint32_t cb = p->code_bits;
    /* fixed point: two's complement of the (clamped) magnitude */
    uint32_t wmask = cb >= 32 ? 0xFFFFFFFFu : (1u << (cb & 31u)) - 1u;
    uint32_t kk = ovf ? (s ? 1u << man : p->max_kq) : kq;
    uint32_t fx_code = is_nan ? 0u : (s ? 0u - kk : kk) & wmask;
    uint32_t fx_value = (is_nan | (kk == 0)) ? 0u : (s << 31) | (ovf ? limit : vbits);
    /* float: field and mantissa at once, ((eg + k + bias - 1) << man) + kq; a carry of kq
     * into 2^(man+1) steps the field, and below the normal range the field term is 0 */
    uint32_t to_inf = ovf & (cfg->overflow == LP_OVF_INF) & (p->has_inf | p->has_nan);
    uint32_t code_mag = kq ? ((uint32_t)(eg + g->k + p->bias - 1) << man) + kq : 0u;
    uint32_t sgn_code = s << ((cb - 1u) & 31u);
    uint32_t nan_value = (s << 31) | 0x7FC00000u;
    /* in order of precedence: NaN input, overflow to Inf/NaN, saturation, the rounded value */
    uint32_t fl_code = sgn_code | lp_sel(ovf, p->max_code, code_mag);
    fl_code = lp_sel(to_inf, sgn_code | (p->has_inf ? p->inf_code : p->nan_code), fl_code);
    fl_code = lp_sel(is_nan, lp_sel(p->has_nan, sgn_code | p->nan_code, 0u), fl_code);
    uint32_t fl_value = (s << 31) | lp_sel(ovf, limit, vbits);
    fl_value = lp_sel(to_inf, lp_sel(p->has_inf, (s << 31) | 0x7F800000u, nan_value), fl_value);
    fl_value = lp_sel(is_nan, lp_sel(p->has_nan, nan_value, 0u), fl_value);
    /* subnormal result: a rounded subnormal, or the saturated maximum of e1mY (all subnormal) */
    uint32_t max_sub = (fixed ^ 1u) & (p->max_kq < (1u << man)) & (to_inf ^ 1u);
    uint32_t res_sub = (is_nan ^ 1u) & (ovf ? max_sub : is_sub);
    uint32_t value = fixed ? fx_value : fl_value;
    r.code = fixed ? fx_code : fl_code;
    r.value = value;
    r.flags = ((((is_nan | is_inf) == 0) & (mag != 0) & ((value & 0x7FFFFFFFu) == 0)) ? LP_QF_UNDERFLOW : 0u) |
              (((is_nan ^ 1u) & (mag > limit)) ? LP_QF_SATURATED : 0u) | (res_sub ? LP_QF_SUBNORMAL : 0u) |
              (is_nan ? LP_QF_NAN : 0u) | (is_inf ? LP_QF_INF : 0u);
    return r;
}

#ifdef LP_KERNEL_HOST /* the values-only loops of the host's vector variants and tests */
/* One loop of lp_quant_values with the format kind and rounding mode fixed (the caller
 * passes constants, so the element steps fold to one straight, vectorizable path). */
static inline void lp_quant_values_loop(const uint32_t *x, uint32_t *y, uint32_t n, lp_fmt_params_t pl,
                                        lp_qgrid_t gl, lp_qcfg_t cl, uint8_t kind, uint8_t rounding)
{
    pl.kind = kind;
    cl.rounding = rounding;
    for (uint32_t i = 0; i < n; i++)
        y[i] = lp_quant_f32_inline(x[i], &pl, &gl, &cl, 0u).value;
}

/*
 * Values only (no codes, no flags, no statistics): y[i] = decoded Q(x[i]) under one grid,
 * sr bits from (cfg->seed, step, i0 + i). The parameters are copied to locals so the loop
 * keeps them in registers, and rne/rtz loops are specialised per kind of format so the
 * compiler can vectorize the element steps.
 */
static inline void lp_quant_values(const uint32_t *x, uint32_t *y, uint32_t n, const lp_fmt_params_t *p,
                                   const lp_qgrid_t *g, const lp_qcfg_t *cfg, uint32_t step, uint32_t i0)
{
    const lp_fmt_params_t pl = *p;
    const lp_qgrid_t gl = *g;
    const lp_qcfg_t cl = *cfg;
    if (cl.rounding == LP_ROUND_SR) {
        for (uint32_t i = 0; i < n; i++)
            y[i] = lp_quant_f32_inline(x[i], &pl, &gl, &cl, lp_sr_hash(cl.seed, step, i0 + i)).value;
    } else if (pl.kind == LP_KIND_FLOAT) {
        if (cl.rounding == LP_ROUND_RNE)
            lp_quant_values_loop(x, y, n, pl, gl, cl, LP_KIND_FLOAT, LP_ROUND_RNE);
        else
            lp_quant_values_loop(x, y, n, pl, gl, cl, LP_KIND_FLOAT, LP_ROUND_RTZ);
    } else {
        if (cl.rounding == LP_ROUND_RNE)
            lp_quant_values_loop(x, y, n, pl, gl, cl, LP_KIND_FIXED, LP_ROUND_RNE);
        else
            lp_quant_values_loop(x, y, n, pl, gl, cl, LP_KIND_FIXED, LP_ROUND_RTZ);
    }
}
#endif

#endif
