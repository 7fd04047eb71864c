/*
 * test_xclbin_mutate.c - the xclbin reader (host/backend/lp_xclbin.c) on damaged files, the
 * deterministic counterpart of tests/fuzz/fuzz_xclbin.c (run under ASan/UBSan by make
 * test). From the test xclbins (lp_xclbin_fixture.h: U250 DDR, U55C HBM, another kernel):
 * every truncation (with the header's length left alone and set to the new size), every
 * bit of the header and section table flipped, and each section's offset, size and
 * count set to values that point outside the file or overflow. Each image is parsed from
 * a buffer of exactly its size, so a read past it is an ASan report; each must be refused
 * with one line or accepted, and what is accepted must lie inside the file.
 */
#define _GNU_SOURCE 1

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/lp_xclbin.h"
#include "lp_test.h"
#include "lp_xclbin_fixture.h"

/* The offsets lp_xclbin.c reads at are those of xrt's <xclbin.h>. */
_Static_assert(offsetof(struct axlf, m_header.m_length) == 304, "m_length");
_Static_assert(offsetof(struct axlf, m_header.m_platformVBNV) == 352, "m_platformVBNV");
_Static_assert(offsetof(struct axlf, m_header.uuid) == 416, "uuid");
_Static_assert(offsetof(struct axlf, m_header.m_numSections) == 448, "m_numSections");
_Static_assert(offsetof(struct axlf, m_sections) == 456, "m_sections");
_Static_assert(sizeof(struct axlf_section_header) == 40, "section header");
_Static_assert(offsetof(struct axlf_section_header, m_sectionOffset) == 24, "m_sectionOffset");
_Static_assert(offsetof(struct axlf_section_header, m_sectionSize) == 32, "m_sectionSize");
_Static_assert(offsetof(struct ip_layout, m_ip_data) == 8 && sizeof(struct ip_data) == 80, "ip_layout");
_Static_assert(offsetof(struct ip_data, m_name) == 16 && IP_LAYOUT == 8 && IP_KERNEL == 1, "ip_data");

static unsigned long parsed, accepted;

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Parse img[0..len) from an exact-size copy; 0 when the outcome obeys the contract. */
static int parse_one(const unsigned char *img, size_t len, const char *what)
{
    unsigned char *copy = malloc(len ? len : 1);
    lp_xclbin_t x;
    char why[256] = "";
    memcpy(copy, img, len);
    int rc = lp_xclbin_parse(copy, len, &x, why, sizeof why);
    int ok = 1;
    parsed++;
    if (rc != LP_XCLBIN_OK) {
        ok = (rc == LP_XCLBIN_NOT_XCLBIN || rc == LP_XCLBIN_DAMAGED) && why[0] && !strchr(why, '\n');
    } else { /* accepted: the table and every section inside the file, names terminated */
        accepted++;
        ok = x.nsections >= 1 && 456 + (uint64_t)x.nsections * 40 <= len && x.ncu <= LP_XCLBIN_MAX_CUS;
        for (uint32_t s = 0; ok && s < x.nsections; s++) {
            uint64_t off = get64(copy + 456 + s * 40 + 24), size = get64(copy + 456 + s * 40 + 32);
            ok = size <= len && off <= len - size;
        }
        for (unsigned c = 0; ok && c < x.ncu; c++)
            ok = memchr(x.cu[c], '\0', sizeof x.cu[c]) && !strncmp(x.cu[c], "lp_sgd:", 7);
    }
    if (!ok)
        LP_CHECK(0, "%s (%zu bytes): rc %d, why '%s'", what, len, rc, why);
    free(copy);
    return !ok;
}

static unsigned char *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    static unsigned char buf[1 << 16];
    *len = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    unsigned char *img = malloc(*len);
    memcpy(img, buf, *len);
    return img;
}

static void truncations(const unsigned char *img, size_t len, const char *name)
{
    unsigned char *t = malloc(len);
    int bad = 0;
    for (size_t n = 0; n < len; n++) {
        memcpy(t, img, n);
        bad += parse_one(t, n, "truncated");
        if (n >= 312) { /* the header's length made to agree: the sections must still be checked */
            put64(t + 304, n);
            bad += parse_one(t, n, "truncated, length patched");
        }
    }
    char label[128];
    snprintf(label, sizeof label, "%s: all %zu truncations refused cleanly or accepted inside the file", name, len);
    LP_CASE(label, bad == 0, "%d bad outcomes", bad);
    free(t);
}

static void bit_flips(const unsigned char *img, size_t len, uint32_t nsect, const char *name)
{
    unsigned char *t = malloc(len);
    size_t end = 456 + (size_t)nsect * 40 + 96; /* header, table and the first bytes after */
    int bad = 0;
    for (size_t i = 0; i < end && i < len; i++)
        for (int b = 0; b < 8; b++) {
            memcpy(t, img, len);
            t[i] ^= (unsigned char)(1u << b);
            bad += parse_one(t, len, "bit flip");
        }
    char label[128];
    snprintf(label, sizeof label, "%s: every bit of the first %zu bytes flipped", name, end < len ? end : len);
    LP_CASE(label, bad == 0, "%d bad outcomes", bad);
    free(t);
}

static void hostile_fields(const unsigned char *img, size_t len, uint32_t nsect, const char *name)
{
    const uint64_t vals[] = {len, len - 1, len + 1, 1ull << 31, 1ull << 32, 1ull << 63, UINT64_MAX, UINT64_MAX - 7,
                             UINT64_MAX - len + 1};
    const uint32_t counts[] = {0, nsect + 1, 1024, 1025, 0x7FFFFFFF, 0x80000000u, UINT32_MAX};
    unsigned char *t = malloc(len);
    int bad = 0, refused = 0, cases = 0;
    for (uint32_t s = 0; s < nsect; s++)
        for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++)
            for (int field = 24; field <= 32; field += 8) { /* offset, size */
                memcpy(t, img, len);
                put64(t + 456 + s * 40 + field, vals[v]);
                lp_xclbin_t x;
                char why[256];
                refused += lp_xclbin_parse(t, len, &x, why, sizeof why) != LP_XCLBIN_OK;
                bad += parse_one(t, len, "hostile offset/size");
                cases++;
            }
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        memcpy(t, img, len);
        memcpy(t + 448, &counts[c], 4);
        bad += parse_one(t, len, "hostile section count");
    }
    /* IP_LAYOUT (section 0 of the fixture): m_count and an unterminated name */
    uint64_t ipo = get64(img + 456 + 24);
    const int32_t ipcounts[] = {-1, 2, 0x7FFFFFFF, INT32_MIN};
    for (size_t c = 0; c < sizeof ipcounts / sizeof ipcounts[0]; c++) {
        memcpy(t, img, len);
        memcpy(t + ipo, &ipcounts[c], 4);
        bad += parse_one(t, len, "hostile IP_LAYOUT count");
    }
    memcpy(t, img, len);
    memset(t + ipo + 8 + 16, 'A', 64);
    bad += parse_one(t, len, "unterminated IP name");
    char label[160];
    snprintf(label, sizeof label, "%s: %d section offsets/sizes past the end or overflowing all refused; hostile "
             "counts, unterminated names: no crash", name, cases);
    LP_CASE(label, bad == 0 && refused == cases, "%d bad outcomes, %d of %d refused", bad, refused, cases);
    free(t);
}

static void one_fixture(const char *dir, const char *name, const lp_fixture_opts_t *o, unsigned want_cu)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/%s.xclbin", dir, name);
    if (lp_fixture_write(path, o) != 0) {
        LP_CHECK(0, "cannot write %s", path);
        return;
    }
    unsigned char *img = load(path, &len);
    lp_xclbin_t x;
    char why[256] = "";
    int rc = lp_xclbin_parse(img, len, &x, why, sizeof why);
    char label[160];
    snprintf(label, sizeof label, "%s: the intact xclbin parses: %u sections, %u CU(s) of lp_sgd", name,
             rc ? 0 : x.nsections, rc ? 0 : x.ncu);
    LP_CASE(label, rc == 0 && x.nsections == 4 && x.ncu == want_cu && (!want_cu || !strcmp(x.cu[0], "lp_sgd:lp_sgd_1")),
            "rc %d: %s", rc, why);
    if (rc == 0) {
        truncations(img, len, name);
        bit_flips(img, len, x.nsections, name);
        hostile_fields(img, len, x.nsections, name);
    }
    free(img);
}

int main(void)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/lpsgd-xclbin-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        printf("FAIL cannot make a temporary directory\n");
        return 1;
    }
    lp_fixture_opts_t ddr = {0}, hbm = {0}, other = {0};
    hbm.hbm = 1;
    other.kernel = "vadd";
    one_fixture(dir, "u250", &ddr, 1);
    one_fixture(dir, "u55c", &hbm, 1);
    one_fixture(dir, "vadd", &other, 0);

    lp_xclbin_t x;
    char why[256];
    LP_CASE("an empty file: not an xclbin", lp_xclbin_parse((const unsigned char *)"", 0, &x, why, sizeof why) ==
                                                LP_XCLBIN_NOT_XCLBIN, "%s", why);
    printf("(%lu images parsed, %lu accepted)\n", parsed, accepted);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return lp_test_summary();
}
