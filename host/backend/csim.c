/*
 * csim.c - the C-model backend: the HLS C kernels compiled by gcc (the golden model).
 */
#include <stdlib.h>

#include "backend.h"
#include "quant/lp_quant_vec.h"

struct lp_backend {
    int unused;
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

static uint64_t csim_cycles(lp_backend_t *be)
{
    (void)be;
    return 0;
}

const lp_backend_ops_t lp_backend_csim = {
    .name = "csim",
    .summary = "the C model (the HLS kernels compiled by gcc): the golden reference",
    .open = csim_open,
    .close = csim_close,
    .quantize = csim_quantize,
    .cycles = csim_cycles,
};
