/*
 * lp_io.c - reading and writing float32 tensors (.npy, .f32), atomically; the packed-code
 * file; JSON numbers. The formats are documented in lp_io.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lp_file.h"
#include "lp_io.h"

/* backend.h's lp_fail lives here, with the file code every lpsgd program links */
int lp_fail(lp_err_t *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}


int lp_io_kind(const char *path, lp_err_t *err)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (!strcasecmp(dot, ".npy"))
            return LP_IO_NPY;
        if (!strcasecmp(dot, ".f32"))
            return LP_IO_F32;
    }
    lp_fail(err, "%s: unknown file type: name it .npy (NumPy float32) or .f32 (raw little-endian float32)",
            path);
    return 0;
}

int lp_io_read_file(const char *path, uint64_t max, const char *what, uint8_t **buf, size_t *len, lp_err_t *err)
{
    *buf = NULL;
    *len = 0;
    uint64_t size;
    int fd = lp_file_open_in(path, max, what, &size, err->msg, sizeof err->msg);
    if (fd < 0)
        return -1;
    if (size == 0) {
        close(fd);
        return lp_fail(err, "%s: empty file", path);
    }
    uint8_t *b = malloc((size_t)size);
    if (!b) {
        close(fd);
        return lp_fail(err, "%s: out of memory reading %llu bytes", path, (unsigned long long)size);
    }
    size_t n = 0;
    while (n < size) { /* exactly the size fstat saw: a file growing meanwhile cannot run away */
        ssize_t r = read(fd, b + n, (size_t)size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = r < 0 ? errno : 0;
            close(fd);
            free(b);
            return lp_fail(err, "%s: read error after %zu of %llu bytes: %s", path, n, (unsigned long long)size,
                           e ? strerror(e) : "the file shrank while being read");
        }
        n += (size_t)r;
    }
    close(fd);
    *buf = b;
    *len = n;
    return 0;
}

int lp_io_slurp(const char *path, uint8_t **buf, size_t *len, lp_err_t *err)
{
    return lp_io_read_file(path, LP_IO_MAX_FILE, "a file lpsgd wrote or reads", buf, len, err);
}

int lp_io_read_text(const char *path, uint64_t max, const char *what, char **text, size_t *len, lp_err_t *err)
{
    uint8_t *raw;
    *text = NULL;
    if (lp_io_read_file(path, max, what, &raw, len, err))
        return -1;
    if (memchr(raw, 0, *len)) {
        free(raw);
        return lp_fail(err, "%s: a NUL byte: not a text file; give the path of %s", path, what);
    }
    char *t = realloc(raw, *len + 1);
    if (!t) {
        free(raw);
        return lp_fail(err, "out of memory");
    }
    t[*len] = 0;
    *text = t;
    return 0;
}

int lp_io_read_tensor(const char *path, float **data, lp_tensor_info_t *info, lp_err_t *err)
{
    *data = NULL;
    int kind = lp_io_kind(path, err);
    if (!kind)
        return -1;
    uint8_t *buf;
    size_t len;
    if (lp_io_read_file(path, LP_IO_MAX_FILE, "a float32 tensor (.npy or .f32)", &buf, &len, err))
        return -1;
    if (kind == LP_IO_NPY) {
        if (lp_npy_parse(buf, len, path, info, err)) {
            free(buf);
            return -1;
        }
    } else {
        memset(info, 0, sizeof *info);
        info->kind = LP_IO_F32;
        if (len % 4) {
            free(buf);
            return lp_fail(err, "%s: size %zu bytes is not a multiple of 4: not raw float32 data", path, len);
        }
        if (len / 4 > LP_IO_MAX_ELEMS) {
            free(buf);
            return lp_fail(err, "%s: too many elements: lpsgd handles at most %u per tensor", path,
                           LP_IO_MAX_ELEMS);
        }
        info->ndim = 1;
        info->n = info->shape[0] = len / 4;
    }
    /* Move the data to the front: the caller gets a plain float array. */
    memmove(buf, buf + info->data_offset, (size_t)info->n * 4);
    *data = (float *)buf;
    return 0;
}

int lp_io_atomic_open(lp_atomic_t *a, const char *path, lp_err_t *err)
{
    a->f = NULL;
    a->live = 0;
    a->path = path;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return lp_fail(err, "%s: cannot write: it is a directory", path);
    if ((size_t)snprintf(a->tmp, sizeof a->tmp, "%s.tmp.XXXXXX", path) >= sizeof a->tmp)
        return lp_fail(err, "%s: cannot write: path too long", path);
    int fd = lp_tmp_create(a->tmp);
    if (fd < 0)
        return lp_fail(err, "%s: cannot write: %s", path, strerror(errno));
    a->live = 1;
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0 || !(a->f = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        lp_io_atomic_abort(a);
        return lp_fail(err, "%s: cannot write: %s", path, strerror(e));
    }
    return 0;
}

void lp_io_atomic_abort(lp_atomic_t *a)
{
    if (a->f)
        fclose(a->f);
    a->f = NULL;
    if (a->live)
        lp_tmp_drop(a->tmp, NULL);
    a->live = 0;
}

/* Flush, fsync and close the temporary (kept); on failure remove it. */
static int atomic_close(lp_atomic_t *a, lp_err_t *err)
{
    if (!a->f)
        return 0;
    int bad = fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0;
    int e = errno;
    if (fclose(a->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    a->f = NULL;
    if (bad) {
        lp_io_atomic_abort(a);
        return lp_fail(err, "%s: write failed: %s", a->path, strerror(e));
    }
    return 0;
}

int lp_io_atomic_commit_all(lp_atomic_t *const *a, int n, lp_err_t *err)
{
    int bad = 0;
    for (int k = 0; k < n && !bad; k++)
        bad = atomic_close(a[k], err);
    if (bad) {
        for (int k = 0; k < n; k++)
            lp_io_atomic_abort(a[k]);
        return -1;
    }
    sigset_t old;
    lp_sig_hold(&old); /* all renames, or (a signal before this point) none */
    for (int k = 0; k < n; k++) {
        if (!bad && lp_tmp_drop(a[k]->tmp, a[k]->path) != 0) {
            bad = 1;
            lp_fail(err, "%s: write failed: %s", a[k]->path, strerror(errno));
        } else if (bad) {
            lp_tmp_drop(a[k]->tmp, NULL);
        }
        a[k]->live = 0;
    }
    lp_sig_release(&old);
    return bad ? -1 : 0;
}

int lp_io_atomic_commit(lp_atomic_t *a, lp_err_t *err) { return lp_io_atomic_commit_all(&a, 1, err); }

int lp_io_put_tensor(lp_atomic_t *a, const float *data, uint64_t n, const lp_tensor_info_t *like, lp_err_t *err)
{
    int kind = lp_io_kind(a->path, err);
    if (!kind)
        return -1;
    uint8_t hdr[LP_NPY_MAXDIM * 24 + 192];
    size_t hl = 0;
    if (kind == LP_IO_NPY) {
        lp_tensor_info_t info;
        if (like && like->kind == LP_IO_NPY && like->n == n) {
            info = *like;
        } else {
            memset(&info, 0, sizeof info);
            info.npy_major = 1;
            info.ndim = 1;
            info.shape[0] = n;
        }
        if (!(hl = lp_npy_header(&info, hdr, sizeof hdr, err)))
            return -1;
    }
    if ((hl && fwrite(hdr, 1, hl, a->f) != hl) || fwrite(data, 4, (size_t)n, a->f) != n)
        return lp_fail(err, "%s: write failed: %s", a->path, strerror(errno));
    return 0;
}

int lp_io_put_codes(lp_atomic_t *a, const char *fmt_name, unsigned code_bits, int scale_mode,
                    const uint32_t *codes, const int32_t *scale_k, uint64_t n, lp_err_t *err)
{
    const char *path = a->path;
    if (code_bits < 1 || code_bits > 32)
        return lp_fail(err, "%s: internal: code width %u out of range", path, code_bits);
    uint8_t hdr[LP_CODES_HEADER] = {'L', 'P', 'Q', 'C', 1, 0, (uint8_t)code_bits, (uint8_t)scale_mode};
    for (int b = 0; b < 8; b++)
        hdr[8 + b] = (uint8_t)(n >> (8 * b));
    strncpy((char *)hdr + 16, fmt_name, 23);
    size_t nscale = scale_mode == LP_SCALE_TENSOR ? 4 : scale_mode == LP_SCALE_BLOCK32 ? (n + 31) / 32 : 0;
    size_t ncode = (size_t)((n * code_bits + 7) / 8);
    uint8_t *body = calloc(nscale + ncode + 1, 1);
    if (!body)
        return lp_fail(err, "%s: out of memory", path);
    if (scale_mode == LP_SCALE_TENSOR) {
        uint32_t k = (uint32_t)scale_k[0];
        for (int b = 0; b < 4; b++)
            body[b] = (uint8_t)(k >> (8 * b));
    } else if (scale_mode == LP_SCALE_BLOCK32) {
        for (size_t b = 0; b < nscale; b++)
            body[b] = (uint8_t)lp_e8m0_code(scale_k[b]);
    }
    uint8_t *out = body + nscale;
    uint64_t mask = code_bits == 32 ? 0xFFFFFFFFu : (1u << code_bits) - 1u;
    uint64_t bit = 0;
    for (uint64_t i = 0; i < n; i++, bit += code_bits) {
        uint64_t v = (codes[i] & mask) << (bit % 8); /* at most 39 bits */
        for (uint64_t byte = bit / 8; v; byte++, v >>= 8)
            out[byte] |= (uint8_t)v;
    }
    int bad = fwrite(hdr, 1, sizeof hdr, a->f) != sizeof hdr ||
              fwrite(body, 1, nscale + ncode, a->f) != nscale + ncode;
    int e = errno;
    free(body);
    return bad ? lp_fail(err, "%s: write failed: %s", path, strerror(e)) : 0;
}

double lp_num_shown(double v) { return isnan(v) ? fabs(v) : v; }

int lp_io_stdout_done(lp_err_t *err)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return lp_fail(err, "standard output: write failed: %s", strerror(errno));
    return 0;
}

void lp_json_num(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

void lp_json_fields(FILE *out, const char *const *keys, const double *vals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", keys[i]);
        lp_json_num(out, vals[i]);
    }
}

void lp_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}
