/*
 * report.h - `lpsgd report DIR`: a study directory (docs/sweep.md: index.csv and the jobs'
 * train logs) turned into one page, DIR/report.html (self-contained) and its Markdown twin
 * DIR/report.md with the PNGs in DIR/report/.
 *
 *   csv.c       RFC 4180 CSV (quoted fields), for index.csv and make resources' kernel.csv
 *   study.c     index.csv -> jobs; the done jobs' logs; widths and configurations
 *   metrics.c   per configuration: curves over seeds (mean, min-max) and the table's figures
 *   plots.c     the PNGs (host/plot)
 *   page.c      the HTML/Markdown twin writer (one call writes both), base64 images
 *   sections.c  the page's sections
 *   outside.c   what comes from outside the study: kernel.csv, `lpsgd shrink --json`
 *
 * Everything the page shows is computed from the logs: index.csv gives the job list, the
 * parameters, the status and the paths, never a figure.
 */
#ifndef LP_REPORT_H
#define LP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "backend/backend.h" /* lp_err_t */
#include "train/log_read.h"

/* ---- csv.c ------------------------------------------------------------------------ */

typedef struct {
    char ***rows;   /* rows[r][c]: NUL-terminated fields (header is row 0)              */
    size_t *ncols;  /* fields in each row                                                */
    size_t *line;   /* the line each row starts on (1-based), for messages               */
    size_t nrows;
    char *store;    /* one block holding every field                                     */
} rp_csv_t;

/* Read a whole CSV (regular file, at most 64 MiB): fields separated by ',', a field may be
 * double-quoted ("" is a quote inside), and then hold commas and newlines. 0, or -1 and a
 * message naming the file (and line). */
int rp_csv_read(const char *path, const char *what, rp_csv_t *csv, lp_err_t *err);
/* The same from len bytes in memory (path names them in messages). */
int rp_csv_parse(const char *buf, size_t len, const char *path, rp_csv_t *csv, lp_err_t *err);
void rp_csv_free(rp_csv_t *csv);
/* Is row 0 exactly the comma-separated names in `header`? */
int rp_csv_header_is(const rp_csv_t *csv, const char *header);

/* ---- study.c ---------------------------------------------------------------------- */

/* The columns of index.csv (docs/sweep.md), in order. */
enum {
    RP_ID, RP_STATUS, RP_DATA, RP_MODEL, RP_BACKEND, RP_FORMAT, RP_ROUNDING, RP_SCALE, RP_SCHEDULE, RP_LR,
    RP_COMPENSATE, RP_SEED, RP_STEPS, RP_FINAL_STEP, RP_TRAIN_LOSS, RP_TRAIN_ACC, RP_TEST_LOSS, RP_TEST_ACC,
    RP_Q_NORM_MEAN, RP_Q_NORM_MIN, RP_Q_PROJ_MEAN, RP_Q_PROJ_MIN, RP_UNDERFLOW_PCT, RP_SATURATED_MEAN, RP_LOG,
    RP_RESULT, RP_COMMAND, RP_NCOLS
};
#define RP_INDEX_HEADER                                                                                      \
    "id,status,data,model,backend,format,rounding,scale,schedule,lr,compensate,seed,steps,final_step,"       \
    "train_loss,train_acc,test_loss,test_acc,q_norm_mean,q_norm_min,q_proj_mean,q_proj_min,underflow_pct,"  \
    "saturated_mean,log,result,command"

typedef struct {
    char **col;         /* the index row's RP_NCOLS fields                                  */
    int done;           /* status done: its log is read and it is in a configuration       */
    double lr;
    int compensate;
    int config;         /* index of its configuration (done jobs), else -1                  */
    lp_log_t log;
} rp_job_t;

/* Per configuration: one series over the seeds, on the steps where any seed has a value. */
typedef struct {
    double *x;      /* step                                                              */
    double *mean;   /* mean over the seeds that have this step                          */
    double *band;   /* 2n: the minimum then the maximum (lp_plot's band layout)          */
    size_t n;
} rp_curve_t;

enum { RP_C_LOSS, RP_C_TEST, RP_C_QNORM, RP_C_QPROJ, RP_C_UNDER, RP_C_SAT, RP_NCURVES };

/* The figures of one (width, lr, compensate[, setting]) over its seeds. */
typedef struct {
    int width;             /* index into rp_study_t.widths                                  */
    const char *lr_text;   /* lr as index.csv gives it                                      */
    double lr;
    int compensate;
    char setting[256];     /* data/model/backend/schedule when they vary, else ""           */
    char label[320];       /* "lr 0.02", "lr 0.02, --compensate", + setting                  */
    int *jobs;             /* its done jobs (seeds), in index order                         */
    size_t njobs;
    int has_acc;           /* the logs carry test accuracy (classification)                 */
    rp_curve_t curve[RP_NCURVES];
    double final_mean, final_min, final_max; /* last evaluation's train loss over seeds     */
    double test_final;     /* mean over seeds: test accuracy (fraction) or test loss        */
    double floor;          /* mean of the seed-mean train loss over the last 25 % of evals  */
    double q_norm_mean, q_proj_mean, q_proj_min, underflow_mean, saturated_mean; /* pooled */
    double steps_to_target; /* first evaluation step with seed-mean loss <= target; NaN none */
} rp_config_t;

typedef struct {
    char key[160];         /* format [scale] [rounding]: the width's name                   */
    char format[32];
    char slug[160];        /* file-name form of the key                                     */
    int *configs;
    size_t nconfigs;
} rp_width_t;

typedef struct {
    const char *dir;
    rp_csv_t index;
    rp_job_t *jobs;
    size_t njobs, ndone, nfailed, npending;
    rp_width_t *widths;
    size_t nwidths;
    rp_config_t *configs;
    size_t nconfigs;
    int vary[RP_NCOLS];    /* columns whose value differs between done jobs                 */
    double target;         /* the target loss (NaN: none)                                   */
    int target_given;      /* --target-loss                                                 */
    double fp32_best;      /* best mean final train loss of fp32 configurations (NaN none)  */
} rp_study_t;

/* Read DIR/index.csv and every done job's log, group them. 0, or -1 and a message (bad
 * input: the CLI exits 2). */
int rp_study_load(const char *dir, rp_study_t *s, lp_err_t *err);
void rp_study_free(rp_study_t *s);

/* ---- metrics.c -------------------------------------------------------------------- */

/* Curves and figures of every configuration, the target (target_loss NaN = 1.1 x the best
 * fp32 final loss). 0, or -1 (out of memory). */
int rp_metrics(rp_study_t *s, double target_loss, lp_err_t *err);
/* The mean final train loss FP32 reaches at c's lr with c's setting, compensate off (the best
 * fp32 width); NaN when the grid has none. */
double rp_fp32_ref(const rp_study_t *s, const rp_config_t *c);
/* The smallest larger lr of c's width (compensate off, same setting) whose mean final train
 * loss is within 1 % of rp_fp32_ref(c); -1 when c itself is, -2 when none, -3 when there is
 * no reference (or c is fp32 or compensated); else the configuration's index. */
int rp_lr_match(const rp_study_t *s, const rp_config_t *c);
/* The configuration of width w with the lowest mean final train loss. */
int rp_best_config(const rp_study_t *s, size_t w);

/* ---- outside.c -------------------------------------------------------------------- */

typedef struct {
    char top[32], format[32];
    double lut, lutram, ff, carry, dsp, bram36, uram;
} rp_res_row_t;

typedef struct {
    const char *path;      /* the file read, or the one looked for                          */
    int present;
    rp_res_row_t *rows;
    size_t nrows;
} rp_resources_t;

/* Read make resources' kernel.csv from path; absent: present = 0 unless required (then an
 * error). 0, or -1 and a message (malformed). */
int rp_resources_read(const char *path, int required, rp_resources_t *r, lp_err_t *err);
void rp_resources_free(rp_resources_t *r);
/* The row for a format: top lp_sgd if it is there, else the first top; NULL if none. */
const rp_res_row_t *rp_resources_find(const rp_resources_t *r, const char *format);

typedef struct {
    char format[32], scale[16];
    double q_norm, q_proj, underflow_frac;
    long underflow;
} rp_fig1_row_t;

typedef struct {
    rp_fig1_row_t *rows;
    size_t nrows;
    char error[512];       /* why there are no rows                                         */
} rp_fig1_t;

/* Run this program's `shrink --json` and keep its table (on failure rows = 0 and error). */
void rp_fig1_run(rp_fig1_t *f);
void rp_fig1_free(rp_fig1_t *f);

/* ---- page.c ----------------------------------------------------------------------- */

/* The twin writer: every call writes the HTML and the Markdown form of the same content. */
typedef struct {
    FILE *html, *md;
    const char *imgdir;    /* the PNGs are IMGDIR/NAME                                     */
    const char *imglink;   /* and the Markdown links them as IMGLINK/NAME                  */
    int cols;              /* columns of the open table                                    */
    int row;               /* rows written to it                                           */
    lp_err_t *err;
    int failed;            /* an image could not be read                                   */
    int in_list;           /* a bulleted list is open                                      */
} rp_page_t;

void rp_page_begin(rp_page_t *p, const char *title);
void rp_page_end(rp_page_t *p);
void rp_page_h(rp_page_t *p, int level, const char *text);
/* A paragraph of plain text (escaped for both forms). */
void rp_page_p(rp_page_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_page_table(rp_page_t *p, const char *const *head, int n);
/* One row of n cells; a cell starting with '`' is shown as code (without the '`'). */
void rp_page_row(rp_page_t *p, const char *const *cells, int n);
void rp_page_table_end(rp_page_t *p);
/* An image IMGDIR/NAME: embedded (base64) in the HTML, linked in the Markdown. */
void rp_page_img(rp_page_t *p, const char *name, const char *alt);
/* A bulleted list item of plain text. */
void rp_page_li(rp_page_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_page_list_end(rp_page_t *p);

/* ---- plots.c ---------------------------------------------------------------------- */

/* IMGDIR/overview.png and width-SLUG.png per width (and pareto.png with resources);
 * IMGDIR is created if need be. */
int rp_plots(const rp_study_t *s, const rp_resources_t *res, const char *imgdir, lp_err_t *err);

/* ---- sections.c ------------------------------------------------------------------- */

typedef struct {
    const rp_resources_t *res;
    const rp_fig1_t *fig1;
} rp_opts_t;

void rp_sections(rp_page_t *p, const rp_study_t *s, const rp_opts_t *o);

/* The table's number formats (shared by page and tests' expectations: docs/sweep.md). */
void rp_fmt_num(char *out, size_t cap, double v, const char *fmt);

#endif
