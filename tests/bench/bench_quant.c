/*
 * bench_quant.c - quantizer throughput on one core (make bench; not a test).
 *
 * FP32 -> fp8_e4m3 and -> fp4_e2m1, rne, saturating, subnormals on, unscaled, over a
 * buffer of gradient-like values (random signs, magnitudes 2^-24 .. 2^10):
 *   fast path   lp_quant_values: the inline element quantizer, values only
 *   full        lp_quantize_vec: values, codes and the statistics (what the csim backend runs)
 *   reference   a plain scalar rounding in float arithmetic (frexpf/ldexpf/nearbyintf,
 *               branches), measured in the same run; it must give the same values
 * Prints elements/s (best of several passes) and the ratio fast path / reference.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quant/lp_quant_elem.h"
#include "quant/lp_quant_vec.h"

#define N (1u << 22) /* 16 MiB in, 16 MiB out */
#define PASSES 7

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The plain reference: nearest-even on the grid by float arithmetic, saturating. */
static float ref_quant(float x, int man, int emin, float maxv)
{
    if (isnan(x))
        return x;
    float a = fabsf(x);
    if (a > maxv)
        return copysignf(maxv, x);
    if (a == 0.0f)
        return x;
    int e;
    frexpf(a, &e); /* a = f * 2^e, f in [0.5, 1): floor(log2 a) = e - 1 */
    e -= 1;
    if (e < emin)
        e = emin;
    float q = ldexpf(1.0f, e - man);
    float r = nearbyintf(a / q) * q; /* default rounding mode: to nearest, ties to even */
    if (r > maxv)
        r = maxv;
    return copysignf(r, x);
}

static uint32_t f2u(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

int main(void)
{
    static const int ids[] = {LP_FMT_FP8_E4M3, LP_FMT_FP4_E2M1};
    float *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *z = malloc(N * sizeof *z);
    uint32_t *codes = malloc(N * sizeof *codes);
    if (!x || !y || !z || !codes) {
        fprintf(stderr, "bench_quant: out of memory\n");
        return 2;
    }
    uint64_t st = 0x243F6A8885A308D3ull;
    for (uint32_t i = 0; i < N; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(st >> 32);
        float m = 1.0f + (float)(r & 0xFFFFu) / 65536.0f;
        x[i] = ldexpf((r >> 31) ? -m : m, (int)((r >> 16) % 35u) - 24);
    }
    printf("quantizer throughput, one core, %u elements per pass, best of %d passes\n", N, PASSES);
    for (unsigned fi = 0; fi < sizeof ids / sizeof ids[0]; fi++) {
        lp_format_t f = lp_format_preset(ids[fi]);
        lp_fmt_params_t p;
        const char *why;
        if (lp_format_derive(&f, &p, &why) != 0)
            return 2;
        lp_qcfg_t cfg = lp_qcfg_default(f);
        lp_qgrid_t g = lp_quant_grid(&p, 0);
        float maxv;
        memcpy(&maxv, &p.max_bits, 4);
        double best_fast = 1e30, best_ref = 1e30, best_full = 1e30;
        for (int pass = 0; pass < PASSES; pass++) {
            double t0 = now();
            lp_quant_values((const uint32_t *)x, (uint32_t *)y, N, &p, &g, &cfg, 0, 0);
            double t1 = now();
            for (uint32_t i = 0; i < N; i++)
                z[i] = ref_quant(x[i], p.man, p.emin, maxv);
            double t2 = now();
            lp_qstats_t qs;
            lp_quantize_vec(x, y, codes, NULL, N, &p, &cfg, 0, &qs);
            double t3 = now();
            best_fast = t1 - t0 < best_fast ? t1 - t0 : best_fast;
            best_ref = t2 - t1 < best_ref ? t2 - t1 : best_ref;
            best_full = t3 - t2 < best_full ? t3 - t2 : best_full;
        }
        lp_quant_values((const uint32_t *)x, (uint32_t *)y, N, &p, &g, &cfg, 0, 0);
        uint32_t differ = 0;
        for (uint32_t i = 0; i < N; i++)
            differ += f2u(y[i]) != f2u(z[i]);
        const char *name = lp_format_preset_name(ids[fi]);
        printf("%-9s fast path (values)        %8.3g elements/s\n", name, N / best_fast);
        printf("%-9s full (codes + statistics) %8.3g elements/s\n", name, N / best_full);
        printf("%-9s scalar float reference    %8.3g elements/s\n", name, N / best_ref);
        printf("%-9s fast path / reference     %8.2fx   (values that differ: %u of %u)\n", name,
               best_ref / best_fast, differ, N);
    }
    free(x);
    free(y);
    free(z);
    free(codes);
    return 0;
}
