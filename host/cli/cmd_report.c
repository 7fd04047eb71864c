/*
 * cmd_report.c - `lpsgd report DIR`: a study directory (docs/sweep.md) as one page,
 * DIR/report.html (self-contained) and DIR/report.md with the PNGs in DIR/report/ (host/report).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "io/lp_file.h"
#include "io/lp_io.h"
#include "report/report.h"

#define DEFAULT_RESOURCES "build/resources/kernel.csv"

static void usage(void)
{
    printf("usage: lpsgd report DIR [--out BASE] [--target-loss L] [--title T] [--resources FILE]\n\n"
           "Turns a study directory - the jobs of 'lpsgd sweep', listed in DIR/index.csv with their\n"
           "train logs (docs/sweep.md) - into one page comparing the gradient widths:\n\n"
           "  DIR/report.html  one self-contained file (images embedded, no script, no link out):\n"
           "                   open it in any browser, mail it, archive it\n"
           "  DIR/report.md    the same as Markdown, linking the PNGs in DIR/report/\n"
           "  DIR/report/      the PNGs and, beside each, its gnuplot data (.dat) and script (.gp)\n\n"
           "The page (every figure computed from the done jobs' logs, mean over seeds):\n"
           "  - widths compared: loss and test curves of each width at its best stepsize (band:\n"
           "    min-max over seeds), final loss against the stepsize, a summary table;\n"
           "  - a table per width, stepsize and --compensate: final train loss and its spread, test\n"
           "    accuracy, steps to reach the target loss, the error floor (last 25 %% of the\n"
           "    evaluations), q_proj, lr/q_proj (the stepsize that would give FP32's behaviour), and\n"
           "    which larger stepsize of the grid reaches FP32's loss; what --compensate achieved;\n"
           "  - per width: q_norm, q_proj, underflow and saturation over the run;\n"
           "  - hardware: LUT/FF/DSP/BRAM36 per width from 'make resources' and a Pareto plot of\n"
           "    loss against LUTs (only when that table exists);\n"
           "  - the paper's Figure 1 table (this program's 'lpsgd shrink --json');\n"
           "  - the jobs not done, and the exact command of every job.\n"
           "Only jobs with status done are used. The same inputs give the same report.md bytes.\n\n"
           "options:\n"
           "  --out BASE          write BASE.html, BASE.md and BASE/*.png (default DIR/report)\n"
           "  --target-loss L     the loss 'steps to target' counts to (default: 1.1 x the best mean\n"
           "                      final train loss of the fp32 runs)\n"
           "  --title T           the page's title (default: \"lpsgd study DIR\")\n"
           "  --resources FILE    make resources' kernel.csv (default " DEFAULT_RESOURCES ",\n"
           "                      relative to the current directory; without it the page says so)\n\n"
           "example:\n"
           "  lpsgd sweep st --format fp32,fp8_e4m3,fp4_e2m1 --lr 0.01,0.02,0.05 --seeds 1-3 -- --epochs 3\n"
           "  lpsgd report st          # then open st/report.html\n");
}

/* The page into BASE.html and BASE.md, both renamed into place only when both are whole. */
static int write_page(const char *base, const char *title, const rp_study_t *s, const rp_opts_t *o, lp_err_t *err)
{
    char html[4096], md[4096];
    snprintf(html, sizeof html, "%s.html", base);
    snprintf(md, sizeof md, "%s.md", base);
    lp_atomic_t ah, am;
    if (lp_io_atomic_open(&ah, html, err))
        return -1;
    if (lp_io_atomic_open(&am, md, err)) {
        lp_io_atomic_abort(&ah);
        return -1;
    }
    const char *slash = strrchr(base, '/');
    rp_page_t p = {ah.f, am.f, base, slash ? slash + 1 : base, 0, 0, err, 0, 0};
    rp_page_begin(&p, title);
    rp_sections(&p, s, o);
    rp_page_end(&p);
    if (p.failed) {
        lp_io_atomic_abort(&ah);
        lp_io_atomic_abort(&am);
        return -1;
    }
    lp_atomic_t *all[2] = {&ah, &am};
    return lp_io_atomic_commit_all(all, 2, err);
}

int cmd_report(int argc, char **argv)
{
    lp_args_t a;
    const char *dir = NULL, *out = NULL, *title = NULL, *resources = NULL, *v;
    double target = NAN;
    lp_args_begin(&a, "report", argc, argv);
    while (lp_args_next(&a)) {
        int r;
        if (lp_args_help(&a)) {
            usage();
            return 0;
        }
        if ((r = lp_args_opt(&a, "--out", &out)) || (r = lp_args_opt(&a, "--title", &title)) ||
            (r = lp_args_opt(&a, "--resources", &resources))) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--target-loss", &v))) {
            if (r < 0 || lp_args_double(&a, "--target-loss", v, 1e-300, 1e300, &target))
                return 2;
            continue;
        }
        if (lp_args_is_option(&a))
            return lp_args_unknown(&a);
        if (dir)
            return lp_args_error(&a, "one study directory only ('%s' and '%s')", dir, lp_args_cur(&a));
        dir = lp_args_cur(&a);
    }
    if (!dir)
        return lp_args_error(&a, "give the study directory: lpsgd report DIR (try --help)");
    char base[4096], deftitle[4200];
    snprintf(base, sizeof base, "%s/report", dir);
    if (!out)
        out = base;
    snprintf(deftitle, sizeof deftitle, "lpsgd study %s", dir);

    lp_sig_saved_t saved;
    lp_sig_catch(&saved, LP_SIG_CLEANUP);
    rp_study_t s;
    rp_resources_t res = {0};
    rp_fig1_t fig1 = {0};
    lp_err_t err;
    int rc = 2;
    if (rp_study_load(dir, &s, &err) ||
        rp_resources_read(resources ? resources : DEFAULT_RESOURCES, resources != NULL, &res, &err)) {
        fprintf(stderr, "lpsgd report: %s\n", err.msg);
        goto out;
    }
    rc = 1;
    if (rp_metrics(&s, target, &err) == 0) {
        rp_fig1_run(&fig1);
        rp_opts_t o = {&res, &fig1};
        if (rp_plots(&s, &res, out, &err) == 0 && write_page(out, title ? title : deftitle, &s, &o, &err) == 0)
            rc = 0;
    }
    if (rc)
        fprintf(stderr, "lpsgd report: %s\n", err.msg);
    else
        printf("wrote %s.html (one self-contained page) and %s.md (its PNGs in %s/)\n", out, out, out);
out:
    rp_fig1_free(&fig1);
    rp_resources_free(&res);
    rp_study_free(&s);
    lp_sig_restore(&saved);
    return rc;
}
