/*
 * cmd_theory.c - `lpsgd theory`: the paper's Theorem 3 against measurement, on synthetic
 * least squares whose optimum w*, F*, L and c are known (host/data synthetic:).
 *
 * For each gradient format, SGD runs with the constant stepsize alpha on the kernel
 * (lp_train_run, model lsq), and we measure from the kernel's per-step records:
 *   q_min   the smallest per-epoch mean of q_proj = <g,Q(g)>/||g||^2 (Assumption 2(b) bounds
 *           the descent factor in expectation, so an epoch mean estimates it; the per-step
 *           minimum is reported too)
 *   M~      the second moment E||Q(g)||^2 over the second half of the run (Q2 of the records),
 *           where grad F(w_k) is near 0 so E||Q(g)||^2 ~ M~ (Assumption 2(c) at the floor)
 * and evaluate F(w_k) - F* in double every N steps (lp_data_ls_objective). The bound:
 *   floor   = alpha L M~ / (2 c mu_q),  mu_q = q_min (mu = 1: the unquantized g is unbiased)
 *   bound_k = floor + (1 - alpha c mu_q)^(k-1) (F(w_1) - F* - floor)
 * The measured floor is the mean gap over the last quarter of the run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend/backend.h"
#include "cli.h"
#include "io/lp_io.h"
#include "plot/lp_plot.h"
#include "train/train.h"

#define TH_MAXF 12

static void usage(void)
{
    printf("usage: lpsgd theory [--data synthetic:...] [--formats F1,F2,...] [options]\n\n"
           "Checks the paper's Theorem 3 on strongly convex least squares with a known optimum:\n"
           "for each gradient format, SGD at a constant stepsize alpha runs on the kernel; the\n"
           "measured optimality gap F(w_k) - F* is compared with the bound computed from L and c\n"
           "(exact, from the data) and q_min and M~ (measured from the kernel's per-step records):\n"
           "    floor = alpha L M~ / (2 c q_min),  bound_k = floor + (1 - alpha c q_min)^(k-1) (F1 - F* - floor)\n"
           "A smaller q_min (coarser format) should raise the floor and slow the rate.\n\n"
           "options:\n"
           "  --data D            a synthetic: spec (default synthetic:n=4096,d=32,noise=1,cond=4)\n"
           "  --formats LIST      comma-separated formats (default fp32,fp16,fp8_e4m3,fp6_e3m2,fp4_e2m1)\n"
           "  --lr ALPHA          the constant stepsize (default 0.02)\n"
           "  --batch B           rows per minibatch (default 8)\n"
           "  --epochs E          passes over the data (default 12)\n"
           "  --lambda L          L2 weight (default 0.01: strong convexity)\n"
           "  --rounding, --scale, --seed, --subnormals, --overflow, --backend: as for train\n"
           "  --plot FILE.png     gap and bound vs step per format, and the floors vs q_min\n"
           "  --json              the table as JSON\n");
}

typedef struct {
    char name[32];
    double q_min, q_min_step, q_mean, m_tilde, floor_bound, gap_tail, gap1, rate;
    int holds;       /* measured gap <= bound at every evaluation point */
    double *x, *gap, *bound;
    size_t n;
} th_row_t;

int cmd_theory(int argc, char **argv)
{
    lp_args_t a;
    lp_qopts_t q;
    lp_train_opts_t o;
    lp_err_t err;
    const char *formats = "fp32,fp16,fp8_e4m3,fp6_e3m2,fp4_e2m1", *plot_path = NULL;
    int json = 0, rc = 2;
    th_row_t rows[TH_MAXF];
    size_t nrows = 0;
    memset(rows, 0, sizeof rows);
    lp_train_opts_default(&o);
    snprintf(o.data_spec, sizeof o.data_spec, "synthetic:n=4096,d=32,noise=1,cond=4");
    o.model = LP_MODEL_LSQ;
    o.lr = 0.02f;
    o.batch = 8;
    o.epochs = 12;
    o.lambda = 0.01f;
    o.chunk = 256;
    lp_qopts_init(&q);
    lp_args_begin(&a, "theory", argc, argv);
    while (lp_args_next(&a)) {
        const char *v;
        int r;
        double x;
        if (lp_args_help(&a)) {
            usage();
            return 0;
        }
        if ((r = lp_args_qopt(&a, &q, LP_QOPT_ALL & ~(LP_QOPT_STEP | LP_QOPT_FORMAT)))) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--data", &v))) {
            if (r < 0)
                return 2;
            if (strncmp(v, "synthetic", 9) || strlen(v) >= sizeof o.data_spec)
                return lp_args_error(&a, "--data %s: theory needs a synthetic:KEY=V,... source (its optimum is known)",
                                     v);
            snprintf(o.data_spec, sizeof o.data_spec, "%s", v);
            continue;
        }
        if ((r = lp_args_opt(&a, "--formats", &formats))) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--lr", &v))) {
            if (r < 0 || lp_args_double(&a, "--lr", v, 1e-12, 1e3, &x))
                return 2;
            o.lr = (float)x;
            continue;
        }
        if ((r = lp_args_opt(&a, "--lambda", &v))) {
            if (r < 0 || lp_args_double(&a, "--lambda", v, 1e-9, 1e6, &x))
                return 2;
            o.lambda = (float)x;
            continue;
        }
        if ((r = lp_args_opt(&a, "--batch", &v))) {
            if (r < 0 || lp_args_u32(&a, "--batch", v, 1, LP_SGD_MAX_BATCH, &o.batch))
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--epochs", &v))) {
            if (r < 0 || lp_args_u32(&a, "--epochs", v, 1, 100000, &o.epochs))
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--plot", &plot_path))) {
            if (r < 0)
                return 2;
            continue;
        }
        if (lp_args_flag(&a, "--json")) {
            json = 1;
            continue;
        }
        if (lp_args_is_option(&a))
            return lp_args_unknown(&a);
        return lp_args_error(&a, "unexpected argument '%s' (try --help)", lp_args_cur(&a));
    }
    if (lp_qopts_finish(&a, &q))
        return 2;
    /* the format list */
    lp_format_t fmts[TH_MAXF];
    char names[TH_MAXF][32];
    int nf_parsed = 0;
    if (lp_args_format_list(&a, "--formats", formats, fmts, names, TH_MAXF, &nf_parsed))
        return 2;
    size_t nf = (size_t)nf_parsed;
    o.seed = q.cfg.seed;

    const lp_backend_ops_t *ops = lp_backend_find(q.backend, &err);
    if (!ops) {
        fprintf(stderr, "lpsgd theory: %s\n", err.msg);
        return 2;
    }
    if (!ops->train_load) {
        fprintf(stderr, "lpsgd theory: backend %s cannot train yet (use --backend csim)\n", ops->name);
        return 2;
    }
    lp_data_t data;
    char derr[512];
    if (lp_data_load(o.data_spec, o.seed, o.lambda, &data, derr, sizeof derr) != 0) {
        fprintf(stderr, "lpsgd theory: %s\n", derr);
        return 2;
    }
    if (!data.has_truth) {
        fprintf(stderr, "lpsgd theory: %s has no known optimum\n", data.name);
        lp_data_free(&data);
        return 2;
    }
    const lp_truth_t *t = &data.truth;
    uint32_t S = data.train.n / o.batch;
    o.eval_every = S / 8 ? S / 8 : 1;
    if (!json)
        printf("theory: least squares on %s (%u rows, D = %u), L = %.6g, c = %.6g, F* = %.9g, lambda %g, "
               "alpha %g, batch %u, %u epochs (%u steps), rounding %s, scale %s\n",
               data.name, data.train.n, t->d, t->L, t->c, t->f_star, (double)o.lambda, (double)o.lr, o.batch,
               o.epochs, S * o.epochs, lp_rounding_names[q.cfg.rounding], lp_scale_names[q.cfg.scale]);
    if ((double)o.lr * t->L > 1.0 && !json)
        printf("note: alpha * L = %.3g > 1: Theorem 3 needs alpha <= mu_q / (L M~_G); the bound may not apply\n",
               (double)o.lr * t->L);
    rc = 0;
    for (size_t f = 0; f < nf && rc == 0; f++) {
        th_row_t *R = &rows[nrows++];
        snprintf(R->name, sizeof R->name, "%.31s", names[f]);
        o.q = q.cfg;
        o.q.fmt = fmts[f];
        lp_backend_t *be;
        if (ops->open(&be, &q.bopts, &err) != 0) {
            fprintf(stderr, "lpsgd theory: backend %s: %s\n", ops->name, err.msg);
            rc = 1;
            break;
        }
        lp_train_io_t io = {NULL, 1, NULL, NULL, 0};
        lp_train_result_t res;
        int r = lp_train_run(&o, &data, ops, be, NULL, &io, &res, &err);
        ops->close(be);
        if (r != 0) {
            fprintf(stderr, "lpsgd theory: %s: %s\n", R->name, err.msg);
            lp_train_result_free(&res);
            rc = r;
            break;
        }
        /* q_min: smallest epoch-mean q_proj; M~: mean ||Q(g)||^2 over the second half */
        size_t ns = (size_t)(res.step_end - res.step_first);
        R->q_min = INFINITY;
        R->q_min_step = INFINITY;
        for (size_t e = 0; e < res.nepochs; e++)
            R->q_min = res.epochs[e].q_proj_mean < R->q_min ? res.epochs[e].q_proj_mean : R->q_min;
        double qs = 0, m2 = 0;
        size_t nm = 0;
        for (size_t i = 0; i < ns; i++) {
            R->q_min_step = res.q_proj[i] < R->q_min_step ? res.q_proj[i] : R->q_min_step;
            qs += res.q_proj[i];
            if (i >= ns / 2) {
                m2 += res.qg2[i];
                nm++;
            }
        }
        R->q_mean = qs / (double)ns;
        R->m_tilde = m2 / (double)nm;
        double mu_q = R->q_min;
        R->floor_bound = mu_q > 0 ? (double)o.lr * t->L * R->m_tilde / (2 * t->c * mu_q) : INFINITY;
        R->rate = 1 - (double)o.lr * t->c * mu_q;
        /* the gap at every evaluation point, in double */
        R->n = res.nevals;
        R->x = calloc(R->n, sizeof(double));
        R->gap = calloc(R->n, sizeof(double));
        R->bound = calloc(R->n, sizeof(double));
        double tail = 0;
        size_t ntail = 0;
        R->holds = 1;
        for (size_t i = 0; i < R->n; i++) {
            double gap = res.evals[i].train_loss - t->f_star;
            R->x[i] = (double)res.evals[i].step;
            R->gap[i] = gap;
            if (i == 0)
                R->gap1 = gap;
            double kk = (double)res.evals[i].step + 1;
            R->bound[i] = R->floor_bound + pow(R->rate, kk - 1) * (R->gap1 - R->floor_bound);
            if (R->bound[i] < R->floor_bound)
                R->bound[i] = R->floor_bound;
            if (res.evals[i].step * 4 >= (uint64_t)3 * S * o.epochs) {
                tail += gap;
                ntail++;
            }
        }
        R->gap_tail = ntail ? tail / (double)ntail : NAN;
        R->holds = R->gap_tail <= R->floor_bound;
        lp_train_result_free(&res);
    }
    if (rc == 0) {
        if (json) {
            printf("{\"data\": \"%s\", \"L\": ", data.name);
            lp_json_num(stdout, t->L);
            printf(", \"c\": ");
            lp_json_num(stdout, t->c);
            printf(", \"alpha\": ");
            lp_json_num(stdout, o.lr);
            printf(", \"formats\": [");
            for (size_t i = 0; i < nrows; i++) {
                th_row_t *R = &rows[i];
                printf("%s{\"format\": \"%s\", \"q_min\": ", i ? ", " : "", R->name);
                lp_json_num(stdout, R->q_min);
                printf(", \"q_min_step\": ");
                lp_json_num(stdout, R->q_min_step);
                printf(", \"q_mean\": ");
                lp_json_num(stdout, R->q_mean);
                printf(", \"m_tilde\": ");
                lp_json_num(stdout, R->m_tilde);
                printf(", \"floor_bound\": ");
                lp_json_num(stdout, R->floor_bound);
                printf(", \"gap_measured\": ");
                lp_json_num(stdout, R->gap_tail);
                printf(", \"holds\": %s}", R->holds ? "true" : "false");
            }
            printf("]}\n");
        } else {
            printf("\n%-10s %9s %9s %9s %11s %12s %12s %7s  %s\n", "format", "q_min", "q_step_min", "q_mean",
                   "M~", "floor bound", "gap measured", "ratio", "holds");
            for (size_t i = 0; i < nrows; i++) {
                th_row_t *R = &rows[i];
                printf("%-10s %9.5f %9.5f %9.5f %11.5g %12.5g %12.5g %7.3f  %s\n", R->name, lp_num_shown(R->q_min),
                       lp_num_shown(R->q_min_step), lp_num_shown(R->q_mean), lp_num_shown(R->m_tilde),
                       lp_num_shown(R->floor_bound), lp_num_shown(R->gap_tail),
                       lp_num_shown(R->gap_tail / R->floor_bound), R->holds ? "yes" : "NO");
            }
            printf("(q_min: smallest epoch-mean q_proj; M~: mean ||Q(g)||^2 over the second half; gap measured: "
                   "mean F(w_k)-F* over the last quarter)\n");
        }
        if (plot_path) {
            lp_series_t s[2 * TH_MAXF], fl[2];
            double qx[TH_MAXF], fb[TH_MAXF], fm[TH_MAXF];
            char lab[2 * TH_MAXF][64];
            for (size_t i = 0; i < nrows; i++) {
                int col = lp_plot_colors[i % LP_PLOT_NCOLORS];
                snprintf(lab[2 * i], sizeof lab[0], "%.31s gap", rows[i].name);
                snprintf(lab[2 * i + 1], sizeof lab[0], "%.31s bound", rows[i].name);
                s[2 * i] = (lp_series_t){lab[2 * i], rows[i].x, rows[i].gap, rows[i].n, "lines lw 2", col};
                s[2 * i + 1] = (lp_series_t){lab[2 * i + 1], rows[i].x, rows[i].bound, rows[i].n, "lines dt 2 lw 2", col};
                qx[i] = rows[i].q_min;
                fb[i] = rows[i].floor_bound;
                fm[i] = rows[i].gap_tail;
            }
            fl[0] = (lp_series_t){"Theorem 3 floor", qx, fb, nrows, "linespoints pt 7 lw 2", -1};
            fl[1] = (lp_series_t){"measured floor", qx, fm, nrows, "linespoints pt 5 lw 2", -1};
            lp_panel_t panels[2] = {
                {"optimality gap F(w_k) - F* (solid) and bound (dashed)", "step", "gap", 0, 1, 0, 0, 0, 0, "outside right",
                 NULL, s, 2 * nrows},
                {"error floor vs q_min", "q_min", "floor", 0, 1, 0, 0, 0, 0, NULL, NULL, fl, 2},
            };
            lp_plot_t p = {plot_path, 1500, 600, 1, 2, "lpsgd theory: low-precision SGD on least squares", panels, 2};
            if (lp_plot_png(&p, &err) != 0) {
                fprintf(stderr, "lpsgd theory: --plot: %s\n", err.msg);
                rc = 1;
            }
        }
    }
    for (size_t i = 0; i < nrows; i++) {
        free(rows[i].x);
        free(rows[i].gap);
        free(rows[i].bound);
    }
    lp_data_free(&data);
    return rc;
}
