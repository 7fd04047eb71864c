/*
 * lp_stream.h - how the host streams training to the SGD kernel on a card with one or
 * more compute units (CUs), whatever runs the card: the buffer layout (one model and one
 * cfg buffer per CU, two data/stats slots per CU), the memory bank of each argument group,
 * the seven arguments of a run, double buffering, the rule that a buffer a run may still
 * use is never freed nor reused, and independent jobs dispatched across CUs with one run
 * in flight per CU. Only the device calls differ between backends: they come in a small
 * table (lp_dev_ops_t). Its users: the xrt backend (host/backend/xrt.c), the virtual card
 * (host/backend/vcard.c) and the opencl backend (host/backend/opencl.c, one CU).
 *
 * Threading: none. Every call comes from one thread; CUs run in parallel on the device.
 */
#ifndef LP_STREAM_H
#define LP_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "sgd/lp_sgd.h"

#define LP_STREAM_MAX_CUS 16 /* CUs of lp_sgd a card may hold (lp_xclbin.h names as many) */
#define LP_STREAM_SLOTS 2    /* data/stats buffers and runs per CU: double buffering     */

/* A device buffer: handle and host mapping as the device ops made them. */
typedef struct {
    void *h;     /* the device's handle (xrtBufferHandle, ...); NULL: none */
    void *map;   /* host view of the whole buffer                          */
    size_t size; /* bytes                                                  */
} lp_dbuf_t;

/* What a device's wait reports. */
enum {
    LP_DEV_DONE = 0,   /* the run completed and the kernel's status register is 0           */
    LP_DEV_ENDED = 1,  /* the run left the card but failed (err says how): buffers free again */
    LP_DEV_STUCK = 2,  /* the run did not finish in time (err says so): still on the card     */
};

/*
 * The device calls. dev is the backend's own state; cu indexes the CUs (0..ncu-1), slot
 * the runs of a CU (0..LP_STREAM_SLOTS-1, each a run object of its own on the device).
 * Every call but release returns 0, or -1 (LP_DEV_* for wait) with err set.
 */
typedef struct {
    /* a zeroed buffer of `size` bytes in memory bank `bank`, for argument `what` */
    int (*alloc)(void *dev, lp_dbuf_t *b, size_t size, int bank, const char *what, lp_err_t *err);
    /* free b; keep: a run may still write it, so never free it while the process runs */
    void (*release)(void *dev, lp_dbuf_t *b, int keep);
    /* the first `bytes` of b to the device (to_device) or back */
    int (*sync)(void *dev, lp_dbuf_t *b, int to_device, size_t bytes, lp_err_t *err);
    /* set the kernel's arguments (bufs in lp_sgd_regmap.h order, then nsteps, step0,
       flags) for run `slot` of CU cu and start it */
    int (*start)(void *dev, unsigned cu, unsigned slot, lp_dbuf_t *const bufs[4], const uint32_t scalars[3],
                 lp_err_t *err);
    /* wait for that run: LP_DEV_DONE, LP_DEV_ENDED or LP_DEV_STUCK */
    int (*wait)(void *dev, unsigned cu, unsigned slot, lp_err_t *err);
    /* abort a stuck or still running run: 1 when the device confirms it stopped, else 0;
       what gets the device's word for how it ended (for the message) */
    int (*abort)(void *dev, unsigned cu, unsigned slot, char *what, size_t whatsize);
} lp_dev_ops_t;

typedef struct {
    lp_dbuf_t data, stats;
    uint32_t nsteps;
    int busy; /* started and not known to have left the card: its buffers are the kernel's */
} lp_slot_t;

typedef struct {
    lp_dbuf_t model, cfg;
    lp_slot_t slot[LP_STREAM_SLOTS];
    unsigned head, count; /* oldest outstanding slot, outstanding runs */
    uint32_t cfgw[LP_SGD_CFG_WORDS];
    int loaded;
    uint64_t started, completed;
    unsigned peak; /* most runs in flight at once (for the tests)  */
} lp_cu_t;

typedef struct {
    const lp_dev_ops_t *ops;
    void *dev;
    const char *name;         /* the backend, for messages: "xrt"                  */
    unsigned ncu;
    int bank[LP_STREAM_MAX_CUS][LP_SGD_NARGS]; /* memory bank per CU and argument      */
    lp_cu_t cu[LP_STREAM_MAX_CUS];
    int wedged;               /* a run did not stop after an abort: run nothing more */
    unsigned peak_cus;        /* most CUs with a run in flight at once (for the tests) */
    char cuname[LP_STREAM_MAX_CUS][72]; /* "lp_sgd:lp_sgd_1", for messages            */
} lp_stream_t;

/* Set up s for ncu CUs (names[i] for messages); banks are set with lp_stream_bank. */
void lp_stream_init(lp_stream_t *s, const lp_dev_ops_t *ops, void *dev, const char *name, unsigned ncu,
                    const char *const *names);
void lp_stream_bank(lp_stream_t *s, unsigned cu, unsigned arg, int bank);

/* The training entries of backend.h, on CU cu (same contracts, two runs outstanding). */
int lp_stream_load(lp_stream_t *s, unsigned cu, const uint32_t *cfg, const float *model, lp_err_t *err);
int lp_stream_submit(lp_stream_t *s, unsigned cu, const uint32_t *data, uint32_t nsteps, uint32_t step0,
                     lp_err_t *err);
int lp_stream_wait(lp_stream_t *s, unsigned cu, uint32_t *records, lp_err_t *err);
int lp_stream_read(lp_stream_t *s, unsigned cu, float *model, lp_err_t *err);

/* Independent jobs across every CU, one run in flight per CU (backend.h train_jobs). */
int lp_stream_jobs(lp_stream_t *s, lp_train_job_t *jobs, unsigned njobs, lp_err_t *err);

/* Waits for runs still outstanding (unless wedged), then releases every buffer, keeping
   those a run may still write. */
void lp_stream_close(lp_stream_t *s);

/* Runs started and completed over all CUs. */
void lp_stream_counts(const lp_stream_t *s, uint64_t *started, uint64_t *completed);

#endif
