/*
 * vcard.h - what the vcard backend (host/backend/vcard.c, the virtual Alveo card of
 * sim/vcard) offers beyond backend.h: its refusals, and the report that turns the card's
 * counters into time per step and epoch, GB/s per kernel port and memory channel, PCIe
 * utilisation, the bottleneck and a projection for 1..N compute units (vcard_report.c; the
 * rules are in docs/vcard.md). No SystemC here: the report is plain arithmetic.
 */
#ifndef LP_VCARD_HOST_H
#define LP_VCARD_HOST_H

#include <stdint.h>
#include <stdio.h>

#include "backend.h"

/* printf format: K, the largest Classes built */
#define LP_VCARD_NO_SOFTMAX                                                                                      \
    "softmax with K = %u classes needs a compute unit built with Classes >= %u, and this lpsgd's virtual "     \
    "card has Classes <= %u only (its 'verilator --sc' builds, LP_VCARD_BUILDS in sim/vcard/vcard.mk; the "   \
    "default, make LP_VKERNEL_BUILDS=\"1 16\", has both). Use --backend csim for softmax here"
#define LP_VCARD_NO_QUANTIZE                                                                                     \
    "the virtual card's kernel (lp_sgd) is the whole SGD step and has no quantize-only entry: quantize and "    \
    "shrink run on --backend csim or verilator (the same bits); --backend vcard is for train and selftest"
#define LP_VCARD_MISSING                                                                                         \
    "vcard: this lpsgd was built without the virtual card (it needs Verilator and SystemC: Debian's verilator " \
    "and libsystemc-dev, sudo make deps; the ASan/UBSan build leaves it out); install them and rebuild with make"

#define LP_VC_MAX_BANKS 40
#define LP_VC_MAX_CUS 16

/* 1 if this lpsgd has the virtual card, else 0. */
int lp_vc_built(void);

/* The card's counters after a run, as the backend reads them (CU 0 ran the training). */
typedef struct {
    const char *card;
    unsigned ncu, nbanks;
    double clock_mhz, sim_seconds;
    double host_seconds;     /* CPU time of lpsgd outside the simulation since open         */
    uint64_t cycles;         /* CU 0: ap_start..interrupt, summed over its runs              */
    uint64_t port_bytes[3];  /* CU 0: gmem0 read, gmem1 read, gmem1 write                    */
    struct {
        const char *name;    /* "DDR[0]"                                                     */
        uint64_t bytes;      /* read + written, kernels and DMA                              */
        double busy_s, gbps; /* time moving bytes; peak rate                                 */
    } bank[LP_VC_MAX_BANKS];
    uint32_t arg_bank[LP_VC_MAX_CUS][4]; /* bank of each CU's data, model, stats, cfg        */
    uint64_t pcie_bytes[2];              /* host -> card, card -> host                       */
    double pcie_busy_s[2];
} lp_vc_facts_t;

/* The figures report() prints (also for the tests of the arithmetic). */
typedef struct {
    double step_s, epoch_s, kernel_s, chan_s, pcie_s, host_s; /* simulated (host: wall) per step */
    int chan;                                                  /* the busiest channel, -1: none   */
    char bottleneck[64], card_bottleneck[64];
    double proj_sps[LP_VC_MAX_CUS];      /* samples/s with 1..ncu CUs                          */
    char proj_limit[LP_VC_MAX_CUS][64];  /* what limits each                                   */
    double card_sps[LP_VC_MAX_CUS];      /* the same for the card alone (no host term)         */
    char card_limit[LP_VC_MAX_CUS][64];
    double bound_sps; /* one CU's one-port bound: clock / (1 + D/16) rows per second (0: D unknown) */
} lp_vc_figures_t;

void lp_vc_figures(const lp_vc_facts_t *f, const lp_run_shape_t *run, lp_vc_figures_t *g);

/* The figures as text lines or as one JSON object on out. */
void lp_vc_report(const lp_vc_facts_t *f, const lp_run_shape_t *run, int json, FILE *out);

/* The figures as a PNG (host/plot): where a step's time goes, and the projection for 1..N
   CUs with and without the host. 0, or -1 with err set. */
int lp_vc_plot(const lp_vc_facts_t *f, const lp_run_shape_t *run, const char *png, lp_err_t *err);

#endif
