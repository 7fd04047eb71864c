// lp_vsgd_dot.cpp - Verilator harness of lp_sgd_dot behind lp_vsgd_dot.h. A cycle: drive
// the inputs with clk_i low, settle, sample the handshakes (in_ready_o and z_valid_o come
// from registers), then the rising edge.
#include "lp_vsgd_dot.h"

#include <cstring>

#include "Vlp_sgd_dot.h"
#include "../lp_vmodel.h"
#include "verilated.h"

extern "C" int lp_vsgd_dot(const float *w, unsigned K, const float *x, unsigned B, unsigned D, float *z,
                           uint64_t *cycles, uint64_t *stall)
{
    lp_vmodel<Vlp_sgd_dot> m{"lp_sgd_dot"};
    unsigned nb = D / 16;
    m->clk_i = 0;
    m->rst_i = 1;
    m->in_valid_i = 0;
    m->nbeats_i = nb;
    m->nclass_i = K;
    auto edge = [&]() {
        m->clk_i = 1;
        m->eval();
        m->clk_i = 0;
    };
    for (int i = 0; i < 3; i++) {
        m->eval();
        edge();
    }
    m->rst_i = 0;
    uint64_t total = (uint64_t)B * nb, sent = 0, got = 0, cyc = 0, st = 0;
    int err = 0;
    while (got < (uint64_t)B * K && cyc < 100000000ull) {
        bool v = sent < total;
        m->in_valid_i = v;
        if (v) {
            uint64_t r = sent / nb, bt = sent % nb;
            uint32_t u;
            for (unsigned l = 0; l < 16; l++) {
                std::memcpy(&u, &x[r * D + bt * 16 + l], 4);
                m->in_x_i[l] = u;
            }
            for (unsigned c = 0; c < 16; c++)
                for (unsigned l = 0; l < 16; l++) {
                    u = 0;
                    if (c < K)
                        std::memcpy(&u, &w[c * D + bt * 16 + l], 4);
                    m->in_w_i[c * 16 + l] = u;
                }
        }
        m->eval();
        if (v) {
            if (m->in_ready_o)
                sent++;
            else
                st++;
        }
        if (m->z_valid_o) {
            uint64_t r = got / K;
            unsigned c = (unsigned)(got % K);
            if (m->z_class_o != c || m->z_last_o != (c == K - 1))
                err = -1;
            uint32_t u = m->z_o;
            std::memcpy(&z[r * K + c], &u, 4);
            got++;
        }
        edge();
        cyc++;
    }
    for (int i = 0; i < 64; i++) { // nothing more may come
        m->in_valid_i = 0;
        m->eval();
        if (m->z_valid_o)
            err = -1;
        edge();
    }
    m->final();
    *cycles = cyc;
    *stall = st;
    return got == (uint64_t)B * K ? err : -1;
}
