/*
 * data.c - lp_data_load: the source dispatch, and the pieces every loader shares
 * (allocation within the limits, the label rule, the seeded held-out split).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_int.h"

void lp_data_err(char *err, unsigned errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void lp_scan_init(lp_scan_t *s)
{
    memset(s, 0, sizeof *s);
    s->ymin = HUGE_VAL;
    s->ymax = -HUGE_VAL;
}

void lp_scan_label(lp_scan_t *s, double y)
{
    if (y != floor(y))
        s->nonint++;
    if (y == 0.0)
        s->nzero++;
    if (y < s->ymin)
        s->ymin = y;
    if (y > s->ymax)
        s->ymax = y;
}

int lp_data_alloc(lp_dataset_t *ds, uint32_t n, uint32_t d, const char *name, char *err, unsigned errlen)
{
    memset(ds, 0, sizeof *ds);
    if (n == 0) {
        lp_data_err(err, errlen, "%s: no data rows; give a file with at least one row", name);
        return -1;
    }
    if (n > LP_DATA_MAX_ROWS || d > LP_DATA_MAX_D || (uint64_t)n * d > LP_DATA_MAX_CELLS) {
        lp_data_err(err, errlen, "%s: %u rows x %u features is more than lpsgd loads (at most %u rows, %u features "
                    "and %llu values per split); use fewer rows or features", name, n, d, LP_DATA_MAX_ROWS,
                    LP_DATA_MAX_D, (unsigned long long)LP_DATA_MAX_CELLS);
        return -1;
    }
    ds->x = calloc((size_t)n * d + 1, sizeof(float));
    ds->y = calloc(n, sizeof(float));
    if (!ds->x || !ds->y) {
        lp_dataset_free(ds);
        lp_data_err(err, errlen, "%s: out of memory for %u x %u values", name, n, d);
        return -1;
    }
    ds->n = n;
    ds->d = d;
    return 0;
}

void lp_dataset_free(lp_dataset_t *ds)
{
    free(ds->x);
    free(ds->y);
    memset(ds, 0, sizeof *ds);
}

void lp_data_labels(lp_dataset_t *a, const lp_scan_t *sa, lp_dataset_t *b, const lp_scan_t *sb)
{
    lp_scan_t s = *sa;
    if (b && sb) {
        s.nonint += sb->nonint;
        s.nzero += sb->nzero;
        s.ymin = fmin(s.ymin, sb->ymin);
        s.ymax = fmax(s.ymax, sb->ymax);
    }
    uint32_t task = LP_TASK_REGRESSION, classes = 0;
    int pm1 = 0;
    if (s.nonint == 0 && s.ymin >= 0.0 && s.ymax <= (double)(LP_DATA_MAX_CLASSES - 1)) {
        task = LP_TASK_CLASSIFICATION;
        classes = (uint32_t)s.ymax + 1u;
        if (classes < 2)
            classes = 2;
    } else if (s.nonint == 0 && s.ymin == -1.0 && s.ymax == 1.0 && s.nzero == 0) {
        task = LP_TASK_CLASSIFICATION;
        classes = 2;
        pm1 = 1;
    }
    lp_dataset_t *sets[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        if (!sets[k])
            continue;
        sets[k]->task = task;
        sets[k]->classes = classes;
        if (pm1)
            for (uint32_t i = 0; i < sets[k]->n; i++)
                sets[k]->y[i] = sets[k]->y[i] < 0.0f ? 0.0f : 1.0f;
    }
}

int lp_data_split(lp_dataset_t *all, uint32_t seed, lp_dataset_t *train, lp_dataset_t *test, const char *name,
                  char *err, unsigned errlen)
{
    uint32_t n = all->n, d = all->d;
    if (n < 2) {
        lp_data_err(err, errlen, "%s: only %u row; holding out a test split needs at least 2 "
                    "(add rows or give a TEST file after a comma)", name, n);
        return -1;
    }
    uint32_t k = n / 6 ? n / 6 : 1;
    uint32_t *idx = malloc((size_t)n * sizeof *idx);
    unsigned char *held = calloc(n, 1);
    if (!idx || !held) {
        free(idx);
        free(held);
        lp_data_err(err, errlen, "%s: out of memory for the held-out split", name);
        return -1;
    }
    /* partial Fisher-Yates: position i swaps with i + (r mod (n - i)), r from splitmix64 */
    uint64_t st = (uint64_t)seed ^ 0x53504C4954ull; /* "SPLIT" */
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t j = i + (uint32_t)(lp_splitmix64(&st) % (uint64_t)(n - i));
        uint32_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        held[idx[i]] = 1;
    }
    free(idx);
    if (lp_data_alloc(train, n - k, d, name, err, errlen) || lp_data_alloc(test, k, d, name, err, errlen)) {
        lp_dataset_free(train);
        free(held);
        return -1;
    }
    uint32_t a = 0, b = 0;
    for (uint32_t i = 0; i < n; i++) {
        lp_dataset_t *to = held[i] ? test : train;
        uint32_t r = held[i] ? b++ : a++;
        memcpy(to->x + (size_t)r * d, all->x + (size_t)i * d, (size_t)d * sizeof(float));
        to->y[r] = all->y[i];
    }
    free(held);
    train->task = test->task = all->task;
    train->classes = test->classes = all->classes;
    return 0;
}

/* ---- text sources ------------------------------------------------------------------- */

typedef int (*scan_fn)(const char *, size_t, const char *, lp_scan_t *, char *, unsigned);

/* The fill pass of either format (LIBSVM widens rows to d; CSV has its own width). */
static int fill_text(int is_csv, const char *buf, size_t len, const char *name, const lp_scan_t *s, uint32_t d,
                     lp_dataset_t *ds, char *err, unsigned errlen)
{
    return is_csv ? lp_csv_fill(buf, len, name, s, ds, err, errlen)
                  : lp_libsvm_fill(buf, len, name, s, d, ds, err, errlen);
}

static int parse_text(int is_csv, const char *buf, size_t len, const char *name, lp_dataset_t *ds, char *err,
                      unsigned errlen)
{
    lp_scan_t s;
    memset(ds, 0, sizeof *ds);
    if ((is_csv ? lp_csv_scan : lp_libsvm_scan)(buf, len, name, &s, err, errlen) ||
        fill_text(is_csv, buf, len, name, &s, s.d, ds, err, errlen))
        return -1;
    lp_data_labels(ds, &s, NULL, NULL);
    return 0;
}

int lp_libsvm_parse(const char *buf, size_t len, const char *name, lp_dataset_t *ds, char *err, unsigned errlen)
{
    return parse_text(0, buf, len, name, ds, err, errlen);
}

int lp_csv_parse(const char *buf, size_t len, const char *name, lp_dataset_t *ds, char *err, unsigned errlen)
{
    return parse_text(1, buf, len, name, ds, err, errlen);
}

static int load_text(int is_csv, const char *arg, uint32_t seed, lp_data_t *out, char *err, unsigned errlen)
{
    /* PATH[,TEST]: the whole argument if it names a file, else split at the last comma */
    char *paths[2] = {NULL, NULL};
    const char *comma = strrchr(arg, ',');
    if (comma && access(arg, F_OK) != 0) {
        paths[0] = strndup(arg, (size_t)(comma - arg));
        paths[1] = strdup(comma + 1);
    } else {
        paths[0] = strdup(arg);
    }
    char *buf[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    lp_scan_t sc[2];
    lp_dataset_t all;
    memset(&all, 0, sizeof all);
    int rc = -1, nf = paths[1] ? 2 : 1;
    scan_fn scan = is_csv ? lp_csv_scan : lp_libsvm_scan;
    const char *kind = is_csv ? "csv" : "libsvm";

    if (!paths[0] || (nf == 2 && !paths[1])) {
        lp_data_err(err, errlen, "%s: out of memory", arg);
        goto done;
    }
    if (!paths[0][0] || (nf == 2 && !paths[1][0])) {
        lp_data_err(err, errlen, "%s:%s: empty file name; use %s:PATH or %s:PATH,TEST", kind, arg, kind, kind);
        goto done;
    }
    for (int f = 0; f < nf; f++)
        if (lp_text_read(paths[f], &buf[f], &len[f], err, errlen) || scan(buf[f], len[f], paths[f], &sc[f], err, errlen))
            goto done;
    if (nf == 2) {
        uint32_t d = sc[0].d > sc[1].d ? sc[0].d : sc[1].d;
        if (is_csv && sc[0].d != sc[1].d) {
            lp_data_err(err, errlen, "%s: %u feature columns, but %s has %u; train and test files need the same columns",
                        paths[1], sc[1].d, paths[0], sc[0].d);
            goto done;
        }
        if (fill_text(is_csv, buf[0], len[0], paths[0], &sc[0], d, &out->train, err, errlen) ||
            fill_text(is_csv, buf[1], len[1], paths[1], &sc[1], d, &out->test, err, errlen))
            goto done;
        lp_data_labels(&out->train, &sc[0], &out->test, &sc[1]);
    } else {
        if (fill_text(is_csv, buf[0], len[0], paths[0], &sc[0], sc[0].d, &all, err, errlen))
            goto done;
        lp_data_labels(&all, &sc[0], NULL, NULL);
        if (lp_data_split(&all, seed, &out->train, &out->test, paths[0], err, errlen))
            goto done;
    }
    const char *base = strrchr(paths[0], '/');
    snprintf(out->name, sizeof out->name, "%s:%s", kind, base ? base + 1 : paths[0]);
    rc = 0;
done:
    lp_dataset_free(&all);
    for (int f = 0; f < 2; f++) {
        free(buf[f]);
        free(paths[f]);
    }
    return rc;
}

int lp_data_load(const char *spec, uint32_t seed, double lambda, lp_data_t *out, char *err, unsigned errlen)
{
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (!spec || !spec[0])
        spec = "fashion-mnist";
    int rc;
    if (strcmp(spec, "fashion-mnist") == 0)
        rc = lp_fashion_load(NULL, out, err, errlen);
    else if (strncmp(spec, "fashion-mnist:", 14) == 0)
        rc = lp_fashion_load(spec + 14, out, err, errlen);
    else if (strncmp(spec, "libsvm:", 7) == 0)
        rc = load_text(0, spec + 7, seed, out, err, errlen);
    else if (strncmp(spec, "csv:", 4) == 0)
        rc = load_text(1, spec + 4, seed, out, err, errlen);
    else if (strcmp(spec, "synthetic") == 0)
        rc = lp_synthetic_load("", seed, lambda, out, err, errlen);
    else if (strncmp(spec, "synthetic:", 10) == 0)
        rc = lp_synthetic_load(spec + 10, seed, lambda, out, err, errlen);
    else {
        const char *hint = access(spec, F_OK) == 0 ? " (a file: say its format, e.g. libsvm:FILE or csv:FILE)" : "";
        lp_data_err(err, errlen, "unknown data source '%s'%s; use fashion-mnist[:DIR], libsvm:PATH[,TEST], "
                    "csv:PATH[,TEST] or synthetic:KEY=V,...", spec, hint);
        rc = -1;
    }
    if (rc)
        lp_data_free(out);
    return rc;
}

void lp_data_free(lp_data_t *d)
{
    if (!d)
        return;
    lp_dataset_free(&d->train);
    lp_dataset_free(&d->test);
    lp_truth_free(&d->truth);
    d->has_truth = 0;
}
