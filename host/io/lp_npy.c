/*
 * lp_npy.c - the .npy header: a strict parser (fuzzed by tests/fuzz) and the writer.
 *
 * NumPy format (numpy.lib.format): "\x93NUMPY", major, minor, header length (uint16 LE for
 * 1.0, uint32 LE for 2.0/3.0), then the header: a Python dict literal such as
 *     {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 * padded with spaces and ended by '\n' so the data start on a 64-byte boundary
 * (3.0 only differs from 2.0 in allowing UTF-8 in the header).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lp_io.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "lpsgd's file I/O assumes a little-endian host"
#endif

#define NPY_MAGIC "\x93NUMPY"
#define NPY_ALIGN 64

/* Error with the file name in front; evaluates to -1. */
#define NPY_FAIL(err, name, ...)                                                                             \
    (snprintf((err)->msg, sizeof (err)->msg, "%s: ", (name)),                                                \
     snprintf((err)->msg + strlen((err)->msg), sizeof (err)->msg - strlen((err)->msg), __VA_ARGS__), -1)

typedef struct {
    const char *p, *end;
} cursor_t;

static void skip_ws(cursor_t *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int peek(const cursor_t *c) { return c->p < c->end ? (unsigned char)*c->p : -1; }

#define NPY_CTRL_MSG "malformed .npy header: a NUL or control byte inside a quoted string"

/* A quoted string without escapes, at most cap-1 characters, into out; -1 if malformed, -2
 * if it holds a NUL or other control byte (which would cut it short as a C string: '<f4\0x'
 * must not read as '<f4'). */
static int parse_str(cursor_t *c, char *out, size_t cap)
{
    int q = peek(c);
    if (q != '\'' && q != '"')
        return -1;
    c->p++;
    size_t k = 0;
    while (c->p < c->end && *c->p != q) {
        if ((unsigned char)*c->p < 0x20 || *c->p == 0x7f)
            return -2;
        if (*c->p == '\\' || k + 1 >= cap)
            return -1;
        out[k++] = *c->p++;
    }
    if (c->p >= c->end)
        return -1;
    c->p++;
    out[k] = '\0';
    return 0;
}

static int parse_word(cursor_t *c, const char *w)
{
    size_t l = strlen(w);
    if ((size_t)(c->end - c->p) < l || memcmp(c->p, w, l) != 0)
        return 0;
    c->p += l;
    return 1;
}

/* A non-negative decimal integer (Python 2 long suffix 'L' accepted); -1 on overflow. */
static int parse_dim(cursor_t *c, uint64_t *v)
{
    if (peek(c) < '0' || peek(c) > '9')
        return -1;
    uint64_t x = 0;
    while (peek(c) >= '0' && peek(c) <= '9') {
        unsigned d = (unsigned)(*c->p++ - '0');
        if (x > (UINT64_MAX - d) / 10)
            return -2;
        x = x * 10 + d;
    }
    if (peek(c) == 'L')
        c->p++;
    *v = x;
    return 0;
}

static int parse_shape(cursor_t *c, lp_tensor_info_t *info, const char *name, lp_err_t *err)
{
    if (peek(c) != '(')
        return NPY_FAIL(err, name, "malformed .npy header: 'shape' is not a tuple");
    c->p++;
    info->ndim = 0;
    for (;;) {
        skip_ws(c);
        if (peek(c) == ')')
            break;
        if (info->ndim == LP_NPY_MAXDIM)
            return NPY_FAIL(err, name, "malformed .npy header: more than %d dimensions", LP_NPY_MAXDIM);
        int r = parse_dim(c, &info->shape[info->ndim]);
        if (r == -2)
            return NPY_FAIL(err, name, "malformed .npy header: a dimension does not fit in 64 bits");
        if (r)
            return NPY_FAIL(err, name, "malformed .npy header: 'shape' holds something other than "
                                       "non-negative integers");
        info->ndim++;
        skip_ws(c);
        if (peek(c) == ',') {
            c->p++;
            continue;
        }
        if (peek(c) != ')')
            return NPY_FAIL(err, name, "malformed .npy header: 'shape' tuple is not closed");
    }
    c->p++;
    return 0;
}

static int parse_dict(cursor_t *c, lp_tensor_info_t *info, const char *name, lp_err_t *err)
{
    int seen_descr = 0, seen_order = 0, seen_shape = 0;
    skip_ws(c);
    if (peek(c) != '{')
        return NPY_FAIL(err, name, "malformed .npy header: no '{' (not a NumPy header dict)");
    c->p++;
    for (;;) {
        char key[32], val[64];
        skip_ws(c);
        if (peek(c) == '}')
            break;
        int r = parse_str(c, key, sizeof key);
        if (r)
            return NPY_FAIL(err, name, r == -2 ? NPY_CTRL_MSG : "malformed .npy header: expected a quoted key");
        skip_ws(c);
        if (peek(c) != ':')
            return NPY_FAIL(err, name, "malformed .npy header: no ':' after '%s'", key);
        c->p++;
        skip_ws(c);
        if (!strcmp(key, "descr") && !seen_descr) {
            seen_descr = 1;
            if (peek(c) == '[')
                return NPY_FAIL(err, name, "structured dtype: lpsgd reads plain float32 ('<f4') arrays only");
            if ((r = parse_str(c, val, sizeof val)))
                return NPY_FAIL(err, name,
                                r == -2 ? NPY_CTRL_MSG : "malformed .npy header: 'descr' is not a quoted dtype");
            if (!strcmp(val, ">f4"))
                return NPY_FAIL(err, name, "big-endian float32 ('>f4') is not supported: save it as "
                                           "little-endian with arr.astype('<f4')");
            if (strcmp(val, "<f4") != 0)
                return NPY_FAIL(err, name, "dtype '%s' is not float32: lpsgd reads float32 ('<f4') only; "
                                           "convert with arr.astype(numpy.float32)", val);
        } else if (!strcmp(key, "fortran_order") && !seen_order) {
            seen_order = 1;
            if (parse_word(c, "True"))
                info->fortran_order = 1;
            else if (parse_word(c, "False"))
                info->fortran_order = 0;
            else
                return NPY_FAIL(err, name, "malformed .npy header: 'fortran_order' is not True or False");
        } else if (!strcmp(key, "shape") && !seen_shape) {
            seen_shape = 1;
            if (parse_shape(c, info, name, err))
                return -1;
        } else if (!strcmp(key, "descr") || !strcmp(key, "fortran_order") || !strcmp(key, "shape")) {
            return NPY_FAIL(err, name, "malformed .npy header: key '%s' appears twice", key);
        } else {
            return NPY_FAIL(err, name, "malformed .npy header: unexpected key '%s'", key);
        }
        skip_ws(c);
        if (peek(c) == ',') {
            c->p++;
            continue;
        }
        if (peek(c) != '}')
            return NPY_FAIL(err, name, "malformed .npy header: expected ',' or '}' after '%s'", key);
    }
    c->p++;
    skip_ws(c);
    if (c->p != c->end)
        return NPY_FAIL(err, name, "malformed .npy header: text after the closing '}'");
    if (!seen_descr || !seen_order || !seen_shape)
        return NPY_FAIL(err, name, "malformed .npy header: missing '%s'",
                        !seen_descr ? "descr" : !seen_order ? "fortran_order" : "shape");
    return 0;
}

size_t lp_npy_head_len(const uint8_t *buf, size_t avail)
{
    if (avail < 10 || memcmp(buf, NPY_MAGIC, 6) != 0 || buf[7] != 0 || buf[6] < 1 || buf[6] > 3)
        return avail; /* the parser says what is wrong with it */
    size_t pre = buf[6] == 1 ? 10 : 12;
    if (avail < pre)
        return avail;
    return pre + (size_t)(buf[6] == 1 ? (uint64_t)buf[8] | (uint64_t)buf[9] << 8
                                      : (uint64_t)buf[8] | (uint64_t)buf[9] << 8 | (uint64_t)buf[10] << 16 |
                                            (uint64_t)buf[11] << 24);
}

int lp_npy_parse(const uint8_t *buf, size_t len, const char *name, lp_tensor_info_t *info, lp_err_t *err)
{
    return lp_npy_parse_head(buf, len, len, name, info, err);
}

int lp_npy_parse_head(const uint8_t *buf, size_t avail, uint64_t len, const char *name, lp_tensor_info_t *info,
                      lp_err_t *err)
{
    memset(info, 0, sizeof *info);
    info->kind = LP_IO_NPY;
    if (len == 0)
        return NPY_FAIL(err, name, "empty file");
    if (len < 6 || memcmp(buf, NPY_MAGIC, 6) != 0)
        return NPY_FAIL(err, name, "not a .npy file (it does not start with \\x93NUMPY)");
    if (len < 10)
        return NPY_FAIL(err, name, "truncated .npy file: %" PRIu64 " bytes, shorter than the preamble", len);
    info->npy_major = buf[6];
    info->npy_minor = buf[7];
    if (info->npy_minor != 0 || info->npy_major < 1 || info->npy_major > 3)
        return NPY_FAIL(err, name, "unsupported .npy version %d.%d (lpsgd reads 1.0, 2.0 and 3.0)",
                        info->npy_major, info->npy_minor);
    size_t pre = info->npy_major == 1 ? 10 : 12;
    if (len < pre)
        return NPY_FAIL(err, name, "truncated .npy file: %" PRIu64 " bytes, shorter than the preamble", len);
    uint64_t hlen = info->npy_major == 1 ? (uint64_t)buf[8] | (uint64_t)buf[9] << 8
                                         : (uint64_t)buf[8] | (uint64_t)buf[9] << 8 |
                                               (uint64_t)buf[10] << 16 | (uint64_t)buf[11] << 24;
    if (hlen > len - pre)
        return NPY_FAIL(err, name, "truncated .npy file: the header claims %" PRIu64 " bytes, only %" PRIu64
                        " follow", hlen, len - pre);
    if (avail < pre + hlen) /* the caller read less than lp_npy_head_len asked for */
        return NPY_FAIL(err, name, "internal: %zu bytes of the .npy header read, %" PRIu64 " needed", avail,
                        pre + hlen);
    cursor_t c = {(const char *)buf + pre, (const char *)buf + pre + hlen};
    if (parse_dict(&c, info, name, err))
        return -1;
    info->data_offset = pre + (size_t)hlen;
    uint64_t n = 1;
    for (int d = 0; d < info->ndim; d++) {
        if (info->shape[d] == 0) {
            n = 0;
            break;
        }
        if (n > LP_IO_MAX_ELEMS / info->shape[d])
            return NPY_FAIL(err, name, "too many elements: lpsgd handles at most %u per tensor",
                            LP_IO_MAX_ELEMS);
        n *= info->shape[d];
    }
    info->n = n;
    if (n == 0)
        return NPY_FAIL(err, name, "empty array (a dimension is 0): nothing to quantize");
    uint64_t have = len - info->data_offset, want = n * 4;
    if (have < want)
        return NPY_FAIL(err, name, "truncated .npy file: the shape needs %" PRIu64 " bytes of float32 data, "
                                   "the file holds %" PRIu64, want, have);
    if (have > want)
        return NPY_FAIL(err, name, "malformed .npy file: %" PRIu64 " bytes after the %" PRIu64
                                   " bytes of data the shape calls for", have - want, want);
    return 0;
}

size_t lp_npy_header(const lp_tensor_info_t *info, uint8_t *out, size_t cap, lp_err_t *err)
{
    char dict[LP_NPY_MAXDIM * 22 + 96];
    int k = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': %s, 'shape': (",
                     info->fortran_order ? "True" : "False");
    for (int d = 0; d < info->ndim; d++)
        k += snprintf(dict + k, sizeof dict - (size_t)k, "%" PRIu64 "%s", info->shape[d],
                      info->ndim == 1 ? "," : d + 1 < info->ndim ? ", " : "");
    k += snprintf(dict + k, sizeof dict - (size_t)k, "), }");
    int major = info->npy_major >= 1 && info->npy_major <= 3 ? info->npy_major : 1;
    size_t pre = major == 1 ? 10 : 12;
    size_t total = (pre + (size_t)k + 1 + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
    if (major == 1 && total - pre > 0xFFFF) {
        major = 2;
        pre = 12;
        total = (pre + (size_t)k + 1 + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
    }
    if (total > cap) {
        snprintf(err->msg, sizeof err->msg, "internal: .npy header of %zu bytes does not fit", total);
        return 0;
    }
    size_t hlen = total - pre;
    memcpy(out, NPY_MAGIC, 6);
    out[6] = (uint8_t)major;
    out[7] = 0;
    for (size_t b = 0; b < pre - 8; b++)
        out[8 + b] = (uint8_t)(hlen >> (8 * b));
    memcpy(out + pre, dict, (size_t)k);
    memset(out + pre + k, ' ', total - pre - (size_t)k - 1);
    out[total - 1] = '\n';
    return total;
}
