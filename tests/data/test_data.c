/*
 * test_data.c - the data loaders (host/data): tiny hand-written files of every format with
 * exact expected values, every error path (one message naming file, line/offset and the
 * fix), the real Fashion-MNIST files, and the synthetic problem's ground truth checked
 * against independent computations (gradient at w*, Rayleigh quotients, power iteration,
 * the generator re-implemented from its documented formulas).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "data/dataset.h"
#include "lp_test.h"

static char dir[64];
static char err[1024];

/* Write a file into the temp dir; returns its path (static buffers, rotated). */
static const char *put(const char *name, const void *data, size_t len)
{
    static char paths[8][256];
    static int k;
    char *p = paths[k++ & 7];
    snprintf(p, 256, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        printf("cannot write %s\n", p);
        exit(1);
    }
    fclose(f);
    return p;
}
static const char *puts_(const char *name, const char *text) { return put(name, text, strlen(text)); }

static void put_gz(const char *name, const void *data, size_t len)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    gzFile f = gzopen(p, "wb");
    if (!f || gzwrite(f, data, (unsigned)len) != (int)len) {
        printf("cannot write %s\n", p);
        exit(1);
    }
    gzclose(f);
}

static int load(const char *fmt, const char *a, const char *b, uint32_t seed, double lambda, lp_data_t *d)
{
    char spec[1024];
    snprintf(spec, sizeof spec, fmt, a, b);
    err[0] = '\0';
    int rc = lp_data_load(spec, seed, lambda, d, err, sizeof err);
    if (rc == 0 && err[0])
        printf("note: message on success: %s\n", err);
    return rc;
}

/* A load that must fail with a message containing every needle (NULL-terminated). */
static void expect_fail(const char *what, const char *spec, double lambda, const char *n1, const char *n2,
                        const char *n3)
{
    lp_data_t d;
    err[0] = '\0';
    int rc = lp_data_load(spec, 1, lambda, &d, err, sizeof err);
    int ok = rc == -1 && err[0] && !strchr(err, '\n');
    const char *needles[3] = {n1, n2, n3};
    for (int k = 0; k < 3; k++)
        if (needles[k] && !strstr(err, needles[k]))
            ok = 0;
    char name[1200];
    snprintf(name, sizeof name, "error: %s -> %s", what, err);
    LP_CASE(name, ok, "%s: rc %d, message '%s' (wanted '%s' '%s' '%s')", what, rc, err, n1 ? n1 : "",
            n2 ? n2 : "", n3 ? n3 : "");
    if (rc == 0)
        lp_data_free(&d);
}

/* Write text to NAME and expect `libsvm:PATH` (or csv:) to fail naming PATH:LINE and needle. */
static void text_fail(const char *kind, const char *name, const char *text, int line, const char *needle)
{
    const char *p = puts_(name, text);
    char spec[512], where[300];
    snprintf(spec, sizeof spec, "%s:%s", kind, p);
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d:", p, line);
    else
        snprintf(where, sizeof where, "%s:", p);
    expect_fail(name, spec, 0.0, where, needle, NULL);
}

static int row_is(const lp_dataset_t *ds, uint32_t i, const float *x, float y)
{
    if (i >= ds->n || ds->y[i] != y)
        return 0;
    return memcmp(ds->x + (size_t)i * ds->d, x, ds->d * sizeof(float)) == 0;
}

/* ------------------------------------------------------------------------------------ */

static void test_libsvm(void)
{
    lp_data_t d;
    const char *a = puts_("a.svm", "# a comment line\r\n"
                                   "+1 3:0.5 1:-2 # trailing comment\r\n"
                                   "\r\n"
                                   "-1 qid:3 2:1e-3\r\n"
                                   "   \t \n"
                                   "+1\t1:4   3:7.25");
    const char *b = puts_("b.svm", "-1 4:1\n");
    int rc = load("libsvm:%s,%s", a, b, 1, 0.0, &d);
    LP_CHECK(rc == 0, "libsvm load: %s", err);
    if (rc)
        return;
    const float w0[4] = {-2, 0, 0.5f, 0}, w1[4] = {0, 1e-3f, 0, 0}, w2[4] = {4, 0, 7.25f, 0}, t0[4] = {0, 0, 0, 1};
    LP_CASE("libsvm: CRLF, comments, blank lines, qid, order, +-1 -> 1/0, d = max index of train and test",
            d.train.n == 3 && d.train.d == 4 && d.test.n == 1 && d.test.d == 4 && row_is(&d.train, 0, w0, 1) &&
                row_is(&d.train, 1, w1, 0) && row_is(&d.train, 2, w2, 1) && row_is(&d.test, 0, t0, 0) &&
                d.train.task == LP_TASK_CLASSIFICATION && d.train.classes == 2 && d.test.classes == 2 &&
                d.test.task == LP_TASK_CLASSIFICATION && !d.has_truth && strcmp(d.name, "libsvm:a.svm") == 0,
            "n %u/%u d %u/%u classes %u name %s", d.train.n, d.test.n, d.train.d, d.test.d, d.train.classes, d.name);
    lp_data_free(&d);
    LP_CHECK(d.train.x == NULL && d.test.x == NULL, "lp_data_free clears");

    /* label rules */
    struct {
        const char *train, *test;
        uint32_t task, classes;
        float y0;
    } lc[] = {
        {"0 1:1\n2 1:1\n1 1:1\n", "1 1:1\n", LP_TASK_CLASSIFICATION, 3, 0},
        {"1 1:1\n3 1:1\n", "2 1:1\n", LP_TASK_CLASSIFICATION, 4, 1},   /* 1-based classes: class 0 unused */
        {"0 1:1\n1 1:1\n", "2 1:1\n", LP_TASK_CLASSIFICATION, 3, 0},   /* classes from train AND test */
        {"1 1:1\n1 1:1\n", "1 1:1\n", LP_TASK_CLASSIFICATION, 2, 1},   /* at least 2 classes */
        {"0.5 1:1\n1 1:1\n", "1 1:1\n", LP_TASK_REGRESSION, 0, 0.5f},  /* non-integer */
        {"-1 1:1\n0 1:1\n", "1 1:1\n", LP_TASK_REGRESSION, 0, -1},     /* {-1,0,1} is not +-1 */
        {"-2 1:1\n1 1:1\n", "1 1:1\n", LP_TASK_REGRESSION, 0, -2},     /* negative integers */
        {"1024 1:1\n1 1:1\n", "1 1:1\n", LP_TASK_REGRESSION, 0, 1024}, /* beyond 1023 */
        {"1023 1:1\n1 1:1\n", "1 1:1\n", LP_TASK_CLASSIFICATION, 1024, 1023},
        {"-1 1:1\n-1 1:1\n", "1 1:1\n", LP_TASK_CLASSIFICATION, 2, 0},
    };
    for (unsigned k = 0; k < sizeof lc / sizeof lc[0]; k++) {
        const char *pa = puts_("l.svm", lc[k].train), *pb = puts_("lt.svm", lc[k].test);
        rc = load("libsvm:%s,%s", pa, pb, 1, 0.0, &d);
        char nm[128];
        snprintf(nm, sizeof nm, "libsvm labels case %u: task %u classes %u", k, lc[k].task, lc[k].classes);
        LP_CASE(nm, rc == 0 && d.train.task == lc[k].task && d.train.classes == lc[k].classes &&
                        d.test.task == lc[k].task && d.test.classes == lc[k].classes && d.train.y[0] == lc[k].y0,
                "rc %d err %s task %u classes %u y0 %g", rc, err, d.train.task, d.train.classes,
                rc ? 0.0 : d.train.y[0]);
        if (rc == 0)
            lp_data_free(&d);
    }

    /* the held-out split: floor(n/6) rows, file order kept, seeded */
    char text[2048] = "";
    for (int i = 0; i < 13; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%d.5 1:%d\n", i, 100 + i);
    const char *ps = puts_("split.svm", text);
    lp_data_t s1, s2, s3;
    int r1 = load("libsvm:%s%s", ps, "", 7, 0.0, &s1);
    int r2 = load("libsvm:%s%s", ps, "", 7, 0.0, &s2);
    int r3 = 0, differs = 0;
    LP_CHECK(r1 == 0 && r2 == 0, "split load: %s", err);
    if (r1 || r2)
        return;
    int cover = s1.train.n == 11 && s1.test.n == 2 && s1.train.task == LP_TASK_REGRESSION;
    int seen[13] = {0};
    float last = -1;
    for (uint32_t i = 0; cover && i < s1.train.n; i++) {
        int v = (int)s1.train.x[i] - 100;
        cover = v >= 0 && v < 13 && !seen[v]++ && s1.train.x[i] > last && s1.train.y[i] == (float)v + 0.5f;
        last = s1.train.x[i];
    }
    last = -1;
    for (uint32_t i = 0; cover && i < s1.test.n; i++) {
        int v = (int)s1.test.x[i] - 100;
        cover = v >= 0 && v < 13 && !seen[v]++ && s1.test.x[i] > last;
        last = s1.test.x[i];
    }
    LP_CASE("split: 13 rows -> 11 train + 2 test, every row once, file order kept", cover, "split wrong");
    LP_CASE("split: same seed, same split", memcmp(s1.test.x, s2.test.x, 2 * sizeof(float)) == 0, "differs");
    for (uint32_t seed = 8; seed < 16 && !differs; seed++) {
        r3 = load("libsvm:%s%s", ps, "", seed, 0.0, &s3);
        if (r3 == 0) {
            differs = memcmp(s1.test.x, s3.test.x, 2 * sizeof(float)) != 0;
            lp_data_free(&s3);
        }
    }
    LP_CASE("split: another seed, another split", differs, "8 seeds gave the same split");
    lp_data_free(&s1);
    lp_data_free(&s2);
    rc = load("libsvm:%s%s", puts_("two.svm", "1 1:1\n0 1:2\n"), "", 1, 0.0, &d);
    LP_CASE("split: 2 rows -> 1 + 1", rc == 0 && d.train.n == 1 && d.test.n == 1, "rc %d %s", rc, err);
    if (rc == 0)
        lp_data_free(&d);
}

static void test_libsvm_errors(void)
{
    text_fail("libsvm", "e0.svm", "1 1:1\n0 0:1\n", 2, "index 0");
    text_fail("libsvm", "e1.svm", "1 3:1 1:2 3:4\n", 1, "index 3 appears twice");
    text_fail("libsvm", "e2.svm", "1 1:1\n\n# c\n1 2:nan\n", 4, "NaN or Inf");
    text_fail("libsvm", "e3.svm", "1 1:1\n1 2:-inf\n", 2, "NaN or Inf");
    text_fail("libsvm", "e4.svm", "inf 1:1\n", 1, "label 'inf'");
    text_fail("libsvm", "e5.svm", "1 1:abc\n", 1, "not a number");
    text_fail("libsvm", "e6.svm", "1 a:1\n", 1, "not a positive integer");
    text_fail("libsvm", "e7.svm", "1 -3:1\n", 1, "not a positive integer");
    text_fail("libsvm", "e8.svm", "1 1:1 7\n", 1, "not INDEX:VALUE");
    text_fail("libsvm", "e9.svm", "1:2 3:4\n", 1, "label first");
    text_fail("libsvm", "e10.svm", "yes 1:1\n", 1, "label 'yes': not a number");
    text_fail("libsvm", "e11.svm", "1 1:1e39\n", 1, "FP32 range");
    text_fail("libsvm", "e12.svm", "1 1:1e999\n", 1, "FP32 range");
    text_fail("libsvm", "e13.svm", "1 2000000:1\n", 1, "limit");
    text_fail("libsvm", "e14.svm", "1 99999999999:1\n", 1, "not a positive integer");
    text_fail("libsvm", "e15.svm", "1 1:", 1, "empty field");
    text_fail("libsvm", "e16.svm", "", 0, "no data rows");
    text_fail("libsvm", "e17.svm", "# only\n\r\n  \n", 0, "no data rows");
    text_fail("libsvm", "e18.svm", "1\n0\n", 0, "no features");
    text_fail("libsvm", "e19.svm", "1 1:0x\n", 1, "not a number");
    char longv[300] = "1 1:";
    memset(longv + 4, '1', 200);
    longv[204] = '\n';
    longv[205] = '\0';
    text_fail("libsvm", "e20.svm", longv, 1, "longer than 128");
    const char nul[] = "1 1:1\n1 2:1\0\n";
    const char *pn = put("e21.svm", nul, sizeof nul - 1);
    char spec[512], where[300];
    snprintf(spec, sizeof spec, "libsvm:%s", pn);
    snprintf(where, sizeof where, "%s:2:", pn);
    expect_fail("NUL byte", spec, 0, where, "not a text file", NULL);
    snprintf(spec, sizeof spec, "libsvm:%s/missing.svm", dir);
    expect_fail("missing file", spec, 0, "missing.svm: cannot open", "No such file", NULL);
    snprintf(spec, sizeof spec, "libsvm:%s", dir);
    expect_fail("directory", spec, 0, "not a regular file", NULL, NULL);
    snprintf(spec, sizeof spec, "libsvm:%s,%s/nope.svm", puts_("ok.svm", "1 1:1\n"), dir);
    expect_fail("missing test file", spec, 0, "nope.svm: cannot open", NULL, NULL);
    snprintf(spec, sizeof spec, "libsvm:%s", puts_("one.svm", "1 1:1\n"));
    expect_fail("one row, no test file", spec, 0, "one.svm: only 1 row", "TEST file", NULL);
    expect_fail("empty path", "libsvm:", 0, "empty file name", NULL, NULL);
    expect_fail("empty test path", "libsvm:x,", 0, "empty file name", NULL, NULL);
    expect_fail("unknown source", "mnist", 0, "unknown data source 'mnist'", "fashion-mnist", NULL);
    snprintf(spec, sizeof spec, "%s", puts_("bare.svm", "1 1:1\n"));
    expect_fail("bare file name", spec, 0, "say its format", NULL, NULL);
}

static void test_csv(void)
{
    lp_data_t d;
    const char *a = puts_("a.csv", "x1, x2 ,label\r\n"
                                   "# comment\r\n"
                                   "1.5,2,0\r\n"
                                   "\r\n"
                                   " -3 , 4e2 ,2 # note\r\n");
    const char *b = puts_("b.csv", "0.25,-0,1\n");
    int rc = load("csv:%s,%s", a, b, 1, 0.0, &d);
    LP_CHECK(rc == 0, "csv load: %s", err);
    if (rc == 0) {
        const float r0[2] = {1.5f, 2}, r1[2] = {-3, 400}, t0[2] = {0.25f, -0.0f};
        LP_CASE("csv: header, CRLF, comments, blanks around fields, label last, classes 3",
                d.train.n == 2 && d.train.d == 2 && d.test.n == 1 && row_is(&d.train, 0, r0, 0) &&
                    row_is(&d.train, 1, r1, 2) && row_is(&d.test, 0, t0, 1) && d.train.classes == 3 &&
                    d.train.task == LP_TASK_CLASSIFICATION && strcmp(d.name, "csv:a.csv") == 0,
                "n %u d %u classes %u", d.train.n, d.train.d, d.train.classes);
        lp_data_free(&d);
    }
    rc = load("csv:%s,%s", puts_("r.csv", "1,2,3.25\n4,5,-6\n"), puts_("rt.csv", "7,8,9\n"), 1, 0.0, &d);
    const float r0[2] = {1, 2};
    LP_CASE("csv: no header, regression", rc == 0 && d.train.task == LP_TASK_REGRESSION && d.train.classes == 0 &&
                                              row_is(&d.train, 0, r0, 3.25f) && d.train.y[1] == -6.0f,
            "rc %d %s", rc, err);
    if (rc == 0)
        lp_data_free(&d);
    rc = load("csv:%s%s", puts_("s.csv", "1,1\n2,-1\n3,1\n4,1\n5,-1\n6,1\n7,1\n"), "", 3, 0.0, &d);
    LP_CASE("csv: +-1 labels, held-out split 7 -> 6 + 1",
            rc == 0 && d.train.n == 6 && d.test.n == 1 && d.train.classes == 2, "rc %d %s", rc, err);
    if (rc == 0)
        lp_data_free(&d);
}

static void test_csv_errors(void)
{
    text_fail("csv", "c0.csv", "1,2,3\n4,5\n", 2, "2 fields, but line 1 has 3");
    text_fail("csv", "c1.csv", "a,b,c\n1,2\n", 2, "2 fields, but line 1 has 3");
    text_fail("csv", "c2.csv", "1,,3\n", 1, "column 2 '': empty field");
    text_fail("csv", "c3.csv", "1,2,0\n# x\n1,NaN,0\n", 3, "column 2 'NaN': NaN or Inf");
    text_fail("csv", "c4.csv", "1,2,0\n1,NA,0\n", 2, "column 2 'NA': not a number");
    text_fail("csv", "c5.csv", "a,1,2\n", 1, "column 1 'a': not a number");
    text_fail("csv", "c6.csv", "1;2;3\n", 1, "one field");
    text_fail("csv", "c7.csv", "1,2;3,0\n", 1, "separated by commas");
    text_fail("csv", "c8.csv", "x,y\n", 0, "no data rows");
    text_fail("csv", "c9.csv", "1,2,inf\n", 1, "column 3 'inf'");
    text_fail("csv", "c10.csv", "1,2,\"3\"\n", 1, "not a number");
    text_fail("csv", "c11.csv", "1,2,3\n1,2,3e40\n", 2, "FP32 range");
    text_fail("csv", "c12.csv", "nan,inf,nan\n1,2,3\n", 1, "column 1 'nan': NaN or Inf"); /* not a header */
    char fifo[128], fspec[160];
    snprintf(fifo, sizeof fifo, "%s/fifo.csv", dir);
    if (mkfifo(fifo, 0600) == 0) {
        snprintf(fspec, sizeof fspec, "csv:%s", fifo);
        expect_fail("a FIFO (would block)", fspec, 0, "fifo.csv: not a regular file", NULL, NULL);
    }
    char spec[512];
    snprintf(spec, sizeof spec, "csv:%s,%s", puts_("m1.csv", "1,2,3\n"), puts_("m2.csv", "1,2\n"));
    expect_fail("csv train/test columns", spec, 0, "m2.csv: 1 feature columns", "m1.csv has 2", NULL);
}

/* ------------------------------------------------------------------------------------ */

static size_t idx_make(uint8_t *b, uint8_t type, uint8_t nd, const uint32_t *dims, const uint8_t *data, size_t n)
{
    size_t o = 0;
    b[o++] = 0;
    b[o++] = 0;
    b[o++] = type;
    b[o++] = nd;
    for (unsigned k = 0; k < nd; k++) {
        b[o++] = (uint8_t)(dims[k] >> 24);
        b[o++] = (uint8_t)(dims[k] >> 16);
        b[o++] = (uint8_t)(dims[k] >> 8);
        b[o++] = (uint8_t)dims[k];
    }
    memcpy(b + o, data, n);
    return o + n;
}

static void fm_dir(const char *sub)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    mkdir(p, 0700);
}

/* A small valid Fashion-MNIST directory: 3 train images of 2x2 (gzip), 2 test images (plain). */
static void fm_valid(const char *sub)
{
    uint8_t b[256];
    char n[128];
    const uint32_t dti[3] = {3, 2, 2}, dtl[1] = {3}, dsi[3] = {2, 2, 2}, dsl[1] = {2};
    const uint8_t ti[12] = {0, 255, 128, 1, 2, 3, 4, 5, 250, 251, 252, 253}, tl[3] = {9, 0, 3};
    const uint8_t si[8] = {7, 7, 7, 7, 0, 0, 0, 51}, sl[2] = {1, 2};
    fm_dir(sub);
    snprintf(n, sizeof n, "%s/train-images-idx3-ubyte.gz", sub);
    put_gz(n, b, idx_make(b, 8, 3, dti, ti, 12));
    snprintf(n, sizeof n, "%s/train-labels-idx1-ubyte.gz", sub);
    put_gz(n, b, idx_make(b, 8, 1, dtl, tl, 3));
    snprintf(n, sizeof n, "%s/t10k-images-idx3-ubyte", sub);
    put(n, b, idx_make(b, 8, 3, dsi, si, 8));
    snprintf(n, sizeof n, "%s/t10k-labels-idx1-ubyte", sub);
    put(n, b, idx_make(b, 8, 1, dsl, sl, 2));
}

/* Replace one file of a valid directory with raw bytes and expect a failure. */
static void fm_fail(const char *what, const char *file, const void *bytes, size_t len, int gz, const char *needle)
{
    char sub[64], n[160], spec[256];
    static int k;
    snprintf(sub, sizeof sub, "fm%d", k++);
    fm_valid(sub);
    snprintf(n, sizeof n, "%s/%s", sub, file);
    if (gz)
        put_gz(n, bytes, len);
    else
        put(n, bytes, len);
    snprintf(spec, sizeof spec, "fashion-mnist:%s/%s", dir, sub);
    expect_fail(what, spec, 0, file, needle, NULL);
}

static void test_idx(void)
{
    lp_data_t d;
    char spec[256];
    fm_valid("fm");
    snprintf(spec, sizeof spec, "fashion-mnist:%s/fm", dir);
    int rc = lp_data_load(spec, 1, 0, &d, err, sizeof err);
    LP_CHECK(rc == 0, "small idx load: %s", err);
    if (rc == 0) {
        const float r0[4] = {0, 1, 128 / 255.0f, 1 / 255.0f}, r2[4] = {250 / 255.0f, 251 / 255.0f, 252 / 255.0f,
                                                                        253 / 255.0f};
        const float s1[4] = {0, 0, 0, 51 / 255.0f};
        LP_CASE("idx: gzip and plain files, x = byte / 255.0f, 10 classes",
                d.train.n == 3 && d.train.d == 4 && d.test.n == 2 && row_is(&d.train, 0, r0, 9) &&
                    row_is(&d.train, 2, r2, 3) && row_is(&d.test, 1, s1, 2) && d.train.classes == 10 &&
                    d.test.classes == 10 && d.train.task == LP_TASK_CLASSIFICATION,
                "n %u d %u", d.train.n, d.train.d);
        lp_data_free(&d);
    }
    uint8_t b[512];
    const uint32_t dims3[3] = {3, 2, 2}, dims1[1] = {3}, big[3] = {60000, 60000, 60000}, zero[3] = {3, 0, 2};
    const uint8_t px[32] = {0}, lab[4] = {1, 2, 3, 4};
    size_t n;
    n = idx_make(b, 8, 3, dims3, px, 12);
    b[0] = 0x1f;
    fm_fail("idx bad magic", "train-images-idx3-ubyte.gz", b, n, 1, "offset 0: magic 1f 00 08 03 is not IDX");
    n = idx_make(b, 0x0D, 3, dims3, px, 12);
    fm_fail("idx float type", "train-images-idx3-ubyte.gz", b, n, 1, "type 0x0D (float32) is not supported");
    n = idx_make(b, 0x42, 3, dims3, px, 12);
    fm_fail("idx unknown type", "train-images-idx3-ubyte.gz", b, n, 1, "unknown IDX type 0x42");
    n = idx_make(b, 8, 0, dims3, px, 12);
    fm_fail("idx 0 dims", "train-images-idx3-ubyte.gz", b, n, 1, "offset 3: 0 dimensions");
    const uint32_t dims9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    n = idx_make(b, 8, 9, dims9, px, 1);
    fm_fail("idx 9 dims", "train-images-idx3-ubyte.gz", b, n, 1, "offset 3: 9 dimensions");
    n = idx_make(b, 8, 3, zero, px, 0);
    fm_fail("idx zero dim", "train-images-idx3-ubyte.gz", b, n, 1, "offset 8: dimension 1 is 0");
    n = idx_make(b, 8, 3, big, px, 12);
    fm_fail("idx huge dims", "train-images-idx3-ubyte.gz", b, n, 1, "the limit");
    n = idx_make(b, 8, 3, dims3, px, 11);
    fm_fail("idx truncated data", "train-images-idx3-ubyte.gz", b, n, 1, "ends after 11 of the 12 data bytes");
    n = idx_make(b, 8, 3, dims3, px, 13);
    fm_fail("idx trailing data", "train-images-idx3-ubyte.gz", b, n, 1, "offset 28: 1 bytes after the 12");
    fm_fail("idx truncated header", "train-images-idx3-ubyte.gz", b, 10, 1, "shorter than the 16-byte header");
    fm_fail("idx 2 bytes", "train-images-idx3-ubyte.gz", b, 2, 1, "shorter than the 4-byte IDX magic");
    fm_fail("idx empty", "train-images-idx3-ubyte.gz", b, 0, 1, "shorter than the 4-byte");
    n = idx_make(b, 8, 1, dims1, lab, 3);
    fm_fail("idx swapped", "train-images-idx3-ubyte.gz", b, n, 1, "did you swap");
    n = idx_make(b, 8, 3, dims3, px, 12);
    fm_fail("idx labels as images", "train-labels-idx1-ubyte.gz", b, n, 1, "did you swap");
    const uint32_t two[1] = {2};
    n = idx_make(b, 8, 1, two, lab, 2);
    fm_fail("idx count mismatch", "train-labels-idx1-ubyte.gz", b, n, 1, "2 labels, but");
    const uint8_t bad_lab[3] = {1, 10, 2};
    n = idx_make(b, 8, 1, dims1, bad_lab, 3);
    fm_fail("idx label 10", "train-labels-idx1-ubyte.gz", b, n, 1, "offset 9: label 10 of image 1");
    const uint32_t d3x3[3] = {2, 3, 3};
    n = idx_make(b, 8, 3, d3x3, px, 18);
    fm_fail("idx test size mismatch", "t10k-images-idx3-ubyte", b, n, 0, "9 pixels per image");
    /* a corrupt gzip stream: valid header, garbage after it; and a truncated one */
    uint8_t gz[64];
    char gp[160];
    n = idx_make(b, 8, 3, dims3, px, 12);
    snprintf(gp, sizeof gp, "%s/tmp.gz", dir);
    gzFile g = gzopen(gp, "wb");
    gzwrite(g, b, (unsigned)n);
    gzclose(g);
    FILE *f = fopen(gp, "rb");
    size_t gl = fread(gz, 1, sizeof gz, f);
    fclose(f);
    uint8_t gz2[64];
    memcpy(gz2, gz, gl);
    for (size_t k = 12; k < gl; k++)
        gz2[k] ^= 0x5a;
    fm_fail("gzip corrupt", "train-images-idx3-ubyte.gz", gz2, gl, 0, "gzip file is corrupt");
    memcpy(gz2, gz, gl);
    gz2[gl - 6] ^= 1; /* CRC */
    fm_fail("gzip bad CRC", "train-images-idx3-ubyte.gz", gz2, gl, 0, "corrupt");
    fm_fail("gzip truncated", "train-images-idx3-ubyte.gz", gz, gl - 12, 0, "train-images");
    fm_valid("fmfifo");
    snprintf(gp, sizeof gp, "%s/fmfifo/train-images-idx3-ubyte.gz", dir);
    if (unlink(gp) == 0 && mkfifo(gp, 0600) == 0) {
        snprintf(spec, sizeof spec, "fashion-mnist:%s/fmfifo", dir);
        expect_fail("an IDX FIFO (would block)", spec, 0, "train-images-idx3-ubyte.gz: not a regular file", NULL,
                    NULL);
    }
    snprintf(spec, sizeof spec, "fashion-mnist:%s/nowhere", dir);
    expect_fail("fashion-mnist missing dir", spec, 0, "train-images-idx3-ubyte.gz (or train-images-idx3-ubyte) not found",
                "dataset-fashion-mnist", NULL);
}

static void test_fashion_mnist(void)
{
    if (access("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", R_OK) != 0) {
        LP_SKIP("Fashion-MNIST loading: Debian package dataset-fashion-mnist is not installed (`make deps`)");
        lp_data_t d;
        expect_fail("fashion-mnist not installed", "fashion-mnist", 0, "install it with `make deps`",
                    "dataset-fashion-mnist", NULL);
        (void)d;
        return;
    }
    lp_data_t d;
    int rc = lp_data_load(NULL, 1, 0, &d, err, sizeof err);
    LP_CHECK(rc == 0, "fashion-mnist: %s", err);
    if (rc)
        return;
    /* first labels and pixels read independently (python3 gzip) from Debian's files */
    const float tl[10] = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, sl[10] = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
    int ok = d.train.n == 60000 && d.test.n == 10000 && d.train.d == 784 && d.test.d == 784 &&
             d.train.classes == 10 && d.train.task == LP_TASK_CLASSIFICATION &&
             memcmp(d.train.y, tl, sizeof tl) == 0 && memcmp(d.test.y, sl, sizeof sl) == 0 &&
             strcmp(d.name, "fashion-mnist") == 0;
    LP_CASE("fashion-mnist: 60000/10000 rows, 784 features, 10 classes, first labels", ok, "n %u/%u d %u c %u",
            d.train.n, d.test.n, d.train.d, d.train.classes);
    double s0 = 0, t0 = 0;
    int nz = 0, inrange = 1;
    for (int j = 0; j < 784; j++) {
        s0 += d.train.x[j] * 255.0f;
        t0 += d.test.x[j] * 255.0f;
        nz += d.train.x[j] != 0.0f;
    }
    for (size_t k = 0; k < (size_t)d.train.n * 784; k++)
        inrange &= d.train.x[k] >= 0.0f && d.train.x[k] <= 1.0f;
    LP_CASE("fashion-mnist: first images (pixel sums 76247 / 33456, 433 non-zero, x[350] = 222/255), x in [0,1]",
            fabs(s0 - 76247) < 0.5 && fabs(t0 - 33456) < 0.5 && nz == 433 && d.train.x[350] == 222 / 255.0f &&
                d.test.x[350] == 115 / 255.0f && inrange,
            "sums %g %g nz %d", s0, t0, nz);
    int lab_ok = 1;
    int hist[10] = {0};
    for (uint32_t i = 0; i < d.train.n; i++)
        hist[(int)d.train.y[i]]++;
    for (int c = 0; c < 10; c++)
        lab_ok &= hist[c] == 6000;
    LP_CASE("fashion-mnist: 6000 training images per class", lab_ok, "class histogram off");
    lp_data_free(&d);
}

/* ------------------------------------------------------------------------------------ */

/* The generator of synthetic.c, written again from its documented formulas. */
static uint64_t sm64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double ih12(uint64_t *s)
{
    double t = 0;
    for (int k = 0; k < 12; k++)
        t += (double)(sm64(s) >> 11) / 9007199254740992.0;
    return t - 6.0;
}

static void test_synthetic(void)
{
    lp_data_t d, e, f;
    double lambda = 0.01;
    int rc = lp_data_load("synthetic:n=400,d=12,noise=0.3,cond=50", 5, lambda, &d, err, sizeof err);
    LP_CHECK(rc == 0, "synthetic: %s", err);
    if (rc)
        return;
    const lp_dataset_t *t = &d.train;
    uint32_t D = t->d + 1;
    LP_CASE("synthetic: shapes, regression, truth present",
            t->n == 400 && t->d == 12 && d.test.n == 80 && d.test.d == 12 && t->task == LP_TASK_REGRESSION &&
                d.has_truth && d.truth.d == 13 && d.truth.lambda == lambda && d.truth.reg_bias == 1,
            "n %u d %u test %u truth.d %u", t->n, t->d, d.test.n, d.truth.d);

    /* generator oracle: the first row from the documented formulas */
    uint64_t st = 5;
    double wt[13], s[12];
    for (int j = 0; j < 13; j++)
        wt[j] = ih12(&st);
    int gen_ok = 1;
    for (uint32_t i = 0; i < 3; i++) {
        double y = 0;
        for (int j = 0; j < 12; j++) {
            s[j] = sqrt(1.0 - (1.0 - 1.0 / 50.0) * j / 11.0);
            float x = (float)(s[j] * ih12(&st));
            gen_ok &= x == t->x[i * 12 + j];
            y += (double)x * wt[j];
        }
        gen_ok &= (float)(y + wt[12] + 0.3 * ih12(&st)) == t->y[i];
    }
    LP_CASE("synthetic: rows equal the documented splitmix64 + Irwin-Hall formulas bit for bit", gen_ok,
            "generator differs from its documentation");

    /* gradient at w*, independently from the rows: (1/n) sum x~ (x~.w - y) + lambda w */
    double *g = calloc(D, sizeof *g), *w = d.truth.w_star;
    double sse = 0, gmax = 0, gscale = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        double r = w[12] - (double)t->y[i];
        for (uint32_t j = 0; j < 12; j++)
            r += (double)t->x[i * 12 + j] * w[j];
        sse += r * r;
        for (uint32_t j = 0; j < 12; j++)
            g[j] += (double)t->x[i * 12 + j] * r;
        g[12] += r;
    }
    double reg = 0;
    for (uint32_t j = 0; j < D; j++) {
        g[j] = g[j] / t->n + lambda * w[j];
        reg += w[j] * w[j];
        gmax = fmax(gmax, fabs(g[j]));
        gscale = fmax(gscale, fabs(w[j]));
    }
    double fstar = sse / (2.0 * t->n) + 0.5 * lambda * reg;
    LP_CASE("synthetic: gradient at w* is 0 (|grad|_inf <= 1e-10 * max|w*|)", gmax <= 1e-10 * gscale,
            "|grad| %g", gmax);
    LP_CASE("synthetic: F* = F(w*) recomputed", fabs(fstar - d.truth.f_star) <= 1e-12 * fstar, "%.17g vs %.17g",
            fstar, d.truth.f_star);
    LP_CHECK(fabs(lp_data_ls_objective(t, w, lambda, 1) - fstar) <= 1e-12 * fstar, "lp_data_ls_objective");
    int minimum = 1;
    double *wp = malloc(D * sizeof *wp);
    for (uint32_t j = 0; j < D; j++)
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            memcpy(wp, w, D * sizeof *wp);
            wp[j] += sgn * 1e-3;
            minimum &= lp_data_ls_objective(t, wp, lambda, 1) > d.truth.f_star;
        }
    LP_CASE("synthetic: F(w* +- 1e-3 e_j) > F* for every j", minimum, "not a minimum");

    /* L and c: Rayleigh quotients of H = X~^T X~/n + lambda I lie in [c, L]; power iteration finds L */
    double L = d.truth.L, c = d.truth.c;
    int ray = L >= c && c > 0;
    uint64_t rs = 99;
    double *v = malloc(D * sizeof *v), *hv = malloc(D * sizeof *hv);
#define HV(v, hv)                                                                                                  \
    do {                                                                                                           \
        for (uint32_t j = 0; j < D; j++)                                                                           \
            hv[j] = lambda * v[j];                                                                                 \
        for (uint32_t i = 0; i < t->n; i++) {                                                                      \
            double dot = v[12];                                                                                    \
            for (uint32_t j = 0; j < 12; j++)                                                                      \
                dot += (double)t->x[i * 12 + j] * v[j];                                                            \
            for (uint32_t j = 0; j < 12; j++)                                                                      \
                hv[j] += (double)t->x[i * 12 + j] * dot / t->n;                                                    \
            hv[12] += dot / t->n;                                                                                  \
        }                                                                                                          \
    } while (0)
    for (int trial = 0; trial < 50; trial++) {
        double vv = 0, vhv = 0;
        for (uint32_t j = 0; j < D; j++)
            v[j] = ih12(&rs);
        HV(v, hv);
        for (uint32_t j = 0; j < D; j++) {
            vv += v[j] * v[j];
            vhv += v[j] * hv[j];
        }
        ray &= vhv / vv >= c * (1 - 1e-9) && vhv / vv <= L * (1 + 1e-9);
    }
    for (uint32_t j = 0; j < D; j++)
        v[j] = 1.0 + j;
    double lam = 0;
    for (int it = 0; it < 3000; it++) {
        HV(v, hv);
        double nn = 0;
        for (uint32_t j = 0; j < D; j++)
            nn += hv[j] * hv[j];
        nn = sqrt(nn);
        double vn = 0;
        for (uint32_t j = 0; j < D; j++)
            vn += v[j] * v[j];
        lam = nn / sqrt(vn);
        for (uint32_t j = 0; j < D; j++)
            v[j] = hv[j] / nn;
    }
    LP_CASE("synthetic: L >= c > 0, 50 Rayleigh quotients in [c, L]", ray, "L %g c %g", L, c);
    LP_CASE("synthetic: power iteration gives L", fabs(lam - L) <= 1e-6 * L, "power %.12g vs L %.12g", lam, L);
    /* c: power iteration on (L I - H) gives L - c */
    for (uint32_t j = 0; j < D; j++)
        v[j] = 1.0 - 0.1 * j;
    for (int it = 0; it < 20000; it++) {
        HV(v, hv);
        double nn = 0, vn = 0;
        for (uint32_t j = 0; j < D; j++) {
            hv[j] = L * v[j] - hv[j];
            nn += hv[j] * hv[j];
            vn += v[j] * v[j];
        }
        nn = sqrt(nn);
        lam = nn / sqrt(vn);
        for (uint32_t j = 0; j < D; j++)
            v[j] = hv[j] / nn;
    }
    LP_CASE("synthetic: power iteration on L I - H gives L - c", fabs((L - lam) - c) <= 1e-6 * L,
            "L - power %.12g vs c %.12g", L - lam, c);
    LP_CASE("synthetic: cond=50 shows in L/c (between 5 and 500)", L / c > 5 && L / c < 500, "L/c %g", L / c);
    free(g);
    free(wp);
    free(v);
    free(hv);

    /* reproducibility */
    int r2 = lp_data_load("synthetic:n=400,d=12,noise=0.3,cond=50", 5, lambda, &e, err, sizeof err);
    int r3 = lp_data_load("synthetic:n=400,d=12,noise=0.3,cond=50", 6, lambda, &f, err, sizeof err);
    LP_CHECK(r2 == 0 && r3 == 0, "reload: %s", err);
    if (r2 == 0 && r3 == 0) {
        LP_CASE("synthetic: same seed, same bits (rows, labels, truth)",
                memcmp(d.train.x, e.train.x, 400 * 12 * 4) == 0 && memcmp(d.test.y, e.test.y, 80 * 4) == 0 &&
                    memcmp(d.truth.w_star, e.truth.w_star, 13 * 8) == 0 && d.truth.L == e.truth.L,
                "differs");
        LP_CASE("synthetic: another seed, other data", memcmp(d.train.x, f.train.x, 400 * 12 * 4) != 0 &&
                                                           d.truth.f_star != f.truth.f_star,
                "same");
        lp_data_free(&f);
        rc = lp_data_load("synthetic:n=400,d=12,noise=0.3,cond=50,seed=5", 77, lambda, &f, err, sizeof err);
        LP_CASE("synthetic: seed= overrides --seed", rc == 0 && memcmp(d.train.x, f.train.x, 400 * 12 * 4) == 0,
                "rc %d", rc);
        if (rc == 0)
            lp_data_free(&f);
        lp_data_free(&e);
    }
    lp_data_free(&d);

    rc = lp_data_load("synthetic", 1, 0.0, &d, err, sizeof err);
    LP_CASE("synthetic: defaults n=1000 d=10 test=200, lambda 0 fine with n > d",
            rc == 0 && d.train.n == 1000 && d.train.d == 10 && d.test.n == 200 && d.truth.c > 0,
            "rc %d %s", rc, err);
    if (rc == 0)
        lp_data_free(&d);
    rc = lp_data_load("synthetic:n=5,d=10", 1, 0.1, &d, err, sizeof err);
    LP_CASE("synthetic: n < d with lambda > 0 is strongly convex", rc == 0 && d.truth.c >= 0.1 * (1 - 1e-9),
            "rc %d %s c %g", rc, err, rc ? 0 : d.truth.c);
    if (rc == 0)
        lp_data_free(&d);
    rc = lp_data_load("synthetic:d=256,n=300,test=3", 1, 0.0, &d, err, sizeof err);
    LP_CASE("synthetic: d = 256 (the cap) works", rc == 0 && d.truth.d == 257 && d.test.n == 3, "rc %d %s", rc, err);
    if (rc == 0)
        lp_data_free(&d);

    expect_fail("synthetic lambda 0, n < d", "synthetic:n=5,d=10", 0.0, "not strongly convex", "lambda > 0", NULL);
    expect_fail("synthetic unknown key", "synthetic:rows=5", 0.0, "unknown key 'rows'", "n=ROWS", NULL);
    expect_fail("synthetic no =", "synthetic:n", 0.0, "'n' is not KEY=VALUE", NULL, NULL);
    expect_fail("synthetic n=0", "synthetic:n=0", 0.0, "'n=0' is out of range", NULL, NULL);
    expect_fail("synthetic d=257", "synthetic:d=257", 0.0, "'d=257' is out of range", "1..256", NULL);
    expect_fail("synthetic n=x", "synthetic:n=1e3", 0.0, "'n=1e3' is out of range", NULL, NULL);
    expect_fail("synthetic noise=-1", "synthetic:noise=-1", 0.0, "'noise=-1'", NULL, NULL);
    expect_fail("synthetic noise=nan", "synthetic:noise=nan", 0.0, "'noise=nan'", NULL, NULL);
    expect_fail("synthetic cond=0.5", "synthetic:cond=0.5", 0.0, "'cond=0.5'", NULL, NULL);
    expect_fail("synthetic test=0", "synthetic:test=0", 0.0, "'test=0'", NULL, NULL);
    expect_fail("synthetic empty item", "synthetic:n=10,,d=2", 0.0, "'' is not KEY=VALUE", NULL, NULL);
    expect_fail("synthetic seed huge", "synthetic:seed=123456789012345678901", 0.0, "out of range", NULL, NULL);
    expect_fail("synthetic lambda < 0", "synthetic", -1.0, "lambda -1", NULL, NULL);
    expect_fail("synthetic lambda nan", "synthetic", NAN, "lambda", NULL, NULL);

    /* lp_data_truth on a hand-computable problem: rows x = (1), (-1); y = 1, 3 */
    float x2[2] = {1, -1}, y2[2] = {1, 3};
    lp_dataset_t tiny = {2, 1, 0, LP_TASK_REGRESSION, x2, y2};
    lp_truth_t tr;
    rc = lp_data_truth(&tiny, 0.0, 1, &tr, err, sizeof err);
    /* H = [[1,0],[0,1]], b = (-1, 2): w* = (-1, 2), F* = 0, L = c = 1 */
    LP_CASE("lp_data_truth: 2-row example w* = (-1, 2), F* = 0, L = c = 1",
            rc == 0 && fabs(tr.w_star[0] + 1) < 1e-15 && fabs(tr.w_star[1] - 2) < 1e-15 && fabs(tr.f_star) < 1e-15 &&
                fabs(tr.L - 1) < 1e-15 && fabs(tr.c - 1) < 1e-15,
            "rc %d %s", rc, err);
    if (rc == 0)
        lp_truth_free(&tr);
    /* lambda = 1, bias unregularized: H = [[2,0],[0,1]]: w* = (-0.5, 2), L = 2, c = 1 */
    rc = lp_data_truth(&tiny, 1.0, 0, &tr, err, sizeof err);
    LP_CASE("lp_data_truth: bias unregularized, lambda 1: w* = (-0.5, 2), L = 2, c = 1",
            rc == 0 && fabs(tr.w_star[0] + 0.5) < 1e-15 && fabs(tr.w_star[1] - 2) < 1e-15 && fabs(tr.L - 2) < 1e-15 &&
                fabs(tr.c - 1) < 1e-15 && fabs(tr.f_star - (0.5 * 0.25 * 2 / 2 + 0.125)) < 1e-15,
            "rc %d %s w %g %g F %g", rc, err, rc ? 0 : tr.w_star[0], rc ? 0 : tr.w_star[1], rc ? 0 : tr.f_star);
    if (rc == 0)
        lp_truth_free(&tr);
    float x3[2] = {1, 1};
    tiny.x = x3;
    rc = lp_data_truth(&tiny, 0.0, 1, &tr, err, sizeof err);
    LP_CASE("lp_data_truth: collinear rows, lambda 0 -> not strongly convex", rc == -1 && strstr(err, "strongly"),
            "rc %d", rc);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/lpsgd-test-data-XXXXXX");
    if (!mkdtemp(dir)) {
        printf("cannot create a temp dir\n");
        return 1;
    }
    test_libsvm();
    test_libsvm_errors();
    test_csv();
    test_csv_errors();
    test_idx();
    test_fashion_mnist();
    test_synthetic();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return lp_test_summary();
}
