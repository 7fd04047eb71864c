/*
 * sweep.h - running a study's jobs into one directory (docs/sweep.md): the plan, the lock,
 * the local runner (child `lpsgd train` processes, resumable), one Slurm task, the index.
 */
#ifndef LP_SWEEP_H
#define LP_SWEEP_H

#include <stddef.h>

#include "sweep/study.h"
#include "train/log_read.h"

enum { LP_JOB_PENDING, LP_JOB_DONE, LP_JOB_FAILED, LP_JOB_RUNNING };

typedef struct {
    char *dir;          /* absolute path of DIR (no trailing slash)                  */
    char *self;         /* absolute path of this lpsgd                               */
    lp_study_t study;   /* the plan (DIR/study.ini)                                  */
    size_t njobs;
    int *status;        /* LP_JOB_* per job                                          */
    lp_log_summary_t *sum; /* per done job, from its log                             */
    int lock_fd;        /* DIR/sweep.lock, flock()ed                                 */
    int xrt_cu;         /* give the job in slot i LPSGD_XRT_CU=i+1: one CU per job   */
} lp_sweep_t;

/* Open DIR for a sweep with study s (moved into sw on success): create it and write the plan
 * (study.ini, sweep.json, jobs/ID/command.txt), or check that DIR's plan is the same study;
 * s == NULL takes DIR's plan as it is. Takes sweep.lock (shared: a Slurm task; exclusive
 * otherwise; refused when held). 0; -2 and err for bad input or a collision (exit 2); -1 and err. */
int lp_sweep_open(lp_sweep_t *sw, const char *dir, lp_study_t *s, int shared, lp_err_t *err);
void lp_sweep_close(lp_sweep_t *sw);

/* The path of a job's file: DIR/jobs/ID/name. */
void lp_sweep_path(const lp_sweep_t *sw, const lp_job_t *job, const char *name, char *out, size_t cap);

/* Each job's status from its directory (and the summary of the done ones' logs). */
int lp_sweep_scan(lp_sweep_t *sw, lp_err_t *err);

/* Write DIR/index.csv and DIR/index.json from the status and summaries (atomic). */
int lp_sweep_write_index(const lp_sweep_t *sw, lp_err_t *err);

/* Run the pending jobs, jobs at once, with progress on stderr. Returns the exit code of
 * `lpsgd sweep`: 0 all done, 1 some failed, 2 train refused its options, 130 interrupted. */
int lp_sweep_run(lp_sweep_t *sw, unsigned jobs, lp_err_t *err);

/* Run job k alone in the foreground (a Slurm task): 0 done, 1 failed, 2, 130 as above. */
int lp_sweep_task(lp_sweep_t *sw, size_t k, lp_err_t *err);

/* Write DIR/slurm/sweep.sbatch; opt = partition, time, constraint, gres (NULL: not set). */
int lp_sweep_slurm_script(const lp_sweep_t *sw, char *const opt[4], char *path, size_t cap, lp_err_t *err);

#endif
