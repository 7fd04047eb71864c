/*
 * metrics.c - per configuration, over its seeds: the curves (mean and min-max per step)
 * and the figures of the page's tables (see report.h; definitions in docs/sweep.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MATCH_TOL 1.01 /* "reaches FP32's loss": within 1 % of it */

typedef struct {
    double step, value;
    size_t job; /* order of the seed: sums run in index order */
} point_t;

static int by_step(const void *a, const void *b)
{
    const point_t *p = a, *q = b;
    if (p->step != q->step)
        return p->step < q->step ? -1 : 1;
    return p->job < q->job ? -1 : p->job > q->job;
}

/* Column k of a log row as curve k shows it (NaN: no point). */
static double curve_value(const double *v, int k, int has_acc)
{
    switch (k) {
    case RP_C_LOSS: return v[LP_LOG_TRAIN_LOSS];
    case RP_C_TEST: return has_acc ? 100.0 * v[LP_LOG_TEST_ACC] : v[LP_LOG_TEST_LOSS];
    case RP_C_QNORM: return v[LP_LOG_Q_NORM];
    case RP_C_QPROJ: return v[LP_LOG_Q_PROJ];
    case RP_C_UNDER: return v[LP_LOG_UNDERFLOW];
    default: return v[LP_LOG_SATURATED];
    }
}

/* Curve k of configuration c: every (step, value) of its seeds, sorted, merged per step. */
static int make_curve(const rp_study_t *s, rp_config_t *c, int k)
{
    size_t total = 0, n = 0;
    for (size_t i = 0; i < c->njobs; i++)
        total += s->jobs[c->jobs[i]].log.n;
    point_t *pt = malloc((total ? total : 1) * sizeof *pt);
    rp_curve_t *cv = &c->curve[k];
    if (!pt)
        return -1;
    for (size_t i = 0; i < c->njobs; i++) {
        const lp_log_t *lg = &s->jobs[c->jobs[i]].log;
        for (size_t r = 0; r < lg->n; r++) {
            double y = curve_value(&LP_LOG_AT(lg, r, 0), k, c->has_acc);
            if (!isnan(y))
                pt[n++] = (point_t){LP_LOG_AT(lg, r, LP_LOG_STEP), y, i};
        }
    }
    qsort(pt, n, sizeof *pt, by_step);
    cv->x = malloc((n ? n : 1) * sizeof(double));
    cv->mean = malloc((n ? n : 1) * sizeof(double));
    cv->band = malloc((n ? 2 * n : 1) * sizeof(double));
    if (!cv->x || !cv->mean || !cv->band) {
        free(pt);
        return -1;
    }
    cv->n = 0;
    for (size_t i = 0; i < n;) {
        double sum = 0, lo = pt[i].value, hi = pt[i].value;
        size_t j = i;
        for (; j < n && pt[j].step == pt[i].step; j++) {
            sum += pt[j].value;
            lo = fmin(lo, pt[j].value);
            hi = fmax(hi, pt[j].value);
        }
        cv->x[cv->n] = pt[i].step;
        cv->mean[cv->n] = sum / (double)(j - i);
        cv->band[cv->n] = lo;
        cv->band[n + cv->n] = hi; /* moved down below once the count is known */
        cv->n++;
        i = j;
    }
    memmove(cv->band + cv->n, cv->band + n, cv->n * sizeof(double));
    free(pt);
    return 0;
}

/* Final figures of c over its seeds: the last evaluation of each, and the pooled step stats. */
static void finals(const rp_study_t *s, rp_config_t *c)
{
    double sum = 0, test = 0, qn = 0, qp = 0, un = 0, sat = 0;
    size_t nstep = 0;
    c->final_min = INFINITY;
    c->final_max = -INFINITY;
    c->q_proj_min = INFINITY;
    for (size_t i = 0; i < c->njobs; i++) {
        const lp_log_t *lg = &s->jobs[c->jobs[i]].log;
        const double *last = NULL;
        for (size_t r = 0; r < lg->n; r++) {
            const double *v = &LP_LOG_AT(lg, r, 0);
            if (!isnan(v[LP_LOG_TRAIN_LOSS]))
                last = v;
            if (isnan(v[LP_LOG_Q_PROJ]))
                continue;
            qn += v[LP_LOG_Q_NORM];
            qp += v[LP_LOG_Q_PROJ];
            un += v[LP_LOG_UNDERFLOW];
            sat += v[LP_LOG_SATURATED];
            c->q_proj_min = fmin(c->q_proj_min, v[LP_LOG_Q_PROJ]);
            nstep++;
        }
        sum += last[LP_LOG_TRAIN_LOSS]; /* study.c checked: every done log has an evaluation */
        c->final_min = fmin(c->final_min, last[LP_LOG_TRAIN_LOSS]);
        c->final_max = fmax(c->final_max, last[LP_LOG_TRAIN_LOSS]);
        test += c->has_acc ? last[LP_LOG_TEST_ACC] : last[LP_LOG_TEST_LOSS];
    }
    c->final_mean = sum / (double)c->njobs;
    c->test_final = test / (double)c->njobs;
    c->q_norm_mean = nstep ? qn / (double)nstep : NAN;
    c->q_proj_mean = nstep ? qp / (double)nstep : NAN;
    c->underflow_mean = nstep ? un / (double)nstep : NAN;
    c->saturated_mean = nstep ? sat / (double)nstep : NAN;
    if (!nstep)
        c->q_proj_min = NAN;
    const rp_curve_t *l = &c->curve[RP_C_LOSS];
    size_t k = (l->n + 3) / 4;
    double fl = 0;
    for (size_t i = l->n - k; i < l->n; i++)
        fl += l->mean[i];
    c->floor = fl / (double)k;
}

int rp_metrics(rp_study_t *s, double target_loss, lp_err_t *err)
{
    for (size_t ci = 0; ci < s->nconfigs; ci++) {
        rp_config_t *c = &s->configs[ci];
        for (size_t i = 0; i < c->njobs; i++) {
            const lp_log_t *lg = &s->jobs[c->jobs[i]].log;
            for (size_t r = 0; r < lg->n; r++)
                c->has_acc |= !isnan(LP_LOG_AT(lg, r, LP_LOG_TEST_ACC));
        }
        for (int k = 0; k < RP_NCURVES; k++)
            if (make_curve(s, c, k))
                return lp_fail(err, "out of memory");
        finals(s, c);
        if (!strcmp(s->widths[c->width].format, "fp32") && !(c->final_mean >= s->fp32_best))
            s->fp32_best = c->final_mean;
    }
    s->target_given = !isnan(target_loss);
    s->target = s->target_given ? target_loss : 1.1 * s->fp32_best;
    for (size_t ci = 0; ci < s->nconfigs; ci++) {
        rp_config_t *c = &s->configs[ci];
        const rp_curve_t *l = &c->curve[RP_C_LOSS];
        c->steps_to_target = NAN;
        for (size_t i = 0; i < l->n && !isnan(s->target); i++)
            if (l->mean[i] <= s->target) {
                c->steps_to_target = l->x[i];
                break;
            }
    }
    return 0;
}

double rp_fp32_ref(const rp_study_t *s, const rp_config_t *c)
{
    double ref = NAN;
    for (size_t d = 0; d < s->nconfigs; d++) {
        const rp_config_t *f = &s->configs[d];
        if (!strcmp(s->widths[f->width].format, "fp32") && !f->compensate && f->lr == c->lr &&
            !strcmp(f->setting, c->setting) && !(f->final_mean >= ref))
            ref = f->final_mean;
    }
    return ref;
}

int rp_lr_match(const rp_study_t *s, const rp_config_t *c)
{
    double ref = rp_fp32_ref(s, c);
    if (!strcmp(s->widths[c->width].format, "fp32") || c->compensate || isnan(ref))
        return -3;
    if (c->final_mean <= MATCH_TOL * ref)
        return -1;
    int best = -2;
    for (size_t d = 0; d < s->nconfigs; d++) {
        const rp_config_t *o = &s->configs[d];
        if (o->width == c->width && !o->compensate && !strcmp(o->setting, c->setting) && o->lr > c->lr &&
            o->final_mean <= MATCH_TOL * ref && (best < 0 || o->lr < s->configs[best].lr))
            best = (int)d;
    }
    return best;
}

int rp_best_config(const rp_study_t *s, size_t w)
{
    const rp_width_t *wd = &s->widths[w];
    int best = wd->configs[0];
    for (size_t i = 1; i < wd->nconfigs; i++)
        if (s->configs[wd->configs[i]].final_mean < s->configs[best].final_mean)
            best = wd->configs[i];
    return best;
}
