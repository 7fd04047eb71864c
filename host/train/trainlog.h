/*
 * trainlog.h - the per-step CSV log of `lpsgd train --log`: its header (written by
 * outputs.c) and the one reader of it (used by `lpsgd curves` and `lpsgd report`).
 *
 * One row per step (q_* columns filled) and one row per evaluation (train_loss ...
 * test_acc filled; step 0 is the evaluation before the first step). A step that is also an
 * evaluation point has both in one row. Empty fields read as NaN.
 */
#ifndef LP_TRAINLOG_H
#define LP_TRAINLOG_H

#include <stddef.h>

#define LP_TRAIN_LOG_HEADER                                                                                  \
    "step,epoch,lr,q_norm,q_proj,noise,underflow_pct,saturated,subnormal,nan,q_hat,batch_loss,batch_acc,"   \
    "train_loss,train_acc,test_loss,test_acc\n"

/* The columns, in the header's order. */
enum {
    LP_LOG_STEP, LP_LOG_EPOCH, LP_LOG_LR, LP_LOG_Q_NORM, LP_LOG_Q_PROJ, LP_LOG_NOISE, LP_LOG_UNDERFLOW,
    LP_LOG_SATURATED, LP_LOG_SUBNORMAL, LP_LOG_NAN, LP_LOG_Q_HAT, LP_LOG_BATCH_LOSS, LP_LOG_BATCH_ACC,
    LP_LOG_TRAIN_LOSS, LP_LOG_TRAIN_ACC, LP_LOG_TEST_LOSS, LP_LOG_TEST_ACC, LP_LOG_NCOLS
};

typedef struct {
    double *v;    /* nrows x LP_LOG_NCOLS values, row by row; NaN where the field is empty */
    size_t nrows;
} lp_trainlog_t;

/* Value of column c in row r. */
#define LP_LOG_AT(log, r, c) ((log)->v[(size_t)(r) * LP_LOG_NCOLS + (size_t)(c)])

/*
 * Read a whole log (a regular file of at most 1 GiB). 0, or -1 with "PATH: problem" in
 * msg[cap] (not a regular file, header differs, a malformed line, out of memory).
 */
int lp_trainlog_read(const char *path, lp_trainlog_t *log, char *msg, size_t cap);
void lp_trainlog_free(lp_trainlog_t *log);

#endif
