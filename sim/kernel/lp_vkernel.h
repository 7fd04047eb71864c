/*
 * lp_vkernel.h - C ABI of the Verilated SGD kernel top (rtl/kernel/lp_sgd.sv, the Vitis RTL
 * kernel): host memory, the two AXI4 memory ports and the AXI4-Lite control port are
 * modelled in the harness (sim/kernel/lp_vkernel.cpp); a call does what XRT does with the
 * real kernel: copy the buffers into device memory (4 KiB-aligned buffers above 4 GiB),
 * write the arguments through s_axi_control (offsets of hls/sgd/lp_sgd_regmap.h), set
 * ap_start, poll ap_done, copy the outputs back.
 *
 * lp_vkernel_run has lp_sgd's contract (hls/sgd/lp_sgd.h: the HLS top): the same buffers,
 * the on-chip model kept between calls, an invalid cfg writes LP_SGD_REC_BADCFG to
 * stats[0] when nsteps > 0. Buffers it reads: cfg (32 words), data (nsteps*B rows, when
 * nsteps > 0), model (K*D+16 words, with LP_SGD_FLAG_LOAD or _STORE); stats: nsteps
 * records. Device buffers not written by the kernel keep the caller's contents.
 *
 * The memory ports answer with seeded random latency and, with stalls on, random
 * ARREADY/AWREADY/WREADY low cycles and RVALID/BVALID gaps; the harness checks the AXI
 * rules the kernel must keep (valid held with a stable payload until ready, INCR bursts
 * of 64-byte beats that stay inside one 4 KiB page and inside one buffer, WLAST on the
 * last beat, no write to a read-only buffer) and fails the call naming the first
 * violation. lp_vkernel_set_faults makes them behave as other legal (or failing) slaves do.
 *
 * After ap_done a call reads the kernel's status register (LP_REG_STATUS) and fails with
 * its meaning when it is not 0 (an AXI error response, a misaligned pointer), leaving the
 * caller's buffers untouched; it fails as well when ap_done came without its interrupt
 * (ISR bit 0, enabled in IER, not set: the done event was lost).
 */
#ifndef LP_VKERNEL_H
#define LP_VKERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lp_vkernel lp_vkernel_t;

#define LP_VKERNEL_STEP_LOG 64 /* steps of the last call whose cycles are kept */

typedef struct {
    uint64_t cycles;      /* ap_start .. ap_done (the interrupt), summed over calls        */
    uint64_t beats;       /* minibatch beats the steps consumed (B * (1 + D/16) per step)  */
    uint64_t steps;       /* steps run                                                      */
    uint64_t calls;       /* kernel calls                                                   */
    /* the last call: cycles of step s = between the writes of records s-1 and s (step 0:
     * from ap_start, so it includes the cfg read and the model load) */
    uint32_t nlog;
    uint64_t step_cycles[LP_VKERNEL_STEP_LOG];
} lp_vkernel_perf_t;

/* Open the kernel (reset applied) for models of up to `classes` outputs (K; 0 counts as 1):
 * the smallest Verilated build with Classes >= classes (sim/kernel/kernel.mk builds one per
 * value of LP_VKERNEL_BUILDS, "1 16" by default: Classes = 1 runs the one-output models
 * ~14x faster than the 16-class engine, which runs softmax K = 2..16 and K = 1 too). seed
 * drives the memory latencies; stalls != 0 adds the random handshake stalls. trace: FST
 * waveform file or NULL. NULL + message on failure (no build has enough classes: the
 * message says how to build one). */
lp_vkernel_t *lp_vkernel_open(const char *trace, uint32_t seed, int stalls, uint32_t classes, char *err,
                              size_t errlen);

/* The Classes parameter of the build v runs (the largest K it takes). */
uint32_t lp_vkernel_classes(const lp_vkernel_t *v);

/* 0 if a kernel build linked into this program runs this (checked) configuration block
 * (open it with classes = cfg[LP_CFG_K]), else -1 and a reason in *why (static text) naming
 * what is missing and how to build it. */
int lp_vkernel_supported(const uint32_t *cfg, const char **why);

/* One kernel call (lp_sgd). perf may be NULL (else accumulated). Returns 0; LP_SGD_EBADCFG
 * when the kernel refused the cfg block (seen as stats[0] = LP_SGD_REC_BADCFG, so only when
 * nsteps > 0); -1 on a hang, an AXI protocol violation, a buffer the host refuses, a
 * non-zero status register or a lost interrupt (lp_vkernel_error says which). */
int lp_vkernel_run(lp_vkernel_t *v, const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg,
                   uint32_t nsteps, uint32_t step0, uint32_t flags, lp_vkernel_perf_t *perf);

/* s_axi_control access as the host has it (for the register-map test): 0 or -1 (hang). */
int lp_vkernel_reg_write(lp_vkernel_t *v, uint32_t addr, uint32_t value);
int lp_vkernel_reg_read(lp_vkernel_t *v, uint32_t addr, uint32_t *value);

/* The interrupt output now. */
int lp_vkernel_interrupt(lp_vkernel_t *v);

/* The memory's read latency: cycles from a taken AR to the burst's first R beat (default
 * 2; a card's DDR/HBM is ~30-300 at 300 MHz). Bursts are pipelined: every AR is due this
 * long after it was taken, whatever is still in flight. */
void lp_vkernel_set_read_latency(lp_vkernel_t *v, uint32_t cycles);

/* What the memory ports and the host do besides the default (all zero: nothing). Kept
 * until changed; bursts are counted per call from 1. */
typedef struct {
    int aw_after_w;            /* gmem1 holds AWREADY low until it sees WVALID (a legal slave:
                                  AXI4 A3.3.1 forbids the master to wait for AWREADY)        */
    uint32_t rd_err_burst[2];  /* gmem0, gmem1: this read burst (1-based, 0 none) is answered
                                  with rd_err_resp on every beat, its data not memory's       */
    uint32_t rd_err_resp;      /* RRESP: 2 SLVERR, 3 DECERR                                   */
    uint32_t wr_err_burst;     /* this gmem1 write burst (1-based, 0 none) is not written and
                                  answered with wr_err_resp                                    */
    uint32_t wr_err_resp;      /* BRESP: 2 SLVERR, 3 DECERR                                   */
    uint32_t isr_write_cycle;  /* > 0: the host presents a write of isr_write_value to ISR this
                                  many cycles after ap_start's write (AW and W together; the
                                  slave takes it the cycle after)                              */
    uint32_t isr_write_value;
    uint32_t addr_skew[4];     /* bytes added to the device address of buffer LP_ARG_DATA,
                                  _MODEL, _STATS, _CFG (the host refuses one not 64-byte
                                  aligned before ap_start ...)                                */
    int unchecked;             /* ... unless this is set: the kernel sees it                   */
    uint64_t base;             /* device address of the first buffer, 4 KiB aligned (0: the
                                  default 0x4_0000_0000, above 4 GiB); each buffer is placed
                                  a page of guard after the one before                        */
} lp_vkernel_faults_t;

/* Set (f) or clear (NULL) the faults of the following calls. */
void lp_vkernel_set_faults(lp_vkernel_t *v, const lp_vkernel_faults_t *f);

/* The last failure's message ("" if none). */
const char *lp_vkernel_error(const lp_vkernel_t *v);

void lp_vkernel_close(lp_vkernel_t *v);

#ifdef __cplusplus
}
#endif

#endif
