/*
 * bench_vcard.c - the virtual card against the plain Verilator harness in the same run, on
 * least squares, D = 256, B = 64, fp8_e4m3, 8 steps in one call (LOAD + STORE), Classes = 1,
 * one core: lp_vkernel (flat memory, 2-cycle reads) once, then the card (one CU) with an
 * ideal memory and as the u250 (DDR4), u280 and u55c (HBM) with their constraints/<card>.cfg, each
 * in a child process (SystemC elaborates once per process) and checked bit-identical to
 * lp_vkernel; and two CUs at once streaming from one DDR4 channel. Printed per row: the kernel's cycles (ap_start..interrupt), gmem0's rate over
 * the call at the cfg's clock, the simulated time of the DMA in, the run and the DMA out,
 * and the simulation speed: kernel cycles (all CUs') per CPU second of the runs, and its
 * ratio to lp_vkernel's. Then softmax, K = 10, D = 256, B = 64, 2 steps on the 16-class
 * models (lp_vkernel's and the card's), ideal memory and u250.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/lp_vkernel.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_sgd_regmap.h"
#include "vcard/lp_vcard.h"

static double cpu_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

enum { D = 256, B = 64, KMAX = 10, NMAX = 8, MWMAX = LP_SGD_MODEL_WORDS(KMAX, D), NRECMAX = NMAX * LP_SGD_REC_WORDS };
static const uint32_t LS = LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE;
/* the job of the rows being printed: K classes, NSTEPS steps, MW model words, NREC record words */
static uint32_t K, NSTEPS, MW, NREC;
static uint32_t cfg[LP_SGD_CFG_WORDS], *data, ref_stats[NRECMAX];
static float *m0, ref_model[MWMAX];
static size_t dbytes;
static double plain_speed;

/* the card's CUs: DMA in, the runs (all at once), DMA out; 0 if every CU's outputs are
 * lp_vkernel's. The row: CU 0's cycles and gmem0 rate; speed counts every CU's cycles. */
static int card_row(const char *label, const char *card, const char *cfgfile, uint32_t ncu, int ideal)
{
    char err[512];
    lp_vcard_opts_t o = {card, cfgfile, ncu, NULL, ideal, 0, 1, 0, 0};
    lp_vcard_t *c = lp_vcard_open(&o, err, sizeof err);
    if (!c) {
        printf("%s\n", err);
        return 1;
    }
    uint64_t a[2][4];
    const uint64_t size[4] = {dbytes, MW * 4u, NREC * 4u, sizeof cfg};
    lp_vcard_perf_t p0, p1, p2, p3;
    lp_vcard_perf(c, &p0);
    for (uint32_t u = 0; u < ncu; u++) {
        for (uint32_t i = 0; i < 4; i++)
            if (lp_vcard_alloc(c, lp_vcard_arg_bank(c, u, i), size[i], &a[u][i]))
                return 1;
        lp_vcard_write(c, a[u][LP_ARG_CFG], cfg, sizeof cfg);
        lp_vcard_write(c, a[u][LP_ARG_DATA], data, dbytes);
        lp_vcard_write(c, a[u][LP_ARG_MODEL], m0, MW * 4);
        for (uint32_t i = 0; i < 4; i++)
            lp_vcard_set_arg(c, u, i, a[u][i]);
        lp_vcard_set_arg(c, u, LP_ARG_NSTEPS, NSTEPS);
        lp_vcard_set_arg(c, u, LP_ARG_STEP0, 0);
        lp_vcard_set_arg(c, u, LP_ARG_FLAGS, LS);
    }
    lp_vcard_perf(c, &p1);
    double t0 = cpu_seconds();
    int rc = 0;
    for (uint32_t u = 0; u < ncu; u++)
        rc |= lp_vcard_start(c, u);
    for (uint32_t u = 0; u < ncu; u++)
        rc |= lp_vcard_wait(c, u);
    double tk = cpu_seconds() - t0;
    lp_vcard_perf(c, &p2);
    uint64_t all = 0;
    for (uint32_t u = 0; u < ncu; u++) {
        float model[MWMAX];
        uint32_t stats[NRECMAX];
        rc |= lp_vcard_read(c, a[u][LP_ARG_STATS], stats, NREC * 4) || lp_vcard_read(c, a[u][LP_ARG_MODEL], model, MW * 4);
        rc |= memcmp(stats, ref_stats, NREC * 4) || memcmp(model, ref_model, MW * 4);
        all += p2.last_cycles[u];
    }
    lp_vcard_perf(c, &p3);
    if (rc) {
        printf("%s: %s\n", label, *lp_vcard_error(c) ? lp_vcard_error(c) : "outputs differ from lp_vkernel's");
        return 1;
    }
    uint64_t kc = p2.last_cycles[0];
    double run_s = kc / (p2.clock_mhz * 1e6);
    printf("%-24s %8llu %9.2f %9.1f %9.1f %9.1f %9.0f %6.2f\n", label, (unsigned long long)kc,
           p2.port_bytes[0][0] / run_s / 1e9, (p1.sim_seconds - p0.sim_seconds) * 1e6, run_s * 1e6,
           (p3.sim_seconds - p2.sim_seconds) * 1e6, all / tk, all / tk / plain_speed);
    fflush(stdout);
    return 0;
}

/* the job (model, K classes, nsteps steps in one call) on lp_vkernel; 0 when it ran */
static int plain_job(uint32_t model, uint32_t k, uint32_t nsteps, const char *fmt)
{
    uint64_t s = 4242;
    K = k, NSTEPS = nsteps, MW = LP_SGD_MODEL_WORDS(k, D), NREC = nsteps * LP_SGD_REC_WORDS;
    lp_sgd_test_cfg(cfg, model, k, D, B, fmt, 1u << 16, LP_SCHED_CONST, 0.01f, 0, 0.0f);
    free(data), free(m0);
    data = lp_sgd_test_rows(&s, model, k, D, nsteps * B);
    m0 = lp_sgd_test_model(&s, k, D);
    dbytes = (size_t)nsteps * B * LP_SGD_ROW_WORDS(D) * 4;
    memcpy(ref_model, m0, MW * 4);
    char err[512];
    lp_vkernel_t *v = lp_vkernel_open(NULL, 1, 0, k, err, sizeof err);
    if (!v) {
        LP_SKIP("%s", err);
        return -1;
    }
    lp_vkernel_perf_t pp;
    memset(&pp, 0, sizeof pp);
    double t0 = cpu_seconds();
    LP_CHECK(lp_vkernel_run(v, data, ref_model, ref_stats, cfg, nsteps, 0, LS, &pp) == 0, "lp_vkernel: %s",
             lp_vkernel_error(v));
    double tp = cpu_seconds() - t0;
    lp_vkernel_close(v);
    plain_speed = pp.cycles / tp;
    printf("%-24s %8s %9s %9s %9s %9s %9s %6s\n", "harness", "cycles", "gmem0GB/s", "DMA in us", "run us",
           "DMA out us", "sim c/s", "ratio");
    printf("%-24s %8llu %9.2f %9s %9.1f %9s %9.0f %6.2f\n", "lp_vkernel", (unsigned long long)pp.cycles,
           (double)dbytes / (pp.cycles / 300e6) / 1e9, "-", pp.cycles / 300.0, "-", plain_speed, 1.0);
    return 0;
}

typedef struct {
    const char *label, *card, *cfg;
    uint32_t ncu;
    int ideal;
} row_t;

/* each row in a child process (SystemC elaborates once per process) */
static void card_rows(const row_t *rows, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
            _exit(card_row(rows[i].label, rows[i].card, rows[i].cfg, rows[i].ncu, rows[i].ideal));
        int st = 0;
        waitpid(pid, &st, 0);
        LP_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: not bit-identical to lp_vkernel (or failed: 0x%x)",
                 rows[i].label, st);
    }
}

int main(void)
{
    printf("least squares D=%d B=%d fp8_e4m3, %d steps, one call; simulated microseconds at 300 MHz\n", D, B, NMAX);
    if (plain_job(LP_MODEL_LSQ, 1, NMAX, "fp8_e4m3"))
        return lp_test_summary();
    /* two CUs streaming from one DDR4 channel: each alone takes ~15.6 GB/s of its 19.25 */
    FILE *f = fopen("/tmp/lpsgd_bench_vcard_shared.cfg", "w");
    if (!f)
        return 1;
    fprintf(f, "[connectivity]\nnk=lp_sgd:2\nsp=lp_sgd_1.data:DDR[0]\nsp=lp_sgd_2.data:DDR[0]\n"
               "sp=lp_sgd_1.model:DDR[1]\nsp=lp_sgd_2.model:DDR[2]\n");
    fclose(f);
    static const row_t rows[] = {{"vcard ideal memory", "u250", NULL, 1, 1},
                                 {"vcard u250 DDR4", "u250", NULL, 1, 0},
                                 {"vcard u280 HBM", "u280", NULL, 1, 0},
                                 {"vcard u55c HBM", "u55c", NULL, 1, 0},
                                 {"vcard u250 2 CUs, 1 chan", "u250", "/tmp/lpsgd_bench_vcard_shared.cfg", 2, 0}};
    card_rows(rows, sizeof rows / sizeof rows[0]);
    printf("\nsoftmax K=%d D=%d B=%d fp8_e4m3, 2 steps, one call (the 16-class models)\n", KMAX, D, B);
    if (!plain_job(LP_MODEL_SOFTMAX, KMAX, 2, "fp8_e4m3")) {
        static const row_t sm[] = {{"vcard ideal memory", "u250", NULL, 1, 1}, {"vcard u250 DDR4", "u250", NULL, 1, 0}};
        card_rows(sm, sizeof sm / sizeof sm[0]);
    }
    free(data);
    free(m0);
    return lp_test_summary();
}
