/*
 * lp_sgd.h - the SGD kernel: S steps of minibatch SGD with a quantized gradient, and its
 * memory ABI (configuration block, data buffer, model buffer, per-step records).
 *
 * This header is the contract between the HLS C kernel (the golden model, lp_sgd.c), the
 * RTL kernel (rtl/) and every host backend (csim, verilator, xrt). The register map and
 * argument order are in lp_sgd_regmap.h; everything here is little-endian 32-bit words.
 *
 * ONE STEP (global index k = step0 + s, s = 0..nsteps-1), all arithmetic IEEE binary32,
 * round to nearest even, no fused multiply-add:
 *   1. gradient accumulation, rows r = 0..B-1 of the step's minibatch, in row order:
 *        z_c   = lp_dot_f32(w_c, x_r)         c = 0..K-1 (K outputs, see LP_MODEL_*)
 *        d_c   = the loss derivative dl/dz_c (lp_sgd_math.h sequences for exp/sigmoid/softmax)
 *        a_c,j = a_c,j + d_c * x_r,j          (accumulator starts at +0 every step;
 *                                              one add per element per row, row order)
 *   2. the gradient, element i = c*D + j of the flat K x D vector:
 *        g_i = a_i * inv_b + lambda * w_i     inv_b = 1.0f / (float)B (one FP32 division)
 *      (products first, then the add; the L2 term applies to every weight, bias included)
 *   3. the quantizer: lp_quantize_vec(g, gq, ..., n = K*D, step = k) - every format and
 *      option of hls/quant, stochastic rounding hashed from (seed, k, i), the statistics
 *      of docs/design.md in the reduction order of hls/stats/lp_stats.h.
 *   4. the stepsize mu_k (LP_SCHED_*), then with LP_CFG_COMPENSATE the measured descent
 *      factor (see COMPENSATION below): mu_k <- mu_k * (1.0f / q_hat_k).
 *   5. the update  w_i <- w_i - mu_k * gq_i  for every i (padding included; it stays 0).
 *   6. the step record (lp_sgd_rec_t) written to stats[s].
 *
 * DOT PRODUCTS (contract 5) follow the statistics' reduction order exactly: element j of a
 * row is lane j % 16 of beat j / 16; each lane keeps 4 interleaved partial sums, beat b
 * adding into partial b % 4 (products a*b rounded, then added); the partials fold with
 * lp_red_fold (per lane (p0+p1)+(p2+p3), then the adjacent-pair lane tree). Documented
 * once, in hls/stats/lp_stats.h. The softmax denominator and max over K <= 16 classes are
 * sequential in class order (lp_sgd_math.h).
 *
 * MODELS (K outputs, labels as stored in the row's header beat):
 *   LP_MODEL_LSQ      K=1, label y real:  loss (z-y)^2/2,             d = z - y
 *   LP_MODEL_LOGISTIC K=1, label 0 or 1:  loss log(1+e^-sz), s=2y-1,  d = sigmoid(z) - y
 *   LP_MODEL_HINGE    K=1, label 0 or 1:  loss max(0, 1-sz), s=2y-1,  d = (s*z < 1) ? -s : 0
 *   LP_MODEL_SOFTMAX  K=classes (2..16), label c: cross-entropy,      d_k = p_k - [k == c]
 *   each plus (lambda/2)*||w||^2. F is the average over the rows.
 *
 * COMPENSATION (the paper's remedy, automated; LP_CFG_COMPENSATE). The estimate is an
 * exponential moving average of the projection factor q_proj = <g,gq>/||g||^2 of the
 * current and past steps, computed in FP32 inside the kernel from the bit-exact sums:
 *     qp_k   = (G2 > 0) ? 1.0f + GE / G2 : 1.0f                    (FP32 division)
 *     q_hat  = q_hat + 0.125f * (qp_k - q_hat)        (q_hat starts at 1.0f; model state)
 *     q_use  = min(max(q_hat, 0.0625f), 1.0f);   mu_k <- mu_k * (1.0f / q_use)
 * Why q_proj and not q_norm: the descent the update makes along g is <g, mu*gq> =
 * mu*q_proj*||g||^2 - Assumption 2(b)'s q_min*mu is exactly this factor; q_norm also counts
 * the noise energy ||eps||^2 and over-estimates it when many entries round coarsely.
 * Why an EMA of 1/8 including the current step: one minibatch's q_proj is noisy (FP4
 * underflow depends on the batch) and a division by a noisy small number would inject
 * large steps; the EMA follows the slow drift of q as gradients shrink during training,
 * and including step k means the first step is already compensated. The clamp bounds the
 * amplification at 16x. Computed in FP32 by the kernel so every backend is bit-identical;
 * the estimate is part of the model state (checkpointed, kept across calls).
 *
 * STEPSIZE SCHEDULES (k = global step index from 0):
 *   LP_SCHED_CONST     mu_k = lr
 *   LP_SCHED_INVERSE   mu_k = lr / (gamma + (float)(k + 1))     the paper's beta/(gamma+k),
 *                      k counted from 1, beta = lr (FP32 add, then divide)
 *   LP_SCHED_HALVING   mu_k = lr * 2^-r,  r = min(k / period, 126)  (integer division;
 *                      the power of two is built from its exponent bits: exact)
 */
#ifndef LP_SGD_H
#define LP_SGD_H

#include "../format/lp_format.h"
#include "../quant/lp_quant.h"
#include "lp_sgd_regmap.h"

/* ---- sizes ---------------------------------------------------------------------------- */
#define LP_SGD_LANES 16           /* floats per beat (= LP_LANES of hls/stats)               */
#define LP_SGD_MAX_CLASSES 16     /* K <= 16                                                 */
#define LP_SGD_MAX_WORDS 16384    /* K * D <= 16384 weights on chip (64 KiB)                 */
#define LP_SGD_MAX_DIM 8192       /* D <= 8192 floats per row (the row buffer)               */
#define LP_SGD_MAX_BATCH 65536    /* B <= 65536 rows per step                                */
#define LP_SGD_STATE_WORDS 16     /* model state words after the K*D weights                 */
#define LP_SGD_REC_WORDS 16       /* words per step record                                   */
#define LP_SGD_CFG_WORDS 32       /* words of the configuration block                        */

/* ---- configuration block (cfg argument): LP_SGD_CFG_WORDS u32 words -------------------- */
#define LP_SGD_CFG_MAGIC 0x4C505347u /* "LPSG" */
#define LP_SGD_CFG_VERSION 1u
enum {
    LP_CFG_MAGIC = 0,    /* LP_SGD_CFG_MAGIC                                            */
    LP_CFG_VERSION = 1,  /* LP_SGD_CFG_VERSION                                          */
    LP_CFG_MODEL = 2,    /* LP_MODEL_*                                                  */
    LP_CFG_K = 3,        /* outputs K: 1, or the classes for softmax (2..16)            */
    LP_CFG_D = 4,        /* D: floats per row, a multiple of 16 (features, bias, zeros) */
    LP_CFG_BATCH = 5,    /* B: rows per step                                            */
    LP_CFG_SCHED = 6,    /* LP_SCHED_*                                                  */
    LP_CFG_LR = 7,       /* f32: lr (the constant, beta, or alpha_1)                    */
    LP_CFG_GAMMA = 8,    /* f32: gamma of LP_SCHED_INVERSE                              */
    LP_CFG_PERIOD = 9,   /* u32: R, steps per halving (LP_SCHED_HALVING), >= 1          */
    LP_CFG_LAMBDA = 10,  /* f32: L2 weight lambda >= 0                                  */
    LP_CFG_OPTIONS = 11, /* LP_CFG_COMPENSATE | ...                                     */
    LP_CFG_FMT0 = 12,    /* format: kind | exp_bits<<8 | man_bits<<16 | specials<<24    */
    LP_CFG_FMT1 = 13,    /* format: bias (int16, sign-extended to 32 bits)              */
    LP_CFG_FMT2 = 14,    /* format: width | frac<<8 (fixed point)                       */
    LP_CFG_QOPT = 15,    /* rounding | overflow<<8 | subnormals<<16 | scale<<24         */
    LP_CFG_SEED = 16     /* stochastic rounding seed                                    */
    /* words 17..31 reserved, 0 */
};
#define LP_CFG_COMPENSATE 1u /* divide the stepsize by the measured q (COMPENSATION above) */

enum { LP_MODEL_LSQ = 0, LP_MODEL_LOGISTIC = 1, LP_MODEL_SOFTMAX = 2, LP_MODEL_HINGE = 3, LP_NMODELS };
enum { LP_SCHED_CONST = 0, LP_SCHED_INVERSE = 1, LP_SCHED_HALVING = 2, LP_NSCHEDS };

/*
 * ---- data buffer (data argument) ------------------------------------------------------
 * nsteps * B rows back to back, step s using rows s*B .. s*B+B-1. One row is
 * LP_SGD_ROW_WORDS(D) = 16 + D words, i.e. 1 + D/16 beats of 64 bytes:
 *   beat 0       header: word 0 the label as f32 (class index 0..K-1 as a float for the
 *                classifiers, 0/1 for logistic and hinge, the target for least squares);
 *                words 1..15 zero (reserved).
 *   beats 1..    the D features as f32: x_0 .. x_{d-1}, then the bias input 1.0f at
 *                column d when the model has a bias, then zeros up to D.
 * The host packs rows this way (host/train/); the padding must be +0.0f.
 *
 * ---- model buffer (model argument) ----------------------------------------------------
 * LP_SGD_MODEL_WORDS(K, D) = K*D + 16 f32 words: the weights row-major (output c's D
 * weights at c*D), then the state: word 0 q_hat (the compensation EMA, 1.0f initially),
 * words 1..15 reserved (0). Read with LP_SGD_FLAG_LOAD, written with LP_SGD_FLAG_STORE.
 *
 * ---- statistics buffer (stats argument) -----------------------------------------------
 * nsteps records of LP_SGD_REC_WORDS words, lp_sgd_rec_t below, record s for step s.
 */
#define LP_SGD_ROW_WORDS(D) (LP_SGD_LANES + (D))
#define LP_SGD_ROW_BEATS(D) (1u + (D) / LP_SGD_LANES)

/* One 64-byte beat of a port: 16 words (f32 bits or u32). Every buffer above is a whole
 * number of beats, so the kernel's ports are 512 bits wide (HLS aggregate). */
typedef struct {
    uint32_t w[LP_SGD_LANES];
} lp_beat_t;
#define LP_SGD_MODEL_WORDS(K, D) ((K) * (D) + LP_SGD_STATE_WORDS)

/* One step's record: 16 words, every field 32 bits. */
typedef struct {
    uint32_t step;      /* 0  global step index k                                     */
    float lr;           /* 1  stepsize used (after compensation)                      */
    float sum[4];       /* 2  G2, Q2, E2, GE of the gradient (hls/stats LP_SUM_*)      */
    uint32_t n;         /* 6  elements quantized (K*D, padding included)              */
    uint32_t underflow; /* 7  the counts of lp_qstats_t ...                           */
    uint32_t saturated; /* 8                                                          */
    uint32_t subnormal; /* 9                                                          */
    uint32_t nan;       /* 10                                                         */
    uint32_t inf;       /* 11                                                         */
    float q_hat;        /* 12 compensation estimate after this step (1.0f if off)     */
    float loss;         /* 13 minibatch data loss sum, FP32, for LSQ and HINGE         */
                        /*    (sum of (z-y)^2/2 or max(0,1-sz) over the B rows, row    */
                        /*    order); 0 for LOGISTIC/SOFTMAX (the loss needs a log:    */
                        /*    the host evaluates those)                                */
    uint32_t correct;   /* 14 rows of the minibatch classified right before the update */
                        /*    (argmax, first index wins ties; z>=0 means class 1);     */
                        /*    0 for LSQ                                                */
    int32_t scale_k;    /* 15 tensor scale exponent (LP_SCALE_TENSOR), else 0          */
} lp_sgd_rec_t;

/* Result codes of lp_sgd_check_cfg / lp_sgd_run. */
enum {
    LP_SGD_OK = 0,
    LP_SGD_EBADCFG = 1 /* magic/version/model/K/D/B/schedule/format out of range: no step run */
};

/* The kernel's on-chip state: the model and its compensation estimate. */
typedef struct {
    float w[LP_SGD_MAX_WORDS];
    float state[LP_SGD_STATE_WORDS];
} lp_sgd_state_t;

/* Scratch of one step: the gradient accumulator, the gradient and its quantized form, the row. */
typedef struct {
    float acc[LP_SGD_MAX_WORDS];
    float g[LP_SGD_MAX_WORDS];
    float gq[LP_SGD_MAX_WORDS];
    float row[2][LP_SGD_MAX_DIM]; /* the rows in flight (OpenCL; HLS and gcc: local arrays) */
    int32_t scale_k[LP_SGD_LANES]; /* word 0: the step's tensor scale exponent (LP_SCALE_TENSOR) */
} lp_sgd_scratch_t;

/* Word 0 (step) of the first record when the kernel refused an invalid cfg block. */
#define LP_SGD_REC_BADCFG 0xFFFFFFFFu

/*
 * The kernel top (Vitis HLS synthesizes this; its on-chip state is a static
 * lp_sgd_state_t, kept between calls). Argument order and bundles: lp_sgd_regmap.h; no
 * return value (so the arguments start at 0x10). An invalid cfg runs nothing and, when
 * nsteps > 0, writes LP_SGD_REC_BADCFG to stats[0]; hosts check cfg with
 * lp_sgd_check_cfg before they start the kernel. nsteps = 0 with LP_SGD_FLAG_LOAD/STORE
 * just moves the model in or out.
 */
void lp_sgd(const lp_beat_t *data, lp_beat_t *model, lp_beat_t *stats, const lp_beat_t *cfg, uint32_t nsteps,
            uint32_t step0, uint32_t flags);

/* The same with explicit state (reentrant; the csim backend holds one per instance). */
uint32_t lp_sgd_run(LP_GLOBAL lp_sgd_state_t *st, const LP_GLOBAL uint32_t *data, LP_GLOBAL float *model,
                    LP_GLOBAL uint32_t *stats, const LP_GLOBAL uint32_t *cfg, uint32_t nsteps, uint32_t step0,
                    uint32_t flags);

/* lp_sgd_run with the scratch given (the OpenCL entry point passes both as buffers). */
uint32_t lp_sgd_run_in(LP_GLOBAL lp_sgd_state_t *st, LP_GLOBAL lp_sgd_scratch_t *sc,
                       const LP_GLOBAL lp_beat_t *data, LP_GLOBAL lp_beat_t *model, LP_GLOBAL lp_beat_t *stats,
                       const LP_GLOBAL lp_beat_t *cfg, uint32_t nsteps, uint32_t step0, uint32_t flags);

/* 0 if cfg is a valid configuration block, else LP_SGD_EBADCFG with a reason in *why. */
uint32_t lp_sgd_check_cfg(const uint32_t *cfg, lp_why_t *why);

/* The format stored in a configuration block (words LP_CFG_FMT0..FMT2); not validated. */
lp_format_t lp_sgd_cfg_format(const uint32_t *cfg);

/* Store format f into words LP_CFG_FMT0..FMT2 of cfg (the inverse of lp_sgd_cfg_format). */
void lp_sgd_cfg_set_format(uint32_t *cfg, const lp_format_t *f);

/* The quantizer configuration of a block: the format and words LP_CFG_QOPT, LP_CFG_SEED. */
lp_qcfg_t lp_sgd_cfg_qcfg(const uint32_t *cfg);

/* Host side: store q into words LP_CFG_FMT0..FMT2, LP_CFG_QOPT, LP_CFG_SEED of cfg (the
 * inverse of lp_sgd_cfg_qcfg: how a host hands a quantizer configuration to a kernel). */
void lp_sgd_cfg_set_qcfg(uint32_t *cfg, const lp_qcfg_t *q);

/* Dot product of two rows of nbeats 16-float beats in the documented reduction order. */
float lp_dot_f32(const LP_GLOBAL float *a, const LP_GLOBAL float *b, uint32_t nbeats);

/* Step 1's outputs of one row: z_c = lp_dot_f32(w + c*D, x, D/16) for c = 0..K-1 (the
 * kernel's forward pass; host-side evaluation uses it too). */
void lp_sgd_forward(const LP_GLOBAL float *w, const LP_GLOBAL float *x, uint32_t K, uint32_t D, float *z);

/*
 * Host builds only (never under HLS synthesis): the step and lp_sgd_forward run on the
 * CPU's vector unit (lp_sgd_host.c), the same bits as the HLS code, in one of the variants
 * of hls/quant/lp_quant_vec.h (LP_QV_PLAIN = the HLS code itself, LP_QV_BASE, LP_QV_AVX2,
 * LP_QV_AVX512) chosen at run time: the best the CPU supports, or
 * LP_SGD_VARIANT=plain|base|avx2|avx512 (one the CPU has), or lp_sgd_variant_set
 * (-1: the automatic choice; returns -1 for a variant the CPU lacks).
 */
#ifdef LP_KERNEL_HOST
#define LP_SGD_HOST 1
int lp_sgd_variant_set(int v);
int lp_sgd_variant_get(void);
#endif

/* The stepsize of global step k before compensation (schedule above). */
float lp_sgd_stepsize(const uint32_t *cfg, uint32_t k);

/* COMPENSATION above for one step: updates *q_hat (the EMA) with the step's sums G2, GE
 * and returns the compensated stepsize mu_k * (1.0f / q_use). */
float lp_sgd_compensate(float mu_k, float g2, float ge, float *q_hat);

#endif
