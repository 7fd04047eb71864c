/*
 * xrt_run.h - kernel runs through XRT's C++ API (xrt::run), for host/backend/xrt.c.
 *
 * Why C++: Debian's XRT 2.13 has no xrtRunAbort in its C API, only xrt::run::abort().
 * A run that did not finish in time must be aborted, and the backend must know whether
 * the abort confirmed that the kernel no longer works on that run's buffers before it
 * frees or reuses any of them. Nothing here throws: XRT's exceptions become -1 and a
 * message.
 */
#ifndef LP_XRT_RUN_H
#define LP_XRT_RUN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lp_xrun lp_xrun_t;

/* What lp_xrun_abort reports besides an ert_cmd_state. */
enum { LP_XRUN_ABORT_PENDING = -2, LP_XRUN_ABORT_FAILED = -1 };

/*
 * A run of kernel `name` of the xclbin `uuid` (16 bytes) on the card whose XRT device
 * (xrtDeviceToXclDevice) is xcl; NULL with msg on failure.
 */
lp_xrun_t *lp_xrun_open(void *xcl, const unsigned char *uuid, const char *name, char *msg, size_t msgsize);

/* Set the arguments (buffers as xrtBufferHandle, then 32-bit scalars) and start. 0 or -1. */
int lp_xrun_start(lp_xrun_t *r, void *const *bufs, unsigned nbufs, const uint32_t *scalars, unsigned nscalars,
                  char *msg, size_t msgsize);

/* Wait up to ms milliseconds: the run's ert_cmd_state (ERT_CMD_STATE_COMPLETED = 4), -1 on error. */
int lp_xrun_wait(lp_xrun_t *r, unsigned ms, char *msg, size_t msgsize);

/*
 * Abort the run (xrt::run::abort) and wait up to ms milliseconds for XRT to say how it
 * ended: its ert_cmd_state, LP_XRUN_ABORT_PENDING when XRT did not answer in time (the
 * abort goes on in the background), LP_XRUN_ABORT_FAILED with msg when XRT refused.
 */
int lp_xrun_abort(lp_xrun_t *r, unsigned ms, char *msg, size_t msgsize);

void lp_xrun_close(lp_xrun_t *r);

#ifdef __cplusplus
}
#endif

#endif
