/*
 * verilator_train.c - the verilator backend's training ops (verilator_train.h): the RTL
 * SGD step engine (rtl/sgd/lp_sgd_step.sv) through sim/sgd/lp_vsgd.h, bit-identical to
 * csim for the configurations the RTL covers (lp_vsgd_supported names the others, and
 * train_load refuses them with that reason). On close, when stderr is a terminal or
 * LPSGD_CYCLES is set, it reports cycles per step and the efficiency against the
 * one-beat-per-cycle bound on stderr.
 */
#include "verilator_train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sgd/lp_sgd.h"

#ifndef LP_NO_VERILATOR
#include "../../sim/sgd/lp_vsgd.h"
#endif

struct lp_vl_train {
#ifndef LP_NO_VERILATOR
    lp_vsgd_t *v;
    lp_vsgd_perf_t perf;
#endif
    uint32_t cfg[LP_SGD_CFG_WORDS];
    int loaded, pending;
    const uint32_t *data;
    uint32_t nsteps, step0, steps_run;
};

int lp_vl_train_load(lp_vl_train_t **t, const char *trace, const uint32_t *cfg, const float *model, lp_err_t *err)
{
#ifdef LP_NO_VERILATOR
    (void)t, (void)trace, (void)cfg, (void)model;
    return lp_fail(err, "verilator: this lpsgd was built without Verilator; install it (make deps) and rebuild (make)");
#else
    const char *why;
    if (lp_sgd_check_cfg(cfg, &why) != LP_SGD_OK)
        return lp_fail(err, "verilator: %s", why);
    if (lp_vsgd_supported(cfg, &why) != 0)
        return lp_fail(err, "verilator: %s; use --backend csim for this configuration", why);
    if (*t && (*t)->pending)
        return lp_fail(err, "verilator: train_load while a run is outstanding (call train_wait first)");
    if (!*t) {
        char msg[256];
        *t = calloc(1, sizeof **t);
        if (!*t)
            return lp_fail(err, "verilator: out of memory");
        (*t)->v = lp_vsgd_open(trace, msg, sizeof msg);
        if (!(*t)->v) {
            free(*t);
            *t = NULL;
            return lp_fail(err, "%s", msg);
        }
    }
    memcpy((*t)->cfg, cfg, sizeof (*t)->cfg);
    if (lp_vsgd_run((*t)->v, NULL, (float *)model, NULL, (*t)->cfg, 0, 0, LP_SGD_FLAG_LOAD, NULL) != 0)
        return lp_fail(err, "verilator: the RTL refused the model load");
    (*t)->loaded = 1;
    return 0;
#endif
}

int lp_vl_train_submit(lp_vl_train_t *t, const uint32_t *data, uint32_t nsteps, uint32_t step0, lp_err_t *err)
{
    if (!t || !t->loaded)
        return lp_fail(err, "verilator: train_submit before train_load");
    if (t->pending)
        return lp_fail(err, "verilator: a run is already outstanding (call train_wait first)");
    t->data = data;
    t->nsteps = nsteps;
    t->step0 = step0;
    t->pending = 1;
    return 0;
}

int lp_vl_train_wait(lp_vl_train_t *t, uint32_t *records, lp_err_t *err)
{
    if (!t || !t->pending)
        return lp_fail(err, "verilator: train_wait without a submitted run");
    t->pending = 0;
#ifdef LP_NO_VERILATOR
    (void)records;
    return lp_fail(err, "verilator: not built");
#else
    if (lp_vsgd_run(t->v, t->data, NULL, records, t->cfg, t->nsteps, t->step0, 0, &t->perf) != 0)
        return lp_fail(err, "verilator: the RTL step engine failed (hang or refused configuration)");
    t->steps_run += t->nsteps;
    return 0;
#endif
}

int lp_vl_train_read(lp_vl_train_t *t, float *model, lp_err_t *err)
{
    if (!t || !t->loaded || t->pending)
        return lp_fail(err, "verilator: train_read needs a loaded model and no outstanding run");
#ifdef LP_NO_VERILATOR
    (void)model;
    return lp_fail(err, "verilator: not built");
#else
    if (lp_vsgd_run(t->v, NULL, model, NULL, t->cfg, 0, 0, LP_SGD_FLAG_STORE, NULL) != 0)
        return lp_fail(err, "verilator: the RTL refused the model store");
    return 0;
#endif
}

uint64_t lp_vl_train_cycles(const lp_vl_train_t *t)
{
#ifdef LP_NO_VERILATOR
    (void)t;
    return 0;
#else
    return t ? t->perf.cycles : 0;
#endif
}

void lp_vl_train_close(lp_vl_train_t *t)
{
    if (!t)
        return;
#ifndef LP_NO_VERILATOR
    if (t->steps_run && (isatty(2) || getenv("LPSGD_CYCLES")))
        fprintf(stderr,
                "verilator: %u steps, %llu cycles (%.1f per step), %llu minibatch beats: %.1f %% of the "
                "one-beat-per-cycle bound (%.1f %% in the gradient phase)\n",
                t->steps_run, (unsigned long long)t->perf.cycles, (double)t->perf.cycles / t->steps_run,
                (unsigned long long)t->perf.beats, 100.0 * (double)t->perf.beats / (double)t->perf.cycles,
                t->perf.grad_cycles ? 100.0 * (double)t->perf.beats / (double)t->perf.grad_cycles : 0.0);
    lp_vsgd_close(t->v);
#endif
    free(t);
}
