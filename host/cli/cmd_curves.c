/*
 * cmd_curves.c - `lpsgd curves`: several `lpsgd train --log` CSV files in one picture
 * (training loss and test accuracy vs epoch, q_proj vs epoch), through the one gnuplot
 * driver (host/plot). The demo uses it to compare formats and stepsizes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "plot/lp_plot.h"
#include "train/log_read.h"

#define CV_MAX 16

static void usage(void)
{
    printf("usage: lpsgd curves --plot OUT.png [--title T] LABEL=RUN.csv ...\n\n"
           "Draws up to %d training runs (CSV logs of 'lpsgd train --log') side by side:\n"
           "training loss and test accuracy (or test loss) at the evaluation points, and the\n"
           "per-step q_proj averaged over each 1/20 epoch, all against the epoch.\n\n"
           "example:\n"
           "  lpsgd curves --plot cmp.png fp32=a.csv fp4=b.csv \"fp4, lr x1.3=c.csv\"\n"
           "(the last = of an argument separates the label from the file)\n",
           CV_MAX);
}

typedef struct {
    char label[64];
    double *ex, *loss, *acc, *qx, *qp;
    size_t ne, nq;
    int has_acc;
} cv_run_t;

/* The run's evaluation points and its q_proj averaged per 1/20 epoch, from its log. */
static int load(const char *path, cv_run_t *r, const lp_args_t *a)
{
    lp_log_t log;
    lp_err_t le;
    if (lp_log_read(path, &log, &le))
        return lp_args_error(a, "%s", le.msg);
    size_t n = log.n ? log.n : 1;
    r->ex = malloc(n * sizeof(double));
    r->loss = malloc(n * sizeof(double));
    r->acc = malloc(n * sizeof(double));
    r->qx = malloc(n * sizeof(double));
    r->qp = malloc(n * sizeof(double));
    if (!r->ex || !r->loss || !r->acc || !r->qx || !r->qp) {
        lp_log_free(&log);
        return lp_args_error(a, "out of memory");
    }
    double qsum = 0, qbin = -1;
    size_t qn = 0;
    for (size_t i = 0; i < log.n; i++) {
        const double *v = &LP_LOG_AT(&log, i, 0);
        if (!isnan(v[LP_LOG_TRAIN_LOSS])) {
            r->ex[r->ne] = v[LP_LOG_EPOCH];
            r->loss[r->ne] = v[LP_LOG_TRAIN_LOSS];
            r->acc[r->ne++] = !isnan(v[LP_LOG_TEST_ACC]) ? 100.0 * v[LP_LOG_TEST_ACC] : v[LP_LOG_TEST_LOSS];
        }
        r->has_acc |= !isnan(v[LP_LOG_TEST_ACC]);
        if (!isnan(v[LP_LOG_Q_PROJ])) {
            double bin = floor(v[LP_LOG_EPOCH] * 20.0);
            if (bin != qbin && qn) {
                r->qx[r->nq] = (qbin + 0.5) / 20.0;
                r->qp[r->nq++] = qsum / (double)qn;
                qsum = 0;
                qn = 0;
            }
            qbin = bin;
            qsum += v[LP_LOG_Q_PROJ];
            qn++;
        }
    }
    if (qn) {
        r->qx[r->nq] = (qbin + 0.5) / 20.0;
        r->qp[r->nq++] = qsum / (double)qn;
    }
    lp_log_free(&log);
    return 0;
}

int cmd_curves(int argc, char **argv)
{
    lp_args_t a;
    const char *plot = NULL, *title = "lpsgd: training runs compared";
    cv_run_t runs[CV_MAX];
    size_t n = 0;
    int rc = 2;
    memset(runs, 0, sizeof runs);
    lp_args_begin(&a, "curves", argc, argv);
    while (lp_args_next(&a)) {
        int r;
        if (lp_args_help(&a)) {
            usage();
            return 0;
        }
        if ((r = lp_args_opt(&a, "--plot", &plot)) || (r = lp_args_opt(&a, "--title", &title))) {
            if (r < 0)
                goto out;
            continue;
        }
        if (lp_args_is_option(&a)) {
            rc = lp_args_unknown(&a);
            goto out;
        }
        const char *arg = lp_args_cur(&a), *eq = strrchr(arg, '=');
        if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof runs[0].label) {
            lp_args_error(&a, "'%s': give runs as LABEL=FILE.csv (label up to 63 characters)", arg);
            goto out;
        }
        if (n == CV_MAX) {
            lp_args_error(&a, "at most %d runs", CV_MAX);
            goto out;
        }
        memcpy(runs[n].label, arg, (size_t)(eq - arg));
        if (load(eq + 1, &runs[n], &a))
            goto out;
        n++;
    }
    if (!plot || n == 0) {
        lp_args_error(&a, "need --plot OUT.png and at least one LABEL=RUN.csv (try --help)");
        goto out;
    }
    lp_series_t sl[CV_MAX], sa[CV_MAX], sq[CV_MAX];
    int acc = 0;
    for (size_t i = 0; i < n; i++) {
        int col = lp_plot_colors[i % LP_PLOT_NCOLORS];
        const char *st = i < LP_PLOT_NCOLORS ? "linespoints pt 7 ps 0.5 lw 2" : "linespoints pt 5 ps 0.5 lw 2 dt 2";
        sl[i] = (lp_series_t){runs[i].label, runs[i].ex, runs[i].loss, runs[i].ne, st, col};
        sa[i] = (lp_series_t){runs[i].label, runs[i].ex, runs[i].acc, runs[i].ne, st, col};
        sq[i] = (lp_series_t){runs[i].label, runs[i].qx, runs[i].qp, runs[i].nq, "lines lw 2", col};
        acc |= runs[i].has_acc;
    }
    lp_panel_t panels[3] = {
        {"training loss F(w)", "epoch", "loss", 0, 1, 0, 0, 0, 0, "top right", NULL, sl, n},
        {acc ? "test accuracy" : "test loss", "epoch", acc ? "%" : "loss", 0, !acc, 0, 0, 0, 0, "bottom right", NULL,
         sa, n},
        {"q_proj = <g,Q(g)>/||g||^2 (mean per 1/20 epoch)", "epoch", "q_proj", 0, 0, 0, 0, 0, 0, "bottom left", NULL,
         sq, n},
    };
    lp_plot_t p = {plot, 1800, 560, 1, 3, title, panels, 3};
    lp_err_t err;
    if (lp_plot_png(&p, &err) != 0) {
        fprintf(stderr, "lpsgd curves: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < CV_MAX; i++) {
        free(runs[i].ex);
        free(runs[i].loss);
        free(runs[i].acc);
        free(runs[i].qx);
        free(runs[i].qp);
    }
    return rc;
}
