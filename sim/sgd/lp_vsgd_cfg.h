/*
 * lp_vsgd_cfg.h - C ABI of the Verilated configuration unit (rtl/sgd/lp_sgd_cfg.sv):
 * lp_sgd_check_cfg's verdict, the decoded fields and the quantizer register words for a
 * configuration block, as the RTL computes them.
 */
#ifndef LP_VSGD_CFG_H
#define LP_VSGD_CFG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LP_VSGD_CFG_IN_WORDS 17 /* cfg words 0..16 go into the unit                     */
#define LP_VSGD_CFG_QREGS 13    /* quantizer register words 0..12 come out              */

typedef struct {
    uint32_t ok;                                        /* ok_o                          */
    uint32_t model, nclass, nbeats, batch, sched;       /* the decoded fields             */
    uint32_t lr, gamma, period, lambda, compensate;
    uint32_t qreg[LP_VSGD_CFG_QREGS];                   /* qreg_o, word a = address a     */
} lp_vsgd_cfg_out_t;

/* Runs n blocks (cfg + LP_VSGD_CFG_IN_WORDS * i each) through one model, one start every
 * 3 cycles. Returns 0, or -1 (message on stderr) when done_o does not pulse exactly 3
 * cycles after start_i. */
int lp_vsgd_cfg_run(const uint32_t *cfg, lp_vsgd_cfg_out_t *o, size_t n);

#ifdef __cplusplus
}
#endif

#endif
