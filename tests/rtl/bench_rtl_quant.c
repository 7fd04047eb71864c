/*
 * bench_rtl_quant.c - the Verilated RTL stream quantizer on this machine: simulated cycles
 * per second, elements per second, cycles per beat in steady state (target 1.0) and the
 * pipeline latency, beside the csim backend (the C model) measured in the same run.
 * Inputs: 2^20 gradient-like FP32 values (seeded), fp8_e4m3 and fp4_e2m1, rne.
 * A benchmark, not a test: it asserts nothing about time; it ends "N passed, N failed"
 * over the bit-exactness of what it ran.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../sim/quant/lp_vquant.h"
#include "lp_test.h"
#include "quant/lp_quant_vec.h"
#include "rtl_vectors.h"

#define N (1u << 20)

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: fair on a loaded machine */
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void)
{
    float *g = malloc(N * 4), *gc = malloc(N * 4), *gr = malloc(N * 4);
    uint32_t *cc = malloc(N * 4), *cr = malloc(N * 4);
    rv_state = 7;
    for (uint32_t i = 0; i < N; i++) /* a gradient: log-uniform magnitudes 2^-30 .. 2^2 */
        g[i] = ldexpf(1.0f + (float)(rv_rand32() & 0xFFFFFF) / 16777216.0f, -30 + (int)(rv_rand32() % 33)) *
               ((rv_rand32() & 1) ? -1.0f : 1.0f);
    static const char *fmts[] = {"fp8_e4m3", "fp4_e2m1"};
    char err[256];
    for (int c = 0; c < 2; c++) {
        lp_vq_opts_t vo = {NULL, c};
        lp_vq_t *vq = lp_vq_open(&vo, err, sizeof err);
        if (!vq) {
            printf("FAIL open: %s\n", err);
            return 1;
        }
        for (unsigned f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
            lp_format_t fmt;
            lp_fmt_params_t p;
            const char *why;
            lp_format_parse(fmts[f], &fmt, err, sizeof err);
            lp_format_derive(&fmt, &p, &why);
            lp_qcfg_t cfg = lp_qcfg_default(fmt);
            lp_qstats_t sc, sr;
            double t0 = now();
            int reps = 0;
            do {
                lp_quantize_vec(g, gc, cc, NULL, N, &p, &cfg, 0, &sc);
                reps++;
            } while (now() - t0 < 0.5);
            double tc = (now() - t0) / reps;
            uint64_t c0 = lp_vq_cycles(vq);
            t0 = now();
            lp_vq_quantize(vq, &p, &cfg, 0, g, gr, cr, NULL, N, &sr);
            double tr = now() - t0;
            uint64_t cyc = lp_vq_cycles(vq) - c0;
            int same = memcmp(gc, gr, N * 4) == 0 && memcmp(cc, cr, N * 4) == 0 && sc.n == sr.n &&
                       (c || memcmp(sc.sum, sr.sum, sizeof sc.sum) == 0);
            /* steady state: back-to-back pushes of 4096 beats, cycles per accepted beat */
            lp_vq_configure(vq, &p, &cfg, 0, 0);
            uint64_t p0 = lp_vq_cycles(vq);
            const uint32_t nb = 4096;
            for (uint32_t b = 0; b < nb; b++)
                lp_vq_push(vq, (const uint32_t *)(const void *)(g + 16 * b), 16, b + 1 == nb);
            double cpb = (double)(lp_vq_cycles(vq) - p0) / nb;
            uint32_t v[16], cd[16];
            int32_t k;
            unsigned cnt;
            int last;
            while (lp_vq_pull(vq, v, cd, &k, &cnt, &last))
                if (last)
                    break;
            lp_vq_stats(vq, &sr);
            printf("%-9s %-11s verilator %.3g cycles/s, %.3g elements/s; csim %.3g elements/s (csim/verilator "
                   "%.0fx); %.3f cycles/beat steady state, latency %u cycles, %llu cycles for %u elements\n",
                   fmts[f], c ? "counts-only" : "full", (double)cyc / tr, N / tr, N / tc, tr / tc, cpb,
                   lp_vq_latency(vq), (unsigned long long)cyc, N);
            LP_CHECK(same, "%s: RTL and C differ", fmts[f]);
            LP_CHECK(cpb < 1.0005, "%s: %.4f cycles per beat", fmts[f], cpb);
        }
        lp_vq_close(vq);
    }
    free(g);
    free(gc);
    free(gr);
    free(cc);
    free(cr);
    return lp_test_summary();
}
