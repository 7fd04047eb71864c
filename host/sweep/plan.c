/*
 * plan.c - a sweep's directory: the plan (study.ini, sweep.json, command.txt per job), the
 * lock, the jobs' status and the index (docs/sweep.md).
 */
#define _GNU_SOURCE 1 /* flock, realpath */
#include "sweep/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/lp_io.h"

#define PLAN_MAX (1u << 24) /* the largest study.ini read back */

void lp_sweep_path(const lp_sweep_t *sw, const lp_job_t *job, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/jobs/%s%s%s", sw->dir, job->id, name ? "/" : "", name ? name : "");
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Shell-quote s onto f when it has anything but [A-Za-z0-9_./:=,+-]. */
static void shell_word(FILE *f, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,+-") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++)
        fputs(*s == '\'' ? "'\\''" : (char[]){*s, 0}, f);
    fputc('\'', f);
}

/* The command of job k, one line: lpsgd train ARGS --log ... --checkpoint ... --json */
static void job_command(const lp_sweep_t *sw, const lp_job_t *job, FILE *f)
{
    const char *argv[2 * (LP_AX_N + LP_STUDY_MAX_FIXED) + 1];
    char path[PATH_MAX];
    lp_study_job_argv(&sw->study, job, argv);
    shell_word(f, sw->self);
    fputs(" train", f);
    for (int i = 0; argv[i]; i++) {
        fputc(' ', f);
        shell_word(f, argv[i]);
    }
    lp_sweep_path(sw, job, "log.csv", path, sizeof path);
    fputs(" --log ", f);
    shell_word(f, path);
    lp_sweep_path(sw, job, "checkpoint", path, sizeof path);
    fputs(" --checkpoint ", f);
    shell_word(f, path);
    fputs(" --json", f);
}

static int write_text(const char *path, void (*fill)(const lp_sweep_t *, const void *, FILE *), const lp_sweep_t *sw,
                      const void *arg, lp_err_t *err)
{
    lp_atomic_t a;
    if (lp_io_atomic_open(&a, path, err))
        return -1;
    fill(sw, arg, a.f);
    return lp_io_atomic_commit(&a, err);
}

static void fill_ini(const lp_sweep_t *sw, const void *arg, FILE *f)
{
    (void)arg;
    lp_study_write_ini(&sw->study, f);
}

static void fill_command(const lp_sweep_t *sw, const void *job, FILE *f)
{
    job_command(sw, job, f);
    fputc('\n', f);
}

static void fill_plan_json(const lp_sweep_t *sw, const void *arg, FILE *f)
{
    (void)arg;
    fputs("{\"dir\": ", f);
    lp_json_str(f, sw->dir);
    fprintf(f, ", \"jobs\": [");
    for (size_t k = 0; k < sw->njobs; k++) {
        lp_job_t job;
        char buf[8192];
        lp_study_job(&sw->study, k, &job);
        fprintf(f, "%s\n  {\"index\": %zu, \"id\": ", k ? "," : "", k);
        lp_json_str(f, job.id);
        for (int a = 0; a < LP_AX_N; a++) {
            fprintf(f, ", \"%s\": ", a == LP_AX_SEED ? "seed" : lp_axis_names[a]);
            lp_json_str(f, job.val[a]);
        }
        FILE *m = fmemopen(buf, sizeof buf, "w");
        if (m) {
            job_command(sw, &job, m);
            fclose(m);
            buf[sizeof buf - 1] = 0;
            fputs(", \"command\": ", f);
            lp_json_str(f, buf);
        }
        fputc('}', f);
    }
    fputs("\n]}\n", f);
}

/* DIR's plan: write it (a new directory) or compare it with s. -2: another study. */
static int plan(lp_sweep_t *sw, lp_study_t *s, lp_err_t *err)
{
    char path[PATH_MAX], *mine = NULL;
    size_t mlen = 0;
    snprintf(path, sizeof path, "%s/study.ini", sw->dir);
    if (exists(path)) {
        char *buf;
        size_t len;
        if (lp_io_read_text(path, PLAN_MAX, "a sweep's study.ini", &buf, &len, err))
            return -2;
        lp_study_t old;
        lp_study_init(&old);
        int rc = lp_study_parse_ini(&old, buf, path, NULL, err);
        if (!rc && s) {
            FILE *m = open_memstream(&mine, &mlen);
            if (!m || lp_study_write_ini(s, m) || fclose(m))
                rc = lp_fail(err, "out of memory");
            else if (strlen(buf) != mlen || memcmp(buf, mine, mlen))
                rc = lp_fail(err, "%s holds another study (%s): give the same grid, no grid (to resume it), or "
                                  "another directory", sw->dir, path);
        }
        free(buf);
        free(mine);
        if (rc) {
            lp_study_free(&old);
            return -2;
        }
        if (s)
            lp_study_free(s);
        sw->study = old;
        return 0;
    }
    if (!s)
        return lp_fail(err, "%s has no study (%s is missing): give the grid (lpsgd sweep --help)", sw->dir, path), -2;
    sw->study = *s;
    lp_study_init(s);
    return 1; /* a new plan: written by the caller once the jobs are known */
}

static int take_lock(lp_sweep_t *sw, int shared, lp_err_t *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/sweep.lock", sw->dir);
    /* no O_CLOEXEC: the jobs (train processes) inherit the lock and hold it while they run,
     * so a sweep started after a kill -9 refuses until the old jobs have stopped */
    sw->lock_fd = open(path, O_RDWR | O_CREAT, 0666);
    if (sw->lock_fd < 0)
        return lp_fail(err, "%s: %s", path, strerror(errno));
    if (flock(sw->lock_fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0)
        return 0;
    int e = errno;
    close(sw->lock_fd);
    sw->lock_fd = -1;
    if (e == EWOULDBLOCK)
        return lp_fail(err, "%s: another sweep (or its jobs, or a Slurm task) is running on this directory; wait for "
                            "it to end (a killed sweep's jobs stop within seconds) or use another directory", sw->dir),
               -2;
    return lp_fail(err, "%s: %s", path, strerror(e));
}

static int write_plan(lp_sweep_t *sw, lp_err_t *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/jobs", sw->dir);
    if (mkdir(path, 0777) && errno != EEXIST)
        return lp_fail(err, "%s: %s", path, strerror(errno));
    for (size_t k = 0; k < sw->njobs; k++) {
        lp_job_t job;
        lp_study_job(&sw->study, k, &job);
        lp_sweep_path(sw, &job, NULL, path, sizeof path);
        if (mkdir(path, 0777) && errno != EEXIST)
            return lp_fail(err, "%s: %s", path, strerror(errno));
        lp_sweep_path(sw, &job, "command.txt", path, sizeof path);
        if (write_text(path, fill_command, sw, &job, err))
            return -1;
    }
    snprintf(path, sizeof path, "%s/sweep.json", sw->dir);
    if (write_text(path, fill_plan_json, sw, NULL, err))
        return -1;
    /* study.ini last: its presence says the plan is whole */
    snprintf(path, sizeof path, "%s/study.ini", sw->dir);
    return write_text(path, fill_ini, sw, NULL, err);
}

int lp_sweep_open(lp_sweep_t *sw, const char *dir, lp_study_t *s, int shared, lp_err_t *err)
{
    char self[PATH_MAX];
    memset(sw, 0, sizeof *sw);
    sw->lock_fd = -1;
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return lp_fail(err, "cannot find this program (/proc/self/exe): %s", strerror(errno));
    self[n] = 0;
    if (s && mkdir(dir, 0777) && errno != EEXIST)
        return lp_fail(err, "%s: cannot create the directory: %s", dir, strerror(errno)), -2;
    if (!(sw->dir = realpath(dir, NULL)) || !(sw->self = strdup(self))) {
        lp_fail(err, "%s: %s", dir, errno == ENOENT ? "no such directory" : strerror(errno));
        lp_sweep_close(sw);
        return -2;
    }
    int rc = take_lock(sw, shared, err);
    if (!rc && (rc = plan(sw, s, err)) >= 0) {
        sw->njobs = lp_study_njobs(&sw->study);
        sw->status = calloc(sw->njobs, sizeof *sw->status);
        sw->sum = calloc(sw->njobs, sizeof *sw->sum);
        if (!sw->status || !sw->sum)
            rc = lp_fail(err, "out of memory");
        else if (rc == 1)
            rc = write_plan(sw, err);
    }
    if (rc)
        lp_sweep_close(sw);
    return rc < 0 ? rc : 0;
}

void lp_sweep_close(lp_sweep_t *sw)
{
    if (sw->lock_fd >= 0)
        close(sw->lock_fd);
    lp_study_free(&sw->study);
    free(sw->dir);
    free(sw->self);
    free(sw->status);
    free(sw->sum);
    memset(sw, 0, sizeof *sw);
    sw->lock_fd = -1;
}

int lp_sweep_scan(lp_sweep_t *sw, lp_err_t *err)
{
    for (size_t k = 0; k < sw->njobs; k++) {
        lp_job_t job;
        char path[PATH_MAX];
        lp_study_job(&sw->study, k, &job);
        lp_sweep_path(sw, &job, "result.json", path, sizeof path);
        sw->status[k] = LP_JOB_PENDING;
        if (exists(path)) {
            lp_log_t log;
            lp_sweep_path(sw, &job, "log.csv", path, sizeof path);
            if (lp_log_read(path, &log, err))
                return -1;
            lp_log_summarize(&log, &sw->sum[k]);
            lp_log_free(&log);
            sw->status[k] = LP_JOB_DONE;
            continue;
        }
        lp_sweep_path(sw, &job, "failed", path, sizeof path);
        if (exists(path))
            sw->status[k] = LP_JOB_FAILED;
    }
    return 0;
}
