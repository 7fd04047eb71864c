// lp_vsgd_cfg.cpp - Verilator harness of the configuration unit behind lp_vsgd_cfg.h.
#include "lp_vsgd_cfg.h"

#include <cstdio>

#include "Vlp_sgd_cfg.h"
#include "lp_vsgd_clock.h"
#include "../lp_vmodel.h"
#include "verilated.h"

extern "C" int lp_vsgd_cfg_run(const uint32_t *cfg, lp_vsgd_cfg_out_t *o, size_t n)
{
    lp_vmodel<Vlp_sgd_cfg> m{"lp_sgd_cfg"};
    m->rst_i = 1;
    m->start_i = 0;
    lp_vsgd_tick(m.get());
    m->rst_i = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const uint32_t *c = cfg + (size_t)LP_VSGD_CFG_IN_WORDS * i;
        for (int w = 0; w < LP_VSGD_CFG_IN_WORDS; w++)
            m->cfg_i[w] = c[w];
        for (int t = 0; t < 3; t++) {
            m->start_i = t == 0;
            lp_vsgd_tick(m.get());
            if (m->done_o != (t == 2)) {
                fprintf(stderr, "lp_vsgd_cfg: block %zu: done_o %d in cycle %d after start_i\n", i, m->done_o,
                        t + 1);
                rc = -1;
                break;
            }
        }
        lp_vsgd_cfg_out_t &r = o[i];
        r.ok = m->ok_o;
        r.model = m->model_o;
        r.nclass = m->nclass_o;
        r.nbeats = m->nbeats_o;
        r.batch = m->batch_o;
        r.sched = m->sched_o;
        r.lr = m->lr_o;
        r.gamma = m->gamma_o;
        r.period = m->period_o;
        r.lambda = m->lambda_o;
        r.compensate = m->compensate_o;
        for (int a = 0; a < LP_VSGD_CFG_QREGS; a++)
            r.qreg[a] = m->qreg_o[a];
    }
    m->final();
    return rc;
}
