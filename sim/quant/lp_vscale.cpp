// lp_vscale.cpp - Verilator harness of the scale units behind lp_vscale.h:
// Vlp_scale_k (combinational: inputs set, evaluated, k_o read) and Vlp_amax (clocked:
// one beat or idle cycle per rising edge, results two edges later).
#include "lp_vscale.h"


#include "Vlp_amax.h"
#include "Vlp_scale_k.h"
#include "../lp_vmodel.h"
#include "verilated.h"

extern "C" int lp_vscale_k(const lp_fmt_params_t *p, int mode, const uint32_t *amax, int32_t *k, size_t n)
{
    lp_vmodel<Vlp_scale_k> m{"lp_scale_k"};
    m->mode_i = (unsigned)mode & 3u;
    m->cfg_fixed_i = p->kind == LP_KIND_FIXED;
    m->cfg_man_i = p->man;
    m->cfg_emin_i = (uint32_t)p->emin & 0xFFFu;
    m->cfg_emax_i = (uint32_t)p->emax & 0xFFFu;
    m->cfg_max_kq_i = p->max_kq;
    for (size_t i = 0; i < n; i++) {
        m->amax_i = amax[i] & 0x7FFFFFFFu;
        m->eval();
        uint32_t v = m->k_o & 0xFFFu;
        k[i] = (int32_t)(v ^ 0x800u) - 0x800; /* sign-extend 12 bits */
    }
    m->final();
    return 0;
}

namespace {
uint64_t next(uint64_t &s)
{
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return s >> 33;
}

struct Amax {
    lp_vmodel<Vlp_amax> m{"lp_amax"};
    int have_prev = 0, prev_valid = 0;
    long prev_run = -1; // run whose last event was the previous cycle (-1: none)
    uint32_t *out;
    size_t bad = 0;
    Amax(uint32_t *o) : out(o) {}
    // one cycle: inputs as set, then the rising edge. After edge t the unit shows the
    // events of cycle t - 1: valid_o = valid_i of then, amax_o the run ended then.
    void cycle(long end_run)
    {
        m->clk_i = 0;
        m->eval();
        m->clk_i = 1;
        m->eval();
        if (have_prev) {
            if ((int)m->valid_o != prev_valid)
                bad++;
            if (prev_run >= 0)
                out[prev_run] = m->amax_o;
        }
        have_prev = !m->rst_i;
        prev_valid = m->valid_i;
        prev_run = end_run;
    }
};
} // namespace

extern "C" int lp_vamax_runs(const uint32_t *x, const uint32_t *len, size_t nruns, uint64_t seed, uint32_t *amax,
                             size_t *bad_valid)
{
    Amax a(amax);
    Vlp_amax &m = *a.m;
    uint64_t s = seed;
    m.rst_i = 1;
    m.valid_i = 0;
    m.clear_i = 0;
    a.cycle(-1);
    a.cycle(-1);
    m.rst_i = 0;
    size_t pos = 0;
    for (size_t r = 0; r < nruns; r++) {
        uint32_t n = len[r];
        int clear_alone = n == 0 || next(s) % 3 == 0;
        if (clear_alone) {
            m.valid_i = 0;
            m.clear_i = 1;
            for (unsigned l = 0; l < 16; l++) /* garbage that must not count */
                m.data_i[l] = (uint32_t)next(s) * 2u;
            m.keep_i = 0xFFFFu;
            a.cycle(n == 0 ? (long)r : -1);
        }
        for (uint32_t b0 = 0; b0 < n; b0 += 16) {
            while (next(s) % 4 == 0) { /* idle cycles with garbage on the data */
                m.valid_i = 0;
                m.clear_i = 0;
                m.keep_i = (uint32_t)next(s) & 0xFFFFu;
                a.cycle(-1);
            }
            unsigned cnt = n - b0 < 16 ? n - b0 : 16;
            for (unsigned l = 0; l < 16; l++)
                m.data_i[l] = l < cnt ? x[pos + b0 + l] : (uint32_t)next(s);
            m.keep_i = (1u << cnt) - 1u;
            m.valid_i = 1;
            m.clear_i = b0 == 0 && !clear_alone;
            a.cycle(b0 + cnt == n ? (long)r : -1);
        }
        pos += n;
    }
    m.valid_i = 0;
    m.clear_i = 0;
    a.cycle(-1);
    a.cycle(-1);
    m.final();
    *bad_valid = a.bad;
    return 0;
}
