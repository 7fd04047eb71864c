/*
 * cmd_theory.c - `lpsgd theory`: the paper's Theorems 3 and 4 against measurement, on
 * synthetic least squares whose optimum w*, F*, L and c are known (host/data synthetic:).
 *
 * For each gradient format, SGD runs on the kernel (lp_train_run, model lsq) and we measure
 * from the kernel's per-step records:
 *   q_min   the smallest per-epoch mean of q_proj = <g,Q(g)>/||g||^2 (Assumption 2(b) bounds
 *           the descent factor in expectation, so an epoch mean estimates it; the per-step
 *           minimum is reported too); mu_q = q_min (mu = 1: the unquantized g is unbiased)
 *   M~      the second moment E||Q(g)||^2 over the second half of the run (Q2 of the records),
 *           where grad F(w_k) is near 0 so E||Q(g)||^2 ~ M~ (Assumption 2(c) at the floor)
 *   M~_G    bounded from the data and the records (th_mg_data below):
 *           M~_G <= max_k q_norm_k^2 * (1 + 2 R^2 / (c B)),  R^2 = max_i ||x~_i||^2
 * and evaluate F(w_k) - F* in double every N steps (lp_data_ls_objective). Paper step k
 * (from 1) is the model after s = k - 1 steps, so w_1 is the starting point (step 0).
 *
 * Theorem 3 (constant alpha <= mu_q / (L M~_G)):
 *   floor   = alpha L M~ / (2 c mu_q)
 *   bound_k = floor + (1 - alpha c mu_q)^(k-1) (F(w_1) - F* - floor)
 * Theorem 4 (alpha_k = beta / (gamma + k), beta > 1 / (c mu_q), gamma > 0,
 *            alpha_1 <= mu_q / (L M~_G)):
 *   bound_k = nu_q / (gamma + k),
 *   nu_q    = max{ beta^2 L M~ / (2 (beta c mu_q - 1)), (gamma + 1) (F(w_1) - F*) }
 * beta and gamma come from the format's Theorem 3 run (its q_min and M~_G bound):
 * beta = 2 / (c q_min) (the beta minimising the noise term), alpha_1 = min(--lr,
 * q_min / (2 L M~_G)), gamma = beta / alpha_1 - 1 (both with a margin of 2: the Theorem 4
 * run's own q_min and max q_norm differ a little from the Theorem 3 run's). The Theorem 4 run's own measured q_min,
 * M~ and M~_G then give the bound, and its conditions are checked again.
 *
 * Both theorems are compared at every evaluation point: "holds" means gap <= bound at every
 * one; the worst ratio gap/bound is over the points after step 0 (at step 0 Theorem 3's
 * bound is the gap itself).
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
enum { TH_3 = 1, TH_4 = 2 };

static void usage(void)
{
    printf("usage: lpsgd theory [--data synthetic:...] [--formats F1,F2,...] [--theorem 3|4|both] [options]\n\n"
           "Checks the paper's convergence theorems on strongly convex least squares with a known\n"
           "optimum: for each gradient format SGD runs on the kernel, and the measured optimality gap\n"
           "F(w_k) - F* is compared with the theorem's bound AT EVERY EVALUATION POINT (every\n"
           "--eval-every steps). L and c are exact (from the data); q_min (smallest epoch-mean q_proj) and M~\n"
           "(mean ||Q(g)||^2 over the second half) are measured from the kernel's records; M~_G is\n"
           "bounded by max q_norm^2 (1 + 2 R^2/(c B)), R^2 = max ||x~_i||^2 (for the stepsize condition).\n"
           "  Theorem 3, constant alpha = --lr:\n"
           "    floor = alpha L M~ / (2 c q_min),  bound_k = floor + (1 - alpha c q_min)^(k-1) (F1 - F* - floor)\n"
           "  Theorem 4, alpha_k = beta/(gamma+k), beta = 2/(c q_min), alpha_1 = min(--lr, q_min/(2 L M~_G))\n"
           "  (q_min, M~_G from the format's Theorem 3 run), gamma = beta/alpha_1 - 1:\n"
           "    bound_k = nu_q/(gamma+k),  nu_q = max{beta^2 L M~ / (2 (beta c q_min - 1)), (gamma+1)(F1 - F*)}\n"
           "Per format: holds (gap <= bound at every point), the worst ratio gap/bound after step 0\n"
           "and its step, and whether the theorem's conditions hold with the measured constants.\n"
           "Exit 0 when the comparisons ran (whatever they found), 2 on bad input, 1 on a failure.\n\n"
           "options:\n"
           "  --data D            a synthetic: spec (default synthetic:n=4096,d=32,noise=1,cond=4)\n"
           "  --formats LIST      comma-separated formats (default fp32,fp16,fp8_e4m3,fp6_e3m2,fp4_e2m1)\n"
           "  --theorem T         3 (default), 4, or both (Theorem 4 always runs Theorem 3 first)\n"
           "  --lr ALPHA          the constant stepsize of Theorem 3, the cap on alpha_1 (default 0.02)\n"
           "  --batch B           rows per minibatch (default 8)\n"
           "  --epochs E          passes over the data (default 12)\n"
           "  --eval-every N      compare every N steps (default 1/32 epoch: 16 steps by default)\n"
           "  --lambda L          L2 weight (default 0.01: strong convexity)\n"
           "  --rounding, --scale, --seed, --subnormals, --overflow, --backend: as for train\n"
           "  --plot FILE.png     per theorem: gap (solid) and bound (dashed) vs step, gap/bound vs\n"
           "                      step, and Theorem 3's floors / Theorem 4's noise term vs q_min\n"
           "  --json              the tables as JSON, with every evaluation point [step, gap, bound]\n");
}

/* One run of one format under one theorem: what was measured, the bound, the comparison. */
typedef struct {
    int ran;
    double q_min, q_min_step, q_mean, m_tilde, qn2_max, mg; /* measured; mg: the M~_G bound */
    double gap1, gap_tail;                                   /* F(w_1) - F*; last-quarter mean */
    double alpha1, beta, gamma;                              /* stepsize (alpha1 = alpha for 3) */
    double floor_bound, rate;                                /* Theorem 3                      */
    double nu, nu_noise, nu_start;                           /* Theorem 4                      */
    double cond_step;                                        /* alpha_1 L M~_G / mu_q (<= 1)   */
    int conds;                                               /* the theorem's conditions hold  */
    int holds;                                               /* gap <= bound at every point    */
    double worst, worst_step, worst_gap, worst_bound;        /* max gap/bound after step 0     */
    double *x, *gap, *bound, *ratio;
    size_t n;
} th_run_t;

typedef struct {
    char name[32];
    th_run_t t3, t4;
} th_row_t;

typedef struct {
    lp_train_opts_t o;
    lp_qopts_t q;
    const lp_backend_ops_t *ops;
    lp_data_t data;
    double G; /* 1 + 2 R^2 / (c B): M_G of the unquantized minibatch gradient, bounded */
    int which, json;
    const char *formats, *plot_path;
} th_ctx_t;

static void th_run_free(th_run_t *R)
{
    free(R->x);
    free(R->gap);
    free(R->bound);
    free(R->ratio);
}

/*
 * The minibatch gradient's M_G from the data: g_B - grad F averages B of the per-row
 * x~_i r_i - mean (lambda w cancels), so E||g_B||^2 <= ||grad F||^2 + (1/B n) sum ||x~_i||^2 r_i^2
 * (sampling without replacement only lowers it). With r_i = x~_i.e + r*_i, r^2 <= 2 (x~_i.e)^2
 * + 2 r*_i^2, and (1/n) sum (x~_i.e)^2 <= e'He <= ||grad F||^2 / c:
 *   M_G <= 1 + 2 R^2 / (c B).
 * ||Q(g)||^2 = q_norm^2 ||g||^2 at every step, so M~_G <= max q_norm^2 * M_G.
 */
static double th_mg_data(const lp_dataset_t *tr, double c, uint32_t batch)
{
    double r2 = 0;
    for (uint32_t i = 0; i < tr->n; i++) {
        double s = 1.0; /* the bias column */
        for (uint32_t j = 0; j < tr->d; j++)
            s += (double)tr->x[(size_t)i * tr->d + j] * tr->x[(size_t)i * tr->d + j];
        r2 = s > r2 ? s : r2;
    }
    return 1 + 2 * r2 / (c * batch);
}

/* Parse the options into ctx. -1: go on; otherwise the exit code. */
static int th_parse(th_ctx_t *x, int argc, char **argv)
{
    static const char *const theorems[] = {"3", "4", "both", NULL};
    lp_args_t a;
    lp_args_begin(&a, "theory", argc, argv);
    while (lp_args_next(&a)) {
        const char *v;
        int r;
        double d;
        if (lp_args_help(&a)) {
            usage();
            return 0;
        }
        if ((r = lp_args_qopt(&a, &x->q, LP_QOPT_ALL & ~(LP_QOPT_STEP | LP_QOPT_FORMAT)))) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--data", &v))) {
            if (r < 0)
                return 2;
            if (strncmp(v, "synthetic", 9) || strlen(v) >= sizeof x->o.data_spec)
                return lp_args_error(&a, "--data %s: theory needs a synthetic:KEY=V,... source (its optimum is known)",
                                     v);
            snprintf(x->o.data_spec, sizeof x->o.data_spec, "%s", v);
            continue;
        }
        if ((r = lp_args_opt(&a, "--formats", &x->formats)) || (r = lp_args_opt(&a, "--plot", &x->plot_path))) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--theorem", &v))) {
            int t;
            if (r < 0 || lp_args_choice(&a, "--theorem", v, theorems, &t))
                return 2;
            x->which = t == 0 ? TH_3 : t == 1 ? TH_4 : TH_3 | TH_4;
            continue;
        }
        if ((r = lp_args_opt(&a, "--lr", &v))) {
            if (r < 0 || lp_args_double(&a, "--lr", v, 1e-12, 1e3, &d))
                return 2;
            x->o.lr = (float)d;
            continue;
        }
        if ((r = lp_args_opt(&a, "--lambda", &v))) {
            if (r < 0 || lp_args_double(&a, "--lambda", v, 1e-9, 1e6, &d))
                return 2;
            x->o.lambda = (float)d;
            continue;
        }
        if ((r = lp_args_opt(&a, "--batch", &v))) {
            if (r < 0 || lp_args_u32(&a, "--batch", v, 1, LP_SGD_MAX_BATCH, &x->o.batch))
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--eval-every", &v))) {
            if (r < 0 || lp_args_u32(&a, "--eval-every", v, 1, 1u << 30, &x->o.eval_every))
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--epochs", &v))) {
            if (r < 0 || lp_args_u32(&a, "--epochs", v, 1, 100000, &x->o.epochs))
                return 2;
            continue;
        }
        if (lp_args_flag(&a, "--json")) {
            x->json = 1;
            continue;
        }
        if (lp_args_is_option(&a))
            return lp_args_unknown(&a);
        return lp_args_error(&a, "unexpected argument '%s' (try --help)", lp_args_cur(&a));
    }
    return lp_qopts_finish(&a, &x->q) ? 2 : -1;
}

/* The measured constants of a run and its gap at every evaluation point. */
static void th_measure(const lp_train_result_t *res, const th_ctx_t *x, th_run_t *R)
{
    size_t ns = (size_t)(res->step_end - res->step_first), nm = 0;
    double qs = 0, m2 = 0;
    R->q_min = R->q_min_step = INFINITY;
    for (size_t e = 0; e < res->nepochs; e++)
        R->q_min = fmin(R->q_min, res->epochs[e].q_proj_mean);
    for (size_t i = 0; i < ns; i++) {
        R->q_min_step = fmin(R->q_min_step, res->q_proj[i]);
        if (isfinite(res->q_norm[i]))
            R->qn2_max = fmax(R->qn2_max, res->q_norm[i] * res->q_norm[i]);
        qs += res->q_proj[i];
        if (i >= ns / 2) {
            m2 += res->qg2[i];
            nm++;
        }
    }
    R->q_mean = qs / (double)ns;
    R->m_tilde = m2 / (double)nm;
    R->mg = R->qn2_max * x->G;
    R->n = res->nevals;
    R->x = calloc(R->n, sizeof(double));
    R->gap = calloc(R->n, sizeof(double));
    R->bound = calloc(R->n, sizeof(double));
    R->ratio = calloc(R->n, sizeof(double));
    double tail = 0;
    size_t ntail = 0;
    for (size_t i = 0; i < R->n && R->ratio; i++) {
        R->x[i] = (double)res->evals[i].step;
        R->gap[i] = res->evals[i].train_loss - x->data.truth.f_star;
        if (res->evals[i].step * 4 >= res->step_end * 3) {
            tail += R->gap[i];
            ntail++;
        }
    }
    R->gap1 = R->n ? R->gap[0] : NAN;
    R->gap_tail = ntail ? tail / (double)ntail : NAN;
    R->ran = R->ratio != NULL && R->n > 0 && res->evals[0].step == 0;
}

/* Gap against bound at every evaluation point: holds everywhere, and the worst ratio. */
static void th_compare(th_run_t *R)
{
    R->holds = 1;
    R->worst = -INFINITY;
    R->worst_step = R->worst_gap = R->worst_bound = NAN;
    for (size_t i = 0; i < R->n; i++) {
        R->ratio[i] = R->gap[i] / R->bound[i];
        if (!(R->gap[i] <= R->bound[i]))
            R->holds = 0;
        if (R->x[i] > 0 && R->ratio[i] > R->worst) {
            R->worst = R->ratio[i];
            R->worst_step = R->x[i];
            R->worst_gap = R->gap[i];
            R->worst_bound = R->bound[i];
        }
    }
}

/* Theorem 3's bound at every evaluation point (s steps done: k - 1 = s). */
static void th_bound3(th_run_t *R, const lp_truth_t *t)
{
    double a = R->alpha1, mu = R->q_min;
    /* q_min = 0: no bound (NaN: the comparison fails, JSON null) */
    R->floor_bound = mu > 0 ? a * t->L * R->m_tilde / (2 * t->c * mu) : NAN;
    R->rate = 1 - a * t->c * mu;
    R->cond_step = a * t->L * R->mg / mu;
    R->conds = mu > 0 && R->cond_step <= 1;
    for (size_t i = 0; i < R->n; i++) {
        /* gap1 r^s + floor (1 - r^s): exactly the gap at s = 0 */
        double p = pow(R->rate, R->x[i]);
        R->bound[i] = R->gap1 * p + R->floor_bound * (1 - p);
    }
    th_compare(R);
}

/* Theorem 4's bound nu_q / (gamma + k) at every evaluation point (k = s + 1). */
static void th_bound4(th_run_t *R, const lp_truth_t *t)
{
    double b = R->beta, g = R->gamma, mu = R->q_min, bcm = b * t->c * mu;
    R->nu_noise = bcm > 1 ? b * b * t->L * R->m_tilde / (2 * (bcm - 1)) : INFINITY;
    R->nu_start = (g + 1) * R->gap1;
    R->nu = fmax(R->nu_noise, R->nu_start);
    R->cond_step = R->alpha1 * t->L * R->mg / mu;
    R->conds = mu > 0 && bcm > 1 && g > 0 && R->cond_step <= 1;
    /* with nu = nu_start, as gap1 (gamma + 1) / (gamma + k): exactly the gap at k = 1 */
    for (size_t i = 0; i < R->n; i++)
        R->bound[i] = R->nu_noise > R->nu_start ? R->nu / (g + R->x[i] + 1) : R->gap1 * ((g + 1) / (g + R->x[i] + 1));
    th_compare(R);
}

/* Train one format with ctx's options and o's stepsize; measure. 0 or the exit code. */
static int th_train(const th_ctx_t *x, lp_train_opts_t *o, const char *name, th_run_t *R)
{
    lp_err_t err;
    lp_backend_t *be;
    lp_train_result_t res;
    if (x->ops->open(&be, &x->q.bopts, &err) != 0) {
        fprintf(stderr, "lpsgd theory: backend %s: %s\n", x->ops->name, err.msg);
        return 1;
    }
    lp_train_io_t io = {NULL, 1, NULL, NULL, 0, NULL};
    int r = lp_train_run(o, &x->data, x->ops, be, NULL, &io, &res, &err);
    x->ops->close(be);
    if (r != 0)
        fprintf(stderr, "lpsgd theory: %s: %s\n", name, err.msg);
    else
        th_measure(&res, x, R);
    lp_train_result_free(&res);
    if (r == 0 && !R->ran) {
        fprintf(stderr, "lpsgd theory: %s: the run has no evaluation of its starting point\n", name);
        r = 1;
    }
    return r;
}

/* Both theorems for one format: Theorem 3 at --lr, then (when asked) Theorem 4. */
static int th_format(const th_ctx_t *x, lp_format_t fmt, th_row_t *row)
{
    const lp_truth_t *t = &x->data.truth;
    lp_train_opts_t o = x->o;
    o.q = x->q.cfg;
    o.q.fmt = fmt;
    int r = th_train(x, &o, row->name, &row->t3);
    if (r)
        return r;
    row->t3.alpha1 = (double)o.lr;
    th_bound3(&row->t3, t);
    if (!(x->which & TH_4) || !(row->t3.q_min > 0) || !(row->t3.mg > 0))
        return 0; /* Theorem 4 needs q_min > 0: its row says it did not run */
    double mu = row->t3.q_min, beta = 2 / (t->c * mu), a1 = fmin((double)o.lr, mu / (2 * t->L * row->t3.mg));
    o.sched = LP_SCHED_INVERSE;
    o.lr = (float)beta;
    o.gamma = (float)(beta / a1 - 1);
    r = th_train(x, &o, row->name, &row->t4);
    if (r)
        return r;
    /* the stepsizes the kernel used: its FP32 beta and gamma */
    row->t4.beta = (double)o.lr;
    row->t4.gamma = (double)o.gamma;
    row->t4.alpha1 = row->t4.beta / (row->t4.gamma + 1);
    th_bound4(&row->t4, t);
    return 0;
}

/* The measured constants and the comparison, common to both theorems, as JSON members. */
static void th_json_run(const th_run_t *R)
{
    static const char *const k[] = {"q_min",     "q_min_step", "q_mean",      "m_tilde",    "qnorm2_max",
                                     "mg_bound",  "gap1",       "alpha1",      "cond_step",  "worst_ratio",
                                     "worst_step", "worst_gap", "worst_bound"};
    const double v[] = {R->q_min, R->q_min_step, R->q_mean,  R->m_tilde,   R->qn2_max,   R->mg,         R->gap1,
                        R->alpha1, R->cond_step, R->worst, R->worst_step, R->worst_gap, R->worst_bound};
    lp_json_fields(stdout, k, v, sizeof v / sizeof v[0]);
    printf(", \"conditions\": %s, \"holds\": %s, \"points\": [", R->conds ? "true" : "false",
           R->holds ? "true" : "false");
    for (size_t i = 0; i < R->n; i++) {
        const double p[3] = {R->x[i], R->gap[i], R->bound[i]};
        printf("%s[", i ? ", " : "");
        for (int j = 0; j < 3; j++) {
            printf("%s", j ? ", " : "");
            lp_json_num(stdout, p[j]);
        }
        printf("]");
    }
    printf("]");
}

static void th_json(const th_ctx_t *x, const th_row_t *rows, size_t nrows)
{
    const lp_truth_t *t = &x->data.truth;
    static const char *const k[] = {"L", "c", "f_star", "alpha", "mg_data"};
    const double v[] = {t->L, t->c, t->f_star, x->o.lr, x->G};
    printf("{\"data\": \"%s\", ", x->data.name);
    lp_json_fields(stdout, k, v, 5);
    printf(", \"formats\": [");
    for (size_t i = 0; i < nrows; i++) {
        const th_row_t *R = &rows[i];
        printf("%s{\"format\": \"%s\"", i ? ", " : "", R->name);
        if (x->which & TH_3) {
            static const char *const k3[] = {"floor_bound", "rate", "gap_tail"};
            const double v3[] = {R->t3.floor_bound, R->t3.rate, R->t3.gap_tail};
            printf(", \"theorem3\": {");
            lp_json_fields(stdout, k3, v3, 3);
            printf(", ");
            th_json_run(&R->t3);
            printf("}");
        }
        if ((x->which & TH_4) && R->t4.ran) {
            static const char *const k4[] = {"beta", "gamma", "nu", "nu_noise", "nu_start"};
            const double v4[] = {R->t4.beta, R->t4.gamma, R->t4.nu, R->t4.nu_noise, R->t4.nu_start};
            printf(", \"theorem4\": {");
            lp_json_fields(stdout, k4, v4, 5);
            printf(", ");
            th_json_run(&R->t4);
            printf("}");
        } else if (x->which & TH_4)
            printf(", \"theorem4\": null");
        printf("}");
    }
    printf("]}\n");
}

static const char *th_yes(int ok) { return ok ? "yes" : "NO"; }

/* every number through lp_num_shown: "nan", never "-nan" (io/lp_io.h) */
#define N lp_num_shown
static void th_table(const th_ctx_t *x, const th_row_t *rows, size_t nrows)
{
    if (x->which & TH_3) {
        printf("\nTheorem 3 (constant alpha %g)\n%-10s %8s %9s %8s %9s %8s %11s %10s %8s %7s %6s  %s\n",
               (double)x->o.lr, "format", "q_min", "q_stepmin", "q_mean", "M~", "M~_G<=", "floor bound",
               "gap tail", "worst", "at step", "conds", "holds");
        for (size_t i = 0; i < nrows; i++) {
            const th_run_t *R = &rows[i].t3;
            if (!(R->q_min > 0)) {
                printf("%-10s %8.5f %9.5f %8.5f  no bound: an epoch's mean q_proj is 0 (Assumption 2(b) fails)  NO\n",
                       rows[i].name, N(R->q_min), N(R->q_min_step), N(R->q_mean));
                continue;
            }
            printf("%-10s %8.5f %9.5f %8.5f %9.5g %8.4g %11.5g %10.5g %8.4f %7.0f %6s  %s\n", rows[i].name,
                   N(R->q_min), N(R->q_min_step), N(R->q_mean), N(R->m_tilde), N(R->mg), N(R->floor_bound),
                   N(R->gap_tail), N(R->worst), R->worst_step, th_yes(R->conds), th_yes(R->holds));
        }
        printf("(holds: gap <= bound at all %zu evaluation points; worst: largest gap/bound after step 0;\n"
               " conds: alpha <= q_min/(L M~_G) with the M~_G bound; gap tail: mean gap over the last quarter)\n",
               nrows ? rows[0].t3.n : 0);
    }
    if (x->which & TH_4) {
        printf("\nTheorem 4 (alpha_k = beta/(gamma+k))\n%-10s %8s %8s %9s %8s %8s %10s %10s %8s %7s %6s  %s\n",
               "format", "q_min", "beta", "gamma", "alpha_1", "b c q", "nu noise", "nu start", "worst", "at step",
               "conds", "holds");
        for (size_t i = 0; i < nrows; i++) {
            const th_run_t *R = &rows[i].t4;
            if (!R->ran) {
                printf("%-10s not run: Theorem 3's q_min = %g (Theorem 4 needs q_min > 0)\n", rows[i].name,
                       rows[i].t3.q_min);
                continue;
            }
            printf("%-10s %8.5f %8.4g %9.5g %8.4g %8.4f %10.5g %10.5g %8.4f %7.0f %6s  %s\n", rows[i].name,
                   N(R->q_min), N(R->beta), N(R->gamma), N(R->alpha1), N(R->beta * x->data.truth.c * R->q_min),
                   N(R->nu_noise), N(R->nu_start), N(R->worst), R->worst_step, th_yes(R->conds), th_yes(R->holds));
        }
        printf("(bound nu_q/(gamma+k), nu_q = max(nu noise, nu start); conds: beta c q_min > 1, gamma > 0,\n"
               " alpha_1 <= q_min/(L M~_G), all with the Theorem 4 run's own measurements)\n");
    }
}
#undef N

/* The plot's panels for one theorem: gap and bound, gap/bound, and a constant vs q_min. */
typedef struct {
    lp_series_t s[2 * TH_MAXF], r[TH_MAXF], c[2];
    char lab[2 * TH_MAXF][64];
    double qx[TH_MAXF], c1[TH_MAXF], c2[TH_MAXF];
} th_fig_t;

static void th_panels(th_fig_t *F, const th_row_t *rows, size_t nrows, int thm, lp_panel_t *p)
{
    size_t ns = 0, nr = 0;
    for (size_t i = 0; i < nrows; i++) {
        const th_run_t *R = thm == 3 ? &rows[i].t3 : &rows[i].t4;
        int col = lp_plot_colors[i % LP_PLOT_NCOLORS];
        if (!R->ran)
            continue;
        snprintf(F->lab[2 * nr], sizeof F->lab[0], "%.31s", rows[i].name);
        F->s[ns++] = (lp_series_t){F->lab[2 * nr], R->x, R->gap, R->n, "lines lw 2", col};
        F->s[ns++] = (lp_series_t){NULL, R->x, R->bound, R->n, "lines dt 2 lw 2", col};
        F->r[nr] = (lp_series_t){F->lab[2 * nr], R->x, R->ratio, R->n, "lines lw 2", col};
        F->qx[nr] = R->q_min;
        F->c1[nr] = thm == 3 ? R->floor_bound : R->nu_noise;
        F->c2[nr] = thm == 3 ? R->gap_tail : NAN;
        nr++;
    }
    F->c[0] = (lp_series_t){thm == 3 ? "Theorem 3 floor" : "beta^2 L M~ / (2 (beta c q_min - 1))", F->qx, F->c1, nr,
                            "linespoints pt 7 lw 2", -1};
    F->c[1] = (lp_series_t){"measured (last-quarter mean gap)", F->qx, F->c2, nr, "linespoints pt 5 lw 2", -1};
    p[0] = (lp_panel_t){thm == 3 ? "Theorem 3: gap F(w_k) - F* (solid), bound (dashed)"
                                 : "Theorem 4: gap (solid), nu_q/(gamma+k) (dashed)",
                        "step", "gap", 0, 1, 0, 0, 0, 0, "bottom left", NULL, F->s, ns};
    p[1] = (lp_panel_t){thm == 3 ? "Theorem 3: gap / bound (< 1: holds)" : "Theorem 4: gap / bound (< 1: holds)",
                        "step", "gap / bound", 0, 1, 0, 0, 0, 0, "top right",
                        "set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb 'black'", F->r, nr};
    p[2] = (lp_panel_t){thm == 3 ? "Theorem 3: error floor vs q_min" : "Theorem 4: noise term of nu_q vs q_min",
                        "q_min", thm == 3 ? "floor" : "nu noise", 0, 1, 0, 0, 0, 0, NULL, NULL, F->c, thm == 3 ? 2 : 1};
}

static int th_plot(const th_ctx_t *x, const th_row_t *rows, size_t nrows)
{
    static th_fig_t F[2];
    lp_panel_t panels[6];
    lp_err_t err;
    size_t np = 0;
    if (x->which & TH_3) {
        th_panels(&F[0], rows, nrows, 3, panels);
        np += 3;
    }
    if (x->which & TH_4) {
        th_panels(&F[1], rows, nrows, 4, panels + np);
        np += 3;
    }
    lp_plot_t p = {x->plot_path, 1800, 550 * (int)(np / 3), (int)(np / 3), 3,
                   "lpsgd theory: low-precision SGD on least squares, measured gap vs the paper's bounds", panels, np};
    if (lp_plot_png(&p, &err) != 0) {
        fprintf(stderr, "lpsgd theory: --plot: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* Defaults, options, data; -1: go on (x->data loaded), otherwise the exit code. */
static int th_setup(th_ctx_t *x, int argc, char **argv)
{
    lp_err_t err;
    lp_train_opts_default(&x->o);
    snprintf(x->o.data_spec, sizeof x->o.data_spec, "synthetic:n=4096,d=32,noise=1,cond=4");
    x->o.model = LP_MODEL_LSQ;
    x->o.lr = 0.02f;
    x->o.batch = 8;
    x->o.epochs = 12;
    x->o.lambda = 0.01f;
    x->o.chunk = 256;
    x->o.eval_every = 0;
    x->which = TH_3;
    x->formats = "fp32,fp16,fp8_e4m3,fp6_e3m2,fp4_e2m1";
    lp_qopts_init(&x->q);
    int r = th_parse(x, argc, argv);
    if (r >= 0)
        return r;
    x->o.seed = x->q.cfg.seed;
    x->ops = lp_backend_find(x->q.backend, &err);
    if (!x->ops) {
        fprintf(stderr, "lpsgd theory: %s\n", err.msg);
        return 2;
    }
    if (!x->ops->train_load) {
        fprintf(stderr, "lpsgd theory: backend %s cannot train yet (use --backend csim)\n", x->ops->name);
        return 2;
    }
    char derr[512];
    if (lp_data_load(x->o.data_spec, x->o.seed, x->o.lambda, &x->data, derr, sizeof derr) != 0) {
        fprintf(stderr, "lpsgd theory: %s\n", derr);
        return 2;
    }
    if (!x->data.has_truth) {
        fprintf(stderr, "lpsgd theory: %s has no known optimum\n", x->data.name);
        lp_data_free(&x->data);
        return 2;
    }
    uint32_t S = x->data.train.n / x->o.batch;
    if (!x->o.eval_every)
        x->o.eval_every = S / 32 ? S / 32 : 1;
    x->G = th_mg_data(&x->data.train, x->data.truth.c, x->o.batch);
    return -1;
}

int cmd_theory(int argc, char **argv)
{
    static th_ctx_t x;
    th_row_t rows[TH_MAXF];
    lp_format_t fmts[TH_MAXF];
    char names[TH_MAXF][32];
    int nf = 0, rc;
    lp_args_t a;
    memset(&x, 0, sizeof x);
    memset(rows, 0, sizeof rows);
    if ((rc = th_setup(&x, argc, argv)) >= 0)
        return rc;
    lp_args_begin(&a, "theory", argc, argv);
    if (lp_args_format_list(&a, "--formats", x.formats, fmts, names, TH_MAXF, &nf)) {
        lp_data_free(&x.data);
        return 2;
    }
    const lp_truth_t *t = &x.data.truth;
    if (!x.json)
        printf("theory: least squares on %s (%u rows, D = %u), L = %.6g, c = %.6g, F* = %.9g, lambda %g, "
               "alpha %g, batch %u, %u epochs (%u steps), rounding %s, scale %s; M_G <= 1 + 2 R^2/(c B) = %.4g\n",
               x.data.name, x.data.train.n, t->d, t->L, t->c, t->f_star, (double)x.o.lambda, (double)x.o.lr,
               x.o.batch, x.o.epochs, x.data.train.n / x.o.batch * x.o.epochs, lp_rounding_names[x.q.cfg.rounding],
               lp_scale_names[x.q.cfg.scale], x.G);
    rc = 0;
    for (int f = 0; f < nf && rc == 0; f++) {
        snprintf(rows[f].name, sizeof rows[f].name, "%.31s", names[f]);
        rc = th_format(&x, fmts[f], &rows[f]);
    }
    if (rc == 0) {
        if (x.json)
            th_json(&x, rows, (size_t)nf);
        else
            th_table(&x, rows, (size_t)nf);
        if (x.plot_path)
            rc = th_plot(&x, rows, (size_t)nf);
    }
    for (int i = 0; i < nf; i++) {
        th_run_free(&rows[i].t3);
        th_run_free(&rows[i].t4);
    }
    lp_data_free(&x.data);
    return rc;
}
