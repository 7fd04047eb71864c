/*
 * bench_rtl_sgd.c - the RTL SGD step engine (rtl/sgd/lp_sgd_step.sv) on Fashion-MNIST-sized
 * rows (784 pixels + bias, padded to D = 800: 50 beats + the header beat per row): cycles
 * per step against the engine's bound of one feature beat per cycle (the header's label
 * rides beside a row's first beat), Verilator's speed on this machine, and
 * the projection to an Alveo card at 300 MHz next to one 512-bit port's 19.2 GB/s.
 *
 * The peer measured in the same run is the C kernel (lp_sgd_run, the golden model) on the
 * same job: the two must agree bit for bit (checked), and every speed is printed beside
 * it as a ratio (sim/C: the Verilated RTL against the C model on this CPU; 300MHz/C: the
 * projected card against the C model on this CPU). Speeds are per CPU-second of this
 * process (both run single-threaded here), so a loaded machine slows neither figure.
 *
 * Rows: least squares and logistic (K = 1) at B = 16, 64, 256, and softmax K = 10 (the
 * Fashion-MNIST shape; B = 64, 256, 512) when the RTL runs it (lp_vsgd_supported; else one "skipped" line).
 * Usage: bench_rtl_sgd [steps]   (default 4 steps per row)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format/lp_format.h"
#include "format/lp_bits.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd.h"

#define CLOCK_HZ 300e6
#define PORT_GBS 19.2 /* one 512-bit AXI port at 300 MHz */

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s;
}

typedef struct {
    const char *name;
    uint32_t model, K, B;
} bench_case_t;

/* fp8_e4m3, RNE, saturation, subnormals on; a constant stepsize 0.01, L2 1e-4 */
static void make_cfg(uint32_t *cfg, const bench_case_t *c, uint32_t D)
{
    lp_sgd_test_cfg(cfg, c->model, c->K, D, c->B, "fp8_e4m3", 1u << 16, LP_SCHED_CONST, 0.01f, 0, 1e-4f);
}

int main(int argc, char **argv)
{
    const uint32_t D = 800, rw = LP_SGD_ROW_WORDS(D);
    uint32_t nsteps = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 4;
    if (nsteps < 1 || nsteps > 1000) {
        fprintf(stderr, "bench_rtl_sgd: steps must be 1..1000 (got %s)\n", argv[1]);
        return 2;
    }
    static const bench_case_t cases[] = {
        {"lsq", LP_MODEL_LSQ, 1, 16},           {"lsq", LP_MODEL_LSQ, 1, 64},
        {"lsq", LP_MODEL_LSQ, 1, 256},          {"logistic", LP_MODEL_LOGISTIC, 1, 16},
        {"logistic", LP_MODEL_LOGISTIC, 1, 64}, {"logistic", LP_MODEL_LOGISTIC, 1, 256},
        {"softmax", LP_MODEL_SOFTMAX, 10, 64},  {"softmax", LP_MODEL_SOFTMAX, 10, 256},
        {"softmax", LP_MODEL_SOFTMAX, 10, 512},
    };
    char err[256];
    lp_vsgd_t *v = lp_vsgd_open(NULL, err, sizeof err);
    if (!v) {
        printf("%s\n", err);
        return 1;
    }
    lp_sgd_state_t *st = calloc(1, sizeof *st);
    uint64_t seed = 42;
    printf("D = %u (Fashion-MNIST rows: 784 pixels + bias, padded), %u steps per row, fp8_e4m3 gradients (RNE, "
           "subnormals kept), L2 1e-4; speeds per CPU-second; peer: the C kernel lp_sgd_run, same job, same run\n",
           D, nsteps);
    printf("%-8s %2s %4s | %11s %8s %6s %6s | %10s %10s %10s %7s | %11s %8s %6s %6s\n", "model", "K", "B",
           "cycles/step", "bound", "eff", "grad", "sim cyc/s", "sim smp/s", "C smp/s", "sim/C", "300MHz smp/s",
           "300MHz/C", "GB/s", "port");
    for (unsigned ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        const bench_case_t *c = &cases[ci];
        uint32_t cfg[LP_SGD_CFG_WORDS], B = c->B, K = c->K, mw = LP_SGD_MODEL_WORDS(K, D);
        make_cfg(cfg, c, D);
        const char *why;
        if (lp_vsgd_supported(cfg, &why) != 0) {
            printf("%-8s %2u %4u | skipped: %s\n", c->name, K, B, why);
            continue;
        }
        uint32_t *data = calloc((size_t)nsteps * B * rw, 4);
        for (uint32_t r = 0; r < nsteps * B; r++) {
            uint32_t *row = data + (size_t)r * rw;
            uint64_t h = lcg(&seed);
            row[0] = lp_f32_bits(K > 1 ? (float)((h >> 33) % K) : (float)((h >> 40) & 1));
            for (uint32_t j = 0; j < 784; j++)
                row[16 + j] = lp_f32_bits((float)((lcg(&seed) >> 33) & 255) / 255.0f);
            row[16 + 784] = lp_f32_bits(1.0f);
        }
        float *m0 = calloc(mw, 4), *mc = calloc(mw, 4), *mv = calloc(mw, 4);
        m0[K * D] = 1.0f; /* state word 0: q_hat = 1 */
        memcpy(mc, m0, (size_t)mw * 4);
        memcpy(mv, m0, (size_t)mw * 4);
        uint32_t *rc = calloc(nsteps * LP_SGD_REC_WORDS, 4), *rv = calloc(nsteps * LP_SGD_REC_WORDS, 4);
        lp_sgd_run(st, data, mc, rc, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);

        /* the C kernel's speed: the same job repeated for at least 0.2 CPU-seconds */
        float *mt = calloc(mw, 4);
        uint32_t *rt = calloc(nsteps * LP_SGD_REC_WORDS, 4), reps = 0;
        double t0 = cpu_now(), tc;
        do {
            memcpy(mt, m0, (size_t)mw * 4);
            lp_sgd_run(st, data, mt, rt, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
            reps++;
            tc = cpu_now() - t0;
        } while (tc < 0.2);
        tc /= reps;

        lp_vsgd_perf_t perf;
        memset(&perf, 0, sizeof perf);
        t0 = cpu_now();
        int r = lp_vsgd_run(v, data, mv, rv, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE, &perf);
        double tv = cpu_now() - t0;
        LP_CHECK(r == 0 && memcmp(rc, rv, nsteps * LP_SGD_REC_WORDS * 4) == 0 && memcmp(mc, mv, (size_t)mw * 4) == 0,
                 "%s K=%u B=%u: the RTL differs from the C kernel", c->name, K, B);
        double samples = (double)nsteps * B;
        double sim_sps = samples / tv, c_sps = samples / tc;
        double proj = samples / ((double)perf.cycles / CLOCK_HZ), gbs = proj * (double)rw * 4.0 / 1e9;
        printf("%-8s %2u %4u | %11.0f %8.0f %5.1f%% %5.1f%% | %10.3g %10.3g %10.3g %7.2g | %11.3g %7.1fx %6.2f %5.1f%%\n",
               c->name, K, B, (double)perf.cycles / nsteps, (double)perf.beats / nsteps,
               100.0 * (double)perf.beats / (double)perf.cycles, 100.0 * (double)perf.beats / (double)perf.grad_cycles,
               (double)perf.cycles / tv, sim_sps, c_sps, sim_sps / c_sps, proj, proj / c_sps, gbs,
               100.0 * gbs / PORT_GBS);
        free(data);
        free(m0);
        free(mc);
        free(mv);
        free(mt);
        free(rc);
        free(rv);
        free(rt);
    }
    printf("bound: one feature beat per cycle (B x %u beats per step: D/16; the row's label rides beside its first "
           "beat, the header beat is split off before the engine); eff = bound / cycles; "
           "grad = the same in the gradient phase only\n", rw / 16 - 1);
    printf("300MHz: samples/s = B x steps / (cycles / 300 MHz); GB/s = the minibatch bytes at that rate; "
           "port = GB/s / %.1f GB/s (one 512-bit port at 300 MHz)\n", PORT_GBS);
    lp_vsgd_close(v);
    free(st);
    return lp_test_summary();
}
