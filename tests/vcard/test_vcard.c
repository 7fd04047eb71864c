/*
 * test_vcard.c - the virtual card (sim/vcard/lp_vcard.h) against the plain Verilator harness
 * (sim/kernel/lp_vkernel.h) on the same inputs: every call's step records and model words
 * byte for byte, on an ideal memory (where the kernel's cycles per call must equal
 * lp_vkernel's exactly, with the AXI stalls off and on, same seed), on the u250's DDR4 and the
 * u280's HBM models, and on two compute units running at once (a connectivity file written
 * here). Then the CU -> SLR -> bank map read from constraints/{u250,u280,u55c}.cfg, the
 * messages for bad connectivity files, and the protocol checker failing a run on each
 * planted violation with its message. A softmax job (K = 4) runs the same way on the CU's
 * 16-class model (the card's CUs hold every --sc build; skipped, with the reason, in a build
 * without it). SystemC elaborates once per process: each scenario runs in a child process
 * (its counts are added to the parent's).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/lp_vkernel.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_sgd_regmap.h"
#include "vcard/lp_vcard.h"

static int *shared; /* passed, failed, skipped: the children's counts */

static void in_child(const char *what, void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        __atomic_add_fetch(&shared[0], lp_test_passed, __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&shared[1], lp_test_failed, __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&shared[2], lp_test_skipped, __ATOMIC_SEQ_CST);
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    LP_CHECK(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: the child process ended with status 0x%x", what, st);
}

/* a job of D = 64, B = 8 (least squares, K = 1; or softmax, K = 4): three calls (LOAD + 3
   steps, 3 steps, 2 steps + STORE) */
#define NCALLS 3
#define KMAX 4
static const uint32_t kD = 64, kB = 8, kSteps[NCALLS] = {3, 3, 2};
static const uint32_t kFlags[NCALLS] = {LP_SGD_FLAG_LOAD, 0, LP_SGD_FLAG_STORE};
typedef struct {
    uint32_t K, model_words;
    uint32_t cfg[LP_SGD_CFG_WORDS];
    uint32_t *data; /* every call's rows, one after the other */
    float *m0;
} job_t;

static void make_job(job_t *j, uint64_t seed, uint32_t model, uint32_t K, const char *fmt)
{
    uint64_t s = seed;
    j->K = K, j->model_words = LP_SGD_MODEL_WORDS(K, kD);
    lp_sgd_test_cfg(j->cfg, model, K, kD, kB, fmt, 1u << 16, LP_SCHED_CONST, 0.05f, 0, 0.0f);
    j->data = lp_sgd_test_rows(&s, model, K, kD, 8 * kB);
    j->m0 = lp_sgd_test_model(&s, K, kD);
}

static size_t row_words(void) { return (size_t)kB * LP_SGD_ROW_WORDS(kD); }

/* the outputs of the three calls: records and model after each (the job's model_words of
   each row), cycles of each */
typedef struct {
    uint32_t stats[NCALLS][8 * LP_SGD_REC_WORDS];
    float model[NCALLS][LP_SGD_MODEL_WORDS(KMAX, 64)];
    uint64_t cycles[NCALLS];
} outs_t;

static void plain_run(const job_t *j, uint32_t seed, int stalls, int aw_after_w, outs_t *o)
{
    char err[512];
    lp_vkernel_t *v = lp_vkernel_open(NULL, seed, stalls, j->K, err, sizeof err);
    LP_CHECK(v != NULL, "lp_vkernel_open: %s", err);
    if (!v)
        return;
    lp_vkernel_faults_t fx;
    memset(&fx, 0, sizeof fx);
    fx.aw_after_w = aw_after_w;
    lp_vkernel_set_faults(v, &fx);
    float model[LP_SGD_MODEL_WORDS(KMAX, 64)] = {0};
    memcpy(model, j->m0, j->model_words * 4);
    for (uint32_t c = 0, step = 0; c < NCALLS; step += kSteps[c], c++) {
        lp_vkernel_perf_t p;
        memset(&p, 0, sizeof p);
        memset(o->stats[c], 0xEE, sizeof o->stats[c]);
        int rc = lp_vkernel_run(v, j->data + step * row_words(), model, o->stats[c], j->cfg, kSteps[c], step, kFlags[c], &p);
        LP_CHECK(rc == 0, "lp_vkernel_run call %u: %d %s", c, rc, lp_vkernel_error(v));
        memcpy(o->model[c], model, sizeof model);
        o->cycles[c] = p.cycles;
    }
    lp_vkernel_close(v);
}

/* the same calls on compute unit cu of card c, buffers in the banks its cfg gives */
typedef struct {
    uint64_t addr[4]; /* LP_ARG_DATA, _MODEL, _STATS, _CFG */
} devbufs_t;

static int card_alloc(lp_vcard_t *c, uint32_t cu, const job_t *j, devbufs_t *b)
{
    const uint64_t size[4] = {8 * row_words() * 4, j->model_words * 4, 8 * LP_SGD_REC_WORDS * 4, LP_SGD_CFG_WORDS * 4};
    for (int a = 0; a < 4; a++)
        if (lp_vcard_alloc(c, lp_vcard_arg_bank(c, cu, (uint32_t)a), size[a], &b->addr[a]))
            return -1;
    return 0;
}

/* call k's inputs into the buffers and the arguments set */
static int card_load(lp_vcard_t *c, uint32_t cu, const devbufs_t *b, const job_t *j, const float *model,
                      const uint32_t *stats, uint32_t k, uint32_t step)
{
    size_t rows = (size_t)kSteps[k] * row_words() * 4, recs = (size_t)kSteps[k] * LP_SGD_REC_WORDS * 4;
    if (lp_vcard_write(c, b->addr[LP_ARG_CFG], j->cfg, sizeof j->cfg) ||
        lp_vcard_write(c, b->addr[LP_ARG_DATA], j->data + step * row_words(), rows) ||
        lp_vcard_write(c, b->addr[LP_ARG_MODEL], model, j->model_words * 4) ||
        lp_vcard_write(c, b->addr[LP_ARG_STATS], stats, recs))
        return -1;
    for (uint32_t a = 0; a < 4; a++)
        lp_vcard_set_arg(c, cu, a, b->addr[a]);
    lp_vcard_set_arg(c, cu, LP_ARG_NSTEPS, kSteps[k]);
    lp_vcard_set_arg(c, cu, LP_ARG_STEP0, step);
    return lp_vcard_set_arg(c, cu, LP_ARG_FLAGS, kFlags[k]);
}

static int card_finish(lp_vcard_t *c, uint32_t cu, const devbufs_t *b, const job_t *j, float *model, uint32_t *stats,
                       uint32_t k)
{
    if (lp_vcard_wait(c, cu))
        return -1;
    return lp_vcard_read(c, b->addr[LP_ARG_STATS], stats, (size_t)kSteps[k] * LP_SGD_REC_WORDS * 4) ||
           lp_vcard_read(c, b->addr[LP_ARG_MODEL], model, j->model_words * 4);
}

/* the three calls on ncu compute units at once (the same job on each): every CU's inputs
 * copied, then all started, then each waited for */
static void card_runs(lp_vcard_t *c, uint32_t ncu, const job_t *j, outs_t *o)
{
    devbufs_t b[2];
    float model[2][LP_SGD_MODEL_WORDS(KMAX, 64)] = {{0}};
    for (uint32_t u = 0; u < ncu; u++) {
        LP_CHECK(card_alloc(c, u, j, &b[u]) == 0, "alloc: %s", lp_vcard_error(c));
        memcpy(model[u], j->m0, j->model_words * 4);
    }
    for (uint32_t k = 0, step = 0; k < NCALLS; step += kSteps[k], k++) {
        for (uint32_t u = 0; u < ncu; u++) {
            memset(o[u].stats[k], 0xEE, sizeof o[u].stats[k]);
            LP_CHECK(card_load(c, u, &b[u], j, model[u], o[u].stats[k], k, step) == 0, "load: %s", lp_vcard_error(c));
        }
        for (uint32_t u = 0; u < ncu; u++)
            LP_CHECK(lp_vcard_start(c, u) == 0, "start: %s", lp_vcard_error(c));
        for (uint32_t u = 0; u < ncu; u++) {
            LP_CHECK(card_finish(c, u, &b[u], j, model[u], o[u].stats[k], k) == 0, "call %u on CU %u: %s", k, u,
                     lp_vcard_error(c));
            lp_vcard_perf_t p;
            lp_vcard_perf(c, &p);
            memcpy(o[u].model[k], model[u], sizeof model[u]);
            o[u].cycles[k] = p.last_cycles[u];
        }
    }
}

/* byte for byte; equal cycles when exact */
static void compare(const char *name, const outs_t *plain, const outs_t *card, int exact_cycles)
{
    int same = memcmp(plain->stats, card->stats, sizeof plain->stats) == 0 &&
               memcmp(plain->model, card->model, sizeof plain->model) == 0;
    char n[256];
    snprintf(n, sizeof n, "%s: step records and model bit-identical to lp_vkernel (3 calls, 8 steps)", name);
    LP_CASE(n, same, "%s: outputs differ from lp_vkernel's", name);
    for (int k = 0; k < NCALLS; k++) {
        snprintf(n, sizeof n, "%s: call %d: %llu cycles, lp_vkernel %llu", name, k, (unsigned long long)card->cycles[k],
                 (unsigned long long)plain->cycles[k]);
        if (exact_cycles)
            LP_CASE(n, card->cycles[k] == plain->cycles[k], "%s (want equal)", n);
        else
            LP_CASE(n, card->cycles[k] >= plain->cycles[k], "%s (want no fewer than on an ideal memory)", n);
    }
}

static lp_vcard_t *open_card(const char *card, const char *cfg, uint32_t cus, int ideal, uint32_t seed, int stalls,
                             int aw_after_w)
{
    char err[512];
    lp_vcard_opts_t o = {card, cfg, cus, NULL, ideal, 0, seed, stalls, aw_after_w};
    lp_vcard_t *c = lp_vcard_open(&o, err, sizeof err);
    LP_CHECK(c != NULL, "lp_vcard_open %s: %s", card, err);
    return c;
}

static void print_perf(const lp_vcard_t *c)
{
    lp_vcard_perf_t p;
    lp_vcard_perf(c, &p);
    printf("     simulated %.2f us; PCIe h2c %llu B busy %.2f us, c2h %llu B busy %.2f us; CU0 ports %llu/%llu/%llu B\n",
           p.sim_seconds * 1e6, (unsigned long long)p.pcie_bytes[0], p.pcie_busy_s[0] * 1e6,
           (unsigned long long)p.pcie_bytes[1], p.pcie_busy_s[1] * 1e6, (unsigned long long)p.port_bytes[0][0],
           (unsigned long long)p.port_bytes[0][1], (unsigned long long)p.port_bytes[0][2]);
}

static job_t job, softmax_job;

static void scenario(const char *name, const char *card, int ideal, uint32_t seed, int stalls, int aw_after_w)
{
    outs_t plain, vc;
    plain_run(&job, seed, stalls, aw_after_w, &plain);
    lp_vcard_t *c = open_card(card, NULL, 1, ideal, seed, stalls, aw_after_w);
    if (!c)
        return;
    card_runs(c, 1, &job, &vc);
    compare(name, &plain, &vc, ideal);
    print_perf(c);
    lp_vcard_close(c);
}

static void ideal_nostall(void) { scenario("u250, ideal memory, no stalls", "u250", 1, 1, 0, 0); }

/* softmax, K = 4: the CU runs it on its 16-class model (reset before its first run), the
   plain harness on lp_vkernel's; bit-identical, and the same cycles on an ideal memory */
static void softmax_ideal(void)
{
    char err[512];
    lp_vkernel_t *v = lp_vkernel_open(NULL, 1, 0, softmax_job.K, err, sizeof err);
    if (!v) {
        LP_SKIP("softmax K = 4 on the card: %s", err);
        return;
    }
    lp_vkernel_close(v);
    lp_vcard_t *c = open_card("u250", NULL, 1, 1, 1, 0, 0);
    if (c && lp_vcard_max_classes(c) < softmax_job.K) {
        LP_SKIP("softmax K = 4 on the card: its compute units are built with Classes <= %u (LP_VCARD_BUILDS)",
                     lp_vcard_max_classes(c));
        lp_vcard_close(c);
        return;
    }
    outs_t plain, vc;
    plain_run(&softmax_job, 1, 0, 0, &plain);
    if (!c)
        return;
    card_runs(c, 1, &softmax_job, &vc);
    compare("u250, ideal memory, softmax K = 4 (the 16-class model)", &plain, &vc, 1);
    print_perf(c);
    lp_vcard_close(c);
}
static void ideal_stall(void)
{
    scenario("u250, ideal memory, AXI stalls (seed 9), AWREADY after WVALID", "u250", 1, 9, 1, 1);
}
static void u250_ddr(void) { scenario("u250, DDR4 channels", "u250", 0, 1, 0, 0); }
static void u280_hbm(void) { scenario("u280, HBM pseudo-channels", "u280", 0, 1, 0, 0); }

/* connectivity files of this test's: two CUs on the u55c, each on its own pseudo-channels;
 * two on the u250 sharing DDR[0] and DDR[1] */
static const char *kCfg2 = "/tmp/lpsgd_test_vcard_2cu.cfg", *kCfgShared = "/tmp/lpsgd_test_vcard_shared.cfg";
static void write_cfg2(void)
{
    FILE *f = fopen(kCfgShared, "w");
    fprintf(f, "[connectivity]\nnk=lp_sgd:2\nsp=lp_sgd_1.data:DDR[0]\nsp=lp_sgd_2.data:DDR[0]\n"
               "sp=lp_sgd_1.model:DDR[1]\nsp=lp_sgd_1.stats:DDR[1]\nsp=lp_sgd_1.cfg:DDR[1]\n"
               "sp=lp_sgd_2.model:DDR[1]\nsp=lp_sgd_2.stats:DDR[1]\nsp=lp_sgd_2.cfg:DDR[1]\n");
    fclose(f);
    f = fopen(kCfg2, "w");
    fprintf(f, "# two compute units\nkernel_frequency=300\n[connectivity]\nnk=lp_sgd:2:cu_a.cu_b\n"
               "sp=cu_a.data:HBM[0:1]\nsp=cu_a.model:HBM[2]\nsp=cu_a.stats:HBM[2]\nsp=cu_a.cfg:HBM[2]\n"
               "sp=cu_b.m_axi_gmem0:HBM[4:5]\nsp=cu_b.m_axi_gmem1:HBM[6]\n"
               "slr=cu_a:SLR0\nslr=cu_b:SLR1\n[vivado]\nprop=run.impl_1.STRATEGY=Performance_Explore\n");
    fclose(f);
}

/* the job on both CUs of card (cfg) at once, each compared with lp_vkernel; check(c) first */
static void two_cu_runs(const char *name, const char *card, const char *cfg, void (*check)(lp_vcard_t *))
{
    outs_t plain, vc[2];
    plain_run(&job, 1, 0, 0, &plain);
    lp_vcard_t *c = open_card(card, cfg, 0, 0, 1, 0, 0);
    if (!c)
        return;
    LP_CHECK(lp_vcard_cus(c) == 2, "%s: %u compute units", cfg, lp_vcard_cus(c));
    if (check)
        check(c);
    card_runs(c, 2, &job, vc);
    for (int u = 0; u < 2; u++) {
        char n[200];
        snprintf(n, sizeof n, "%s: CU %d", name, u);
        compare(n, &plain, &vc[u], 0);
    }
    print_perf(c);
    lp_vcard_close(c);
}

static void map_2cu(lp_vcard_t *c)
{
    const char *d = lp_vcard_bank_name(c, lp_vcard_arg_bank(c, 1, LP_ARG_DATA)),
               *m = lp_vcard_bank_name(c, lp_vcard_arg_bank(c, 1, LP_ARG_MODEL));
    int gmem1 = lp_vcard_arg_bank(c, 1, LP_ARG_STATS) == lp_vcard_arg_bank(c, 1, LP_ARG_MODEL) &&
                lp_vcard_arg_bank(c, 1, LP_ARG_CFG) == lp_vcard_arg_bank(c, 1, LP_ARG_MODEL);
    LP_CASE("2-CU cfg: cu_b's data on HBM[4], model/stats/cfg on HBM[6] (sp= by m_axi port), SLR1; cu_a SLR0",
            !strcmp(d, "HBM[4]") && !strcmp(m, "HBM[6]") && gmem1 && lp_vcard_cu_slr(c, 1) == 1 &&
                lp_vcard_cu_slr(c, 0) == 0,
            "cu_b: data %s model %s (stats, cfg with it: %d) SLR %u", d, m, gmem1, lp_vcard_cu_slr(c, 1));
}
static void two_cus(void) { two_cu_runs("u55c, 2 CUs at once", "u55c", kCfg2, map_2cu); }
static void two_cus_shared(void)
{
    two_cu_runs("u250, 2 CUs at once on the same two DDR4 channels", "u250", kCfgShared, NULL);
}

/* the cfgs on main, and refused ones (no elaboration: several opens in one process) */
static void cfg_maps(void)
{
    static const struct {
        const char *card, *data, *model;
        uint32_t cus; /* the cfg's nk=lp_sgd:N (one CU per SLR: docs/alveo.md) */
    } want[] = {{"u250", "DDR[0]", "DDR[0]", 4}, {"u280", "HBM[0]", "HBM[2]", 2}, {"u55c", "HBM[0]", "HBM[2]", 2}};
    char err[512];
    for (int i = 0; i < 3; i++) {
        /* one CU more than the cfg has: refused, after the parse */
        lp_vcard_opts_t o = {want[i].card, NULL, want[i].cus + 1, NULL, 0, 0, 1, 0, 0};
        char path[64], exp[300];
        snprintf(path, sizeof path, "constraints/%s.cfg", want[i].card);
        lp_vcard_t *c = lp_vcard_open(&o, err, sizeof err);
        snprintf(exp, sizeof exp, "vcard: %s instantiates %u compute unit(s) (nk=lp_sgd:N); %u asked for", path,
                 want[i].cus, want[i].cus + 1);
        LP_CASE(path, !c && !strcmp(err, exp), "%s: got '%s'", path, c ? "(opened)" : err);
    }
    FILE *f = fopen("/tmp/lpsgd_test_vcard_bad.cfg", "w");
    fprintf(f, "[connectivity]\nnk=lp_sgd:1\nsp=lp_sgd_1.data:DDR[5]\n");
    fclose(f);
    lp_vcard_opts_t o = {"u250", "/tmp/lpsgd_test_vcard_bad.cfg", 0, NULL, 0, 0, 1, 0, 0};
    lp_vcard_t *c = lp_vcard_open(&o, err, sizeof err);
    const char *exp = "vcard: /tmp/lpsgd_test_vcard_bad.cfg:3: sp names bank 'DDR[5]', which the u250 has not got";
    LP_CASE("a bank the card has not got: refused with its line", !c && !strcmp(err, exp), "got '%s'", err);
    o.card = "u200";
    c = lp_vcard_open(&o, err, sizeof err);
    LP_CASE("an unknown card: refused", !c && !strcmp(err, "vcard: unknown card 'u200' (u250, u280, u55c)"), "got '%s'",
            err);
    /* then one card that opens: its map is the cfg's */
    for (int i = 0; i < 3; i++) {
        if (i != 1)
            continue; /* one elaboration per process: the u280 (HBM + DDR) */
        lp_vcard_t *u = open_card(want[i].card, NULL, 0, 0, 1, 0, 0);
        if (!u)
            return;
        const char *d = lp_vcard_bank_name(u, lp_vcard_arg_bank(u, 0, LP_ARG_DATA)),
                   *m = lp_vcard_bank_name(u, lp_vcard_arg_bank(u, 0, LP_ARG_MODEL));
        LP_CASE("constraints/u280.cfg: lp_sgd_1 data on HBM[0] (of HBM[0:1]), model on HBM[2], SLR1, 34 banks",
                !strcmp(d, want[i].data) && !strcmp(m, want[i].model) && lp_vcard_cu_slr(u, 0) == 1 &&
                    lp_vcard_banks(u) == 34,
                "data %s model %s SLR%u banks %u", d, m, lp_vcard_cu_slr(u, 0), lp_vcard_banks(u));
        LP_CASE("a wait with no run started: refused",
                lp_vcard_wait(u, 0) == -1 && !strcmp(lp_vcard_error(u), "lp_sgd_1: no run was started"), "got '%s'",
                lp_vcard_error(u));
        char e2[200];
        lp_vcard_opts_t o2 = {"u250", NULL, 0, NULL, 0, 0, 1, 0, 0};
        LP_CASE("a second card in the process: refused", !lp_vcard_open(&o2, e2, sizeof e2), "opened");
        lp_vcard_close(u);
    }
}

/* a planted violation between the kernel's pins and the checker fails the run with this */
static void planted(int plant, const char *want)
{
    lp_vcard_t *c = open_card("u250", NULL, 1, 1, 1, 0, plant == LP_VCARD_PLANT_W_AFTER_AW);
    if (!c)
        return;
    devbufs_t b;
    float model[LP_SGD_MODEL_WORDS(1, 64)];
    uint32_t stats[8 * LP_SGD_REC_WORDS];
    memcpy(model, job.m0, sizeof model);
    memset(stats, 0, sizeof stats);
    LP_CHECK(card_alloc(c, 0, &job, &b) == 0, "alloc: %s", lp_vcard_error(c));
    lp_vcard_plant(c, 0, plant);
    LP_CHECK(card_load(c, 0, &b, &job, model, stats, 0, 0) == 0 && lp_vcard_start(c, 0) == 0, "start: %s",
             lp_vcard_error(c));
    int rc = lp_vcard_wait(c, 0);
    char n[300];
    snprintf(n, sizeof n, "planted violation %d: the run fails with '%s'", plant, want);
    LP_CASE(n, rc == -1 && !strcmp(lp_vcard_error(c), want), "rc %d, message '%s'", rc, lp_vcard_error(c));
    lp_vcard_close(c);
}
static void plant_wlast(void) { planted(LP_VCARD_PLANT_NO_WLAST, "lp_sgd_1: gmem1 W: WLAST 0 on beat 0 of a 1-beat burst"); }
static void plant_4k(void)
{
    planted(LP_VCARD_PLANT_CROSS_4K, "lp_sgd_1: gmem0 AR: burst at 0x4000000000 of 65 beats crosses a 4 KiB boundary");
}
static void plant_change(void)
{
    planted(LP_VCARD_PLANT_AR_CHANGE, "lp_sgd_1: gmem0 AR: payload changed while VALID waited for READY");
}
static void plant_w_after_aw(void)
{
    planted(LP_VCARD_PLANT_W_AFTER_AW, "lp_sgd_1: gmem1 AW: AWVALID waited 1000 cycles for AWREADY with no WVALID: "
                                       "the master waits for AWREADY before its write data (AXI4 A3.3.1 forbids it)");
}

static void plant_lite(void)
{
    planted(LP_VCARD_PLANT_LITE_RVALID, "lp_sgd_1: s_axi_control R: RVALID with no read outstanding");
}

int main(void)
{
    shared = mmap(NULL, 3 * sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return 1;
    shared[0] = shared[1] = shared[2] = 0;
    make_job(&job, 0x1234567ull, LP_MODEL_LSQ, 1, "fp8_e4m3");
    make_job(&softmax_job, 0x7654321ull, LP_MODEL_SOFTMAX, KMAX, "fp4_e2m1");
    write_cfg2();
    in_child("ideal, no stalls", ideal_nostall);
    in_child("ideal, stalls", ideal_stall);
    in_child("softmax", softmax_ideal);
    in_child("u250", u250_ddr);
    in_child("u280", u280_hbm);
    in_child("2 CUs", two_cus);
    in_child("2 CUs, shared channels", two_cus_shared);
    in_child("cfg maps", cfg_maps);
    in_child("plant WLAST", plant_wlast);
    in_child("plant 4K", plant_4k);
    in_child("plant AR change", plant_change);
    in_child("plant W after AW", plant_w_after_aw);
    in_child("plant lite RVALID", plant_lite);
    lp_test_passed += shared[0];
    lp_test_failed += shared[1];
    lp_test_skipped += shared[2];
    return lp_test_summary();
}
