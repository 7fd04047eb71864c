/*
 * verilator_train.c - the verilator backend's training ops (verilator_train.h): the whole
 * RTL kernel (rtl/kernel/lp_sgd.sv: s_axi_control, the AXI4 masters, the controller, the
 * step engine) through sim/kernel/lp_vkernel.h, with the device memory modelled in the
 * harness, as XRT drives the real kernel: train_load is a call with LP_SGD_FLAG_LOAD and no
 * step, train_wait runs the submitted steps, train_read a call with LP_SGD_FLAG_STORE.
 * train_load opens the smallest Verilated build whose Classes covers the cfg's K (kernel.mk
 * LP_VKERNEL_BUILDS, "1 16" by default: the fast one-output engine for least squares,
 * logistic and hinge, the 16-class engine for softmax).
 * Bit-identical to csim for the configurations the RTL covers (lp_vkernel_supported names
 * the others, and train_load refuses them with that reason). On close, when stderr is a
 * terminal or LPSGD_CYCLES is set, it reports the cycles per step and per call
 * (ap_start..ap_done) and the efficiency against the one-beat-per-cycle bound on stderr.
 */
#include "verilator_train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sgd/lp_sgd.h"

#ifndef LP_NO_VERILATOR
#include "../../sim/kernel/lp_vkernel.h"
#endif

struct lp_vl_train {
#ifndef LP_NO_VERILATOR
    lp_vkernel_t *v;
    lp_vkernel_perf_t perf; /* the calls that run steps */
#endif
    uint32_t cfg[LP_SGD_CFG_WORDS];
    int loaded, pending;
    const uint32_t *data;
    uint32_t nsteps, step0;
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
    if (lp_vkernel_supported(cfg, &why) != 0)
        return lp_fail(err, "verilator: %s; use --backend csim for this configuration", why);
    if (*t && (*t)->pending)
        return lp_fail(err, "verilator: train_load while a run is outstanding (call train_wait first)");
    if (!*t) {
        *t = calloc(1, sizeof **t);
        if (!*t)
            return lp_fail(err, "verilator: out of memory");
    }
    /* the kernel build for this K: opened on the first load, reopened (a new on-chip model)
     * when a later cfg has more classes than the open build's Classes */
    if ((*t)->v && lp_vkernel_classes((*t)->v) < cfg[LP_CFG_K]) {
        lp_vkernel_close((*t)->v);
        (*t)->v = NULL;
    }
    if (!(*t)->v) {
        char msg[512];
        (*t)->v = lp_vkernel_open(trace, 1, 0, cfg[LP_CFG_K], msg, sizeof msg);
        if (!(*t)->v) {
            free(*t);
            *t = NULL;
            return lp_fail(err, "%s", msg);
        }
    }
    memcpy((*t)->cfg, cfg, sizeof (*t)->cfg);
    if (lp_vkernel_run((*t)->v, NULL, (float *)model, NULL, (*t)->cfg, 0, 0, LP_SGD_FLAG_LOAD, NULL) != 0)
        return lp_fail(err, "verilator: the RTL kernel failed the model load: %s", lp_vkernel_error((*t)->v));
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
    if (lp_vkernel_run(t->v, t->data, NULL, records, t->cfg, t->nsteps, t->step0, 0, &t->perf) != 0)
        return lp_fail(err, "verilator: the RTL kernel failed: %s", *lp_vkernel_error(t->v) ? lp_vkernel_error(t->v)
                                                                                              : "it refused the cfg block");
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
    if (lp_vkernel_run(t->v, NULL, model, NULL, t->cfg, 0, 0, LP_SGD_FLAG_STORE, NULL) != 0)
        return lp_fail(err, "verilator: the RTL kernel failed the model store: %s", lp_vkernel_error(t->v));
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
    const lp_vkernel_perf_t *p = &t->perf;
    if (p->steps && (isatty(2) || getenv("LPSGD_CYCLES")))
        fprintf(stderr,
                "verilator: RTL kernel lp_sgd: %llu steps in %llu calls, %llu cycles ap_start..ap_done (%.1f per step, "
                "%.0f per call), %llu minibatch beats: %.1f %% of the one-beat-per-cycle bound\n",
                (unsigned long long)p->steps, (unsigned long long)p->calls, (unsigned long long)p->cycles,
                (double)p->cycles / (double)p->steps, (double)p->cycles / (double)p->calls,
                (unsigned long long)p->beats, 100.0 * (double)p->beats / (double)p->cycles);
    lp_vkernel_close(t->v);
#endif
    free(t);
}
