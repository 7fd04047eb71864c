/*
 * train.h - the training loop on top of the backend interface (host/backend/backend.h):
 * packs minibatches in the kernel's row layout (hls/sgd/lp_sgd.h), streams them to the
 * backend in chunks (double-buffered), turns the per-step records into statistics, logs,
 * evaluations and checkpoints. Nothing here depends on which backend runs the steps.
 *
 * Determinism: the whole run is a function of (data, options, seed). Epoch e visits the
 * training rows in the order of a Fisher-Yates shuffle drawn from lp_sr_hash(seed ^
 * LP_TRAIN_SHUFFLE_SALT, e, i); step k of the run is minibatch k % S of epoch k / S
 * (S = floor(n_train / B) steps per epoch; the n_train % B rows left over in an epoch's
 * order are skipped that epoch). Chunk sizes, evaluation points and checkpoints never
 * change a bit of the model, so a resumed run is bit-identical to an uninterrupted one.
 */
#ifndef LP_TRAIN_H
#define LP_TRAIN_H

#include <stdint.h>
#include <stdio.h>

#include "backend/backend.h"
#include "data/dataset.h"
#include "sgd/lp_sgd.h"

#define LP_TRAIN_SHUFFLE_SALT 0x5EEDF00Du
#define LP_TRAIN_SPEC_MAX 256
#define LP_TRAIN_MAX_EPOCHS 1000000u /* --epochs 1..this                              */
#define LP_TRAIN_MAX_CHUNK 4096u     /* --chunk 1..this (0 in lp_train_opts_t: 64)    */

typedef struct {
    char data_spec[LP_TRAIN_SPEC_MAX]; /* --data, as given                                  */
    uint32_t model;                    /* LP_MODEL_*                                        */
    lp_qcfg_t q;                       /* format and quantizer options (seed = --seed)      */
    uint32_t sched;                    /* LP_SCHED_*                                        */
    float lr, gamma;                   /* lr (or beta, alpha_1); gamma of the inverse       */
    uint32_t period;                   /* halving period R in steps                         */
    uint32_t batch;                    /* B                                                 */
    uint32_t epochs;                   /* train until this many epochs are done             */
    float lambda;                      /* L2 weight                                         */
    int compensate;                    /* LP_CFG_COMPENSATE                                 */
    uint32_t seed;                     /* shuffling, held-out split, SR hash                */
    uint32_t chunk;                    /* steps per kernel call (default 64)                */
    uint32_t eval_every;               /* evaluate every N steps too (0: once per epoch)    */
} lp_train_opts_t;

/* Defaults: softmax, fp32, constant lr 0.1, batch 64, 5 epochs, lambda 1e-4, chunk 64. */
void lp_train_opts_default(lp_train_opts_t *o);

/* One evaluation of the model (host side, double accumulation of the losses). */
typedef struct {
    uint64_t step;      /* steps done when evaluated                                  */
    double epoch;       /* step / steps per epoch                                     */
    double train_loss;  /* F(w) on the training rows: mean loss + lambda/2 ||w||^2     */
    double train_acc;   /* classification: fraction right; regression: NaN            */
    double test_loss;   /* the same on the test rows (NaN if there are none)          */
    double test_acc;
} lp_eval_t;

/* Per-epoch summary of the step statistics. */
typedef struct {
    uint32_t epoch;                 /* 1-based                                       */
    double q_norm_min, q_norm_mean; /* over the epoch's steps                        */
    double q_proj_min, q_proj_mean;
    double underflow_pct;           /* underflowed / real gradient entries, percent  */
    uint64_t saturated, nan;        /* totals                                        */
    double lr_mean;                 /* stepsize used, mean                           */
    double seconds;                 /* wall time of the epoch (kernel + host)        */
    lp_eval_t eval;                 /* evaluation at the epoch's end                 */
} lp_epoch_t;

typedef struct {
    uint32_t K, D, d;     /* outputs, padded row length, features (without bias)      */
    uint32_t steps_per_epoch;
    uint64_t step_first;  /* first step run by this invocation (resume)               */
    uint64_t step_end;    /* steps done at the end                                    */
    float *model;         /* LP_SGD_MODEL_WORDS(K, D) floats: the final model         */
    lp_eval_t *evals;     /* evaluations in step order (this invocation)              */
    size_t nevals;
    double *q_norm, *q_proj, *underflow_pct; /* per step of this invocation          */
    double *qg2;          /* ||Q(g)||^2 per step (the Q2 sum of the record)           */
    lp_epoch_t *epochs;   /* epochs finished by this invocation                       */
    size_t nepochs;
    double seconds;       /* wall time of the training loop                           */
    int interrupted;      /* stopped by SIGINT/SIGTERM (a checkpoint was written)     */
} lp_train_result_t;

void lp_train_result_free(lp_train_result_t *r);

/* A checkpoint (atomic, versioned, CRC-protected file; layout in checkpoint.c). */
typedef struct {
    uint32_t cfg[LP_SGD_CFG_WORDS];    /* the kernel configuration block                 */
    char data_spec[LP_TRAIN_SPEC_MAX]; /* --data of the run                               */
    uint32_t K, D, d, n_train, n_test, classes;
    uint64_t next_step;                /* global index of the next step to run            */
    uint32_t epochs, eval_every, chunk;
    uint64_t data_digest;              /* lp_train_data_digest of the run's data          */
    uint64_t log_len;                  /* bytes of the --log CSV at this point; 0: no log */
    float *model;                      /* LP_SGD_MODEL_WORDS(K, D) floats (malloc'd)      */
} lp_ckpt_t;

/* A checkpoint file is LP_CKPT_HDR_WORDS header words, the model (LP_SGD_MODEL_WORDS),
 * one CRC word; the largest the format holds has K * D = LP_SGD_MAX_WORDS. */
#define LP_CKPT_HDR_WORDS 114u
#define LP_CKPT_MAX_BYTES (4u * (LP_CKPT_HDR_WORDS + LP_SGD_MAX_WORDS + LP_SGD_STATE_WORDS + 1u))

int lp_ckpt_write(const char *path, const lp_ckpt_t *c, lp_err_t *err);
/* Read and validate (a regular file of at most LP_CKPT_MAX_BYTES; magic, version, size,
 * CRC, configuration block). */
int lp_ckpt_read(const char *path, lp_ckpt_t *c, lp_err_t *err);
/* The same validation of a file held in memory (buf[len], any alignment); name labels
 * the messages ("checkpoint NAME: ..."). c->model is malloc'd on success. */
int lp_ckpt_parse(const uint8_t *buf, size_t len, const char *name, lp_ckpt_t *c, lp_err_t *err);
void lp_ckpt_free(lp_ckpt_t *c);

/*
 * 64-bit FNV-1a over the data a run trains and evaluates on: for the training then the
 * test split, n, d, classes and task as 32-bit words, then every feature and every label
 * as an FP32 word, each word's bytes in little-endian order. Different data of the same
 * shape (another synthetic seed, an edited CSV) give a different digest.
 */
uint64_t lp_train_data_digest(const lp_data_t *data);

/* The options stored in a checkpoint (its cfg block and data spec), for --resume. */
void lp_train_opts_from_ckpt(const lp_ckpt_t *c, lp_train_opts_t *o);

/*
 * Build the kernel's configuration block for these options and data. 0, or -1 with a
 * message when model and data do not fit together (model vs task, classes, sizes).
 */
int lp_train_make_cfg(const lp_train_opts_t *o, const lp_data_t *data, uint32_t cfg[LP_SGD_CFG_WORDS],
                      lp_err_t *err);

/* Where the loop reports (all optional). */
typedef struct {
    FILE *table;          /* per-epoch table lines (stdout), NULL = none           */
    int progress;         /* in-epoch progress on stderr (only when it is a TTY)   */
    const char *log_path; /* per-step CSV (cut back to the checkpoint's length and
                             appended to when resuming; locked for the run)       */
    const char *ckpt_path;/* checkpoint after every epoch and on SIGINT/SIGTERM
                             (PATH.lock beside it is locked for the run)          */
    uint64_t stop_at;     /* stop as if interrupted when this many steps are done (0: no) */
    const char *banner;   /* printed to table once the checks passed and the outputs are held */
} lp_train_io_t;

/*
 * Train. resume = NULL starts from w = 0 (q_hat = 1); otherwise continues the checkpoint,
 * whose options, data shape and data digest must match. The outputs (log, checkpoint) are
 * locked for the whole run (outputs.h); a resumed log is cut back to the checkpoint's
 * recorded length first. Returns 0; 2 on bad input, other data or outputs held by another
 * run (message in err);
 * 1 on a runtime failure (backend error); 130 after SIGINT/SIGTERM (checkpoint written
 * when io->ckpt_path is set). res gets the results (free with lp_train_result_free).
 */
int lp_train_run(const lp_train_opts_t *o, const lp_data_t *data, const lp_backend_ops_t *ops,
                 lp_backend_t *be, const lp_ckpt_t *resume, const lp_train_io_t *io, lp_train_result_t *res,
                 lp_err_t *err);

/* Evaluate a model (weights K x D) on a split: mean loss + lambda/2 ||w||^2, accuracy. */
void lp_train_eval(const uint32_t *cfg, const float *model, const lp_dataset_t *ds, double *loss, double *acc);

/* Names of models and schedules (for options and logs). */
extern const char *const lp_model_names[];    /* lsq logistic softmax hinge */
extern const char *const lp_sched_names[];    /* const inverse halving      */

#endif
