/*
 * text.c - reading text data files: the whole file (bounded), lines, numbers.
 * Shared by the LIBSVM and CSV parsers.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_int.h"
#include "io/lp_file.h"

int lp_text_read(const char *path, char **buf, size_t *len, char *err, unsigned errlen)
{
    *buf = NULL;
    *len = 0;
    uint64_t size;
    int fd = lp_file_open_in(path, LP_DATA_MAX_FILE, "a LIBSVM or CSV text file of at most 1 GiB", &size, err,
                             errlen);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!f) {
        if (fd >= 0) {
            close(fd);
            lp_data_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        }
        return -1;
    }
    size_t n = (size_t)size;
    char *b = malloc(n + 1);
    if (!b) {
        lp_data_err(err, errlen, "%s: out of memory reading %zu bytes", path, n);
        fclose(f);
        return -1;
    }
    size_t got = n ? fread(b, 1, n, f) : 0;
    int rerr = ferror(f);
    fclose(f);
    if (got != n || rerr) {
        lp_data_err(err, errlen, "%s: read error after %zu of %zu bytes; check the file", path, got, n);
        free(b);
        return -1;
    }
    b[n] = '\0';
    const char *nul = memchr(b, '\0', n);
    if (nul) {
        uint32_t line = 1;
        for (const char *p = b; p < nul; p++)
            line += *p == '\n';
        lp_data_err(err, errlen, "%s:%u: NUL byte at offset %zu: this is not a text file; "
                    "give a LIBSVM or CSV text file", path, line, (size_t)(nul - b));
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

void lp_lines_init(lp_lines_t *it, const char *buf, size_t len)
{
    it->p = buf;
    it->end = buf + len;
    it->line = 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

int lp_lines_next(lp_lines_t *it, const char **b, const char **e)
{
    while (it->p < it->end) {
        const char *s = it->p;
        const char *nl = memchr(s, '\n', (size_t)(it->end - s));
        const char *t = nl ? nl : it->end;
        it->p = nl ? nl + 1 : it->end;
        it->line++;
        const char *hash = memchr(s, '#', (size_t)(t - s));
        if (hash)
            t = hash;
        while (s < t && is_blank(*s))
            s++;
        while (t > s && is_blank(t[-1]))
            t--;
        if (s < t) {
            *b = s;
            *e = t;
            return 1;
        }
    }
    return 0;
}

int lp_text_number(const char *b, const char *e, double *v)
{
    char tok[LP_DATA_MAX_TOKEN + 1];
    size_t n = (size_t)(e - b);
    if (n == 0)
        return LP_NUM_EMPTY;
    if (n > LP_DATA_MAX_TOKEN)
        return LP_NUM_LONG;
    memcpy(tok, b, n);
    tok[n] = '\0';
    /* strtod would skip leading white space: a number starts with a sign, a digit, '.',
     * or is "nan"/"inf"/"infinity" (rejected below as non-finite) */
    char c0 = tok[0];
    if (!(c0 == '+' || c0 == '-' || c0 == '.' || (c0 >= '0' && c0 <= '9') || c0 == 'n' || c0 == 'N' ||
          c0 == 'i' || c0 == 'I'))
        return LP_NUM_BAD;
    char *end;
    errno = 0;
    double x = strtod(tok, &end);
    if (end != tok + n)
        return LP_NUM_BAD;
    if (errno == ERANGE && fabs(x) > 1.0) /* overflow: a number too large, not "inf" */
        return LP_NUM_RANGE;
    if (!isfinite(x))
        return LP_NUM_NONFINITE;
    if (fabs(x) > FLT_MAX)
        return LP_NUM_RANGE;
    *v = x;
    return LP_NUM_OK;
}

const char *lp_text_number_why(int code)
{
    switch (code) {
    case LP_NUM_EMPTY: return "empty field; every field needs a number";
    case LP_NUM_LONG: return "number longer than 128 characters; write it with fewer digits";
    case LP_NUM_NONFINITE: return "NaN or Inf; impute or drop the missing/infinite value";
    case LP_NUM_RANGE: return "out of the FP32 range (|v| > 3.4e38); rescale the column";
    default: return "not a number; fix or remove the value";
    }
}

void lp_text_quote(const char *b, const char *e, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen == 0)
        return;
    for (const char *p = b; p < e && o + 5 < outlen && p - b < 40; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
    }
    if (e - b > 40 && o + 4 < outlen) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o < outlen ? o : outlen - 1] = '\0';
}
