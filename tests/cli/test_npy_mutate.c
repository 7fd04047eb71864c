/*
 * test_npy_mutate.c - the .npy parser against many damaged files: every truncation, every
 * single-bit flip of the header, and seeded random multi-byte mutations of valid files.
 * Each must either parse into a self-consistent description (offset + 4n = file size) or
 * fail with a message naming the file; never crash (this runs under ASan/UBSan in
 * make test), never read outside the buffer (each file is its own exactly-sized malloc).
 * Also: what lp_npy_header writes, lp_npy_parse reads back (every version, order, shape).
 */
#include <stdlib.h>
#include <string.h>

#include "io/lp_io.h"
#include "lp_test.h"

static uint32_t rng = 12345u;
static uint32_t next(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

/* The header dict of an accepted file holds no NUL or control byte (but its final '\n'). */
static int header_has_ctrl(const uint8_t *buf, const lp_tensor_info_t *info)
{
    size_t pre = info->npy_major == 1 ? 10 : 12;
    for (size_t i = pre; i + 1 < info->data_offset; i++)
        if (buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
            return 1;
    return 0;
}

/* Parse an exact-size copy; check the outcome is one of the two allowed. */
static int parse_copy(const uint8_t *buf, size_t len, int *bad_outcome)
{
    uint8_t *c = malloc(len ? len : 1);
    memcpy(c, buf, len);
    lp_tensor_info_t info;
    lp_err_t err = {""};
    int r = lp_npy_parse(c, len, "m.npy", &info, &err);
    if (r == 0)
        *bad_outcome = !(info.data_offset + info.n * 4 == len && info.n > 0 && info.data_offset <= len) ||
                       header_has_ctrl(c, &info);
    else
        *bad_outcome = strncmp(err.msg, "m.npy: ", 7) != 0 || strlen(err.msg) < 12 || strchr(err.msg, '\n');
    free(c);
    return r;
}

static size_t make_valid(uint8_t *out, size_t cap, int major, int fortran, int ndim, const uint64_t *shape)
{
    lp_tensor_info_t info;
    lp_err_t err;
    memset(&info, 0, sizeof info);
    info.kind = LP_IO_NPY;
    info.npy_major = major;
    info.fortran_order = fortran;
    info.ndim = ndim;
    uint64_t n = 1;
    for (int d = 0; d < ndim; d++)
        n *= info.shape[d] = shape[d];
    size_t hl = lp_npy_header(&info, out, cap, &err);
    for (uint64_t i = 0; i < n; i++) {
        float v = (float)i * 0.25f - 1.0f;
        memcpy(out + hl + 4 * i, &v, 4);
    }
    return hl + (size_t)n * 4;
}

/* A .npy v1.0 of 2 floats whose header dict is dict (its length, NUL bytes included). */
static size_t make_dict(uint8_t *out, const char *dict, size_t dl)
{
    size_t total = (10 + dl + 1 + 63) / 64 * 64, hlen = total - 10;
    memcpy(out, "\x93NUMPY\x01\x00", 8);
    out[8] = (uint8_t)hlen;
    out[9] = (uint8_t)(hlen >> 8);
    memcpy(out + 10, dict, dl);
    memset(out + 10 + dl, ' ', hlen - dl - 1);
    out[total - 1] = '\n';
    memset(out + total, 0, 8);
    return total + 8;
}

/* A NUL (or other control byte) inside a quoted string must not cut it short. */
static void control_bytes_in_strings(void)
{
    static const struct {
        const char *what, *dict;
        size_t len;
    } cases[] = {
#define D(what, lit) {what, lit, sizeof lit - 1}
        D("descr '<f4\\0x'", "{'descr': '<f4\0x', 'fortran_order': False, 'shape': (2,), }"),
        D("descr '<f4\\0'", "{'descr': '<f4\0', 'fortran_order': False, 'shape': (2,), }"),
        D("key 'descr\\0zz'", "{'descr\0zz': '<f4', 'fortran_order': False, 'shape': (2,), }"),
        D("key 'shape\\0'", "{'descr': '<f4', 'fortran_order': False, 'shape\0': (2,), }"),
        D("descr '<f4\\x01'", "{'descr': '<f4\x01', 'fortran_order': False, 'shape': (2,), }"),
        D("descr '<f4\\t'", "{'descr': \"<f4\t\", 'fortran_order': False, 'shape': (2,), }"),
#undef D
    };
    uint8_t buf[256];
    size_t len = make_dict(buf, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 57);
    lp_tensor_info_t info;
    lp_err_t err = {""};
    LP_CASE("control: the same file without the NUL is accepted", lp_npy_parse(buf, len, "c.npy", &info, &err) == 0,
            "%s", err.msg);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        len = make_dict(buf, cases[k].dict, cases[k].len);
        int r = lp_npy_parse(buf, len, "c.npy", &info, &err);
        char name[80];
        snprintf(name, sizeof name, "refused: %s", cases[k].what);
        LP_CASE(name, r != 0 && strstr(err.msg, "NUL or control byte"), "%s: %s", cases[k].what,
                r ? err.msg : "accepted");
    }
}

int main(void)
{
    control_bytes_in_strings();
    static const uint64_t shapes[][3] = {{1, 0, 0}, {3, 0, 0}, {2, 3, 0}, {2, 1, 4}};
    static const int ndims[] = {0, 1, 2, 3};
    static uint8_t buf[4096], mut[4096];
    long tried = 0, accepted = 0;
    for (int major = 1; major <= 3; major++)
        for (int fortran = 0; fortran <= 1; fortran++)
            for (int s = 0; s < 4; s++) {
                size_t len = make_valid(buf, sizeof buf, major, fortran, ndims[s], shapes[s]);
                lp_tensor_info_t info;
                lp_err_t err;
                int r = lp_npy_parse(buf, len, "v.npy", &info, &err);
                LP_CHECK(r == 0, "valid v%d.0 fortran=%d ndim=%d rejected: %s", major, fortran, ndims[s],
                         r ? err.msg : "");
                LP_CHECK(r || (info.npy_major == major && info.fortran_order == fortran && info.ndim == ndims[s] &&
                               info.data_offset % 64 == 0),
                         "round trip v%d.0 ndim %d", major, ndims[s]);
                int bad_outcomes = 0, b;
                /* every truncation must be refused */
                for (size_t cut = 0; cut < len; cut++) {
                    int rr = parse_copy(buf, cut, &b);
                    bad_outcomes += b || rr == 0;
                    tried++;
                }
                /* every bit flip of the header (and of the first data bytes) */
                size_t hdr_end = len < 96 + 8 ? len : 96 + 8;
                for (size_t i = 0; i < hdr_end; i++)
                    for (int bit = 0; bit < 8; bit++) {
                        memcpy(mut, buf, len);
                        mut[i] ^= (uint8_t)(1u << bit);
                        accepted += parse_copy(mut, len, &b) == 0;
                        bad_outcomes += b;
                        tried++;
                    }
                /* random multi-byte mutations, with random lengths */
                for (int k = 0; k < 3000; k++) {
                    memcpy(mut, buf, len);
                    int edits = 1 + (int)(next() % 6);
                    for (int e = 0; e < edits; e++) {
                        size_t at = next() % len;
                        static const char interesting[] = "{}(),:' 0123456789LTrueFalse<>f4\n\\\"";
                        mut[at] = next() % 2 ? (uint8_t)next() : (uint8_t)interesting[next() % (sizeof interesting - 1)];
                    }
                    size_t l2 = next() % 4 == 0 ? next() % (len + 1) : len;
                    accepted += parse_copy(mut, l2, &b) == 0;
                    bad_outcomes += b;
                    tried++;
                }
                char name[64];
                snprintf(name, sizeof name, "mutations of v%d.0 fortran=%d ndim=%d", major, fortran, ndims[s]);
                LP_CASE(name, bad_outcomes == 0, "%d mutated files crashed the contract", bad_outcomes);
            }
    printf("%ld damaged files parsed (%ld still valid .npy files), no crash\n", tried, accepted);
    return lp_test_summary();
}
