/*
 * red_ref.h - the statistics' reduction order, written again from the text of lp_stats.h
 * (not from lp_stats.c) for the tests: per lane 16, per partial b % 4 over beats b in
 * order, then (p0 + p1) + (p2 + p3), then a tree of adjacent lane pairs, lower lanes left.
 * NaN and +-Inf inputs (flags) contribute nothing. FP32 throughout, no fused operations.
 */
#ifndef RED_REF_H
#define RED_REF_H

#include <stdint.h>
#include "quant/lp_quant.h"
#include "qt_bits.h"

/* A straightforward rendering of lp_stats.h's reduction order, from its text. */
static float red_tree(const float *lane, int lo, int hi) /* adjacent pairs, lower lanes left */
{
    if (hi - lo == 1)
        return lane[lo];
    int mid = (lo + hi) / 2;
    return red_tree(lane, lo, mid) + red_tree(lane, mid, hi);
}

static void red_reference(const uint32_t *g, const uint32_t *gq, const uint32_t *flags, uint32_t n, float out[4])
{
    for (int q = 0; q < 4; q++) {
        float lane[16];
        for (uint32_t l = 0; l < 16; l++) {
            float part[4] = {0.0f, 0.0f, 0.0f, 0.0f};
            for (uint32_t b = 0; 16 * b + l < n; b++) { /* beat b, partial b % 4 */
                uint32_t i = 16 * b + l;
                if (flags[i] & (LP_QF_NAN | LP_QF_INF))
                    continue;
                float x = u2f(g[i]), y = u2f(gq[i]);
                float e = y - x;
                float term = q == 0 ? x * x : q == 1 ? y * y : q == 2 ? e * e : x * e;
                part[b % 4] = part[b % 4] + term;
            }
            lane[l] = (part[0] + part[1]) + (part[2] + part[3]);
        }
        out[q] = red_tree(lane, 0, 16);
    }
}

#endif
