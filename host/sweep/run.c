/*
 * run.c - running a sweep's jobs: each a child `lpsgd train` process that resumes from its
 * checkpoint, several at once, with progress on stderr (docs/sweep.md).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/lp_file.h"
#include "io/lp_io.h"
#include "sweep/sweep.h"
#include "train/train.h"

#define ARGV_MAX (2 * (LP_AX_N + LP_STUDY_MAX_FIXED) + 16)

/*
 * Whether the job continues from its checkpoint: 1 resume, 0 start over (none, unreadable,
 * or already at its run's end: the sweep died between the job's end and its result's
 * rename, so the run is repeated, to the same bytes).
 */
static int can_resume(const char *ckpt)
{
    lp_ckpt_t ck;
    lp_err_t e;
    struct stat st;
    if (stat(ckpt, &st) || lp_ckpt_read(ckpt, &ck, &e))
        return 0;
    uint32_t S = ck.n_train / ck.cfg[LP_CFG_BATCH];
    int r = ck.next_step < (uint64_t)S * ck.epochs;
    lp_ckpt_free(&ck);
    return r;
}

/* The arguments of job k's train process, into argv (strings in paths[4]). */
static void job_args(const lp_sweep_t *sw, const lp_job_t *job, int resume, char paths[2][PATH_MAX],
                     const char **argv)
{
    int n = 0;
    argv[n++] = sw->self;
    argv[n++] = "train";
    lp_sweep_path(sw, job, "log.csv", paths[0], PATH_MAX);
    lp_sweep_path(sw, job, "checkpoint", paths[1], PATH_MAX);
    if (resume) { /* the checkpoint holds the options; --epochs may have been a train option */
        argv[n++] = "--resume";
        argv[n++] = paths[1];
    } else {
        n += lp_study_job_argv(&sw->study, job, argv + n);
    }
    argv[n++] = "--log";
    argv[n++] = paths[0];
    argv[n++] = "--checkpoint";
    argv[n++] = paths[1];
    argv[n++] = "--json";
    argv[n] = NULL;
}

/* A child running argv with stdout into out (NULL: /dev/null) and stderr into errp, on the
 * xrt backend's compute unit cu (LPSGD_XRT_CU; 0: not set); it dies with the sweep
 * (SIGTERM: train writes its checkpoint and stops). */
static pid_t spawn(const char *self, const char **argv, const char *out, const char *errp, unsigned cu,
                   lp_err_t *err)
{
    pid_t parent = getpid(), pid = fork();
    if (pid < 0)
        return lp_fail(err, "fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(143);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(126);
        char cus[16];
        snprintf(cus, sizeof cus, "%u", cu);
        if (cu && setenv("LPSGD_XRT_CU", cus, 1) != 0)
            _exit(126);
        execv(self, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Start job k in slot `slot` of the running jobs: stdout into result.json.tmp, stderr into
 * stderr.txt; with check, only `train ... --check` (the options and the data checked,
 * nothing run). With sw->xrt_cu, slot i's job runs on the xclbin's CU i + 1. */
static pid_t start_job(const lp_sweep_t *sw, size_t k, int check, unsigned slot, lp_err_t *err)
{
    lp_job_t job;
    char paths[2][PATH_MAX], out[PATH_MAX], errp[PATH_MAX], failed[PATH_MAX];
    const char *argv[ARGV_MAX];
    lp_study_job(&sw->study, k, &job);
    lp_sweep_path(sw, &job, "failed", failed, sizeof failed);
    unlink(failed); /* a re-run retries a failed job */
    lp_sweep_path(sw, &job, NULL, out, sizeof out);
    if (mkdir(out, 0777) && errno != EEXIST)
        return lp_fail(err, "%s: %s", out, strerror(errno));
    lp_sweep_path(sw, &job, "checkpoint", paths[1], PATH_MAX);
    job_args(sw, &job, !check && can_resume(paths[1]), paths, argv);
    if (check) {
        int n = 0;
        while (argv[n])
            n++;
        argv[n++] = "--check";
        argv[n] = NULL;
    }
    lp_sweep_path(sw, &job, "result.json.tmp", out, sizeof out);
    lp_sweep_path(sw, &job, "stderr.txt", errp, sizeof errp);
    return spawn(sw->self, argv, check ? NULL : out, errp, sw->xrt_cu ? slot + 1 : 0, err);
}

/* The first line of job k's stderr.txt, for a message. */
static void first_error(const lp_sweep_t *sw, size_t k, char *line, size_t cap)
{
    lp_job_t job;
    char path[PATH_MAX];
    lp_study_job(&sw->study, k, &job);
    lp_sweep_path(sw, &job, "stderr.txt", path, sizeof path);
    FILE *f = fopen(path, "r");
    line[0] = 0;
    if (f) {
        while (fgets(line, (int)cap, f) && !strncmp(line, "resume ", 7))
            ;
        fclose(f);
    }
    line[strcspn(line, "\n")] = 0;
}

/*
 * Job k's process ended with wait status ws. Returns the job's new status; *usage is set
 * when train refused its arguments (exit 2). stopping: the sweep was interrupted, so a job
 * that did not finish is pending, not failed.
 */
static int job_ended(lp_sweep_t *sw, size_t k, int ws, int stopping, int *usage, lp_err_t *err)
{
    lp_job_t job;
    char tmp[PATH_MAX], dst[PATH_MAX];
    lp_study_job(&sw->study, k, &job);
    lp_sweep_path(sw, &job, "result.json.tmp", tmp, sizeof tmp);
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0) {
        lp_log_t log;
        lp_sweep_path(sw, &job, "log.csv", dst, sizeof dst);
        if (lp_log_read(dst, &log, err))
            return LP_JOB_FAILED;
        lp_log_summarize(&log, &sw->sum[k]);
        lp_log_free(&log);
        lp_sweep_path(sw, &job, "result.json", dst, sizeof dst);
        if (rename(tmp, dst))
            return lp_fail(err, "%s: %s", dst, strerror(errno)), LP_JOB_FAILED;
        return LP_JOB_DONE;
    }
    unlink(tmp);
    if (stopping)
        return LP_JOB_PENDING;
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 2)
        *usage = 1;
    lp_sweep_path(sw, &job, "failed", dst, sizeof dst);
    FILE *f = fopen(dst, "w");
    if (f) {
        if (WIFEXITED(ws))
            fprintf(f, "train exited with status %d (stderr.txt says why)\n", WEXITSTATUS(ws));
        else
            fprintf(f, "train was killed by signal %d\n", WTERMSIG(ws));
        fclose(f);
    }
    return LP_JOB_FAILED;
}

typedef struct {
    size_t total, done, failed, running, done_here, shown;
    double t0;
    int tty;
    char last[256];
} progress_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void hms(char *out, size_t cap, double s)
{
    unsigned long t = (unsigned long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, cap, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, cap, "%lu:%02lu", t / 60, t % 60);
}

/* One progress line on stderr when something changed (redrawn in place on a terminal). */
static void progress(progress_t *p, int final)
{
    char line[256], el[32], eta[48] = "";
    double t = now() - p->t0;
    size_t left = p->total - p->done - p->failed;
    hms(el, sizeof el, t);
    if (p->done_here && left) {
        char e[32];
        hms(e, sizeof e, t / (double)p->done_here * (double)left);
        snprintf(eta, sizeof eta, ", ETA %s", e);
    }
    snprintf(line, sizeof line, "sweep: %zu/%zu done, %zu running, %zu failed, %zu to go; %s elapsed%s", p->done,
             p->total, p->running, p->failed, left - p->running, el, eta);
    if (p->tty) {
        fprintf(stderr, "\r\033[K%s%s", line, final ? "\n" : "");
        snprintf(p->last, sizeof p->last, "%s", line);
    } else if (p->done + p->failed != p->shown || (final && strcmp(line, p->last)) || !p->last[0]) {
        fprintf(stderr, "%s\n", line); /* a log file: one line per finished job */
        p->shown = p->done + p->failed;
        snprintf(p->last, sizeof p->last, "%s", line);
    }
}

typedef struct {
    pid_t pid;
    size_t job;
} slot_t;

/* Wait for one child (polling, so signals and the clock are seen); its slot index or -1. */
static int reap(slot_t *slot, unsigned n, int *ws)
{
    pid_t pid = waitpid(-1, ws, WNOHANG);
    if (pid <= 0) {
        struct timespec d = {0, 50 * 1000 * 1000};
        nanosleep(&d, NULL);
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        if (slot[i].pid == pid)
            return (int)i;
    return -1;
}

/* Stop: SIGTERM every running job (each writes its checkpoint) and wait for them. */
static void stop_all(lp_sweep_t *sw, slot_t *slot, unsigned n, progress_t *p)
{
    int ws, usage = 0;
    lp_err_t e;
    for (unsigned i = 0; i < n; i++)
        if (slot[i].pid > 0)
            kill(slot[i].pid, SIGTERM);
    for (unsigned i = 0; i < n; i++)
        if (slot[i].pid > 0) {
            while (waitpid(slot[i].pid, &ws, 0) < 0 && errno == EINTR)
                ;
            sw->status[slot[i].job] = job_ended(sw, slot[i].job, ws, 1, &usage, &e);
            p->done += sw->status[slot[i].job] == LP_JOB_DONE;
            slot[i].pid = 0;
        }
    p->running = 0;
}

/*
 * Before any job starts: train --check on the first pending job, so options train refuses
 * (or data it cannot load) give one message instead of a directory of failed jobs.
 * 0 fine, 2 refused (err says train's message), 1 could not run it.
 */
static int preflight(const lp_sweep_t *sw, lp_err_t *err)
{
    size_t k = 0;
    while (k < sw->njobs && sw->status[k] == LP_JOB_DONE)
        k++;
    if (k == sw->njobs)
        return 0;
    int ws;
    pid_t pid = start_job(sw, k, 1, 0, err);
    if (pid < 0)
        return 1;
    int sent = 0;
    for (;;) { /* polling: a signal caught meanwhile stops the check too */
        pid_t r = waitpid(pid, &ws, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return lp_fail(err, "waitpid: %s", strerror(errno)), 1;
        if (lp_sig_caught() && !sent)
            sent = !kill(pid, SIGTERM);
        struct timespec d = {0, 20 * 1000 * 1000};
        nanosleep(&d, NULL);
    }
    if (lp_sig_caught() || (WIFEXITED(ws) && WEXITSTATUS(ws) == 0))
        return 0;
    char line[400];
    first_error(sw, k, line, sizeof line);
    lp_fail(err, "job %zu: %s", k, line[0] ? line : "lpsgd train --check failed");
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 2 ? 2 : 1;
}

int lp_sweep_run(lp_sweep_t *sw, unsigned jobs, lp_err_t *err)
{
    lp_sig_saved_t saved;
    lp_sig_catch(&saved, LP_SIG_STOP); /* from here a signal stops the sweep at a safe point */
    int pre = preflight(sw, err);
    if (pre || lp_sig_caught()) {
        lp_sig_restore(&saved);
        return pre ? pre : (lp_fail(err, "interrupted before the first job started; the same command starts it"), 130);
    }
    slot_t *slot = calloc(jobs, sizeof *slot);
    progress_t p = {.total = sw->njobs, .t0 = now(), .tty = isatty(2)};
    int usage = 0, rc = 0;
    size_t next = 0, usage_job = 0;
    if (!slot) {
        lp_sig_restore(&saved);
        return lp_fail(err, "out of memory");
    }
    for (size_t k = 0; k < sw->njobs; k++)
        p.done += sw->status[k] == LP_JOB_DONE;
    for (;;) {
        int sig = lp_sig_caught();
        while (!sig && !usage && !rc && p.running < jobs && next < sw->njobs) {
            if (sw->status[next] == LP_JOB_DONE) {
                next++;
                continue;
            }
            unsigned i = 0;
            while (slot[i].pid > 0)
                i++;
            pid_t pid = start_job(sw, next, 0, i, err);
            if (pid < 0) {
                rc = -1;
                break;
            }
            slot[i] = (slot_t){pid, next};
            sw->status[next++] = LP_JOB_RUNNING;
            p.running++;
        }
        progress(&p, 0);
        if (sig || rc) {
            stop_all(sw, slot, jobs, &p);
            break;
        }
        if (!p.running)
            break;
        int ws, i = reap(slot, jobs, &ws);
        if (i < 0)
            continue;
        size_t k = slot[i].job;
        int u = 0;
        slot[i].pid = 0;
        p.running--;
        sw->status[k] = job_ended(sw, k, ws, 0, &u, err);
        p.done += sw->status[k] == LP_JOB_DONE;
        p.done_here += sw->status[k] == LP_JOB_DONE;
        p.failed += sw->status[k] == LP_JOB_FAILED;
        if (u && !usage)
            usage = 1, usage_job = k;
        if (lp_sweep_write_index(sw, err))
            rc = -1;
    }
    int sig = lp_sig_caught();
    lp_sig_restore(&saved);
    progress(&p, 1);
    free(slot);
    if (rc == 0 && lp_sweep_write_index(sw, err))
        rc = -1;
    if (rc)
        return 1;
    if (usage) {
        char line[400];
        first_error(sw, usage_job, line, sizeof line);
        lp_fail(err, "lpsgd train refused job %zu's options, so every job would fail: %s", usage_job, line);
        return 2;
    }
    if (sig) {
        lp_fail(err, "interrupted: %zu of %zu jobs done; the same command (or 'lpsgd sweep %s') resumes the rest",
                p.done, sw->njobs, sw->dir);
        return 130;
    }
    if (p.failed) {
        lp_fail(err, "%zu of %zu jobs failed (their stderr.txt says why; a re-run retries them)", p.failed, sw->njobs);
        return 1;
    }
    return 0;
}

int lp_sweep_task(lp_sweep_t *sw, size_t k, lp_err_t *err)
{
    if (sw->status[k] == LP_JOB_DONE)
        return 0;
    lp_sig_saved_t saved;
    lp_sig_catch(&saved, LP_SIG_STOP);
    pid_t pid = start_job(sw, k, 0, 0, err);
    if (pid < 0) {
        lp_sig_restore(&saved);
        return 1;
    }
    int ws, usage = 0, sent = 0;
    for (;;) {
        pid_t r = waitpid(pid, &ws, WNOHANG);
        if (r == pid)
            break;
        if (lp_sig_caught() && !sent) { /* Slurm's time limit or scancel: SIGTERM */
            kill(pid, SIGTERM);
            sent = 1;
        }
        struct timespec d = {0, 50 * 1000 * 1000};
        nanosleep(&d, NULL);
    }
    lp_sig_restore(&saved);
    sw->status[k] = job_ended(sw, k, ws, sent, &usage, err);
    if (sw->status[k] == LP_JOB_DONE)
        return 0;
    if (sent)
        return lp_fail(err, "job %zu interrupted; its checkpoint is kept (re-run the task to resume)", k), 130;
    char line[400];
    first_error(sw, k, line, sizeof line);
    lp_fail(err, "job %zu failed: %s", k, line);
    return usage ? 2 : 1;
}
