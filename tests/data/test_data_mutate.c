/*
 * test_data_mutate.c - deterministic mutations of valid LIBSVM, CSV and IDX inputs
 * (every truncation, every single-bit flip, seeded random byte edits), fed to the parsers
 * on exact-size heap buffers (so ASan sees any read past the end) and, for a subset,
 * through files and lp_data_load (gzip included).  Every outcome must be either a valid
 * dataset (n, d >= 1, finite values, labels inside the class range) or -1 with one
 * message naming the input.  The libFuzzer targets in tests/fuzz explore further.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "data_check.h"
#include "lp_test.h"

static char dir[64];
static char err[1024];
static char first_bad[1400];
static long bad;

static uint64_t rng = 12345;

static void note_bad(const char *what, size_t len)
{
    if (!bad++)
        snprintf(first_bad, sizeof first_bad, "%s (input of %zu bytes): '%s'", what, len, err);
}

enum { K_LIBSVM, K_CSV, K_IDX_IMG, K_IDX_LAB };

static const uint8_t *g_lab, *g_img;
static size_t g_lab_len, g_img_len;

/* Parse one mutated input (copied to an exact-size buffer) and check the outcome. */
static void run(int kind, const uint8_t *data, size_t len, const char *what)
{
    uint8_t *b = malloc(len ? len : 1);
    memcpy(b, data, len);
    err[0] = '\0';
    lp_dataset_t ds;
    int rc;
    if (kind == K_LIBSVM || kind == K_CSV) {
        rc = kind == K_LIBSVM ? lp_libsvm_parse((const char *)b, len, "mut", &ds, err, sizeof err)
                              : lp_csv_parse((const char *)b, len, "mut", &ds, err, sizeof err);
        if (rc == 0) {
            if (!lp_data_check_dataset(&ds))
                note_bad(what, len);
            lp_dataset_free(&ds);
        } else if (rc != -1 || !lp_data_check_message(err, "mut")) {
            note_bad(what, len);
        }
    } else {
        lp_idx_t a, other;
        rc = lp_idx_parse(b, len, "mut", &a, err, sizeof err);
        if (rc == 0) {
            /* pair it with the untouched partner file */
            lp_idx_parse(kind == K_IDX_IMG ? g_lab : g_img, kind == K_IDX_IMG ? g_lab_len : g_img_len, "ok", &other,
                         err, sizeof err);
            err[0] = '\0';
            int r2 = kind == K_IDX_IMG ? lp_idx_dataset(&a, "mut", &other, "ok", 10, &ds, err, sizeof err)
                                       : lp_idx_dataset(&other, "ok", &a, "mut", 10, &ds, err, sizeof err);
            if (r2 == 0) {
                if (!lp_data_check_dataset(&ds) || ds.classes != 10)
                    note_bad(what, len);
                lp_dataset_free(&ds);
            } else if (r2 != -1 || !err[0]) {
                note_bad(what, len);
            }
        } else if (rc != -1 || !lp_data_check_message(err, "mut")) {
            note_bad(what, len);
        }
    }
    free(b);
}

static const uint8_t dict[] = {':', ',', '\n', '\r', '#', '-', '+', 'e', 'E', '.', '0', '1', '9', ' ',
                               '\t', 'n', 'i', 'a', 'f', '\0', 0xff, 0x80, 0x08, 0x03, 0x01};

static void mutate_all(int kind, const uint8_t *seed, size_t len, const char *label)
{
    uint8_t *m = malloc(len + 64);
    long before;
    char nm[128];

    before = bad;
    for (size_t t = 0; t <= len; t++)
        run(kind, seed, t, "truncation");
    snprintf(nm, sizeof nm, "%s: all %zu truncations", label, len + 1);
    LP_CASE(nm, bad == before, "%s", first_bad);

    before = bad;
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(m, seed, len);
            m[i] ^= (uint8_t)(1u << bit);
            run(kind, m, len, "bit flip");
        }
    snprintf(nm, sizeof nm, "%s: all %zu single-bit flips", label, len * 8);
    LP_CASE(nm, bad == before, "%s", first_bad);

    before = bad;
    for (int it = 0; it < 4000; it++) {
        size_t n = len;
        memcpy(m, seed, len);
        int edits = 1 + (int)(lp_splitmix64(&rng) % 4);
        for (int e = 0; e < edits; e++) {
            uint64_t r = lp_splitmix64(&rng);
            size_t pos = n ? (size_t)(r % n) : 0;
            uint8_t v = (r >> 32) & 1 ? dict[(r >> 40) % sizeof dict] : (uint8_t)(r >> 48);
            switch ((r >> 56) % 4) {
            case 0: /* replace */
                if (n)
                    m[pos] = v;
                break;
            case 1: /* insert */
                if (n < len + 60) {
                    memmove(m + pos + 1, m + pos, n - pos);
                    m[pos] = v;
                    n++;
                }
                break;
            case 2: /* delete */
                if (n) {
                    memmove(m + pos, m + pos + 1, n - pos - 1);
                    n--;
                }
                break;
            default: /* duplicate a short run */
                if (n && n + 8 < len + 60) {
                    size_t k = 1 + (r >> 8) % 8;
                    if (pos + k > n)
                        k = n - pos;
                    memmove(m + pos + k, m + pos, n - pos);
                    n += k;
                }
                break;
            }
        }
        run(kind, m, n, "random edit");
    }
    snprintf(nm, sizeof nm, "%s: 4000 seeded random edits", label);
    LP_CASE(nm, bad == before, "%s", first_bad);
    free(m);
}

static size_t idx_make(uint8_t *b, uint8_t nd, const uint32_t *dims, const uint8_t *data, size_t n)
{
    size_t o = 0;
    b[o++] = 0;
    b[o++] = 0;
    b[o++] = 8;
    b[o++] = nd;
    for (unsigned k = 0; k < nd; k++)
        for (int s = 24; s >= 0; s -= 8)
            b[o++] = (uint8_t)(dims[k] >> s);
    memcpy(b + o, data, n);
    return o + n;
}

static void write_file(const char *path, const void *data, size_t len, int gz)
{
    if (gz) {
        gzFile f = gzopen(path, "wb");
        gzwrite(f, data, (unsigned)len);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* Mutations of the gzip bytes themselves, through lp_data_load("fashion-mnist:DIR"). */
static void mutate_gzip_files(const uint8_t *img, size_t ilen, const uint8_t *lab, size_t llen)
{
    char p[256], spec[128];
    uint8_t gz[1024], m[1024];
    snprintf(p, sizeof p, "%s/fm", dir);
    mkdir(p, 0700);
    const char *names[4] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                            "t10k-labels-idx1-ubyte.gz"};
    for (int k = 0; k < 4; k++) {
        snprintf(p, sizeof p, "%s/fm/%s", dir, names[k]);
        write_file(p, k & 1 ? lab : img, k & 1 ? llen : ilen, 1);
    }
    snprintf(p, sizeof p, "%s/fm/%s", dir, names[0]);
    FILE *f = fopen(p, "rb");
    size_t gl = fread(gz, 1, sizeof gz, f);
    fclose(f);
    snprintf(spec, sizeof spec, "fashion-mnist:%s/fm", dir);
    lp_data_t d;
    int rc = lp_data_load(spec, 1, 0, &d, err, sizeof err);
    LP_CHECK(rc == 0, "valid gzip IDX set: %s", err);
    if (rc == 0)
        lp_data_free(&d);
    long before = bad;
    int ok_count = 0, n = 0;
    for (size_t t = 0; t < gl + 8 * gl; t += 1) {
        memcpy(m, gz, gl);
        size_t len = gl;
        if (t < gl)
            len = t; /* truncation */
        else
            m[(t - gl) / 8] ^= (uint8_t)(1u << ((t - gl) % 8)); /* bit flip */
        write_file(p, m, len, 0);
        err[0] = '\0';
        rc = lp_data_load(spec, 1, 0, &d, err, sizeof err);
        n++;
        if (rc == 0) {
            ok_count++;
            if (!lp_data_check_dataset(&d.train) || !lp_data_check_dataset(&d.test))
                note_bad("gzip file mutation", len);
            lp_data_free(&d);
        } else if (rc != -1 || !lp_data_check_message(err, "train-images-idx3-ubyte.gz")) {
            note_bad("gzip file mutation", len);
        }
    }
    char nm[128];
    snprintf(nm, sizeof nm, "gzip IDX file: %d truncations and bit flips through lp_data_load (%d still valid)", n,
             ok_count);
    LP_CASE(nm, bad == before, "%s", first_bad);
}

/* Mutated text files through lp_data_load (file reading, split, label rule). */
static void mutate_text_files(const char *kind, const char *seed)
{
    char p[256], spec[300], nm[128];
    size_t len = strlen(seed);
    char *m = malloc(len + 1);
    snprintf(p, sizeof p, "%s/t.%s", dir, kind);
    snprintf(spec, sizeof spec, "%s:%s", kind, p);
    long before = bad;
    for (int it = 0; it < 300; it++) {
        memcpy(m, seed, len);
        uint64_t r = lp_splitmix64(&rng);
        size_t n = it < 100 ? (size_t)(r % (len + 1)) : len;
        if (it >= 100)
            m[r % len] = (char)dict[(r >> 32) % sizeof dict];
        write_file(p, m, n, 0);
        lp_data_t d;
        err[0] = '\0';
        int rc = lp_data_load(spec, (uint32_t)it, 0, &d, err, sizeof err);
        if (rc == 0) {
            if (!lp_data_check_dataset(&d.train) || !lp_data_check_dataset(&d.test) || d.train.d != d.test.d)
                note_bad("text file mutation", n);
            lp_data_free(&d);
        } else if (rc != -1 || !lp_data_check_message(err, p)) {
            note_bad("text file mutation", n);
        }
    }
    snprintf(nm, sizeof nm, "%s files: 300 truncations and edits through lp_data_load", kind);
    LP_CASE(nm, bad == before, "%s", first_bad);
    free(m);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/lpsgd-test-mutate-XXXXXX");
    if (!mkdtemp(dir)) {
        printf("cannot create a temp dir\n");
        return 1;
    }
    const char *svm = "# LIBSVM sample\n+1 1:0.5 3:-2e-3 qid:1\r\n-1 2:7\n\n+1 3:1.25e+2 1:1 # c\n-1 4:0\n"
                      "+1 1:3 2:4\n-1 3:.5\n+1 2:-1\n";
    const char *csv = "a,b,label\r\n1.5,2,0\n# x\n-3, 4e2 ,2\n0.25,-0,1\n7,8,1\n\n9,10,0\n11,12,2\n";
    mutate_all(K_LIBSVM, (const uint8_t *)svm, strlen(svm), "libsvm");
    mutate_all(K_CSV, (const uint8_t *)csv, strlen(csv), "csv");
    uint8_t img[64], lab[32];
    const uint32_t di[3] = {3, 2, 2}, dl[1] = {3};
    const uint8_t px[12] = {0, 255, 128, 1, 2, 3, 4, 5, 250, 251, 252, 253}, lb[3] = {9, 0, 3};
    size_t il = idx_make(img, 3, di, px, 12), ll = idx_make(lab, 1, dl, lb, 3);
    g_img = img;
    g_img_len = il;
    g_lab = lab;
    g_lab_len = ll;
    mutate_all(K_IDX_IMG, img, il, "idx images");
    mutate_all(K_IDX_LAB, lab, ll, "idx labels");
    mutate_gzip_files(img, il, lab, ll);
    mutate_text_files("libsvm", svm);
    mutate_text_files("csv", csv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return lp_test_summary();
}
