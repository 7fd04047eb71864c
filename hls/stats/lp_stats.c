/*
 * lp_stats.c - statistics accumulation in the documented reduction order.
 */
#include "lp_stats.h"

#include "../format/lp_bits.h"
#include "../quant/lp_quant.h"

void lp_red_init(lp_red_t *r)
{
    lp_red_t z = {0};
    *r = z;
}

void lp_red_add(lp_red_t *r, uint32_t i, float g, float gq, uint32_t flags)
{
    uint32_t lane = i % LP_LANES, part = (i / LP_LANES) % LP_PARTIALS;
    lp_qstats_t *st = &r->st;
    st->n++;
    st->underflow += (flags & LP_QF_UNDERFLOW) != 0;
    st->saturated += (flags & LP_QF_SATURATED) != 0;
    st->subnormal += (flags & LP_QF_SUBNORMAL) != 0;
    st->nan += (flags & LP_QF_NAN) != 0;
    st->inf += (flags & LP_QF_INF) != 0;
    if (flags & (LP_QF_NAN | LP_QF_INF))
        return; /* contributes +0 */
    float e = gq - g;
    r->acc[LP_SUM_G2][part][lane] += g * g;
    r->acc[LP_SUM_Q2][part][lane] += gq * gq;
    r->acc[LP_SUM_E2][part][lane] += e * e;
    r->acc[LP_SUM_GE][part][lane] += g * e;
}

float lp_red_fold(const float acc[LP_PARTIALS][LP_LANES])
{
    float lane[LP_LANES];
    for (int l = 0; l < LP_LANES; l++) {
        float a = acc[0][l] + acc[1][l];
        float b = acc[2][l] + acc[3][l];
        lane[l] = a + b;
    }
    for (int w = LP_LANES / 2; w >= 1; w /= 2)
        for (int l = 0; l < LP_LANES / 2; l++) /* a constant bound: the tree unrolls */
            if (l < w)
                lane[l] = lane[2 * l] + lane[2 * l + 1];
    return lane[0];
}

const lp_qstats_t *lp_red_finish(lp_red_t *r)
{
    for (int q = 0; q < LP_NSUMS; q++) {
        uint32_t s = lp_f32_bits(lp_red_fold((const float(*)[LP_LANES])r->acc[q]));
        if ((s & 0x7FFFFFFFu) > 0x7F800000u)
            s = LP_SUM_NAN; /* which NaN an add propagates depends on operand order */
        r->st.sum[q] = lp_bits_f32(s);
    }
    return &r->st;
}
