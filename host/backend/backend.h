/*
 * backend.h - one interface, four backends: the C model (csim), the Verilated RTL
 * (verilator), an Alveo card (xrt) and an OpenCL device (opencl: the same kernel source as
 * OpenCL C, docs/opencl.md). The CLI and the training loop only talk to this.
 *
 * Every backend returns bit-identical results for the same inputs (docs/design.md contract 1):
 * the csim backend *is* the golden model, the others are checked against it.
 *
 * All functions return 0 on success; on failure a non-zero value and a message in
 * err->msg naming what failed and what to do about it.
 */
#ifndef LP_BACKEND_H
#define LP_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quant/lp_quant.h"
#include "quant/lp_quant_vec.h"
#include "stats/lp_stats.h"

typedef struct {
    char msg[512];
} lp_err_t;

/* printf into err->msg; returns -1 so call sites can `return lp_fail(err, ...)`. */
int lp_fail(lp_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct {
    const char *device; /* xrt: card index or BDF ("0", "0000:65:00.1"); opencl: "P:D"   */
                        /* or a piece of the platform/device name; NULL = first          */
    const char *xclbin; /* xrt, opencl on XRT: the xclbin; NULL = the default next to lpsgd */
    const char *trace;  /* verilator: write an FST waveform here; NULL = none            */
    unsigned lanes;     /* verilator: lanes of the model to use; 0 = the default build   */
    const char *card;   /* vcard: the card preset "u250", "u280", "u55c"; NULL = u250     */
    unsigned cus;       /* vcard: compute units to instantiate; 0 = all the cfg names     */
    const char *pcie;   /* vcard: "gen3x16" or "gen4x8"; NULL = gen3x16                    */
} lp_backend_opts_t;

typedef struct lp_backend lp_backend_t; /* each backend's own state */

/*
 * One independent training job for train_jobs: train_load(cfg, model), `chunks` runs of
 * `steps` steps (run k on data + k * steps * B rows, step0 = k * steps), train_read.
 */
typedef struct {
    const uint32_t *cfg;   /* LP_SGD_CFG_WORDS words (checked by the backend)             */
    const float *model;    /* the initial model, LP_SGD_MODEL_WORDS(K, D) floats          */
    const uint32_t *data;  /* chunks * steps * B rows of LP_SGD_ROW_WORDS(D) words        */
    uint32_t chunks, steps;
    uint32_t *records;     /* out: chunks * steps records of LP_SGD_REC_WORDS words       */
    float *model_out;      /* out: the final model                                        */
    unsigned unit;         /* out: the compute unit that ran the job (0-based)            */
} lp_train_job_t;

/* The shape of a finished training run, for a backend's report (below). */
typedef struct {
    uint64_t steps;           /* steps run in this process            */
    uint32_t steps_per_epoch;
    uint32_t batch;           /* rows per step                        */
    uint32_t D;               /* padded row length (words; 0: unknown) */
} lp_run_shape_t;

typedef struct lp_backend_ops {
    const char *name;    /* "csim", "verilator", "xrt"                     */
    const char *summary; /* one line for --help                            */
    int (*open)(lp_backend_t **be, const lp_backend_opts_t *opts, lp_err_t *err);
    void (*close)(lp_backend_t *be);

    /*
     * The quantizer kernel on one vector: exactly lp_quantize_vec's contract
     * (hls/quant/lp_quant_vec.h). codes and scale_k may be NULL.
     */
    int (*quantize)(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                    uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err);

    /*
     * Optional: the quantizer kernel on a vector that arrives in chunks, exactly
     * lp_qv_stream_chunk's contract (hls/quant/lp_quant_vec.h): s from lp_qv_stream_begin,
     * chunks in order, each but the last a multiple of LP_QV_STREAM_ALIGN elements; s carries
     * the documented order's partial sums, so lp_qv_stream_end gives the statistics, and the
     * results are one quantize call's bit for bit. NULL: whole vectors only (`lpsgd quantize`
     * then holds the whole tensor in memory for this backend). `lpsgd quantize` passes g in
     * place in a mapping of its input and calls this inside lp_map_guard (host/io/lp_file.h):
     * a file that shrinks meanwhile ends the call at the read of g, so an implementation
     * holds no lock and owns no resource of its own while it reads g (csim's computes only).
     */
    int (*quantize_chunk)(lp_backend_t *be, lp_qv_stream_t *s, const float *g, float *gq, uint32_t *codes,
                          int32_t *scale_k, uint32_t len, lp_err_t *err);

    /* Clock cycles the device spent since open (0 where there is no clock, as in csim). */
    uint64_t (*cycles)(lp_backend_t *be);

    /*
     * Training: the SGD kernel (hls/sgd/lp_sgd.h has the buffers' layout, the step and
     * the record format; lp_sgd_regmap.h the arguments). Optional: a backend that cannot
     * train leaves all four NULL, and the trainer says "backend X cannot train yet".
     *
     * train_load     set the configuration block (LP_SGD_CFG_WORDS words, already checked
     *                with lp_sgd_check_cfg) and load the model (LP_SGD_MODEL_WORDS(K, D)
     *                floats: weights + state) into the kernel (LP_SGD_FLAG_LOAD).
     * train_submit   start nsteps steps, global indices step0.., on `data` (nsteps * B
     *                rows of LP_SGD_ROW_WORDS(D) words). May return before the steps are
     *                done: `data` must stay untouched until the matching train_wait, so
     *                the caller can fill a second buffer meanwhile (double buffering).
     *                At most train_depth runs are outstanding (0 means 1); with 2 the
     *                trainer submits chunk c + 1 before it waits for chunk c, so the
     *                device's copy of c + 1 overlaps c's run (the device still runs them
     *                one after the other, in order).
     * train_wait     wait for the submitted run; copy its nsteps records
     *                (LP_SGD_REC_WORDS words each) to `records`.
     * train_read     copy the model (weights + state) out of the kernel (LP_SGD_FLAG_STORE,
     *                nsteps = 0); no run may be outstanding.
     * Steps run in submission order and the model stays in the kernel between runs, so
     * the results are those of one long run: bit-identical across backends (contract 1).
     */
    int (*train_load)(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err);
    int (*train_submit)(lp_backend_t *be, const uint32_t *data, uint32_t nsteps, uint32_t step0, lp_err_t *err);
    int (*train_wait)(lp_backend_t *be, uint32_t *records, lp_err_t *err);
    int (*train_read)(lp_backend_t *be, float *model, lp_err_t *err);
    unsigned train_depth; /* runs train_submit may have outstanding: 0 or 1 one, 2 two */

    /*
     * Optional: independent jobs on a device with several compute units (an xclbin with
     * CUs lp_sgd_1, lp_sgd_2, ...). units: how many (NULL: 1). train_jobs runs the jobs
     * in any order across the units, each unit one run at a time, so N jobs on N units
     * take about the time of one; each job's records and model are those train_load,
     * train_submit/train_wait and train_read would give it alone (bit for bit). No run
     * may be outstanding. The model left in the kernels is not defined afterwards: load
     * again before train_submit.
     */
    unsigned (*units)(lp_backend_t *be);
    int (*train_jobs)(lp_backend_t *be, lp_train_job_t *jobs, unsigned njobs, lp_err_t *err);

    /*
     * Optional: NULL when the backend runs this (checked) configuration block, else why not
     * (static text; train_load refuses it with the same words). lpsgd selftest skips, and
     * says so, the jobs a backend refuses this way. NULL op: every cfg runs.
     */
    const char *(*unsupported)(lp_backend_t *be, const uint32_t *cfg);

    /*
     * Optional: after training, what the device measured (a simulated card: time per
     * step, bandwidths, the bottleneck), as text lines or (json) one JSON object, on out.
     */
    void (*report)(lp_backend_t *be, const lp_run_shape_t *run, int json, FILE *out);
    /* Optional, with report: the same as a PNG (host/plot); 0, or -1 with err set. */
    int (*report_plot)(lp_backend_t *be, const lp_run_shape_t *run, const char *png, lp_err_t *err);
} lp_backend_ops_t;

/* The backend called `name`, or NULL (err says which backends exist). */
const lp_backend_ops_t *lp_backend_find(const char *name, lp_err_t *err);

/* Comma-separated names of the backends built into this program. */
const char *lp_backend_names(void);

#endif
