/*
 * lp_stats_derive.c - host side: the ratios of docs/design.md from the bit-exact sums, in double.
 * Not part of any kernel (it calls sqrt); every backend's sums go through this one function.
 */
#include <math.h>

#include "lp_stats.h"

lp_qderived_t lp_qstats_derive(const lp_qstats_t *st)
{
    lp_qderived_t d;
    double g2 = st->sum[LP_SUM_G2], q2 = st->sum[LP_SUM_Q2];
    double e2 = st->sum[LP_SUM_E2], ge = st->sum[LP_SUM_GE];
    if (g2 > 0) {
        d.q_norm = sqrt(q2 / g2);
        d.q_proj = 1.0 + ge / g2;
        d.noise = e2 - ge * ge / g2;
        if (d.noise < 0)
            d.noise = 0;
    } else {
        d.q_norm = 1.0;
        d.q_proj = 1.0;
        d.noise = q2;
    }
    d.underflow_frac = st->n ? (double)st->underflow / st->n : 0.0;
    return d;
}
