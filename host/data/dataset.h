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
 * Labels (LIBSVM, CSV): if every label (train and test) is an integer in 0..1023 the task
 * is classification with classes = max label + 1 (at least 2); if the labels are exactly
 * {-1, +1} they map to {0, 1} (binary); anything else is regression (classes = 0).
 * synthetic: is always regression with truth (below); fashion-mnist: 10 classes.
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

/*
 * Ground truth of a least-squares problem (valid when lp_data_t.has_truth; synthetic
 * sources always have it).  It follows the trainer's conventions exactly:
 *   x~_i = (x_i[0], ..., x_i[d-1], 1.0)   the stored FP32 features widened to double,
 *                                          plus the bias column the trainer appends LAST
 *   F(w) = 1/(2n) sum_i (x~_i . w - y_i)^2 + lambda/2 * sum_{j<D} w_j^2,   w in R^D, D = d+1
 * over the n TRAINING rows, with y_i the stored FP32 labels widened to double.  By default
 * (lp_data_load) the L2 term covers the bias weight too (reg_bias = 1); a trainer that
 * leaves the bias unregularized recomputes the truth with lp_data_truth(..., 0, ...).
 * So truth.d = train.d + 1 and w_star[train.d] is the bias weight.
 */
typedef struct {
    uint32_t d;     /* D = train.d + 1 (features + bias)                             */
    double *w_star; /* D minimiser of F over the training rows (bias last)           */
    double f_star;  /* F(w*)                                                         */
    double L;       /* smoothness constant of F (largest eigenvalue of X~^T X~ / n + lambda I) */
    double c;       /* strong convexity constant (smallest eigenvalue of the same)       */
    double lambda;  /* the L2 weight these were computed for                         */
    int reg_bias;   /* 1: lambda also applied to the bias weight (the default)        */
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

/*
 * Least-squares ground truth for any dataset with d + 1 <= LP_TRUTH_MAX_D (Cholesky for
 * w*, Jacobi eigenvalues for L and c, all in double).  Returns 0, or -1 with a message
 * (too many features, or F not strongly convex: lambda = 0 and X~ rank deficient).
 * Free with lp_truth_free.
 */
int lp_data_truth(const lp_dataset_t *train, double lambda, int reg_bias, lp_truth_t *t, char *err, unsigned errlen);
void lp_truth_free(lp_truth_t *t);

/* F(w) of the comment above, in double, w of length train->d + 1 (bias last). */
double lp_data_ls_objective(const lp_dataset_t *train, const double *w, double lambda, int reg_bias);

/* Size limits (a hostile file fails cleanly instead of allocating absurdly). */
#define LP_DATA_MAX_FILE (1u << 30)      /* bytes of a text file (LIBSVM, CSV)          */
#define LP_DATA_MAX_ROWS (1u << 24)      /* rows per file (16.7 M)                      */
#define LP_DATA_MAX_D (1u << 20)         /* features (largest LIBSVM index, CSV columns) */
#define LP_DATA_MAX_CELLS (1ull << 28)   /* n * d per split: 2^28 floats = 1 GiB        */
#define LP_DATA_MAX_CLASSES 1024u        /* integer labels 0..1023 make a classification */
#define LP_DATA_MAX_TOKEN 128u           /* characters in one number                    */
#define LP_TRUTH_MAX_D 257u              /* D = d + 1 for lp_data_truth (synthetic d <= 256) */

#endif
