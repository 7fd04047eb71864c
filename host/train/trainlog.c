/*
 * trainlog.c - read a `lpsgd train --log` CSV (see trainlog.h).
 */
#include "trainlog.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/lp_file.h"

#define LOG_MAX_FILE (1ull << 30) /* a training log of a billion bytes is far beyond any run */

/* The fields of one line into v[LP_LOG_NCOLS] (empty = NaN); 0 if it has exactly that many
 * fields, each empty or one number, and a step and an epoch. */
static int parse_line(char *line, double *v)
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *e = strchr(p, ',');
        if (e)
            *e = '\0';
        if (n == LP_LOG_NCOLS)
            return -1;
        char *end;
        v[n] = strtod(p, &end);
        if (end == p)
            v[n] = NAN;
        if (*end != '\0' || (end == p && *p != '\0'))
            return -1;
        n++;
        if (!e)
            break;
        p = e + 1;
    }
    return n == LP_LOG_NCOLS && !isnan(v[LP_LOG_STEP]) && !isnan(v[LP_LOG_EPOCH]) ? 0 : -1;
}

static int fail(char *msg, size_t cap, FILE *f, char *line, lp_trainlog_t *log, const char *fmt, const char *path,
                const char *what)
{
    snprintf(msg, cap, fmt, path, what);
    if (f)
        fclose(f);
    free(line);
    lp_trainlog_free(log);
    return -1;
}

int lp_trainlog_read(const char *path, lp_trainlog_t *log, char *msg, size_t cap)
{
    uint64_t size;
    size_t cap_rows = 0, lcap = 0;
    char *line = NULL;
    log->v = NULL;
    log->nrows = 0;
    int fd = lp_file_open_in(path, LOG_MAX_FILE, "a CSV written by 'lpsgd train --log'", &size, msg, cap);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return fail(msg, cap, NULL, NULL, log, "%s: %s", path, "out of memory");
    }
    if (getline(&line, &lcap, f) < 0 || strcmp(line, LP_TRAIN_LOG_HEADER))
        return fail(msg, cap, f, line, log, "%s: %s", path, "not an 'lpsgd train --log' CSV (header differs)");
    while (getline(&line, &lcap, f) >= 0) {
        if (log->nrows == cap_rows) {
            size_t nc = cap_rows ? 2 * cap_rows : 1024;
            double *nv = realloc(log->v, nc * LP_LOG_NCOLS * sizeof(double));
            if (!nv)
                return fail(msg, cap, f, line, log, "%s: %s", path, "out of memory");
            log->v = nv;
            cap_rows = nc;
        }
        char shown[48];
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(shown, sizeof shown, "%.40s", line);
        if (parse_line(line, &LP_LOG_AT(log, log->nrows, 0)))
            return fail(msg, cap, f, line, log, "%s: malformed line '%s'", path, shown);
        log->nrows++;
    }
    fclose(f);
    free(line);
    return 0;
}

void lp_trainlog_free(lp_trainlog_t *log)
{
    free(log->v);
    log->v = NULL;
    log->nrows = 0;
}
