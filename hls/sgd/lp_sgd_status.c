/*
 * lp_sgd_status.c - host side of the RTL kernel's status register (LP_REG_STATUS,
 * hls/sgd/lp_sgd_regmap.h): one message for what went wrong, and the buffer-address check
 * every backend makes before it hands a pointer to the kernel. Not part of the HLS kernel
 * (v++ compiles lp_sgd.c only); the Verilator harness and the xrt backend share it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "lp_sgd_regmap.h"

const char *lp_sgd_status_msg(uint32_t status, char *buf, size_t size)
{
    static const char *const chan[3] = {"gmem0 read (minibatch rows)", "gmem1 read (cfg, model load)",
                                        "gmem1 write (records, model store)"};
    static const char *const resp[4] = {"OKAY", "EXOKAY", "SLVERR", "DECERR"};
    size_t n = 0;
    buf[0] = '\0';
    if (!status)
        return buf;
    n += (size_t)snprintf(buf, size, "the kernel reported status 0x%03" PRIX32 ":", status);
    for (unsigned c = 0; c < 3 && n < size; c++)
        if (status >> c & 1)
            n += (size_t)snprintf(buf + n, size - n, " %s answered %s;", chan[c],
                                  resp[status >> LP_SGD_ST_RESP_SHIFT(c) & 3]);
    if (status & LP_SGD_ST_ALIGN && n < size)
        n += (size_t)snprintf(buf + n, size - n, " a buffer address is not %u-byte aligned, the call ran nothing;",
                              LP_SGD_ADDR_ALIGN);
    if (n < size)
        snprintf(buf + n, size - n, " the results of this call are not usable");
    return buf;
}

int lp_sgd_check_addr(const char *name, uint64_t addr, char *msg, size_t size)
{
    if (addr % LP_SGD_ADDR_ALIGN == 0)
        return 0;
    snprintf(msg, size,
             "the %s buffer's device address 0x%" PRIx64 " is not %u-byte aligned: the kernel moves whole "
             "%u-byte AXI beats and refuses it",
             name, addr, LP_SGD_ADDR_ALIGN, LP_SGD_ADDR_ALIGN);
    return -1;
}
