/*
 * dataset.h - training data for lpsgd, whatever the source.
 *
 * Sources (the --data argument):
 *   fashion-mnist[:DIR]   Debian's dataset-fashion-mnist (IDX, gzip), default DIR
 *                         /usr/share/datasets/fashion-mnist; 60000 train / 10000 test,
 *                         784 pixels scaled to [0,1], 10 classes. The embedded default.
 *   libsvm:PATH[,TEST]    LIBSVM/SVMlight text ("label idx:val ..."), 1-based indices
 *   csv:PATH[,TEST]       numeric CSV, label in the last column, optional header line
 *   synthetic:KEY=V,...   strongly convex least squares with known w*, F*, L and c (seeded)
 * Without a TEST file, a seeded 1/6 of the rows is held out as the test split.
 *
 * All loaders validate everything (sizes, magic numbers, label ranges, NaN/Inf features,
 * ragged rows) and fail with one message naming the file, the line/offset and the fix.
 */
#ifndef LP_DATASET_H
#define LP_DATASET_H

#include <stdint.h>

enum { LP_TASK_REGRESSION = 0, LP_TASK_CLASSIFICATION = 1 };

typedef struct {
    uint32_t n;        /* rows                                                     */
    uint32_t d;        /* features per row (no bias column: the trainer adds it)   */
    uint32_t classes;  /* classification: number of classes (labels 0..classes-1); */
                       /* regression: 0                                            */
    uint32_t task;     /* LP_TASK_*                                                */
    float *x;          /* n * d, row-major                                         */
    float *y;          /* n labels: class index as float, or the regression target */
} lp_dataset_t;

/* Ground truth of a synthetic problem (valid when lp_data_t.has_truth). */
typedef struct {
    uint32_t d;
    double *w_star; /* d minimiser of F over the training rows                      */
    double f_star;  /* F(w*)                                                         */
    double L;       /* smoothness constant of F (largest eigenvalue of X^T X / n + lambda) */
    double c;       /* strong convexity constant (smallest eigenvalue ... + lambda)      */
    double lambda;  /* the L2 weight these were computed for                         */
} lp_truth_t;

typedef struct {
    char name[128];      /* for logs: "fashion-mnist", "libsvm:a9a", ...         */
    lp_dataset_t train;
    lp_dataset_t test;
    int has_truth;
    lp_truth_t truth;
} lp_data_t;

/*
 * Load a data source (syntax above). seed drives the held-out split and synthetic data;
 * lambda is the L2 weight synthetic ground truth is computed for. Returns 0, or -1 with
 * a message in err (errlen bytes) naming the problem and what to do.
 */
int lp_data_load(const char *spec, uint32_t seed, double lambda, lp_data_t *out, char *err, unsigned errlen);

void lp_data_free(lp_data_t *d);

#endif
