/*
 * study.c - a study directory's index.csv, its done jobs' logs, and their grouping into
 * widths and configurations (see report.h, docs/sweep.md).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

static const char *const status_names[] = {"done", "failed", "pending"};

/* The parameter columns that make a width, a setting, a configuration. */
static const int width_cols[] = {RP_SCALE, RP_ROUNDING};
static const int setting_cols[] = {RP_DATA, RP_MODEL, RP_BACKEND, RP_SCHEDULE};

static int parse_lr(const char *v, double *lr)
{
    char *end;
    *lr = strtod(v, &end);
    return end != v && *end == '\0' && isfinite(*lr) && *lr > 0 ? 0 : -1;
}

/* Check one index row (r >= 1) and fill job. 0, or -1 and a message. */
static int check_row(const rp_csv_t *ix, size_t r, const char *path, rp_job_t *job, lp_err_t *err)
{
    size_t line = ix->line[r];
    if (ix->ncols[r] != RP_NCOLS)
        return lp_fail(err, "%s:%zu: %zu fields, want %d (the columns of docs/sweep.md)", path, line, ix->ncols[r],
                       RP_NCOLS);
    job->col = ix->rows[r];
    job->config = -1;
    const char *id = job->col[RP_ID];
    if (!*id)
        return lp_fail(err, "%s:%zu: the id is empty", path, line);
    int st = -1;
    for (int k = 0; k < 3; k++)
        if (!strcmp(job->col[RP_STATUS], status_names[k]))
            st = k;
    if (st < 0)
        return lp_fail(err, "%s:%zu: job %s: status '%s' is not done, failed or pending", path, line, id,
                       job->col[RP_STATUS]);
    job->done = st == 0;
    if (parse_lr(job->col[RP_LR], &job->lr))
        return lp_fail(err, "%s:%zu: job %s: lr '%s' is not a positive number", path, line, id, job->col[RP_LR]);
    const char *c = job->col[RP_COMPENSATE];
    if (strcmp(c, "on") && strcmp(c, "off"))
        return lp_fail(err, "%s:%zu: job %s: compensate '%s' is not on or off", path, line, id, c);
    job->compensate = !strcmp(c, "on");
    char *end;
    strtoul(job->col[RP_SEED], &end, 10);
    if (!*job->col[RP_SEED] || *end)
        return lp_fail(err, "%s:%zu: job %s: seed '%s' is not an integer", path, line, id, job->col[RP_SEED]);
    if (job->done && (!*job->col[RP_FORMAT] || !*job->col[RP_LOG]))
        return lp_fail(err, "%s:%zu: job %s is done but its format or log column is empty", path, line, id);
    return 0;
}

/* Read a done job's log (a path relative to the study directory, or absolute). */
static int read_log(const char *dir, const char *ixpath, size_t line, rp_job_t *job, lp_err_t *err)
{
    char path[4096];
    const char *lg = job->col[RP_LOG];
    if ((size_t)snprintf(path, sizeof path, "%s%s%s", lg[0] == '/' ? "" : dir, lg[0] == '/' ? "" : "/", lg) >=
        sizeof path)
        return lp_fail(err, "%s:%zu: job %s: log path too long", ixpath, line, job->col[RP_ID]);
    lp_err_t le;
    if (lp_log_read(path, &job->log, &le))
        return lp_fail(err, "%s:%zu: job %s (done): %s", ixpath, line, job->col[RP_ID], le.msg);
    for (size_t i = 0; i < job->log.n; i++)
        if (!isnan(LP_LOG_AT(&job->log, i, LP_LOG_TRAIN_LOSS)))
            return 0;
    return lp_fail(err, "%s:%zu: job %s (done): %s has no evaluation row", ixpath, line, job->col[RP_ID], path);
}

/* key = a, then " name=value" for each varying column of cols. */
static void join_key(char *key, size_t cap, const char *first, const rp_study_t *s, const rp_job_t *j,
                     const int *cols, size_t n)
{
    static const char *const names[RP_NCOLS] = {[RP_SCALE] = "scale", [RP_ROUNDING] = "rounding", [RP_DATA] = "data",
                                                [RP_MODEL] = "model", [RP_BACKEND] = "backend",
                                                [RP_SCHEDULE] = "schedule"};
    size_t l = (size_t)snprintf(key, cap, "%s", first);
    for (size_t k = 0; k < n && l < cap; k++)
        if (s->vary[cols[k]])
            l += (size_t)snprintf(key + l, cap - l, "%s%s=%s", l ? " " : "", names[cols[k]], j->col[cols[k]]);
}

/* Grow the array *arr of n elements of `size` bytes by one zeroed element: it, or NULL. */
static void *push(void **arr, size_t n, size_t size)
{
    char *na = realloc(*arr, (n + 1) * size);
    if (!na)
        return NULL;
    *arr = na;
    memset(na + n * size, 0, size);
    return na + n * size;
}

/* Index of the width with this key (added when new), or -1 (out of memory). */
static int find_width(rp_study_t *s, const char *key, const char *format)
{
    for (size_t w = 0; w < s->nwidths; w++)
        if (!strcmp(s->widths[w].key, key))
            return (int)w;
    rp_width_t *w = push((void **)&s->widths, s->nwidths, sizeof *w);
    if (!w)
        return -1;
    snprintf(w->key, sizeof w->key, "%s", key);
    snprintf(w->format, sizeof w->format, "%s", format);
    for (size_t i = 0; key[i] && i + 1 < sizeof w->slug; i++) {
        char ch = key[i];
        int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                   ch == '_' || ch == '-';
        w->slug[i] = keep ? ch : '-';
    }
    return (int)s->nwidths++;
}

static int add_int(int **arr, size_t *n, int v)
{
    int *at = push((void **)arr, *n, sizeof **arr);
    if (!at)
        return -1;
    *at = v;
    (*n)++;
    return 0;
}

/* Put done job j into its width and configuration. */
static int place(rp_study_t *s, int j)
{
    rp_job_t *job = &s->jobs[j];
    char key[160], setting[256];
    join_key(key, sizeof key, job->col[RP_FORMAT], s, job, width_cols, 2);
    join_key(setting, sizeof setting, "", s, job, setting_cols, 4);
    int w = find_width(s, key, job->col[RP_FORMAT]);
    if (w < 0)
        return -1;
    for (size_t c = 0; c < s->nconfigs; c++) {
        rp_config_t *cf = &s->configs[c];
        if (cf->width == w && cf->lr == job->lr && cf->compensate == job->compensate && !strcmp(cf->setting, setting)) {
            job->config = (int)c;
            return add_int(&cf->jobs, &cf->njobs, j);
        }
    }
    rp_config_t *cf = push((void **)&s->configs, s->nconfigs, sizeof *cf);
    if (!cf)
        return -1;
    cf->width = w;
    cf->lr_text = job->col[RP_LR];
    cf->lr = job->lr;
    cf->compensate = job->compensate;
    snprintf(cf->setting, sizeof cf->setting, "%s", setting);
    snprintf(cf->label, sizeof cf->label, "lr %s%s%s%s", cf->lr_text, cf->compensate ? ", --compensate" : "",
             *setting ? ", " : "", setting);
    job->config = (int)s->nconfigs;
    if (add_int(&s->widths[w].configs, &s->widths[w].nconfigs, (int)s->nconfigs))
        return -1;
    s->nconfigs++;
    return add_int(&cf->jobs, &cf->njobs, j);
}

int rp_study_load(const char *dir, rp_study_t *s, lp_err_t *err)
{
    char path[4096];
    struct stat st;
    memset(s, 0, sizeof *s);
    s->dir = dir;
    s->target = s->fp32_best = NAN;
    if ((size_t)snprintf(path, sizeof path, "%s/index.csv", dir) >= sizeof path)
        return lp_fail(err, "%s: path too long", dir);
    if (stat(path, &st) != 0 && errno == ENOENT)
        return lp_fail(err, "%s: no such file: DIR must be a study directory (made by 'lpsgd sweep DIR ...', or "
                            "any directory with an index.csv in the form of docs/sweep.md)", path);
    if (rp_csv_read(path, "the index.csv of a study (docs/sweep.md)", &s->index, err))
        return -1;
    if (!rp_csv_header_is(&s->index, RP_INDEX_HEADER))
        return lp_fail(err, "%s:1: the header is not index.csv's (docs/sweep.md): want '%.60s...'", path,
                       RP_INDEX_HEADER);
    s->njobs = s->index.nrows - 1;
    s->jobs = calloc(s->njobs ? s->njobs : 1, sizeof *s->jobs);
    if (!s->jobs)
        return lp_fail(err, "out of memory");
    const rp_job_t *first = NULL;
    for (size_t j = 0; j < s->njobs; j++) {
        rp_job_t *job = &s->jobs[j];
        if (check_row(&s->index, j + 1, path, job, err) ||
            (job->done && read_log(dir, path, s->index.line[j + 1], job, err)))
            return -1;
        s->ndone += job->done;
        s->nfailed += !strcmp(job->col[RP_STATUS], "failed");
        s->npending += !strcmp(job->col[RP_STATUS], "pending");
        if (!job->done)
            continue;
        if (!first)
            first = job;
        for (int c = RP_DATA; c <= RP_COMPENSATE; c++)
            s->vary[c] |= strcmp(first->col[c], job->col[c]) != 0;
    }
    for (size_t j = 0; j < s->njobs; j++)
        if (s->jobs[j].done && place(s, (int)j))
            return lp_fail(err, "out of memory");
    return 0;
}

void rp_study_free(rp_study_t *s)
{
    for (size_t j = 0; s->jobs && j < s->njobs; j++)
        lp_log_free(&s->jobs[j].log);
    free(s->jobs);
    for (size_t w = 0; w < s->nwidths; w++)
        free(s->widths[w].configs);
    free(s->widths);
    for (size_t c = 0; c < s->nconfigs; c++) {
        free(s->configs[c].jobs);
        for (int k = 0; k < RP_NCURVES; k++) {
            free(s->configs[c].curve[k].x);
            free(s->configs[c].curve[k].mean);
            free(s->configs[c].curve[k].band);
        }
    }
    free(s->configs);
    rp_csv_free(&s->index);
    memset(s, 0, sizeof *s);
}
