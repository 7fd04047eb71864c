/*
 * xrt.h - what the xrt backend offers beyond backend.h: the card list for `lpsgd devices`
 * and a look at the opened kernel for the tests. All XRT calls stay in host/backend/xrt.c.
 */
#ifndef LP_XRT_H
#define LP_XRT_H

#include <stdint.h>

#include "backend.h"
#include "sgd/lp_sgd_regmap.h"

/*
 * Why quantize and shrink refuse --backend xrt (the CLI says it before opening anything,
 * exit 2; xrt's quantize entry returns it too): the kernel on the card is the whole SGD
 * step (hls/sgd/lp_sgd.c), the quantizer inside it has no entry of its own.
 */
#define LP_XRT_NO_QUANTIZE                                                                                       \
    "the xrt backend's kernel (lp_sgd) is the whole SGD step and has no quantize-only entry: quantize and "     \
    "shrink run on --backend csim or verilator (the same bits); --backend xrt is for train, theory and selftest"

/* 1 if this lpsgd was built with XRT (Debian's libxrt-dev or $XILINX_XRT), else 0. */
int lp_xrt_built(void);

typedef struct {
    unsigned index;      /* XRT device index (what --device N takes)            */
    char name[32];       /* the card, from its shell name: "Alveo U250"        */
    char bdf[32];        /* PCIe address dddd:bb:dd.f ("" when XRT has none)    */
    char shell[256];     /* the shell (platform) the card runs, from XRT        */
    char xclbin[40];     /* uuid of the xclbin loaded on it, "" when none       */
} lp_xrt_card_t;

/*
 * Fills up to `max` cards and returns how many XRT sees (0 when there are none: not an
 * error), or -1 with err set when XRT cannot be used at all (not built in, XILINX_XRT
 * wrong). The environment XRT runs in (XILINX_XRT, XCL_EMULATION_MODE) is in *env.
 */
int lp_xrt_list(lp_xrt_card_t *cards, int max, char *env, unsigned envsize, lp_err_t *err);

/* The opened kernel's argument `arg`: its register offset and memory group (-1: scalar). */
int lp_xrt_arg_info(lp_backend_t *be, unsigned arg, uint32_t *offset, int *group, lp_err_t *err);

/* Runs started and completed since open (the tests check that every run completed). */
void lp_xrt_run_counts(lp_backend_t *be, uint64_t *started, uint64_t *completed);

/* One compute unit of the opened kernel, for the tests. */
typedef struct {
    char name[72];                /* "lp_sgd:lp_sgd_2", from the xclbin's IP_LAYOUT          */
    int group[LP_SGD_NARGS];      /* memory group of each pointer argument (-1: a scalar)    */
    uint64_t started, completed;  /* runs on this CU since open                             */
    unsigned peak;                /* most runs this CU ever had in flight at once            */
    unsigned at_once;             /* most CUs of the card ever running at the same time      */
} lp_xrt_cu_info_t;

/*
 * Compute units of lp_sgd in the xclbin the backend would load (xclbin, else
 * $LPSGD_XCLBIN, else lp_sgd.xclbin next to lpsgd), read by lpsgd's own reader without
 * XRT; 1 when it names fewer or cannot be read (opening it then says why). For `lpsgd
 * sweep`, which runs that many xrt jobs at once, each with LPSGD_XRT_CU=1, 2, ...: with
 * that variable set the backend opens only that CU.
 */
unsigned lp_xrt_xclbin_cus(const char *xclbin);

/* Fills *info for CU cu (0-based) and returns how many CUs the backend opened. */
unsigned lp_xrt_cu_info(lp_backend_t *be, unsigned cu, lp_xrt_cu_info_t *info);

/*
 * Tests only (XRT's noop shim completes every run, so a hung kernel cannot happen there):
 * from now on every wait for a run reports ert_cmd_state `wait_state` and every abort
 * `abort_state` instead of XRT's answer (0: XRT's own, the default).
 */
void lp_xrt_test_pretend(int wait_state, int abort_state);

/*
 * Tests only (the noop shim's kernel computes nothing and XRT's buffers are 4 KiB-aligned):
 * from now on the kernel's status register reads as `status` ORed in after every completed
 * run, and every buffer's device address as `addr_skew` bytes past XRT's (0, 0: as they are).
 */
void lp_xrt_test_pretend_kernel(uint32_t status, uint32_t addr_skew);

/* Buffers close() kept allocated, since a run that may still write them never confirmed it stopped. */
unsigned lp_xrt_buffers_kept(void);

/* 1 when XRT runs on its noop shim (XCL_EMULATION_MODE=noop): the kernel computes nothing. */
int lp_xrt_is_noop(void);

#endif
