/*
 * lp_stream.c - streaming training to the SGD kernel's compute units through a table of
 * device calls (lp_stream.h). Per CU: the cfg and model buffers, two slots (data + stats
 * buffer, a run) used in turn, so the host fills chunk k+1 while the card runs chunk k.
 *
 * A run that does not finish in time is aborted together with every other run still on
 * the card; each run the device confirms stopped gives its buffers back, but while one is
 * not confirmed the stream is wedged: it runs nothing more and never frees or reuses a
 * buffer that kernel may still write (close keeps them until the process exits).
 */
#include "lp_stream.h"

#include <stdio.h>
#include <string.h>

void lp_stream_init(lp_stream_t *s, const lp_dev_ops_t *ops, void *dev, const char *name, unsigned ncu,
                    const char *const *names)
{
    memset(s, 0, sizeof *s);
    s->ops = ops, s->dev = dev, s->name = name;
    s->ncu = ncu > LP_STREAM_MAX_CUS ? LP_STREAM_MAX_CUS : ncu;
    for (unsigned c = 0; c < s->ncu; c++) {
        snprintf(s->cuname[c], sizeof s->cuname[c], "%s", names && names[c] ? names[c] : LP_SGD_KERNEL_NAME);
        for (unsigned a = 0; a < LP_SGD_NARGS; a++)
            s->bank[c][a] = -1;
    }
}

void lp_stream_bank(lp_stream_t *s, unsigned cu, unsigned arg, int bank)
{
    if (cu < s->ncu && arg < LP_SGD_NARGS)
        s->bank[cu][arg] = bank;
}

void lp_stream_counts(const lp_stream_t *s, uint64_t *started, uint64_t *completed)
{
    *started = *completed = 0;
    for (unsigned c = 0; c < s->ncu; c++)
        *started += s->cu[c].started, *completed += s->cu[c].completed;
}

/* A buffer of at least `size` bytes in CU c's bank for argument arg (reallocated when too small). */
static int need(lp_stream_t *s, unsigned c, lp_dbuf_t *b, size_t size, unsigned arg, lp_err_t *err)
{
    size = size < 64 ? 64 : (size + 4095) & ~(size_t)4095;
    if (b->h && b->size >= size)
        return 0;
    s->ops->release(s->dev, b, 0);
    memset(b, 0, sizeof *b);
    return s->ops->alloc(s->dev, b, size, s->bank[c][arg], lp_sgd_args[arg].name, err);
}

static int sync(lp_stream_t *s, lp_dbuf_t *b, int to_device, size_t bytes, lp_err_t *err)
{
    return s->ops->sync(s->dev, b, to_device, bytes < 64 ? 64 : bytes, err);
}

/* Refuses every run once a kernel may still be working on the stream's buffers. */
static int usable(lp_stream_t *s, unsigned c, lp_err_t *err)
{
    if (c >= s->ncu)
        return lp_fail(err, "%s: there is no CU %u (the xclbin has %u)", s->name, c + 1, s->ncu);
    if (s->wedged)
        return lp_fail(err, "%s: a CU of the kernel did not stop after a timeout: this backend runs nothing more "
                            "(its buffers stay allocated); reset the card with xbutil reset and start again", s->name);
    return 0;
}

/* Set the seven arguments of CU c's slot k and start its run. */
static int start(lp_stream_t *s, unsigned c, unsigned k, uint32_t nsteps, uint32_t step0, uint32_t flags,
                 lp_err_t *err)
{
    lp_cu_t *u = &s->cu[c];
    lp_slot_t *sl = &u->slot[k];
    lp_dbuf_t *bufs[4];
    const uint32_t scalars[3] = {nsteps, step0, flags};
    _Static_assert(LP_ARG_CFG == 3 && LP_ARG_NSTEPS == 4 && LP_ARG_STEP0 == 5 && LP_ARG_FLAGS == 6, "argument order");
    bufs[LP_ARG_DATA] = &sl->data, bufs[LP_ARG_MODEL] = &u->model;
    bufs[LP_ARG_STATS] = &sl->stats, bufs[LP_ARG_CFG] = &u->cfg;
    if (s->ops->start(s->dev, c, k, bufs, scalars, err) != 0)
        return -1;
    u->started++;
    sl->busy = 1;
    unsigned inflight = 0, cus = 0;
    for (unsigned i = 0; i < s->ncu; i++) {
        unsigned n = s->cu[i].slot[0].busy + s->cu[i].slot[1].busy;
        cus += n > 0;
        if (i == c)
            inflight = n;
    }
    _Static_assert(LP_STREAM_SLOTS == 2, "slots counted above");
    u->peak = inflight > u->peak ? inflight : u->peak;
    s->peak_cus = cus > s->peak_cus ? cus : s->peak_cus;
    return 0;
}

/* Abort every run still on the card; 1 when the device confirmed all of them stopped. */
static int abort_all(lp_stream_t *s, char *what, size_t whatsize)
{
    int confirmed = 1;
    for (unsigned c = 0; c < s->ncu; c++) {
        lp_cu_t *u = &s->cu[c];
        for (unsigned k = 0; k < LP_STREAM_SLOTS; k++) {
            if (!u->slot[k].busy)
                continue;
            if (s->ops->abort(s->dev, c, k, what, whatsize))
                u->slot[k].busy = 0;
            else
                confirmed = 0;
        }
        u->count = 0, u->head = 0, u->loaded = 0; /* the model on the card is no longer known */
    }
    s->wedged |= !confirmed;
    return confirmed;
}

/* Wait for CU c's run in slot k; a run that does not finish in time is aborted (abort_all). */
static int finish(lp_stream_t *s, unsigned c, unsigned k, lp_err_t *err)
{
    lp_slot_t *sl = &s->cu[c].slot[k];
    int st = s->ops->wait(s->dev, c, k, err);
    if (st == LP_DEV_DONE || st == LP_DEV_ENDED) {
        sl->busy = 0;
        s->cu[c].completed += st == LP_DEV_DONE;
        return st == LP_DEV_DONE ? 0 : -1;
    }
    char why[sizeof err->msg], what[64] = "";
    snprintf(why, sizeof why, "%s", err->msg);
    if (abort_all(s, what, sizeof what))
        return lp_fail(err, "%s; aborted with every run on the card, confirmed stopped (%s). Load the model again to "
                            "go on; if the card hangs, reset it with xbutil reset",
                       why, what);
    return lp_fail(err, "%s, and the abort was not confirmed (%s): lpsgd keeps their buffers allocated (the kernel may "
                        "still write them) and runs nothing more on this card; reset it with xbutil reset",
                   why, what);
}

/* ---- the training entries, on one CU --------------------------------------------- */

static size_t chunk_bytes(const uint32_t *cfg, uint32_t nsteps)
{
    return (size_t)nsteps * cfg[LP_CFG_BATCH] * LP_SGD_ROW_WORDS((size_t)cfg[LP_CFG_D]) * 4u;
}

static size_t model_bytes(const uint32_t *cfg)
{
    return (size_t)LP_SGD_MODEL_WORDS(cfg[LP_CFG_K], cfg[LP_CFG_D]) * 4u;
}

/* Slot k's buffers, at least 64 bytes (a run's arguments are set whether it uses them or not). */
static int slot_bufs(lp_stream_t *s, unsigned c, unsigned k, size_t data, size_t stats, lp_err_t *err)
{
    lp_slot_t *sl = &s->cu[c].slot[k];
    return need(s, c, &sl->data, data, LP_ARG_DATA, err) || need(s, c, &sl->stats, stats, LP_ARG_STATS, err) ? -1
                                                                                                             : 0;
}

/* cfg and model to CU c, and its LOAD run started in slot 0. */
static int load_begin(lp_stream_t *s, unsigned c, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    const char *why;
    if (usable(s, c, err))
        return -1;
    lp_cu_t *u = &s->cu[c];
    if (u->count)
        return lp_fail(err, "%s: train_load while %u run(s) are outstanding (call train_wait first)", s->name,
                       u->count);
    if (lp_sgd_check_cfg(cfg, &why) != LP_SGD_OK)
        return lp_fail(err, "%s: %s", s->name, why);
    memcpy(u->cfgw, cfg, sizeof u->cfgw);
    u->loaded = 0; /* until this LOAD completes: a failed one leaves no model to train */
    size_t mbytes = model_bytes(cfg);
    if (need(s, c, &u->cfg, sizeof u->cfgw, LP_ARG_CFG, err) || need(s, c, &u->model, mbytes, LP_ARG_MODEL, err) ||
        slot_bufs(s, c, 0, 64, 64, err))
        return -1;
    memcpy(u->cfg.map, u->cfgw, sizeof u->cfgw);
    memcpy(u->model.map, model, mbytes);
    u->head = 0;
    return sync(s, &u->cfg, 1, sizeof u->cfgw, err) || sync(s, &u->model, 1, mbytes, err) ||
                   start(s, c, 0, 0, 0, LP_SGD_FLAG_LOAD, err)
               ? -1
               : 0;
}

static int load_end(lp_stream_t *s, unsigned c, lp_err_t *err)
{
    if (finish(s, c, 0, err))
        return -1;
    s->cu[c].loaded = 1;
    return 0;
}

int lp_stream_load(lp_stream_t *s, unsigned c, const uint32_t *cfg, const float *model, lp_err_t *err)
{
    return load_begin(s, c, cfg, model, err) || load_end(s, c, err) ? -1 : 0;
}

int lp_stream_submit(lp_stream_t *s, unsigned c, const uint32_t *data, uint32_t nsteps, uint32_t step0,
                     lp_err_t *err)
{
    if (usable(s, c, err))
        return -1;
    lp_cu_t *u = &s->cu[c];
    if (!u->loaded)
        return lp_fail(err, "%s: train_submit before train_load", s->name);
    if (u->count == LP_STREAM_SLOTS)
        return lp_fail(err, "%s: %d runs are already outstanding (call train_wait first)", s->name, LP_STREAM_SLOTS);
    unsigned k = (u->head + u->count) % LP_STREAM_SLOTS;
    lp_slot_t *sl = &u->slot[k];
    size_t bytes = chunk_bytes(u->cfgw, nsteps);
    if (slot_bufs(s, c, k, bytes, (size_t)nsteps * LP_SGD_REC_WORDS * 4u, err))
        return -1;
    if (bytes)
        memcpy(sl->data.map, data, bytes);
    if (sync(s, &sl->data, 1, bytes, err) || start(s, c, k, nsteps, step0, 0, err))
        return -1;
    sl->nsteps = nsteps;
    u->count++;
    return 0;
}

int lp_stream_wait(lp_stream_t *s, unsigned c, uint32_t *records, lp_err_t *err)
{
    if (c >= s->ncu || !s->cu[c].count)
        return lp_fail(err, "%s: train_wait without a submitted run", s->name);
    lp_cu_t *u = &s->cu[c];
    unsigned k = u->head;
    lp_slot_t *sl = &u->slot[k];
    u->head = (u->head + 1) % LP_STREAM_SLOTS;
    u->count--;
    if (finish(s, c, k, err))
        return -1;
    size_t bytes = (size_t)sl->nsteps * LP_SGD_REC_WORDS * 4u;
    if (sync(s, &sl->stats, 0, bytes, err))
        return -1;
    if (bytes)
        memcpy(records, sl->stats.map, bytes);
    if (sl->nsteps && records[0] == LP_SGD_REC_BADCFG)
        return lp_fail(err, "%s: the kernel on the card refused the configuration block: the xclbin and lpsgd come "
                            "from different versions; rebuild the xclbin",
                       s->name);
    return 0;
}

/* CU c's STORE run started, in the slot whose turn it is. */
static int read_begin(lp_stream_t *s, unsigned c, lp_err_t *err)
{
    if (usable(s, c, err))
        return -1;
    lp_cu_t *u = &s->cu[c];
    if (!u->loaded || u->count)
        return lp_fail(err, "%s: train_read needs a loaded model and no outstanding run", s->name);
    /* this slot may be unused so far */
    return slot_bufs(s, c, u->head, 64, 64, err) || start(s, c, u->head, 0, 0, LP_SGD_FLAG_STORE, err) ? -1 : 0;
}

static int read_end(lp_stream_t *s, unsigned c, float *model, lp_err_t *err)
{
    lp_cu_t *u = &s->cu[c];
    size_t mbytes = model_bytes(u->cfgw);
    if (finish(s, c, u->head, err) || sync(s, &u->model, 0, mbytes, err))
        return -1;
    memcpy(model, u->model.map, mbytes);
    return 0;
}

int lp_stream_read(lp_stream_t *s, unsigned c, float *model, lp_err_t *err)
{
    return read_begin(s, c, err) || read_end(s, c, model, err) ? -1 : 0;
}

/* ---- independent jobs across the CUs --------------------------------------------- */

/*
 * A job is a sequence of runs on one CU: phase 0 the LOAD, phases 1..chunks the chunks,
 * phase chunks + 1 the STORE. Each CU has one run in flight; the runs are waited for in
 * the order they started, and a CU whose job is done takes the next job.
 */
typedef struct {
    lp_train_job_t *job;
    uint32_t phase;
} cu_job_t;

static int phase_begin(lp_stream_t *s, unsigned c, const cu_job_t *w, lp_err_t *err)
{
    const lp_train_job_t *j = w->job;
    if (w->phase == 0)
        return load_begin(s, c, j->cfg, j->model, err);
    if (w->phase > j->chunks)
        return read_begin(s, c, err);
    uint32_t k = w->phase - 1;
    size_t words = chunk_bytes(j->cfg, j->steps) / 4u;
    return lp_stream_submit(s, c, j->data + k * words, j->steps, k * j->steps, err);
}

static int phase_end(lp_stream_t *s, unsigned c, const cu_job_t *w, lp_err_t *err)
{
    const lp_train_job_t *j = w->job;
    if (w->phase == 0)
        return load_end(s, c, err);
    if (w->phase > j->chunks)
        return read_end(s, c, j->model_out, err);
    return lp_stream_wait(s, c, j->records + (size_t)(w->phase - 1) * j->steps * LP_SGD_REC_WORDS, err);
}

/* After a failure: wait for the runs still in flight (not when wedged: they may never end). */
static void drain(lp_stream_t *s)
{
    lp_err_t ignored;
    for (unsigned c = 0; c < s->ncu && !s->wedged; c++)
        for (unsigned k = 0; k < LP_STREAM_SLOTS; k++)
            if (s->cu[c].slot[k].busy)
                finish(s, c, k, &ignored);
    for (unsigned c = 0; c < s->ncu; c++)
        s->cu[c].count = 0, s->cu[c].head = 0, s->cu[c].loaded = 0;
}

int lp_stream_jobs(lp_stream_t *s, lp_train_job_t *jobs, unsigned njobs, lp_err_t *err)
{
    cu_job_t w[LP_STREAM_MAX_CUS];
    unsigned order[LP_STREAM_MAX_CUS], nin = 0, next = 0; /* CUs in flight, oldest first */
    for (unsigned c = 0; c < s->ncu; c++)
        if (s->cu[c].count)
            return lp_fail(err, "%s: train_jobs while runs are outstanding (call train_wait first)", s->name);
    for (unsigned c = 0; c < s->ncu && next < njobs; c++) {
        w[c].job = &jobs[next++], w[c].phase = 0;
        if (phase_begin(s, c, &w[c], err))
            return drain(s), -1;
        order[nin++] = c;
    }
    while (nin) {
        unsigned c = order[0];
        memmove(order, order + 1, --nin * sizeof order[0]);
        if (phase_end(s, c, &w[c], err))
            return drain(s), -1;
        if (++w[c].phase > w[c].job->chunks + 1) { /* the job is done: the CU takes the next */
            w[c].job->unit = c;
            if (next == njobs)
                continue;
            w[c].job = &jobs[next++], w[c].phase = 0;
        }
        if (phase_begin(s, c, &w[c], err))
            return drain(s), -1;
        order[nin++] = c;
    }
    return 0;
}

void lp_stream_close(lp_stream_t *s)
{
    lp_err_t ignored;
    for (unsigned c = 0; c < s->ncu && !s->wedged; c++) /* runs the caller did not wait for */
        for (unsigned k = 0; k < LP_STREAM_SLOTS; k++)
            if (s->cu[c].slot[k].busy)
                finish(s, c, k, &ignored);
    for (unsigned c = 0; c < s->ncu; c++) { /* never free a buffer a kernel may still use */
        lp_cu_t *u = &s->cu[c];
        for (unsigned k = 0; k < LP_STREAM_SLOTS; k++) {
            s->ops->release(s->dev, &u->slot[k].data, u->slot[k].busy);
            s->ops->release(s->dev, &u->slot[k].stats, u->slot[k].busy);
        }
        s->ops->release(s->dev, &u->model, s->wedged);
        s->ops->release(s->dev, &u->cfg, s->wedged);
    }
}
