/*
 * plots.c - the report's PNGs through the one gnuplot driver (host/plot): the widths
 * compared, one picture per width, and the Pareto plot of loss against LUTs (see report.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plot/lp_plot.h"
#include "report.h"

#define BAND "filledcurves fs transparent solid 0.18 noborder"
#define MEAN "lines lw 2"

/* A band (min-max over seeds, no legend entry) and the mean line of a curve into se[0..1]. */
static void band_and_mean(lp_series_t *se, const rp_curve_t *cv, const char *title, int color)
{
    se[0] = (lp_series_t){NULL, cv->x, cv->band, cv->n, BAND, color};
    se[1] = (lp_series_t){title, cv->x, cv->mean, cv->n, MEAN, color};
}

static int plot(const char *dir, const char *name, lp_plot_t *p, lp_err_t *err)
{
    char png[4096];
    snprintf(png, sizeof png, "%s/%s", dir, name);
    p->png = png;
    return lp_plot_png(p, err);
}

/* overview.png: the best stepsize of each width (loss, test) and final loss against lr. */
static int overview(const rp_study_t *s, const char *dir, lp_err_t *err)
{
    size_t W = s->nwidths, nl = 0;
    lp_series_t *sl = calloc(2 * W, sizeof *sl), *st = calloc(2 * W, sizeof *st), *sr = calloc(2 * W, sizeof *sr);
    double *lx = calloc(s->nconfigs + 1, sizeof(double)), *ly = calloc(3 * (s->nconfigs + 1), sizeof(double));
    char(*titles)[500] = calloc(W + 1, sizeof *titles);
    int rc = -1, acc = s->configs[0].has_acc;
    if (!sl || !st || !sr || !lx || !ly || !titles) {
        lp_fail(err, "out of memory");
        goto out;
    }
    double *band = ly + s->nconfigs + 1; /* per width: n minima then n maxima, in ly's tail */
    for (size_t w = 0; w < W; w++) {
        const rp_config_t *b = &s->configs[rp_best_config(s, w)];
        int col = lp_plot_colors[w % LP_PLOT_NCOLORS];
        snprintf(titles[w], sizeof titles[w], "%s (%s)", s->widths[w].key, b->label);
        band_and_mean(&sl[2 * w], &b->curve[RP_C_LOSS], titles[w], col);
        band_and_mean(&st[2 * w], &b->curve[RP_C_TEST], titles[w], col);
        /* final loss against lr: the width's configurations without --compensate, lr ascending */
        size_t n0 = nl, m = 0;
        for (size_t i = 0; i < s->widths[w].nconfigs; i++) {
            const rp_config_t *c = &s->configs[s->widths[w].configs[i]];
            if (c->compensate || strcmp(c->setting, b->setting))
                continue;
            size_t k = nl++;
            while (k > n0 && lx[k - 1] > c->lr) {
                lx[k] = lx[k - 1];
                ly[k] = ly[k - 1];
                k--;
            }
            lx[k] = c->lr;
            ly[k] = c->final_mean;
            m++;
        }
        for (size_t i = 0; i < m; i++) /* the band in lr order: look each lr up again */
            for (size_t j = 0; j < s->widths[w].nconfigs; j++) {
                const rp_config_t *c = &s->configs[s->widths[w].configs[j]];
                if (!c->compensate && !strcmp(c->setting, b->setting) && c->lr == lx[n0 + i]) {
                    band[2 * n0 + i] = c->final_min;
                    band[2 * n0 + m + i] = c->final_max;
                }
            }
        sr[2 * w] = (lp_series_t){NULL, lx + n0, band + 2 * n0, m, BAND, col};
        sr[2 * w + 1] = (lp_series_t){s->widths[w].key, lx + n0, ly + n0, m, "linespoints pt 7 ps 0.8 lw 2", col};
    }
    lp_panel_t panels[3] = {
        {"training loss (best lr per width; band: min-max over seeds)", "step", "train loss", 0, 1, 0, 0, 0, 0,
         "top right", NULL, sl, 2 * W},
        {acc ? "test accuracy (best lr per width)" : "test loss (best lr per width)", "step", acc ? "%" : "loss", 0,
         !acc, 0, 0, 0, 0, acc ? "bottom right" : "top right", NULL, st, 2 * W},
        {"final training loss against the stepsize (no --compensate)", "lr", "final train loss", 1, 1, 0, 0, 0, 0,
         "top right", NULL, sr, 2 * W},
    };
    lp_plot_t p = {NULL, 1800, 560, 1, 3, "widths compared (mean over seeds)", panels, 3};
    rc = plot(dir, "overview.png", &p, err);
out:
    free(sl);
    free(st);
    free(sr);
    free(lx);
    free(ly);
    free(titles);
    return rc;
}

/* width-SLUG.png: loss, test, q_norm/q_proj, underflow, saturation of every configuration. */
static int width_plot(const rp_study_t *s, size_t w, const char *dir, lp_err_t *err)
{
    const rp_width_t *wd = &s->widths[w];
    size_t n = wd->nconfigs;
    lp_series_t *se = calloc(8 * n, sizeof *se);
    if (!se)
        return lp_fail(err, "out of memory");
    lp_series_t *sl = se, *st = se + 2 * n, *sq = se + 4 * n, *su = se + 6 * n, *ss = se + 7 * n;
    int acc = 0;
    for (size_t i = 0; i < n; i++) {
        const rp_config_t *c = &s->configs[wd->configs[i]];
        int col = lp_plot_colors[i % LP_PLOT_NCOLORS];
        acc |= c->has_acc;
        band_and_mean(&sl[2 * i], &c->curve[RP_C_LOSS], c->label, col);
        band_and_mean(&st[2 * i], &c->curve[RP_C_TEST], c->label, col);
        const rp_curve_t *qp = &c->curve[RP_C_QPROJ], *qn = &c->curve[RP_C_QNORM];
        sq[2 * i] = (lp_series_t){c->label, qp->x, qp->mean, qp->n, "lines lw 1.5", col};
        sq[2 * i + 1] = (lp_series_t){NULL, qn->x, qn->mean, qn->n, "lines lw 1 dt 2", col};
        const rp_curve_t *u = &c->curve[RP_C_UNDER], *sa = &c->curve[RP_C_SAT];
        su[i] = (lp_series_t){c->label, u->x, u->mean, u->n, "lines lw 1.5", col};
        ss[i] = (lp_series_t){c->label, sa->x, sa->mean, sa->n, "lines lw 1.5", col};
    }
    lp_panel_t panels[5] = {
        {"training loss (band: min-max over seeds)", "step", "train loss", 0, 1, 0, 0, 0, 0, "top right", NULL, sl,
         2 * n},
        {acc ? "test accuracy" : "test loss", "step", acc ? "%" : "loss", 0, !acc, 0, 0, 0, 0,
         acc ? "bottom right" : "top right", NULL, st, 2 * n},
        {"q_proj (solid) and q_norm (dashed), mean over seeds", "step", "q", 0, 0, 0, 0, 0, 0, "bottom right", NULL,
         sq, 2 * n},
        {"underflow: gradient entries flushed to zero", "step", "% of entries", 0, 0, 0, 0, 0, 0, "top right", NULL,
         su, n},
        {"saturated entries per step", "step", "entries", 0, 0, 0, 0, 0, 0, "top right", NULL, ss, n},
    };
    char name[200], title[240];
    snprintf(name, sizeof name, "width-%s.png", wd->slug);
    snprintf(title, sizeof title, "gradient %s: every stepsize, mean over seeds", wd->key);
    lp_plot_t p = {NULL, 1800, 1040, 2, 3, title, panels, 5};
    int rc = plot(dir, name, &p, err);
    free(se);
    return rc;
}

/* pareto.png: each width's best final loss against the kernel's LUTs for its format. */
static int pareto(const rp_study_t *s, const rp_resources_t *res, const char *dir, lp_err_t *err)
{
    size_t W = s->nwidths, n = 0;
    double *x = calloc(2 * W + 1, sizeof(double)), *y = calloc(2 * W + 1, sizeof(double));
    char *extra = calloc(W + 1, 300);
    if (!x || !y || !extra) {
        free(x);
        free(y);
        free(extra);
        return lp_fail(err, "out of memory");
    }
    size_t el = 0;
    for (size_t w = 0; w < W; w++) {
        const rp_res_row_t *r = rp_resources_find(res, s->widths[w].format);
        if (!r)
            continue;
        size_t k = n++;
        double loss = s->configs[rp_best_config(s, w)].final_mean;
        for (; k > 0 && (x[k - 1] > r->lut || (x[k - 1] == r->lut && y[k - 1] > loss)); k--) {
            x[k] = x[k - 1];
            y[k] = y[k - 1];
        }
        x[k] = r->lut;
        y[k] = loss;
        char key[160];
        snprintf(key, sizeof key, "%s", s->widths[w].key);
        for (char *c = key; *c; c++)
            *c = *c == '\'' ? '"' : *c;
        el += (size_t)snprintf(extra + el, 300, "set label '%s' at %.9g,%.9g offset 0.6,0.6 font ',9'\n", key,
                               r->lut, loss);
    }
    /* the frontier: no other width has both fewer LUTs and a lower loss */
    double *fx = x + W, *fy = y + W, best = INFINITY;
    size_t nf = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] < best) {
            best = y[i];
            fx[nf] = x[i];
            fy[nf++] = y[i];
        }
    lp_series_t se[2] = {{"widths (best lr)", x, y, n, "points pt 7 ps 1.4", -1},
                         {"Pareto frontier", fx, fy, nf, "steps lw 1.5 dt 2", 0xD55E00}};
    lp_panel_t pn = {"final training loss against kernel LUTs (make resources)", "LUT (Yosys estimate)",
                     "final train loss", 0, 1, 0, 0, 0, 0, "top right", extra, se, 2};
    lp_plot_t p = {NULL, 1000, 620, 1, 1, NULL, &pn, 1};
    int rc = plot(dir, "pareto.png", &p, err);
    free(x);
    free(y);
    free(extra);
    return rc;
}

int rp_plots(const rp_study_t *s, const rp_resources_t *res, const char *dir, lp_err_t *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return lp_fail(err, "%s: cannot create: %s", dir, strerror(errno));
    if (s->nconfigs == 0)
        return 0;
    if (overview(s, dir, err))
        return -1;
    for (size_t w = 0; w < s->nwidths; w++)
        if (width_plot(s, w, dir, err))
            return -1;
    int any = 0;
    for (size_t w = 0; res->present && w < s->nwidths; w++)
        any |= rp_resources_find(res, s->widths[w].format) != NULL;
    return any ? pareto(s, res, dir, err) : 0;
}
