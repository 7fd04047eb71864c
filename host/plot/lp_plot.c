/*
 * lp_plot.c - write data + script, run gnuplot (see lp_plot.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "lp_plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/lp_file.h"
#include "io/lp_io.h"

extern char **environ;

/* Okabe-Ito, then two darker tones: distinguishable with the common colour-vision deficiencies. */
const int lp_plot_colors[LP_PLOT_NCOLORS] = {0x000000, 0xE69F00, 0x56B4E9, 0x009E73,
                                             0xD55E00, 0x0072B2, 0xCC79A7, 0x8C6D1F};

const char *lp_plot_gnuplot(void)
{
    static char found[PATH_MAX];
    const char *env = getenv("LP_GNUPLOT");
    if (env && *env)
        return access(env, X_OK) == 0 ? env : NULL;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t l = strcspn(path, ":");
        if (l > 0 && (size_t)snprintf(found, sizeof found, "%.*s/gnuplot", (int)l, path) < sizeof found &&
            access(found, X_OK) == 0)
            return found;
        path += l + (path[l] == ':');
    }
    return NULL;
}

/* A gnuplot single-quoted string ('' stands for one quote). */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; s && *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        if (*s != '\n')
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* A band between two edges (lp_series_t.style): its y holds the lower then the upper edge. */
static int is_band(const lp_series_t *se)
{
    return se->style && !strncmp(se->style, "filledcurves", 12);
}

static void write_data(FILE *f, const lp_plot_t *plot)
{
    for (size_t p = 0; p < plot->npanels; p++) {
        const lp_panel_t *pn = &plot->panels[p];
        for (size_t s = 0; s < pn->nseries; s++) {
            const lp_series_t *se = &pn->series[s];
            fprintf(f, "# panel %zu series %zu: %s\n", p, s, se->title ? se->title : "");
            int any = 0, band = is_band(se);
            for (size_t i = 0; i < se->n; i++) {
                double x = se->x[i], y = se->y[i], y2 = band ? se->y[se->n + i] : 1;
                int bad = !isfinite(x) || !isfinite(y) || !isfinite(y2) || (pn->logy && (y <= 0 || y2 <= 0)) ||
                          (pn->logx && x <= 0);
                if (bad)
                    fprintf(f, band ? "NaN NaN NaN\n" : "NaN NaN\n");
                else if (band)
                    fprintf(f, "%.9g %.9g %.9g\n", x, y, y2);
                else
                    fprintf(f, "%.9g %.9g\n", x, y);
                any |= !bad;
            }
            if (!any)
                fprintf(f, band ? "NaN NaN NaN\n" : "NaN NaN\n");
            fprintf(f, "\n\n");
        }
    }
}

static void write_script(FILE *f, const lp_plot_t *plot, const char *dat, const char *png, int w, int h)
{
    fprintf(f, "# lpsgd plot: run `gnuplot %s` to redraw (override the output with -e \"lp_out='x.png'\")\n",
            png);
    fprintf(f, "if (!exists(\"lp_out\")) lp_out = ");
    gp_str(f, png);
    fprintf(f, "\nif (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
               "    set terminal pngcairo size %d,%d noenhanced font 'sans,10'\n"
               "} else {\n"
               "    set terminal png size %d,%d noenhanced\n"
               "}\nset output lp_out\n",
            w, h, w, h);
    int rows = plot->rows, cols = plot->cols;
    if (rows <= 0 || cols <= 0) {
        rows = 1;
        cols = (int)plot->npanels;
    }
    fprintf(f, "set multiplot layout %d,%d", rows, cols);
    if (plot->title) {
        fprintf(f, " title ");
        gp_str(f, plot->title);
        fprintf(f, " font 'sans,12'");
    }
    fprintf(f, "\n");
    size_t block = 0;
    for (size_t p = 0; p < plot->npanels; p++) {
        const lp_panel_t *pn = &plot->panels[p];
        fprintf(f, "\nreset\nset grid\nset mxtics\nset mytics\n");
        if (pn->title) {
            fprintf(f, "set title ");
            gp_str(f, pn->title);
            fprintf(f, "\n");
        }
        if (pn->xlabel) {
            fprintf(f, "set xlabel ");
            gp_str(f, pn->xlabel);
            fprintf(f, "\n");
        }
        if (pn->ylabel) {
            fprintf(f, "set ylabel ");
            gp_str(f, pn->ylabel);
            fprintf(f, "\n");
        }
        if (pn->logx)
            fprintf(f, "set logscale x 10\nset format x '1e%%L'\n");
        if (pn->logy)
            fprintf(f, "set logscale y 10\nset format y '1e%%L'\n");
        if (pn->xmin < pn->xmax)
            fprintf(f, "set xrange [%.9g:%.9g]\n", pn->xmin, pn->xmax);
        if (pn->ymin < pn->ymax)
            fprintf(f, "set yrange [%.9g:%.9g]\n", pn->ymin, pn->ymax);
        fprintf(f, "set key %s\n", pn->key ? pn->key : "top right");
        if (pn->extra)
            fprintf(f, "%s\n", pn->extra);
        fprintf(f, "plot ");
        for (size_t s = 0; s < pn->nseries; s++, block++) {
            const lp_series_t *se = &pn->series[s];
            int c = se->color >= 0 ? se->color : lp_plot_colors[s % LP_PLOT_NCOLORS];
            fprintf(f, "%s", s ? ", \\\n     " : "");
            gp_str(f, dat);
            fprintf(f, " index %zu using %s with %s lc rgb '#%06X' ", block, is_band(se) ? "1:2:3" : "1:2",
                    se->style ? se->style : "lines lw 2",
                    (unsigned)c & 0xFFFFFFu);
            if (se->title) {
                fprintf(f, "title ");
                gp_str(f, se->title);
            } else {
                fprintf(f, "notitle");
            }
        }
        if (!pn->nseries)
            fprintf(f, "NaN notitle");
        fprintf(f, "\n");
    }
    fprintf(f, "\nunset multiplot\nset output\n");
}

/* path with its .png extension (if any) replaced by ext. */
static int sibling(char *out, size_t cap, const char *png, const char *ext)
{
    size_t l = strlen(png);
    if (l > 4 && !strcmp(png + l - 4, ".png"))
        l -= 4;
    return (size_t)snprintf(out, cap, "%.*s%s", (int)l, png, ext) < cap ? 0 : -1;
}

static int write_file(const char *path, const lp_plot_t *plot, const char *dat, const char *png, int w, int h,
                      lp_err_t *err)
{
    lp_atomic_t a;
    if (lp_io_atomic_open(&a, path, err))
        return -1;
    if (dat)
        write_script(a.f, plot, dat, png, w, h);
    else
        write_data(a.f, plot);
    return lp_io_atomic_commit(&a, err);
}

int lp_plot_png(const lp_plot_t *plot, lp_err_t *err)
{
    char dat[PATH_MAX], gp[PATH_MAX], tmp[PATH_MAX], log[PATH_MAX], absdat[PATH_MAX], abspng[PATH_MAX];
    if (sibling(dat, sizeof dat, plot->png, ".dat") || sibling(gp, sizeof gp, plot->png, ".gp") ||
        (size_t)snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", plot->png) >= sizeof tmp ||
        (size_t)snprintf(log, sizeof log, "%s.log", gp) >= sizeof log)
        return lp_fail(err, "%s: path too long", plot->png);
    int per = plot->npanels ? (int)plot->npanels : 1;
    int w = plot->width > 0 ? plot->width : (plot->cols > 0 ? plot->cols : per) * 900;
    int h = plot->height > 0 ? plot->height : (plot->rows > 0 ? plot->rows : 1) * 600;
    if (write_file(dat, plot, NULL, NULL, 0, 0, err))
        return -1;
    /* The script names files by absolute path so it can be re-run from anywhere. */
    if (!realpath(dat, absdat))
        return lp_fail(err, "%s: %s", dat, strerror(errno));
    char *slash = strrchr(absdat, '/');
    const char *base = strrchr(plot->png, '/');
    snprintf(abspng, sizeof abspng, "%.*s/%s", (int)(slash - absdat), absdat, base ? base + 1 : plot->png);
    if (write_file(gp, plot, absdat, abspng, w, h, err))
        return -1;

    const char *gnuplot = lp_plot_gnuplot();
    if (!gnuplot)
        return lp_fail(err, "%s: gnuplot not found (install the Debian package gnuplot-nox, e.g. 'sudo make "
                            "deps'); the data are in %s and the script in %s",
                       plot->png, dat, gp);
    if (strchr(tmp, '\''))
        return lp_fail(err, "%s: a quote in the file name is not supported for plots", plot->png);
    /* gnuplot draws into a registered temporary: a signal with lp_sig_catch(LP_SIG_CLEANUP) removes it */
    int tfd = lp_tmp_create(tmp);
    if (tfd < 0)
        return lp_fail(err, "%s: cannot write: %s", plot->png, strerror(errno));
    close(tfd);
    char setout[PATH_MAX + 16];
    snprintf(setout, sizeof setout, "lp_out='%s'", tmp);
    if (lp_tmp_add(log)) {
        lp_tmp_drop(tmp, NULL);
        return lp_fail(err, "%s: cannot write: %s", plot->png, strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char *argv[] = {(char *)gnuplot, "-e", setout, gp, NULL};
    pid_t pid;
    /* Signals held back until the handler knows the child (which starts with the usual mask). */
    sigset_t mask;
    lp_sig_hold(&mask);
    posix_spawnattr_t sa;
    posix_spawnattr_init(&sa);
    posix_spawnattr_setsigmask(&sa, &mask);
    posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSIGMASK);
    int rc = posix_spawn(&pid, gnuplot, &fa, &sa, argv, environ);
    posix_spawnattr_destroy(&sa);
    posix_spawn_file_actions_destroy(&fa);
    if (rc == 0)
        lp_sig_child(pid);
    lp_sig_release(&mask);
    if (rc != 0) {
        lp_tmp_drop(log, NULL);
        lp_tmp_drop(tmp, NULL);
        return lp_fail(err, "%s: cannot run %s: %s", plot->png, gnuplot, strerror(rc));
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    lp_sig_child(0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char first[300] = "";
        FILE *lf = fopen(log, "r");
        if (lf) {
            size_t got = fread(first, 1, sizeof first - 1, lf);
            first[got] = '\0';
            fclose(lf);
            for (char *c = first; *c; c++)
                if (*c == '\n')
                    *c = ' ';
        }
        lp_tmp_drop(tmp, NULL);
        lp_tmp_forget(log); /* kept: the message names it */
        return lp_fail(err, "%s: gnuplot failed (script %s; its log %s): %s", plot->png, gp, log, first);
    }
    lp_tmp_drop(log, NULL);
    if (lp_tmp_drop(tmp, plot->png) != 0)
        return lp_fail(err, "%s: cannot write: %s", plot->png, strerror(errno));
    return 0;
}
