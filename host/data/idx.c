/*
 * idx.c - the IDX file format (LeCun et al., the MNIST files): a 4-byte magic
 * 0x00 0x00 TYPE NDIMS, NDIMS big-endian uint32 sizes, then the values in row-major order.
 * lpsgd reads TYPE 0x08 (unsigned byte) only; every size must be >= 1, their product must
 * match the bytes that follow exactly and stay within LP_DATA_MAX_CELLS.
 * Files may be gzip-compressed (zlib reads plain files transparently too).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "data_int.h"
#include "io/lp_file.h"

static const char *type_name(unsigned t)
{
    switch (t) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return NULL;
    }
}

/* Validate the header in buf[0..len); on success *hdr = header bytes, *count = values. */
static int parse_header(const uint8_t *buf, size_t len, const char *name, lp_idx_t *out, size_t *hdr, char *err,
                        unsigned errlen)
{
    if (len < 4) {
        lp_data_err(err, errlen, "%s: %zu bytes, shorter than the 4-byte IDX magic; the file is truncated "
                    "(re-download or re-install it)", name, len);
        return -1;
    }
    if (buf[0] != 0 || buf[1] != 0) {
        lp_data_err(err, errlen, "%s: offset 0: magic %02x %02x %02x %02x is not IDX (00 00 TYPE NDIMS); "
                    "give an IDX file such as train-images-idx3-ubyte.gz", name, buf[0], buf[1], buf[2], buf[3]);
        return -1;
    }
    if (buf[2] != 0x08) {
        const char *t = type_name(buf[2]);
        if (t)
            lp_data_err(err, errlen, "%s: offset 2: IDX type 0x%02X (%s) is not supported; lpsgd reads "
                        "unsigned-byte (0x08) IDX files", name, buf[2], t);
        else
            lp_data_err(err, errlen, "%s: offset 2: unknown IDX type 0x%02X; the file is corrupt or not IDX", name,
                        buf[2]);
        return -1;
    }
    unsigned nd = buf[3];
    if (nd < 1 || nd > LP_IDX_MAX_DIMS) {
        lp_data_err(err, errlen, "%s: offset 3: %u dimensions; lpsgd reads IDX files with 1 to %u", name, nd,
                    LP_IDX_MAX_DIMS);
        return -1;
    }
    size_t h = 4 + 4 * (size_t)nd;
    if (len < h) {
        lp_data_err(err, errlen, "%s: %zu bytes, shorter than the %zu-byte header for %u dimensions; "
                    "the file is truncated (re-download or re-install it)", name, len, h, nd);
        return -1;
    }
    uint64_t count = 1;
    out->ndims = nd;
    for (unsigned k = 0; k < nd; k++) {
        const uint8_t *p = buf + 4 + 4 * k;
        uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        if (v == 0) {
            lp_data_err(err, errlen, "%s: offset %u: dimension %u is 0; the file holds no data", name, 4 + 4 * k, k);
            return -1;
        }
        out->dims[k] = v;
        count *= v; /* <= 2^28 * 2^32: no overflow */
        if (count > LP_DATA_MAX_CELLS) {
            lp_data_err(err, errlen, "%s: offset %u: the sizes declare more than %llu values, the limit; "
                        "the file is corrupt or too large", name, 4 + 4 * k, (unsigned long long)LP_DATA_MAX_CELLS);
            return -1;
        }
    }
    out->count = count;
    *hdr = h;
    return 0;
}

int lp_idx_parse(const uint8_t *buf, size_t len, const char *name, lp_idx_t *out, char *err, unsigned errlen)
{
    size_t h;
    memset(out, 0, sizeof *out);
    if (parse_header(buf, len, name, out, &h, err, errlen))
        return -1;
    if (len - h < out->count) {
        lp_data_err(err, errlen, "%s: offset %zu: the file ends after %zu of the %llu data bytes its header "
                    "declares; it is truncated (re-download or re-install it)", name, len, len - h,
                    (unsigned long long)out->count);
        return -1;
    }
    if (len - h > out->count) {
        lp_data_err(err, errlen, "%s: offset %llu: %llu bytes after the %llu data bytes the header declares; "
                    "the file is corrupt", name, (unsigned long long)(h + out->count),
                    (unsigned long long)(len - h - out->count), (unsigned long long)out->count);
        return -1;
    }
    out->data = buf + h;
    return 0;
}

/* Read up to n bytes; returns bytes read, or -1 with a message. */
static long long gz_read_all(gzFile f, uint8_t *dst, size_t n, size_t at, const char *name, char *err,
                             unsigned errlen)
{
    size_t got = 0;
    while (got < n) {
        size_t want = n - got > (1u << 24) ? (1u << 24) : n - got;
        int r = gzread(f, dst + got, (unsigned)want);
        if (r < 0) {
            int zerr;
            const char *m = gzerror(f, &zerr), *colon = strstr(m, ">: ");
            if (zerr != Z_ERRNO && !strncmp(m, "<fd:", 4) && colon)
                m = colon + 3; /* zlib prefixes "<fd:N>: " (the file is opened by lp_file_open_in) */
            lp_data_err(err, errlen, "%s: decompressed offset %zu: %s; the gzip file is corrupt (re-download or "
                        "re-install it)", name, at + got, zerr == Z_ERRNO ? strerror(errno) : m);
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (long long)got;
}

int lp_idx_read(const char *path, uint8_t **buf, size_t *len, char *err, unsigned errlen)
{
    *buf = NULL;
    *len = 0;
    uint64_t size; /* any size: what is read is bounded by the sizes the header declares */
    int fd = lp_file_open_in(path, UINT64_MAX, "an IDX file (optionally gzip-compressed)", &size, err, errlen);
    if (fd < 0)
        return -1;
    gzFile f = gzdopen(fd, "rb");
    if (!f) {
        close(fd);
        lp_data_err(err, errlen, "%s: cannot open: %s", path, errno ? strerror(errno) : "zlib error");
        return -1;
    }
    uint8_t hb[4 + 4 * LP_IDX_MAX_DIMS];
    lp_idx_t tmp;
    size_t h;
    long long r = gz_read_all(f, hb, 4, 0, path, err, errlen);
    if (r < 0)
        goto fail;
    if (r < 4 || (unsigned)hb[3] > LP_IDX_MAX_DIMS || hb[3] == 0 || hb[0] || hb[1] || hb[2] != 0x08) {
        parse_header(hb, (size_t)r, path, &tmp, &h, err, errlen);
        goto fail;
    }
    long long r2 = gz_read_all(f, hb + 4, 4 * (size_t)hb[3], 4, path, err, errlen);
    if (r2 < 0)
        goto fail;
    if (parse_header(hb, 4 + (size_t)r2, path, &tmp, &h, err, errlen))
        goto fail;
    uint8_t *b = malloc(h + tmp.count + 1);
    if (!b) {
        lp_data_err(err, errlen, "%s: out of memory for %llu bytes", path, (unsigned long long)tmp.count);
        goto fail;
    }
    memcpy(b, hb, h);
    /* one byte more than declared: finds trailing data without reading all of it */
    long long r3 = gz_read_all(f, b + h, tmp.count + 1, h, path, err, errlen);
    if (r3 < 0) {
        free(b);
        goto fail;
    }
    gzclose(f);
    *buf = b;
    *len = h + (size_t)r3;
    lp_idx_t chk;
    if (lp_idx_parse(b, *len, path, &chk, err, errlen)) {
        free(b);
        *buf = NULL;
        *len = 0;
        return -1;
    }
    return 0;
fail:
    gzclose(f);
    return -1;
}

int lp_idx_dataset(const lp_idx_t *img, const char *iname, const lp_idx_t *lab, const char *lname,
                   uint32_t max_classes, lp_dataset_t *ds, char *err, unsigned errlen)
{
    memset(ds, 0, sizeof *ds);
    if (img->ndims < 2) {
        lp_data_err(err, errlen, "%s: %u dimension; an image file has at least 2 (count, pixels...); "
                    "did you swap the image and label files?", iname, img->ndims);
        return -1;
    }
    if (lab->ndims != 1) {
        lp_data_err(err, errlen, "%s: %u dimensions; a label file has 1 (count); did you swap the image and label "
                    "files?", lname, lab->ndims);
        return -1;
    }
    if (img->dims[0] != lab->dims[0]) {
        lp_data_err(err, errlen, "%s: %u labels, but %s has %u images; use the label file that belongs to the "
                    "images", lname, lab->dims[0], iname, img->dims[0]);
        return -1;
    }
    uint32_t n = img->dims[0];
    uint64_t d = img->count / n;
    if (d > LP_DATA_MAX_D) {
        lp_data_err(err, errlen, "%s: %llu pixels per image, more than the limit of %u features", iname,
                    (unsigned long long)d, LP_DATA_MAX_D);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        if (lab->data[i] >= max_classes) {
            lp_data_err(err, errlen, "%s: offset %u: label %u of image %u is not a class 0..%u; the file is corrupt",
                        lname, 8 + i, lab->data[i], i, max_classes - 1);
            return -1;
        }
    if (lp_data_alloc(ds, n, (uint32_t)d, iname, err, errlen))
        return -1;
    for (uint64_t k = 0; k < img->count; k++)
        ds->x[k] = (float)img->data[k] / 255.0f;
    for (uint32_t i = 0; i < n; i++)
        ds->y[i] = (float)lab->data[i];
    ds->task = LP_TASK_CLASSIFICATION;
    ds->classes = max_classes;
    return 0;
}
