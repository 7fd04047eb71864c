/*
 * bench_rtl_sgd.c - the RTL SGD step engine (rtl/sgd/lp_sgd_step.sv) on Fashion-MNIST-sized
 * rows (784 pixels + bias, padded to D = 800: 50 beats + the header beat per row): cycles
 * per step against the one-beat-per-cycle bound, Verilator's speed on this machine, and
 * the projection to an Alveo card at 300 MHz next to one 512-bit port's 19.2 GB/s. The
 * peer measured in the same run is the C kernel (lp_sgd_run) on the same steps; the two
 * must agree bit for bit (checked).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format/lp_format.h"
#include "format/lp_bits.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void)
{
    const uint32_t D = 800, rw = LP_SGD_ROW_WORDS(D), nsteps = 4;
    static const uint32_t Bs[] = {16, 64, 256};
    static const uint32_t models[] = {LP_MODEL_LSQ, LP_MODEL_LOGISTIC};
    static const char *const mnames[] = {"lsq", "logistic"};
    char err[256];
    lp_vsgd_t *v = lp_vsgd_open(NULL, err, sizeof err);
    if (!v) {
        printf("%s\n", err);
        return 1;
    }
    lp_sgd_state_t *st = calloc(1, sizeof *st);
    uint64_t seed = 42;
    printf("model     B  cycles/step  bound(beats)  efficiency  grad-phase  sim cycles/s  sim samples/s  "
           "C samples/s  @300MHz samples/s  @300MHz GB/s\n");
    for (unsigned mi = 0; mi < 2; mi++)
        for (unsigned bi = 0; bi < 3; bi++) {
            uint32_t B = Bs[bi], cfg[LP_SGD_CFG_WORDS];
            lp_format_t f;
            lp_format_parse("fp8_e4m3", &f, err, sizeof err);
            memset(cfg, 0, sizeof cfg);
            cfg[LP_CFG_MAGIC] = LP_SGD_CFG_MAGIC;
            cfg[LP_CFG_VERSION] = LP_SGD_CFG_VERSION;
            cfg[LP_CFG_MODEL] = models[mi];
            cfg[LP_CFG_K] = 1;
            cfg[LP_CFG_D] = D;
            cfg[LP_CFG_BATCH] = B;
            cfg[LP_CFG_LR] = lp_f32_bits(0.01f);
            cfg[LP_CFG_PERIOD] = 1;
            cfg[LP_CFG_LAMBDA] = lp_f32_bits(1e-4f);
            cfg[LP_CFG_FMT0] = f.kind | (uint32_t)f.exp_bits << 8 | (uint32_t)f.man_bits << 16 |
                               (uint32_t)f.specials << 24;
            cfg[LP_CFG_FMT1] = (uint32_t)(int32_t)f.bias;
            cfg[LP_CFG_FMT2] = f.width | (uint32_t)f.frac << 8;
            cfg[LP_CFG_QOPT] = 1u << 16;
            uint32_t *data = calloc((size_t)nsteps * B * rw, 4);
            for (uint32_t r = 0; r < nsteps * B; r++) {
                uint32_t *row = data + (size_t)r * rw;
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                row[0] = lp_f32_bits((float)((seed >> 40) & 1));
                for (uint32_t j = 0; j < 784; j++) {
                    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                    row[16 + j] = lp_f32_bits((float)((seed >> 33) & 255) / 255.0f);
                }
                row[16 + 784] = lp_f32_bits(1.0f);
            }
            float *mc = calloc(D + 16, 4), *mv = calloc(D + 16, 4);
            mc[D] = mv[D] = 1.0f;
            uint32_t *rc = calloc(nsteps * LP_SGD_REC_WORDS, 4), *rv = calloc(nsteps * LP_SGD_REC_WORDS, 4);
            double t0 = now();
            lp_sgd_run(st, data, mc, rc, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
            double tc = now() - t0;
            lp_vsgd_perf_t perf;
            memset(&perf, 0, sizeof perf);
            t0 = now();
            int r = lp_vsgd_run(v, data, mv, rv, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE, &perf);
            double tv = now() - t0;
            LP_CHECK(r == 0 && memcmp(rc, rv, nsteps * LP_SGD_REC_WORDS * 4) == 0 && memcmp(mc, mv, (D + 16) * 4) == 0,
                     "%s B=%u: the RTL differs from the C kernel", mnames[mi], B);
            double cps = (double)perf.cycles / nsteps, samples = (double)nsteps * B;
            double proj = samples / ((double)perf.cycles / 300e6);
            printf("%-8s %4u  %11.0f  %12.0f  %9.1f%%  %9.1f%%  %12.3g  %13.3g  %11.3g  %17.3g  %12.2f\n", mnames[mi], B,
                   cps, (double)perf.beats / nsteps, 100.0 * (double)perf.beats / (double)perf.cycles,
                   100.0 * (double)perf.beats / (double)perf.grad_cycles, (double)perf.cycles / tv, samples / tv,
                   samples / tc, proj, proj * (double)rw * 4.0 / 1e9);
            free(data);
            free(mc);
            free(mv);
            free(rc);
            free(rv);
        }
    printf("bound: one 64-byte beat per cycle (B x 51 beats per step); one 512-bit port at 300 MHz = 19.2 GB/s\n");
    lp_vsgd_close(v);
    free(st);
    return lp_test_summary();
}
