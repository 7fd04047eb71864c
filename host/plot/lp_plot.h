/*
 * lp_plot.h - a small gnuplot driver for every lpsgd plot (shrinkage, training curves).
 *
 * lp_plot_png(plot, err) writes, next to the PNG:
 *     F.dat   the data: one gnuplot data block per series (x y), blocks separated by two
 *             blank lines, so `index k` selects series k (panel by panel, in order)
 *     F.gp    the gnuplot script that draws F.png from F.dat
 * then runs gnuplot on the script (pngcairo terminal; plain png if cairo is missing) and
 * renames the finished picture over F.png (never a half-drawn PNG). The .dat and .gp stay
 * so a user can restyle the figure by editing the script and running `gnuplot F.gp`.
 *
 * gnuplot is looked up on PATH (or $LP_GNUPLOT names it). Without it, lp_plot_png fails
 * with a message saying so and how to install it (Debian package gnuplot-nox); the data
 * and script are still written.
 *
 * Several panels make a multiplot (rows x cols). A series is y(x) at n points, or a band
 * between two edges (style "filledcurves ..."); y values that are NaN, or <= 0 on a
 * logarithmic y axis, are left out (gnuplot leaves a gap).
 */
#ifndef LP_PLOT_H
#define LP_PLOT_H

#include <stddef.h>

#include "backend/backend.h" /* lp_err_t */

typedef struct {
    const char *title;  /* legend entry; NULL = no entry                                   */
    const double *x;    /* n abscissae                                                      */
    const double *y;    /* n ordinates                                                      */
    size_t n;
    const char *style;  /* gnuplot "with" clause; NULL = "lines lw 2" (e.g. "steps lw 2",
                           "linespoints pt 7 ps 0.6", "lines dt 2 lw 2"). A style starting
                           "filledcurves" (e.g. "filledcurves fs transparent solid 0.2
                           noborder") makes a band: y then holds 2n values, the lower edge
                           y[0..n) and the upper edge y[n..2n) (a min-max spread)          */
    int color;          /* 0xRRGGBB, or -1 = gnuplot's palette by series index             */
} lp_series_t;

typedef struct {
    const char *title;       /* panel title (may be NULL)                                   */
    const char *xlabel, *ylabel;
    int logx, logy;          /* logarithmic axes (base 10)                                   */
    double xmin, xmax;       /* range; xmin >= xmax = automatic                              */
    double ymin, ymax;       /* range; ymin >= ymax = automatic                              */
    const char *key;         /* gnuplot "set key" arguments; NULL = "top right", "off" hides */
    const char *extra;       /* more gnuplot commands for this panel (labels, arrows), or NULL */
    const lp_series_t *series;
    size_t nseries;
} lp_panel_t;

typedef struct {
    const char *png;         /* output file, should end in .png                              */
    int width, height;       /* pixels; 0 = 900 x 600 per panel                              */
    int rows, cols;          /* multiplot layout; 0 = one row of all panels                  */
    const char *title;       /* title over all panels (may be NULL)                          */
    const lp_panel_t *panels;
    size_t npanels;
} lp_plot_t;

/* Write F.dat and F.gp, run gnuplot, produce F.png. 0 ok; -1 and err->msg otherwise. */
int lp_plot_png(const lp_plot_t *plot, lp_err_t *err);

/* The path of gnuplot that lp_plot_png would run, or NULL when there is none. */
const char *lp_plot_gnuplot(void);

/* The default series colours (a colour-blind-safe palette), indexed modulo LP_PLOT_NCOLORS. */
#define LP_PLOT_NCOLORS 8
extern const int lp_plot_colors[LP_PLOT_NCOLORS];

#endif
