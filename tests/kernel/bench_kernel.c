/*
 * bench_kernel.c - cycles per SGD step through the whole RTL kernel (rtl/kernel/lp_sgd.sv:
 * AXI4-Lite start, cfg read and check, model load, rows streamed from modelled AXI memory,
 * records written, model stored; sim/kernel/lp_vkernel.h, no stalls, a few cycles of
 * memory latency) against the step engine alone driven by its harness (sim/sgd/lp_vsgd.h)
 * in the same run, for Fashion-MNIST-sized rows (D = 800: 784 pixels + bias + padding,
 * 51 beats per row), least squares, fp8_e4m3 gradients, B = 64 and 256 (and B = 256 with a
 * card-like 300-cycle memory read latency: the 1024-beat prefetch FIFO hides it; softmax too). Both are checked
 * bit-identical to the C kernel. Printed: cycles per step (the kernel: between consecutive
 * record writes, steps 1.., i.e. the steady state; and the whole call ap_start..ap_done per
 * step), the one-beat-per-cycle bound B*(1 + D/16), the efficiency, the kernel/step ratio.
 * Then softmax K = 10 (Fashion-MNIST's classes) at the same D and B through the 16-class
 * kernel build (the step engine's harness is the one-output build, so no ratio there); its
 * bound counts the minibatch beats only, the two K*nb-beat passes (gradient, update) are
 * the overhead. Verilator's speed (kernel cycles per CPU second) is printed per row.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/lp_vkernel.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd.h"

static double cpu_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

int main(void)
{
    char err[512];
    lp_vkernel_t *vk = lp_vkernel_open(NULL, 1, 0, 1, err, sizeof err);
    lp_vsgd_t *vs = vk ? lp_vsgd_open(NULL, err, sizeof err) : NULL;
    if (!vk || !vs) {
        printf("%s\n", err);
        return 1;
    }
    char why16[512] = "";
    lp_vkernel_t *vk16 = lp_vkernel_open(NULL, 1, 0, 10, why16, sizeof why16);
    lp_sgd_state_t *st = calloc(1, sizeof *st);
    const uint32_t D = 800, nsteps = 4, rw = LP_SGD_ROW_WORDS(D);
    static const struct {
        uint32_t model, K, B, latency; /* latency: the memory's read latency (cycles) */
    } rows[] = {{LP_MODEL_LSQ, 1, 64, 2},       {LP_MODEL_LSQ, 1, 256, 2},       {LP_MODEL_LSQ, 1, 256, 300},
                {LP_MODEL_SOFTMAX, 10, 64, 2}, {LP_MODEL_SOFTMAX, 10, 256, 2}, {LP_MODEL_SOFTMAX, 10, 256, 300}};
    printf("%-8s %5s %7s %12s %12s %10s %10s %10s %11s %10s\n", "model", "B", "mem lat", "kernel c/s", "call c/s",
           "step c/s", "bound", "kernel eff", "kernel/step", "sim c/s");
    for (unsigned bi = 0; bi < sizeof rows / sizeof rows[0]; bi++) {
        uint32_t B = rows[bi].B, K = rows[bi].K, mw = LP_SGD_MODEL_WORDS(K, D), cfg[LP_SGD_CFG_WORDS];
        int soft = rows[bi].model == LP_MODEL_SOFTMAX;
        lp_vkernel_t *v = soft ? vk16 : vk;
        if (!v) {
            printf("%-8s %5u %7u skipped: %s\n", "softmax", B, rows[bi].latency, why16);
            continue;
        }
        lp_sgd_test_cfg(cfg, rows[bi].model, K, D, B, "fp8_e4m3", 1u << 16, LP_SCHED_CONST, 0.01f, 0, 0.0f);
        uint32_t *data = calloc((size_t)nsteps * B * rw, 4);
        uint32_t s = 12345;
        for (uint32_t r = 0; r < nsteps * B; r++) {
            uint32_t *row = data + (size_t)r * rw;
            for (uint32_t j = 0; j < 785; j++) {
                s = s * 1664525u + 1013904223u;
                row[16 + j] = lp_f32_bits(j == 784 ? 1.0f : (float)(s >> 8) / 16777216.0f);
            }
            row[0] = lp_f32_bits((float)(r % 10));
        }
        float *m0 = calloc(mw, 4), *mc = calloc(mw, 4), *mk = calloc(mw, 4), *ms = calloc(mw, 4);
        m0[K * D] = 1.0f; /* q_hat */
        memcpy(mc, m0, mw * 4);
        memcpy(mk, m0, mw * 4);
        memcpy(ms, m0, mw * 4);
        uint32_t rc[4 * 16], rk[4 * 16], rs[4 * 16];
        lp_vkernel_perf_t pk;
        lp_vsgd_perf_t ps;
        memset(&pk, 0, sizeof pk);
        memset(&ps, 0, sizeof ps);
        lp_sgd_run(st, data, mc, rc, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        double t0 = cpu_seconds();
        lp_vkernel_set_read_latency(v, rows[bi].latency);
        int r1 = lp_vkernel_run(v, data, mk, rk, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE, &pk);
        lp_vkernel_set_read_latency(v, 2);
        double sim = cpu_seconds() - t0;
        LP_CHECK(r1 == 0 && !memcmp(rc, rk, sizeof rc) && !memcmp(mc, mk, mw * 4),
                 "kernel %s B=%u: rc %d (%s), differs", soft ? "softmax" : "lsq", B, r1, lp_vkernel_error(v));
        double step = 0;
        if (!soft) {
            int r2 = lp_vsgd_run(vs, data, ms, rs, cfg, nsteps, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE, &ps);
            LP_CHECK(r2 == 0 && !memcmp(rc, rs, sizeof rc) && !memcmp(mc, ms, mw * 4), "step B=%u: differs", B);
            step = (double)ps.cycles / nsteps;
        }
        double ksteady = 0;
        for (uint32_t i = 1; i < pk.nlog; i++)
            ksteady += (double)pk.step_cycles[i];
        ksteady /= pk.nlog > 1 ? pk.nlog - 1 : 1;
        double call = (double)pk.cycles / nsteps, bound = (double)B * (1 + D / 16);
        char stepcol[32] = "-", ratio[32] = "-";
        if (!soft) {
            snprintf(stepcol, sizeof stepcol, "%.1f", step);
            snprintf(ratio, sizeof ratio, "%.3f", ksteady / step);
        }
        printf("%-8s %5u %7u %12.1f %12.1f %10s %10.0f %9.1f%% %11s %10.0f\n", soft ? "softmax" : "lsq", B,
               rows[bi].latency, ksteady, call,
               stepcol, bound, 100.0 * bound / ksteady, ratio, sim > 0 ? (double)pk.cycles / sim : 0.0);
        free(data);
        free(m0);
        free(mc);
        free(mk);
        free(ms);
    }
    lp_vkernel_close(vk);
    lp_vkernel_close(vk16);
    lp_vsgd_close(vs);
    free(st);
    return lp_test_summary();
}
