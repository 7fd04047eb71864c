/*
 * train.c - the training loop (see train.h).
 */
#include "train.h"
#include "outputs.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format/lp_bits.h"
#include "io/lp_file.h"
#include "io/lp_io.h"
#include "quant/lp_quant.h"

const char *const lp_model_names[] = {"lsq", "logistic", "softmax", "hinge", NULL};
const char *const lp_sched_names[] = {"const", "inverse", "halving", NULL};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void lp_train_opts_default(lp_train_opts_t *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->data_spec, sizeof o->data_spec, "fashion-mnist");
    o->model = LP_MODEL_SOFTMAX;
    o->q = lp_qcfg_default(lp_format_preset(LP_FMT_FP32));
    o->sched = LP_SCHED_CONST;
    o->lr = 0.1f;
    o->gamma = 0.0f;
    o->period = 1000;
    o->batch = 64;
    o->epochs = 5;
    o->lambda = 1e-4f;
    o->chunk = 64;
}

void lp_train_result_free(lp_train_result_t *r)
{
    free(r->model);
    free(r->evals);
    free(r->q_norm);
    free(r->q_proj);
    free(r->underflow_pct);
    free(r->qg2);
    free(r->epochs);
    memset(r, 0, sizeof *r);
}

int lp_train_make_cfg(const lp_train_opts_t *o, const lp_data_t *data, uint32_t cfg[LP_SGD_CFG_WORDS],
                      lp_err_t *err)
{
    const lp_dataset_t *tr = &data->train;
    uint32_t K = 1, d = tr->d, D = (d + 1 + LP_SGD_LANES - 1) / LP_SGD_LANES * LP_SGD_LANES;
    const char *why;
    if (o->model == LP_MODEL_SOFTMAX) {
        if (tr->task != LP_TASK_CLASSIFICATION || tr->classes < 2 || tr->classes > LP_SGD_MAX_CLASSES)
            return lp_fail(err, "--model softmax needs a classification data set with 2..16 classes "
                                "('%s' has %s%u classes)",
                           data->name, tr->task == LP_TASK_CLASSIFICATION ? "" : "regression targets, ",
                           tr->classes);
        K = tr->classes;
    } else if (o->model == LP_MODEL_LOGISTIC || o->model == LP_MODEL_HINGE) {
        if (tr->task != LP_TASK_CLASSIFICATION || tr->classes != 2)
            return lp_fail(err, "--model %s needs binary labels (2 classes; '%s' has %u): use --model softmax "
                                "for more classes",
                           lp_model_names[o->model], data->name, tr->classes);
    } else if (o->model != LP_MODEL_LSQ) {
        return lp_fail(err, "unknown model %u", o->model);
    }
    if (D > LP_SGD_MAX_DIM || K * D > LP_SGD_MAX_WORDS)
        return lp_fail(err, "'%s' has %u features x %u outputs: the kernel holds at most %u weights "
                            "(K * D, D = features + bias rounded up to 16) and D <= %u",
                       data->name, d, K, LP_SGD_MAX_WORDS, LP_SGD_MAX_DIM);
    if (o->batch == 0 || o->batch > tr->n || o->batch > LP_SGD_MAX_BATCH)
        return lp_fail(err, "--batch %u: must be 1..%u (the training rows, at most %u)", o->batch,
                       tr->n < LP_SGD_MAX_BATCH ? tr->n : LP_SGD_MAX_BATCH, LP_SGD_MAX_BATCH);
    memset(cfg, 0, LP_SGD_CFG_WORDS * sizeof(uint32_t));
    cfg[LP_CFG_MAGIC] = LP_SGD_CFG_MAGIC;
    cfg[LP_CFG_VERSION] = LP_SGD_CFG_VERSION;
    cfg[LP_CFG_MODEL] = o->model;
    cfg[LP_CFG_K] = K;
    cfg[LP_CFG_D] = D;
    cfg[LP_CFG_BATCH] = o->batch;
    cfg[LP_CFG_SCHED] = o->sched;
    cfg[LP_CFG_LR] = lp_f32_bits(o->lr);
    cfg[LP_CFG_GAMMA] = lp_f32_bits(o->gamma);
    cfg[LP_CFG_PERIOD] = o->period;
    cfg[LP_CFG_LAMBDA] = lp_f32_bits(o->lambda);
    cfg[LP_CFG_OPTIONS] = o->compensate ? LP_CFG_COMPENSATE : 0u;
    lp_sgd_cfg_set_format(cfg, &o->q.fmt);
    cfg[LP_CFG_QOPT] = (uint32_t)o->q.rounding | (uint32_t)o->q.overflow << 8 | (uint32_t)o->q.subnormals << 16 |
                       (uint32_t)o->q.scale << 24;
    cfg[LP_CFG_SEED] = o->q.seed;
    if (lp_sgd_check_cfg(cfg, &why) != LP_SGD_OK)
        return lp_fail(err, "%s", why);
    return 0;
}

void lp_train_opts_from_ckpt(const lp_ckpt_t *c, lp_train_opts_t *o)
{
    const uint32_t *cfg = c->cfg;
    memcpy(o->data_spec, c->data_spec, sizeof o->data_spec);
    o->data_spec[sizeof o->data_spec - 1] = '\0';
    o->model = cfg[LP_CFG_MODEL];
    o->q.fmt.kind = (uint8_t)(cfg[LP_CFG_FMT0] & 0xFF);
    o->q.fmt.exp_bits = (uint8_t)(cfg[LP_CFG_FMT0] >> 8);
    o->q.fmt.man_bits = (uint8_t)(cfg[LP_CFG_FMT0] >> 16);
    o->q.fmt.specials = (uint8_t)(cfg[LP_CFG_FMT0] >> 24);
    o->q.fmt.bias = (int16_t)cfg[LP_CFG_FMT1];
    o->q.fmt.width = (uint8_t)(cfg[LP_CFG_FMT2] & 0xFF);
    o->q.fmt.frac = (uint8_t)(cfg[LP_CFG_FMT2] >> 8);
    o->q.rounding = (uint8_t)(cfg[LP_CFG_QOPT] & 0xFF);
    o->q.overflow = (uint8_t)(cfg[LP_CFG_QOPT] >> 8);
    o->q.subnormals = (uint8_t)(cfg[LP_CFG_QOPT] >> 16);
    o->q.scale = (uint8_t)(cfg[LP_CFG_QOPT] >> 24);
    o->q.seed = cfg[LP_CFG_SEED];
    o->seed = cfg[LP_CFG_SEED];
    o->sched = cfg[LP_CFG_SCHED];
    o->lr = lp_bits_f32(cfg[LP_CFG_LR]);
    o->gamma = lp_bits_f32(cfg[LP_CFG_GAMMA]);
    o->period = cfg[LP_CFG_PERIOD];
    o->batch = cfg[LP_CFG_BATCH];
    o->lambda = lp_bits_f32(cfg[LP_CFG_LAMBDA]);
    o->compensate = (cfg[LP_CFG_OPTIONS] & LP_CFG_COMPENSATE) != 0;
    o->epochs = c->epochs;
    o->eval_every = c->eval_every;
    o->chunk = c->chunk;
}

/* ---- data packing --------------------------------------------------------------------- */

static void pack_row(uint32_t *dst, const lp_dataset_t *ds, uint32_t r, uint32_t D)
{
    memset(dst, 0, LP_SGD_ROW_WORDS(D) * sizeof(uint32_t));
    dst[0] = lp_f32_bits(ds->y[r]);
    memcpy(dst + LP_SGD_LANES, ds->x + (size_t)r * ds->d, ds->d * sizeof(float));
    dst[LP_SGD_LANES + ds->d] = lp_f32_bits(1.0f);
}

/* Epoch e's order of the n training rows (Fisher-Yates on the counter-based hash). */
static void shuffle(uint32_t *perm, uint32_t n, uint32_t seed, uint32_t epoch)
{
    for (uint32_t i = 0; i < n; i++)
        perm[i] = i;
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = lp_sr_hash(seed ^ LP_TRAIN_SHUFFLE_SALT, epoch, i) % (i + 1u);
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* ---- evaluation (host side, not part of the datapath) -------------------------------- */

void lp_train_eval(const uint32_t *cfg, const float *model, const lp_dataset_t *ds, double *loss, double *acc)
{
    uint32_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], m = cfg[LP_CFG_MODEL];
    double lambda = lp_bits_f32(cfg[LP_CFG_LAMBDA]), reg = 0, sum = 0;
    uint64_t right = 0;
    float *row = calloc(D, sizeof(float)), z[LP_SGD_MAX_CLASSES];
    if (!row || ds->n == 0) {
        *loss = *acc = NAN;
        free(row);
        return;
    }
    for (uint32_t i = 0; i < K * D; i++)
        reg += (double)model[i] * model[i];
    for (uint32_t r = 0; r < ds->n; r++) {
        memcpy(row, ds->x + (size_t)r * ds->d, ds->d * sizeof(float));
        row[ds->d] = 1.0f;
        lp_sgd_forward(model, row, K, D, z);
        double y = ds->y[r];
        if (m == LP_MODEL_LSQ) {
            sum += 0.5 * (z[0] - y) * (z[0] - y);
        } else if (m == LP_MODEL_SOFTMAX) {
            uint32_t c = (uint32_t)y, best = 0;
            double mx = z[0], se = 0;
            for (uint32_t k = 1; k < K; k++) {
                best = z[k] > z[best] ? k : best;
                mx = z[k] > mx ? z[k] : mx;
            }
            for (uint32_t k = 0; k < K; k++)
                se += exp(z[k] - mx);
            sum += mx + log(se) - z[c];
            right += best == c;
        } else {
            double s = y > 0.5 ? 1.0 : -1.0, t = -s * z[0];
            right += (z[0] >= 0.0f) == (y > 0.5);
            if (m == LP_MODEL_LOGISTIC)
                sum += t > 0 ? t + log1p(exp(-t)) : log1p(exp(t));
            else
                sum += 1.0 + t > 0 ? 1.0 + t : 0.0;
        }
    }
    *loss = sum / ds->n + 0.5 * lambda * reg;
    *acc = m == LP_MODEL_LSQ ? NAN : (double)right / ds->n;
    free(row);
}

/* ---- the loop ------------------------------------------------------------------------- */

static void csv_num(FILE *f, double v)
{
    if (isnan(v))
        fputs(",", f);
    else
        fprintf(f, ",%.9g", v);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

/* What every checkpoint of a run shares. */
typedef struct {
    const char *path;
    const uint32_t *cfg;
    const lp_train_opts_t *o;
    const lp_data_t *data;
    uint64_t digest;
    lp_train_out_t *out;
    const char *log_path;
} ck_ctx_t;

/* Checkpoint at next_step: the log is flushed and fsync'ed first, its length recorded. */
static int write_ckpt(const ck_ctx_t *x, uint64_t next_step, float *model, lp_err_t *err)
{
    lp_ckpt_t c;
    memset(&c, 0, sizeof c);
    if (lp_train_out_sync(x->out, x->log_path, &c.log_len, err) != 0)
        return -1;
    memcpy(c.cfg, x->cfg, sizeof c.cfg);
    memcpy(c.data_spec, x->o->data_spec, sizeof c.data_spec);
    c.K = x->cfg[LP_CFG_K];
    c.D = x->cfg[LP_CFG_D];
    c.d = x->data->train.d;
    c.n_train = x->data->train.n;
    c.n_test = x->data->test.n;
    c.classes = x->data->train.classes;
    c.next_step = next_step;
    c.epochs = x->o->epochs;
    c.eval_every = x->o->eval_every;
    c.chunk = x->o->chunk;
    c.data_digest = x->digest;
    c.model = model;
    return lp_ckpt_write(x->path, &c, err);
}

static uint64_t fnv_word(uint64_t h, uint32_t w)
{
    for (int b = 0; b < 4; b++) {
        h ^= (w >> (8 * b)) & 0xFFu;
        h *= 0x100000001B3ull;
    }
    return h;
}

static uint64_t fnv_split(uint64_t h, const lp_dataset_t *ds)
{
    h = fnv_word(fnv_word(fnv_word(fnv_word(h, ds->n), ds->d), ds->classes), (uint32_t)ds->task);
    size_t nx = (size_t)ds->n * ds->d;
    for (size_t i = 0; i < nx; i++)
        h = fnv_word(h, lp_f32_bits(ds->x[i]));
    for (size_t i = 0; i < ds->n; i++)
        h = fnv_word(h, lp_f32_bits(ds->y[i]));
    return h;
}

uint64_t lp_train_data_digest(const lp_data_t *data)
{
    return fnv_split(fnv_split(0xCBF29CE484222325ull, &data->train), &data->test);
}

/* A checkpoint continues only the run it came from: same options, same data. */
static int check_resume(const lp_ckpt_t *r, const uint32_t *cfg, const lp_data_t *data, uint64_t digest,
                        lp_err_t *err)
{
    const lp_dataset_t *tr = &data->train;
    if (memcmp(r->cfg, cfg, sizeof r->cfg) != 0) {
        unsigned w = 0;
        while (w < LP_SGD_CFG_WORDS && r->cfg[w] == cfg[w])
            w++;
        return lp_fail(err, "--resume: the checkpoint was written with different training options "
                            "(configuration word %u differs); resume with the same options or start afresh", w);
    }
    if (r->d != tr->d || r->n_train != tr->n || r->n_test != data->test.n || r->classes != tr->classes)
        return lp_fail(err, "--resume: the checkpoint was written for data of %u + %u rows x %u features "
                            "(%u classes), '%s' has %u + %u x %u (%u classes)",
                       r->n_train, r->n_test, r->d, r->classes, data->name, tr->n, data->test.n, tr->d, tr->classes);
    if (r->data_digest != digest)
        return lp_fail(err, "--resume: train data differ from the checkpoint's (digest %016llx, checkpoint has "
                            "%016llx): '%s' has the same shape but other values; resume on the run's own data",
                       (unsigned long long)digest, (unsigned long long)r->data_digest, data->name);
    return 0;
}

/* The state of one lp_train_run. */
typedef struct {
    const lp_train_opts_t *o;
    const lp_data_t *data;
    const lp_backend_ops_t *ops;
    lp_backend_t *be;
    const lp_train_io_t *io;
    lp_train_result_t *res;
    lp_err_t *err;
    uint32_t cfg[LP_SGD_CFG_WORDS];
    uint32_t S, B, D, rw, chunk;
    uint64_t k, total;       /* steps done, steps of the whole run                    */
    double n_real, te;       /* real gradient entries K*(d+1); when the epoch began   */
    int tty, row_open;       /* the last CSV row still lacks its evaluation columns   */
    FILE *log;
    lp_train_out_t out;
    ck_ctx_t ckx;
    uint32_t cur_epoch;      /* UINT32_MAX: none begun since the last epoch's end     */
    uint32_t *perm, *buf[2], *rec;
    lp_epoch_t ep;
    uint64_t ep_steps, ep_under;
    size_t cap_steps, cap_evals, cap_epochs;
} run_t;

/* The epoch that ended at step k: its summary, table line and checkpoint. */
static int end_epoch(run_t *r, const lp_eval_t *ev)
{
    lp_epoch_t *ep = &r->ep;
    lp_train_result_t *res = r->res;
    ep->eval = *ev;
    ep->seconds = now_s() - r->te;
    r->te = now_s();
    ep->q_norm_mean /= (double)r->ep_steps;
    ep->q_proj_mean /= (double)r->ep_steps;
    ep->lr_mean /= (double)r->ep_steps;
    ep->underflow_pct = 100.0 * (double)r->ep_under / ((double)r->ep_steps * r->n_real);
    if (grow((void **)&res->epochs, &r->cap_epochs, res->nepochs + 1, sizeof *ep))
        return lp_fail(r->err, "out of memory"), 1;
    res->epochs[res->nepochs++] = *ep;
    if (r->tty)
        fprintf(stderr, "\r%60s\r", "");
    if (r->io->table) {
        fprintf(r->io->table,
                "epoch %3u/%u  loss %.5f  test %s %.4f  q_norm min/mean %.4f/%.4f  q_proj min/mean "
                "%.4f/%.4f  underflow %.2f%%  %.2f s\n",
                ep->epoch, r->o->epochs, lp_num_shown(ev->train_loss), isnan(ev->test_acc) ? "loss" : "acc",
                lp_num_shown(isnan(ev->test_acc) ? ev->test_loss : ev->test_acc), lp_num_shown(ep->q_norm_min),
                lp_num_shown(ep->q_norm_mean), lp_num_shown(ep->q_proj_min), lp_num_shown(ep->q_proj_mean),
                ep->underflow_pct, ep->seconds);
        fflush(r->io->table);
    }
    r->cur_epoch = UINT32_MAX;
    if (r->io->ckpt_path && write_ckpt(&r->ckx, r->k, r->res->model, r->err) != 0)
        return 2;
    return 0;
}

/* Evaluate the model at step k (CSV columns, divergence check, epoch end). */
static int evaluate(run_t *r)
{
    lp_train_result_t *res = r->res;
    lp_eval_t ev;
    if (r->ops->train_read(r->be, res->model, r->err) != 0)
        return 1;
    ev.step = r->k;
    ev.epoch = (double)r->k / r->S;
    lp_train_eval(r->cfg, res->model, &r->data->train, &ev.train_loss, &ev.train_acc);
    lp_train_eval(r->cfg, res->model, &r->data->test, &ev.test_loss, &ev.test_acc);
    if (grow((void **)&res->evals, &r->cap_evals, res->nevals + 1, sizeof ev))
        return lp_fail(r->err, "out of memory"), 1;
    res->evals[res->nevals++] = ev;
    if (r->log) {
        if (!r->row_open)
            fprintf(r->log, "%llu,%.6f,,,,,,,,,,,", (unsigned long long)r->k, ev.epoch);
        csv_num(r->log, ev.train_loss);
        csv_num(r->log, ev.train_acc);
        csv_num(r->log, ev.test_loss);
        csv_num(r->log, ev.test_acc);
        fputc('\n', r->log);
        r->row_open = 0;
    }
    if (!isfinite(ev.train_loss))
        return lp_fail(r->err, "training diverged: the loss is %s after %llu steps (the weights overflowed); "
                               "lower --lr or use --schedule inverse/halving",
                       isnan(ev.train_loss) ? "NaN" : "infinite", (unsigned long long)r->k), 1;
    if (r->k % r->S == 0 && r->cur_epoch != UINT32_MAX)
        return end_epoch(r, &ev);
    return 0;
}

/* End an open CSV row without evaluation columns. */
static void close_row(run_t *r)
{
    if (r->log && r->row_open)
        fputs(",,,,\n", r->log);
    r->row_open = 0;
}

/* SIGINT/SIGTERM or io->stop_at: checkpoint at step k and say so. */
static int interrupt(run_t *r)
{
    r->res->interrupted = 1;
    close_row(r);
    const char *ck = r->io->ckpt_path;
    if (ck && (r->ops->train_read(r->be, r->res->model, r->err) != 0 ||
               write_ckpt(&r->ckx, r->k, r->res->model, r->err) != 0))
        return 1;
    lp_fail(r->err, "interrupted at step %llu%s%s", (unsigned long long)r->k,
            ck ? "; checkpoint written to " : " (no --checkpoint: progress lost)", ck ? ck : "");
    return 130;
}

/* Room for the per-step statistics of step index idx. */
static int grow_steps(run_t *r, size_t idx)
{
    lp_train_result_t *res = r->res;
    if (idx < r->cap_steps)
        return 0;
    size_t nc = r->cap_steps ? 2 * r->cap_steps : 1024;
    double *a = realloc(res->q_norm, nc * sizeof(double));
    double *b = a ? realloc(res->q_proj, nc * sizeof(double)) : NULL;
    double *c = b ? realloc(res->underflow_pct, nc * sizeof(double)) : NULL;
    double *d = c ? realloc(res->qg2, nc * sizeof(double)) : NULL;
    res->q_norm = a ? a : res->q_norm;
    res->q_proj = b ? b : res->q_proj;
    res->underflow_pct = c ? c : res->underflow_pct;
    res->qg2 = d ? d : res->qg2;
    if (!d)
        return lp_fail(r->err, "out of memory"), 1;
    r->cap_steps = nc;
    return 0;
}

/* The records of the n steps from k: statistics, epoch sums, CSV rows. */
static int take_records(run_t *r, uint32_t n)
{
    lp_train_result_t *res = r->res;
    lp_epoch_t *ep = &r->ep;
    uint32_t model = r->cfg[LP_CFG_MODEL];
    for (uint32_t s = 0; s < n; s++) {
        lp_sgd_rec_t R;
        lp_qstats_t st;
        memcpy(&R, r->rec + (size_t)s * LP_SGD_REC_WORDS, sizeof R);
        memset(&st, 0, sizeof st);
        memcpy(st.sum, R.sum, sizeof st.sum);
        st.n = R.n;
        st.underflow = R.underflow;
        lp_qderived_t dv = lp_qstats_derive(&st);
        double upct = 100.0 * R.underflow / r->n_real;
        size_t idx = (size_t)(r->k + s - res->step_first);
        if (grow_steps(r, idx) != 0)
            return 1;
        res->q_norm[idx] = dv.q_norm;
        res->q_proj[idx] = dv.q_proj;
        res->underflow_pct[idx] = upct;
        res->qg2[idx] = R.sum[LP_SUM_Q2];
        ep->q_norm_min = dv.q_norm < ep->q_norm_min ? dv.q_norm : ep->q_norm_min;
        ep->q_proj_min = dv.q_proj < ep->q_proj_min ? dv.q_proj : ep->q_proj_min;
        ep->q_norm_mean += dv.q_norm;
        ep->q_proj_mean += dv.q_proj;
        ep->lr_mean += R.lr;
        ep->saturated += R.saturated;
        ep->nan += R.nan;
        r->ep_under += R.underflow;
        r->ep_steps++;
        if (!r->log)
            continue;
        double bl = model == LP_MODEL_LSQ || model == LP_MODEL_HINGE ? (double)R.loss / r->B : NAN;
        double ba = model == LP_MODEL_LSQ ? NAN : (double)R.correct / r->B;
        close_row(r);
        fprintf(r->log, "%u,%.6f,%.9g,%.9g,%.9g,%.9g,%.6g,%u,%u,%u,%.9g", R.step + 1, (double)(R.step + 1) / r->S,
                (double)R.lr, lp_num_shown(dv.q_norm), lp_num_shown(dv.q_proj), lp_num_shown(dv.noise), upct,
                R.saturated, R.subnormal, R.nan, lp_num_shown((double)R.q_hat));
        csv_num(r->log, bl);
        csv_num(r->log, ba);
        r->row_open = 1;
    }
    return 0;
}

/* Run the steps from k up to the epoch's end, the next evaluation point or io->stop_at,
 * in chunks, double-buffered: chunk c+1 is packed while chunk c runs. A backend that takes
 * two runs outstanding (train_depth 2) gets chunk c+1 before the wait for chunk c, so its
 * copy to the device overlaps c's run; the steps and their order are the same. */
static int run_segment(run_t *r)
{
    const lp_dataset_t *tr = &r->data->train;
    uint32_t e = (uint32_t)(r->k / r->S), pos = (uint32_t)(r->k % r->S), pend[2] = {0, 0}; /* oldest first */
    int early = r->ops->train_depth >= 2;
    if (e != r->cur_epoch) {
        memset(&r->ep, 0, sizeof r->ep);
        r->ep.epoch = e + 1;
        r->ep.q_norm_min = r->ep.q_proj_min = INFINITY;
        r->ep_steps = r->ep_under = 0;
        r->cur_epoch = e;
        shuffle(r->perm, tr->n, r->o->seed, e);
    }
    uint64_t lim = (uint64_t)e * r->S + r->S, next = r->k, kseg = r->k;
    if (r->o->eval_every) {
        uint64_t ne = (r->k / r->o->eval_every + 1) * r->o->eval_every;
        lim = ne < lim ? ne : lim;
    }
    if (r->io->stop_at && r->io->stop_at < lim)
        lim = r->io->stop_at;
    for (int which = 0;; which ^= 1) {
        uint32_t ns = 0;
        if (next < lim && !lp_sig_caught()) {
            ns = (uint32_t)(lim - next < r->chunk ? lim - next : r->chunk);
            uint32_t p0 = pos + (uint32_t)(next - kseg);
            for (uint32_t s = 0; s < ns; s++)
                for (uint32_t i = 0; i < r->B; i++)
                    pack_row(r->buf[which] + ((size_t)s * r->B + i) * r->rw, tr, r->perm[(size_t)(p0 + s) * r->B + i],
                             r->D);
        }
        if (ns && early) { /* buf[which] is free: the run that used it was waited for */
            if (r->ops->train_submit(r->be, r->buf[which], ns, (uint32_t)next, r->err) != 0)
                return 1;
            pend[1] = ns;
            next += ns;
        }
        if (pend[0]) {
            if (r->ops->train_wait(r->be, r->rec, r->err) != 0 || take_records(r, pend[0]) != 0)
                return 1;
            r->k += pend[0];
            if (r->tty)
                fprintf(stderr, "\repoch %u/%u  %3.0f%%  step %llu ", e + 1, r->o->epochs,
                        100.0 * (double)(r->k - (uint64_t)e * r->S) / r->S, (unsigned long long)r->k);
        }
        pend[0] = pend[1], pend[1] = 0;
        if (ns && !early) {
            if (r->ops->train_submit(r->be, r->buf[which], ns, (uint32_t)next, r->err) != 0)
                return 1;
            pend[0] = ns;
            next += ns;
        }
        if (!pend[0])
            return 0;
    }
}

/* Checks, outputs, buffers and the starting model of a run. 0, or the exit code. */
static int run_begin(run_t *r, const lp_ckpt_t *resume)
{
    const lp_train_opts_t *o = r->o;
    const lp_train_io_t *io = r->io;
    if (!r->ops->train_load || !r->ops->train_submit || !r->ops->train_wait || !r->ops->train_read)
        return lp_fail(r->err, "backend %s cannot train yet (use --backend csim)", r->ops->name), 2;
    if (lp_train_make_cfg(o, r->data, r->cfg, r->err) != 0)
        return 2;
    uint32_t K = r->cfg[LP_CFG_K], mw;
    r->D = r->cfg[LP_CFG_D];
    r->B = o->batch;
    r->S = r->data->train.n / r->B;
    r->rw = LP_SGD_ROW_WORDS(r->D);
    r->chunk = o->chunk ? o->chunk : 64;
    r->total = (uint64_t)r->S * o->epochs;
    r->n_real = (double)K * (r->data->train.d + 1);
    r->cur_epoch = UINT32_MAX;
    mw = LP_SGD_MODEL_WORDS(K, r->D);
    uint64_t digest = lp_train_data_digest(r->data);
    if (resume && check_resume(resume, r->cfg, r->data, digest, r->err) != 0)
        return 2;
    if (lp_train_out_open(&r->out, io->log_path, io->ckpt_path, resume, r->err) != 0)
        return 2;
    r->log = r->out.log;
    ck_ctx_t ckx = {io->ckpt_path, r->cfg, o, r->data, digest, &r->out, io->log_path};
    r->ckx = ckx;
    if (io->table && io->banner) {
        fputs(io->banner, io->table);
        fflush(io->table);
    }
    r->k = resume ? resume->next_step : 0;
    lp_train_result_t *res = r->res;
    res->K = K;
    res->D = r->D;
    res->d = r->data->train.d;
    res->steps_per_epoch = r->S;
    res->step_first = r->k;
    res->model = calloc(mw, sizeof(float));
    r->perm = malloc((size_t)r->data->train.n * sizeof(uint32_t));
    for (int i = 0; i < 2; i++)
        r->buf[i] = malloc((size_t)r->chunk * r->B * r->rw * 4);
    r->rec = malloc((size_t)r->chunk * LP_SGD_REC_WORDS * 4);
    if (!res->model || !r->perm || !r->buf[0] || !r->buf[1] || !r->rec)
        return lp_fail(r->err, "out of memory"), 1;
    if (resume)
        memcpy(res->model, resume->model, mw * sizeof(float));
    else
        res->model[K * r->D] = 1.0f; /* q_hat */
    return r->ops->train_load(r->be, r->cfg, res->model, r->err) != 0;
}

int lp_train_run(const lp_train_opts_t *o, const lp_data_t *data, const lp_backend_ops_t *ops,
                 lp_backend_t *be, const lp_ckpt_t *resume, const lp_train_io_t *io, lp_train_result_t *res,
                 lp_err_t *err)
{
    run_t r;
    memset(&r, 0, sizeof r);
    memset(res, 0, sizeof *res);
    r.o = o;
    r.data = data;
    r.ops = ops;
    r.be = be;
    r.io = io;
    r.res = res;
    r.err = err;
    r.out.ck_lock = -1;
    int rc = run_begin(&r, resume);
    if (rc != 0)
        goto out;
    /* SIGINT, SIGTERM, SIGHUP, SIGPIPE: stop at the next segment with a checkpoint */
    lp_sig_saved_t saved;
    lp_sig_catch(&saved, LP_SIG_STOP);
    r.tty = io->progress && isatty(2);
    double t0 = now_s();
    r.te = t0;
    /* A fresh run evaluates its starting point (CSV row "step 0"). */
    int need_eval = !resume;
    while (1) {
        if (need_eval && (rc = evaluate(&r)) != 0)
            break;
        if (r.k >= r.total)
            break;
        if (lp_sig_caught() || (io->stop_at && r.k >= io->stop_at)) {
            rc = interrupt(&r);
            break;
        }
        if ((rc = run_segment(&r)) != 0)
            break;
        need_eval = r.k % r.S == 0 || (o->eval_every && r.k % o->eval_every == 0);
        if (!need_eval && !lp_sig_caught() && !(io->stop_at && r.k >= io->stop_at))
            close_row(&r);
    }
    close_row(&r);
    res->step_end = r.k;
    res->seconds = now_s() - t0;
    lp_sig_restore(&saved);
    if (rc == 0 && ops->train_read(be, res->model, err) != 0)
        rc = 1;
    if (rc == 0 && io->ckpt_path && r.k == r.total && write_ckpt(&r.ckx, r.k, res->model, err) != 0)
        rc = 2;
out:
    if (lp_train_out_close(&r.out, io->log_path, rc == 0 ? err : NULL) != 0)
        rc = 2;
    free(r.perm);
    free(r.buf[0]);
    free(r.buf[1]);
    free(r.rec);
    return rc;
}
