/*
 * lp_vsgd_dot.h - C ABI of the Verilated dot-product engine (rtl/sgd/lp_sgd_dot.sv, the
 * Classes = 16 build): the unit test of the SGD datapath's first stage.
 */
#ifndef LP_VSGD_DOT_H
#define LP_VSGD_DOT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * z[r*K + c] = <w_c, x_r> for B rows of D floats (D a multiple of 16, K 1..16, w row-major
 * K x D), through the RTL at one beat per cycle where the engine takes it. *cycles gets
 * the clock cycles from the first beat to the last dot product, *stall those the engine
 * held a beat back. Returns 0, or -1 on a protocol error (a missing or extra output).
 */
int lp_vsgd_dot(const float *w, unsigned K, const float *x, unsigned B, unsigned D, float *z, uint64_t *cycles,
                uint64_t *stall);

#ifdef __cplusplus
}
#endif

#endif
