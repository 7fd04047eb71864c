/*
 * lp_quant_vec_host.c - host-only: lp_quantize_vec and the values-only loop on the CPU's
 * vector unit, picked at run time (not part of the HLS kernel: constraints/xclbin.mk
 * leaves this file out, and lp_quant_vec.c calls it only outside synthesis).
 *
 * One body, compiled once per variant: it calls the same inline element quantizer as the
 * HLS loop (lp_quant_elem.h), in chunks the compiler vectorizes, and accumulates the
 * statistics beat by beat in the documented order (lp_stats.h): the 16 lanes of a beat
 * are 16 vector lanes, each with its 4 partials; every FP32 operation is the scalar one
 * per lane (no reassociation, no fused multiply-add), so the bits are the HLS loop's.
 * Floating-point formats under the default options (rne, saturation, subnormals on) take a
 * fused fast path instead (qv_fast: two exact roundings in place of the element steps, values,
 * codes, counts and sums in one pass); every other case the element loop and qv_stats.
 * Variants: base (x86-64 / any host), avx2, avx512 (whose fast path is written with AVX-512's
 * mask registers: qv_fast_k512, the same results); "plain" runs the HLS loop itself.
 * The variant in use: the best the CPU has, or LP_QUANT_VARIANT=plain|base|avx2|avx512,
 * or lp_qv_variant_set() (the equivalence test forces each one).
 */
#include "lp_quant_vec.h"

#ifdef LP_QV_HOST
#include <stdlib.h>
#include <string.h>

#include "../format/lp_bits.h"

/* msb(v) for 0 < v < 2^24 by an exact int -> float conversion: vectorizes without AVX-512CD */
static inline int32_t qv_msb24(uint32_t v) { return (int32_t)(lp_f32_bits((float)(int32_t)v) >> 23) - 127; }
#define LP_MSB32(v) qv_msb24(v)
#define LP_ELEM_INLINE inline __attribute__((always_inline))
#include "lp_quant_elem.h"

#define QV_INLINE LP_ELEM_INLINE
#define QV_CHUNK 256u /* elements per chunk: whole MX blocks, whole groups of 4 beats */

typedef struct {
    const float *g;
    float *gq;
    uint32_t *codes;
    int32_t *scale_k;
    uint32_t n;
    const lp_fmt_params_t *p;
    const lp_qcfg_t *cfg;
    uint32_t step;
    lp_qstats_t *st;
    uint32_t base; /* the vector index of g[0] (a stream's chunk offset): the SR hash's index */
} qv_job_t;

/* Values, codes and flags of x[0..n) (elements i0..), one format kind, rounding mode and
 * subnormal policy (constants in each caller, so each loop folds them and vectorizes). */
static QV_INLINE void qv_elems(const float *restrict x, float *restrict y, uint32_t *restrict c,
                               uint32_t *restrict fl, uint32_t n, lp_fmt_params_t p, lp_qgrid_t g, lp_qcfg_t cfg,
                               uint32_t h, uint32_t i0, uint8_t kind, uint8_t rounding, uint8_t subnormals)
{
    p.kind = kind;
    cfg.rounding = rounding;
    cfg.subnormals = subnormals;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t rnd = rounding == LP_ROUND_SR ? lp_mix32_inline(h ^ (i0 + i)) : 0u;
        lp_q_t q = lp_quant_f32_inline(lp_f32_bits(x[i]), &p, &g, &cfg, rnd);
        y[i] = lp_bits_f32(q.value);
        c[i] = q.code;
        fl[i] = q.flags;
    }
}

#define QV_ELEMS(kind, rounding) qv_elems(x, y, c, fl, n, *p, *g, *cfg, h, i0, kind, rounding, sub)

/* qv_elems with the kind and rounding as constants, one subnormal policy. */
static QV_INLINE void qv_elems_kr(const float *x, float *y, uint32_t *c, uint32_t *fl, uint32_t n,
                                  const lp_fmt_params_t *p, const lp_qgrid_t *g, const lp_qcfg_t *cfg, uint32_t h,
                                  uint32_t i0, uint8_t sub)
{
    int fixed = p->kind == LP_KIND_FIXED;
    if (cfg->rounding == LP_ROUND_RNE)
        fixed ? QV_ELEMS(LP_KIND_FIXED, LP_ROUND_RNE) : QV_ELEMS(LP_KIND_FLOAT, LP_ROUND_RNE);
    else if (cfg->rounding == LP_ROUND_RTZ)
        fixed ? QV_ELEMS(LP_KIND_FIXED, LP_ROUND_RTZ) : QV_ELEMS(LP_KIND_FLOAT, LP_ROUND_RTZ);
    else
        fixed ? QV_ELEMS(LP_KIND_FIXED, LP_ROUND_SR) : QV_ELEMS(LP_KIND_FLOAT, LP_ROUND_SR);
}

/*
 * The default options (rne, subnormals on) on the preset floating-point formats, with the
 * format's shape as constants too (mantissa bits, code bits, bias, Inf/NaN, largest
 * significand): its shifts by constants instead of by variables (~30% faster). Taken only
 * when the parameters are exactly these, so it computes what the generic loop does.
 *           man cb bias inf nan max_kq      fp8 e4m3, e5m2, fp6 e3m2, e2m3, fp4 e2m1, fp16, bf16 */
#define QV_SHAPES(X)                                                                                          \
    X(3, 8, 7, 0, 1, 14) X(2, 8, 15, 1, 1, 7) X(2, 6, 3, 0, 0, 7) X(3, 6, 1, 0, 0, 15) X(1, 4, 1, 0, 0, 3)    \
        X(10, 16, 15, 1, 1, 2047) X(7, 16, 127, 1, 1, 255)
#define QV_SHAPE(M, CB, B, I, N, K)                                                                           \
    if (p->man == M && p->code_bits == CB && p->bias == B && p->has_inf == I && p->has_nan == N &&            \
        p->max_kq == K) {                                                                                     \
        lp_fmt_params_t s = *p;                                                                               \
        s.man = M, s.code_bits = CB, s.bias = B, s.has_inf = I, s.has_nan = N, s.max_kq = K;                  \
        qv_elems(x, y, c, fl, n, s, *g, *cfg, h, i0, LP_KIND_FLOAT, LP_ROUND_RNE, 1);                         \
        return 1;                                                                                             \
    }

static QV_INLINE int qv_elems_preset(const float *x, float *y, uint32_t *c, uint32_t *fl, uint32_t n,
                                     const lp_fmt_params_t *p, const lp_qgrid_t *g, const lp_qcfg_t *cfg,
                                     uint32_t h, uint32_t i0)
{
    if (p->kind != LP_KIND_FLOAT || cfg->rounding != LP_ROUND_RNE || !cfg->subnormals)
        return 0;
    QV_SHAPES(QV_SHAPE)
    return 0;
}

static QV_INLINE void qv_elems_any(const float *x, float *y, uint32_t *c, uint32_t *fl, uint32_t n,
                                   const lp_fmt_params_t *p, const lp_qgrid_t *g, const lp_qcfg_t *cfg, uint32_t h,
                                   uint32_t i0)
{
    if (qv_elems_preset(x, y, c, fl, n, p, g, cfg, h, i0))
        return;
    if (cfg->subnormals)
        qv_elems_kr(x, y, c, fl, n, p, g, cfg, h, i0, 1);
    else
        qv_elems_kr(x, y, c, fl, n, p, g, cfg, h, i0, 0);
}

static QV_INLINE uint32_t qv_amax(const float *restrict x, uint32_t n)
{
    uint32_t a = 0;
    for (uint32_t i = 0; i < n; i++)
        a = lp_amax_step(a, lp_f32_bits(x[i]));
    return a;
}

/* One beat = 16 lanes as one GNU C vector: elementwise FP32 operations, each the scalar
 * one per lane (the compiler lowers it to 1, 2 or 4 registers by instruction set). */
typedef float qv_beat_f __attribute__((vector_size(64)));
typedef uint32_t qv_beat_u __attribute__((vector_size(64)));
typedef int32_t qv_beat_i __attribute__((vector_size(64)));

#define QV_LOAD(v, p) memcpy(&(v), (p), sizeof(v)) /* unaligned */

/* Beat b of the chunk into the partials a[.][part]; a NaN/Inf input adds +0 to every sum,
 * which leaves a sum that starts at +0 bit-identical (it can never become -0). */
static QV_INLINE void qv_beat(qv_beat_f a[LP_NSUMS][LP_PARTIALS], qv_beat_u cnt[5], uint32_t part,
                              const float *x, const float *y, const uint32_t *fl)
{
    qv_beat_u f, xb, yb;
    QV_LOAD(f, fl);
    QV_LOAD(xb, x);
    QV_LOAD(yb, y);
    qv_beat_u keep = (qv_beat_u)((qv_beat_i)(f & (LP_QF_NAN | LP_QF_INF)) == 0); /* all ones: add */
    qv_beat_f gv = (qv_beat_f)(xb & keep), qv = (qv_beat_f)(yb & keep);
    qv_beat_f e = qv - gv;
    a[LP_SUM_G2][part] += gv * gv;
    a[LP_SUM_Q2][part] += qv * qv;
    a[LP_SUM_E2][part] += e * e;
    a[LP_SUM_GE][part] += gv * e;
    for (int k = 0; k < 5; k++) /* LP_QF_UNDERFLOW .. LP_QF_INF are bits 0..4 */
        cnt[k] += (f >> k) & 1u;
}

/* The reduction state while a vector streams: lp_red_t's partials and counts as beats. */
typedef struct {
    qv_beat_f a[LP_NSUMS][LP_PARTIALS];
    qv_beat_u cnt[5];
    uint32_t n;
} qv_red_t;

/*
 * The statistics of the len elements of a chunk (its first beat adds into partial 0: chunks
 * are whole groups of 4 beats): beat b into partial b % 4. A partial last beat is padded
 * with zeros: inputs 0, results 0, no flags, so its missing lanes add +0 (bit-identical, as
 * padded hardware lanes) and count nothing.
 */
static QV_INLINE void qv_stats(qv_red_t *r, const float *restrict x, const float *restrict y,
                               const uint32_t *restrict fl, uint32_t len)
{
    uint32_t beats = len / LP_LANES, rest = len % LP_LANES;
    for (uint32_t b0 = 0; b0 < beats; b0 += LP_PARTIALS)
        for (uint32_t p = 0; p < LP_PARTIALS; p++)
            if (b0 + p < beats)
                qv_beat(r->a, r->cnt, p, x + (b0 + p) * LP_LANES, y + (b0 + p) * LP_LANES, fl + (b0 + p) * LP_LANES);
    if (rest) {
        float xp[LP_LANES] = {0}, yp[LP_LANES] = {0};
        uint32_t fp[LP_LANES] = {0}, at = beats * LP_LANES;
        memcpy(xp, x + at, rest * sizeof xp[0]);
        memcpy(yp, y + at, rest * sizeof yp[0]);
        memcpy(fp, fl + at, rest * sizeof fp[0]);
        qv_beat(r->a, r->cnt, beats % LP_PARTIALS, xp, yp, fp);
    }
    r->n += len;
}

/* The state into lp_red_t, then the documented fold (lp_red_finish). */
static QV_INLINE void qv_finish(const qv_red_t *q, lp_qstats_t *st)
{
    lp_red_t red;
    uint32_t cnt[5][LP_LANES];
    lp_red_init(&red);
    memcpy(red.acc, q->a, sizeof red.acc);
    memcpy(cnt, q->cnt, sizeof cnt);
    red.st.n = q->n;
    for (uint32_t l = 0; l < LP_LANES; l++) {
        red.st.underflow += cnt[0][l];
        red.st.saturated += cnt[1][l];
        red.st.subnormal += cnt[2][l];
        red.st.nan += cnt[3][l];
        red.st.inf += cnt[4][l];
    }
    *st = *lp_red_finish(&red);
}

/*
 * The fast path: floating-point formats, round to nearest even, saturation, subnormals on
 * (the defaults), with values, codes, counts and the sums fused in one pass over beats.
 * The same results as lp_quant_f32_inline, by two roundings it reduces to there:
 *   - |x| >= 2^emin_s (every such x is an FP32 normal: emin_s >= -126): the quantum is
 *     2^(eu - man), i.e. the low sh = 23 - man bits of the magnitude. Rounding them to
 *     nearest even on the integer bits (add 2^(sh-1) - 1 plus the kept LSB, clear them) is
 *     lp_pack_f32_grid's ((eu + 126) << 23) + (kq << sh): a carry steps the exponent, up to
 *     the Inf pattern (> limit: saturated). The code is those bits >> sh, rebiased.
 *   - |x| < 2^emin_s (FP32 subnormals too): the quantum is 2^(emin_s - man), the ulp of
 *     C = 2^(emin_s - man + 23); the FP32 add |x| + C rounds to nearest even on exactly
 *     that quantum (ties to an even significand, i.e. even kq), so kq = bits(|x| + C) -
 *     bits(C) and the value is (|x| + C) - C (exact). The code is kq (emin + bias = 1).
 * Taken per grid only where these hold (qv_fgrid_make); man >= 1 so the kept LSB is kq's.
 * Flags as counts: underflow (nonzero in, zero out), saturated (non-NaN |x| > limit),
 * subnormal (0 < result < 2^emin_s), NaN, Inf; NaN/Inf inputs add +0 to the sums.
 */
typedef struct {
    uint32_t minnorm; /* bits of 2^emin_s                        */
    uint32_t limit;   /* bits of the largest finite value * 2^-k  */
    uint32_t cbits;   /* bits of C = 2^(emin_s - man + 23)        */
    uint32_t cnorm;   /* (k + bias - 127) << man: code rebias     */
} qv_fgrid_t;

typedef struct {
    uint32_t sh;       /* 23 - man                                 */
    uint32_t csh;      /* 32 - code_bits: the sign bit to the code's */
    uint32_t max_code; /* code of +max finite                      */
    uint32_t nan_val;  /* has_nan: 0x7FC00000 (sign added), else 0 */
    uint32_t nan_code; /* has_nan: the NaN code (sign added), else 0 */
    uint32_t has_nan;
} qv_ffmt_t;

/* 1 when the fast path computes lp_quant_f32_inline's results for this format and options */
static QV_INLINE int qv_fast_ok(const lp_fmt_params_t *p, const lp_qcfg_t *cfg, qv_ffmt_t *f)
{
    if (p->kind != LP_KIND_FLOAT || cfg->rounding != LP_ROUND_RNE || !cfg->subnormals || p->man < 1 ||
        p->man > 22 || p->emin + p->bias != 1 || p->max_kq < (1u << p->man) || p->code_bits < 2 ||
        (cfg->overflow != LP_OVF_SAT && (p->has_inf | p->has_nan)))
        return 0;
    f->sh = 23u - p->man;
    f->csh = 32u - p->code_bits;
    f->max_code = p->max_code;
    f->has_nan = p->has_nan != 0;
    f->nan_val = f->has_nan ? 0x7FC00000u : 0u;
    f->nan_code = f->has_nan ? p->nan_code : 0u;
    return 1;
}

/* The grid's constants; 0 when the fast path does not hold for this grid. */
static QV_INLINE int qv_fgrid_make(qv_fgrid_t *fg, const lp_fmt_params_t *p, const lp_qgrid_t *g)
{
    int32_t es = g->emin_s, ce = es - (int32_t)p->man + 23 + 127;
    if (es < -126 || ce < 1 || ce > 254 || g->max_bits < (uint32_t)(es + 127) << 23)
        return 0;
    fg->minnorm = (uint32_t)(es + 127) << 23;
    fg->limit = g->max_bits;
    fg->cbits = (uint32_t)ce << 23;
    fg->cnorm = (uint32_t)(g->k + p->bias - 127) << p->man;
    return 1;
}

#define QV_SEL(m, a, b) (((a) & (m)) | ((b) & ~(m))) /* m all ones: a, all zeros: b (lane by lane) */
/* Masks (all ones where true) by arithmetic, not by vector compares: a compare of 16 lanes
 * that the instruction set cannot do in one register (avx2, base) is lowered lane by lane
 * by gcc, while subtracts and shifts split into halves or quarters. QV_LT: a < b for values
 * less than 2^31 apart; QV_NZ: a != 0. */
#define QV_LT(a, b) ((qv_beat_u)((qv_beat_i)((a) - (b)) >> 31))
#define QV_NZ(a) ((qv_beat_u)((qv_beat_i)((a) | (0u - (a))) >> 31))

/* One beat of the fast path: values and codes out, into partial part and the counts. */
static QV_INLINE void qv_fast_beat(qv_beat_f a[LP_NSUMS][LP_PARTIALS], qv_beat_u cnt[5], uint32_t part,
                                   const float *x, float *gq, uint32_t *codes, const qv_ffmt_t *f,
                                   const qv_fgrid_t *fg)
{
    qv_beat_u xb, z = {0}; /* z + scalar: the scalar in every lane */
    QV_LOAD(xb, x);
    const uint32_t sh = f->sh;
    const qv_beat_u minnorm = z + fg->minnorm, limit = z + fg->limit, cbits = z + fg->cbits;
    qv_beat_u mag = xb & 0x7FFFFFFFu, sb = xb ^ mag;
    /* |x| >= 2^emin_s: integer rounding of the low sh bits */
    qv_beat_u vn = (mag + ((z + (1u << (sh - 1u))) - 1u) + ((mag >> sh) & 1u)) & (z + (0u - (1u << sh)));
    /* |x| < 2^emin_s: the FP32 add on C's ulp */
    qv_beat_f cf = (qv_beat_f)cbits;
    qv_beat_f tf = (qv_beat_f)mag + cf;
    qv_beat_u vs = (qv_beat_u)(tf - cf), ks = (qv_beat_u)tf - cbits;
    qv_beat_u issub = QV_LT(mag, minnorm);
    qv_beat_u vb = QV_SEL(issub, vs, vn);
    qv_beat_u cm = QV_SEL(issub, ks, (vn >> sh) + fg->cnorm);
    qv_beat_u ovf = QV_LT(limit, vb); /* vb < 2^31 + 2^22, limit >= 2^-126 */
    qv_beat_u isnan = QV_LT(0x7F800000u, mag);
    qv_beat_u sc = sb >> f->csh;
    qv_beat_u val = sb | QV_SEL(ovf, limit, vb);
    qv_beat_u code = sc | QV_SEL(ovf, z + f->max_code, cm);
    val = QV_SEL(isnan, (sb & (0u - f->has_nan)) | f->nan_val, val);
    code = QV_SEL(isnan, (sc & (0u - f->has_nan)) | f->nan_code, code);
    memcpy(gq, &val, sizeof val);
    memcpy(codes, &code, sizeof code);
    /* the statistics: NaN and Inf inputs add +0 */
    qv_beat_u keep = QV_LT(mag, 0x7F800000u);
    qv_beat_f gv = (qv_beat_f)(xb & keep), qv = (qv_beat_f)(val & keep);
    qv_beat_f e = qv - gv;
    a[LP_SUM_G2][part] += gv * gv;
    a[LP_SUM_Q2][part] += qv * qv;
    a[LP_SUM_E2][part] += e * e;
    a[LP_SUM_GE][part] += gv * e;
    /* the counts (a mask is all ones: subtracting it counts one) */
    qv_beat_u vnz = QV_NZ(vb);
    cnt[0] -= QV_NZ(mag) & ~vnz;
    cnt[1] -= QV_LT(limit, mag) & ~isnan;
    cnt[2] -= vnz & QV_LT(vb, minnorm);
    cnt[3] -= isnan;
    cnt[4] -= ~QV_NZ(mag ^ 0x7F800000u);
}

/* The fast path over the whole groups of 4 beats of len elements (a chunk: its first beat
 * adds into partial 0); fg[b] is the grid of 32-element block b (ng = 1: one grid for all).
 * Returns the elements done (a multiple of 64). */
static QV_INLINE uint32_t qv_fast(qv_red_t *r, const float *x, float *gq, uint32_t *codes, uint32_t len,
                                  const qv_ffmt_t *f, const qv_fgrid_t *fg, int per_block)
{
    uint32_t done = len / (LP_LANES * LP_PARTIALS) * (LP_LANES * LP_PARTIALS);
    for (uint32_t i = 0; i < done; i += LP_LANES * LP_PARTIALS) {
        const qv_fgrid_t *g0 = per_block ? fg + i / LP_MX_BLOCK : fg, *g1 = per_block ? g0 + 1 : fg;
#pragma GCC unroll 4
        for (uint32_t p = 0; p < LP_PARTIALS; p++)
            qv_fast_beat(r->a, r->cnt, p, x + i + p * LP_LANES, gq + i + p * LP_LANES, codes + i + p * LP_LANES,
                         f, p < 2 ? g0 : g1);
    }
    r->n += done;
    return done;
}

#ifdef LP_QV_X86
#include <immintrin.h>
/*
 * The fast path's beat in AVX-512 with its mask registers (the avx512 variant's; popcnt,
 * which every AVX-512 CPU has, for the counts): the decisions as compares into masks, the
 * selects as masked moves, the counts as popcounts of masks into scalars (in lane 0 of the
 * state: the counts are sums of integers, any order). The same results as qv_fast_beat: the
 * same integer steps, the same FP32 operations per lane (a NaN/Inf lane's products are
 * zeroed by the mask: it adds +0).
 */
#define QV_K512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,popcnt")))
/* The fast path's constants in vectors of type V (qv_k512_t, qv_k256_t): the shift counts,
 * then the broadcast words QV_CONSTS sets. */
#define QV_CONST_MEMBERS(V)                                                                                   \
    __m128i sh, csh;                                                                                          \
    V abs, half, rmask, one, inf, maxfin, max_code, nan_val, nan_code, has_nan;
typedef struct {
    QV_CONST_MEMBERS(__m512i)
} qv_k512_t;

/* The constants of format f's fast path into c (qv_k512_t or qv_k256_t), SET1 the width's
 * broadcast. */
#define QV_CONSTS(c, f, SET1)                                                                                 \
    do {                                                                                                      \
        (c).sh = _mm_cvtsi32_si128((int)(f)->sh);                                                             \
        (c).csh = _mm_cvtsi32_si128((int)(f)->csh);                                                           \
        (c).abs = SET1(0x7FFFFFFF);                                                                           \
        (c).half = SET1((int)((1u << ((f)->sh - 1u)) - 1u));                                                  \
        (c).rmask = SET1((int)(0u - (1u << (f)->sh)));                                                        \
        (c).one = SET1(1);                                                                                    \
        (c).inf = SET1(0x7F800000);                                                                           \
        (c).maxfin = SET1(0x7F7FFFFF);                                                                        \
        (c).max_code = SET1((int)(f)->max_code);                                                              \
        (c).nan_val = SET1((int)(f)->nan_val);                                                                \
        (c).nan_code = SET1((int)(f)->nan_code);                                                              \
        (c).has_nan = SET1(-(int)(f)->has_nan);                                                               \
    } while (0)

static QV_K512 QV_INLINE void qv_k512_beat(__m512 a[LP_NSUMS][LP_PARTIALS], uint32_t cnt[5], uint32_t part,
                                           const float *x, float *gq, uint32_t *codes, const qv_k512_t *c,
                                           const qv_fgrid_t *fg, int sub)
{
    const __m512i minnorm = _mm512_set1_epi32((int)fg->minnorm), limit = _mm512_set1_epi32((int)fg->limit);
    const __m512i cbits = _mm512_set1_epi32((int)fg->cbits);
    __m512i xb = _mm512_loadu_si512(x), mag = _mm512_and_si512(xb, c->abs), sb = _mm512_xor_si512(xb, mag);
    /* |x| >= 2^emin_s: integer rounding of the low sh bits; below: the FP32 add on C's ulp */
    __m512i lsb = _mm512_and_si512(_mm512_srl_epi32(mag, c->sh), c->one);
    __m512i vn = _mm512_and_si512(_mm512_add_epi32(_mm512_add_epi32(mag, c->half), lsb), c->rmask);
    __m512 cf = _mm512_castsi512_ps(cbits), tf = _mm512_add_ps(_mm512_castsi512_ps(mag), cf);
    __m512i vs = _mm512_castps_si512(_mm512_sub_ps(tf, cf)), ks = _mm512_sub_epi32(_mm512_castps_si512(tf), cbits);
    /* sub = 0 (a constant) where 2^emin_s = 2^-126: the integer rounding holds below it too
     * (FP32 subnormals' quantum is 2^sh of their units, a carry gives 2^-126) and cnorm = 0 */
    __mmask16 issub = sub ? _mm512_cmplt_epu32_mask(mag, minnorm) : 0;
    __m512i vb = _mm512_mask_blend_epi32(issub, vn, vs); /* blend: mask ? second : first */
    __m512i cn = _mm512_add_epi32(_mm512_srl_epi32(vn, c->sh), _mm512_set1_epi32((int)fg->cnorm));
    __m512i cm = _mm512_mask_blend_epi32(issub, cn, ks);
    __mmask16 ovf = _mm512_cmpgt_epu32_mask(vb, limit), notnan = _mm512_cmple_epu32_mask(mag, c->inf);
    __m512i sc = _mm512_srl_epi32(sb, c->csh);
    __m512i val = _mm512_or_si512(sb, _mm512_mask_mov_epi32(vb, ovf, limit));
    __m512i code = _mm512_or_si512(sc, _mm512_mask_mov_epi32(cm, ovf, c->max_code));
    val = _mm512_mask_mov_epi32(_mm512_or_si512(_mm512_and_si512(sb, c->has_nan), c->nan_val), notnan, val);
    code = _mm512_mask_mov_epi32(_mm512_or_si512(_mm512_and_si512(sc, c->has_nan), c->nan_code), notnan, code);
    _mm512_storeu_si512(gq, val);
    _mm512_storeu_si512(codes, code);
    /* the statistics: NaN and Inf inputs add nothing */
    __mmask16 isinf = _mm512_cmpeq_epi32_mask(mag, c->inf), keep = (__mmask16)(notnan & ~isinf);
    __m512 gv = _mm512_castsi512_ps(xb), qv = _mm512_castsi512_ps(val), e = _mm512_sub_ps(qv, gv);
    a[LP_SUM_G2][part] = _mm512_add_ps(a[LP_SUM_G2][part], _mm512_maskz_mul_ps(keep, gv, gv));
    a[LP_SUM_Q2][part] = _mm512_add_ps(a[LP_SUM_Q2][part], _mm512_maskz_mul_ps(keep, qv, qv));
    a[LP_SUM_E2][part] = _mm512_add_ps(a[LP_SUM_E2][part], _mm512_maskz_mul_ps(keep, e, e));
    a[LP_SUM_GE][part] = _mm512_add_ps(a[LP_SUM_GE][part], _mm512_maskz_mul_ps(keep, gv, e));
    /* the counts, as qv_fast_beat's */
    __mmask16 vnz = _mm512_test_epi32_mask(vb, vb), nz = _mm512_test_epi32_mask(mag, mag);
    cnt[0] += (uint32_t)__builtin_popcount(nz & ~vnz & 0xFFFFu);
    cnt[1] += (uint32_t)__builtin_popcount(_mm512_mask_cmpgt_epu32_mask(notnan, mag, limit));
    cnt[2] += (uint32_t)__builtin_popcount(_mm512_mask_cmplt_epu32_mask(vnz, vb, minnorm));
    cnt[3] += (uint32_t)__builtin_popcount(~notnan & 0xFFFFu);
    cnt[4] += (uint32_t)__builtin_popcount(isinf);
}

/* The groups of 4 beats of qv_fast_k512, sub a constant (qv_k512_beat). */
static QV_K512 QV_INLINE void qv_k512_loop(__m512 a[LP_NSUMS][LP_PARTIALS], uint32_t cnt[5], const float *x,
                                           float *gq, uint32_t *codes, uint32_t done, const qv_k512_t *c,
                                           const qv_fgrid_t *fg, int per_block, int sub)
{
    for (uint32_t i = 0; i < done; i += LP_LANES * LP_PARTIALS) {
        const qv_fgrid_t *g0 = per_block ? fg + i / LP_MX_BLOCK : fg, *g1 = per_block ? g0 + 1 : fg;
#pragma GCC unroll 4
        for (uint32_t p = 0; p < LP_PARTIALS; p++)
            qv_k512_beat(a, cnt, p, x + i + p * LP_LANES, gq + i + p * LP_LANES, codes + i + p * LP_LANES, c,
                         p < 2 ? g0 : g1, sub);
    }
}

/* qv_fast with qv_k512_beat (the same contract): the avx512 variant's. */
static QV_K512 uint32_t qv_fast_k512(qv_red_t *r, const float *x, float *gq, uint32_t *codes, uint32_t len,
                                     const qv_ffmt_t *f, const qv_fgrid_t *fg, int per_block)
{
    uint32_t done = len / (LP_LANES * LP_PARTIALS) * (LP_LANES * LP_PARTIALS), cnt[5] = {0};
    qv_k512_t c;
    QV_CONSTS(c, f, _mm512_set1_epi32);
    __m512 a[LP_NSUMS][LP_PARTIALS];
    memcpy(a, r->a, sizeof a);
    if (!per_block && fg->minnorm == 0x00800000u) /* one grid, 2^emin_s = 2^-126 (bf16 unscaled) */
        qv_k512_loop(a, cnt, x, gq, codes, done, &c, fg, 0, 0);
    else
        qv_k512_loop(a, cnt, x, gq, codes, done, &c, fg, per_block, 1);
    memcpy(r->a, a, sizeof a);
    for (int k = 0; k < 5; k++)
        r->cnt[k][0] += cnt[k];
    r->n += done;
    return done;
}
#define QV_FAST_avx512 qv_fast_k512

/*
 * The fast path in AVX2 (the avx2 variant's): a beat is two halves of 8 lanes, and the loop
 * runs by half and by partial (qv_k256_loop), so that one half's 4 sums of one partial and
 * the 5 counts stay in registers. The same integer steps and FP32 operations per lane as
 * qv_fast_beat and qv_k512_beat. AVX2 compares are signed: every compare here is of values
 * below 2^31 (magnitudes, their roundings, the grid's bits), or of a NaN lane whose result
 * the NaN select replaces (its subnormal count is masked by isnan, as AVX-512's unsigned
 * compare leaves it out). NaN and Inf inputs are zeroed before the products, so they add +0
 * (qv_fast_beat's way). A count adds a mask (all ones: minus one) per lane.
 */
#define QV_K256 __attribute__((target("avx2")))
typedef struct {
    QV_CONST_MEMBERS(__m256i)
    __m256i shx, big; /* sh in the exponent field; the largest |x| of qv_k256_half's magic add */
} qv_k256_t;

/* A grid's words (qv_fgrid_t's) in every lane */
typedef struct {
    __m256i minnorm, limit, cbits, cnorm;
} qv_k256_grid_t;

static QV_K256 QV_INLINE qv_k256_grid_t qv_k256_grid(const qv_fgrid_t *fg)
{
    qv_k256_grid_t g = {_mm256_set1_epi32((int)fg->minnorm), _mm256_set1_epi32((int)fg->limit),
                        _mm256_set1_epi32((int)fg->cbits), _mm256_set1_epi32((int)fg->cnorm)};
    return g;
}

/* m (all ones or zeros per lane) ? b : a */
#define QV_BL(a, b, m)                                                                                        \
    _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), _mm256_castsi256_ps(m)))

/* The rest of a half from the rounded magnitude vb and the code cd without the NaN case:
 * NaN and Inf lanes (special, a constant: 0 when the half has none), values and codes out,
 * the products into s[.], the counts into n[.] (qv_k256_counts). */
static QV_K256 QV_INLINE void qv_k256_out(__m256 s[LP_NSUMS], __m256i n[2], __m256i xb, __m256i mag, __m256i vb,
                                          __m256i cd, float *gq, uint32_t *codes, const qv_k256_t *c,
                                          qv_k256_grid_t g, int special)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i sb = _mm256_xor_si256(xb, mag), sc = _mm256_srl_epi32(sb, c->csh);
    __m256i vm = _mm256_min_epu32(vb, g.limit); /* saturated: the limit; a NaN lane's >= minnorm */
    __m256i val = _mm256_or_si256(sb, vm), code = _mm256_or_si256(sc, cd), isnan = zero, isinf = zero;
    __m256 gv = _mm256_castsi256_ps(xb), qv = _mm256_castsi256_ps(val);
    if (special) { /* NaN: the format's NaN or 0; NaN and Inf inputs add +0 to the sums */
        isnan = _mm256_cmpgt_epi32(mag, c->inf);
        isinf = _mm256_cmpeq_epi32(mag, c->inf);
        val = QV_BL(val, _mm256_or_si256(_mm256_and_si256(sb, c->has_nan), c->nan_val), isnan);
        code = QV_BL(code, _mm256_or_si256(_mm256_and_si256(sc, c->has_nan), c->nan_code), isnan);
        __m256i drop = _mm256_or_si256(isnan, isinf);
        gv = _mm256_castsi256_ps(_mm256_andnot_si256(drop, xb));
        qv = _mm256_castsi256_ps(_mm256_andnot_si256(drop, val));
    }
    _mm256_storeu_si256((__m256i *)gq, val);
    _mm256_storeu_si256((__m256i *)codes, code);
    __m256 e = _mm256_sub_ps(qv, gv);
    s[LP_SUM_G2] = _mm256_add_ps(s[LP_SUM_G2], _mm256_mul_ps(gv, gv));
    s[LP_SUM_Q2] = _mm256_add_ps(s[LP_SUM_Q2], _mm256_mul_ps(qv, qv));
    s[LP_SUM_E2] = _mm256_add_ps(s[LP_SUM_E2], _mm256_mul_ps(e, e));
    s[LP_SUM_GE] = _mm256_add_ps(s[LP_SUM_GE], _mm256_mul_ps(gv, e));
    /* the counts (qv_k256_counts): result 0, input 0, result below 2^emin_s (0 included,
     * NaN not: vm), input above the limit (NaN included) as the bytes of n[0], NaN and Inf
     * as the 16-bit words of n[1] (packs: [a0-3 b0-3 | a4-7 b4-7] of 16-bit words, then
     * [a0-3 b0-3 c0-3 d0-3 | a4-7 ...] of bytes), each byte or word minus its masks */
    __m256i vz = _mm256_cmpeq_epi32(vb, zero), mz = _mm256_cmpeq_epi32(mag, zero);
    __m256i lo = _mm256_cmpgt_epi32(g.minnorm, special ? vm : vb), hi = _mm256_cmpgt_epi32(mag, g.limit);
    n[0] = _mm256_sub_epi8(n[0], _mm256_packs_epi16(_mm256_packs_epi32(vz, mz), _mm256_packs_epi32(lo, hi)));
    if (special)
        n[1] = _mm256_sub_epi16(n[1], _mm256_packs_epi32(isnan, isinf));
}

/* 8 lanes of a beat at x, any inputs: the roundings and the code, then qv_k256_out (its
 * special case only for a half with a NaN or Inf). qv_k256_loop's for a chunk with an |x|
 * too large for qv_k256_half's. */
static QV_K256 QV_INLINE void qv_k256_full(__m256 s[LP_NSUMS], __m256i n[2], const float *x, float *gq,
                                           uint32_t *codes, const qv_k256_t *c, qv_k256_grid_t g)
{
    const __m256i minnorm = g.minnorm, limit = g.limit, cbits = g.cbits;
    __m256i xb = _mm256_loadu_si256((const __m256i *)x), mag = _mm256_and_si256(xb, c->abs);
    /* |x| >= 2^emin_s: integer rounding of the low sh bits; below: the FP32 add on C's ulp */
    __m256i lsb = _mm256_and_si256(_mm256_srl_epi32(mag, c->sh), c->one);
    __m256i vn = _mm256_and_si256(_mm256_add_epi32(_mm256_add_epi32(mag, c->half), lsb), c->rmask);
    __m256 cf = _mm256_castsi256_ps(cbits), tf = _mm256_add_ps(_mm256_castsi256_ps(mag), cf);
    __m256i vs = _mm256_castps_si256(_mm256_sub_ps(tf, cf)), ks = _mm256_sub_epi32(_mm256_castps_si256(tf), cbits);
    __m256i issub = _mm256_cmpgt_epi32(minnorm, mag);
    __m256i vb = QV_BL(vn, vs, issub);
    __m256i cn = _mm256_add_epi32(_mm256_srl_epi32(vn, c->sh), g.cnorm);
    __m256i cd = QV_BL(QV_BL(cn, ks, issub), c->max_code, _mm256_cmpgt_epi32(vb, limit));
    __m256i big = _mm256_cmpgt_epi32(mag, c->maxfin);
    if (_mm256_testz_si256(big, big))
        qv_k256_out(s, n, xb, mag, vb, cd, gq, codes, c, g, 0);
    else
        qv_k256_out(s, n, xb, mag, vb, cd, gq, codes, c, g, 1);
}

/*
 * 8 lanes of a beat at x whose every |x| is below 2^(127 - sh) (c->big; NaN and Inf are
 * above; qv_k256_small): qv_k256_full's results in fewer steps. One FP32 add rounds
 * every lane, both sides of 2^emin_s: |x| + m with m = 2^(E + sh) for |x| = 2^E * 1.f >=
 * 2^emin_s, m = 2^(emin_s + sh) (cbits) below. m's ulp is the grid's quantum at |x| (2^sh
 * of |x|'s own), and |x| + m stays in m's binade (or reaches 2m), so the add rounds |x| to
 * the grid to nearest even, the integer rounding's result, and (|x| + m) - m is exact
 * (Sterbenz). m's exponent field is max(|x|'s + sh, cbits's): below 2^emin_s cbits's is the
 * larger. The code: the add's ulps above m (2^man + the mantissa, or the subnormal code)
 * plus (m - cbits) >> sh, the binades above 2^emin_s times 2^man; so ((E - emin_s + 1) <<
 * man) + mantissa, as qv_k256_full's. A lane above the limit gives max_code, the code of
 * the limit, which such an input rounds to or above.
 */
static QV_K256 QV_INLINE void qv_k256_half(__m256 s[LP_NSUMS], __m256i n[2], const float *x, float *gq,
                                           uint32_t *codes, const qv_k256_t *c, qv_k256_grid_t g)
{
    __m256i xb = _mm256_loadu_si256((const __m256i *)x), mag = _mm256_and_si256(xb, c->abs);
    __m256i m = _mm256_max_epi32(_mm256_add_epi32(_mm256_and_si256(mag, c->inf), c->shx), g.cbits);
    __m256 mf = _mm256_castsi256_ps(m), tf = _mm256_add_ps(_mm256_castsi256_ps(mag), mf);
    __m256i vb = _mm256_castps_si256(_mm256_sub_ps(tf, mf));
    __m256i cd = _mm256_add_epi32(_mm256_sub_epi32(_mm256_castps_si256(tf), m),
                                  _mm256_srl_epi32(_mm256_sub_epi32(m, g.cbits), c->sh));
    cd = QV_BL(cd, c->max_code, _mm256_cmpgt_epi32(mag, g.limit));
    qv_k256_out(s, n, xb, mag, vb, cd, gq, codes, c, g, 0);
}

/* The counts of qv_k256_half's n[2] (at most 2 * QV_CHUNK / LP_LANES = 32 per byte or word
 * in a call) into lp_qstats_t's five: underflow = result 0 - input 0 (an input 0 gives a
 * result 0), saturated = above the limit - NaN, subnormal = below 2^emin_s - result 0. */
_Static_assert(2 * QV_CHUNK / LP_LANES < 256, "qv_k256_half's byte counts overflow");
static QV_K256 QV_INLINE void qv_k256_counts(qv_red_t *r, const __m256i n[2])
{
    uint32_t t[6] = {0}; /* result 0, input 0, below 2^emin_s, above the limit, NaN, Inf */
    /* the bytes' sums by 8 (sad): a + b and c + d per 16 bytes; of a and c alone */
    __m256i ab_cd = _mm256_sad_epu8(n[0], _mm256_setzero_si256());
    __m256i a_c = _mm256_sad_epu8(_mm256_and_si256(n[0], _mm256_set1_epi64x(0xFFFFFFFF)), _mm256_setzero_si256());
    uint64_t q[2][4];
    _mm256_storeu_si256((__m256i *)q[0], ab_cd);
    _mm256_storeu_si256((__m256i *)q[1], a_c);
    t[0] = (uint32_t)(q[1][0] + q[1][2]);
    t[1] = (uint32_t)(q[0][0] + q[0][2]) - t[0];
    t[2] = (uint32_t)(q[1][1] + q[1][3]);
    t[3] = (uint32_t)(q[0][1] + q[0][3]) - t[2];
    if (!_mm256_testz_si256(n[1], n[1])) {
        uint16_t w[16];
        _mm256_storeu_si256((__m256i *)w, n[1]);
        for (int l = 0; l < 16; l++)
            t[4 + (l >> 2 & 1)] += w[l];
    }
    r->cnt[0][0] += t[0] - t[1];
    r->cnt[1][0] += t[3] - t[4];
    r->cnt[2][0] += t[2] - t[0];
    r->cnt[3][0] += t[4];
    r->cnt[4][0] += t[5];
}

/* Whether every |x| of the len elements at x (a multiple of 8) is below c->big: the
 * precondition of qv_k256_half, checked for a whole chunk so that its loop has no other
 * case (a call out of the loop keeps its sums and grid in memory: measured ~30 % slower). */
static QV_K256 QV_INLINE int qv_k256_small(const float *x, uint32_t len, const qv_k256_t *c)
{
    __m256i m = _mm256_setzero_si256();
    for (uint32_t i = 0; i < len; i += 8)
        m = _mm256_max_epi32(m, _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(x + i)), c->abs));
    __m256i big = _mm256_cmpgt_epi32(m, c->big);
    return _mm256_testz_si256(big, big);
}

/* The beats of qv_fast_k256 by half h and partial p: p's beats p, p + 4, ... in order (each
 * partial's additions keep their order; the partials and lanes are independent). Beat b's
 * grid is block b / 2's when per_block. Each half by qv_k256_half when small (the chunk's
 * qv_k256_small), else by qv_k256_full. per_block and small are constants. */
static QV_K256 QV_INLINE void qv_k256_loop(qv_red_t *r, __m256i n[2], const float *x, float *gq, uint32_t *codes,
                                           uint32_t beats, const qv_k256_t *c, const qv_fgrid_t *fg,
                                           int per_block, int small)
{
    const qv_k256_grid_t g1 = qv_k256_grid(fg);
    for (int h = 0; h < 2; h++)
        for (uint32_t p = 0; p < LP_PARTIALS; p++) {
            __m256 s[LP_NSUMS];
#pragma GCC unroll 4 /* s in registers, not on the stack */
            for (int q = 0; q < LP_NSUMS; q++)
                s[q] = _mm256_loadu_ps((const float *)&r->a[q][p] + 8 * h);
            for (uint32_t b = p; b < beats; b += LP_PARTIALS) {
                uint32_t o = b * LP_LANES + 8 * h;
                qv_k256_grid_t g = per_block ? qv_k256_grid(fg + b / 2) : g1;
                if (small)
                    qv_k256_half(s, n, x + o, gq + o, codes + o, c, g);
                else
                    qv_k256_full(s, n, x + o, gq + o, codes + o, c, g);
            }
#pragma GCC unroll 4
            for (int q = 0; q < LP_NSUMS; q++)
                _mm256_storeu_ps((float *)&r->a[q][p] + 8 * h, s[q]);
        }
}

/* qv_fast with qv_k256_half (the same contract): the avx2 variant's. */
static QV_K256 uint32_t qv_fast_k256(qv_red_t *r, const float *x, float *gq, uint32_t *codes, uint32_t len,
                                     const qv_ffmt_t *f, const qv_fgrid_t *fg, int per_block)
{
    uint32_t done = len / (LP_LANES * LP_PARTIALS) * (LP_LANES * LP_PARTIALS), beats = done / LP_LANES;
    qv_k256_t c;
    QV_CONSTS(c, f, _mm256_set1_epi32);
    c.shx = _mm256_set1_epi32((int)(f->sh << 23));
    c.big = _mm256_set1_epi32((int)(((254u - f->sh) << 23) - 1u));
    __m256i n[2];
    for (int k = 0; k < 2; k++)
        n[k] = _mm256_setzero_si256();
    if (!qv_k256_small(x, done, &c)) /* NaN, Inf or a huge |x|: the chunk by qv_k256_full */
        qv_k256_loop(r, n, x, gq, codes, beats, &c, fg, per_block, 0);
    else if (per_block)
        qv_k256_loop(r, n, x, gq, codes, beats, &c, fg, 1, 1);
    else
        qv_k256_loop(r, n, x, gq, codes, beats, &c, fg, 0, 1);
    qv_k256_counts(r, n);
    r->n += done;
    return done;
}
#define QV_FAST_avx2 qv_fast_k256
#endif
#define QV_FAST_base NULL
#ifndef QV_FAST_avx2
#define QV_FAST_avx2 NULL
#endif

/* A variant's own fast path (qv_fast's contract), or NULL: qv_fast itself. */
typedef uint32_t (*qv_fast_fn)(qv_red_t *r, const float *x, float *gq, uint32_t *codes, uint32_t len,
                               const qv_ffmt_t *f, const qv_fgrid_t *fg, int per_block);

/* LP_SCALE_BLOCK32's exponents and grids by the block amax's exponent field e (lp_scale_k's
 * k is a function of e alone where e > 0; amax is finite, so e < 255): have[e] once known. */
typedef struct {
    uint8_t have[255], ok[255];
    int32_t k[255];
    qv_fgrid_t fg[255];
} qv_bmemo_t;

/* The fast path's state for one vector: ok for its format and options, gok for its grid,
 * fn the variant's own fast path (a constant in each variant's body), bm block32's memo. */
typedef struct {
    int ok, gok;
    qv_fast_fn fn;
    qv_ffmt_t ff;
    qv_fgrid_t fg;
    qv_bmemo_t *bm;
} qv_fast_t;

/* A block's exponent *k from its amax, its grid into *fg; whether the fast path holds on it */
static QV_INLINE int qv_block_grid(qv_bmemo_t *m, const lp_fmt_params_t *p, uint32_t amax, int32_t *k,
                                   qv_fgrid_t *fg)
{
    uint32_t e = amax >> 23;
    if (e && m->have[e]) {
        *k = m->k[e];
        *fg = m->fg[e];
        return m->ok[e];
    }
    *k = lp_scale_k(amax, p, LP_SCALE_BLOCK32);
    lp_qgrid_t g = lp_quant_grid(p, *k);
    int ok = qv_fgrid_make(fg, p, &g);
    if (e) {
        m->have[e] = 1, m->ok[e] = (uint8_t)ok, m->k[e] = *k;
        m->fg[e] = *fg;
    }
    return ok;
}

/* A chunk under LP_SCALE_BLOCK32: each block's exponent, then one call per run of blocks
 * with the same exponent (the grid is a function of it alone, so the same results). */
static QV_INLINE void qv_blocks(const qv_job_t *j, float *y, uint32_t *c, uint32_t *fl, uint32_t h, uint32_t i0,
                                uint32_t len)
{
    int32_t kb[QV_CHUNK / LP_MX_BLOCK];
    uint32_t nb = (len + LP_MX_BLOCK - 1) / LP_MX_BLOCK;
    for (uint32_t b = 0; b < nb; b++) {
        uint32_t bl = len - b * LP_MX_BLOCK < LP_MX_BLOCK ? len - b * LP_MX_BLOCK : LP_MX_BLOCK;
        kb[b] = lp_scale_k(qv_amax(j->g + i0 + b * LP_MX_BLOCK, bl), j->p, LP_SCALE_BLOCK32);
        if (j->scale_k)
            j->scale_k[i0 / LP_MX_BLOCK + b] = kb[b];
    }
    for (uint32_t b = 0, e; b < nb; b = e) {
        for (e = b + 1; e < nb && kb[e] == kb[b]; e++)
            ;
        lp_qgrid_t gb = lp_quant_grid(j->p, kb[b]);
        uint32_t s0 = b * LP_MX_BLOCK, s1 = e * LP_MX_BLOCK < len ? e * LP_MX_BLOCK : len;
        qv_elems_any(j->g + i0 + s0, y + s0, c + s0, fl + s0, s1 - s0, j->p, &gb, j->cfg, h, j->base + i0 + s0);
    }
}

/* One chunk: per-block grids for LP_SCALE_BLOCK32, else the tensor's grid *g. */
static QV_INLINE void qv_chunk(const qv_job_t *j, qv_red_t *r, const lp_qgrid_t *g, const qv_fast_t *fz,
                               uint32_t h, uint32_t i0, uint32_t len)
{
    /* results go to buffers on the stack first and are copied out after the statistics:
     * stores into the output arrays then never stall the loads of the input (false
     * store-to-load dependencies when the arrays' addresses agree in their low 12 bits) */
    float y[QV_CHUNK];
    uint32_t c[QV_CHUNK], fl[QV_CHUNK];
    if (fz->ok && fz->gok && j->cfg->scale != LP_SCALE_BLOCK32) {
        uint32_t *co = j->codes ? j->codes + i0 : c; /* no codes wanted: scratch */
        uint32_t d = fz->fn ? fz->fn(r, j->g + i0, j->gq + i0, co, len, &fz->ff, &fz->fg, 0)
                            : qv_fast(r, j->g + i0, j->gq + i0, co, len, &fz->ff, &fz->fg, 0);
        i0 += d, len -= d;
        if (!len)
            return;
    } else if (fz->ok && j->cfg->scale == LP_SCALE_BLOCK32 && len >= LP_LANES * LP_PARTIALS) {
        /* the whole groups of 4 beats (2 MX blocks each): each block's exponent and grid
         * (qv_block_grid: each exponent's once a vector), then the fast path if every grid has it */
        qv_fgrid_t fg[QV_CHUNK / LP_MX_BLOCK];
        uint32_t nb = len / (LP_LANES * LP_PARTIALS) * (LP_LANES * LP_PARTIALS) / LP_MX_BLOCK, ok = 1;
        for (uint32_t b = 0; b < nb; b++) {
            int32_t kb;
            ok &= (uint32_t)qv_block_grid(fz->bm, j->p, qv_amax(j->g + i0 + b * LP_MX_BLOCK, LP_MX_BLOCK), &kb,
                                          &fg[b]);
            if (j->scale_k)
                j->scale_k[i0 / LP_MX_BLOCK + b] = kb;
        }
        if (ok) {
            uint32_t *co = j->codes ? j->codes + i0 : c;
            uint32_t d = fz->fn ? fz->fn(r, j->g + i0, j->gq + i0, co, nb * LP_MX_BLOCK, &fz->ff, fg, 1)
                                : qv_fast(r, j->g + i0, j->gq + i0, co, nb * LP_MX_BLOCK, &fz->ff, fg, 1);
            i0 += d, len -= d;
            if (!len)
                return;
        }
    }
    if (j->cfg->scale != LP_SCALE_BLOCK32) {
        qv_elems_any(j->g + i0, y, c, fl, len, j->p, g, j->cfg, h, j->base + i0);
    } else {
        qv_blocks(j, y, c, fl, h, i0, len);
    }
    qv_stats(r, j->g + i0, y, fl, len);
    memcpy(j->gq + i0, y, len * sizeof y[0]);
    if (j->codes)
        memcpy(j->codes + i0, c, len * sizeof c[0]);
}

/* The elements of j (an array, or a stream's chunk) chunk by chunk into the state r. */
static QV_INLINE void qv_run(const qv_job_t *j, qv_red_t *r, const lp_qgrid_t *grid, qv_fast_fn fn)
{
    uint32_t h = lp_mix32_inline(j->cfg->seed ^ lp_mix32_inline(j->step ^ 0x9E3779B9u)); /* lp_sr_hash */
    qv_fast_t fz;
    qv_bmemo_t bm;
    memset(&fz, 0, sizeof fz);
    if (j->cfg->scale == LP_SCALE_BLOCK32) {
        memset(bm.have, 0, sizeof bm.have);
        fz.bm = &bm;
    }
    fz.fn = fn;
    fz.ok = qv_fast_ok(j->p, j->cfg, &fz.ff);
    fz.gok = fz.ok && qv_fgrid_make(&fz.fg, j->p, grid);
    for (uint32_t i0 = 0, len; i0 < j->n; i0 += len) { /* i0 + len <= n: never wraps */
        len = j->n - i0 < QV_CHUNK ? j->n - i0 : QV_CHUNK;
        qv_chunk(j, r, grid, &fz, h, i0, len);
    }
}

/* lp_quantize_vec's contract, chunk by chunk. */
static QV_INLINE void qv_vec(const qv_job_t *j, qv_fast_fn fn)
{
    qv_red_t red;
    memset(&red, 0, sizeof red); /* every partial +0.0 */
    int tensor = j->cfg->scale == LP_SCALE_TENSOR;
    int32_t k = tensor ? lp_scale_k(qv_amax(j->g, j->n), j->p, LP_SCALE_TENSOR) : 0;
    lp_qgrid_t grid = lp_quant_grid(j->p, k);
    if (j->scale_k && tensor)
        j->scale_k[0] = k;
    qv_run(j, &red, &grid, fn);
    qv_finish(&red, j->st);
}

/* One chunk of a stream: the reduction state comes from and goes back to s (its layout is
 * qv_red_t's: the partials as 16-lane beats, the per-lane counts, n). */
static QV_INLINE void qv_stream(const qv_job_t *j, lp_qv_stream_t *s, qv_fast_fn fn)
{
    qv_red_t red;
    memcpy(red.a, s->acc, sizeof red.a);
    memcpy(red.cnt, s->cnt, sizeof red.cnt);
    red.n = s->i0;
    lp_qgrid_t grid = lp_quant_grid(j->p, s->k);
    qv_run(j, &red, &grid, fn);
    memcpy(s->acc, red.a, sizeof red.a);
    memcpy(s->cnt, red.cnt, sizeof red.cnt);
    s->i0 = red.n;
}

/* lp_quant_values' contract (values only) in chunks; codes, flags and sums go to scratch. */
static QV_INLINE void qv_values(const uint32_t *x, uint32_t *y, uint32_t n, const lp_fmt_params_t *p,
                                const lp_qgrid_t *g, const lp_qcfg_t *cfg, uint32_t step, uint32_t i0, qv_fast_fn fn)
{
    float v[QV_CHUNK]; /* through the stack, as in qv_chunk */
    uint32_t c[QV_CHUNK], fl[QV_CHUNK];
    uint32_t h = lp_mix32_inline(cfg->seed ^ lp_mix32_inline(step ^ 0x9E3779B9u)); /* lp_sr_hash */
    qv_fast_t fz;
    qv_red_t scratch; /* the fast path's statistics, not wanted here */
    memset(&fz, 0, sizeof fz);
    memset(&scratch, 0, sizeof scratch);
    int fast = qv_fast_ok(p, cfg, &fz.ff) && qv_fgrid_make(&fz.fg, p, g);
    for (uint32_t i = 0, len; i < n; i += len) {
        len = n - i < QV_CHUNK ? n - i : QV_CHUNK;
        /* the fast path where it holds (its codes to scratch), the rest through the stack */
        const float *xi = (const float *)(x + i);
        float *yi = (float *)(y + i);
        uint32_t d = !fast ? 0
                     : fn  ? fn(&scratch, xi, yi, c, len, &fz.ff, &fz.fg, 0)
                           : qv_fast(&scratch, xi, yi, c, len, &fz.ff, &fz.fg, 0);
        if (d < len) {
            qv_elems_any((const float *)(x + i + d), v, c, fl, len - d, p, g, cfg, h, i0 + i + d);
            memcpy(y + i + d, v, (len - d) * sizeof v[0]);
        }
    }
}

/* The variants: the same bodies, compiled for each instruction set. */
#define QV_VARIANT(name, attr)                                                                                \
    static attr void qv_vec_##name(const qv_job_t *j) { qv_vec(j, QV_FAST_##name); }                         \
    static attr void qv_stream_##name(const qv_job_t *j, lp_qv_stream_t *s) { qv_stream(j, s, QV_FAST_##name); } \
    static attr void qv_values_##name(const uint32_t *x, uint32_t *y, uint32_t n, const lp_fmt_params_t *p, \
                                      const lp_qgrid_t *g, const lp_qcfg_t *cfg, uint32_t step, uint32_t i0) \
    {                                                                                                         \
        qv_values(x, y, n, p, g, cfg, step, i0, QV_FAST_##name);                                              \
    }                                                                                                         \
    static attr uint32_t qv_amax_##name(const float *x, uint32_t n) { return qv_amax(x, n); }
LP_QV_VARIANTS(QV_VARIANT)

static const char *const qv_names[LP_QV_NVARIANTS] = {"plain", "base", "avx2", "avx512"};
static lp_hv_choice_t qv_choice = {"LP_QUANT_VARIANT", -1};

const char *lp_qv_variant_name(int v) { return v >= 0 && v < LP_QV_NVARIANTS ? qv_names[v] : "?"; }

int lp_qv_variant_supported(int v)
{
#ifdef LP_QV_X86
    __builtin_cpu_init();
    if (v == LP_QV_AVX2)
        return __builtin_cpu_supports("avx2");
    if (v == LP_QV_AVX512) /* popcnt: qv_fast_k512's */
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("popcnt");
#endif
    return v == LP_QV_PLAIN || v == LP_QV_BASE;
}

/* The automatic choice: the variable c->env if it names one the CPU has, else the best. */
static int hv_auto(const lp_hv_choice_t *c)
{
    const char *env = getenv(c->env);
    for (int v = 0; env && v < LP_QV_NVARIANTS; v++)
        if (strcmp(env, qv_names[v]) == 0 && lp_qv_variant_supported(v))
            return v;
    int v = LP_QV_NVARIANTS - 1;
    while (!lp_qv_variant_supported(v))
        v--;
    return v;
}

int lp_hv_choice_set(lp_hv_choice_t *c, int v)
{
    if (v < 0)
        v = hv_auto(c);
    else if (v >= LP_QV_NVARIANTS || !lp_qv_variant_supported(v))
        return -1;
    __atomic_store_n(&c->current, v, __ATOMIC_RELAXED);
    return 0;
}

int lp_hv_choice_get(lp_hv_choice_t *c)
{
    int v = __atomic_load_n(&c->current, __ATOMIC_RELAXED);
    if (v < 0) {
        lp_hv_choice_set(c, -1);
        v = __atomic_load_n(&c->current, __ATOMIC_RELAXED);
    }
    return v;
}

int lp_qv_variant_set(int v) { return lp_hv_choice_set(&qv_choice, v); }
int lp_qv_variant_get(void) { return lp_hv_choice_get(&qv_choice); }

/* Each variant's entry points ("plain" runs base's for the values-only loop and streams). */
typedef struct {
    void (*vec)(const qv_job_t *j);
    void (*stream)(const qv_job_t *j, lp_qv_stream_t *s);
    void (*values)(const uint32_t *x, uint32_t *y, uint32_t n, const lp_fmt_params_t *p, const lp_qgrid_t *g,
                   const lp_qcfg_t *cfg, uint32_t step, uint32_t i0);
    uint32_t (*amax)(const float *x, uint32_t n);
} qv_fns_t;
#define QV_FNS(name) {qv_vec_##name, qv_stream_##name, qv_values_##name, qv_amax_##name}
static const qv_fns_t qv_fns[LP_QV_NVARIANTS] = LP_QV_TABLE(QV_FNS);

int lp_quantize_vec_host(const float *g, float *gq, uint32_t *codes, int32_t *scale_k, uint32_t n,
                         const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, lp_qstats_t *st)
{
    qv_job_t j = {g, gq, codes, scale_k, n, p, cfg, step, st, 0};
    int v = lp_qv_variant_get();
    if (v == LP_QV_PLAIN || (const void *)g == (const void *)gq) /* in place: the HLS loop's reads */
        return 0;
    qv_fns[v].vec(&j);
    return 1;
}

void lp_quant_values_host(const uint32_t *x, uint32_t *y, uint32_t n, const lp_fmt_params_t *p,
                          const lp_qgrid_t *g, const lp_qcfg_t *cfg, uint32_t step, uint32_t i0)
{
    qv_fns[lp_qv_variant_get()].values(x, y, n, p, g, cfg, step, i0);
}

uint32_t lp_qv_amax(const float *x, uint32_t n) { return qv_fns[lp_qv_variant_get()].amax(x, n); }

void lp_qv_stream_begin(lp_qv_stream_t *s, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step,
                        uint32_t amax)
{
    memset(s, 0, sizeof *s); /* every partial +0.0, no counts, no element yet */
    s->p = *p;
    s->cfg = *cfg;
    s->step = step;
    s->k = cfg->scale == LP_SCALE_TENSOR ? lp_scale_k(amax, p, LP_SCALE_TENSOR) : 0;
}

void lp_qv_stream_chunk(lp_qv_stream_t *s, const float *g, float *gq, uint32_t *codes, int32_t *scale_k,
                        uint32_t len)
{
    /* the SR index of g[0] is s->i0; scale_k gets this chunk's blocks (block32 only: the
     * tensor's exponent is s->k) */
    qv_job_t j = {g, gq, codes, s->cfg.scale == LP_SCALE_BLOCK32 ? scale_k : NULL, len, &s->p, &s->cfg,
                  s->step, NULL, s->i0};
    qv_fns[lp_qv_variant_get()].stream(&j, s);
}

void lp_qv_stream_end(const lp_qv_stream_t *s, lp_qstats_t *st)
{
    qv_red_t red;
    memcpy(red.a, s->acc, sizeof red.a);
    memcpy(red.cnt, s->cnt, sizeof red.cnt);
    red.n = s->i0;
    qv_finish(&red, st);
}
#endif /* LP_QV_HOST */
