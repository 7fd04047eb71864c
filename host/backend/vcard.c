/*
 * vcard.c - the vcard backend: the SGD kernel on the virtual Alveo card of sim/vcard
 * (lp_vcard.h: SystemC/TLM-2.0, compute units that are the Verilated RTL kernel, memory
 * channels and PCIe DMA modelled; docs/vcard.md), driven by the xrt backend's own streaming
 * code (host/backend/lp_stream.c: buffer layout, banks, arguments, double buffering, one
 * run in flight per CU, jobs across CUs). Only the device calls below differ from xrt.c:
 *   alloc    lp_vcard_alloc in the bank the connectivity file gives the argument, and a host
 *            shadow of the buffer as its map (XRT's host-side BO)
 *   sync     lp_vcard_write / lp_vcard_read: the PCIe DMA model (simulated time advances)
 *   start    the seven arguments (lp_vcard_set_arg) and lp_vcard_start; a second run on a
 *            busy CU is queued here and started when the first ends, as XRT's queue does
 *   wait     lp_vcard_wait; every run ends (a hang ends at the harness's bound with an error)
 *   abort    cannot: lp_vcard.h has no abort (its runs always end, so the stream never asks)
 * The card's memory is never freed (lp_vcard.h has no free); release frees the shadow only.
 * The compute units hold the `verilator --sc` builds of sim/vcard/vcard.mk (Classes = 1 for
 * least squares, logistic and hinge, 16 for softmax); a K no build holds is refused by name
 * before anything runs. report() turns the card's counters into what a user
 * asks (time per step, GB/s per port and channel, PCIe, the bottleneck, a projection for 1..N
 * CUs); vcard_report.c. Built without SystemC or Verilator (LP_NO_VCARD), open refuses.
 */
#include "vcard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lp_stream.h"
#include "sgd/lp_sgd.h"

#ifndef LP_NO_VCARD
#include "../../sim/vcard/lp_vcard.h"

#ifndef LP_VCARD_CFG_DIR
#define LP_VCARD_CFG_DIR "constraints"
#endif

enum { RUN_IDLE, RUN_QUEUED, RUN_RUNNING, RUN_DONE };

typedef struct {
    int state, failed;
    uint64_t args[LP_SGD_NARGS];
    char msg[400];
} vrun_t;

struct lp_backend {
    lp_vcard_t *card;
    char cardname[8];
    unsigned ncu;
    lp_stream_t st;
    vrun_t run[LP_STREAM_MAX_CUS][LP_STREAM_SLOTS];
    double dev_wall; /* CPU seconds spent inside lp_vcard_* calls (the simulation)    */
    double t_open;   /* CPU seconds at open                                            */
    lp_vcard_perf_t base; /* the card's counters at open (the card may serve several opens) */
    char why[400];        /* the last refusal                                              */
};

/* CPU seconds of this thread (the train loop and the simulation): what lpsgd computes, not what the two
   cores' other tenants take from it */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the device calls of the stream (lp_stream.h) ----------------------------------- */

typedef struct {
    uint64_t addr;
} vbuf_t;

static int dev_alloc(void *dev, lp_dbuf_t *b, size_t size, int bank, const char *what, lp_err_t *err)
{
    lp_backend_t *be = dev;
    vbuf_t *h = calloc(1, sizeof *h);
    b->map = calloc(1, size);
    if (!h || !b->map) {
        free(h), free(b->map);
        b->map = NULL;
        return lp_fail(err, "vcard: out of memory for a %zu-byte buffer (%s)", size, what);
    }
    if (lp_vcard_alloc(be->card, (uint32_t)bank, size, &h->addr) != 0) {
        free(h), free(b->map);
        b->map = NULL;
        return lp_fail(err, "vcard: %zu bytes for %s: %s (use a smaller --batch or --chunk)", size, what,
                       lp_vcard_error(be->card));
    }
    char m[256];
    if (lp_sgd_check_addr(what, h->addr, m, sizeof m)) {
        free(h), free(b->map);
        b->map = NULL;
        return lp_fail(err, "vcard: %s", m);
    }
    b->h = h, b->size = size;
    return 0;
}

/* The shadow goes; the card's bytes stay allocated (lp_vcard.h frees nothing). A run still
   writing them writes the card's memory, never the shadow, so keep changes nothing here. */
static void dev_release(void *dev, lp_dbuf_t *b, int keep)
{
    (void)dev, (void)keep;
    free(b->h);
    free(b->map);
    memset(b, 0, sizeof *b);
}

static int dev_sync(void *dev, lp_dbuf_t *b, int to_device, size_t bytes, lp_err_t *err)
{
    lp_backend_t *be = dev;
    uint64_t addr = ((vbuf_t *)b->h)->addr;
    double t0 = now();
    int rc = to_device ? lp_vcard_write(be->card, addr, b->map, bytes) : lp_vcard_read(be->card, addr, b->map, bytes);
    be->dev_wall += now() - t0;
    if (rc)
        return lp_fail(err, "vcard: the DMA %s the card failed: %s", to_device ? "to" : "from",
                       lp_vcard_error(be->card));
    return 0;
}

/* Set run r's arguments on CU cu and start it; a failure is the run's result. */
static void launch(lp_backend_t *be, unsigned cu, vrun_t *r)
{
    int rc = 0;
    for (unsigned a = 0; a < LP_SGD_NARGS && !rc; a++)
        rc = lp_vcard_set_arg(be->card, cu, a, r->args[a]);
    if (!rc)
        rc = lp_vcard_start(be->card, cu);
    r->state = rc ? RUN_DONE : RUN_RUNNING;
    r->failed = rc != 0;
    if (rc)
        snprintf(r->msg, sizeof r->msg, "%s", lp_vcard_error(be->card));
}

static int dev_start(void *dev, unsigned cu, unsigned slot, lp_dbuf_t *const bufs[4], const uint32_t scalars[3],
                     lp_err_t *err)
{
    lp_backend_t *be = dev;
    vrun_t *r = &be->run[cu][slot];
    int busy = 0;
    if (r->state != RUN_IDLE)
        return lp_fail(err, "vcard: CU %s slot %u started twice", be->st.cuname[cu], slot);
    for (unsigned a = 0; a < 4; a++)
        r->args[a] = ((vbuf_t *)bufs[a]->h)->addr;
    for (unsigned a = 0; a < 3; a++)
        r->args[4 + a] = scalars[a];
    for (unsigned k = 0; k < LP_STREAM_SLOTS; k++)
        busy |= be->run[cu][k].state == RUN_RUNNING || be->run[cu][k].state == RUN_QUEUED;
    if (busy) { /* the card takes one run per CU: queued, started when the one on the CU ends */
        r->state = RUN_QUEUED;
        return 0;
    }
    launch(be, cu, r);
    if (r->failed) {
        r->state = RUN_IDLE;
        return lp_fail(err, "vcard: starting the kernel on CU %s failed: %s", be->st.cuname[cu], r->msg);
    }
    return 0;
}

/* Start CU cu's queued run, if it has one. */
static void launch_queued(lp_backend_t *be, unsigned cu)
{
    for (unsigned q = 0; q < LP_STREAM_SLOTS; q++)
        if (be->run[cu][q].state == RUN_QUEUED) {
            launch(be, cu, &be->run[cu][q]);
            return;
        }
}

/* Wait for the run on CU cu's card, then start the queued one (if any): each call moves on. */
static void settle(lp_backend_t *be, unsigned cu)
{
    for (unsigned k = 0; k < LP_STREAM_SLOTS; k++) {
        vrun_t *r = &be->run[cu][k];
        if (r->state != RUN_RUNNING)
            continue;
        double t0 = now();
        r->failed = lp_vcard_wait(be->card, cu) != 0;
        be->dev_wall += now() - t0;
        if (r->failed)
            snprintf(r->msg, sizeof r->msg, "%s", lp_vcard_error(be->card));
        r->state = RUN_DONE;
        break;
    }
    launch_queued(be, cu);
}

static int dev_wait(void *dev, unsigned cu, unsigned slot, lp_err_t *err)
{
    lp_backend_t *be = dev;
    vrun_t *r = &be->run[cu][slot];
    while (r->state == RUN_QUEUED || r->state == RUN_RUNNING)
        settle(be, cu);
    if (r->state != RUN_DONE) {
        lp_fail(err, "vcard: no run in slot %u of CU %s", slot, be->st.cuname[cu]);
        return LP_DEV_ENDED;
    }
    r->state = RUN_IDLE;
    if (r->failed) { /* a protocol violation, the status register, a hang at the harness's bound */
        lp_fail(err, "vcard: the kernel on CU %s: %s", be->st.cuname[cu], r->msg);
        return LP_DEV_ENDED;
    }
    return LP_DEV_DONE;
}

static int dev_abort(void *dev, unsigned cu, unsigned slot, char *what, size_t whatsize)
{
    (void)dev, (void)cu, (void)slot;
    snprintf(what, whatsize, "the virtual card has no abort");
    return 0;
}

static const lp_dev_ops_t vcard_dev = {dev_alloc, dev_release, dev_sync, dev_start, dev_wait, dev_abort};

/* ---- open / close ------------------------------------------------------------------- */

/*
 * SystemC elaborates once per process, so the card stays open for the process: a backend
 * opened again with the same card, CUs and PCIe (theory over several formats) gets it
 * back; another card is refused. At exit the card's close runs the models' final().
 */
static struct {
    lp_vcard_t *card;
    char key[96];
} g;

static void close_card(void)
{
    lp_vcard_close(g.card);
    g.card = NULL;
}

static lp_vcard_t *the_card(const char *card, const lp_backend_opts_t *opts, lp_err_t *err)
{
    char cfg[4096], msg[512], key[96];
    unsigned cus = opts ? opts->cus : 0;
    const char *pcie = opts && opts->pcie ? opts->pcie : "gen3x16";
    snprintf(key, sizeof key, "--card %s --cus %u --pcie %s", card, cus, pcie);
    if (g.card && strcmp(key, g.key)) {
        lp_fail(err, "vcard: one virtual card per process (SystemC elaborates once): this one simulates %s, "
                     "not %s", g.key, key);
        return NULL;
    }
    if (g.card)
        return g.card;
    snprintf(cfg, sizeof cfg, "%s/%s.cfg", LP_VCARD_CFG_DIR, card);
    lp_vcard_opts_t vo = {card, strcmp(card, "u250") && strcmp(card, "u280") && strcmp(card, "u55c") ? NULL : cfg,
                          cus, pcie, 0, 0, 0, 0, 0};
    if (!(g.card = lp_vcard_open(&vo, msg, sizeof msg))) {
        lp_fail(err, "%s", msg);
        return NULL;
    }
    snprintf(g.key, sizeof g.key, "%s", key);
    atexit(close_card);
    return g.card;
}

static int vc_open(lp_backend_t **out, const lp_backend_opts_t *opts, lp_err_t *err)
{
    const char *card = opts && opts->card ? opts->card : "u250";
    *out = NULL;
    if (strlen(card) >= sizeof((lp_backend_t *)0)->cardname)
        return lp_fail(err, "vcard: unknown card '%s' (u250, u280, u55c)", card);
    lp_backend_t *be = calloc(1, sizeof *be);
    if (!be)
        return lp_fail(err, "vcard: out of memory");
    if (!(be->card = the_card(card, opts, err))) {
        free(be);
        return -1;
    }
    be->t_open = now(); /* the host's time starts after the elaboration */
    lp_vcard_perf(be->card, &be->base);
    snprintf(be->cardname, sizeof be->cardname, "%s", card);
    be->ncu = lp_vcard_cus(be->card);
    const char *np[LP_STREAM_MAX_CUS];
    for (unsigned c = 0; c < be->ncu; c++)
        np[c] = lp_vcard_cu_name(be->card, c);
    lp_stream_init(&be->st, &vcard_dev, be, "vcard", be->ncu, np);
    for (unsigned c = 0; c < be->ncu; c++)
        for (unsigned a = 0; a < LP_SGD_NARGS; a++)
            if (lp_sgd_args[a].is_pointer)
                lp_stream_bank(&be->st, c, a, (int)lp_vcard_arg_bank(be->card, c, a));
    *out = be;
    return 0;
}

/* The stream waits for its runs and frees its buffers; the card stays (the_card). */
static void vc_close(lp_backend_t *be)
{
    if (!be)
        return;
    lp_stream_close(&be->st);
    free(be);
}

/* ---- training: the stream on CU 0; jobs on every CU --------------------------------- */

static const char *vc_unsupported(lp_backend_t *be, const uint32_t *cfg)
{
    uint32_t top = lp_vcard_max_classes(be->card);
    if (cfg[LP_CFG_K] <= top)
        return NULL;
    snprintf(be->why, sizeof be->why, LP_VCARD_NO_SOFTMAX, cfg[LP_CFG_K], cfg[LP_CFG_K], top);
    return be->why;
}

static int vc_check(lp_backend_t *be, const uint32_t *cfg, lp_err_t *err)
{
    const char *why = vc_unsupported(be, cfg);
    return why ? lp_fail(err, "vcard: %s", why) : 0;
}

static int vc_train_load(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    return vc_check(be, cfg, err) || lp_stream_load(&be->st, 0, cfg, model, err) ? -1 : 0;
}

static int vc_train_submit(lp_backend_t *be, const uint32_t *data, uint32_t nsteps, uint32_t step0, lp_err_t *err)
{
    return lp_stream_submit(&be->st, 0, data, nsteps, step0, err);
}

static int vc_train_wait(lp_backend_t *be, uint32_t *records, lp_err_t *err)
{
    return lp_stream_wait(&be->st, 0, records, err);
}

static int vc_train_read(lp_backend_t *be, float *model, lp_err_t *err)
{
    return lp_stream_read(&be->st, 0, model, err);
}

static unsigned vc_units(lp_backend_t *be) { return be->ncu; }

static int vc_train_jobs(lp_backend_t *be, lp_train_job_t *jobs, unsigned njobs, lp_err_t *err)
{
    for (unsigned j = 0; j < njobs; j++)
        if (vc_check(be, jobs[j].cfg, err))
            return -1;
    return lp_stream_jobs(&be->st, jobs, njobs, err);
}


/* What report() needs of the card since this backend opened it (vcard_report.c does the arithmetic). */
static void vc_facts(lp_backend_t *be, lp_vc_facts_t *fp)
{
    lp_vcard_perf_t p;
    const lp_vcard_perf_t *b = &be->base;
    lp_vc_facts_t f;
    memset(&f, 0, sizeof f);
    lp_vcard_perf(be->card, &p);
    f.card = be->cardname;
    f.ncu = be->ncu;
    f.nbanks = lp_vcard_banks(be->card);
    f.clock_mhz = p.clock_mhz;
    f.sim_seconds = p.sim_seconds - b->sim_seconds;
    f.host_seconds = now() - be->t_open - be->dev_wall;
    if (f.host_seconds < 0)
        f.host_seconds = 0;
    f.cycles = p.cycles[0] - b->cycles[0];
    for (int k = 0; k < 3; k++)
        f.port_bytes[k] = p.port_bytes[0][k] - b->port_bytes[0][k];
    for (unsigned i = 0; i < f.nbanks && i < LP_VC_MAX_BANKS; i++) {
        f.bank[i].name = lp_vcard_bank_name(be->card, i);
        f.bank[i].bytes = p.bank_rd_bytes[i] + p.bank_wr_bytes[i] - b->bank_rd_bytes[i] - b->bank_wr_bytes[i];
        f.bank[i].busy_s = p.bank_busy_s[i] - b->bank_busy_s[i];
        f.bank[i].gbps = lp_vcard_bank_gbps(be->card, i);
    }
    for (unsigned c = 0; c < be->ncu; c++)
        for (unsigned a = 0; a < 4; a++)
            f.arg_bank[c][a] = lp_vcard_arg_bank(be->card, c, a);
    for (int d = 0; d < 2; d++)
        f.pcie_bytes[d] = p.pcie_bytes[d] - b->pcie_bytes[d], f.pcie_busy_s[d] = p.pcie_busy_s[d] - b->pcie_busy_s[d];
    *fp = f;
}

static void vc_report(lp_backend_t *be, const lp_run_shape_t *run, int json, FILE *out)
{
    lp_vc_facts_t f;
    vc_facts(be, &f);
    lp_vc_report(&f, run, json, out);
}

static int vc_report_plot(lp_backend_t *be, const lp_run_shape_t *run, const char *png, lp_err_t *err)
{
    lp_vc_facts_t f;
    vc_facts(be, &f);
    return lp_vc_plot(&f, run, png, err);
}

int lp_vc_built(void) { return 1; }

#else /* built without SystemC or Verilator */

static int vc_open(lp_backend_t **be, const lp_backend_opts_t *opts, lp_err_t *err)
{
    (void)opts;
    *be = NULL;
    return lp_fail(err, LP_VCARD_MISSING);
}
static void vc_close(lp_backend_t *be) { (void)be; }
/* set, so that train and selftest open the backend and print why it is missing */
static int vc_train_load(lp_backend_t *be, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    (void)be, (void)cfg, (void)model;
    return lp_fail(err, LP_VCARD_MISSING);
}
int lp_vc_built(void) { return 0; }

#endif

/* the kernel on the card is the whole SGD step: no quantize-only entry (or no card at all) */
static int vc_quantize(lp_backend_t *be, const lp_qcfg_t *cfg, uint32_t step, const float *g, float *gq,
                       uint32_t *codes, int32_t *scale_k, uint32_t n, lp_qstats_t *st, lp_err_t *err)
{
    (void)be, (void)cfg, (void)step, (void)g, (void)gq, (void)codes, (void)scale_k, (void)n, (void)st;
    return lp_fail(err, "%s", lp_vc_built() ? "vcard: " LP_VCARD_NO_QUANTIZE : LP_VCARD_MISSING);
}

/* the compute units' cycles (ap_start..interrupt, summed) */
static uint64_t vc_cycles(lp_backend_t *be)
{
    uint64_t n = 0;
#ifndef LP_NO_VCARD
    lp_vcard_perf_t p;
    lp_vcard_perf(be->card, &p);
    for (unsigned c = 0; c < be->ncu; c++)
        n += p.cycles[c];
#else
    (void)be;
#endif
    return n;
}

const lp_backend_ops_t lp_backend_vcard = {
    .name = "vcard",
    .summary = "the virtual Alveo card (sim/vcard: SystemC, the Verilated kernel as its CUs; --card, --cus; "
               "docs/vcard.md)",
    .open = vc_open,
    .close = vc_close,
    .quantize = vc_quantize,
    .cycles = vc_cycles,
    .train_load = vc_train_load,
#ifndef LP_NO_VCARD
    .train_submit = vc_train_submit,
    .train_wait = vc_train_wait,
    .train_read = vc_train_read,
    .train_depth = LP_STREAM_SLOTS, /* lp_stream: two runs outstanding */
    .units = vc_units,
    .train_jobs = vc_train_jobs,
    .unsupported = vc_unsupported,
    .report = vc_report,
    .report_plot = vc_report_plot,
#endif
};
