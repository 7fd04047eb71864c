/*
 * lp_sgd_host.c - host-only: the SGD step (lp_sgd_step.h) and lp_sgd_forward on the CPU's
 * vector unit, picked at run time (not part of the HLS kernel: constraints/xclbin.mk
 * leaves this file out, and lp_sgd.c calls it only outside synthesis).
 *
 * One body, compiled once per variant: the step's code of lp_sgd_step.h itself, inlined
 * into each variant's entry point, so its elementwise loops (accumulation, gradient,
 * update) vectorize for that instruction set; only the forward pass's dot products are
 * this file's own, in the documented order (lp_sgd.h DOT PRODUCTS, lp_stats.h): the 16
 * lanes of a beat are 16 vector lanes and the 4 partials 4 beat-wide registers
 * (lp_dot_f32 keeps them in an array the compiler does not hold in registers), two
 * classes at a time, then the same fold. Every FP32
 * operation is the scalar one per lane (no reassociation, no fused multiply-add), so the
 * bits are the HLS code's. Variants and their choice: those of lp_quantize_vec
 * (hls/quant/lp_quant_vec.h) under LP_SGD_VARIANT; the quantizer inside the step keeps its
 * own (LP_QUANT_VARIANT).
 */
#include "lp_sgd.h"

#ifdef LP_SGD_HOST
#define LP_SGD_INLINE inline __attribute__((always_inline))
#define SG_INLINE static LP_SGD_INLINE
#define LP_SGD_FORWARD sg_forward
SG_INLINE void sg_forward(const float *w, const float *x, uint32_t K, uint32_t D, float *z);
#include <string.h>

#include "lp_sgd_step.h"

/* One beat = 16 lanes as one GNU C vector (1, 2 or 4 registers by instruction set). */
typedef float sg_beat __attribute__((vector_size(64)));
typedef float sg_half __attribute__((vector_size(32)));
typedef float sg_quarter __attribute__((vector_size(16)));
typedef float sg_eighth __attribute__((vector_size(8)));

#define SG_LOAD(v, p) memcpy(&(v), (p), sizeof(v)) /* unaligned */

/* lp_red_fold's order: per lane (p0+p1)+(p2+p3), then the adjacent-pair lane tree (lane l
 * <- lane 2l + lane 2l+1). */
SG_INLINE float sg_fold(const sg_beat acc[LP_PARTIALS])
{
    sg_beat s0 = acc[0] + acc[1], s1 = acc[2] + acc[3], v = s0 + s1;
    sg_half h = __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14) +
                __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15);
    sg_quarter q = __builtin_shufflevector(h, h, 0, 2, 4, 6) + __builtin_shufflevector(h, h, 1, 3, 5, 7);
    sg_eighth e = __builtin_shufflevector(q, q, 0, 2) + __builtin_shufflevector(q, q, 1, 3);
    return e[0] + e[1];
}

/* Beat bt of the M rows a + m*D into their partial p (the product rounded, then the add). */
SG_INLINE void sg_mac(sg_beat acc[][LP_PARTIALS], uint32_t M, uint32_t p, const float *a, uint32_t D,
                      const float *b, uint32_t bt)
{
    sg_beat y;
    SG_LOAD(y, b + (size_t)bt * LP_LANES);
    for (uint32_t m = 0; m < M; m++) {
        sg_beat x;
        SG_LOAD(x, a + (size_t)m * D + (size_t)bt * LP_LANES);
        acc[m][p] = acc[m][p] + x * y;
    }
}

/* z[m] = lp_dot_f32(a + m*D, b, D/16) for m < M (1 or 2, a constant): beat bt into partial
 * bt % 4, the partials in registers, the rows' dot products together (b's beats loaded
 * once), then the fold. */
SG_INLINE void sg_dots(const float *a, const float *b, uint32_t D, float *z, uint32_t M)
{
    sg_beat acc[2][LP_PARTIALS] = {{{0}}};
    uint32_t nb = D / LP_LANES, bt = 0;
    for (; bt + LP_PARTIALS <= nb; bt += LP_PARTIALS)
        for (uint32_t p = 0; p < LP_PARTIALS; p++)
            sg_mac(acc, M, p, a, D, b, bt + p);
    for (uint32_t p = 0; p < LP_PARTIALS; p++)
        if (bt + p < nb)
            sg_mac(acc, M, p, a, D, b, bt + p);
    for (uint32_t m = 0; m < M; m++)
        z[m] = sg_fold(acc[m]);
}

/* lp_sgd_forward_inline's outputs, two classes at a time. */
SG_INLINE void sg_forward(const float *w, const float *x, uint32_t K, uint32_t D, float *z)
{
    uint32_t c = 0;
    for (; c + 2 <= K; c += 2)
        sg_dots(w + c * D, x, D, z + c, 2);
    if (c < K)
        sg_dots(w + c * D, x, D, z + c, 1);
}

/* The variants: the same bodies, compiled for each instruction set. */
#define SG_VARIANT(name, attr)                                                                                \
    static attr void sg_step_##name(lp_sgd_state_t *st, lp_sgd_scratch_t *sc, const lp_beat_t *data,         \
                                    uint64_t base, const uint32_t *cfg, const lp_fmt_params_t *p,             \
                                    const lp_qcfg_t *qc, uint32_t k, lp_sgd_rec_t *rec)                       \
    {                                                                                                         \
        lp_sgd_step_inline(st, sc, data, base, cfg, p, qc, k, rec);                                           \
    }                                                                                                         \
    static attr void sg_forward_##name(const float *w, const float *x, uint32_t K, uint32_t D, float *z)     \
    {                                                                                                         \
        sg_forward(w, x, K, D, z);                                                                            \
    }
LP_QV_VARIANTS(SG_VARIANT)

static lp_hv_choice_t sg_choice = {"LP_SGD_VARIANT", -1};

int lp_sgd_variant_set(int v) { return lp_hv_choice_set(&sg_choice, v); }
int lp_sgd_variant_get(void) { return lp_hv_choice_get(&sg_choice); }

/* Each variant's entry points ("plain" is the HLS code: never called through these). */
typedef struct {
    void (*step)(lp_sgd_state_t *st, lp_sgd_scratch_t *sc, const lp_beat_t *data, uint64_t base,
                 const uint32_t *cfg, const lp_fmt_params_t *p, const lp_qcfg_t *qc, uint32_t k, lp_sgd_rec_t *rec);
    void (*forward)(const float *w, const float *x, uint32_t K, uint32_t D, float *z);
} sg_fns_t;
#define SG_FNS(name) {sg_step_##name, sg_forward_##name}
static const sg_fns_t sg_fns[LP_QV_NVARIANTS] = LP_QV_TABLE(SG_FNS);

int lp_sgd_step_host(lp_sgd_state_t *st, lp_sgd_scratch_t *sc, const lp_beat_t *data, uint64_t base,
                     const uint32_t *cfg, const lp_fmt_params_t *p, const lp_qcfg_t *qc, uint32_t k,
                     lp_sgd_rec_t *rec)
{
    int v = lp_sgd_variant_get();
    if (v == LP_QV_PLAIN)
        return 0;
    sg_fns[v].step(st, sc, data, base, cfg, p, qc, k, rec);
    return 1;
}

int lp_sgd_forward_host(const float *w, const float *x, uint32_t K, uint32_t D, float *z)
{
    int v = lp_sgd_variant_get();
    if (v == LP_QV_PLAIN)
        return 0;
    sg_fns[v].forward(w, x, K, D, z);
    return 1;
}
#endif /* LP_SGD_HOST */
