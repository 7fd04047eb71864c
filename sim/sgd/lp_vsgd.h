/*
 * lp_vsgd.h - C ABI of the Verilated SGD step engine (rtl/sgd/lp_sgd_step.sv): the same
 * call as the C kernel's lp_sgd_run (hls/sgd/lp_sgd.h), bit for bit, for the part of the
 * configuration space the RTL covers so far (lp_vsgd_supported says which), plus cycles.
 *
 * What the harness does and the RTL does not (yet): it loads and stores the model beats
 * through the engine's model port, writes the quantizer's registers from the derived
 * format (lp_format_derive, as lp_vq_configure does) and the step index before every
 * step, streams the minibatch rows beat by beat, and assembles each step's record from
 * the engine's outputs (step index, the stepsize word, the model's q_hat word). See
 * docs/rtl-sgd.md for the road to the AXI kernel top.
 */
#ifndef LP_VSGD_H
#define LP_VSGD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lp_vsgd lp_vsgd_t;

typedef struct {
    uint64_t cycles;      /* clock cycles of the steps (first beat offered .. done)      */
    uint64_t beats;       /* feature beats streamed (B * D/16 per step; labels beside)   */
    uint64_t grad_cycles; /* of the cycles: the gradient phase (rows streaming)          */
} lp_vsgd_perf_t;

/* Open the model (reset applied). NULL with a message in err on failure. */
lp_vsgd_t *lp_vsgd_open(const char *trace, char *err, size_t errlen);

/* 0 if the RTL runs this (checked) configuration block, else -1 and a reason in *why. */
int lp_vsgd_supported(const uint32_t *cfg, const char **why);

/* lp_sgd_run's contract (the state lives in the engine and the handle); perf may be NULL
 * (accumulated over calls otherwise). Returns 0, or LP_SGD_EBADCFG / -1 (unsupported). */
int lp_vsgd_run(lp_vsgd_t *v, const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg,
                uint32_t nsteps, uint32_t step0, uint32_t flags, lp_vsgd_perf_t *perf);

void lp_vsgd_close(lp_vsgd_t *v);

#ifdef __cplusplus
}
#endif

#endif
