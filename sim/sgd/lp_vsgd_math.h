/*
 * lp_vsgd_math.h - C ABI of the Verilated exp and sigmoid pipelines (rtl/sgd/lp_sgd_exp.sv,
 * lp_sgd_sigmoid.sv): y[i] = lp_exp_f32(x[i]) / lp_sigmoid_f32(x[i]) as the RTL computes
 * them, one input per cycle. Returns 0, -1 when the model cannot be built.
 */
#ifndef LP_VSGD_MATH_H
#define LP_VSGD_MATH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int lp_vsgd_exp(const uint32_t *x, uint32_t *y, size_t n);
int lp_vsgd_sigmoid(const uint32_t *x, uint32_t *y, size_t n);

#ifdef __cplusplus
}
#endif

#endif
