/*
 * bench_quant.c - quantizer throughput on one core, beside NVIDIA's host conversion
 * routines measured in the same run (make bench; not a test).
 *
 * lpsgd's code is the default build's (-O2, no -march: make bench links it from
 * $(BUILD)/default, built so), in the variant chosen at run time (LP_QUANT_VARIANT
 * overrides). Over a buffer of gradient-like values (random signs, magnitudes 2^-24 .. 2^10),
 * rne, saturating, subnormals on, unscaled unless said:
 *   full path   lp_quantize_vec: values, codes and the statistics (what lpsgd quantize and
 *               the csim backend run)
 *   fast path   lp_quant_values_host: values only
 *   NVIDIA      the CUDA toolkit's host routine, FP32 -> format -> FP32 (bench_nv.cpp);
 *               its values must equal lpsgd's, which the bench checks and prints
 * Prints elements/s (best of several passes) and the ratios lpsgd / NVIDIA. With
 * LP_BENCH_DUMP=dir it also writes the input (dir/x.f32), lpsgd's values per format
 * (dir/<format>.f32) and its rates (dir/rates.txt: format, full, fast) for the ml_dtypes
 * peer (tests/bench/bench_quant.sh).
 */
#define _DEFAULT_SOURCE 1 /* sync */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_nv.h"
#include "quant/lp_quant_vec.h"

#define N (1u << 22) /* 16 MiB in, 16 MiB values out, 16 MiB codes out */
#define PASSES 15

typedef struct {
    const float *x;
    float *y;
    uint32_t *codes;
    lp_fmt_params_t p;
    lp_qcfg_t cfg;
    int preset;
} job_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void run_full(const job_t *j)
{
    lp_qstats_t st;
    lp_quantize_vec(j->x, j->y, j->codes, NULL, N, &j->p, &j->cfg, 0, &st);
}

static void run_fast(const job_t *j)
{
    lp_qgrid_t g = lp_quant_grid(&j->p, 0);
    lp_quant_values_host((const uint32_t *)j->x, (uint32_t *)j->y, N, &j->p, &g, &j->cfg, 0, 0);
}

static void run_nv(const job_t *j) { lp_nv_convert(j->preset, j->x, j->y, N); }

/* elements/s of fn, best of PASSES (after one pass untimed) */
static double rate(void (*fn)(const job_t *), const job_t *j)
{
    double best = 1e30;
    fn(j);
    for (int pass = 0; pass < PASSES; pass++) {
        double t0 = now();
        fn(j);
        double t = now() - t0;
        best = t < best ? t : best;
    }
    return N / best;
}

static job_t job(int preset, const float *x, float *y, uint32_t *codes)
{
    job_t j;
    const char *why;
    memset(&j, 0, sizeof j);
    j.x = x;
    j.y = y;
    j.codes = codes;
    j.preset = preset;
    lp_format_t f = lp_format_preset(preset);
    if (lp_format_derive(&f, &j.p, &why) != 0) {
        fprintf(stderr, "bench_quant: %s\n", why);
        exit(2);
    }
    j.cfg = lp_qcfg_default(f);
    return j;
}

/* LP_BENCH_DUMP: n floats into dir/name, or a line into dir/rates.txt */
static void dump(const char *name, const float *v, uint32_t n, const char *line)
{
    const char *dir = getenv("LP_BENCH_DUMP");
    char path[4096];
    if (!dir || !*dir)
        return;
    snprintf(path, sizeof path, "%s/%s", dir, v ? name : "rates.txt");
    FILE *f = fopen(path, v ? "wb" : "a");
    if (!f || (v ? fwrite(v, sizeof *v, n, f) != n : fputs(line, f) < 0) || fclose(f) != 0) {
        fprintf(stderr, "bench_quant: cannot write %s\n", path);
        exit(2);
    }
    sync(); /* its writeback never overlaps a timing */
}

/* One format: lpsgd's two paths, NVIDIA's routine, the ratios and the values check; returns
 * the full path's rate. */
static double one_format(int preset, const float *x, float *y, float *z, uint32_t *codes)
{
    const char *name = lp_format_preset_name(preset);
    job_t j = job(preset, x, y, codes), jn = job(preset, x, z, codes);
    double full = rate(run_full, &j), fast = rate(run_fast, &j);
    char file[64], line[128];
    snprintf(file, sizeof file, "%s.f32", name);
    snprintf(line, sizeof line, "%s %.6g %.6g\n", name, full, fast);
    dump(file, y, N, NULL);
    dump(NULL, NULL, 0, line);
    printf("%-9s lpsgd full path (values + codes + statistics) %9.3g elements/s\n", name, full);
    printf("%-9s lpsgd fast path (values)                      %9.3g elements/s\n", name, fast);
    const char *nv = lp_nv_convert(preset, x, z, 1);
    if (!nv) {
        printf("%-9s NVIDIA: %s\n", name, lp_nv_absent() ? lp_nv_absent() : "no routine for this format");
        return full;
    }
    double peer = rate(run_nv, &jn);
    uint32_t differ = 0;
    for (uint32_t i = 0; i < N; i++)
        differ += memcmp(&y[i], &z[i], 4) != 0;
    printf("%-9s NVIDIA %s %9.3g elements/s\n", name, nv, peer);
    printf("%-9s lpsgd / NVIDIA: full path %.2fx, fast path %.2fx; NVIDIA's values equal lpsgd's: %s (%u of %u differ)\n",
           name, full / peer, fast / peer, differ ? "NO" : "yes", differ, N);
    return full;
}

/* The full path under the other options: stochastic rounding, tensor and MX scaling, each
 * beside rne's unscaled rate (the same format, measured above). */
static void options(const float *x, float *y, uint32_t *codes, double rne)
{
    static const char *const what[] = {"stochastic rounding", "tensor scaling (two passes)", "block32 (MX) scaling"};
    for (int o = 0; o < 3; o++) {
        job_t j = job(LP_FMT_FP8_E4M3, x, y, codes);
        if (o == 0)
            j.cfg.rounding = LP_ROUND_SR;
        else
            j.cfg.scale = o == 1 ? LP_SCALE_TENSOR : LP_SCALE_BLOCK32;
        double r = rate(run_full, &j);
        printf("fp8_e4m3  lpsgd full path, %-28s %9.3g elements/s (%.2fx rne unscaled)\n", what[o], r, r / rne);
    }
}

int main(void)
{
    static const int ids[] = {LP_FMT_FP8_E4M3, LP_FMT_FP8_E5M2, LP_FMT_FP6_E3M2, LP_FMT_FP6_E2M3,
                              LP_FMT_FP4_E2M1, LP_FMT_FP16, LP_FMT_BF16};
    float *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *z = malloc(N * sizeof *z);
    uint32_t *codes = malloc(N * sizeof *codes);
    if (!x || !y || !z || !codes) {
        fprintf(stderr, "bench_quant: out of memory\n");
        return 2;
    }
    memset(y, 0, N * sizeof *y); /* the outputs' pages touched before any timing */
    memset(z, 0, N * sizeof *z);
    memset(codes, 0, N * sizeof *codes);
    uint64_t st = 0x243F6A8885A308D3ull;
    for (uint32_t i = 0; i < N; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(st >> 32);
        float m = 1.0f + (float)(r & 0xFFFFu) / 65536.0f;
        x[i] = ldexpf((r >> 31) ? -m : m, (int)((r >> 16) % 35u) - 24);
    }
    printf("quantizer throughput, one core, %u elements per pass, best of %d passes; lpsgd: the default\n"
           "build's code (-O2, no -march), variant %s (LP_QUANT_VARIANT=plain|base|avx2|avx512 picks another)\n",
           N, PASSES, lp_qv_variant_name(lp_qv_variant_get()));
    dump("x.f32", x, N, NULL);
    double rne = 0;
    for (unsigned fi = 0; fi < sizeof ids / sizeof ids[0]; fi++) {
        double full = one_format(ids[fi], x, y, z, codes);
        rne = fi == 0 ? full : rne;
    }
    options(x, y, codes, rne);
    free(x);
    free(y);
    free(z);
    free(codes);
    return 0;
}
