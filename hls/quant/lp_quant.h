/*
 * lp_quant.h - FP32 -> low-precision quantizer (docs/design.md contracts 2-4).
 *
 * One function quantizes one FP32 value given as its bits; it returns the decoded FP32
 * value (bits), the encoded element (code) and per-element flags for the statistics.
 * Integer bit manipulation only: no libm, no floating-point arithmetic, no malloc,
 * no recursion, constant loop bounds. The RTL quantizer implements the same steps.
 *
 * The steps, per element x (SoftFloat-style: unpack, round, pack):
 *   1. unpack   x = (-1)^s * sig * 2^(eu-23), sig < 2^24, eu = max(expfield,1) - 127;
 *               eb = floor(log2 |x|): eu for normals, msb(sig) - 149 for FP32 subnormals.
 *   2. grid     the quantum is 2^qe, qe = max(eb, emin - k) - man, where k is the scale
 *               exponent (0 unless scaling: the element is quantized as x*2^k and the
 *               result multiplied by 2^-k, done exactly by shifting the grid).
 *   3. round    kq = round(sig / 2^sh), sh = qe - (eu - 23), by the rounding mode:
 *               RNE on the exact remainder (ties to even kq, i.e. even last code bit; for
 *               M = 0 formats, where every significand is 1, ties go up to the larger
 *               power of two); RTZ truncates; SR adds 32 random bits r to
 *               the top 32 bits of the discarded fraction and rounds up on carry-out, so
 *               P(up) = floor(frac * 2^32) / 2^32.
 *   4. pack     value = kq * 2^qe as FP32 bits (exact: every grid point is an FP32 value).
 *   5. specials overflow (value > max finite of that sign; the value is rounded as if the
 *               exponent range were unbounded, so rtz overflows from max + 1 ulp up) ->
 *               saturate, or Inf/NaN by the format's policy with LP_OVF_INF; subnormal
 *               results flushed to zero when
 *               subnormals are off (a value that rounds up to the minimum normal stays).
 *
 * Special inputs (documented result for every format):
 *   NaN   -> the format's canonical NaN, sign kept (IEEE: exponent all ones, mantissa MSB;
 *            E4M3: S.1111.111); +0 for formats without NaN (MX FP6/FP4, eXm0, fixed).
 *   +-Inf -> LP_OVF_SAT: +-max finite. LP_OVF_INF: +-Inf if the format has Inf, NaN if it
 *            has only NaN (E4M3), +-max finite otherwise.
 *   Fixed point has no -0: results of zero are +0 (code 0).
 */
#ifndef LP_QUANT_H
#define LP_QUANT_H

#include "../format/lp_format.h"

/* Per-element flags (lp_q_t.flags), summed into the statistics. */
#define LP_QF_UNDERFLOW 1u /* finite nonzero input, result zero                         */
#define LP_QF_SATURATED 2u /* non-NaN input whose magnitude exceeds max finite          */
#define LP_QF_SUBNORMAL 4u /* result is a subnormal of the target format (e1mY: also   */
                           /* a saturated +-max finite, which is subnormal there)       */
#define LP_QF_NAN 8u       /* input is NaN                                              */
#define LP_QF_INF 16u      /* input is +-Inf (also counted as saturated)                */

/* Quantizer configuration: a format plus the options. */
typedef struct {
    lp_format_t fmt;
    uint8_t rounding;   /* LP_ROUND_*                                 */
    uint8_t overflow;   /* LP_OVF_*                                   */
    uint8_t subnormals; /* 1 keep (default), 0 flush to zero          */
    uint8_t scale;      /* LP_SCALE_*                                 */
    uint32_t seed;      /* stochastic rounding seed                   */
} lp_qcfg_t;

/* Result of quantizing one element. */
typedef struct {
    uint32_t value; /* decoded FP32 bits (rescaled by 2^-k when scaling)       */
    uint32_t code;  /* encoded element, code_bits wide (two's complement fixed) */
    uint32_t flags; /* LP_QF_*                                                   */
} lp_q_t;

/* Defaults: rne, saturate, subnormals on, no scaling, seed 0. */
lp_qcfg_t lp_qcfg_default(lp_format_t fmt);

/*
 * The stochastic-rounding hash: 32 random bits for element `index` of step `step`.
 * Counter-based, so every backend at any lane count draws the same bits:
 *     h = mix(seed ^ mix(step ^ 0x9E3779B9));   h = mix(h ^ index)
 *     mix(x): x ^= x >> 16; x *= 0x21F0AAAD; x ^= x >> 15; x *= 0x735A2D97; x ^= x >> 15
 * (all arithmetic modulo 2^32; mix is Wellons' "lowbias32" finaliser).
 */
uint32_t lp_sr_hash(uint32_t seed, uint32_t step, uint32_t index);
uint32_t lp_hash_mix32(uint32_t x);

/*
 * The format's grid under scale exponent k: the quantizer's view of a format scaled by
 * 2^-k. Computed once per tensor or MX block (lp_quant_grid), read for every element.
 */
typedef struct {
    int32_t k;         /* scale exponent (0 when unscaled)                           */
    int32_t emin_s;    /* emin - k: smallest normal exponent in the unscaled domain  */
    uint32_t max_bits; /* largest positive finite value * 2^-k, FP32 bits            */
    uint32_t neg_bits; /* magnitude of the most negative value * 2^-k, FP32 bits     */
} lp_qgrid_t;

lp_qgrid_t lp_quant_grid(const lp_fmt_params_t *p, int32_t k);

/*
 * Quantize one FP32 value (bits x) with derived format parameters p, the grid g of its
 * tensor or block, mode options from cfg and random bits rnd (read only for LP_ROUND_SR;
 * pass lp_sr_hash(cfg->seed, step, index)). Defined inline in lp_quant_elem.h so vector
 * loops can inline and vectorize it.
 */
lp_q_t lp_quant_f32(uint32_t x, const lp_fmt_params_t *p, const lp_qgrid_t *g, const lp_qcfg_t *cfg,
                    uint32_t rnd);

/* Decode one element code back to FP32 bits under scale exponent k (inverse of encode). */
uint32_t lp_decode(uint32_t code, const lp_fmt_params_t *p, int32_t k);

/* Bits of the largest finite magnitude among n FP32 values (NaN and Inf skipped). */
uint32_t lp_amax_bits(const LP_GLOBAL float *x, uint32_t n);

/*
 * Scale exponent k for a tensor or an MX block from the bits of its largest finite
 * magnitude amax (0 for all-zero). LP_SCALE_TENSOR: the largest k with amax*2^k <= max
 * finite (0 when amax = 0). LP_SCALE_BLOCK32 (OCP MX v1.0 6.3): k = emax_elem - floor(log2 amax), i.e. the
 * shared E8M0 scale X = 2^-k with -k clamped to [-127, 127] (an all-zero block: 127).
 * Both are then clamped to [etop - 127, emin - man + 149] so every scaled grid point and
 * result is an FP32 value; etop = emax, or emin for fixed point (whose most negative
 * value -2^emin is the largest magnitude).
 * LP_SCALE_NONE: 0.
 */
int32_t lp_scale_k(uint32_t amax_bits, const lp_fmt_params_t *p, int mode);

/* E8M0 code of an MX block scale X = 2^-k (OCP MX: biased by 127). */
static inline uint32_t lp_e8m0_code(int32_t k) { return (uint32_t)(127 - k); }

#endif
