/*
 * index.c - DIR/index.csv and DIR/index.json (docs/sweep.md), and the Slurm job-array script.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/lp_io.h"
#include "sweep/sweep.h"

static const char *const status_names[] = {"pending", "done", "failed", "pending"};
static const char *const metric_names[] = {"final_step", "train_loss", "train_acc", "test_loss", "test_acc",
                                           "q_norm_mean", "q_norm_min", "q_proj_mean", "q_proj_min",
                                           "underflow_pct", "saturated_mean"};
#define NMETRIC (sizeof metric_names / sizeof metric_names[0])

static void metrics(const lp_log_summary_t *s, double *m)
{
    const double v[NMETRIC] = {s->final_step, s->train_loss, s->train_acc, s->test_loss, s->test_acc,
                               s->q_norm_mean, s->q_norm_min, s->q_proj_mean, s->q_proj_min,
                               s->underflow_pct, s->saturated_mean};
    memcpy(m, v, sizeof v);
}

/* A CSV field: quoted when it has a comma, a quote or a line break. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++)
        fputs(*s == '"' ? "\"\"" : (char[]){*s, 0}, f);
    fputc('"', f);
}

/* The job's command.txt line (without its newline), or "" when it cannot be read. */
static void read_command(const lp_sweep_t *sw, const lp_job_t *job, char *out, size_t cap)
{
    char path[PATH_MAX];
    lp_sweep_path(sw, job, "command.txt", path, sizeof path);
    FILE *f = fopen(path, "r");
    out[0] = 0;
    if (f) {
        if (!fgets(out, (int)cap, f))
            out[0] = 0;
        fclose(f);
    }
    out[strcspn(out, "\n")] = 0;
}

static void csv_row(const lp_sweep_t *sw, size_t k, FILE *f)
{
    lp_job_t job;
    char cmd[8192];
    double m[NMETRIC];
    int done = sw->status[k] == LP_JOB_DONE;
    lp_study_job(&sw->study, k, &job);
    fprintf(f, "%s,%s", job.id, status_names[sw->status[k]]);
    for (int a = 0; a < LP_AX_N; a++) {
        fputc(',', f);
        csv_field(f, job.val[a]);
    }
    fprintf(f, ",%zu", done ? sw->sum[k].steps : (size_t)0);
    metrics(&sw->sum[k], m);
    for (size_t i = 0; i < NMETRIC; i++)
        if (done && !isnan(m[i]))
            fprintf(f, ",%.9g", m[i]);
        else
            fputc(',', f);
    read_command(sw, &job, cmd, sizeof cmd);
    fprintf(f, ",jobs/%s/log.csv,jobs/%s/result.json,", job.id, job.id);
    csv_field(f, cmd);
    fputc('\n', f);
}

static void json_row(const lp_sweep_t *sw, size_t k, FILE *f)
{
    lp_job_t job;
    char cmd[8192], path[PATH_MAX];
    double m[NMETRIC];
    int done = sw->status[k] == LP_JOB_DONE;
    lp_study_job(&sw->study, k, &job);
    fputs("{\"id\": ", f);
    lp_json_str(f, job.id);
    fprintf(f, ", \"status\": \"%s\"", status_names[sw->status[k]]);
    for (int a = 0; a < LP_AX_N; a++) {
        fprintf(f, ", \"%s\": ", a == LP_AX_SEED ? "seed" : lp_axis_names[a]);
        lp_json_str(f, job.val[a]);
    }
    fprintf(f, ", \"steps\": %zu", done ? sw->sum[k].steps : (size_t)0);
    metrics(&sw->sum[k], m);
    for (size_t i = 0; i < NMETRIC; i++) {
        fprintf(f, ", \"%s\": ", metric_names[i]);
        lp_json_num(f, done ? m[i] : NAN);
    }
    snprintf(path, sizeof path, "jobs/%s/log.csv", job.id);
    fputs(", \"log\": ", f);
    lp_json_str(f, path);
    snprintf(path, sizeof path, "jobs/%s/result.json", job.id);
    fputs(", \"result\": ", f);
    lp_json_str(f, path);
    read_command(sw, &job, cmd, sizeof cmd);
    fputs(", \"command\": ", f);
    lp_json_str(f, cmd);
    fputc('}', f);
}

int lp_sweep_write_index(const lp_sweep_t *sw, lp_err_t *err)
{
    char pc[PATH_MAX], pj[PATH_MAX];
    lp_atomic_t c, j;
    snprintf(pc, sizeof pc, "%s/index.csv", sw->dir);
    snprintf(pj, sizeof pj, "%s/index.json", sw->dir);
    if (lp_io_atomic_open(&c, pc, err))
        return -1;
    if (lp_io_atomic_open(&j, pj, err)) {
        lp_io_atomic_abort(&c);
        return -1;
    }
    fputs("id,status", c.f);
    for (int a = 0; a < LP_AX_N; a++)
        fprintf(c.f, ",%s", a == LP_AX_SEED ? "seed" : lp_axis_names[a]);
    fputs(",steps", c.f);
    for (size_t i = 0; i < NMETRIC; i++)
        fprintf(c.f, ",%s", metric_names[i]);
    fputs(",log,result,command\n", c.f);
    fputs("[", j.f);
    for (size_t k = 0; k < sw->njobs; k++) {
        csv_row(sw, k, c.f);
        fputs(k ? ",\n " : "\n ", j.f);
        json_row(sw, k, j.f);
    }
    fputs("\n]\n", j.f);
    lp_atomic_t *both[2] = {&c, &j};
    return lp_io_atomic_commit_all(both, 2, err);
}

/* ---- Slurm ---- */

int lp_sweep_slurm_script(const lp_sweep_t *sw, char *const opt[4], char *path, size_t cap, lp_err_t *err)
{
    static const char *const flag[4] = {"partition", "time", "constraint", "gres"};
    char cwd[PATH_MAX], dir[PATH_MAX];
    if (strpbrk(sw->dir, " \t\n'\"%\\$`") || !getcwd(cwd, sizeof cwd) || strpbrk(cwd, " \t\n'\"%\\$`"))
        return lp_fail(err, "--slurm: the directory %s (or the current one) has a space, quote, %% or $ in its path, "
                            "which #SBATCH lines cannot carry: use a plainer path", sw->dir), -2;
    for (int i = 0; i < 4; i++)
        if (opt[i] && (!*opt[i] || strpbrk(opt[i], " \t\n'\"\\$`")))
            return lp_fail(err, "--%s '%s': one word without quotes or $", flag[i], opt[i]), -2;
    if (sw->njobs > 1000000)
        return lp_fail(err, "--slurm: %zu jobs is more than one job array takes", sw->njobs), -2;
    snprintf(dir, sizeof dir, "%s/slurm", sw->dir);
    if (mkdir(dir, 0777) && errno != EEXIST)
        return lp_fail(err, "%s: %s", dir, strerror(errno));
    snprintf(path, cap, "%s/sweep.sbatch", dir);
    lp_atomic_t a;
    if (lp_io_atomic_open(&a, path, err))
        return -1;
    fprintf(a.f, "#!/bin/sh\n"
                 "# lpsgd sweep: one Slurm array task per job of %s/study.ini (docs/sweep.md).\n"
                 "# Submit with: sbatch %s   then, when all tasks ended: lpsgd sweep --collect %s\n"
                 "#SBATCH --job-name=lpsgd-sweep\n#SBATCH --array=0-%zu\n#SBATCH --ntasks=1\n"
                 "#SBATCH --cpus-per-task=1\n#SBATCH --chdir=%s\n#SBATCH --output=%s/task-%%a.out\n",
            sw->dir, path, sw->dir, sw->njobs - 1, cwd, dir);
    for (int i = 0; i < 4; i++)
        if (opt[i])
            fprintf(a.f, "#SBATCH --%s=%s\n", flag[i], opt[i]);
    fprintf(a.f, "exec '%s' sweep --task \"$SLURM_ARRAY_TASK_ID\" '%s'\n", sw->self, sw->dir);
    if (lp_io_atomic_commit(&a, err))
        return -1;
    chmod(path, 0755);
    return 0;
}
