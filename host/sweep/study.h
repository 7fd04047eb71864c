/*
 * study.h - a study: the grid of `lpsgd sweep` (docs/sweep.md) and the jobs it expands to.
 *
 * A study has one list of values per axis (data, model, backend, format, rounding, scale,
 * schedule, lr, compensate, seeds), the train options every job shares ("--epochs", "3", ...)
 * and the sweep's own options. Axes come from flags or an INI study file (parsed by inih);
 * lp_study_write_ini writes the canonical INI that DIR/study.ini keeps as the plan, and which
 * lp_study_parse_ini reads back to the same study (the same jobs, in the same order).
 */
#ifndef LP_STUDY_H
#define LP_STUDY_H

#include <stddef.h>
#include <stdio.h>

#include "backend/backend.h" /* lp_err_t */

enum {
    LP_AX_DATA, LP_AX_MODEL, LP_AX_BACKEND, LP_AX_FORMAT, LP_AX_ROUNDING, LP_AX_SCALE,
    LP_AX_SCHEDULE, LP_AX_LR, LP_AX_COMPENSATE, LP_AX_SEED, LP_AX_N
};

#define LP_STUDY_MAX_VALUES 4096  /* values per axis                              */
#define LP_STUDY_MAX_JOBS 100000  /* jobs per study                               */
#define LP_STUDY_MAX_FIXED 64     /* train options shared by every job (pairs)    */
#define LP_JOB_ID_MAX 128
#define LP_STUDY_VALUE_MAX 150 /* characters of one value (a data spec, a train option) */
#define LP_STUDY_LINE 150      /* characters of a line of the canonical INI, before a value */

typedef struct {
    char **v;  /* the values, as given (seeds expanded to integers) */
    size_t n;
} lp_axis_t;

typedef struct {
    lp_axis_t ax[LP_AX_N];     /* n == 0: not given (one value: train's default)       */
    char *fixed[2 * LP_STUDY_MAX_FIXED]; /* "--name", "value" pairs                    */
    size_t nfixed;             /* pairs                                                */
    unsigned jobs;             /* [sweep] jobs = N (0: not given)                       */
    char *slurm[4];            /* [sweep] partition, time, constraint, gres (or NULL)  */
} lp_study_t;

/* One job of the grid: its number, its id (docs/sweep.md) and each axis's value. */
typedef struct {
    size_t index;
    char id[LP_JOB_ID_MAX];
    const char *val[LP_AX_N];
} lp_job_t;

/* The axes' names (flag and INI key without "--"): "data", ..., "seeds". */
extern const char *const lp_axis_names[LP_AX_N];
/* The value an axis has when not given: train's default. */
extern const char *const lp_axis_defaults[LP_AX_N];

void lp_study_init(lp_study_t *s);
void lp_study_free(lp_study_t *s);

/* The axis named name (a flag without "--" or an INI key), or -1. */
int lp_axis_find(const char *name);

/* Add the values of list (comma-separated; data: one spec, commas kept) to axis ax,
 * checking each (a known format, model, ...; seeds "1-5,7"); -1 and err on a bad value. */
int lp_study_add(lp_study_t *s, int ax, const char *list, lp_err_t *err);

/* Add one train option shared by every job ("--epochs", "3"); refuses the axes and the
 * options the sweep sets itself (--log, --json, ...). */
int lp_study_add_fixed(lp_study_t *s, const char *name, const char *value, lp_err_t *err);

/* Read an INI study (docs/sweep.md) from text; name is used in messages. Axes the file
 * gives replace what s had only where keep_given is 0 for them (flags override the file:
 * pass given[ax] = 1 for axes the command line set). */
int lp_study_parse_ini(lp_study_t *s, const char *text, const char *name, const int given[LP_AX_N], lp_err_t *err);

/* The canonical INI of the study's grid and train options (not the [sweep] options). */
int lp_study_write_ini(const lp_study_t *s, FILE *out);

/* Jobs in the grid (the product of the axes' sizes, 1 for an axis not given). */
size_t lp_study_njobs(const lp_study_t *s);

/* Job k of the grid (0-based; the last axis varies fastest). */
void lp_study_job(const lp_study_t *s, size_t k, lp_job_t *job);

/* The train arguments of a job (after "train"): axes, then the fixed options. argv must
 * hold 2 * (LP_AX_N + LP_STUDY_MAX_FIXED) + 1 pointers; returns argc (argv[argc] = NULL). */
int lp_study_job_argv(const lp_study_t *s, const lp_job_t *job, const char **argv);

#endif
