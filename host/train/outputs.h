/*
 * outputs.h - (internal to host/train) the files a training run holds for its whole
 * length: an exclusive lock on PATH.lock beside --checkpoint PATH, and the per-step CSV
 * log, itself locked, created with its header or, on resume, cut back to the length the
 * checkpoint recorded. The locks are flock(LOCK_EX | LOCK_NB): a second run on the same
 * paths is refused at once; the kernel drops them when the process ends, even by kill -9.
 */
#ifndef LP_TRAIN_OUTPUTS_H
#define LP_TRAIN_OUTPUTS_H

#include <stdint.h>
#include <stdio.h>

#include "train.h"

typedef struct {
    int ck_lock; /* fd of CHECKPOINT.lock, or -1                 */
    FILE *log;   /* the log, positioned at its end, or NULL       */
} lp_train_out_t;

/* Lock and open the outputs (either path may be NULL). resume's log_len says how much of
 * an existing log to keep: 0 starts it afresh (header row). 0, or -1 and a message. */
int lp_train_out_open(lp_train_out_t *out, const char *log_path, const char *ckpt_path, const lp_ckpt_t *resume,
                      lp_err_t *err);

/* Flush and fsync the log and give its length (0 without a log), for a checkpoint. */
int lp_train_out_sync(lp_train_out_t *out, const char *log_path, uint64_t *len, lp_err_t *err);

/* Close the log (-1 and a message if its last writes failed) and drop the locks. */
int lp_train_out_close(lp_train_out_t *out, const char *log_path, lp_err_t *err);

#endif
