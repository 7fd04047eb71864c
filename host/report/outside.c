/*
 * outside.c - what the report takes from outside the study: make resources' kernel.csv and
 * the paper's Figure 1 table from this program's own `lpsgd shrink --json` (see report.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

extern char **environ;

#define RES_HEADER "top,format,lut,lutram,ff,carry,dsp,bram36,uram,seconds"
#define FIG1_MAX_OUT (1u << 20)

int rp_resources_read(const char *path, int required, rp_resources_t *r, lp_err_t *err)
{
    struct stat st;
    rp_csv_t csv;
    memset(r, 0, sizeof *r);
    r->path = path;
    if (stat(path, &st) != 0 && errno == ENOENT && !required)
        return 0;
    if (rp_csv_read(path, "the kernel.csv of 'make resources'", &csv, err))
        return -1;
    if (!rp_csv_header_is(&csv, RES_HEADER)) {
        rp_csv_free(&csv);
        return lp_fail(err, "%s:1: not the kernel.csv of 'make resources' (want the header %s)", path, RES_HEADER);
    }
    r->rows = calloc(csv.nrows, sizeof *r->rows);
    for (size_t i = 1; r->rows && i < csv.nrows; i++) {
        rp_res_row_t *row = &r->rows[r->nrows];
        double *v[7] = {&row->lut, &row->lutram, &row->ff, &row->carry, &row->dsp, &row->bram36, &row->uram};
        int bad = csv.ncols[i] != 10;
        for (int k = 0; k < 7 && !bad; k++) {
            char *end;
            *v[k] = strtod(csv.rows[i][2 + k], &end);
            bad = end == csv.rows[i][2 + k] || *end || !isfinite(*v[k]) || *v[k] < 0;
        }
        if (bad) {
            lp_fail(err, "%s:%zu: not a row of 'make resources' (top, format, then 8 numbers)", path, csv.line[i]);
            rp_csv_free(&csv);
            rp_resources_free(r);
            return -1;
        }
        snprintf(row->top, sizeof row->top, "%s", csv.rows[i][0]);
        snprintf(row->format, sizeof row->format, "%s", csv.rows[i][1]);
        r->nrows++;
    }
    rp_csv_free(&csv);
    if (!r->rows)
        return lp_fail(err, "out of memory");
    r->present = 1;
    return 0;
}

void rp_resources_free(rp_resources_t *r)
{
    free(r->rows);
    r->rows = NULL;
    r->nrows = 0;
}

const rp_res_row_t *rp_resources_find(const rp_resources_t *r, const char *format)
{
    const rp_res_row_t *first = NULL;
    for (size_t i = 0; i < r->nrows; i++)
        if (!strcmp(r->rows[i].format, format)) {
            if (!strcmp(r->rows[i].top, "lp_sgd"))
                return &r->rows[i];
            if (!first)
                first = &r->rows[i];
        }
    return first;
}

/* Run argv with stdout into buf[cap] (stderr to /dev/null); its exit status, or -1 (errno). */
static int capture(char *const argv[], char *buf, size_t cap, size_t *len)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        errno = rc;
        return -1;
    }
    *len = 0;
    for (;;) {
        ssize_t got = read(fd[0], buf + *len, cap - 1 - *len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        *len += (size_t)got;
        if (*len == cap - 1)
            break;
    }
    buf[*len] = '\0';
    close(fd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The number after "key": in [p, e), NaN if absent or null. */
static double json_num(const char *p, const char *e, const char *key)
{
    char k[40];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *at = strstr(p, k);
    if (!at || at >= e)
        return NAN;
    char *end;
    double v = strtod(at + strlen(k), &end);
    return end == at + strlen(k) ? NAN : v;
}

/* The string after "key": "..." in [p, e) into out. */
static int json_word(const char *p, const char *e, const char *key, char *out, size_t cap)
{
    char k[40];
    snprintf(k, sizeof k, "\"%s\": \"", key);
    const char *at = strstr(p, k);
    if (!at || at >= e)
        return -1;
    at += strlen(k);
    size_t l = strcspn(at, "\"");
    snprintf(out, cap, "%.*s", (int)(l < cap ? l : cap - 1), at);
    return 0;
}

void rp_fig1_run(rp_fig1_t *f)
{
    memset(f, 0, sizeof *f);
    char *out = malloc(FIG1_MAX_OUT);
    char *argv[] = {"/proc/self/exe", "shrink", "--json", NULL};
    size_t len = 0;
    int rc = out ? capture(argv, out, FIG1_MAX_OUT, &len) : -1;
    if (rc != 0) {
        snprintf(f->error, sizeof f->error, "'lpsgd shrink --json' %s %d", rc < 0 ? "could not run:" : "exited with",
                 rc < 0 ? errno : rc);
        free(out);
        return;
    }
    size_t cap = 0;
    for (const char *p = out; (p = strstr(p, "{\"format\": ")) != NULL; p++)
        cap++;
    f->rows = calloc(cap ? cap : 1, sizeof *f->rows);
    for (const char *p = out; f->rows && (p = strstr(p, "{\"format\": ")) != NULL; p++) {
        const char *e = strchr(p, '}');
        rp_fig1_row_t *r = &f->rows[f->nrows];
        if (!e || json_word(p, e, "format", r->format, sizeof r->format) ||
            json_word(p, e, "scale", r->scale, sizeof r->scale))
            break;
        r->q_norm = json_num(p, e, "q_norm");
        r->q_proj = json_num(p, e, "q_proj");
        r->underflow_frac = json_num(p, e, "underflow_frac");
        double u = json_num(p, e, "underflow");
        r->underflow = isnan(u) ? -1 : (long)u;
        f->nrows++;
    }
    if (!f->nrows)
        snprintf(f->error, sizeof f->error, "'lpsgd shrink --json' printed no table");
    free(out);
}

void rp_fig1_free(rp_fig1_t *f)
{
    free(f->rows);
    f->rows = NULL;
    f->nrows = 0;
}
