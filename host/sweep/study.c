/*
 * study.c - the grid of a sweep: axes, their values, the shared train options, the canonical
 * INI (parsed with inih) and the expansion into jobs. See study.h and docs/sweep.md.
 */
#include "sweep/study.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/lp_format.h"
#include "io/lp_io.h"

const char *const lp_axis_names[LP_AX_N] = {"data", "model", "backend", "format", "rounding",
                                            "scale", "schedule", "lr", "compensate", "seeds"};
const char *const lp_axis_defaults[LP_AX_N] = {"fashion-mnist", "softmax", "csim", "fp32", "rne",
                                               "none", "const", "0.1", "off", "0"};
/* the train flag of each axis (compensate: a bare flag when on) */
static const char *const axis_flags[LP_AX_N] = {"--data", "--model", "--backend", "--format", "--rounding",
                                                "--scale", "--schedule", "--lr", "--compensate", "--seed"};
/* the choices of the axes that have a fixed set ("" ends a list) */
static const char *const choices[LP_AX_N][5] = {
    [LP_AX_BACKEND] = {"csim", "verilator", "xrt", "opencl", ""}, /* whether this build has it: train says */
    [LP_AX_MODEL] = {"softmax", "logistic", "hinge", "lsq", ""},
    [LP_AX_ROUNDING] = {"rne", "rtz", "sr", ""},
    [LP_AX_SCALE] = {"none", "tensor", "block32", ""},
    [LP_AX_SCHEDULE] = {"const", "inverse", "halving", ""},
    [LP_AX_COMPENSATE] = {"off", "on", ""},
};
/* train options the sweep sets itself, per job */
static const char *const managed[] = {"log", "plot", "json", "checkpoint", "resume", "help"};

void lp_study_init(lp_study_t *s)
{
    memset(s, 0, sizeof *s);
}

void lp_study_free(lp_study_t *s)
{
    for (int a = 0; a < LP_AX_N; a++) {
        for (size_t i = 0; i < s->ax[a].n; i++)
            free(s->ax[a].v[i]);
        free(s->ax[a].v);
    }
    for (size_t i = 0; i < 2 * s->nfixed; i++)
        free(s->fixed[i]);
    for (int i = 0; i < 4; i++)
        free(s->slurm[i]);
    lp_study_init(s);
}

int lp_axis_find(const char *name)
{
    for (int a = 0; a < LP_AX_N; a++)
        if (!strcmp(name, lp_axis_names[a]))
            return a;
    return -1;
}

static int push(lp_study_t *s, int ax, const char *v, size_t len, lp_err_t *err)
{
    lp_axis_t *x = &s->ax[ax];
    for (size_t i = 0; i < x->n; i++)
        if (strlen(x->v[i]) == len && !memcmp(x->v[i], v, len))
            return lp_fail(err, "--%s: '%.*s' is listed twice (each value once: the jobs' ids would collide)",
                           lp_axis_names[ax], (int)len, v);
    if (x->n >= LP_STUDY_MAX_VALUES)
        return lp_fail(err, "--%s: more than %d values", lp_axis_names[ax], LP_STUDY_MAX_VALUES);
    if (!(x->n & (x->n + 1))) { /* grow at 0, 1, 3, 7, ... */
        char **nv = realloc(x->v, 2 * (x->n + 1) * sizeof *nv);
        if (!nv)
            return lp_fail(err, "out of memory");
        x->v = nv;
    }
    if (!(x->v[x->n] = strndup(v, len)))
        return lp_fail(err, "out of memory");
    x->n++;
    return 0;
}

static int add_seeds(lp_study_t *s, const char *item, size_t len, lp_err_t *err)
{
    char buf[64], *end;
    if (len == 0 || len >= sizeof buf)
        return lp_fail(err, "--seeds: '%.*s' is not a seed or a range like 1-5", (int)len, item);
    memcpy(buf, item, len);
    buf[len] = 0;
    errno = 0;
    unsigned long long lo = strtoull(buf, &end, 10), hi = lo;
    if (end != buf && *end == '-' && end[1] >= '0' && end[1] <= '9')
        hi = strtoull(end + 1, &end, 10);
    if (*end || errno || buf[0] < '0' || buf[0] > '9' || hi > 4294967295ULL || hi < lo)
        return lp_fail(err, "--seeds: '%s' is not a seed (0..4294967295) or a range like 1-5", buf);
    if (hi - lo >= LP_STUDY_MAX_VALUES)
        return lp_fail(err, "--seeds: '%s' has more than %d seeds", buf, LP_STUDY_MAX_VALUES);
    for (unsigned long long k = lo; k <= hi; k++) {
        char v[16];
        int n = snprintf(v, sizeof v, "%llu", k);
        if (push(s, LP_AX_SEED, v, (size_t)n, err))
            return -1;
    }
    return 0;
}

/* A value the canonical INI carries unchanged: no comment character, no control character,
 * no blank at either end (inih strips those). */
static int ini_safe(const char *v)
{
    size_t n = strlen(v);
    for (const char *p = v; *p; p++)
        if (*p == ';' || *p == '#' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return n && v[0] != ' ' && v[n - 1] != ' ';
}

/* Check one value of an axis with a known shape. */
static int check_value(int ax, const char *v, lp_err_t *err)
{
    char msg[160];
    if (!*v)
        return lp_fail(err, "--%s: an empty value (a list is 'a,b,c')", lp_axis_names[ax]);
    if (!ini_safe(v))
        return lp_fail(err, "--%s: '%s' has a ';', '#', control character or blank at an end, which the study "
                            "file cannot keep", lp_axis_names[ax], v);
    if (choices[ax][0]) {
        for (int i = 0; choices[ax][i][0]; i++)
            if (!strcmp(v, choices[ax][i]))
                return 0;
        char list[64] = "";
        for (int i = 0; choices[ax][i][0]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", choices[ax][i]);
        return lp_fail(err, "--%s: '%s' is not one of %s", lp_axis_names[ax], v, list);
    }
    if (ax == LP_AX_FORMAT) {
        lp_format_t f;
        if (lp_format_parse(v, &f, msg, sizeof msg))
            return lp_fail(err, "--format: %s", msg);
    } else if (ax == LP_AX_LR) {
        char *end;
        errno = 0;
        double d = strtod(v, &end);
        if (*end || errno || !isfinite(d) || d <= 0 || d > 3.4e38)
            return lp_fail(err, "--lr: '%s' is not a positive number", v);
    }
    return 0;
}

int lp_study_add(lp_study_t *s, int ax, const char *list, lp_err_t *err)
{
    if (ax == LP_AX_DATA && strlen(list) > LP_STUDY_VALUE_MAX)
        return lp_fail(err, "--data: a spec longer than %d characters", LP_STUDY_VALUE_MAX);
    if (ax == LP_AX_DATA) /* one spec: its commas are its own */
        return check_value(ax, list, err) || push(s, ax, list, strlen(list), err) ? -1 : 0;
    for (const char *p = list;;) {
        size_t len = strcspn(p, ",");
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (ax == LP_AX_SEED) {
            if (add_seeds(s, p, len, err))
                return -1;
        } else {
            char v[LP_STUDY_VALUE_MAX + 1];
            if (len >= sizeof v)
                return lp_fail(err, "--%s: a value longer than %d characters", lp_axis_names[ax], LP_STUDY_VALUE_MAX);
            memcpy(v, p, len);
            v[len] = 0;
            if (check_value(ax, v, err) || push(s, ax, v, len, err))
                return -1;
        }
        p += strcspn(p, ",");
        if (!*p++)
            return 0;
    }
}

int lp_study_add_fixed(lp_study_t *s, const char *name, const char *value, lp_err_t *err)
{
    const char *n = name + (strncmp(name, "--", 2) ? 0 : 2);
    if (lp_axis_find(n) >= 0 || !strcmp(n, "seed"))
        return lp_fail(err, "%s is an axis of the grid: give it as --%s%s before '--' (a list of values)", name,
                       !strcmp(n, "seed") ? "seeds" : n, "");
    for (size_t i = 0; i < sizeof managed / sizeof managed[0]; i++)
        if (!strcmp(n, managed[i]))
            return lp_fail(err, "--%s: the sweep sets it for every job (docs/sweep.md)", n);
    if (!*n || n[0] == '-' || strlen(n) > 40 || strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(n))
        return lp_fail(err, "'%s' is not a train option (train options are --name value)", name);
    for (size_t i = 0; i < s->nfixed; i++)
        if (!strcmp(s->fixed[2 * i] + 2, n))
            return lp_fail(err, "--%s is given twice", n);
    if (!ini_safe(value) || strlen(value) > LP_STUDY_VALUE_MAX)
        return lp_fail(err, "--%s '%s': empty, longer than %d characters, or with a ';', '#', control character or "
                            "blank at an end (the study file could not keep it)", n, value, LP_STUDY_VALUE_MAX);
    if (s->nfixed >= LP_STUDY_MAX_FIXED)
        return lp_fail(err, "more than %d train options", LP_STUDY_MAX_FIXED);
    size_t k = 2 * s->nfixed;
    s->fixed[k] = malloc(strlen(n) + 3);
    s->fixed[k + 1] = strdup(value);
    if (!s->fixed[k] || !s->fixed[k + 1])
        return lp_fail(err, "out of memory");
    sprintf(s->fixed[k], "--%s", n);
    s->nfixed++;
    return 0;
}

/* ---- the INI study file ---- */

typedef struct {
    lp_study_t *s;
    const int *given; /* axes set on the command line: the file's values are ignored */
    lp_err_t *err;
    const char *name;
    int failed;
} ini_ctx_t;

static int sweep_key(lp_study_t *s, const char *key, const char *value, lp_err_t *err)
{
    static const char *const keys[4] = {"partition", "time", "constraint", "gres"};
    if (!strcmp(key, "jobs")) {
        char *end;
        errno = 0;
        unsigned long j = strtoul(value, &end, 10);
        if (*end || errno || j < 1 || j > 1024 || value[0] == '-')
            return lp_fail(err, "[sweep] jobs = '%s': a number of jobs at once, 1..1024", value);
        s->jobs = (unsigned)j;
        return 0;
    }
    for (int i = 0; i < 4; i++)
        if (!strcmp(key, keys[i])) {
            free(s->slurm[i]);
            return (s->slurm[i] = strdup(value)) ? 0 : lp_fail(err, "out of memory");
        }
    return lp_fail(err, "[sweep] has no key '%s' (jobs, partition, time, constraint, gres)", key);
}

static int ini_line(void *user, const char *section, const char *key, const char *value)
{
    ini_ctx_t *c = user;
    lp_err_t e = {0};
    int rc = 0;
    if (c->failed)
        return 0;
    if (!strcmp(section, "grid")) {
        int ax = lp_axis_find(key);
        if (ax < 0)
            rc = lp_fail(&e, "[grid] has no axis '%s' (data, model, backend, format, rounding, scale, schedule, lr, "
                             "compensate, seeds)", key);
        else if (!c->given || !c->given[ax])
            rc = lp_study_add(c->s, ax, value, &e);
    } else if (!strcmp(section, "train")) {
        rc = lp_study_add_fixed(c->s, key, value, &e);
    } else if (!strcmp(section, "sweep")) {
        rc = sweep_key(c->s, key, value, &e);
    } else {
        rc = lp_fail(&e, "a key outside [grid], [train] or [sweep]: [%s] %s", section, key);
    }
    if (rc) {
        lp_fail(c->err, "%s: [%s] %s = %s: %s", c->name, section, key, value, e.msg);
        c->failed = 1;
        return 0;
    }
    return 1;
}

int lp_study_parse_ini(lp_study_t *s, const char *text, const char *name, const int given[LP_AX_N], lp_err_t *err)
{
    ini_ctx_t c = {s, given, err, name, 0};
    size_t line = 1;
    for (const char *p = text; *p; line++) { /* inih would cut a longer line in two */
        size_t len = strcspn(p, "\n");
        if (len > LP_STUDY_LINE + 40)
            return lp_fail(err, "%s:%zu: a line longer than %d characters: split the list over several 'key = ...' "
                                "lines (a repeated key adds to the list)", name, line, LP_STUDY_LINE + 40);
        p += len + (p[len] != 0);
    }
    int r = ini_parse_string(text, ini_line, &c);
    if (c.failed)
        return -1;
    if (r)
        return lp_fail(err, "%s:%d: not an INI line (key = value, [section], ; comment)", name, r);
    return 0;
}

/* The values i.. of a seeds axis that continue i's value by one: a run written "a-b". */
static size_t seed_run(const lp_axis_t *x, size_t i)
{
    size_t j = i;
    while (j + 1 < x->n && strtoull(x->v[j + 1], NULL, 10) == strtoull(x->v[j], NULL, 10) + 1)
        j++;
    return j;
}

/* One axis as "key = a, b, c" lines of at most LP_STUDY_LINE characters (inih reads lines of
 * up to 199; a repeated key adds to the list). */
static void write_axis(const lp_study_t *s, int a, FILE *out)
{
    const lp_axis_t *x = &s->ax[a];
    size_t col = 0;
    for (size_t i = 0; i < (x->n ? x->n : 1); i++) {
        char item[2 * LP_STUDY_VALUE_MAX + 2];
        const char *v = x->n ? x->v[i] : lp_axis_defaults[a];
        size_t j = a == LP_AX_SEED && x->n ? seed_run(x, i) : i;
        if (j > i + 1)
            snprintf(item, sizeof item, "%s-%s", v, x->v[j]);
        else
            snprintf(item, sizeof item, "%s", v), j = i;
        i = j;
        size_t len = strlen(item);
        if (col && (a == LP_AX_DATA || col + 2 + len > LP_STUDY_LINE)) {
            fputc('\n', out);
            col = 0;
        }
        col += (size_t)(col ? fprintf(out, ", %s", item) : fprintf(out, "%s = %s", lp_axis_names[a], item));
    }
    fputc('\n', out);
}

int lp_study_write_ini(const lp_study_t *s, FILE *out)
{
    fprintf(out, "; lpsgd sweep: the study of this directory (docs/sweep.md). Written once; 'lpsgd sweep DIR'\n"
                 "; resumes it, and a sweep with another grid refuses this directory.\n[grid]\n");
    for (int a = 0; a < LP_AX_N; a++)
        write_axis(s, a, out);
    fprintf(out, "[train]\n");
    for (size_t i = 0; i < s->nfixed; i++)
        fprintf(out, "%s = %s\n", s->fixed[2 * i] + 2, s->fixed[2 * i + 1]);
    return ferror(out) ? -1 : 0;
}

/* ---- the jobs ---- */

size_t lp_study_njobs(const lp_study_t *s)
{
    size_t n = 1;
    for (int a = 0; a < LP_AX_N; a++)
        n *= s->ax[a].n ? s->ax[a].n : 1;
    return n;
}

/* Append "_" and the value of a varying axis to the id, as [A-Za-z0-9._-]. */
static void id_part(char *id, int ax, const char *v)
{
    size_t len = strlen(id);
    char part[LP_JOB_ID_MAX];
    if (ax == LP_AX_COMPENSATE)
        snprintf(part, sizeof part, "_%s", strcmp(v, "on") ? "nocomp" : "comp");
    else
        snprintf(part, sizeof part, "_%s%s", ax == LP_AX_LR ? "lr" : ax == LP_AX_SEED ? "s" : "", v);
    for (char *p = part; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
            *p = '-';
    snprintf(id + len, LP_JOB_ID_MAX - len, "%s", part);
}

void lp_study_job(const lp_study_t *s, size_t k, lp_job_t *job)
{
    size_t rest = k;
    job->index = k;
    for (int a = LP_AX_N - 1; a >= 0; a--) {
        size_t n = s->ax[a].n ? s->ax[a].n : 1;
        job->val[a] = s->ax[a].n ? s->ax[a].v[rest % n] : lp_axis_defaults[a];
        rest /= n;
    }
    snprintf(job->id, sizeof job->id, "%04zu", k);
    for (int a = 0; a < LP_AX_N; a++)
        if (s->ax[a].n > 1)
            id_part(job->id, a, job->val[a]);
}

int lp_study_job_argv(const lp_study_t *s, const lp_job_t *job, const char **argv)
{
    int n = 0;
    for (int a = 0; a < LP_AX_N; a++) {
        if (a == LP_AX_COMPENSATE) {
            if (!strcmp(job->val[a], "on"))
                argv[n++] = axis_flags[a];
            continue;
        }
        argv[n++] = axis_flags[a];
        argv[n++] = job->val[a];
    }
    for (size_t i = 0; i < 2 * s->nfixed; i++)
        argv[n++] = s->fixed[i];
    argv[n] = NULL;
    return n;
}
