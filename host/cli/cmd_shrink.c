/*
 * cmd_shrink.c - `lpsgd shrink`: the paper's Figure 1 setting. A gradient-like signal
 * (default g(x) = e^(-0.2x) at n points on [0, X]) is quantized to each format without
 * scaling (the paper's setting) and with per-tensor and per-32-block (OCP MX) power-of-two
 * scaling; the statistics show how much the gradient shrinks and what scaling buys.
 *
 * The picture has two panels: (a) the signal and its quantized versions on a logarithmic
 * axis (where each format's curve stops is where it flushes the gradient to zero), and
 * (b) q_norm against the signal's amplitude A for every format, unscaled and scaled: real
 * gradients are small, and that is where shrinkage bites.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend/backend.h"
#include "cli.h"
#include "io/lp_file.h"
#include "io/lp_io.h"
#include "plot/lp_plot.h"

#define MAX_FORMATS 16
#define SWEEP_LO (-12) /* amplitude sweep of panel (b): 10^-12 .. 10^6, 4 points a decade */
#define SWEEP_HI 6
#define SWEEP_PER_DECADE 4
#define SWEEP_N ((SWEEP_HI - SWEEP_LO) * SWEEP_PER_DECADE + 1)
#define SWEEP_MAXN 4096 /* the sweep uses the signal on at most this many points */
#define PLOT_MAXN 4000  /* panel (a) draws at most this many points per curve     */

enum { SIG_EXP = 0, SIG_GAUSS = 1 };

typedef struct {
    int kind;     /* SIG_*                                   */
    double param; /* exp: decay rate; gauss: sigma           */
    double amp;   /* amplitude multiplying the signal        */
    uint32_t n;
    double x_max;
    uint32_t seed; /* gauss: the draw                        */
} signal_t;

typedef struct {
    lp_format_t fmt;
    char name[32];
} fmt_entry_t;

static void usage(void)
{
    printf("usage: lpsgd shrink [options]\n\n"
           "The paper's Figure 1: how much a gradient shrinks when it is quantized to each\n"
           "format, without scaling (as in the paper) and with per-tensor or per-block (OCP MX)\n"
           "power-of-two scaling. Prints a table (q_norm, q_proj, underflow, ...) per format and\n"
           "scale; writes CSV and a two-panel PNG on request.\n\n"
           "options:\n"
           "  --signal S      exp:R   g(x) = A e^(-R x) at n points on [0, X]  (default exp:0.2)\n"
           "                  gauss:S g_i ~ A N(0, S^2), a seeded draw (--seed), like a real gradient\n"
           "  --amp A         amplitude A of the signal (default 1)\n"
           "  --n N           number of points (default 1000; 1..16777216)\n"
           "  --x-max X       right end of the x range (default 50)\n"
           "  --formats LIST  comma-separated formats (default fp32,bf16,fp16,fp8_e5m2,fp8_e4m3,\n"
           "                  fp6_e3m2,fp6_e2m3,fp4_e2m1); presets, eXmY or fixedW.F\n"
           "  --scales LIST   comma-separated subset of none,tensor,block32 (default all three)\n"
           "  --rounding M, --seed S, --step K, --overflow P, --subnormals on|off, --backend B\n"
           "                  as for 'lpsgd quantize' (see its --help)\n"
           "  --csv F         write the table as CSV\n"
           "  --sweep-csv F   write panel (b)'s data (q_norm per amplitude, format, scale) as CSV\n"
           "  --plot F.png    draw (a) g and Q(g) per format, unscaled, on a log axis, and\n"
           "                  (b) q_norm against the amplitude A = 1e-12..1e6, solid unscaled,\n"
           "                  dashed block32, dotted tensor (also writes F.dat and F.gp);\n"
           "                  panel (b) uses min(n, 4096) points of the signal\n"
           "  --json          print the table as one JSON object instead\n\n"
           "The default reproduces the paper's setting: g(x) = e^(-0.2x), x in [0, 50],\n"
           "1000 points, round to nearest even, no scaling. How to read the columns:\n"
           "docs/cli.md. Examples:\n"
           "  lpsgd shrink\n"
           "  lpsgd shrink --amp 1e-4 --csv out/shrink.csv --plot out/shrink.png\n"
           "  lpsgd shrink --signal gauss:1e-3 --n 100000 --formats fp8_e4m3,fp4_e2m1\n");
}

/* 53 random bits -> a double in (0, 1), from the project's counter-based hash. */
static double uniform01(uint32_t seed, uint32_t i, uint32_t stream)
{
    uint32_t a = lp_sr_hash(seed, 2 * stream, i), b = lp_sr_hash(seed, 2 * stream + 1, i);
    return ((double)(a >> 5) * 67108864.0 + (double)(b >> 6) + 0.5) / 9007199254740992.0;
}

/* The signal at amplitude amp into g[n] (FP32) and its abscissae into x[n]. */
static void make_signal(const signal_t *s, double amp, float *g, double *x)
{
    for (uint32_t i = 0; i < s->n; i++) {
        x[i] = s->n > 1 ? s->x_max * i / (s->n - 1) : 0.0;
        double v;
        if (s->kind == SIG_EXP) {
            v = exp(-s->param * x[i]);
        } else { /* Box-Muller */
            double u1 = uniform01(s->seed, i, 0), u2 = uniform01(s->seed, i, 1);
            v = s->param * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
            x[i] = i;
        }
        g[i] = (float)(amp * v);
    }
}

static int parse_signal(const lp_args_t *a, const char *v, signal_t *s)
{
    const char *colon = strchr(v, ':');
    size_t l = colon ? (size_t)(colon - v) : strlen(v);
    if (l == 3 && !strncmp(v, "exp", 3)) {
        s->kind = SIG_EXP;
        s->param = 0.2;
    } else if (l == 5 && !strncmp(v, "gauss", 5)) {
        s->kind = SIG_GAUSS;
        s->param = 1.0;
    } else {
        lp_args_error(a, "--signal: unknown signal '%s' (use exp:RATE or gauss:SIGMA)", v);
        return -1;
    }
    if (colon && lp_args_double(a, "--signal", colon + 1, 1e-30, 1e30, &s->param))
        return -1;
    if (s->param <= 0) {
        lp_args_error(a, "--signal: the parameter of '%s' must be positive", v);
        return -1;
    }
    return 0;
}

static int parse_formats(const lp_args_t *a, const char *v, fmt_entry_t *f, int *nf)
{
    lp_format_t fmts[MAX_FORMATS];
    char names[MAX_FORMATS][32];
    if (lp_args_format_list(a, "--formats", v, fmts, names, MAX_FORMATS, nf))
        return -1;
    for (int k = 0; k < *nf; k++) {
        f[k].fmt = fmts[k];
        memcpy(f[k].name, names[k], sizeof f[k].name);
    }
    return 0;
}

static int parse_scales(const lp_args_t *a, const char *v, int *scales, int *ns)
{
    char buf[256];
    if (strlen(v) >= sizeof buf) {
        lp_args_error(a, "--scales: list too long");
        return -1;
    }
    strcpy(buf, v);
    *ns = 0;
    for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int k;
        if (lp_args_choice(a, "--scales", t, lp_scale_names, &k))
            return -1;
        if (*ns == 3) {
            lp_args_error(a, "--scales: each of none, tensor, block32 at most once");
            return -1;
        }
        scales[(*ns)++] = k;
    }
    if (!*ns) {
        lp_args_error(a, "--scales: empty list (use none,tensor,block32 or a part of it)");
        return -1;
    }
    return 0;
}

typedef struct {
    const lp_backend_ops_t *ops;
    lp_backend_t *be;
    const lp_qopts_t *q;
} runner_t;

static int run_one(runner_t *r, const lp_format_t *fmt, int scale, const float *g, float *gq, uint32_t n,
                   lp_qstats_t *st, lp_err_t *err)
{
    lp_qcfg_t cfg = r->q->cfg;
    cfg.fmt = *fmt;
    cfg.scale = (uint8_t)scale;
    return r->ops->quantize(r->be, &cfg, r->q->step, g, gq, NULL, NULL, n, st, err);
}

static void sig_name(const signal_t *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s:%g", s->kind == SIG_EXP ? "exp" : "gauss", s->param);
}

static void signal_text(const signal_t *s, char *buf, size_t len)
{
    if (s->kind == SIG_EXP)
        snprintf(buf, len, "g(x) = %g e^(-%g x), x in [0, %g], n = %u", s->amp, s->param, s->x_max, s->n);
    else
        snprintf(buf, len, "g_i ~ %g N(0, %g^2), seed %u, n = %u", s->amp, s->param, s->seed, s->n);
}

typedef struct {
    const char *fmt;
    int scale;
    lp_qstats_t st;
    lp_qderived_t d;
} row_t;

static void write_csv(FILE *f, const signal_t *s, const lp_qopts_t *q, const row_t *rows, int nrows)
{
    char sg[64];
    sig_name(s, sg, sizeof sg);
    fprintf(f, "signal,amp,n,x_max,rounding,format,scale,q_norm,q_proj,noise,underflow,underflow_frac,"
               "saturated,subnormal,nan\n");
    for (int k = 0; k < nrows; k++) {
        const row_t *r = &rows[k];
        fprintf(f, "%s,%.9g,%u,%.9g,%s,%s,%s,%.17g,%.17g,%.17g,%u,%.17g,%u,%u,%u\n", sg, s->amp, s->n, s->x_max,
                lp_rounding_names[q->cfg.rounding], r->fmt, lp_scale_names[r->scale], lp_num_shown(r->d.q_norm),
                lp_num_shown(r->d.q_proj), lp_num_shown(r->d.noise), r->st.underflow, lp_num_shown(r->d.underflow_frac),
                r->st.saturated, r->st.subnormal, r->st.nan);
    }
}

static void print_table(const signal_t *s, const lp_qopts_t *q, const row_t *rows, int nrows, uint64_t cycles)
{
    char text[160];
    signal_text(s, text, sizeof text);
    printf("%s; rounding %s, overflow %s, subnormals %s, backend %s\n", text, lp_rounding_names[q->cfg.rounding],
           lp_overflow_names[q->cfg.overflow], lp_subnormal_names[q->cfg.subnormals], q->backend);
    printf("%-10s %-8s %10s %10s %11s %10s %10s %10s\n", "format", "scale", "q_norm", "q_proj", "noise",
           "underflow", "saturated", "subnormal");
    for (int k = 0; k < nrows; k++) {
        const row_t *r = &rows[k];
        printf("%-10s %-8s %10.6f %10.6f %11.4g %9.2f%% %10u %10u\n", k && !strcmp(rows[k - 1].fmt, r->fmt) ? "" : r->fmt,
               lp_scale_names[r->scale], lp_num_shown(r->d.q_norm), lp_num_shown(r->d.q_proj),
               lp_num_shown(r->d.noise), lp_num_shown(100.0 * r->d.underflow_frac), r->st.saturated, r->st.subnormal);
    }
    if (cycles > 0)
        printf("device clock cycles: %llu\n", (unsigned long long)cycles);
}

static void print_json(const signal_t *s, const lp_qopts_t *q, const row_t *rows, int nrows, uint64_t cycles)
{
    char sg[64];
    sig_name(s, sg, sizeof sg);
    printf("{\"signal\": \"%s\", \"amp\": ", sg);
    lp_json_num(stdout, s->amp);
    printf(", \"n\": %u, \"x_max\": ", s->n);
    lp_json_num(stdout, s->x_max);
    printf(", \"rounding\": \"%s\", \"overflow\": \"%s\", \"subnormals\": \"%s\", \"backend\": ",
           lp_rounding_names[q->cfg.rounding], lp_overflow_names[q->cfg.overflow],
           lp_subnormal_names[q->cfg.subnormals]);
    lp_json_str(stdout, q->backend);
    printf(", \"cycles\": %llu, \"rows\": [", (unsigned long long)cycles);
    for (int k = 0; k < nrows; k++) {
        const row_t *r = &rows[k];
        printf("%s\n  {\"format\": \"%s\", \"scale\": \"%s\", \"q_norm\": ", k ? "," : "", r->fmt,
               lp_scale_names[r->scale]);
        lp_json_num(stdout, r->d.q_norm);
        printf(", \"q_proj\": ");
        lp_json_num(stdout, r->d.q_proj);
        printf(", \"noise\": ");
        lp_json_num(stdout, r->d.noise);
        printf(", \"underflow\": %u, \"underflow_frac\": ", r->st.underflow);
        lp_json_num(stdout, r->d.underflow_frac);
        printf(", \"saturated\": %u, \"subnormal\": %u, \"nan\": %u}", r->st.saturated, r->st.subnormal, r->st.nan);
    }
    printf("\n]}\n");
}

/* Panel (b)'s data: q_norm[f][scale][j] at amplitude 10^(SWEEP_LO + j/SWEEP_PER_DECADE). */
static int sweep(runner_t *r, const signal_t *s, const fmt_entry_t *fm, int nf, const int *scales, int ns,
                 double *amps, double *qn, float *g, float *gq, double *x, lp_err_t *err)
{
    signal_t s2 = *s;
    if (s2.n > SWEEP_MAXN)
        s2.n = SWEEP_MAXN;
    for (int j = 0; j < SWEEP_N; j++) {
        amps[j] = pow(10.0, SWEEP_LO + (double)j / SWEEP_PER_DECADE);
        make_signal(&s2, amps[j], g, x);
        for (int f = 0; f < nf; f++)
            for (int k = 0; k < ns; k++) {
                lp_qstats_t st;
                if (run_one(r, &fm[f].fmt, scales[k], g, gq, s2.n, &st, err))
                    return -1;
                qn[((size_t)f * ns + k) * SWEEP_N + j] = lp_qstats_derive(&st).q_norm;
            }
    }
    return 0;
}

static void write_sweep_csv(FILE *f, const fmt_entry_t *fm, int nf, const int *scales, int ns, const double *amps,
                            const double *qn)
{
    fprintf(f, "amp,format,scale,q_norm\n");
    for (int fi = 0; fi < nf; fi++)
        for (int k = 0; k < ns; k++)
            for (int j = 0; j < SWEEP_N; j++)
                fprintf(f, "%.9g,%s,%s,%.17g\n", amps[j], fm[fi].name, lp_scale_names[scales[k]],
                        lp_num_shown(qn[((size_t)fi * ns + k) * SWEEP_N + j]));
}

/* For the gauss signal panel (a) shows magnitudes sorted, largest first. */
static const float *sort_key;
static int by_mag_desc(const void *pa, const void *pb)
{
    float a = fabsf(sort_key[*(const uint32_t *)pa]), b = fabsf(sort_key[*(const uint32_t *)pb]);
    return (a < b) - (a > b);
}

static int draw(const char *png, const signal_t *s, const fmt_entry_t *fm, int nf, const int *scales, int ns,
                const row_t *rows, const float *g, const float *gq_all, const double *x, const double *amps,
                const double *qn, lp_err_t *err)
{
    uint32_t stride = s->n > PLOT_MAXN ? (s->n + PLOT_MAXN - 1) / PLOT_MAXN : 1;
    uint32_t n = (s->n + stride - 1) / stride; /* points drawn: every stride-th */
    int has_none = 0;
    for (int k = 0; k < ns; k++)
        has_none |= scales[k] == LP_SCALE_NONE;
    /* Panel (a): |g| and |Q(g)| unscaled (or the first scale listed). */
    int sa = has_none ? LP_SCALE_NONE : scales[0];
    size_t na = (size_t)nf + 1;
    lp_series_t *sa_ser = calloc(na, sizeof *sa_ser);
    double *ya = malloc(na * n * sizeof *ya), *xa = malloc((size_t)n * sizeof *xa);
    uint32_t *perm = malloc((size_t)s->n * sizeof *perm);
    char(*titles)[96] = calloc(na, sizeof *titles);
    size_t nb = (size_t)nf * ns + 3;
    lp_series_t *sb = calloc(nb, sizeof *sb);
    int rc = -1;
    if (!sa_ser || !ya || !xa || !perm || !titles || !sb) {
        lp_fail(err, "%s: out of memory", png);
        goto out;
    }
    for (uint32_t i = 0; i < s->n; i++)
        perm[i] = i;
    if (s->kind == SIG_GAUSS) {
        sort_key = g;
        qsort(perm, s->n, sizeof *perm, by_mag_desc);
    }
    for (uint32_t i = 0; i < n; i++) {
        xa[i] = s->kind == SIG_GAUSS ? (double)i * stride : x[perm[i * stride]];
        ya[i] = fabs((double)g[perm[i * stride]]);
    }
    sa_ser[0] = (lp_series_t){"g (exact FP32)", xa, ya, n, "lines lw 4", 0xBBBBBB};
    for (int f = 0; f < nf; f++) {
        const float *q = gq_all + (size_t)f * ns * s->n;
        for (int k = 0; k < ns; k++)
            if (scales[k] == sa)
                q = gq_all + ((size_t)f * ns + k) * s->n;
        double *y = ya + (size_t)(f + 1) * n;
        for (uint32_t i = 0; i < n; i++)
            y[i] = fabs((double)q[perm[i * stride]]);
        const row_t *r = &rows[f * ns];
        for (int k = 0; k < ns; k++)
            if (rows[f * ns + k].scale == sa)
                r = &rows[f * ns + k];
        snprintf(titles[f + 1], sizeof titles[f + 1], "%s  q=%.4f  underflow %.1f%%", fm[f].name,
                 lp_num_shown(r->d.q_norm), lp_num_shown(100.0 * r->d.underflow_frac));
        sa_ser[f + 1] = (lp_series_t){titles[f + 1], xa, y, n, "steps lw 2", lp_plot_colors[(f + 1) % LP_PLOT_NCOLORS]};
    }
    char ta[320], txt[160];
    signal_text(s, txt, sizeof txt);
    snprintf(ta, sizeof ta, "(a) %s, scale %s: where a curve stops, the format flushed g to 0", txt,
             lp_scale_names[sa]);
    lp_panel_t pa = {ta, s->kind == SIG_GAUSS ? "rank of |g_i| (largest first)" : "x",
                     "|g|, |Q(g)|", 0, 1, 0, 0, 0, 0, "bottom left box opaque", NULL, sa_ser, na};
    if (s->kind == SIG_EXP) {
        pa.xmin = 0;
        pa.xmax = s->x_max;
    }

    /* Panel (b): q_norm against the amplitude, one colour per format, a dash per scale. */
    static const char *const dash[3] = {"lines lw 2", "lines dt 3 lw 2", "lines dt 2 lw 2"};
    size_t m = 0;
    for (int f = 0; f < nf; f++)
        for (int k = 0; k < ns; k++)
            sb[m++] = (lp_series_t){k == 0 ? fm[f].name : NULL, amps, qn + ((size_t)f * ns + k) * SWEEP_N, SWEEP_N,
                                    dash[scales[k]], lp_plot_colors[(f + 1) % LP_PLOT_NCOLORS]};
    /* One grey legend entry per line style (a series without a drawable point). */
    static const double nanv = NAN, onev = 1.0;
    static const char *const style_title[3] = {"no scaling", "tensor scale", "block32 (MX)"};
    for (int k = 0; k < ns; k++)
        sb[m++] = (lp_series_t){style_title[scales[k]], &onev, &nanv, 1, dash[scales[k]], 0x888888};
    char extra[160], tb[200];
    snprintf(extra, sizeof extra, "set arrow from first %g, graph 0 to first %g, graph 1 nohead dt 2 lw 1.5 "
             "lc rgb '#CC0000' front", s->amp, s->amp);
    snprintf(tb, sizeof tb, "(b) q_norm = ||Q(g)||/||g|| against the amplitude A of g (red line: A = %g of panel a)",
             s->amp);
    lp_panel_t pb = {tb, s->kind == SIG_EXP ? "amplitude A = largest |g|; real gradients live far left of 1"
                                            : "amplitude A (g_i ~ A N(0, S^2)); real gradients live far left of 1",
                     "q_norm", 1, 0, amps[0],
                     amps[SWEEP_N - 1], 0, 1.3, "outside right top", extra, sb, m};
    lp_panel_t panels[2] = {pa, pb};
    lp_plot_t plot = {png, 1800, 700, 1, 2, "lpsgd shrink: gradient shrinkage of low-precision formats "
                      "(Yun, Why does SGD slow down in low-precision training?, Fig. 1)", panels, 2};
    rc = lp_plot_png(&plot, err);
out:
    free(sa_ser);
    free(ya);
    free(xa);
    free(perm);
    free(titles);
    free(sb);
    return rc;
}

/* What one shrink run computes and writes (parsed from the command line). */
typedef struct {
    const signal_t *s;
    const fmt_entry_t *fm;
    int nf;
    const int *scales;
    int ns, json;
    const char *csv, *sweep_csv, *png;
} shrink_job_t;

/* Print the table, write the CSV files and the picture; the CSV files are renamed into place
 * only when everything else succeeded (the picture's .dat/.gp stay as its recipe). */
static int emit(lp_args_t *a, const shrink_job_t *j, const lp_qopts_t *q, lp_atomic_t *at, const row_t *rows,
                const float *g, const float *gq, const double *x, const double *amps, const double *qn,
                uint64_t cycles)
{
    lp_err_t err;
    int nrows = j->nf * j->ns;
    if (j->json)
        print_json(j->s, q, rows, nrows, cycles);
    else
        print_table(j->s, q, rows, nrows, cycles);
    if (j->csv)
        write_csv(at[0].f, j->s, q, rows, nrows);
    if (j->sweep_csv)
        write_sweep_csv(at[1].f, j->fm, j->nf, j->scales, j->ns, amps, qn);
    if (lp_io_stdout_done(&err))
        return lp_args_error(a, "%s", err.msg);
    if (j->png && draw(j->png, j->s, j->fm, j->nf, j->scales, j->ns, rows, g, gq, x, amps, qn, &err)) {
        lp_args_error(a, "%s", err.msg);
        return 1;
    }
    lp_atomic_t *outs[2];
    int nout = 0;
    for (int k = 0; k < 2; k++)
        if (at[k].live)
            outs[nout++] = &at[k];
    if (lp_io_atomic_commit_all(outs, nout, &err))
        return lp_args_error(a, "%s", err.msg);
    return 0;
}

/* Open the outputs' temporaries (so an unwritable one fails before the work) and probe the picture's. */
static int open_outputs(const shrink_job_t *j, lp_atomic_t *at, lp_err_t *err)
{
    lp_atomic_t probe;
    memset(at, 0, 2 * sizeof *at);
    if ((j->csv && lp_io_atomic_open(&at[0], j->csv, err)) ||
        (j->sweep_csv && lp_io_atomic_open(&at[1], j->sweep_csv, err)) ||
        (j->png && lp_io_atomic_open(&probe, j->png, err)))
        return -1;
    if (j->png)
        lp_io_atomic_abort(&probe);
    return 0;
}

static int run(lp_args_t *a, const lp_qopts_t *q, const shrink_job_t *j)
{
    const signal_t *s = j->s;
    const fmt_entry_t *fm = j->fm;
    const int nf = j->nf, ns = j->ns, *scales = j->scales;
    const char *png = j->png, *sweep_csv = j->sweep_csv;
    lp_atomic_t at[2];
    lp_sig_saved_t sig;
    lp_sig_catch(&sig, LP_SIG_CLEANUP); /* from here on a signal removes the temporaries */
    lp_err_t err;
    uint32_t n = s->n;
    int nrows = nf * ns;
    float *g = malloc((size_t)n * sizeof *g);
    size_t kept = png ? (size_t)nrows : 1; /* panel (a) needs every row's Q(g) */
    float *gq = malloc(kept * n * sizeof *gq);
    double *x = malloc((size_t)n * sizeof *x);
    row_t *rows = calloc((size_t)nrows, sizeof *rows);
    int do_sweep = png || sweep_csv;
    double *amps = do_sweep ? malloc(SWEEP_N * sizeof *amps) : NULL;
    double *qn = do_sweep ? malloc((size_t)nrows * SWEEP_N * sizeof *qn) : NULL;
    float *g2 = do_sweep ? malloc(SWEEP_MAXN * sizeof *g2) : NULL;
    double *x2 = do_sweep ? malloc(SWEEP_MAXN * sizeof *x2) : NULL;
    float *gq2 = do_sweep ? malloc(SWEEP_MAXN * sizeof *gq2) : NULL;
    runner_t run = {lp_backend_find(q->backend, &err), NULL, q};
    int rc = 2;
    if (open_outputs(j, at, &err)) {
        lp_args_error(a, "%s", err.msg);
        goto out;
    }
    if (!g || !gq || !x || !rows || (do_sweep && (!amps || !qn || !g2 || !x2 || !gq2))) {
        fprintf(stderr, "lpsgd shrink: out of memory for n = %u\n", n);
        rc = 1;
        goto out;
    }
    if (run.ops->open(&run.be, &q->bopts, &err)) {
        lp_args_error(a, "backend %s: %s", q->backend, err.msg);
        run.be = NULL;
        goto out;
    }
    make_signal(s, s->amp, g, x);
    for (int f = 0; f < nf; f++)
        for (int k = 0; k < ns; k++) {
            row_t *r = &rows[f * ns + k];
            r->fmt = fm[f].name;
            r->scale = scales[k];
            if (run_one(&run, &fm[f].fmt, scales[k], g, gq + (png ? (size_t)(f * ns + k) * n : 0), n, &r->st, &err)) {
                lp_args_error(a, "backend %s: %s", q->backend, err.msg);
                rc = 1;
                goto out;
            }
            r->d = lp_qstats_derive(&r->st);
        }
    if (do_sweep && sweep(&run, s, fm, nf, scales, ns, amps, qn, g2, gq2, x2, &err)) {
        lp_args_error(a, "backend %s: %s", q->backend, err.msg);
        rc = 1;
        goto out;
    }
    rc = emit(a, j, q, at, rows, g, gq, x, amps, qn, run.ops->cycles(run.be));
out:
    lp_io_atomic_abort(&at[0]); /* after a commit: nothing left to remove */
    lp_io_atomic_abort(&at[1]);
    lp_sig_restore(&sig);
    if (run.be)
        run.ops->close(run.be);
    free(g);
    free(gq);
    free(x);
    free(rows);
    free(amps);
    free(qn);
    free(g2);
    free(x2);
    free(gq2);
    return rc;
}

int cmd_shrink(int argc, char **argv)
{
    lp_args_t a;
    lp_qopts_t q;
    signal_t s = {SIG_EXP, 0.2, 1.0, 1000, 50.0, 0};
    fmt_entry_t fm[MAX_FORMATS];
    int nf = 0, scales[3] = {LP_SCALE_NONE, LP_SCALE_TENSOR, LP_SCALE_BLOCK32}, ns = 3, json = 0;
    const char *csv = NULL, *png = NULL, *sweep_csv = NULL;
    lp_args_begin(&a, "shrink", argc, argv);
    lp_qopts_init(&q);
    parse_formats(&a, "fp32,bf16,fp16,fp8_e5m2,fp8_e4m3,fp6_e3m2,fp6_e2m3,fp4_e2m1", fm, &nf);
    while (lp_args_next(&a)) {
        const char *v;
        int r;
        if (lp_args_help(&a)) {
            usage();
            return 0;
        }
        if ((r = lp_args_qopt(&a, &q, LP_QOPT_ALL & ~(LP_QOPT_FORMAT | LP_QOPT_SCALE)))) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--signal", &v))) {
            if (r < 0 || parse_signal(&a, v, &s))
                return 2;
        } else if ((r = lp_args_opt(&a, "--amp", &v))) {
            if (r < 0 || lp_args_double(&a, "--amp", v, 1e-38, 1e38, &s.amp))
                return 2;
        } else if ((r = lp_args_opt(&a, "--n", &v))) {
            if (r < 0 || lp_args_u32(&a, "--n", v, 1, 1u << 24, &s.n))
                return 2;
        } else if ((r = lp_args_opt(&a, "--x-max", &v))) {
            if (r < 0 || lp_args_double(&a, "--x-max", v, 1e-30, 1e30, &s.x_max))
                return 2;
        } else if ((r = lp_args_opt(&a, "--formats", &v))) {
            if (r < 0 || parse_formats(&a, v, fm, &nf))
                return 2;
        } else if ((r = lp_args_opt(&a, "--scales", &v))) {
            if (r < 0 || parse_scales(&a, v, scales, &ns))
                return 2;
        } else if ((r = lp_args_opt(&a, "--csv", &v))) {
            if (r < 0)
                return 2;
            csv = v;
        } else if ((r = lp_args_opt(&a, "--sweep-csv", &v))) {
            if (r < 0)
                return 2;
            sweep_csv = v;
        } else if ((r = lp_args_opt(&a, "--plot", &v))) {
            if (r < 0)
                return 2;
            png = v;
        } else if (lp_args_flag(&a, "--json")) {
            json = 1;
        } else if (lp_args_is_option(&a)) {
            return lp_args_unknown(&a);
        } else {
            return lp_args_error(&a, "unexpected argument '%s' (shrink takes only options; try --help)",
                                 lp_args_cur(&a));
        }
    }
    if (lp_qopts_finish(&a, &q))
        return 2;
    s.seed = q.cfg.seed;

    shrink_job_t job = {&s, fm, nf, scales, ns, json, csv, sweep_csv, png};
    return run(&a, &q, &job);
}
