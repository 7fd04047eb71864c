/*
 * lp_sgd_regmap.h - the SGD kernel's argument list and AXI4-Lite register map, in one
 * place. The HLS kernel signature, the RTL kernel's s_axi_control, kernel.xml for
 * package_xo, the xrt backend and the xclbin test fixture all read this table.
 *
 * Register map (ap_ctrl_hs, Vitis HLS layout):
 *   0x00 control: bit 0 ap_start, 1 ap_done, 2 ap_idle, 3 ap_ready, 7 auto_restart
 *   0x04 global interrupt enable   0x08 IP interrupt enable   0x0C IP interrupt status
 *   0x10 onward: the arguments below; a pointer is 64 bits (low word, high word) plus a
 *   reserved word (stride 12), a 32-bit scalar one word plus a reserved word (stride 8).
 *   0x58 status (RTL kernel, read only): what went wrong in the last call, LP_SGD_ST_*.
 *   Cleared when a call starts (ap_start taken), set during it, valid from ap_done until
 *   the next start; host writes are ignored. A call that ends with a non-zero status has
 *   ap_done like any other but no usable results: every backend that runs the kernel
 *   reads it after ap_done and reports an error (lp_sgd_status_msg). The HLS top and the C
 *   model have no AXI and no such register: their status is 0.
 */
#ifndef LP_SGD_REGMAP_H
#define LP_SGD_REGMAP_H

#define LP_SGD_KERNEL_NAME "lp_sgd"

#define LP_REG_CTRL 0x00u
#define LP_REG_GIE 0x04u
#define LP_REG_IER 0x08u
#define LP_REG_ISR 0x0Cu
#define LP_CTRL_START 0x01u
#define LP_CTRL_DONE 0x02u
#define LP_CTRL_IDLE 0x04u
#define LP_CTRL_READY 0x08u
#define LP_REG_STATUS 0x58u

/* LP_REG_STATUS bits. Per AXI channel: a response other than OKAY was seen (the data of
 * that beat or burst is not to be trusted; the call goes on to ap_done), and the 2-bit
 * code (AXI xRESP: 1 EXOKAY, 2 SLVERR, 3 DECERR) of the first such response. */
#define LP_SGD_ST_GMEM0_RD 0x001u    /* gmem0 read (the minibatch rows): RRESP != OKAY     */
#define LP_SGD_ST_GMEM1_RD 0x002u    /* gmem1 read (cfg, model load): RRESP != OKAY        */
#define LP_SGD_ST_GMEM1_WR 0x004u    /* gmem1 write (records, model store): BRESP != OKAY  */
#define LP_SGD_ST_ALIGN 0x008u       /* a pointer argument is not LP_SGD_ADDR_ALIGN-aligned:
                                        the call was refused at ap_start, nothing read or
                                        written (the masters move whole 64-byte beats)     */
#define LP_SGD_ST_RESP_SHIFT(ch) (4u + 2u * (ch)) /* ch 0, 1, 2: the bits above, in order  */
#define LP_SGD_ADDR_ALIGN 64u        /* every buffer's device address: one AXI beat         */

/* Argument indices (the order of the kernel's C signature and of xrtKernelArg*). */
enum {
    LP_ARG_DATA = 0,   /* const u32 *data  : minibatch rows (gmem0), read                  */
    LP_ARG_MODEL = 1,  /* float *model     : model in/out (gmem1)                          */
    LP_ARG_STATS = 2,  /* u32 *stats       : one lp_step_record_t per step (gmem1), write  */
    LP_ARG_CFG = 3,    /* const u32 *cfg   : the configuration block (gmem1), read         */
    LP_ARG_NSTEPS = 4, /* u32 nsteps       : SGD steps in this call                        */
    LP_ARG_STEP0 = 5,  /* u32 step0        : global index of the first step (SR, schedule) */
    LP_ARG_FLAGS = 6,  /* u32 flags        : LP_SGD_FLAG_*                                 */
    LP_SGD_NARGS = 7
};

#define LP_SGD_FLAG_LOAD 1u  /* read the model from `model` into on-chip memory first */
#define LP_SGD_FLAG_STORE 2u /* write the on-chip model to `model` at the end         */

typedef struct {
    const char *name;      /* argument name in the kernel signature and kernel.xml */
    unsigned offset;       /* byte offset in s_axi_control                         */
    unsigned size;         /* bytes: 8 for pointers, 4 for scalars                 */
    unsigned is_pointer;   /* 1: global memory buffer, 0: scalar                   */
    const char *bundle;    /* m_axi bundle (port) for pointers, "" for scalars     */
    const char *c_type;    /* type in kernel.xml                                   */
} lp_sgd_arg_t;

#ifndef __OPENCL_C_VERSION__ /* a program-scope table is __constant there; no kernel reads it */
static const lp_sgd_arg_t lp_sgd_args[LP_SGD_NARGS] = {
    {"data", 0x10, 8, 1, "gmem0", "uint*"},   {"model", 0x1C, 8, 1, "gmem1", "float*"},
    {"stats", 0x28, 8, 1, "gmem1", "uint*"},  {"cfg", 0x34, 8, 1, "gmem1", "uint*"},
    {"nsteps", 0x40, 4, 0, "", "uint"},       {"step0", 0x48, 4, 0, "", "uint"},
    {"flags", 0x50, 4, 0, "", "uint"},
};
#endif

#define LP_SGD_REG_SPAN 0x5Cu /* bytes of s_axi_control used */

#ifndef __OPENCL_C_VERSION__
#include <stddef.h>
#include <stdint.h>

/* Host side (hls/sgd/lp_sgd_status.c, not part of the kernel): the status register's
 * meaning as one sentence in buf ("" for 0); returns buf. */
const char *lp_sgd_status_msg(uint32_t status, char *buf, size_t size);

/* 0 if buffer `name`'s device address is LP_SGD_ADDR_ALIGN-aligned; else -1 and why in msg. */
int lp_sgd_check_addr(const char *name, uint64_t addr, char *msg, size_t size);
#endif

#endif
