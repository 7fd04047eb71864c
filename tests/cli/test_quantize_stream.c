/*
 * test_quantize_stream.c - `lpsgd quantize` streams its input in chunks: its bytes and
 * statistics against the independent oracle, and its memory.
 *
 * Reference: tests/oracle (lp_orc_quant_vec: values, codes, scale exponents, flags, written
 * from the format definitions, nothing from hls/) and tests/quant/red_ref.h (the sums in
 * the documented reduction order, written from lp_stats.h's text); the expected files are
 * assembled here (the .npy header as NumPy writes it, the .lpqc layout of lp_io.h packed bit
 * by bit), not with lpsgd's writers. For each configuration (every format family, rne/rtz/sr
 * with seeds and steps, scale none/tensor/block32, overflow and subnormal options, --codes,
 * .f32 and .npy 1.0/2.0/3.0 in C and Fortran order) and input sizes that are not multiples of
 * 16, 32 or a chunk, lpsgd runs with chunks forced small through the test hook
 * LP_QUANT_CHUNK (4096 elements, 100 -> 128) and with its default chunk: OUT, the code file
 * and the JSON sums and counts must equal the reference's exactly. Then a 64 MB input's
 * maximum resident set (getrusage of the child) must stay below 32 MB.
 * Needs LPSGD (make test exports it).
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lp_test.h"
#include "oracle/lp_oracle.h"
#include "quant/red_ref.h"
#include "stats/lp_stats.h"

#define NBIG 13305u /* 3 chunks of 4096 + 1017: no multiple of 16, 32 or a chunk */
#define NSMALL 77u

typedef struct {
    const char *fmt, *rounding, *scale, *extra; /* extra: more options or "" */
    uint32_t seed, step;
    int codes;
    const char *kind; /* "f32", or "npyV-C" / "npyV-F" (version, order) */
} conf_t;

static const conf_t confs[] = {
    {"fp8_e4m3", "rne", "none", "", 0, 0, 1, "f32"},
    {"fp8_e4m3", "rtz", "none", "", 0, 0, 1, "f32"},
    {"fp8_e4m3", "sr", "none", "", 7, 3, 1, "f32"},
    {"fp8_e4m3", "rne", "tensor", "", 0, 0, 1, "f32"},
    {"fp8_e4m3", "rtz", "tensor", "", 0, 0, 1, "npy1-C"},
    {"fp8_e4m3", "sr", "tensor", "", 11, 5, 1, "npy2-F"},
    {"fp8_e4m3", "rne", "block32", "", 0, 0, 1, "npy3-C"},
    {"fp8_e4m3", "rtz", "block32", "", 0, 0, 1, "f32"},
    {"fp8_e4m3", "sr", "block32", "", 123456789, 4000000000u, 1, "npy1-F"},
    {"fp8_e5m2", "rtz", "tensor", "--overflow inf", 0, 0, 1, "npy1-C"},
    {"fp6_e3m2", "sr", "block32", "", 7, 3, 1, "npy2-F"},
    {"fp6_e2m3", "rne", "block32", "--subnormals off", 0, 0, 1, "f32"},
    {"fp4_e2m1", "sr", "tensor", "", 1, 0, 1, "npy3-C"},
    {"fp16", "rne", "none", "--overflow inf", 0, 0, 0, "f32"},
    {"bf16", "rtz", "block32", "", 0, 0, 1, "npy1-F"},
    {"e3m4", "sr", "none", "", 99, 12345, 1, "f32"},
    {"fixed16.8", "rne", "tensor", "", 0, 0, 1, "f32"},
    {"fixed8.4", "sr", "block32", "", 5, 2, 1, "npy2-C"},
};

static char dir[] = "/tmp/lpsgd-stream.XXXXXX";
static const char *lpsgd;

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rng32(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 32);
}

/* Gradient-like values, some at and beyond the format's range (maxv, when its square stays
 * finite), zeros, FP32 subnormals, NaN and +-Inf (counted, left out of the sums). */
static void fill(uint32_t *x, uint32_t n, float maxv)
{
    static const uint32_t specials[] = {0x7FC00000u, 0xFF800000u, 0x7F800000u, 0, 0x80000000u, 0x00000001u,
                                        0x807FFFFFu};
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = rng32(), kind = r % 32;
        float m = 1.0f + (float)(rng32() & 0xFFFFu) / 65536.0f;
        if (kind == 0)
            x[i] = specials[rng32() % (sizeof specials / sizeof specials[0])];
        else if (kind < 3 && maxv < 1e6f)
            x[i] = f2u(maxv * m * ((r >> 8) & 1 ? -1.0f : 1.0f) * ((r >> 9) & 1 ? 0.75f : 1.0f));
        else
            x[i] = f2u(ldexpf((r >> 31) ? -m : m, (int)((r >> 16) % 40u) - 30));
    }
}

/* A .npy header as NumPy writes it: the dict padded with spaces and '\n' to 64 bytes. */
static size_t npy_header(uint8_t *h, int ver, int fortran, uint32_t n, int two_d)
{
    char dict[160];
    int k = two_d ? snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': %s, 'shape': (%u, 3), }",
                             fortran ? "True" : "False", n / 3)
                  : snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': %s, 'shape': (%u,), }",
                             fortran ? "True" : "False", n);
    size_t pre = ver == 1 ? 10 : 12, total = (pre + (size_t)k + 1 + 63) / 64 * 64, hl = total - pre;
    memcpy(h, "\x93NUMPY", 6);
    h[6] = (uint8_t)ver;
    h[7] = 0;
    for (size_t b = 0; b < pre - 8; b++)
        h[8 + b] = (uint8_t)(hl >> (8 * b));
    memcpy(h + pre, dict, (size_t)k);
    memset(h + pre + k, ' ', total - pre - (size_t)k - 1);
    h[total - 1] = '\n';
    return total;
}

static int write_file(const char *path, const void *a, size_t la, const void *b, size_t lb)
{
    FILE *f = fopen(path, "wb");
    int bad = !f || fwrite(a, 1, la, f) != la || (lb && fwrite(b, 1, lb, f) != lb);
    return (f && fclose(f) != 0) || bad ? -1 : 0;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = malloc(*len + 1);
    if (b && fread(b, 1, *len, f) != *len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

/* Run lpsgd with args (a NULL-terminated list), stdout to `out`, LP_QUANT_CHUNK=chunk (NULL:
 * unset); returns the exit status (-1: did not run) and the child's max RSS in KiB. */
static int run_lpsgd(char **args, const char *out, const char *chunk, long *maxrss_kb)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (chunk)
            setenv("LP_QUANT_CHUNK", chunk, 1);
        else
            unsetenv("LP_QUANT_CHUNK");
        if (!freopen(out, "w", stdout))
            _exit(127);
        execv(lpsgd, args);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *maxrss_kb = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The number after "key": in the JSON text; NAN for null or a missing key. */
static double json_num(const char *js, const char *key)
{
    char pat[40];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(js, pat);
    return p && strncmp(p + strlen(pat), "null", 4) != 0 ? strtod(p + strlen(pat), NULL) : NAN;
}

/* The reference for one configuration: expected OUT bytes (after `hdr`) and .lpqc, and stats. */
typedef struct {
    uint32_t x[NBIG], y[NBIG], f[NBIG], code[NBIG];
    int32_t k[NBIG / 32 + 2];
    lp_orc_q_t q[NBIG];
    uint8_t lpqc[40 + NBIG / 32 + 8 + NBIG * 4 + 8];
    size_t lpqc_len;
    lp_qstats_t st;
} ref_t;

static void reference(ref_t *r, const lp_orc_t *o, const lp_qcfg_t *cfg, unsigned bits, const char *fmt,
                      uint32_t n, uint32_t step)
{
    memset(r->k, 0, sizeof r->k);
    lp_orc_quant_vec(o, cfg, r->x, n, step, r->q, r->k);
    memset(&r->st, 0, sizeof r->st);
    r->st.n = n;
    for (uint32_t i = 0; i < n; i++) {
        r->y[i] = r->q[i].value;
        r->f[i] = r->q[i].flags;
        r->code[i] = r->q[i].code;
        r->st.underflow += (r->f[i] & LP_QF_UNDERFLOW) != 0;
        r->st.saturated += (r->f[i] & LP_QF_SATURATED) != 0;
        r->st.subnormal += (r->f[i] & LP_QF_SUBNORMAL) != 0;
        r->st.nan += (r->f[i] & LP_QF_NAN) != 0;
        r->st.inf += (r->f[i] & LP_QF_INF) != 0;
    }
    red_reference(r->x, r->y, r->f, n, r->st.sum);
    /* the .lpqc: header, scales (tensor: int32 k; block32: E8M0 byte 127 - k), codes bit by bit */
    uint8_t *c = r->lpqc;
    memset(c, 0, sizeof r->lpqc);
    memcpy(c, "LPQC\1\0", 6);
    c[6] = (uint8_t)bits;
    c[7] = cfg->scale;
    for (int b = 0; b < 8; b++)
        c[8 + b] = (uint8_t)((uint64_t)n >> (8 * b));
    memcpy(c + 16, fmt, strlen(fmt));
    size_t at = 40;
    if (cfg->scale == LP_SCALE_TENSOR)
        for (int b = 0; b < 4; b++)
            c[at++] = (uint8_t)((uint32_t)r->k[0] >> (8 * b));
    if (cfg->scale == LP_SCALE_BLOCK32)
        for (uint32_t b = 0; b < (n + 31) / 32; b++)
            c[at++] = (uint8_t)(127 - r->k[b]);
    for (uint64_t i = 0; i < n; i++)
        for (unsigned b = 0; b < bits; b++)
            if (r->code[i] >> b & 1u)
                c[at + (i * bits + b) / 8] |= (uint8_t)(1u << ((i * bits + b) % 8));
    r->lpqc_len = at + ((uint64_t)n * bits + 7) / 8;
}

/* The JSON's sums and counts against the reference (a non-finite sum prints null). */
static int same_json(const char *js, const lp_qstats_t *st)
{
    static const char *const sums[4] = {"sum_g2", "sum_q2", "sum_e2", "sum_ge"};
    int ok = 1;
    for (int s = 0; s < 4; s++) {
        double v = json_num(js, sums[s]);
        ok &= isfinite(st->sum[s]) ? v == (double)st->sum[s] : isnan(v);
    }
    return ok && json_num(js, "n") == st->n && json_num(js, "underflow") == st->underflow &&
           json_num(js, "saturated") == st->saturated && json_num(js, "subnormal") == st->subnormal &&
           json_num(js, "nan") == st->nan && json_num(js, "inf") == st->inf;
}

/* lpsgd on the input file against the reference; returns the number of differences. */
static int check_run(const conf_t *c, const char *in, const uint8_t *hdr, size_t hl, const ref_t *r, uint32_t n,
                     const char *chunk)
{
    char out[600], codes[600], js[600], seed[16], step[16], *args[24];
    int na = 0;
    snprintf(out, sizeof out, "%s/q.%s", dir, strncmp(c->kind, "npy", 3) ? "f32" : "npy");
    snprintf(codes, sizeof codes, "%s/q.lpqc", dir);
    snprintf(js, sizeof js, "%s/q.json", dir);
    snprintf(seed, sizeof seed, "%u", c->seed);
    snprintf(step, sizeof step, "%u", c->step);
    char extra[64];
    snprintf(extra, sizeof extra, "%s", c->extra);
    const char *fixed[] = {"lpsgd", "quantize", "--json", "--format", c->fmt, "--rounding", c->rounding,
                           "--scale", c->scale, "--seed", seed, "--step", step};
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        args[na++] = (char *)fixed[i];
    for (char *t = strtok(extra, " "); t; t = strtok(NULL, " "))
        args[na++] = t;
    if (c->codes) {
        args[na++] = "--codes";
        args[na++] = codes;
    }
    args[na++] = (char *)in;
    args[na++] = out;
    args[na] = NULL;
    long rss;
    if (run_lpsgd(args, js, chunk, &rss) != 0)
        return 100;
    size_t lo, lc = 0, lj;
    uint8_t *bo = read_all(out, &lo), *bc = c->codes ? read_all(codes, &lc) : NULL, *bj = read_all(js, &lj);
    int d = 0;
    d += !bo || lo != hl + 4ull * n || memcmp(bo, hdr, hl) != 0 || memcmp(bo + hl, r->y, 4ull * n) != 0;
    d += c->codes && (!bc || lc != r->lpqc_len || memcmp(bc, r->lpqc, lc) != 0);
    if (bj)
        bj[lj] = 0;
    d += !bj || !same_json((const char *)bj, &r->st);
    free(bo);
    free(bc);
    free(bj);
    return d;
}

/* One configuration: NBIG elements with chunks of 4096, of 128 and the default, and NSMALL. */
static void one_conf(const conf_t *c, ref_t *r)
{
    lp_format_t f;
    lp_fmt_params_t p;
    lp_orc_t o;
    char err[128], in[600], name[160];
    const char *why;
    if (lp_format_parse(c->fmt, &f, err, sizeof err) || lp_format_derive(&f, &p, &why) ||
        lp_orc_init(&o, &f, &why)) {
        LP_CHECK(0, "%s: cannot set up the oracle", c->fmt);
        return;
    }
    lp_qcfg_t cfg = lp_qcfg_default(f);
    cfg.rounding = !strcmp(c->rounding, "sr") ? LP_ROUND_SR : !strcmp(c->rounding, "rtz") ? LP_ROUND_RTZ : LP_ROUND_RNE;
    cfg.scale = !strcmp(c->scale, "tensor") ? LP_SCALE_TENSOR : !strcmp(c->scale, "block32") ? LP_SCALE_BLOCK32
                                                                                             : LP_SCALE_NONE;
    cfg.overflow = strstr(c->extra, "--overflow inf") ? LP_OVF_INF : LP_OVF_SAT;
    cfg.subnormals = strstr(c->extra, "--subnormals off") ? 0 : 1;
    cfg.seed = c->seed;
    static const uint32_t ns[2] = {NBIG, NSMALL};
    for (int s = 0; s < 2; s++) {
        uint32_t n = ns[s];
        int npy = !strncmp(c->kind, "npy", 3);
        uint8_t hdr[256];
        size_t hl = npy ? npy_header(hdr, c->kind[3] - '0', c->kind[5] == 'F', n, n % 3 == 0) : 0;
        fill(r->x, n, lp_bits_f32(p.max_bits));
        reference(r, &o, &cfg, p.code_bits, c->fmt, n, c->step);
        snprintf(in, sizeof in, "%s/in.%s", dir, npy ? "npy" : "f32");
        if (write_file(in, hdr, hl, r->x, 4ull * n)) {
            LP_CHECK(0, "cannot write %s", in);
            break;
        }
        static const char *const chunks[3] = {"4096", "100", NULL};
        for (int k = 0; k < (s == 0 ? 3 : 1); k++) {
            int d = check_run(c, in, hdr, hl, r, n, chunks[k]);
            snprintf(name, sizeof name, "%s %s %s %s%s%s %s n=%u chunk %s: OUT%s and JSON sums/counts = oracle",
                     c->fmt, c->rounding, c->scale, c->extra, *c->extra ? " " : "", c->codes ? "--codes" : "",
                     c->kind, n, chunks[k] ? chunks[k] : "default", c->codes ? ", .lpqc" : "");
            LP_CASE(name, d == 0, "%s: %d differences (100: lpsgd failed)", name, d);
        }
    }
    lp_orc_free(&o);
}

/* A 64 MB .f32 through quantize --scale block32 --codes: the child's max RSS below 32 MB. */
static void memory(void)
{
    char in[600], out[600], codes[600], js[600];
    snprintf(in, sizeof in, "%s/big.f32", dir);
    snprintf(out, sizeof out, "%s/big_q.f32", dir);
    snprintf(codes, sizeof codes, "%s/big.lpqc", dir);
    snprintf(js, sizeof js, "%s/big.json", dir);
    FILE *f = fopen(in, "wb");
    static uint32_t buf[1u << 16];
    for (int b = 0; f && b < 256; b++) {
        fill(buf, 1u << 16, 448.0f);
        fwrite(buf, 4, 1u << 16, f);
    }
    if (!f || fclose(f) != 0) {
        LP_CHECK(0, "cannot write %s", in);
        return;
    }
    char *args[] = {"lpsgd", "quantize", "--format", "fp8_e4m3", "--scale", "block32", "--codes", codes,
                    in, out, NULL};
    long rss = 0;
    int rc = run_lpsgd(args, js, NULL, &rss);
    struct stat st;
    LP_CASE("64 MB input: quantize --scale block32 --codes runs, OUT has 64 MB", rc == 0 && stat(out, &st) == 0 &&
                st.st_size == 64 << 20, "exit %d", rc);
    printf("note: 64 MB input: max RSS %ld KiB\n", rss);
    LP_CASE("64 MB input: max RSS below 32 MB (O(chunk), not O(file))", rss > 0 && rss < 32 * 1024,
            "max RSS %ld KiB", rss);
}

int main(void)
{
    lpsgd = getenv("LPSGD");
    if (!lpsgd || !*lpsgd || !mkdtemp(dir)) {
        LP_CHECK(0, "set LPSGD to the lpsgd program (make test does), and a writable /tmp");
        return lp_test_summary();
    }
    static ref_t r;
    for (unsigned i = 0; i < sizeof confs / sizeof confs[0]; i++)
        one_conf(&confs[i], &r);
    memory();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return lp_test_summary();
}
