/*
 * csv.c - numeric CSV: one row per line, fields separated by ',', the label in the LAST
 * column, features before it.  Blanks around fields are ignored; the first non-comment
 * line is a header (skipped) when none of its fields is a number (nan, inf and
 * out-of-range numbers count as numbers here, so such a row is reported, not skipped).  Every row has the same
 * number of fields; no quoting, no empty fields, no missing-value markers.
 * Two passes over the buffer: scan (validate, count) and fill.
 */
#include <string.h>

#include "data_int.h"

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* The next field of [*p, e): returns its trimmed extent; *p moves past the comma. */
static void next_field(const char **p, const char *e, const char **fb, const char **fe)
{
    const char *c = memchr(*p, ',', (size_t)(e - *p));
    const char *end = c ? c : e;
    const char *b = *p;
    while (b < end && blank(*b))
        b++;
    const char *t = end;
    while (t > b && blank(t[-1]))
        t--;
    *fb = b;
    *fe = t;
    *p = c ? c + 1 : NULL;
}

static uint32_t count_fields(const char *b, const char *e)
{
    uint32_t n = 1;
    for (const char *c = b; (c = memchr(c, ',', (size_t)(e - c))) != NULL; c++)
        n++;
    return n;
}

static int bad_field(const char *name, uint32_t line, uint32_t col, const char *fb, const char *fe, int rc, char *err,
                     unsigned errlen)
{
    char q[200];
    lp_text_quote(fb, fe, q, sizeof q);
    const char *why = lp_text_number_why(rc);
    if (rc == LP_NUM_BAD && (memchr(fb, ';', (size_t)(fe - fb)) || memchr(fb, '\t', (size_t)(fe - fb)) ||
                             memchr(fb, ' ', (size_t)(fe - fb))))
        why = "not a number; CSV fields are separated by commas";
    lp_data_err(err, errlen, "%s:%u: column %u '%s': %s", name, line, col, q, why);
    return -1;
}

static int pass(const char *buf, size_t len, const char *name, lp_scan_t *s, const lp_scan_t *known,
                lp_dataset_t *ds, char *err, unsigned errlen)
{
    lp_lines_t it;
    const char *b, *e, *fb, *fe;
    uint32_t row = 0, cols = 0, cols_line = 0;
    int first = 1;
    lp_lines_init(&it, buf, len);
    if (known) {
        cols = known->d + 1;
        cols_line = known->header;
    }
    while (lp_lines_next(&it, &b, &e)) {
        uint32_t nf = count_fields(b, e);
        if (first) {
            first = 0;
            if (known && known->header)
                continue;
            if (!known) {
                /* a header when no field is a number */
                int numbers = 0;
                const char *p = b;
                double v;
                while (p) {
                    next_field(&p, e, &fb, &fe);
                    int rc = lp_text_number(fb, fe, &v);
                    numbers += rc == LP_NUM_OK || rc == LP_NUM_NONFINITE || rc == LP_NUM_RANGE;
                }
                if (numbers == 0 && nf > 1) {
                    s->header = it.line;
                    cols = nf;
                    cols_line = it.line;
                    continue;
                }
            }
        }
        if (cols == 0) {
            cols = nf;
            cols_line = it.line;
        }
        if (nf > LP_DATA_MAX_D + 1u) {
            lp_data_err(err, errlen, "%s:%u: %u fields, more than the limit of %u features + label; "
                        "use fewer columns", name, it.line, nf, LP_DATA_MAX_D);
            return -1;
        }
        if (nf < 2) {
            lp_data_err(err, errlen, "%s:%u: one field; a CSV row is 'feature,...,feature,label' "
                        "(at least one feature, the label last, separated by commas)", name, it.line);
            return -1;
        }
        if (nf != cols) {
            lp_data_err(err, errlen, "%s:%u: %u fields, but line %u has %u; every row needs the same columns "
                        "(features, then the label last)", name, it.line, nf, cols_line, cols);
            return -1;
        }
        if (row >= LP_DATA_MAX_ROWS) {
            lp_data_err(err, errlen, "%s:%u: more than %u rows, the limit; use a smaller file", name, it.line,
                        LP_DATA_MAX_ROWS);
            return -1;
        }
        const char *p = b;
        for (uint32_t c = 0; c < nf; c++) {
            double v;
            next_field(&p, e, &fb, &fe);
            int rc = lp_text_number(fb, fe, &v);
            if (rc != LP_NUM_OK)
                return bad_field(name, it.line, c + 1, fb, fe, rc, err, errlen);
            if (c + 1 == nf) {
                if (s)
                    lp_scan_label(s, v);
                if (ds)
                    ds->y[row] = (float)v;
            } else if (ds) {
                ds->x[(size_t)row * (nf - 1) + c] = (float)v;
            }
        }
        row++;
    }
    if (row == 0) {
        lp_data_err(err, errlen, "%s: no data rows (the file is empty or only a header, blank or comment lines); "
                    "give a CSV file with numbers", name);
        return -1;
    }
    if (s) {
        s->n = row;
        s->d = cols - 1;
    }
    return 0;
}

int lp_csv_scan(const char *buf, size_t len, const char *name, lp_scan_t *s, char *err, unsigned errlen)
{
    lp_scan_init(s);
    return pass(buf, len, name, s, NULL, NULL, err, errlen);
}

int lp_csv_fill(const char *buf, size_t len, const char *name, const lp_scan_t *s, lp_dataset_t *ds, char *err,
                unsigned errlen)
{
    if (lp_data_alloc(ds, s->n, s->d, name, err, errlen))
        return -1;
    int rc = pass(buf, len, name, NULL, s, ds, err, errlen);
    if (rc)
        lp_dataset_free(ds);
    return rc;
}
