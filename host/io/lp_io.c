/*
 * lp_io.c - reading and writing float32 tensors (.npy, .f32), atomically; the packed-code
 * file; JSON numbers. The formats are documented in lp_io.h.
 */
#define _DEFAULT_SOURCE 1 /* MAP_POPULATE */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
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

/* Read exactly len bytes at the descriptor's position, byte `at` of a file of size bytes
 * (for the message): a file shrinking meanwhile is an error, one growing is read no further. */
static int read_full(int fd, void *buf, size_t len, const char *path, uint64_t at, uint64_t size, lp_err_t *err)
{
    size_t n = 0;
    while (n < len) {
        ssize_t r = read(fd, (uint8_t *)buf + n, len - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return lp_fail(err, "%s: read error after %llu of %llu bytes: %s", path, (unsigned long long)(at + n),
                           (unsigned long long)size, r < 0 ? strerror(errno) : "the file shrank while being read");
        n += (size_t)r;
    }
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
    int bad = read_full(fd, b, (size_t)size, path, 0, size, err); /* exactly the size fstat saw */
    close(fd);
    if (bad) {
        free(b);
        return -1;
    }
    *buf = b;
    *len = (size_t)size;
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

/* The header of a tensor file of size bytes (fd at its start) into info, checked against the size. */
static int tensor_head(int fd, const char *path, int kind, uint64_t size, lp_tensor_info_t *info, lp_err_t *err)
{
    if (kind == LP_IO_F32) {
        memset(info, 0, sizeof *info);
        info->kind = LP_IO_F32;
        if (size % 4)
            return lp_fail(err, "%s: size %llu bytes is not a multiple of 4: not raw float32 data", path,
                           (unsigned long long)size);
        if (size / 4 > LP_IO_MAX_ELEMS)
            return lp_fail(err, "%s: too many elements: lpsgd handles at most %u per tensor", path, LP_IO_MAX_ELEMS);
        info->ndim = 1;
        info->n = info->shape[0] = size / 4;
        return 0;
    }
    uint8_t pre[12];
    size_t avail = size < sizeof pre ? (size_t)size : sizeof pre;
    if (read_full(fd, pre, avail, path, 0, size, err))
        return -1;
    size_t need = lp_npy_head_len(pre, avail);
    need = need > size ? (size_t)size : need < avail ? avail : need;
    uint8_t *h = malloc(need);
    if (!h)
        return lp_fail(err, "%s: out of memory reading a .npy header of %zu bytes", path, need);
    memcpy(h, pre, avail);
    int bad = read_full(fd, h + avail, need - avail, path, avail, size, err) ||
              lp_npy_parse_head(h, need, size, path, info, err);
    free(h);
    return bad ? -1 : 0;
}

int lp_io_tensor_open(const char *path, lp_tensor_in_t *in, lp_tensor_info_t *info, lp_err_t *err)
{
    memset(in, 0, sizeof *in);
    in->fd = -1;
    in->path = path;
    int kind = lp_io_kind(path, err);
    if (!kind)
        return -1;
    uint64_t size;
    int fd = lp_file_open_in(path, LP_IO_MAX_FILE, "a float32 tensor (.npy or .f32)", &size, err->msg,
                             sizeof err->msg);
    if (fd < 0)
        return -1;
    if (size == 0 || tensor_head(fd, path, kind, size, info, err)) {
        close(fd);
        return size == 0 ? lp_fail(err, "%s: empty file", path) : -1;
    }
    in->fd = fd;
    in->data_offset = info->data_offset;
    in->n = info->n;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* advice only */
    return lseek(fd, (off_t)in->data_offset, SEEK_SET) < 0 ? lp_fail(err, "%s: cannot read: %s", path, strerror(errno))
                                                           : 0;
}

int lp_io_tensor_read(lp_tensor_in_t *in, float *buf, uint32_t count, lp_err_t *err)
{
    if (count > in->n - in->done)
        return lp_fail(err, "%s: internal: reading past the %llu elements", in->path, (unsigned long long)in->n);
    if (read_full(in->fd, buf, (size_t)count * 4, in->path, in->data_offset + in->done * 4,
                  in->data_offset + in->n * 4, err))
        return -1;
    in->done += count;
    return 0;
}

static void tensor_unmap(lp_tensor_in_t *in)
{
    if (in->map)
        munmap(in->map, in->map_len);
    in->map = NULL;
}

/* Bytes mapped at a time by lp_io_tensor_next: 2 MiB, fewer mmap/munmap calls than pieces. */
#define LP_MAP_WINDOW (2u << 20)

/* Map the file's bytes [at, at + len) (len > 0) and more up to LP_MAP_WINDOW, not past the
 * data's end; 0, or -1 (errno) when the file does not map. */
static int tensor_map(lp_tensor_in_t *in, uint64_t at, uint64_t len)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), base = at / page * page;
    uint64_t end = in->data_offset + in->n * 4, want = base + LP_MAP_WINDOW;
    want = at + len > want ? at + len : want < end ? want : end;
    void *m = mmap(NULL, (size_t)(want - base), PROT_READ, MAP_SHARED | MAP_POPULATE, in->fd, (off_t)base);
    if (m == MAP_FAILED)
        return -1;
    in->map = m;
    in->map_at = base;
    in->map_len = (size_t)(want - base);
    return 0;
}

const float *lp_io_tensor_next(lp_tensor_in_t *in, float *buf, uint32_t count, lp_err_t *err)
{
    uint64_t at = in->data_offset + in->done * 4, len = (uint64_t)count * 4;
    if (!in->no_map && count > 0 && count <= in->n - in->done && at % 4 == 0) {
        if (in->map && at >= in->map_at && at + len <= in->map_at + in->map_len) {
            in->done += count;
            return (const float *)(void *)((uint8_t *)in->map + (at - in->map_at));
        }
        tensor_unmap(in);
        if (tensor_map(in, at, len) == 0)
            return lp_io_tensor_next(in, buf, count, err);
        in->no_map = 1; /* read(2) continues where the mappings ended */
        if (lseek(in->fd, (off_t)at, SEEK_SET) < 0) {
            lp_fail(err, "%s: cannot read: %s", in->path, strerror(errno));
            return NULL;
        }
    }
    return lp_io_tensor_read(in, buf, count, err) ? NULL : buf;
}

int lp_io_tensor_rewind(lp_tensor_in_t *in, lp_err_t *err)
{
    tensor_unmap(in);
    in->done = 0;
    if (lseek(in->fd, (off_t)in->data_offset, SEEK_SET) < 0)
        return lp_fail(err, "%s: cannot read: %s", in->path, strerror(errno));
    return 0;
}

void lp_io_tensor_close(lp_tensor_in_t *in)
{
    tensor_unmap(in);
    if (in->fd >= 0)
        close(in->fd);
    in->fd = -1;
}

int lp_io_read_tensor(const char *path, float **data, lp_tensor_info_t *info, lp_err_t *err)
{
    *data = NULL;
    lp_tensor_in_t in;
    if (lp_io_tensor_open(path, &in, info, err))
        return -1;
    float *d = malloc((size_t)info->n * 4);
    int bad = !d ? lp_fail(err, "%s: out of memory reading %llu elements", path, (unsigned long long)info->n)
                 : lp_io_tensor_read(&in, d, (uint32_t)info->n, err);
    lp_io_tensor_close(&in);
    if (bad) {
        free(d);
        return -1;
    }
    *data = d;
    return 0;
}

int lp_io_atomic_open(lp_atomic_t *a, const char *path, lp_err_t *err)
{
    a->f = NULL;
    a->live = 0;
    a->wb = 0;
    a->no_fsync = 0;
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

void lp_io_atomic_writeback(lp_atomic_t *a)
{
    if (!a->f || a->no_fsync || fflush(a->f) != 0)
        return; /* ferror stays set: the commit reports it */
    off_t end = ftello(a->f);
    if (end > a->wb) /* Linux starts the writeback of dirty pages it is told to drop */
        (void)posix_fadvise(fileno(a->f), (off_t)a->wb, end - (off_t)a->wb, POSIX_FADV_DONTNEED);
    a->wb = end > a->wb ? end : a->wb;
}

/* Flush, fsync (unless no_fsync) and close the temporary (kept); on failure remove it. */
static int atomic_close(lp_atomic_t *a, lp_err_t *err)
{
    if (!a->f)
        return 0;
    int bad = fflush(a->f) != 0 || ferror(a->f) || (!a->no_fsync && fsync(fileno(a->f)) != 0);
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

int lp_io_put_tensor_head(lp_atomic_t *a, uint64_t n, const lp_tensor_info_t *like, lp_err_t *err)
{
    int kind = lp_io_kind(a->path, err);
    if (!kind)
        return -1;
    if (kind != LP_IO_NPY)
        return 0;
    uint8_t hdr[LP_NPY_MAXDIM * 24 + 192];
    size_t hl;
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
    if (fwrite(hdr, 1, hl, a->f) != hl)
        return lp_fail(err, "%s: write failed: %s", a->path, strerror(errno));
    return 0;
}

int lp_io_put_floats(lp_atomic_t *a, const float *data, size_t count, lp_err_t *err)
{
    if (fwrite(data, 4, count, a->f) != count)
        return lp_fail(err, "%s: write failed: %s", a->path, strerror(errno));
    return 0;
}

int lp_io_put_tensor(lp_atomic_t *a, const float *data, uint64_t n, const lp_tensor_info_t *like, lp_err_t *err)
{
    return lp_io_put_tensor_head(a, n, like, err) || lp_io_put_floats(a, data, (size_t)n, err) ? -1 : 0;
}

int lp_io_codes_begin(lp_codes_out_t *w, lp_atomic_t *a, const char *fmt_name, unsigned code_bits, int scale_mode,
                      uint64_t n, int32_t tensor_k, lp_err_t *err)
{
    memset(w, 0, sizeof *w);
    w->a = a;
    w->bits = code_bits;
    w->scale_mode = scale_mode;
    w->n = n;
    if (code_bits < 1 || code_bits > 32)
        return lp_fail(err, "%s: internal: code width %u out of range", a->path, code_bits);
    uint8_t hdr[LP_CODES_HEADER + 4] = {'L', 'P', 'Q', 'C', 1, 0, (uint8_t)code_bits, (uint8_t)scale_mode};
    for (int b = 0; b < 8; b++)
        hdr[8 + b] = (uint8_t)(n >> (8 * b));
    strncpy((char *)hdr + 16, fmt_name, 23);
    size_t hl = LP_CODES_HEADER;
    if (scale_mode == LP_SCALE_TENSOR)
        for (int b = 0; b < 4; b++)
            hdr[hl++] = (uint8_t)((uint32_t)tensor_k >> (8 * b));
    /* block32: the scales are written piece by piece in place (codes_scales); the codes follow */
    if (fwrite(hdr, 1, hl, a->f) != hl ||
        (scale_mode == LP_SCALE_BLOCK32 && fseeko(a->f, (off_t)(hl + (n + 31) / 32), SEEK_SET) != 0))
        return lp_fail(err, "%s: write failed: %s", a->path, strerror(errno));
    return 0;
}

/* Room for len bytes in w->buf (not cleared: the callers write every byte). */
static int codes_room(lp_codes_out_t *w, size_t len, lp_err_t *err)
{
    if (len > w->cap) {
        uint8_t *b = realloc(w->buf, len);
        if (!b)
            return lp_fail(err, "%s: out of memory", w->a->path);
        w->buf = b;
        w->cap = len;
    }
    return 0;
}

/* A piece's block32 E8M0 bytes at their place in the scales field (the stream's position is
 * past it: the codes). */
static int codes_scales(lp_codes_out_t *w, const int32_t *scale_k, uint32_t len, lp_err_t *err)
{
    size_t nb = (len + 31) / 32, at = 0;
    if (codes_room(w, nb, err))
        return -1;
    for (size_t b = 0; b < nb; b++)
        w->buf[b] = (uint8_t)lp_e8m0_code(scale_k[b]);
    while (at < nb) {
        ssize_t r = pwrite(fileno(w->a->f), w->buf + at, nb - at, (off_t)(LP_CODES_HEADER + w->done / 32 + at));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return lp_fail(err, "%s: write failed: %s", w->a->path, r < 0 ? strerror(errno) : "no progress");
        at += (size_t)r;
    }
    return 0;
}

/* len codes of `bits` bits into the little-endian bit stream out (ceil(len * bits / 8)
 * bytes, every one written), from bit 0; the widths of the presets (4, 8, 16) a byte or a
 * nibble at a time, the same bytes. */
static void codes_pack(uint8_t *out, const uint32_t *codes, uint32_t len, unsigned bits)
{
    if (bits == 8) {
        for (uint32_t i = 0; i < len; i++)
            out[i] = (uint8_t)codes[i];
    } else if (bits == 16) {
        for (uint32_t i = 0; i < len; i++)
            out[2 * i] = (uint8_t)codes[i], out[2 * i + 1] = (uint8_t)(codes[i] >> 8);
    } else if (bits == 4) {
        for (uint32_t i = 0; i + 1 < len; i += 2)
            out[i / 2] = (uint8_t)((codes[i] & 15u) | (codes[i + 1] & 15u) << 4);
        if (len % 2)
            out[len / 2] = (uint8_t)(codes[len - 1] & 15u);
    } else {
        memset(out, 0, (size_t)(((uint64_t)len * bits + 7) / 8));
        uint64_t mask = bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1u, bit = 0;
        for (uint32_t i = 0; i < len; i++, bit += bits) {
            uint64_t v = (codes[i] & mask) << (bit % 8); /* at most 39 bits */
            for (uint64_t byte = bit / 8; v; byte++, v >>= 8)
                out[byte] |= (uint8_t)v;
        }
    }
}

int lp_io_codes_put(lp_codes_out_t *w, const uint32_t *codes, const int32_t *scale_k, uint32_t len, lp_err_t *err)
{
    if (len > w->n - w->done || w->done % 32 != 0)
        return lp_fail(err, "%s: internal: a piece of codes out of place", w->a->path);
    if (w->scale_mode == LP_SCALE_BLOCK32 && codes_scales(w, scale_k, len, err))
        return -1;
    size_t ncode = (size_t)(((uint64_t)len * w->bits + 7) / 8);
    if (codes_room(w, ncode + 1, err))
        return -1;
    codes_pack(w->buf, codes, len, w->bits);
    if (fwrite(w->buf, 1, ncode, w->a->f) != ncode)
        return lp_fail(err, "%s: write failed: %s", w->a->path, strerror(errno));
    w->done += len;
    return 0;
}

int lp_io_codes_end(lp_codes_out_t *w, lp_err_t *err)
{
    free(w->buf);
    w->buf = NULL;
    w->cap = 0;
    if (w->done != w->n)
        return lp_fail(err, "%s: internal: %llu of %llu codes written", w->a->path, (unsigned long long)w->done,
                       (unsigned long long)w->n);
    return 0;
}

int lp_io_put_codes(lp_atomic_t *a, const char *fmt_name, unsigned code_bits, int scale_mode,
                    const uint32_t *codes, const int32_t *scale_k, uint64_t n, lp_err_t *err)
{
    lp_codes_out_t w;
    if (n > LP_IO_MAX_ELEMS)
        return lp_fail(err, "%s: internal: %llu codes", a->path, (unsigned long long)n);
    if (lp_io_codes_begin(&w, a, fmt_name, code_bits, scale_mode, n, scale_mode == LP_SCALE_TENSOR ? scale_k[0] : 0,
                          err) ||
        lp_io_codes_put(&w, codes, scale_k, (uint32_t)n, err)) {
        free(w.buf);
        return -1;
    }
    return lp_io_codes_end(&w, err);
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
