/*
 * lp_vsgd_scalar.h - C ABI of the Verilated scalar unit (rtl/sgd/lp_sgd_scalar.sv): the
 * stepsize of a schedule and the compensation, as the RTL computes them. Each case is one
 * step: start_i with the cfg inputs, k and q_hat, the statistics pulse st_delay cycles
 * after the start (0: in the start cycle), then the results at mu_valid_o.
 */
#ifndef LP_VSGD_SCALAR_H
#define LP_VSGD_SCALAR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t sched, lr, gamma, period, compensate; /* cfg words (compensate: 0/1)           */
    uint32_t k, qhat;                              /* step index, q_hat before the step      */
    uint32_t g2, ge;                               /* the step's statistics (FP32 bits)      */
    uint32_t st_delay;                             /* cycles from start_i to st_valid_i      */
} lp_vsgd_scalar_case_t;

typedef struct {
    uint32_t mu, qhat; /* mu_o, qhat_o                                                     */
    uint32_t cycles;   /* cycles from start_i to the first cycle mu_valid_o is high        */
} lp_vsgd_scalar_out_t;

/* Runs n cases back to back through one model. Returns 0, or -1 (message on stderr) when
 * a case has no result after 100000 cycles. */
int lp_vsgd_scalar_run(const lp_vsgd_scalar_case_t *c, lp_vsgd_scalar_out_t *o, size_t n);

#ifdef __cplusplus
}
#endif

#endif
