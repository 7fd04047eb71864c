/*
 * lp_oracle.c - the independent quantizer oracle (see lp_oracle.h).
 *
 * Every decision below is a comparison of exact doubles against a sorted list of the
 * format's values. Nothing here is shared with hls/: no bit tricks on the grid, no derived
 * parameters, no packing helpers. Internal inconsistencies abort (they are oracle bugs).
 */
#include "lp_oracle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORC_LIST_MAX (1u << 21) /* list formats with at most this many codes */

static void orc_fail(const char *what)
{
    fprintf(stderr, "lp_oracle: internal check failed: %s\n", what);
    abort();
}

static uint32_t f2u(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static float u2f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static int floor_log2(double v) /* v > 0, exact */
{
    int e;
    frexp(v, &e); /* v = f * 2^e, f in [0.5, 1) */
    return e - 1;
}

static int is_pow2(double v) /* a positive normal double with no mantissa bits set */
{
    uint64_t b;
    memcpy(&b, &v, 8);
    return v > 0 && (b & 0x000FFFFFFFFFFFFFull) == 0 && (b >> 52) != 0;
}

/* ---- the encoding, from E, M, bias, specials (float) or W, F (fixed) ---- */

/* Float magnitude code c (E+M bits): 1 and its value when finite, 0 for Inf/NaN. */
static int float_mag_value(const lp_format_t *f, uint32_t c, double *v)
{
    uint32_t E = f->exp_bits, M = f->man_bits;
    uint32_t field = c >> M, m = c & ((1u << M) - 1u), ones = (1u << E) - 1u;
    if (f->specials == LP_SPECIALS_IEEE && field == ones)
        return 0; /* Inf (m == 0) or NaN */
    if (f->specials == LP_SPECIALS_FN && field == ones && m == (1u << M) - 1u)
        return 0; /* the one NaN pattern S.1111.111 */
    if (field == 0)
        *v = ldexp((double)m, 1 - f->bias - (int)M); /* subnormal: 0.m * 2^(1-bias) */
    else
        *v = ldexp((double)((1u << M) + m), (int)field - f->bias - (int)M); /* 1.m * 2^(field-bias) */
    return 1;
}

/* Fixed point code c (W bits, two's complement): signed integer value. */
static int64_t fixed_int(const lp_format_t *f, uint32_t c)
{
    int64_t W = f->width;
    int64_t v = (int64_t)c;
    return v >= ((int64_t)1 << (W - 1)) ? v - ((int64_t)1 << W) : v;
}

double lp_orc_decode(const lp_orc_t *o, uint32_t code)
{
    const lp_format_t *f = &o->fmt;
    if (o->fixed)
        return ldexp((double)fixed_int(f, code), -(int)f->frac);
    uint32_t mb = f->exp_bits + f->man_bits;
    uint32_t s = (code >> mb) & 1u, c = code & ((1u << mb) - 1u);
    double v;
    if (!float_mag_value(f, c, &v)) {
        uint32_t m = c & ((1u << f->man_bits) - 1u);
        v = (f->specials == LP_SPECIALS_IEEE && m == 0) ? INFINITY : NAN;
    }
    return s ? -v : v;
}

/* ---- the tables ---- */

static double side_val(const lp_orc_t *o, const lp_orc_side_t *t, uint32_t i)
{
    if (t->val)
        return t->val[i];
    if (o->fixed)
        return ldexp((double)i, -(int)o->fmt.frac);
    double v;
    if (!float_mag_value(&o->fmt, i, &v))
        orc_fail("unlisted float table reaches a special code");
    return v;
}

static uint32_t side_code(const lp_orc_t *o, const lp_orc_side_t *t, int neg, uint32_t i)
{
    if (t->code)
        return t->code[i];
    if (o->fixed) {
        uint32_t mask = (uint32_t)(((uint64_t)1 << o->fmt.width) - 1u);
        return neg ? (0u - i) & mask : i;
    }
    return i;
}

typedef struct {
    double v;
    uint32_t c;
} orc_pair_t;

static int pair_cmp(const void *a, const void *b)
{
    const orc_pair_t *x = a, *y = b;
    return x->v < y->v ? -1 : x->v > y->v ? 1 : 0;
}

/* Sort a list of (magnitude, code) pairs into side t; values must be distinct. */
static void side_from_pairs(lp_orc_side_t *t, orc_pair_t *pr, uint32_t n)
{
    qsort(pr, n, sizeof *pr, pair_cmp);
    t->n = n;
    t->val = malloc(n * sizeof *t->val);
    t->code = malloc(n * sizeof *t->code);
    if (!t->val || !t->code)
        orc_fail("out of memory");
    for (uint32_t i = 0; i < n; i++) {
        if (i && !(pr[i].v > pr[i - 1].v))
            orc_fail("two codes of one sign with the same value");
        t->val[i] = pr[i].v;
        t->code[i] = pr[i].c;
    }
}

int lp_orc_init(lp_orc_t *o, const lp_format_t *fmt, const char **why)
{
    memset(o, 0, sizeof *o);
    o->fmt = *fmt;
    o->fixed = fmt->kind == LP_KIND_FIXED;
    *why = "";
    if (o->fixed) {
        uint32_t W = fmt->width, F = fmt->frac;
        if (W < 2 || W > 24 || F > 149) {
            *why = "fixed point needs 2 <= W <= 24, F <= 149";
            return -1;
        }
        o->code_bits = (int)W;
        o->qmin = -(int)F;
        uint32_t ncodes = 1u << W;
        if (ncodes <= ORC_LIST_MAX) {
            orc_pair_t *pos = malloc(ncodes * sizeof *pos), *neg = malloc(ncodes * sizeof *neg);
            uint32_t np = 0, nn = 0;
            if (!pos || !neg)
                orc_fail("out of memory");
            for (uint32_t c = 0; c < ncodes; c++) {
                int64_t v = fixed_int(fmt, c);
                if (v >= 0)
                    pos[np++] = (orc_pair_t){ldexp((double)v, -(int)F), c};
                if (v <= 0)
                    neg[nn++] = (orc_pair_t){ldexp((double)-v, -(int)F), c};
            }
            side_from_pairs(&o->side[0], pos, np);
            side_from_pairs(&o->side[1], neg, nn);
            free(pos);
            free(neg);
        } else {
            o->side[0].n = ncodes / 2;     /* 0 .. 2^(W-1)-1 */
            o->side[1].n = ncodes / 2 + 1; /* 0 .. 2^(W-1)   */
        }
        for (int s = 0; s < 2; s++) {
            lp_orc_side_t *t = &o->side[s];
            t->extreme = side_val(o, t, t->n - 1);
            t->beyond = t->extreme + ldexp(1.0, -(int)F);
        }
    } else {
        uint32_t E = fmt->exp_bits, M = fmt->man_bits;
        if (fmt->kind != LP_KIND_FLOAT || E < 1 || E > 8 || M > 23 || fmt->specials > LP_SPECIALS_NONE) {
            *why = "float needs 1 <= E <= 8, M <= 23 and a known special-value policy";
            return -1;
        }
        o->code_bits = (int)(1 + E + M);
        o->min_normal = ldexp(1.0, 1 - fmt->bias);
        o->qmin = 1 - fmt->bias - (int)M;
        o->has_inf = fmt->specials == LP_SPECIALS_IEEE;
        o->has_nan = (fmt->specials == LP_SPECIALS_IEEE && M >= 1) || fmt->specials == LP_SPECIALS_FN;
        uint32_t ones = (1u << E) - 1u;
        o->inf_code = ones << M;
        o->nan_code = fmt->specials == LP_SPECIALS_FN ? (ones << M) | ((1u << M) - 1u)
                                                      : M ? (ones << M) | (1u << (M - 1)) : 0u;
        uint32_t ncodes = 1u << (E + M); /* magnitude codes (sign bit clear) */
        lp_orc_side_t *t = &o->side[0];
        if (ncodes <= ORC_LIST_MAX) {
            orc_pair_t *pr = malloc(ncodes * sizeof *pr);
            uint32_t n = 0;
            if (!pr)
                orc_fail("out of memory");
            for (uint32_t c = 0; c < ncodes; c++) {
                double v;
                if (float_mag_value(fmt, c, &v))
                    pr[n++] = (orc_pair_t){v, c};
            }
            side_from_pairs(t, pr, n);
            free(pr);
            /* the claim the unlisted tables rest on: finite codes are 0..n-1 in value order */
            for (uint32_t i = 0; i < n; i++)
                if (t->code[i] != i)
                    orc_fail("finite codes are not 0..n-1 in ascending value order");
        } else {
            t->n = fmt->specials == LP_SPECIALS_IEEE ? ncodes - (1u << M)
                   : fmt->specials == LP_SPECIALS_FN ? ncodes - 1u
                                                     : ncodes;
        }
        if (t->n < 2) {
            *why = "the format has no finite nonzero value";
            lp_orc_free(o);
            return -1;
        }
        t->extreme = side_val(o, t, t->n - 1);
        /* ulp of the extreme with an unbounded exponent range */
        int eb = floor_log2(t->extreme), emin = 1 - fmt->bias;
        t->beyond = t->extreme + ldexp(1.0, (eb > emin ? eb : emin) - (int)M);
        o->side[1] = *t; /* floats are sign-magnitude: same magnitudes, codes without sign */
    }
    o->emax = floor_log2(o->side[0].extreme);
    if (o->qmin < -149 || o->side[0].extreme >= ldexp(1.0, 128)) {
        *why = "format values are not all FP32 values";
        lp_orc_free(o);
        return -1;
    }
    return 0;
}

void lp_orc_free(lp_orc_t *o)
{
    free(o->side[0].val);
    free(o->side[0].code);
    if (o->fixed) {
        free(o->side[1].val);
        free(o->side[1].code);
    }
    memset(&o->side, 0, sizeof o->side);
}

/* ---- the SR hash, from the text of lp_quant.h ---- */

static uint32_t orc_mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x21F0AAADu;
    x ^= x >> 15;
    x *= 0x735A2D97u;
    x ^= x >> 15;
    return x;
}

uint32_t lp_orc_sr_hash(uint32_t seed, uint32_t step, uint32_t index)
{
    uint32_t h = orc_mix(seed ^ orc_mix(step ^ 0x9E3779B9u));
    return orc_mix(h ^ index);
}

/* ---- rounding by search and comparison ---- */

/* Round magnitude y >= 0 on side t. Returns the table index, or t->n for "past the
 * extreme" (overflow). */
static uint32_t orc_round(const lp_orc_t *o, int neg, double y, int mode, uint32_t rnd)
{
    const lp_orc_side_t *t = &o->side[neg];
    if (y >= t->beyond)
        return t->n;
    uint32_t lo = 0, hi = t->n - 1; /* invariant: val(lo) <= y; find the largest such */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (side_val(o, t, mid) <= y)
            lo = mid;
        else
            hi = mid - 1;
    }
    uint32_t i = lo;
    double a = side_val(o, t, i);
    double b = i + 1 < t->n ? side_val(o, t, i + 1) : t->beyond;
    if (!(a <= y && y < b))
        orc_fail("search");
    if (y == a)
        return i;
    double gap = b - a;
    if (!is_pow2(gap))
        orc_fail("neighbours are not a power of two apart");
    if (mode == LP_ROUND_RTZ)
        return i;
    if (mode == LP_ROUND_RNE) {
        double mid = (a + b) / 2; /* exact */
        if (y < mid)
            return i;
        if (y > mid)
            return i + 1;
        double q = a / gap; /* an integer: a is a multiple of the gap */
        if (q != floor(q))
            orc_fail("lower neighbour is not a multiple of the gap");
        uint32_t j = fmod(q, 2.0) == 0.0 ? i : i + 1;
        /* cross-check with IEEE's wording (even last digit = code ending in 0), where the
         * format has a last significand digit to speak of (M >= 1, or fixed point) */
        if (j < t->n && (o->fixed || o->fmt.man_bits >= 1) && (side_code(o, t, neg, j) & 1u))
            orc_fail("tie went to an odd code");
        return j;
    }
    /* stochastic: frac = (y - a) / gap, exactly; up iff floor(frac * 2^32) + rnd >= 2^32 */
    double d = y - a;
    if (d + a != y || d <= 0)
        orc_fail("inexact remainder");
    double fr = floor(ldexp(d / gap, 32));
    if (!(fr >= 0 && fr < 4294967296.0))
        orc_fail("fraction bits");
    uint64_t sum = (uint64_t)fr + rnd;
    return sum >= ((uint64_t)1 << 32) ? i + 1 : i;
}

static uint32_t f32_bits_exact(double v)
{
    float f = (float)v;
    if ((double)f != v)
        orc_fail("result is not an FP32 value");
    return f2u(f);
}

lp_orc_q_t lp_orc_quant(const lp_orc_t *o, uint32_t x, int32_t k, const lp_qcfg_t *cfg, uint32_t rnd)
{
    lp_orc_q_t r = {0, 0, 0};
    int neg = (int)(x >> 31);
    uint32_t sgn_code = o->fixed ? 0u : (uint32_t)neg << (o->code_bits - 1);
    const lp_orc_side_t *t = &o->side[neg];
    float xf = u2f(x);
    if (isnan(xf)) {
        r.flags = LP_QF_NAN;
        if (o->has_nan) {
            r.code = sgn_code | o->nan_code;
            r.value = ((uint32_t)neg << 31) | 0x7FC00000u;
        }
        return r;
    }
    double y = k ? ldexp(fabs((double)xf), k) : fabs((double)xf); /* |x| * 2^k, exact */
    int inf_in = isinf(xf);
    if (inf_in)
        r.flags |= LP_QF_INF;
    if (y > t->extreme)
        r.flags |= LP_QF_SATURATED;
    uint32_t j = inf_in ? t->n : orc_round(o, neg, y, cfg->rounding, rnd);
    double mag;
    uint32_t code;
    if (j >= t->n) { /* overflow */
        if (cfg->overflow == LP_OVF_INF && (o->has_inf || o->has_nan)) {
            if (o->has_inf) {
                r.code = sgn_code | o->inf_code;
                r.value = ((uint32_t)neg << 31) | 0x7F800000u;
            } else {
                r.code = sgn_code | o->nan_code;
                r.value = ((uint32_t)neg << 31) | 0x7FC00000u;
            }
            return r;
        }
        mag = t->extreme;
        code = side_code(o, t, neg, t->n - 1);
    } else {
        mag = side_val(o, t, j);
        code = side_code(o, t, neg, j);
        /* subnormals off: a subnormal result is flushed to zero (after rounding) */
        if (!o->fixed && !cfg->subnormals && mag != 0 && mag < o->min_normal) {
            mag = 0;
            code = 0;
        }
    }
    if (!o->fixed && mag != 0 && mag < o->min_normal)
        r.flags |= LP_QF_SUBNORMAL;
    if (!inf_in && xf != 0 && mag == 0)
        r.flags |= LP_QF_UNDERFLOW;
    uint32_t vb = f32_bits_exact(k ? ldexp(mag, -k) : mag);
    if (o->fixed) {
        r.value = (mag != 0 && neg) ? vb | 0x80000000u : vb;
        r.code = code;
    } else {
        r.value = ((uint32_t)neg << 31) | vb;
        r.code = sgn_code | code;
    }
    return r;
}

/* ---- scaling ---- */

int32_t lp_orc_scale_k(const lp_orc_t *o, const uint32_t *x, uint32_t n, int mode)
{
    if (mode == LP_SCALE_NONE)
        return 0;
    double amax = 0;
    for (uint32_t i = 0; i < n; i++) {
        double a = fabs((double)u2f(x[i]));
        if (isfinite(a) && a > amax)
            amax = a;
    }
    double maxv = o->side[0].extreme;
    int32_t k;
    if (mode == LP_SCALE_TENSOR) {
        if (amax == 0)
            return 0;
        /* the largest k with amax * 2^k <= max finite */
        k = 400;
        while (ldexp(amax, k) > maxv)
            k--;
    } else {
        /* OCP MX: X = 2^(floor(log2 amax) - emax_elem) = 2^-k, E8M0 exponent in [-127, 127];
         * amax = 0: floor(log2 0) = -inf, so k takes its upper clamp */
        k = amax == 0 ? 127 : o->emax - floor_log2(amax);
        k = k > 127 ? 127 : k < -127 ? -127 : k;
    }
    /* every scaled grid point must be an FP32 value: |extreme|*2^-k < 2^128 (either sign),
     * the finest step * 2^-k >= 2^-149 */
    double top = o->side[0].extreme > o->side[1].extreme ? o->side[0].extreme : o->side[1].extreme;
    int32_t kmin = floor_log2(top) - 127, kmax = o->qmin + 149;
    return k < kmin ? kmin : k > kmax ? kmax : k;
}

void lp_orc_quant_vec(const lp_orc_t *o, const lp_qcfg_t *cfg, const uint32_t *x, uint32_t n, uint32_t step,
                      lp_orc_q_t *out, int32_t *kout)
{
    int32_t k = lp_orc_scale_k(o, x, n, cfg->scale == LP_SCALE_TENSOR ? LP_SCALE_TENSOR : LP_SCALE_NONE);
    if (kout && cfg->scale == LP_SCALE_TENSOR)
        kout[0] = k;
    for (uint32_t b0 = 0; b0 < n; b0 += 32) {
        uint32_t len = n - b0 < 32 ? n - b0 : 32;
        if (cfg->scale == LP_SCALE_BLOCK32) {
            k = lp_orc_scale_k(o, x + b0, len, LP_SCALE_BLOCK32);
            if (kout)
                kout[b0 / 32] = k;
        }
        for (uint32_t i = b0; i < b0 + len; i++) {
            uint32_t rnd = cfg->rounding == LP_ROUND_SR ? lp_orc_sr_hash(cfg->seed, step, i) : 0u;
            out[i] = lp_orc_quant(o, x[i], k, cfg, rnd);
        }
    }
}
