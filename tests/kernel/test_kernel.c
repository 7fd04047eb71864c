/*
 * test_kernel.c - the RTL kernel top (rtl/kernel/lp_sgd.sv: s_axi_control, the AXI4
 * masters, the controller, the datapath; via sim/kernel/lp_vkernel.h with modelled AXI
 * memory) against the C kernel (hls/sgd lp_sgd_run, with lp_sgd's bad-cfg record), bit for
 * bit: every record word and every model word (state included), for every model, several
 * formats and quantizer options, the three schedules, compensation on and off, nsteps
 * 0/1/several, LOAD and STORE in separate calls and together, step0 > 0, invalid cfg
 * blocks (and the on-chip model surviving them), with the memory ports' random stalls on
 * and off; and the s_axi_control register map (idle, clear-on-read, argument read-back at
 * the offsets of lp_sgd_regmap.h, interrupt registers).
 * Two Verilated builds (sim/kernel/kernel.mk LP_VKERNEL_BUILDS): the one-output models on
 * the Classes = 1 kernel, softmax (K = 2..16: formats, scalings, L2, stalls) and one
 * least-squares case on the Classes = 16 kernel; without the 16-class build those cases
 * print "skip" with the reason.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/lp_vkernel.h"
#include "lp_sgd_test.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;

/* the kernels (Classes = 1 and 16, stalls off / on) and the C model's state beside each */
typedef struct {
    lp_vkernel_t *v; /* NULL: not built (why) */
    lp_sgd_state_t *st;
    const char *name;
    uint32_t classes, stalls;
    char why[512];
} dut_t;

static lp_vkernel_perf_t perf;

/* lp_sgd (the HLS top) on the C side: lp_sgd_run plus the bad-cfg record */
static void c_call(lp_sgd_state_t *st, const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg,
                   uint32_t nsteps, uint32_t step0, uint32_t flags)
{
    if (lp_sgd_run(st, data, model, stats, cfg, nsteps, step0, flags) != LP_SGD_OK && nsteps > 0)
        stats[0] = LP_SGD_REC_BADCFG;
}

/* one call on both sides from the same inputs; compares stats and model buffers entirely */
static int both(dut_t *d, const char *name, const uint32_t *data, const float *model_in, uint32_t mwords,
                const uint32_t *cfg, uint32_t nsteps, uint32_t step0, uint32_t flags)
{
    size_t nrec = (size_t)nsteps * LP_SGD_REC_WORDS;
    uint32_t *sc = malloc((nrec + 1) * 4), *sv = malloc((nrec + 1) * 4);
    float *mc = malloc((mwords + 1) * 4), *mv = malloc((mwords + 1) * 4);
    for (size_t i = 0; i < nrec; i++)
        sc[i] = sv[i] = 0xDEADBEEFu; /* words the kernel does not write must keep this */
    if (mwords) {
        memcpy(mc, model_in, mwords * 4);
        memcpy(mv, model_in, mwords * 4);
    }
    c_call(d->st, data, mwords ? mc : NULL, sc, cfg, nsteps, step0, flags);
    int rc = lp_vkernel_run(d->v, data, mwords ? mv : NULL, sv, cfg, nsteps, step0, flags, &perf);
    unsigned badrec = 0, badw = 0, first = 0;
    for (size_t i = 0; i < nrec; i++)
        if (sc[i] != sv[i] && badrec++ == 0)
            first = (unsigned)i;
    for (uint32_t j = 0; j < mwords; j++)
        badw += memcmp(&mc[j], &mv[j], 4) != 0;
    int ok = rc >= 0 && badrec == 0 && badw == 0;
    char full[200];
    snprintf(full, sizeof full, "[%s] %s", d->name, name);
    LP_CASE(full, ok, "%s: rc %d (%s), %u record words differ (first: record %u word %u: C %08x RTL %08x), %u model words differ",
            full, rc, lp_vkernel_error(d->v), badrec, first / LP_SGD_REC_WORDS, first % LP_SGD_REC_WORDS,
            nrec ? sc[first] : 0, nrec ? sv[first] : 0, badw);
    free(sc);
    free(sv);
    free(mc);
    free(mv);
    return ok;
}

typedef struct {
    uint32_t model, K;
    const char *fmt;
    uint32_t qopt, sched, comp, l2;
    uint32_t D, B, stalls, big; /* big: on the Classes = 16 kernel even for K = 1 */
} tcase_t;

static const char *const mname[] = {"lsq", "logistic", "softmax", "hinge"};
static const char *const sname[] = {"const", "inverse", "halving"};

/* load + 2 steps, then 2 steps (step0 = 2) + store: the model stays on chip between calls */
static void run_case(dut_t *d, const tcase_t *c)
{
    uint32_t D = c->D, B = c->B, cfg[LP_SGD_CFG_WORDS], mw = LP_SGD_MODEL_WORDS(c->K, D), rw = LP_SGD_ROW_WORDS(D);
    LP_CHECK(lp_sgd_test_cfg(cfg, c->model, c->K, D, B, c->fmt, c->qopt, c->sched,
                             c->model == LP_MODEL_LSQ ? 0.05f : 0.3f, (int)c->comp, c->l2 ? 0.01f : 0.0f) == 0,
             "format %s", c->fmt);
    uint32_t *data = lp_sgd_test_rows(&rng, c->model, c->K, D, 4 * B);
    float *m0 = lp_sgd_test_model(&rng, c->K, D);
    char name[160], name2[200];
    snprintf(name, sizeof name, "%s K=%u %s qopt=%08x %s%s%s D=%u B=%u: LOAD + 2 steps", mname[c->model], c->K,
             c->fmt, c->qopt, sname[c->sched], c->comp ? " compensated" : "", c->l2 ? " L2" : "", D, B);
    if (!d->v) {
        LP_SKIP("[%s] %s: no 16-class kernel build (make LP_VKERNEL_BUILDS=1)", d->name, name);
        free(data);
        free(m0);
        return;
    }
    snprintf(name2, sizeof name2, "%s; then 2 steps (step0 2) + STORE", name);
    const char *why;
    if (lp_vkernel_supported(cfg, &why) != 0) {
        LP_SKIP("%s: %s", name, why);
        free(data);
        free(m0);
        return;
    }
    float *m1 = calloc(mw, 4);
    if (both(d, name, data, m0, mw, cfg, 2, 0, LP_SGD_FLAG_LOAD))
        both(d, name2, data + (size_t)2 * B * rw, m1, mw, cfg, 2, 2, LP_SGD_FLAG_STORE);
    free(m1);
    free(data);
    free(m0);
}

/* A call the kernel or the host must refuse: rc -1, every `want` in the message, the
 * caller's buffers untouched. */
static void refused(dut_t *d, const char *name, const lp_vkernel_faults_t *fx, const uint32_t *data, const float *m0,
                    uint32_t mw, const uint32_t *cfg, const char *const *want, unsigned nwant)
{
    uint32_t st[2 * LP_SGD_REC_WORDS];
    float *m = malloc(mw * 4);
    memcpy(m, m0, mw * 4);
    for (unsigned i = 0; i < 2 * LP_SGD_REC_WORDS; i++)
        st[i] = 0xDEADBEEFu;
    lp_vkernel_set_faults(d->v, fx);
    int rc = lp_vkernel_run(d->v, data, m, st, cfg, 2, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE, NULL);
    lp_vkernel_set_faults(d->v, NULL);
    const char *msg = lp_vkernel_error(d->v);
    int ok = rc == -1 && memcmp(m, m0, mw * 4) == 0;
    for (unsigned i = 0; i < 2 * LP_SGD_REC_WORDS; i++)
        ok &= st[i] == 0xDEADBEEFu;
    for (unsigned i = 0; i < nwant; i++)
        ok &= strstr(msg, want[i]) != NULL;
    char full[200];
    snprintf(full, sizeof full, "[%s] %s", d->name, name);
    LP_CASE(full, ok, "%s: rc %d, message '%s' (want %s%s)", full, rc, msg, want[0], nwant > 1 ? ", ..." : "");
    free(m);
}

/* The AXI contract: a slave that waits for WVALID before AWREADY, error responses, an ISR
 * write colliding with ap_done, buffers that are not 64-byte aligned (host and kernel). */
static void axi_tests(void)
{
    dut_t duts[2] = {{NULL, NULL, "AXI contract, no stalls", 1, 0, ""}, {NULL, NULL, "AXI contract, stalls", 1, 1, ""}};
    const uint32_t D = 32, B = 4, mw = LP_SGD_MODEL_WORDS(1, D), LS = LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE;
    uint32_t cfg[LP_SGD_CFG_WORDS];
    lp_sgd_test_cfg(cfg, LP_MODEL_LSQ, 1, D, B, "fp8_e4m3", 1u << 16, LP_SCHED_CONST, 0.05f, 0, 0.0f);
    uint32_t *data = lp_sgd_test_rows(&rng, LP_MODEL_LSQ, 1, D, 2 * B);
    float *m0 = lp_sgd_test_model(&rng, 1, D);
    for (int i = 0; i < 2; i++) {
        duts[i].v = lp_vkernel_open(NULL, 77u + (uint32_t)i, (int)duts[i].stalls, 1, duts[i].why, sizeof duts[i].why);
        duts[i].st = calloc(1, sizeof(lp_sgd_state_t));
    }
    dut_t *d = &duts[0];
    lp_vkernel_faults_t fx;

    /* 1. AXI4 A3.3.1: the write master must not wait for AWREADY before WVALID */
    for (int i = 0; i < 2; i++) {
        memset(&fx, 0, sizeof fx);
        fx.aw_after_w = 1;
        lp_vkernel_set_faults(duts[i].v, &fx);
        both(&duts[i], "gmem1 holds AWREADY low until it sees WVALID: LOAD + 2 steps + STORE", data, m0, mw, cfg, 2, 0,
             LS);
        lp_vkernel_set_faults(duts[i].v, NULL);
    }

    /* 2. error responses: the call ends, the status register says what, no results */
    memset(&fx, 0, sizeof fx);
    fx.rd_err_burst[0] = 2, fx.rd_err_resp = 2, fx.wr_err_burst = 1, fx.wr_err_resp = 3;
    static const char *const want2[] = {"gmem0 read (minibatch rows) answered SLVERR",
                                        "gmem1 write (records, model store) answered DECERR", "not usable"};
    refused(d, "SLVERR on the 2nd gmem0 read burst, DECERR on the 1st write: reported, no results", &fx, data, m0, mw,
            cfg, want2, 3);
    memset(&fx, 0, sizeof fx);
    fx.rd_err_burst[1] = 2, fx.rd_err_resp = 3; /* burst 1 is the cfg, 2 the model load */
    static const char *const want2b[] = {"status 0x0C2", "gmem1 read (cfg, model load) answered DECERR"};
    refused(&duts[1], "DECERR on the model load: reported, no results", &fx, data, m0, mw, cfg, want2b, 2);
    both(d, "the next call: status cleared at ap_start, bit-identical", data, m0, mw, cfg, 2, 0, LS);

    /* 3. a host ISR write (acknowledging an earlier event) in the cycles up to the one the
     * kernel signals done: the done event must be in ISR afterwards (the harness checks) */
    lp_vkernel_perf_t keep = perf, p1;
    memset(&p1, 0, sizeof p1);
    both(d, "ISR: the call whose done cycle the next ones hit", data, m0, mw, cfg, 1, 0, LP_SGD_FLAG_LOAD);
    uint64_t c = perf.cycles - keep.cycles; /* ap_start .. the interrupt: done_i is in its last cycle but one */
    for (uint64_t at = c - 4; at <= c - 2; at++) {
        char name[160];
        uint32_t x = 0;
        snprintf(name, sizeof name, "ISR write of 1 presented %llu cycles after ap_start, done at %llu: ap_done kept",
                 (unsigned long long)at, (unsigned long long)c - 1);
        memset(&fx, 0, sizeof fx);
        fx.isr_write_cycle = (uint32_t)at, fx.isr_write_value = 1;
        LP_CHECK(lp_vkernel_reg_write(d->v, LP_REG_ISR, 1) == 0 && lp_vkernel_reg_read(d->v, LP_REG_ISR, &x) == 0 &&
                     x == 1,
                 "ISR set by the host before the call: 0x%x", x);
        lp_vkernel_set_faults(d->v, &fx);
        both(d, name, data, m0, mw, cfg, 1, 0, LP_SGD_FLAG_LOAD);
        lp_vkernel_set_faults(d->v, NULL);
    }
    perf = keep;

    /* 4. buffers not 64-byte aligned: the host refuses them; the kernel, given one, runs nothing */
    memset(&fx, 0, sizeof fx);
    fx.addr_skew[LP_ARG_MODEL] = 8;
    static const char *const want4[] = {"the model buffer's device address", "is not 64-byte aligned"};
    refused(d, "host: a model buffer at +8 bytes is refused before ap_start", &fx, data, m0, mw, cfg, want4, 2);
    static const char *const want4k[] = {"status 0x008", "not 64-byte aligned, the call ran nothing"};
    fx.unchecked = 1;
    fx.addr_skew[LP_ARG_MODEL] = 0, fx.addr_skew[LP_ARG_CFG] = 16;
    refused(d, "kernel: cfg at +16 bytes: status bit 3, nothing read or written", &fx, data, m0, mw, cfg, want4k, 2);
    fx.addr_skew[LP_ARG_CFG] = 0, fx.addr_skew[LP_ARG_STATS] = 4;
    refused(&duts[1], "kernel: stats at +4 bytes: status bit 3, nothing read or written", &fx, data, m0, mw, cfg,
            want4k, 2);
    both(&duts[1], "the next call: status cleared at ap_start, bit-identical", data, m0, mw, cfg, 2, 0, LS);

    /* 5. 64-bit addresses whose page number carries far: the cfg at page 2^45 - 3, the rows
     * from 512 bytes before page 2^45 on (their bursts split there, the page number steps
     * from 45 ones to bit 45: lp_axi_burst's background increment across all its chunks),
     * the model and stats after them */
    for (int i = 0; i < 2; i++) {
        memset(&fx, 0, sizeof fx);
        fx.base = ((1ull << 45) - 3) << 12;
        fx.addr_skew[LP_ARG_DATA] = 4096 - 512;
        lp_vkernel_set_faults(duts[i].v, &fx);
        both(&duts[i], "buffers at 0x01ff_ffff_ffff_d000 on: rows across page 2^45, LOAD + 2 steps + STORE", data, m0,
             mw, cfg, 2, 0, LS);
        lp_vkernel_set_faults(duts[i].v, NULL);
    }

    for (int i = 0; i < 2; i++) {
        lp_vkernel_close(duts[i].v);
        free(duts[i].st);
    }
    free(data);
    free(m0);
}

static void reg_tests(lp_vkernel_t *v)
{
    uint32_t x = 0;
    LP_CHECK(lp_vkernel_reg_read(v, LP_REG_CTRL, &x) == 0 && x == LP_CTRL_IDLE,
             "control register after the calls: 0x%x (want ap_idle only: done cleared on read)", x);
    LP_CHECK(lp_vkernel_reg_read(v, LP_REG_GIE, &x) == 0 && x == 1, "GIE reads back 0x%x", x);
    LP_CHECK(lp_vkernel_reg_read(v, LP_REG_IER, &x) == 0 && x == 1, "IER reads back 0x%x", x);
    LP_CHECK(lp_vkernel_reg_read(v, LP_REG_ISR, &x) == 0 && x == 0, "ISR after the acknowledge: 0x%x", x);
    LP_CHECK(lp_vkernel_interrupt(v) == 0, "interrupt low after the acknowledge");
    LP_CHECK(lp_vkernel_reg_write(v, LP_REG_ISR, 2) == 0 && lp_vkernel_reg_read(v, LP_REG_ISR, &x) == 0 && x == 2 &&
                 lp_vkernel_interrupt(v) == 1,
             "ISR toggle on write sets bit 1 (0x%x) and raises the interrupt", x);
    LP_CHECK(lp_vkernel_reg_write(v, LP_REG_ISR, 2) == 0 && lp_vkernel_reg_read(v, LP_REG_ISR, &x) == 0 && x == 0 &&
                 lp_vkernel_interrupt(v) == 0,
             "ISR toggles back (0x%x)", x);
    unsigned good = 0;
    for (int i = 0; i < LP_SGD_NARGS; i++) {
        const lp_sgd_arg_t *a = &lp_sgd_args[i];
        for (unsigned w = 0; w < a->size / 4; w++) {
            uint32_t pat = 0x9E370000u + (uint32_t)i * 16 + w, back = 0;
            lp_vkernel_reg_write(v, a->offset + 4 * w, pat);
            lp_vkernel_reg_read(v, a->offset + 4 * w, &back);
            good += back == pat;
            LP_CHECK(back == pat, "argument %s word %u at 0x%x reads back 0x%x (wrote 0x%x)", a->name, w,
                     a->offset + 4 * w, back, pat);
        }
    }
    LP_CASE("s_axi_control: idle, clear-on-read done, GIE/IER/ISR, interrupt, every argument word at its regmap offset",
            good == 11, "%u of 11 argument words read back", good);
    LP_CHECK(lp_vkernel_reg_read(v, 0x100, &x) == 0 && x == 0, "an unmapped offset reads 0x%x", x);
    LP_CHECK(lp_vkernel_reg_read(v, LP_REG_CTRL, &x) == 0 && x == LP_CTRL_IDLE, "still idle: 0x%x", x);
}

int main(void)
{
    dut_t duts[4] = {{NULL, NULL, "no stalls", 1, 0, ""},
                     {NULL, NULL, "AXI stalls", 1, 1, ""},
                     {NULL, NULL, "16 classes, no stalls", 16, 0, ""},
                     {NULL, NULL, "16 classes, AXI stalls", 16, 1, ""}};
    for (int i = 0; i < 4; i++) {
        duts[i].v = lp_vkernel_open(NULL, 1234u + (uint32_t)i, (int)duts[i].stalls, duts[i].classes, duts[i].why,
                                    sizeof duts[i].why);
        duts[i].st = calloc(1, sizeof(lp_sgd_state_t));
        if (!duts[i].v && duts[i].classes == 1) {
            printf("%s\n", duts[i].why);
            return 1;
        }
        if (duts[i].v)
            printf("[%s] kernel build Classes = %u\n", duts[i].name, lp_vkernel_classes(duts[i].v));
        else
            printf("[%s] %s: its cases are skipped\n", duts[i].name, duts[i].why);
    }
    const uint32_t SR = LP_ROUND_SR, SUB = 1u << 16, B32 = (uint32_t)LP_SCALE_BLOCK32 << 24,
                   TEN = (uint32_t)LP_SCALE_TENSOR << 24;
    /* model, K, format, qopt, schedule, compensate, L2, D, B, stalls, big */
    const tcase_t cases[] = {
        {LP_MODEL_LSQ, 1, "fp8_e4m3", SUB, LP_SCHED_CONST, 0, 1, 32, 3, 0, 0},
        {LP_MODEL_LSQ, 1, "fp4_e2m1", SR | SUB, LP_SCHED_INVERSE, 1, 0, 32, 4, 1, 0},
        {LP_MODEL_HINGE, 1, "fp8_e5m2", SUB | B32, LP_SCHED_HALVING, 0, 0, 48, 5, 0, 0},
        {LP_MODEL_LOGISTIC, 1, "fp16", LP_ROUND_RTZ, LP_SCHED_CONST, 1, 1, 32, 3, 1, 0},
        {LP_MODEL_LOGISTIC, 1, "fp4_e2m1", SR | SUB | B32, LP_SCHED_HALVING, 0, 0, 32, 4, 0, 0},
        {LP_MODEL_LSQ, 1, "fp8_e4m3", SUB | TEN, LP_SCHED_CONST, 0, 0, 48, 5, 1, 0},
        /* the 16-class kernel: softmax over K, formats, scalings, schedules, L2, stalls */
        {LP_MODEL_SOFTMAX, 3, "bf16", SUB, LP_SCHED_INVERSE, 0, 1, 32, 3, 0, 0},
        {LP_MODEL_SOFTMAX, 4, "fp8_e4m3", SUB, LP_SCHED_CONST, 1, 0, 32, 4, 1, 0},
        {LP_MODEL_SOFTMAX, 2, "fp32", 0, LP_SCHED_CONST, 0, 1, 16, 1, 0, 0},
        {LP_MODEL_SOFTMAX, 10, "fp8_e4m3", SR | SUB, LP_SCHED_CONST, 1, 0, 48, 4, 0, 0},
        {LP_MODEL_SOFTMAX, 16, "fp4_e2m1", SR | SUB | B32, LP_SCHED_HALVING, 0, 1, 32, 2, 1, 0},
        {LP_MODEL_SOFTMAX, 5, "fixed8.6", 0, LP_SCHED_INVERSE, 0, 0, 16, 8, 0, 0},
        {LP_MODEL_SOFTMAX, 7, "fp8_e5m2", SUB | TEN, LP_SCHED_CONST, 0, 1, 32, 3, 1, 0},
        /* one-output models on the 16-class kernel: compensated (the update pass), and not
         * (the update inside the quantizer pass: mu is final before it) */
        {LP_MODEL_LSQ, 1, "fp8_e4m3", SR | SUB, LP_SCHED_INVERSE, 1, 1, 32, 4, 0, 1},
        {LP_MODEL_HINGE, 1, "fp8_e5m2", SUB, LP_SCHED_HALVING, 0, 1, 32, 3, 1, 1},
    };
    const char *only = getenv("LP_KERNEL_ONLY"); /* a model name, or axi: run just its cases (debugging) */
    if (!only || !strcmp(only, "axi"))
        axi_tests();
    if (only && !strcmp(only, "axi"))
        only = "none";
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tcase_t *c = &cases[i];
        if (only && strcmp(only, mname[c->model]))
            continue;
        run_case(&duts[(c->K > 1 || c->big ? 2 : 0) + c->stalls], c);
    }

    /* the 16-class kernel's cfg unit refuses the class counts C refuses (K out of 2..16 for
     * softmax, K*D beyond the on-chip model) and keeps its on-chip model */
    if (duts[2].v && !only) {
        dut_t *d = &duts[2];
        const uint32_t K = 3, D = 16, B = 2, mw = LP_SGD_MODEL_WORDS(K, D), mwbig = LP_SGD_MODEL_WORDS(16, 1040);
        uint32_t cfg[LP_SGD_CFG_WORDS], bad[LP_SGD_CFG_WORDS];
        lp_sgd_test_cfg(cfg, LP_MODEL_SOFTMAX, K, D, B, "fp8_e4m3", SUB, LP_SCHED_CONST, 0.3f, 0, 0.0f);
        uint32_t *data = lp_sgd_test_rows(&rng, LP_MODEL_SOFTMAX, K, D, 4 * B);
        uint32_t *rows = calloc((size_t)2 * B * LP_SGD_ROW_WORDS(1040), 4);
        float *m0 = lp_sgd_test_model(&rng, K, D), *mz = calloc(mwbig, 4);
        both(d, "softmax K=3: LOAD + 2 steps", data, m0, mw, cfg, 2, 0, LP_SGD_FLAG_LOAD);
        static const struct {
            uint32_t K, D;
            const char *what;
        } bads[] = {{17, 16, "K = 17"}, {1, 16, "K = 1"}, {16, 1040, "K*D = 16640 > 16384"}};
        for (unsigned b = 0; b < sizeof bads / sizeof bads[0]; b++) {
            memcpy(bad, cfg, sizeof bad);
            bad[LP_CFG_K] = bads[b].K;
            bad[LP_CFG_D] = bads[b].D;
            char name[128];
            snprintf(name, sizeof name, "bad cfg (softmax %s), nsteps 2, LOAD|STORE: BADCFG in stats[0], nothing else",
                     bads[b].what);
            both(d, name, bads[b].D == D ? data : rows, mz, bads[b].D == D ? mw : mwbig, bad, 2, 0,
                 LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        }
        both(d, "softmax K=3 after the bad cfg blocks: the on-chip model is intact (2 steps + STORE)",
             data + 2 * B * LP_SGD_ROW_WORDS(D), mz, mw, cfg, 2, 2, LP_SGD_FLAG_STORE);
        free(data);
        free(rows);
        free(m0);
        free(mz);
    }

    /* nsteps 0 and 1, LOAD/STORE alone and together, step0 > 0, bad cfg blocks */
    for (int i = 0; i < 2; i++) {
        dut_t *d = &duts[i];
        const uint32_t D = 32, B = 4, mw = LP_SGD_MODEL_WORDS(1, D);
        uint32_t cfg[LP_SGD_CFG_WORDS], bad[LP_SGD_CFG_WORDS];
        lp_sgd_test_cfg(cfg, LP_MODEL_LSQ, 1, D, B, "fp8_e4m3", SR | SUB, LP_SCHED_HALVING, 0.05f, 1, 0.0f);
        uint32_t *data = lp_sgd_test_rows(&rng, LP_MODEL_LSQ, 1, D, 4 * B);
        float *m0 = lp_sgd_test_model(&rng, 1, D), *mz = calloc(mw, 4);
        both(d, "nsteps 0, LOAD only", NULL, m0, mw, cfg, 0, 0, LP_SGD_FLAG_LOAD);
        both(d, "nsteps 0, STORE only (the loaded model and state come back)", NULL, mz, mw, cfg, 0, 0,
             LP_SGD_FLAG_STORE);
        both(d, "nsteps 1, LOAD and STORE, step0 = 1000 (halving, SR, compensated)", data, m0, mw, cfg, 1, 1000,
             LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        both(d, "nsteps 3, no LOAD, no STORE, step0 = 1001", data + B * LP_SGD_ROW_WORDS(D), NULL, 0, cfg, 3, 1001, 0);
        static const struct {
            int word;
            uint32_t value;
            const char *what;
        } bads[] = {
            {LP_CFG_MAGIC, 0x12345678u, "wrong magic"},
            {LP_CFG_VERSION, 2, "wrong version"},
            {LP_CFG_K, 2, "K = 2 for least squares"},
            {LP_CFG_D, 24, "D not a multiple of 16"},
            {LP_CFG_BATCH, 0, "batch 0"},
            {LP_CFG_SCHED, 3, "unknown schedule"},
            {LP_CFG_PERIOD, 0, "halving period 0"},
            {LP_CFG_FMT0, 0xFFu, "unknown format kind"},
            {LP_CFG_QOPT, 9, "rounding out of range"},
        };
        for (unsigned b = 0; b < sizeof bads / sizeof bads[0]; b++) {
            if ((unsigned)i != b % 2 && b > 1)
                continue; /* split the list over the two kernels, the first two on both */
            memcpy(bad, cfg, sizeof bad);
            bad[bads[b].word] = bads[b].value;
            char name[128];
            snprintf(name, sizeof name, "bad cfg (%s), nsteps 2, LOAD|STORE: BADCFG in stats[0], nothing else", bads[b].what);
            both(d, name, data, mz, mw, bad, 2, 0, LP_SGD_FLAG_LOAD | LP_SGD_FLAG_STORE);
        }
        memcpy(bad, cfg, sizeof bad);
        bad[LP_CFG_MAGIC] = 0;
        both(d, "bad cfg, nsteps 0, STORE: nothing written", NULL, mz, mw, bad, 0, 0, LP_SGD_FLAG_STORE);
        both(d, "after the bad cfg blocks: the on-chip model is intact (2 steps + STORE)", data + 2 * B * LP_SGD_ROW_WORDS(D),
             mz, mw, cfg, 2, 1004, LP_SGD_FLAG_STORE);
        free(data);
        free(m0);
        free(mz);
    }
    reg_tests(duts[1].v);

    printf("%llu calls, %llu steps: %llu minibatch beats in %llu cycles (ap_start..ap_done)\n",
           (unsigned long long)perf.calls, (unsigned long long)perf.steps, (unsigned long long)perf.beats,
           (unsigned long long)perf.cycles);
    for (int i = 0; i < 4; i++) {
        lp_vkernel_close(duts[i].v);
        free(duts[i].st);
    }
    return lp_test_summary();
}
