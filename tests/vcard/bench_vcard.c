/*
 * bench_vcard.c - simulation speed of the virtual card against the plain Verilator harness
 * in the same run: kernel cycles per CPU second for least squares, D = 256, B = 64, fp8_e4m3
 * (the Classes = 1 kernel, one core), through lp_vkernel (a flat memory) and through the
 * virtual card (u250, one CU: DDR4 channel models, the PCIe DMA, the SystemC kernel and the
 * TLM bridges), both checked bit-identical to each other. Printed: cycles, CPU seconds,
 * cycles/s of each, the card/plain ratio, and the card's simulated time split (PCIe, kernel).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/lp_vkernel.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_sgd_regmap.h"
#include "vcard/lp_vcard.h"

static double cpu_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

enum { D = 256, B = 64, NSTEPS = 8 };

int main(void)
{
    uint64_t s = 4242;
    uint32_t cfg[LP_SGD_CFG_WORDS];
    lp_sgd_test_cfg(cfg, LP_MODEL_LSQ, 1, D, B, "fp8_e4m3", 1u << 16, LP_SCHED_CONST, 0.01f, 0, 0.0f);
    uint32_t *data = lp_sgd_test_rows(&s, LP_MODEL_LSQ, 1, D, NSTEPS * B);
    float *m0 = lp_sgd_test_model(&s, 1, D);
    const size_t mw = LP_SGD_MODEL_WORDS(1, D), dbytes = (size_t)NSTEPS * B * LP_SGD_ROW_WORDS(D) * 4;
    float *mp = malloc(mw * 4), *mc = malloc(mw * 4);
    uint32_t sp[NSTEPS * LP_SGD_REC_WORDS], sc[NSTEPS * LP_SGD_REC_WORDS];
    memcpy(mp, m0, mw * 4);
    memcpy(mc, m0, mw * 4);
    const uint32_t LS = LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE;

    char err[512];
    lp_vkernel_t *v = lp_vkernel_open(NULL, 1, 0, 1, err, sizeof err);
    if (!v) {
        printf("%s\n", err);
        return 1;
    }
    lp_vkernel_perf_t pp;
    memset(&pp, 0, sizeof pp);
    double t0 = cpu_seconds();
    LP_CHECK(lp_vkernel_run(v, data, mp, sp, cfg, NSTEPS, 0, LS, &pp) == 0, "lp_vkernel: %s", lp_vkernel_error(v));
    double tp = cpu_seconds() - t0;
    lp_vkernel_close(v);

    lp_vcard_opts_t o = {"u250", NULL, 1, NULL, 0, 0, 1, 0, 0};
    t0 = cpu_seconds();
    lp_vcard_t *c = lp_vcard_open(&o, err, sizeof err);
    if (!c) {
        printf("%s\n", err);
        return 1;
    }
    uint64_t a[4];
    const uint64_t size[4] = {dbytes, mw * 4, sizeof sc, sizeof cfg};
    for (uint32_t i = 0; i < 4; i++)
        LP_CHECK(lp_vcard_alloc(c, lp_vcard_arg_bank(c, 0, i), size[i], &a[i]) == 0, "alloc");
    lp_vcard_write(c, a[LP_ARG_CFG], cfg, sizeof cfg);
    lp_vcard_write(c, a[LP_ARG_DATA], data, dbytes);
    lp_vcard_write(c, a[LP_ARG_MODEL], mc, mw * 4);
    lp_vcard_perf_t p0, p1;
    lp_vcard_perf(c, &p0);
    for (uint32_t i = 0; i < 4; i++)
        lp_vcard_set_arg(c, 0, i, a[i]);
    lp_vcard_set_arg(c, 0, LP_ARG_NSTEPS, NSTEPS);
    lp_vcard_set_arg(c, 0, LP_ARG_STEP0, 0);
    lp_vcard_set_arg(c, 0, LP_ARG_FLAGS, LS);
    double t1 = cpu_seconds();
    LP_CHECK(lp_vcard_start(c, 0) == 0 && lp_vcard_wait(c, 0) == 0, "vcard: %s", lp_vcard_error(c));
    double tk = cpu_seconds() - t1;
    lp_vcard_perf(c, &p1);
    lp_vcard_read(c, a[LP_ARG_STATS], sc, sizeof sc);
    lp_vcard_read(c, a[LP_ARG_MODEL], mc, mw * 4);
    double tc = cpu_seconds() - t0;
    LP_CHECK(!memcmp(sp, sc, sizeof sp) && !memcmp(mp, mc, mw * 4), "the card's outputs differ from lp_vkernel's");

    uint64_t kc = p1.last_cycles[0];
    printf("%-34s %9s %8s %10s\n", "least squares D=256 B=64, 8 steps", "cycles", "CPU s", "cycles/s");
    printf("%-34s %9llu %8.2f %10.0f\n", "lp_vkernel (plain harness)", (unsigned long long)pp.cycles, tp, pp.cycles / tp);
    printf("%-34s %9llu %8.2f %10.0f\n", "vcard u250 (run only)", (unsigned long long)kc, tk, kc / tk);
    printf("%-34s %9llu %8.2f %10.0f\n", "vcard u250 (open+DMA+run+DMA)", (unsigned long long)kc, tc, kc / tc);
    printf("vcard/plain speed ratio (run only): %.2f\n", (kc / tk) / (pp.cycles / tp));
    printf("simulated: %.1f us total, kernel run %.1f us at %.0f MHz, PCIe h2c busy %.1f us, c2h %.1f us\n",
           p1.sim_seconds * 1e6, kc / p1.clock_mhz, p1.clock_mhz, p1.pcie_busy_s[0] * 1e6, p1.pcie_busy_s[1] * 1e6);
    lp_vcard_close(c);
    free(data);
    free(m0);
    free(mp);
    free(mc);
    return lp_test_summary();
}
