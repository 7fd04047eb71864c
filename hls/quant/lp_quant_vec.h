/*
 * lp_quant_vec.h - quantize a gradient vector and accumulate its statistics.
 * The C-model top of the standalone quantizer kernel; the RTL stream quantizer
 * (rtl/quant/) computes the same outputs beat by beat.
 */
#ifndef LP_QUANT_VEC_H
#define LP_QUANT_VEC_H

#include "../stats/lp_stats.h"
#include "lp_quant.h"

/*
 * g[n] in, gq[n] out (decoded FP32), codes[n] out (encoded elements, may be NULL),
 * scale_k out (may be NULL): LP_SCALE_TENSOR writes one exponent, LP_SCALE_BLOCK32 one per
 * 32-element block (ceil(n/32)); the E8M0 code of block b is lp_e8m0_code(scale_k[b]).
 * step feeds the stochastic-rounding hash (element index = i). st gets the statistics.
 * p must be lp_format_derive(&cfg->fmt).
 */
void lp_quantize_vec(const LP_GLOBAL float *g, LP_GLOBAL float *gq, LP_GLOBAL uint32_t *codes,
                     LP_GLOBAL int32_t *scale_k, uint32_t n, const lp_fmt_params_t *p, const lp_qcfg_t *cfg,
                     uint32_t step, lp_qstats_t *st);

/*
 * Host builds only (never under HLS synthesis): lp_quantize_vec runs on the CPU's vector
 * unit (lp_quant_vec_host.c), the same bits as the plain HLS loop, in one of these variants
 * chosen at run time: the best the CPU supports, or LP_QUANT_VARIANT=plain|base|avx2|avx512
 * (one the CPU has), or lp_qv_variant_set. "plain" is the HLS loop of lp_quant_vec.c itself.
 */
#ifdef LP_KERNEL_HOST
#define LP_QV_HOST 1
#if defined(__GNUC__) && defined(__x86_64__)
#define LP_QV_X86 1
#endif
enum { LP_QV_PLAIN = 0, LP_QV_BASE, LP_QV_AVX2, LP_QV_AVX512, LP_QV_NVARIANTS };
/* For the host-only files that compile a kernel per variant: LP_QV_VARIANTS(X) expands
 * X(name, attributes) for base and, on x86, avx2 and avx512; LP_QV_TABLE(F) is the
 * initializer of a table of LP_QV_NVARIANTS entries, F(name) each (plain gets base's; a
 * variant this build lacks gets base's too, never chosen: lp_qv_variant_supported). */
#ifdef LP_QV_X86
#define LP_QV_VARIANTS(X)                                                                                     \
    X(base, )                                                                                                 \
    X(avx2, __attribute__((target("avx2"))))                                                                  \
    X(avx512, __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))))
#define LP_QV_TABLE(F) {F(base), F(base), F(avx2), F(avx512)}
#else
#define LP_QV_VARIANTS(X) X(base, )
#define LP_QV_TABLE(F) {F(base), F(base), F(base), F(base)}
#endif
const char *lp_qv_variant_name(int v);
int lp_qv_variant_supported(int v);  /* 1 when this CPU can run variant v */
int lp_qv_variant_set(int v);        /* use v from now on (-1: the automatic choice); -1 if unsupported */
int lp_qv_variant_get(void);         /* the variant in use */
/* A kernel's choice of variant (LP_QV_*, shared by the host-side kernels: lp_quantize_vec's
 * above, the SGD step's in hls/sgd/lp_sgd.h): current is -1 until the first get or set,
 * which takes the variant the environment variable env names (one the CPU has), else the
 * best the CPU has. set(c, -1) makes that automatic choice again; set returns -1 (and
 * keeps the choice) for a variant the CPU lacks. */
typedef struct {
    const char *env;
    int current;
} lp_hv_choice_t;
int lp_hv_choice_set(lp_hv_choice_t *c, int v);
int lp_hv_choice_get(lp_hv_choice_t *c);
/* lp_quantize_vec in the current variant; returns 0 (nothing done) when that is "plain". */
int lp_quantize_vec_host(const float *g, float *gq, uint32_t *codes, int32_t *scale_k, uint32_t n,
                         const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, lp_qstats_t *st);
/* lp_quant_values (lp_quant_elem.h), values only, in the current variant ("plain": base). */
void lp_quant_values_host(const uint32_t *x, uint32_t *y, uint32_t n, const lp_fmt_params_t *p,
                          const lp_qgrid_t *g, const lp_qcfg_t *cfg, uint32_t step, uint32_t i0);

/*
 * A stream: lp_quantize_vec's results for a vector that arrives in chunks, in order, with
 * O(chunk) memory. begin takes the whole vector's amax (the max of lp_amax_bits over its
 * chunks: a first pass; only LP_SCALE_TENSOR uses it, whose exponent is then s->k); every
 * chunk but the last holds a multiple of LP_QV_STREAM_ALIGN elements, so each chunk starts
 * on a group of 4 beats (its first beat adds into partial 0, as at that index in one call)
 * and on an MX block. The state carries the partial sums and per-lane counts of the
 * documented order (lp_stats.h) from chunk to chunk, and a chunk's element j is element
 * s->i0 + j of the vector (the SR hash's index). chunk writes gq[len], codes[len] (may be
 * NULL) and, under LP_SCALE_BLOCK32, scale_k[ceil(len/32)] (may be NULL); end gives the
 * statistics. Values, codes, scales and statistics are bit for bit those of one
 * lp_quantize_vec call on the whole vector. Runs the current variant ("plain": base).
 */
#define LP_QV_STREAM_ALIGN 64u
typedef struct {
    float acc[LP_NSUMS][LP_PARTIALS][LP_LANES]; /* the partial sums, lane by lane          */
    uint32_t cnt[5][LP_LANES];                   /* underflow .. inf per lane (flag bits)   */
    lp_fmt_params_t p;
    lp_qcfg_t cfg;
    uint32_t step;
    int32_t k;  /* LP_SCALE_TENSOR: the tensor's scale exponent; else 0 */
    uint32_t i0; /* elements done: the vector index of the next chunk's first */
} lp_qv_stream_t;
/* lp_amax_bits(x, n) on the current variant's vector unit (a maximum: the same bits). */
uint32_t lp_qv_amax(const float *x, uint32_t n);
void lp_qv_stream_begin(lp_qv_stream_t *s, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step,
                        uint32_t amax);
void lp_qv_stream_chunk(lp_qv_stream_t *s, const float *g, float *gq, uint32_t *codes, int32_t *scale_k,
                        uint32_t len);
void lp_qv_stream_end(const lp_qv_stream_t *s, lp_qstats_t *st);
#endif

#endif
