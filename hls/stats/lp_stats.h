/*
 * lp_stats.h - the per-step statistics of docs/design.md and their one reduction order.
 *
 * Hardware accumulates, the host derives. Every backend (C model, RTL, xclbin) produces
 * an lp_qstats_t: four FP32 sums and six integer counts, bit for bit identical. The
 * ratios (q_norm, q_proj, noise) are derived from those sums on the host, in double, by
 * one function (lp_qstats_derive), so they are identical too.
 *
 * The sums, over elements whose input g_i is finite (NaN and +-Inf inputs are counted and
 * contribute +0), with e_i = gq_i - g_i computed in FP32:
 *     G2 = sum g_i^2     Q2 = sum gq_i^2     E2 = sum e_i^2     GE = sum g_i*e_i
 * Every product is an FP32 multiply rounded to nearest even, every sum an FP32 add
 * (no fused multiply-add: compile with -ffp-contract=off).
 *
 * Reduction order (contract 5), chosen so pipelined hardware takes one beat per cycle:
 *   - elements stream in beats of LP_LANES = 16 (element i is lane i % 16 of beat i / 16);
 *   - each lane keeps LP_PARTIALS = 4 interleaved partial sums per quantity: beat b adds
 *     into partial b % 4 (an FP32 adder with up to 4 cycles of latency never stalls);
 *     partials start at +0.0; a missing tail element is never added (adding +0.0 would
 *     leave the sum bit-identical anyway, which is what padded hardware lanes do);
 *   - at the end, per lane: (p0 + p1) + (p2 + p3);
 *   - then across lanes, a binary tree of adjacent pairs: level 1 adds lanes (0,1) (2,3)
 *     ... (14,15), level 2 adds those results pairwise in order, and so on, left operand
 *     the lower-numbered lanes.
 */
#ifndef LP_STATS_H
#define LP_STATS_H

#include "../lp_kernel.h"

#define LP_LANES 16
#define LP_PARTIALS 4

enum { LP_SUM_G2 = 0, LP_SUM_Q2, LP_SUM_E2, LP_SUM_GE, LP_NSUMS };

/* What every backend returns for one quantized vector (one SGD step). */
typedef struct {
    float sum[LP_NSUMS]; /* G2, Q2, E2, GE in the order above           */
    uint32_t n;          /* elements                                    */
    uint32_t underflow;  /* finite nonzero g_i with gq_i == 0           */
    uint32_t saturated;  /* non-NaN g_i with |g_i| > max finite         */
    uint32_t subnormal;  /* gq_i subnormal in the target format         */
    uint32_t nan;        /* g_i is NaN                                  */
    uint32_t inf;        /* g_i is +-Inf (also counted in saturated)    */
} lp_qstats_t;

/* The reduction state: 4 quantities x 4 partials x 16 lanes of FP32. */
typedef struct {
    float acc[LP_NSUMS][LP_PARTIALS][LP_LANES];
    lp_qstats_t st;
} lp_red_t;

void lp_red_init(lp_red_t *r);

/* Add element i: input g, quantized gq (FP32 values), and its lp_q_t flags. */
void lp_red_add(lp_red_t *r, uint32_t i, float g, float gq, uint32_t flags);

/*
 * Fold one quantity's 4 x 16 partials in the documented order: per lane (p0+p1)+(p2+p3),
 * then the adjacent-pair lane tree. Every other reduction of the datapath uses it too:
 * the SGD kernel's dot products (hls/sgd/lp_sgd.h, lp_dot_f32) accumulate a[i]*b[i] into
 * partial (i/16)%4 of lane i%16 exactly like the statistics and fold with this function.
 */
float lp_red_fold(const float acc[LP_PARTIALS][LP_LANES]);

/*
 * Fold the partials and lanes in the documented order into r->st.sum; returns &r->st.
 * A sum that is NaN (an Inf or NaN quantized value, Inf - Inf, ...) is reported as the
 * canonical quiet NaN LP_SUM_NAN: which of two NaN operands an FP32 add propagates depends
 * on the operand order, which C leaves to the compiler (gcc may swap the operands of
 * acc + x), so only "NaN" itself is bit-exact across backends and builds.
 */
#define LP_SUM_NAN 0x7FC00000u
const lp_qstats_t *lp_red_finish(lp_red_t *r);

#ifdef LP_KERNEL_HOST
/* Derived statistics (host side, double). */
typedef struct {
    double q_norm;         /* ||gq|| / ||g||                      (1 when g = 0) */
    double q_proj;         /* <g, gq> / ||g||^2 = 1 + GE/G2       (1 when g = 0) */
    double noise;          /* ||gq - q_proj g||^2 = E2 - GE^2/G2, clamped at 0   */
    double underflow_frac; /* underflow / n                                      */
} lp_qderived_t;

lp_qderived_t lp_qstats_derive(const lp_qstats_t *st);
#endif

#endif
