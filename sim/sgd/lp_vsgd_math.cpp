// lp_vsgd_math.cpp - Verilator harness of the exp and sigmoid pipelines behind
// lp_vsgd_math.h. Input i is applied before rising edge i; a Latency-L pipeline shows its
// result after edge i + L - 1.
#include "lp_vsgd_math.h"


#include "Vlp_sgd_exp.h"
#include "Vlp_sgd_sigmoid.h"
#include "../lp_vmodel.h"
#include "verilated.h"

namespace {
template <class M> int run(const char *name, unsigned lat, const uint32_t *x, uint32_t *y, size_t n)
{
    lp_vmodel<M> m{name};
    for (size_t c = 0; c < n + lat; c++) {
        if constexpr (std::is_same<M, Vlp_sgd_exp>::value)
            m->x_i = c < n ? x[c] : 0u;
        else
            m->z_i = c < n ? x[c] : 0u;
        m->clk_i = 0;
        m->eval();
        m->clk_i = 1;
        m->eval();
        if (c + 1 >= lat && c + 1 - lat < n)
            y[c + 1 - lat] = m->y_o;
    }
    m->final();
    return 0;
}
} // namespace

extern "C" int lp_vsgd_exp(const uint32_t *x, uint32_t *y, size_t n)
{
    return run<Vlp_sgd_exp>("lp_sgd_exp", 9 * 4 + 10 * 3, x, y, n);
}

extern "C" int lp_vsgd_sigmoid(const uint32_t *x, uint32_t *y, size_t n)
{
    return run<Vlp_sgd_sigmoid>("lp_sgd_sigmoid", 9 * 4 + 10 * 3 + 3 + 28, x, y, n);
}
