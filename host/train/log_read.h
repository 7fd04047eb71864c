/*
 * log_read.h - reading back a `lpsgd train --log` CSV (the format of host/train/outputs.c):
 * every row as LP_LOG_NCOL numbers, an empty field as NaN. Step rows have q_norm; evaluation
 * rows have train_loss (a row can be both). Used by sweep (the index's metrics), report and
 * curves, so the CSV is parsed in one place.
 */
#ifndef LP_LOG_READ_H
#define LP_LOG_READ_H

#include <stddef.h>

#include "backend/backend.h" /* lp_err_t */

enum {
    LP_LOG_STEP, LP_LOG_EPOCH, LP_LOG_LR, LP_LOG_Q_NORM, LP_LOG_Q_PROJ, LP_LOG_NOISE, LP_LOG_UNDERFLOW,
    LP_LOG_SATURATED, LP_LOG_SUBNORMAL, LP_LOG_NAN, LP_LOG_Q_HAT, LP_LOG_BATCH_LOSS, LP_LOG_BATCH_ACC,
    LP_LOG_TRAIN_LOSS, LP_LOG_TRAIN_ACC, LP_LOG_TEST_LOSS, LP_LOG_TEST_ACC, LP_LOG_NCOL
};

/* Value of column c in row r. */
#define LP_LOG_AT(log, r, c) ((log)->row[(r)][(c)])

/* The header line a log starts with (without the newline). */
extern const char lp_log_header[];

typedef struct {
    double (*row)[LP_LOG_NCOL]; /* n rows in file order */
    size_t n;
} lp_log_t;

#define LP_LOG_MAX_FILE (1ULL << 32) /* the largest log read back */

/* Parse a log held in memory (name for messages): 0, or -1 and "name:LINE: problem". */
int lp_log_parse(const char *text, size_t len, const char *name, lp_log_t *log, lp_err_t *err);

/* Read and parse the log file at path. */
int lp_log_read(const char *path, lp_log_t *log, lp_err_t *err);

void lp_log_free(lp_log_t *log);

/* What a sweep's index says of a run (docs/sweep.md): over the step rows and the last
 * evaluation row; NaN where the log has none. */
typedef struct {
    size_t steps;                 /* step rows                                   */
    double final_step;            /* step of the last evaluation                 */
    double train_loss, train_acc, test_loss, test_acc; /* the last evaluation    */
    double q_norm_mean, q_norm_min, q_proj_mean, q_proj_min;
    double underflow_pct, saturated_mean;
} lp_log_summary_t;

void lp_log_summarize(const lp_log_t *log, lp_log_summary_t *s);

#endif
