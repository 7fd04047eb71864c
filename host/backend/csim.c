/*
 * csim.c - the C-model backend: the HLS C kernels compiled by gcc (the golden model).
 */
#include <stdlib.h>

#include <string.h>

#include "backend.h"
#include "quant/lp_quant_vec.h"
#include "sgd/lp_sgd.h"

struct lp_backend {
    lp_sgd_state_t sgd;              /* the kernel's on-chip model            */
    uint32_t cfg[LP_SGD_CFG_WORDS];  /* the configuration block (train_load)  */
    int loaded;                      /* train_load done                       */
    const uint32_t *data;            /* the submitted run (csim runs at wait) */
    uint32_t nsteps, step0, pending;
};

static int csim_open(lp_backend_t **be, const lp_backend_opts_t *opts, lp_err_t *err)
{
    (void)opts;
    *be = calloc(1, sizeof **be);
    return *be ? 0 : lp_fail(err, "csim: out of memory");
}

static void csim_close(lp_backend_t *be) { free(be); }

static int csim_quantize(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                         uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err)
{
    lp_fmt_params_t p;
    const char *why;
    (void)be;
    if (lp_format_derive(&cfg->fmt, &p, &why) != 0)
        return lp_fail(err, "invalid format: %s", why);
    lp_quantize_vec(g, gq, codes, scale_k, n, &p, cfg, step, st);
    return 0;
}

static int csim_quantize_chunk(lp_backend_t *be, lp_qv_stream_t *s, const float *g, float *gq, uint32_t *codes,
                               int32_t *scale_k, uint32_t len, lp_err_t *err)
{
    (void)be, (void)err;
    lp_qv_stream_chunk(s, g, gq, codes, scale_k, len);
    return 0;
}

static uint64_t csim_cycles(lp_backend_t *be)
{
    (void)be;
    return 0;
}

static int csim_train_load(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    const char *why;
    if (be->pending)
        return lp_fail(err, "csim: train_load while a run is outstanding (call train_wait first)");
    if (lp_sgd_check_cfg(cfg, &why) != LP_SGD_OK)
        return lp_fail(err, "csim: %s", why);
    memcpy(be->cfg, cfg, sizeof be->cfg);
    lp_sgd_run(&be->sgd, NULL, (float *)model, NULL, be->cfg, 0, 0, LP_SGD_FLAG_LOAD);
    be->loaded = 1;
    return 0;
}

static int csim_train_submit(lp_backend_t *be, const uint32_t *data, uint32_t nsteps, uint32_t step0, lp_err_t *err)
{
    if (!be->loaded)
        return lp_fail(err, "csim: train_submit before train_load");
    if (be->pending)
        return lp_fail(err, "csim: a run is already outstanding (call train_wait first)");
    be->data = data;
    be->nsteps = nsteps;
    be->step0 = step0;
    be->pending = 1;
    return 0;
}

static int csim_train_wait(lp_backend_t *be, uint32_t *records, lp_err_t *err)
{
    if (!be->pending)
        return lp_fail(err, "csim: train_wait without a submitted run");
    be->pending = 0;
    if (lp_sgd_run(&be->sgd, be->data, NULL, records, be->cfg, be->nsteps, be->step0, 0) != LP_SGD_OK)
        return lp_fail(err, "csim: the kernel refused the configuration block");
    return 0;
}

static int csim_train_read(lp_backend_t *be, float *model, lp_err_t *err)
{
    if (!be->loaded || be->pending)
        return lp_fail(err, "csim: train_read needs a loaded model and no outstanding run");
    lp_sgd_run(&be->sgd, NULL, model, NULL, be->cfg, 0, 0, LP_SGD_FLAG_STORE);
    return 0;
}

const lp_backend_ops_t lp_backend_csim = {
    .name = "csim",
    .summary = "the C model (the HLS kernels compiled by gcc): the golden reference",
    .open = csim_open,
    .close = csim_close,
    .quantize = csim_quantize,
    .quantize_chunk = csim_quantize_chunk,
    .cycles = csim_cycles,
    .train_load = csim_train_load,
    .train_submit = csim_train_submit,
    .train_wait = csim_train_wait,
    .train_read = csim_train_read,
};
