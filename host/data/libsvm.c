/*
 * libsvm.c - LIBSVM / SVMlight text: one row per line, "label idx:val idx:val ...".
 * Indices are 1-based (feature j of lpsgd is index j+1), may come in any order, must not
 * repeat within a row; missing ones are 0.  "qid:N" tokens (SVMlight ranking) are ignored.
 * Two passes over the buffer: scan (validate everything, count rows, largest index, label
 * statistics) and fill (write the dense rows; finds repeated indices).
 */
#include <stdlib.h>
#include <string.h>

#include "data_int.h"

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

static int pass(const char *buf, size_t len, const char *name, lp_scan_t *s, uint32_t d, lp_dataset_t *ds,
                uint32_t *stamp, char *err, unsigned errlen)
{
    lp_lines_t it;
    const char *b, *e;
    char q[200];
    uint32_t row = 0;
    lp_lines_init(&it, buf, len);
    while (lp_lines_next(&it, &b, &e)) {
        if (row >= LP_DATA_MAX_ROWS) {
            lp_data_err(err, errlen, "%s:%u: more than %u rows, the limit; use a smaller file", name, it.line,
                        LP_DATA_MAX_ROWS);
            return -1;
        }
        const char *t = b;
        while (t < e && !blank(*t))
            t++;
        double y;
        int rc;
        if (memchr(b, ':', (size_t)(t - b))) {
            lp_text_quote(b, t, q, sizeof q);
            lp_data_err(err, errlen, "%s:%u: line starts with '%s'; a LIBSVM line is 'label idx:val ...', "
                        "label first", name, it.line, q);
            return -1;
        }
        if ((rc = lp_text_number(b, t, &y)) != LP_NUM_OK) {
            lp_text_quote(b, t, q, sizeof q);
            lp_data_err(err, errlen, "%s:%u: label '%s': %s", name, it.line, q, lp_text_number_why(rc));
            return -1;
        }
        if (s)
            lp_scan_label(s, y);
        if (ds)
            ds->y[row] = (float)y;
        const char *p = t;
        for (;;) {
            while (p < e && blank(*p))
                p++;
            if (p >= e)
                break;
            const char *r = p;
            while (r < e && !blank(*r))
                r++;
            const char *colon = memchr(p, ':', (size_t)(r - p));
            if (!colon) {
                lp_text_quote(p, r, q, sizeof q);
                lp_data_err(err, errlen, "%s:%u: '%s' is not INDEX:VALUE; write features as idx:val "
                            "separated by spaces", name, it.line, q);
                return -1;
            }
            if (colon - p == 3 && memcmp(p, "qid", 3) == 0) {
                p = r;
                continue;
            }
            uint64_t idx = 0;
            int ok = colon > p && colon - p <= 10;
            for (const char *c = p; ok && c < colon; c++) {
                ok = *c >= '0' && *c <= '9';
                idx = idx * 10 + (uint64_t)(*c - '0');
            }
            if (!ok) {
                lp_text_quote(p, colon, q, sizeof q);
                lp_data_err(err, errlen, "%s:%u: index '%s' is not a positive integer; indices are 1, 2, ...",
                            name, it.line, q);
                return -1;
            }
            if (idx == 0) {
                lp_data_err(err, errlen, "%s:%u: index 0; LIBSVM indices start at 1 (add 1 to every index)", name,
                            it.line);
                return -1;
            }
            if (idx > LP_DATA_MAX_D) {
                lp_data_err(err, errlen, "%s:%u: index %llu is more than the limit of %u features; "
                            "renumber the features", name, it.line, (unsigned long long)idx, LP_DATA_MAX_D);
                return -1;
            }
            double v;
            if ((rc = lp_text_number(colon + 1, r, &v)) != LP_NUM_OK) {
                lp_text_quote(colon + 1, r, q, sizeof q);
                lp_data_err(err, errlen, "%s:%u: feature %llu value '%s': %s", name, it.line,
                            (unsigned long long)idx, q, lp_text_number_why(rc));
                return -1;
            }
            if (s && idx > s->d)
                s->d = (uint32_t)idx;
            if (ds) {
                if (idx > d || stamp[idx - 1] == row + 1) {
                    lp_data_err(err, errlen, "%s:%u: index %llu appears twice in the row; keep one", name, it.line,
                                (unsigned long long)idx);
                    return -1;
                }
                stamp[idx - 1] = row + 1;
                ds->x[(size_t)row * d + (idx - 1)] = (float)v;
            }
            p = r;
        }
        row++;
    }
    if (row == 0) {
        lp_data_err(err, errlen, "%s: no data rows (the file is empty or only blank/comment lines); "
                    "give a LIBSVM file", name);
        return -1;
    }
    if (s)
        s->n = row;
    return 0;
}

int lp_libsvm_scan(const char *buf, size_t len, const char *name, lp_scan_t *s, char *err, unsigned errlen)
{
    lp_scan_init(s);
    return pass(buf, len, name, s, 0, NULL, NULL, err, errlen);
}

int lp_libsvm_fill(const char *buf, size_t len, const char *name, const lp_scan_t *s, uint32_t d, lp_dataset_t *ds,
                   char *err, unsigned errlen)
{
    if (d == 0) {
        lp_data_err(err, errlen, "%s: no features (no idx:val pair in any row); give a file with features", name);
        return -1;
    }
    if (lp_data_alloc(ds, s->n, d, name, err, errlen))
        return -1;
    uint32_t *stamp = calloc(d, sizeof *stamp);
    if (!stamp) {
        lp_dataset_free(ds);
        lp_data_err(err, errlen, "%s: out of memory", name);
        return -1;
    }
    int rc = pass(buf, len, name, NULL, d, ds, stamp, err, errlen);
    free(stamp);
    if (rc)
        lp_dataset_free(ds);
    return rc;
}
