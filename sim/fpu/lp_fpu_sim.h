/*
 * lp_fpu_sim.h - C ABI of the Verilated FP units (rtl/fpu), vectors in, results out.
 *
 * Every build listed in sim/fpu/lp_fpu_models.def (a module at one Latency) can be opened
 * by name; run_batch streams n operand pairs through it, one per enabled cycle, and returns
 * the n results in order, each taken Latency enabled cycles after its operands went in.
 * Unary units ignore b. Optionally en_i is dropped on random cycles (stalls): the operands
 * are then garbage and the harness checks that y_o holds (Latency >= 1; at Latency 0 y_o
 * is combinational and follows the operands).
 */
#ifndef LP_FPU_SIM_H
#define LP_FPU_SIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lp_fpu_sim lp_fpu_sim;

/* Open module `unit` (e.g. "lp_fp32_add") built with `latency`, or its default build when
 * latency < 0. NULL when no such build exists. */
lp_fpu_sim *lp_fpu_sim_open(const char *unit, int latency);

/* Latency of an open unit, in enabled cycles. */
int lp_fpu_sim_latency(const lp_fpu_sim *s);

/* Drop en_i on about permille/1000 of the cycles (0: never; at most 900), drawn from seed. */
void lp_fpu_sim_set_stalls(lp_fpu_sim *s, unsigned permille, uint64_t seed);

/* y[i] = unit(a[i], b[i]) for i < n (b may be NULL for unary units). Returns the number
 * of stalled cycles in which y_o did not hold its value (0 when the pipeline is right). */
size_t lp_fpu_sim_run_batch(lp_fpu_sim *s, const uint32_t *a, const uint32_t *b, uint32_t *y,
                            size_t n);

/* Clock cycles simulated so far (enabled and stalled). */
uint64_t lp_fpu_sim_cycles(const lp_fpu_sim *s);

void lp_fpu_sim_close(lp_fpu_sim *s);

/* The i-th build: its module name and latency; returns 0 past the end. */
int lp_fpu_sim_build(int i, const char **unit, int *latency);

#ifdef __cplusplus
}
#endif

#endif
