// lp_vsgd_scalar.cpp - Verilator harness of the scalar unit behind lp_vsgd_scalar.h.
#include "lp_vsgd_scalar.h"

#include <cstdio>

#include "Vlp_sgd_scalar.h"
#include "lp_vsgd_clock.h"
#include "../lp_vmodel.h"
#include "verilated.h"

extern "C" int lp_vsgd_scalar_run(const lp_vsgd_scalar_case_t *c, lp_vsgd_scalar_out_t *o, size_t n)
{
    lp_vmodel<Vlp_sgd_scalar> m{"lp_sgd_scalar"};
    m->rst_i = 1;
    m->start_i = 0;
    m->st_valid_i = 0;
    lp_vsgd_tick(m.get());
    lp_vsgd_tick(m.get());
    m->rst_i = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const lp_vsgd_scalar_case_t &t = c[i];
        m->sched_i = t.sched & 3u;
        m->lr_i = t.lr;
        m->gamma_i = t.gamma;
        m->period_i = t.period;
        m->compensate_i = t.compensate & 1u;
        m->k_i = t.k;
        m->qhat_i = t.qhat;
        m->g2_i = t.g2;
        m->ge_i = t.ge;
        uint32_t cyc = 0;
        for (;;) {
            m->start_i = cyc == 0;
            m->st_valid_i = cyc == t.st_delay;
            lp_vsgd_tick(m.get());
            cyc++;
            if (m->mu_valid_o)
                break;
            if (cyc > 100000) {
                fprintf(stderr, "lp_vsgd_scalar: case %zu: no result after %u cycles\n", i, cyc);
                rc = -1;
                break;
            }
        }
        o[i].cycles = cyc;
        // finish a late statistics pulse (the unit ignores it once done) so cases stay apart
        m->start_i = 0;
        for (; cyc <= t.st_delay; cyc++) {
            m->st_valid_i = cyc == t.st_delay;
            lp_vsgd_tick(m.get());
        }
        m->st_valid_i = 0;
        o[i].mu = m->mu_o;
        o[i].qhat = m->qhat_o;
    }
    m->final();
    return rc;
}
