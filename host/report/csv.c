/*
 * csv.c - RFC 4180 CSV for lpsgd report (see report.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/lp_io.h"
#include "report.h"

#define CSV_MAX_FILE (64ull << 20)

/* Append a pointer to a growing array of n elements (capacity *cap). */
static int grow(void **arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? 2 * *cap : 16;
    void *na = realloc(*arr, nc * elem);
    if (!na)
        return -1;
    *arr = na;
    *cap = nc;
    return 0;
}

/* One field starting at *pp (inside buf[len]), unquoted into *w; *pp moves past it and its
 * separator; *end_row is set when a line ends (or the data). 0, or -1 with a message. */
static int field(const char **pp, const char *e, char **w, int *end_row, size_t *line, const char *path,
                 lp_err_t *err)
{
    const char *p = *pp;
    size_t start = *line;
    if (p < e && *p == '"') {
        for (p++;; p++) {
            if (p >= e)
                return lp_fail(err, "%s:%zu: a quoted field is not closed", path, start);
            if (*p == '"') {
                if (p + 1 < e && p[1] == '"') {
                    *(*w)++ = '"';
                    p++;
                    continue;
                }
                p++;
                break;
            }
            *line += *p == '\n';
            *(*w)++ = *p;
        }
        if (p < e && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < e && p[1] == '\n'))
            return lp_fail(err, "%s:%zu: text after the closing quote of a field", path, start);
    } else {
        for (; p < e && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < e && p[1] == '\n'); p++) {
            if (*p == '"')
                return lp_fail(err, "%s:%zu: a quote inside an unquoted field (quote the whole field)", path, start);
            *(*w)++ = *p;
        }
    }
    *(*w)++ = '\0';
    *end_row = p >= e || *p != ',';
    if (p < e && *p == '\r')
        p++;
    if (p < e && *p == '\n')
        (*line)++;
    *pp = p < e ? p + 1 : e;
    return 0;
}

int rp_csv_read(const char *path, const char *what, rp_csv_t *csv, lp_err_t *err)
{
    uint8_t *buf;
    size_t len;
    memset(csv, 0, sizeof *csv);
    if (lp_io_read_file(path, CSV_MAX_FILE, what, &buf, &len, err))
        return -1;
    int rc = rp_csv_parse((const char *)buf, len, path, csv, err);
    free(buf);
    return rc;
}

int rp_csv_parse(const char *buf, size_t len, const char *path, rp_csv_t *csv, lp_err_t *err)
{
    size_t cap_rows = 0, cap_nc = 0, cap_ln = 0, line = 1;
    memset(csv, 0, sizeof *csv);
    if (memchr(buf, '\0', len))
        return lp_fail(err, "%s: a NUL byte: not a CSV file", path);
    csv->store = malloc(len + 1);
    const char *p = buf, *e = p + len;
    char *w = csv->store;
    int rc = csv->store ? 0 : lp_fail(err, "%s: out of memory", path);
    while (rc == 0 && p < e) {
        if (*p == '\n' || (*p == '\r' && p + 1 < e && p[1] == '\n')) { /* a blank line */
            p += *p == '\r' ? 2 : 1;
            line++;
            continue;
        }
        if (grow((void **)&csv->rows, csv->nrows, &cap_rows, sizeof *csv->rows) ||
            grow((void **)&csv->ncols, csv->nrows, &cap_nc, sizeof *csv->ncols) ||
            grow((void **)&csv->line, csv->nrows, &cap_ln, sizeof *csv->line)) {
            rc = lp_fail(err, "%s: out of memory", path);
            break;
        }
        char **f = NULL;
        size_t nf = 0, cap_f = 0;
        int end_row = 0;
        csv->line[csv->nrows] = line;
        while (rc == 0 && !end_row) {
            if (grow((void **)&f, nf, &cap_f, sizeof *f)) {
                rc = lp_fail(err, "%s: out of memory", path);
                break;
            }
            f[nf] = w;
            if ((rc = field(&p, e, &w, &end_row, &line, path, err)) == 0)
                nf++;
        }
        csv->rows[csv->nrows] = f;
        csv->ncols[csv->nrows++] = nf;
    }
    if (rc)
        rp_csv_free(csv);
    return rc;
}

void rp_csv_free(rp_csv_t *csv)
{
    for (size_t r = 0; csv->rows && r < csv->nrows; r++)
        free(csv->rows[r]);
    free(csv->rows);
    free(csv->ncols);
    free(csv->line);
    free(csv->store);
    memset(csv, 0, sizeof *csv);
}

int rp_csv_header_is(const rp_csv_t *csv, const char *header)
{
    if (csv->nrows == 0)
        return 0;
    const char *h = header;
    for (size_t c = 0; c < csv->ncols[0]; c++) {
        size_t l = strcspn(h, ",");
        if (strlen(csv->rows[0][c]) != l || strncmp(csv->rows[0][c], h, l))
            return 0;
        h += l;
        if (*h == ',')
            h++;
        else
            return c + 1 == csv->ncols[0];
    }
    return 0;
}
