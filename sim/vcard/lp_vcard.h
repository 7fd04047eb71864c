/*
 * lp_vcard.h - C ABI of the virtual Alveo card (sim/vcard, SystemC 2.3 + TLM-2.0): N compute
 * units, each the Verilated RTL kernel top (rtl/kernel/lp_sgd.sv built with `verilator --sc`:
 * one model per Classes build, a run clocking the smallest that holds its K), behind AXI4 <-> TLM-2.0 bridges into one TLM-2.0 target per memory channel
 * (DDR4 or HBM2 pseudo-channel: latency and a token-bucket bandwidth), and a PCIe DMA engine
 * between host memory and the channels. The calls are shaped like XRT's device calls: open a
 * card, allocate a buffer in a bank, copy to/from it (the DMA model: blocking, simulated time
 * advances and the compute units run meanwhile), set a compute unit's arguments, start it,
 * wait for it. The card's CU -> SLR -> bank map is read from a v++ connectivity file
 * (constraints/<card>.cfg). docs/vcard.md describes the model and its sources.
 *
 * SystemC elaborates once per process: one card may be opened per process (a second open,
 * even after a close, fails with a message saying so).
 */
#ifndef LP_VCARD_H
#define LP_VCARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lp_vcard lp_vcard_t;

#define LP_VCARD_MAX_CUS 16
#define LP_VCARD_MAX_BANKS 40 /* u280: 32 HBM pseudo-channels + 2 DDR4 */

typedef struct {
    const char *card;        /* "u250", "u280", "u55c"                                        */
    const char *cfg;         /* v++ connectivity file; NULL: constraints/<card>.cfg              */
    uint32_t cus;            /* compute units used, 1..the cfg's nk count; 0: all of them       */
    const char *pcie;        /* "gen3x16" (default when NULL) or "gen4x8"                        */
    int ideal_memory;        /* 1: channels of zero latency and unbounded bandwidth              */
    uint32_t fabric_latency; /* cycles from an AR to its first R beat before memory adds its own
                                (lp_vkernel's read latency; 0 means 2, lp_vkernel's default)     */
    uint32_t seed;           /* as lp_vkernel_open: the AXI ports' random stalls' seed ...        */
    int stalls;              /* ... and whether they are on                                       */
    int aw_after_w;          /* 1: gmem1 holds AWREADY until it sees WVALID (a legal slave, as
                                lp_vkernel_faults_t's): a master waiting for AWREADY before WVALID
                                fails the run by name instead of passing on a lenient slave        */
} lp_vcard_opts_t;

/* Open the card (SystemC elaborated, the compute units reset, interrupts enabled as XRT does).
 * NULL + message on failure: unknown card, a cfg that does not parse or names a bank the card
 * has not got, more CUs than the cfg instantiates, a second card in this process. */
lp_vcard_t *lp_vcard_open(const lp_vcard_opts_t *o, char *err, size_t errlen);

uint32_t lp_vcard_cus(const lp_vcard_t *c);
/* The largest K (classes) the compute units run: the largest Classes build linked in. */
uint32_t lp_vcard_max_classes(const lp_vcard_t *c);
uint32_t lp_vcard_banks(const lp_vcard_t *c);
/* "DDR[1]", "HBM[7]" */
const char *lp_vcard_bank_name(const lp_vcard_t *c, uint32_t bank);
/* The bank of compute unit cu's argument arg (LP_ARG_*: the cfg's sp= line, else bank 0). */
uint32_t lp_vcard_arg_bank(const lp_vcard_t *c, uint32_t cu, uint32_t arg);
/* The SLR the cfg places compute unit cu in (slr=; 0 when none). */
uint32_t lp_vcard_cu_slr(const lp_vcard_t *c, uint32_t cu);
/* Compute unit cu's name in the cfg ("lp_sgd_1"; "?" for none). */
const char *lp_vcard_cu_name(const lp_vcard_t *c, uint32_t cu);
/* The channel's peak rate, GB/s (10^9 bytes/s; 0 for no such bank): for the host's report. */
double lp_vcard_bank_gbps(const lp_vcard_t *c, uint32_t bank);

/* A buffer of size bytes in bank (4 KiB aligned, its bytes 0 until written): 0 and its
 * device address in *addr, or -1 (the bank's capacity exhausted). */
int lp_vcard_alloc(lp_vcard_t *c, uint32_t bank, uint64_t size, uint64_t *addr);

/* Host -> card and card -> host copies through the PCIe DMA model (XRT's sync_bo): 0, or -1
 * when the range is not inside one buffer. */
int lp_vcard_write(lp_vcard_t *c, uint64_t addr, const void *src, uint64_t n);
int lp_vcard_read(lp_vcard_t *c, uint64_t addr, void *dst, uint64_t n);

/* Compute unit cu's argument (LP_ARG_*: a device address for the pointers, else the scalar),
 * written through s_axi_control when the run starts. */
int lp_vcard_set_arg(lp_vcard_t *c, uint32_t cu, uint32_t arg, uint64_t value);
/* Start a run on cu (one in flight per CU) / wait for it: 0, or -1 (lp_vcard_error says why:
 * an AXI protocol violation, a hang, the kernel's status register, a lost interrupt). */
int lp_vcard_start(lp_vcard_t *c, uint32_t cu);
int lp_vcard_wait(lp_vcard_t *c, uint32_t cu);

typedef struct {
    double sim_seconds;                       /* simulated time since open                    */
    double clock_mhz;                         /* the kernels' clock (the cfg's kernel_frequency) */
    uint64_t runs[LP_VCARD_MAX_CUS];          /* runs finished per CU                          */
    uint64_t cycles[LP_VCARD_MAX_CUS];        /* ap_start .. interrupt, summed over its runs   */
    uint64_t last_cycles[LP_VCARD_MAX_CUS];   /* the same, its last run                         */
    uint64_t port_bytes[LP_VCARD_MAX_CUS][3]; /* beats' bytes: gmem0 read, gmem1 read, gmem1 write */
    uint64_t bank_rd_bytes[LP_VCARD_MAX_BANKS], bank_wr_bytes[LP_VCARD_MAX_BANKS]; /* kernels and DMA */
    double bank_busy_s[LP_VCARD_MAX_BANKS];   /* time each channel spent moving bytes            */
    uint64_t pcie_bytes[2];                   /* host -> card, card -> host                      */
    double pcie_busy_s[2];                    /* simulated time the DMA was busy each way        */
} lp_vcard_perf_t;

void lp_vcard_perf(const lp_vcard_t *c, lp_vcard_perf_t *p);

/* Test-only: plant a protocol violation between CU cu's kernel pins and its checker, to show
 * the checker fails the run with its message. 0 none; 1 the first write burst's WLAST
 * dropped; 2 the first gmem0 AR's ARLEN raised so the burst crosses a 4 KiB page; 3 gmem0's
 * first AR: ARREADY held low until it is offered and ARADDR changed while it waits; 4 WVALID
 * hidden from the checker while an AW waits (a master that waits for AWREADY: fails with
 * aw_after_w on); 5 s_axi_control's RVALID raised once with no read outstanding. */
enum {
    LP_VCARD_PLANT_NONE,
    LP_VCARD_PLANT_NO_WLAST,
    LP_VCARD_PLANT_CROSS_4K,
    LP_VCARD_PLANT_AR_CHANGE,
    LP_VCARD_PLANT_W_AFTER_AW,
    LP_VCARD_PLANT_LITE_RVALID
};
void lp_vcard_plant(lp_vcard_t *c, uint32_t cu, int plant);

const char *lp_vcard_error(const lp_vcard_t *c);
void lp_vcard_close(lp_vcard_t *c);

#ifdef __cplusplus
}
#endif

#endif
