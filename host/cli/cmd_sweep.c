/*
 * cmd_sweep.c - `lpsgd sweep`: a grid of training runs into one directory, on the local
 * cores or as a Slurm job array, resumable (host/sweep/, docs/sweep.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "io/lp_io.h"
#include "backend/xrt.h"
#include "sweep/sweep.h"

static void usage(void)
{
    printf("usage: lpsgd sweep DIR [GRID] [--study FILE.ini] [-j N] [-- TRAIN OPTIONS]\n"
           "       lpsgd sweep DIR ... --slurm [--partition P] [--time T] [--constraint C] [--gres G] [--submit]\n"
           "       lpsgd sweep DIR               resume DIR's study (after Ctrl-C, kill -9, a reboot)\n"
           "       lpsgd sweep --collect DIR     merge what Slurm tasks wrote into DIR/index.csv\n"
           "       lpsgd sweep --task N DIR      run job N of DIR's study (what a Slurm task runs)\n\n"
           "Runs 'lpsgd train' for every point of a grid (the cross product of the lists below), each\n"
           "job in DIR/jobs/ID/ with its log, checkpoint and result, and keeps DIR/index.csv (and\n"
           "index.json): one row per job with its parameters, status and final figures. Then\n"
           "'lpsgd report DIR' draws the study. docs/sweep.md has the directory's layout.\n\n"
           "the grid (comma-separated lists; an axis not given takes train's default):\n"
           "  --format F,...      formats (presets, eXmY, fixedW.F)\n"
           "  --lr MU,...         stepsizes\n"
           "  --seeds S           seeds and ranges: 1-5 or 1,3,7-9\n"
           "  --rounding R,...    rne, rtz, sr        --scale S,...     none, tensor, block32\n"
           "  --schedule S,...    const, inverse, halving\n"
           "  --compensate off,on with and/or without the stepsize compensation\n"
           "  --model M,...       softmax, logistic, hinge, lsq\n"
           "  --backend B,...     csim, verilator, xrt, opencl (xrt: one job per compute unit at once)\n"
           "  --data D            a train --data spec; repeat the flag for several data sets\n"
           "  --study FILE.ini    the grid from an INI file ([grid], [train], [sweep]; docs/sweep.md);\n"
           "                      flags given as well replace the file's axes\n\n"
           "running:\n"
           "  -j, --jobs N        jobs at once (default: the number of cores)\n"
           "  --list              print the jobs' ids and commands, run nothing\n"
           "  -- TRAIN OPTIONS    passed to every job: --epochs 3 --batch 64 --eval-every 100 ...\n\n"
           "A re-run of the same command skips finished jobs and resumes interrupted ones from their\n"
           "checkpoints (bit-identical); a sweep with another grid, or a second sweep while one runs,\n"
           "refuses DIR. Progress (done, running, failed, ETA) goes to stderr.\n"
           "Exit status: 0 all jobs done, 1 some failed, 2 bad input, 130 interrupted.\n\n"
           "Slurm (a cluster with a filesystem every node sees under the same path):\n"
           "  --slurm             write DIR/slurm/sweep.sbatch, a job array with one task per job\n"
           "  --partition P, --time T, --constraint C, --gres G   #SBATCH options of the script\n"
           "  --submit            and submit it with sbatch (then: lpsgd sweep --collect DIR)\n\n"
           "examples:\n"
           "  lpsgd sweep out/fp4 --format fp32,fp8_e4m3,fp4_e2m1 --lr 0.01,0.02,0.05 --seeds 1-3 -- --epochs 3\n"
           "  lpsgd report out/fp4\n"
           "  lpsgd sweep /shared/s1 --study s1.ini --slurm --partition fpga --constraint u280 --submit\n");
}

typedef struct {
    const char *dir, *study_file, *task;
    unsigned jobs;
    int collect, list, slurm, submit, given[LP_AX_N];
    char *slurm_opt[4];
} sweep_cli_t;

static int parse_slurm_opt(lp_args_t *a, sweep_cli_t *c)
{
    static const char *const names[4] = {"--partition", "--time", "--constraint", "--gres"};
    for (int i = 0; i < 4; i++) {
        const char *v;
        int r = lp_args_opt(a, names[i], &v);
        if (r < 0)
            return -1;
        if (r) {
            c->slurm_opt[i] = (char *)v;
            return 1;
        }
    }
    return 0;
}

/* One option before "--"; 1 taken, 0 not this kind, -1 error (message printed). */
static int parse_opt(lp_args_t *a, sweep_cli_t *c, lp_study_t *s)
{
    const char *v;
    int r;
    for (int ax = 0; ax < LP_AX_N; ax++) {
        char flag[32];
        snprintf(flag, sizeof flag, "--%s", lp_axis_names[ax]);
        if ((r = lp_args_opt(a, flag, &v))) {
            lp_err_t e;
            if (r < 0)
                return -1;
            if (ax != LP_AX_DATA && c->given[ax]) /* a repeated flag adds to the list: only data needs it */
                return lp_args_error(a, "%s is given twice (give one list: %s a,b,c)", flag, flag), -1;
            c->given[ax] = 1;
            return lp_study_add(s, ax, v, &e) ? (lp_args_error(a, "%s", e.msg), -1) : 1;
        }
    }
    if ((r = lp_args_opt(a, "--study", &c->study_file)) || (r = lp_args_opt(a, "--task", &c->task)))
        return r;
    if ((r = lp_args_opt(a, "--jobs", &v)) || (r = lp_args_opt(a, "-j", &v))) {
        uint32_t j;
        if (r < 0 || lp_args_u32(a, "--jobs", v, 1, 1024, &j))
            return -1;
        c->jobs = j;
        return 1;
    }
    if ((r = parse_slurm_opt(a, c)))
        return r;
    if (lp_args_flag(a, "--collect"))
        return c->collect = 1;
    if (lp_args_flag(a, "--list"))
        return c->list = 1;
    if (lp_args_flag(a, "--slurm"))
        return c->slurm = 1;
    if (lp_args_flag(a, "--submit"))
        return c->submit = 1;
    return 0;
}

static int read_study(const char *path, lp_study_t *s, const int *given, const lp_args_t *a)
{
    char *text;
    size_t len;
    lp_err_t e;
    int rc = lp_io_read_text(path, 1u << 20, "an INI study file (docs/sweep.md)", &text, &len, &e) ||
             lp_study_parse_ini(s, text, path, given, &e);
    free(text);
    return rc ? lp_args_error(a, "--study %s", e.msg) : 0;
}

/*
 * 0 when no job runs on xrt. Else the compute units of the xclbin the xrt jobs load
 * (--xclbin after --, else what the xrt backend takes); with mark, each running job is
 * then given a CU of its own (LPSGD_XRT_CU).
 */
static unsigned xrt_cus(lp_sweep_t *sw, int mark)
{
    const char *xclbin = NULL;
    int xrt = 0;
    for (size_t i = 0; i < sw->study.ax[LP_AX_BACKEND].n; i++)
        xrt |= !strcmp(sw->study.ax[LP_AX_BACKEND].v[i], "xrt");
    for (size_t i = 0; i < sw->study.nfixed; i++)
        if (!strcmp(sw->study.fixed[2 * i], "--xclbin"))
            xclbin = sw->study.fixed[2 * i + 1];
    sw->xrt_cu |= xrt && mark;
    return xrt ? lp_xrt_xclbin_cus(xclbin) : 0;
}

static void list_jobs(const lp_sweep_t *sw)
{
    for (size_t k = 0; k < sw->njobs; k++) {
        lp_job_t job;
        char path[4096], cmd[8192] = "";
        lp_study_job(&sw->study, k, &job);
        lp_sweep_path(sw, &job, "command.txt", path, sizeof path);
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(cmd, sizeof cmd, f))
                cmd[0] = 0;
            fclose(f);
        }
        printf("%s  %s", job.id, cmd[0] ? cmd : "\n");
    }
}

/* --submit: sbatch --parsable SCRIPT; prints the job id. */
static int submit(const char *script, const lp_sweep_t *sw)
{
    int fd[2];
    if (pipe(fd))
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execlp("sbatch", "sbatch", "--parsable", script, (char *)NULL);
        fprintf(stderr, "lpsgd sweep: --submit: sbatch not found (install Slurm's client, Debian package "
                        "slurm-client, or submit %s yourself)\n", script);
        _exit(127);
    }
    close(fd[1]);
    char id[128] = "";
    ssize_t n = pid > 0 ? read(fd[0], id, sizeof id - 1) : -1;
    close(fd[0]);
    int ws = 0;
    if (pid > 0)
        waitpid(pid, &ws, 0);
    if (pid < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) || n <= 0) {
        fprintf(stderr, "lpsgd sweep: --submit: sbatch failed (its message is above); the script is %s\n", script);
        return 1;
    }
    id[n] = 0;
    id[strcspn(id, ";\n")] = 0;
    printf("submitted Slurm job %s: %zu array tasks; when they have ended: lpsgd sweep --collect %s\n", id, sw->njobs,
           sw->dir);
    return 0;
}

static int collect(lp_sweep_t *sw, lp_err_t *err)
{
    size_t missing = 0;
    if (lp_sweep_scan(sw, err) || lp_sweep_write_index(sw, err))
        return -1;
    for (size_t k = 0; k < sw->njobs; k++)
        if (sw->status[k] != LP_JOB_DONE) {
            lp_job_t job;
            lp_study_job(&sw->study, k, &job);
            fprintf(stderr, "lpsgd sweep: job %zu (%s) is %s\n", k, job.id,
                    sw->status[k] == LP_JOB_FAILED ? "failed (see its stderr.txt)" : "not done");
            missing++;
        }
    printf("wrote %s/index.csv and index.json: %zu of %zu jobs done\n", sw->dir, sw->njobs - missing, sw->njobs);
    return missing ? 1 : 0;
}

static int run_mode(sweep_cli_t *c, lp_sweep_t *sw, lp_err_t *err)
{
    char script[4096];
    if (c->list) {
        list_jobs(sw);
        return 0;
    }
    if (c->slurm) {
        for (int i = 0; i < 4; i++)
            if (!c->slurm_opt[i])
                c->slurm_opt[i] = sw->study.slurm[i];
        int r = lp_sweep_slurm_script(sw, c->slurm_opt, script, sizeof script, err);
        if (r)
            return r == -2 ? 2 : 1;
        printf("wrote %s (%zu array tasks)\n", script, sw->njobs);
        return c->submit ? submit(script, sw) : 0;
    }
    if (lp_sweep_scan(sw, err))
        return 1;
    unsigned jobs = c->jobs ? c->jobs : xrt_cus(sw, 0);
    if (!jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 && n < 1024 ? (unsigned)n : 1;
    }
    unsigned ncu = xrt_cus(sw, 1);
    if (ncu && jobs > ncu) {
        fprintf(stderr, "lpsgd sweep: xrt jobs: at most %u at once, one per compute unit of the xclbin "
                        "(docs/sweep.md)\n", ncu);
        jobs = ncu;
    }
    int rc = lp_sweep_run(sw, jobs, err);
    if (rc == 0)
        printf("wrote %s/index.csv and index.json (%zu jobs); next: lpsgd report %s\n", sw->dir, sw->njobs, sw->dir);
    return rc;
}

/* The options after "--", as "--name value" pairs for every job. */
static int train_pair(lp_args_t *a, lp_study_t *s, int *given, const char *arg, const char *next, int *used)
{
    lp_err_t e;
    char name[64];
    const char *eq = strchr(arg, '=');
    *used = 0;
    if (strncmp(arg, "--", 2))
        return lp_args_error(a, "after '--' come train options (--name value), not '%s'", arg);
    if (eq) {
        snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
    } else if (!next) {
        return lp_args_error(a, "train option %s has no value (train options after '--' are --name value)", arg);
    } else {
        snprintf(name, sizeof name, "%s", arg);
        *used = 1;
    }
    const char *val = eq ? eq + 1 : next;
    int ax = !strcmp(name, "--seed") ? LP_AX_SEED : lp_axis_find(name + 2);
    if (ax >= 0) { /* an axis after "--": one value, unless the grid lists it already */
        if (given[ax] || (ax == LP_AX_COMPENSATE))
            return lp_args_error(a, "%s after '--' %s", name, ax == LP_AX_COMPENSATE ? "is an axis: give --compensate "
                                 "on (or off,on) before '--'" : "is in the grid already");
        given[ax] = 1;
        return lp_study_add(s, ax, val, &e) ? lp_args_error(a, "%s", e.msg) : 0;
    }
    return lp_study_add_fixed(s, name, val, &e) ? lp_args_error(a, "%s", e.msg) : 0;
}

static int finish(int rc, lp_study_t *s, lp_sweep_t *sw, const lp_err_t *err)
{
    if (rc && err->msg[0])
        fprintf(stderr, "lpsgd sweep: %s\n", err->msg);
    lp_sweep_close(sw);
    lp_study_free(s);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    lp_args_t a;
    sweep_cli_t c = {0};
    lp_study_t s;
    lp_sweep_t sw = {.lock_fd = -1};
    lp_err_t err = {{0}};
    int grid = 0, r, used;
    lp_study_init(&s);
    lp_args_begin(&a, "sweep", argc, argv);
    while (lp_args_next(&a)) {
        if (lp_args_help(&a)) {
            usage();
            return finish(0, &s, &sw, &err);
        }
        if (a.no_more) {
            const char *next = a.i + 1 < a.argc ? a.argv[a.i + 1] : NULL;
            if (train_pair(&a, &s, c.given, lp_args_cur(&a), next, &used))
                return finish(2, &s, &sw, &err);
            a.i += used;
            grid = 1;
            continue;
        }
        if ((r = parse_opt(&a, &c, &s))) {
            if (r < 0)
                return finish(2, &s, &sw, &err);
            continue;
        }
        if (lp_args_is_option(&a))
            return finish(lp_args_unknown(&a), &s, &sw, &err);
        if (c.dir)
            return finish(lp_args_error(&a, "one directory only ('%s' and '%s'); grid values are lists: --lr a,b",
                                        c.dir, lp_args_cur(&a)), &s, &sw, &err);
        c.dir = lp_args_cur(&a);
    }
    if (!c.dir)
        return finish(lp_args_error(&a, "the study's directory is missing (lpsgd sweep DIR --format a,b --lr x,y; "
                                        "see --help)"), &s, &sw, &err);
    for (int ax = 0; ax < LP_AX_N; ax++)
        grid |= c.given[ax];
    if (c.study_file && read_study(c.study_file, &s, c.given, &a))
        return finish(2, &s, &sw, &err);
    grid |= c.study_file != NULL;
    if ((c.collect || c.task) && (grid || c.slurm || c.list))
        return finish(lp_args_error(&a, "--%s takes only DIR (the study is DIR's)", c.collect ? "collect" : "task"),
                      &s, &sw, &err);
    if (c.submit && !c.slurm)
        return finish(lp_args_error(&a, "--submit goes with --slurm"), &s, &sw, &err);
    if (!c.jobs)
        c.jobs = s.jobs;
    uint32_t task = 0;
    if (c.task && lp_args_u32(&a, "--task", c.task, 0, LP_STUDY_MAX_JOBS - 1, &task))
        return finish(2, &s, &sw, &err);
    if (lp_study_njobs(&s) > LP_STUDY_MAX_JOBS)
        return finish(lp_args_error(&a, "the grid has %zu jobs, more than %d", lp_study_njobs(&s), LP_STUDY_MAX_JOBS),
                      &s, &sw, &err);
    r = lp_sweep_open(&sw, c.dir, grid ? &s : NULL, c.task != NULL, &err);
    if (r)
        return finish(r == -2 ? 2 : 1, &s, &sw, &err);
    if (c.collect) {
        int cr = collect(&sw, &err);
        return finish(cr < 0 ? 1 : cr, &s, &sw, &err);
    }
    if (c.task) {
        if (task >= sw.njobs)
            return finish(lp_args_error(&a, "--task %u: %s has %zu jobs (0..%zu)", task, sw.dir, sw.njobs,
                                        sw.njobs - 1), &s, &sw, &err);
        return finish(lp_sweep_scan(&sw, &err) ? 1 : lp_sweep_task(&sw, task, &err), &s, &sw, &err);
    }
    return finish(run_mode(&c, &sw, &err), &s, &sw, &err);
}
