/*
 * lp_vquant.h - C ABI of the Verilated stream quantizer (rtl/quant/lp_quant_stream.sv).
 *
 * The host's verilator backend and the RTL tests drive the RTL through these calls:
 * open a model, configure it (the register map of docs/rtl.md, written from the same
 * lp_fmt_params_t / lp_qcfg_t the C model takes), push beats of up to 16 FP32 elements,
 * pull quantized beats, read the statistics of the vector, count clock cycles, close.
 * lp_vq_quantize runs one whole vector with push and pull interleaved: exactly the
 * contract of lp_quantize_vec (hls/quant/lp_quant_vec.h), bit for bit.
 */
#ifndef LP_VQUANT_H
#define LP_VQUANT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" { /* the C model's headers have no guards of their own */
#endif

#include "format/lp_format.h"
#include "quant/lp_quant.h"
#include "stats/lp_stats.h"

#define LP_VQ_LANES 16

typedef struct lp_vq lp_vq_t;

typedef struct {
    const char *trace; /* write an FST waveform of every cycle here (NULL: none)          */
    int counts_only;   /* 1: the build without the FP32 sums (faster; sums read as +0)    */
} lp_vq_opts_t;

/* Open a model (reset applied). NULL on failure with a message in err. */
lp_vq_t *lp_vq_open(const lp_vq_opts_t *opts, char *err, size_t errlen);

/*
 * Write the configuration registers: the format p (lp_format_derive of cfg->fmt), the
 * options of cfg, the stochastic-rounding step and the scale exponent k used with
 * LP_SCALE_TENSOR (ignored otherwise). Call between vectors only.
 */
void lp_vq_configure(lp_vq_t *vq, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, int32_t k);

/* Push one beat: x[0..count-1] (count 1..16), last = 1 on the vector's last beat. Clocks
 * until the beat is accepted; output beats that appear meanwhile are kept for lp_vq_pull. */
void lp_vq_push(lp_vq_t *vq, const uint32_t *x, unsigned count, int last);

/*
 * Pull one output beat: value/code get count elements (16 or fewer on the last beat),
 * *k the scale exponent of its block, *last whether it ends the vector. Clocks until a
 * beat is there; returns 1, or 0 when none can come (nothing pushed is outstanding).
 */
int lp_vq_pull(lp_vq_t *vq, uint32_t *value, uint32_t *code, int32_t *k, unsigned *count, int *last);

/* Clock until the statistics of the last complete vector are out; copy them to st. */
void lp_vq_stats(lp_vq_t *vq, lp_qstats_t *st);

/* A whole vector (lp_quantize_vec's contract; codes and scale_k may be NULL). With
 * LP_SCALE_TENSOR the amax of g is found here (the pass ahead) and the RTL computes k from
 * it (tk_amax_i -> SCALE_K, as in the SGD step). */
void lp_vq_quantize(lp_vq_t *vq, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step, const float *g,
                    float *gq, uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st);

/* Clock cycles since open. */
uint64_t lp_vq_cycles(const lp_vq_t *vq);

/* Cycles from a beat's acceptance to its output beat becoming valid (the pipeline latency). */
unsigned lp_vq_latency(lp_vq_t *vq);

void lp_vq_close(lp_vq_t *vq);

#ifdef __cplusplus
}
#endif

#endif
