// lp_vsgd_clock.h - one clock cycle of a Verilated unit with a clk_i port (C++ only): the
// inputs set before the call are sampled at the rising edge, the outputs read after it.
#ifndef LP_VSGD_CLOCK_H
#define LP_VSGD_CLOCK_H

template <class M> inline void lp_vsgd_tick(M *m)
{
    m->clk_i = 0;
    m->eval();
    m->clk_i = 1;
    m->eval();
}

#endif
