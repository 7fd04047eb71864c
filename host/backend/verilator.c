/*
 * verilator.c - the Verilated RTL backend: the stream quantizer of rtl/quant (16 lanes,
 * statistics in rtl/stats) simulated cycle by cycle through the C ABI of
 * sim/quant/lp_vquant.h. Bit-identical to csim (docs/design.md contract 1); cycles() counts
 * the simulated clock. An FST waveform of every cycle: lp_backend_opts_t.trace or the
 * environment variable LPSGD_TRACE=FILE.fst. Built without Verilator (sim/sim.mk sets
 * LP_NO_VERILATOR), open says so and what to do.
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "verilator_train.h"

#ifndef LP_NO_VERILATOR
#include "../../sim/quant/lp_vquant.h"
#endif

struct lp_backend {
#ifndef LP_NO_VERILATOR
    lp_vq_t *vq;
#endif
    lp_vl_train_t *train; /* the SGD engine (verilator_train.c), opened by train_load      */
    char *trace;          /* FST waveform path or NULL; the first model opened writes it  */
};

static int vl_open(lp_backend_t **be, const lp_backend_opts_t *opts, lp_err_t *err)
{
#ifdef LP_NO_VERILATOR
    (void)be;
    (void)opts;
    return lp_fail(err, "verilator: this lpsgd was built without Verilator; install it (make deps) and "
                        "rebuild (make)");
#else
    if (opts && opts->lanes != 0 && opts->lanes != LP_VQ_LANES)
        return lp_fail(err, "verilator: the RTL model has %d lanes (the reduction order of the statistics); "
                            "--lanes %u is not built",
                       LP_VQ_LANES, opts->lanes);
    /* the waveform: opts->trace, or $LPSGD_TRACE; the models are opened on first use (a
     * training run never builds the quantizer-only model), so the trace is of what runs */
    const char *trace = opts && opts->trace ? opts->trace : getenv("LPSGD_TRACE");
    *be = calloc(1, sizeof **be);
    if (!*be || (trace && *trace && !((*be)->trace = strdup(trace)))) {
        free(*be);
        *be = NULL;
        return lp_fail(err, "verilator: out of memory");
    }
    return 0;
#endif
}

#ifndef LP_NO_VERILATOR
/* The quantizer model, opened by the first quantize call. */
static int vl_vq(lp_backend_t *be, lp_err_t *err)
{
    char msg[256];
    if (be->vq)
        return 0;
    lp_vq_opts_t vo = {be->trace, 0};
    be->vq = lp_vq_open(&vo, msg, sizeof msg);
    if (!be->vq)
        return lp_fail(err, "%s", msg);
    return 0;
}
#endif

static void vl_close(lp_backend_t *be)
{
    if (!be)
        return;
#ifndef LP_NO_VERILATOR
    lp_vq_close(be->vq);
#endif
    lp_vl_train_close(be->train);
    free(be->trace);
    free(be);
}

static int vl_quantize(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                       uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err)
{
    lp_fmt_params_t p;
    const char *why;
    if (lp_format_derive(&cfg->fmt, &p, &why) != 0)
        return lp_fail(err, "invalid format: %s", why);
#ifdef LP_NO_VERILATOR
    (void)be, (void)step, (void)g, (void)gq, (void)codes, (void)scale_k, (void)n, (void)st;
    return lp_fail(err, "verilator: not built");
#else
    if (vl_vq(be, err))
        return -1;
    lp_vq_quantize(be->vq, &p, cfg, step, g, gq, codes, scale_k, n, st);
    return 0;
#endif
}

static uint64_t vl_cycles(lp_backend_t *be)
{
#ifdef LP_NO_VERILATOR
    (void)be;
    return 0;
#else
    return (be->vq ? lp_vq_cycles(be->vq) : 0) + lp_vl_train_cycles(be->train);
#endif
}

/* training: the RTL SGD engine (verilator_train.c), with the waveform when one is asked for */
static int vl_train_load(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    return lp_vl_train_load(&be->train, be->trace, cfg, model, err);
}
static int vl_train_submit(lp_backend_t *be, const uint32_t *data, uint32_t nsteps, uint32_t step0, lp_err_t *err)
{
    return lp_vl_train_submit(be->train, data, nsteps, step0, err);
}
static int vl_train_wait(lp_backend_t *be, uint32_t *records, lp_err_t *err)
{
    return lp_vl_train_wait(be->train, records, err);
}
static int vl_train_read(lp_backend_t *be, float *model, lp_err_t *err)
{
    return lp_vl_train_read(be->train, model, err);
}

const lp_backend_ops_t lp_backend_verilator = {
    .name = "verilator",
    .summary = "the RTL (rtl/quant, rtl/stats) simulated by Verilator, cycle by cycle: bit-identical to csim",
    .open = vl_open,
    .close = vl_close,
    .quantize = vl_quantize,
    .cycles = vl_cycles,
    .train_load = vl_train_load,
    .train_submit = vl_train_submit,
    .train_wait = vl_train_wait,
    .train_read = vl_train_read,
};
