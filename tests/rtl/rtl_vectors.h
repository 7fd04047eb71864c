/*
 * rtl_vectors.h - test inputs for the RTL-vs-C checks: every boundary of a format
 * (representable values, midpoints and their FP32 neighbours, max finite and beyond,
 * min normal, min subnormal, +-0, +-Inf, NaNs) plus seeded random FP32 values.
 */
#ifndef RTL_VECTORS_H
#define RTL_VECTORS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "format/lp_bits.h"
#include "quant/lp_quant.h"

static uint64_t rv_state; /* the seed of rv_rand32 */

static inline uint32_t rv_rand32(void)
{
    uint64_t z = (rv_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 16);
}

/* Append x, -x and their FP32 neighbours. */
static inline uint32_t rv_add4(float *v, uint32_t n, uint32_t cap, float x)
{
    float c[4] = {x, -x, nextafterf(x, INFINITY), nextafterf(x, -INFINITY)};
    for (int i = 0; i < 4 && n < cap; i++)
        v[n++] = c[i];
    return n;
}

/* Boundaries of format p (unscaled grid): returns how many were written (<= cap). */
static inline uint32_t rv_boundaries(const lp_fmt_params_t *p, float *v, uint32_t cap)
{
    static const uint32_t specials[] = {0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u,
                                        0xFFC00000u, 0x7F800001u, 0xFFBFFFFFu, 0x7FFFFFFFu, 0x00000001u,
                                        0x80000001u, 0x007FFFFFu, 0x00800000u, 0x7F7FFFFFu, 0xFF7FFFFFu,
                                        0x3F800000u, 0xBF800000u};
    uint32_t n = 0;
    for (unsigned i = 0; i < sizeof specials / sizeof specials[0] && n < cap; i++)
        v[n++] = lp_bits_f32(specials[i]);
    /* codes: all of a narrow format; the ends and the normal/subnormal seam otherwise */
    uint32_t cb = p->code_bits, ncodes = cb >= 32 ? 0x80000000u : 1u << (cb - 1); /* positive half */
    uint32_t seam = p->kind == LP_KIND_FIXED ? 1u : 1u << p->man;
    uint32_t lo[3] = {0, seam > 32 ? seam - 32 : 0, p->max_code > 63 ? p->max_code - 63 : 0};
    uint32_t hi[3] = {64, seam + 32, p->max_code + 1};
    if (ncodes <= 4096) {
        lo[1] = lo[2] = hi[1] = hi[2] = 0;
        hi[0] = ncodes;
    }
    for (int r = 0; r < 3; r++) {
        float prev = 0;
        int have_prev = 0;
        for (uint32_t c = lo[r]; c < hi[r] && c <= p->max_code && n + 8 < cap; c++) {
            float x = lp_bits_f32(lp_decode(c, p, 0));
            if (!isfinite(x))
                break;
            n = rv_add4(v, n, cap, x);
            if (have_prev && x > prev) {
                double mid = ((double)prev + (double)x) / 2;
                if ((double)(float)mid == mid)
                    n = rv_add4(v, n, cap, (float)mid);
            }
            prev = x;
            have_prev = 1;
        }
    }
    /* beyond max finite: half a quantum above (the overflow rounding boundary), and far */
    float mx = lp_bits_f32(p->max_bits);
    if (n + 12 < cap) {
        double q = ldexp(1.0, p->emax - p->man);
        double over = (double)mx + q / 2;
        if (over < 3.4e38 && (double)(float)over == over)
            n = rv_add4(v, n, cap, (float)over);
        n = rv_add4(v, n, cap, mx * 2.0f);
        n = rv_add4(v, n, cap, mx * 1.25f);
    }
    return n;
}

/* Random FP32 values: a mix of raw bit patterns and values spread over the format's range. */
static inline void rv_random(const lp_fmt_params_t *p, float *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = rv_rand32(), kind = r & 3u;
        if (kind == 0) {
            v[i] = lp_bits_f32(rv_rand32());
        } else {
            int lo = p->emin - (int)p->man - 3, hi = p->emax + 2;
            int e = lo + (int)(rv_rand32() % (uint32_t)(hi - lo + 1));
            if (e < -149)
                e = -149;
            if (e > 127)
                e = 127;
            float m = 1.0f + (float)(rv_rand32() & 0xFFFFFF) / 16777216.0f;
            v[i] = ldexpf(m, e) * ((r >> 2) & 1 ? -1.0f : 1.0f);
        }
    }
}

#endif
