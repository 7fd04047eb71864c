/*
 * vcard_report.c - what a vcard run tells a user (vcard.h): from the card's counters, the
 * simulated time per step and per epoch, GB/s per kernel port and per memory channel, PCIe
 * utilisation each way, the bottleneck, and the samples/s projected for 1..N compute units.
 * The rules (docs/vcard.md, "What a run tells you"):
 *   per step   step    = the simulated time / steps (lpsgd has one run outstanding per CU,
 *                        so a step's DMA and its kernel run one after the other)
 *              kernel  = CU 1's cycles (ap_start..interrupt) / clock / steps
 *              channel = the busiest channel's busy time / steps
 *              PCIe    = the DMA's busy time, both ways (one engine) / steps
 *              host    = lpsgd's CPU time outside the simulation / steps (this machine)
 *   on the card   the larger of kernel and PCIe; the kernel's time is the channel's when
 *                 that channel was busy >= 90 % of it (the kernel was waiting on memory)
 *   bottleneck    host when the host's time per step exceeds the simulated step, else the
 *                 card's
 *   projection    N CUs, each running a job like this one on its own banks (the cfg's map):
 *                 step(N) = max(step, max over channels of the N CUs' bytes on it / its peak
 *                 rate, N x PCIe, N x host); samples/s = N x batch / step(N); the card
 *                 alone: the same without the host term
 *   one-port bound   one CU streaming its minibatch at one 64-byte beat per cycle, nothing
 *                 else: B x (1 + D/16) beats per step (a row's header beat and its D/16
 *                 data beats), i.e. clock / (1 + D/16) samples/s per CU, N times that for N
 */
#include "vcard.h"

#include <string.h>

#include "io/lp_io.h"
#include "plot/lp_plot.h"

static const char *const port_names[3] = {"gmem0 read (data)", "gmem1 read (model, cfg)",
                                          "gmem1 write (model, stats)"};
static const char *const port_keys[3] = {"gmem0_read", "gmem1_read", "gmem1_write"};

static double per(double x, double n) { return n > 0 ? x / n : 0; }

/* Step time with n CUs and what limits it (the projection's rule, above); host: count it. */
static double project(const lp_vc_facts_t *f, const lp_vc_figures_t *g, double steps, unsigned n, int host,
                      char *limit, size_t lsize)
{
    double load[LP_VC_MAX_BANKS] = {0}, t = g->step_s;
    /* one CU's bytes per step: the data stream (gmem0 + the DMA in) on its data bank, the
       rest (gmem1 + the DMA out) on its model bank */
    double data = per((double)f->port_bytes[0] + (double)f->pcie_bytes[0], steps);
    double rest = per((double)f->port_bytes[1] + (double)f->port_bytes[2] + (double)f->pcie_bytes[1], steps);
    snprintf(limit, lsize, "%s", g->card_bottleneck);
    for (unsigned c = 0; c < n; c++) {
        load[f->arg_bank[c][0] % LP_VC_MAX_BANKS] += data;
        load[f->arg_bank[c][1] % LP_VC_MAX_BANKS] += rest;
    }
    for (unsigned b = 0; b < f->nbanks && b < LP_VC_MAX_BANKS; b++) {
        double tb = f->bank[b].gbps > 0 ? load[b] / (f->bank[b].gbps * 1e9) : 0;
        if (tb > t)
            t = tb, snprintf(limit, lsize, "memory channel %s", f->bank[b].name);
    }
    if (n * g->pcie_s > t)
        t = n * g->pcie_s, snprintf(limit, lsize, "PCIe");
    if (host && n * g->host_s > t)
        t = n * g->host_s, snprintf(limit, lsize, "host");
    return t;
}

void lp_vc_figures(const lp_vc_facts_t *f, const lp_run_shape_t *run, lp_vc_figures_t *g)
{
    double steps = (double)run->steps;
    memset(g, 0, sizeof *g);
    g->step_s = per(f->sim_seconds, steps);
    g->epoch_s = g->step_s * run->steps_per_epoch;
    g->kernel_s = per(f->clock_mhz > 0 ? (double)f->cycles / (f->clock_mhz * 1e6) : 0, steps);
    g->pcie_s = per(f->pcie_busy_s[0] + f->pcie_busy_s[1], steps);
    g->host_s = per(f->host_seconds, steps);
    g->chan = -1;
    for (unsigned b = 0; b < f->nbanks && b < LP_VC_MAX_BANKS; b++)
        if (f->bank[b].busy_s > 0 && (g->chan < 0 || f->bank[b].busy_s > f->bank[g->chan].busy_s))
            g->chan = (int)b;
    g->chan_s = g->chan < 0 ? 0 : per(f->bank[g->chan].busy_s, steps);
    if (g->chan >= 0 && g->chan_s >= 0.9 * g->kernel_s)
        snprintf(g->card_bottleneck, sizeof g->card_bottleneck, "memory channel %s", f->bank[g->chan].name);
    else
        snprintf(g->card_bottleneck, sizeof g->card_bottleneck, "kernel");
    if (g->pcie_s > g->kernel_s)
        snprintf(g->card_bottleneck, sizeof g->card_bottleneck, "PCIe");
    snprintf(g->bottleneck, sizeof g->bottleneck, "%s", g->host_s > g->step_s ? "host" : g->card_bottleneck);
    g->bound_sps = run->D ? f->clock_mhz * 1e6 / (1.0 + run->D / 16) : 0;
    for (unsigned n = 1; n <= f->ncu && n <= LP_VC_MAX_CUS; n++) {
        double tn = project(f, g, steps, n, 1, g->proj_limit[n - 1], sizeof g->proj_limit[n - 1]);
        double tc = project(f, g, steps, n, 0, g->card_limit[n - 1], sizeof g->card_limit[n - 1]);
        g->proj_sps[n - 1] = tn > 0 ? n * (double)run->batch / tn : 0;
        g->card_sps[n - 1] = tc > 0 ? n * (double)run->batch / tc : 0;
    }
}

static void text(const lp_vc_facts_t *f, const lp_vc_figures_t *g, FILE *out)
{
    double krun = f->clock_mhz > 0 ? (double)f->cycles / (f->clock_mhz * 1e6) : 0, sim = f->sim_seconds;
    fprintf(out, "vcard %s (%u CU, %.0f MHz): simulated %.6g s per step, %.6g s per epoch (%.6g s in all)\n",
            f->card, f->ncu, f->clock_mhz, g->step_s, g->epoch_s, sim);
    fprintf(out, "  kernel  CU 1 busy %.1f %% of the time, %.6g s per step\n", 100 * per(krun, sim), g->kernel_s);
    for (int k = 0; k < 3; k++)
        fprintf(out, "  port    %-27s %7.3f GB/s while the kernel runs\n", port_names[k],
                per((double)f->port_bytes[k], krun) / 1e9);
    for (unsigned b = 0; b < f->nbanks && b < LP_VC_MAX_BANKS; b++)
        if (f->bank[b].bytes)
            fprintf(out, "  memory  %-8s %7.3f GB/s on average, busy %5.1f %% (peak %.3f GB/s)\n", f->bank[b].name,
                    per((double)f->bank[b].bytes, sim) / 1e9, 100 * per(f->bank[b].busy_s, sim), f->bank[b].gbps);
    for (int d = 0; d < 2; d++)
        fprintf(out, "  PCIe    %s %7.3f GB/s while busy, busy %5.1f %% of the time\n",
                d ? "card -> host" : "host -> card", per((double)f->pcie_bytes[d], f->pcie_busy_s[d]) / 1e9,
                100 * per(f->pcie_busy_s[d], sim));
    fprintf(out, "  host    %.6g s per step outside the simulation (lpsgd's CPU time on this machine)\n", g->host_s);
    fprintf(out, "  bottleneck: %s; on the card: %s (docs/vcard.md has the rule)\n", g->bottleneck,
            g->card_bottleneck);
    fprintf(out, "  projected on a %s, one job per CU like this one (samples/s, what limits it; the card alone;"
                 " the one-port bound):\n",
            f->card);
    for (unsigned n = 1; n <= f->ncu && n <= LP_VC_MAX_CUS; n++)
        fprintf(out, "    %u CU  %10.4g  %-22s %10.4g  %-22s %10.4g\n", n, g->proj_sps[n - 1], g->proj_limit[n - 1],
                g->card_sps[n - 1], g->card_limit[n - 1], n * g->bound_sps);
}

static void json(const lp_vc_facts_t *f, const lp_vc_figures_t *g, FILE *out)
{
    double krun = f->clock_mhz > 0 ? (double)f->cycles / (f->clock_mhz * 1e6) : 0, sim = f->sim_seconds;
    static const char *const k[] = {"clock_mhz",     "sim_seconds",  "sim_step_s", "sim_epoch_s",
                                     "kernel_step_s", "kernel_busy",  "pcie_step_s", "host_step_s"};
    const double v[] = {f->clock_mhz, sim, g->step_s, g->epoch_s, g->kernel_s, per(krun, sim), g->pcie_s, g->host_s};
    fprintf(out, "{\"card\": \"%s\", \"cus\": %u, ", f->card, f->ncu);
    lp_json_fields(out, k, v, sizeof v / sizeof v[0]);
    fprintf(out, ", \"ports\": {");
    for (int p = 0; p < 3; p++) {
        fprintf(out, "%s\"%s\": ", p ? ", " : "", port_keys[p]);
        lp_json_num(out, per((double)f->port_bytes[p], krun) / 1e9);
    }
    fprintf(out, "}, \"channels\": [");
    for (unsigned b = 0, first = 1; b < f->nbanks && b < LP_VC_MAX_BANKS; b++) {
        if (!f->bank[b].bytes)
            continue;
        static const char *const ck[] = {"gbps", "busy", "peak_gbps"};
        const double cv[] = {per((double)f->bank[b].bytes, sim) / 1e9, per(f->bank[b].busy_s, sim), f->bank[b].gbps};
        fprintf(out, "%s{\"bank\": \"%s\", ", first ? "" : ", ", f->bank[b].name);
        lp_json_fields(out, ck, cv, 3);
        fprintf(out, "}");
        first = 0;
    }
    static const char *const pk[] = {"h2c_gbps", "h2c_util", "c2h_gbps", "c2h_util"};
    const double pv[] = {per((double)f->pcie_bytes[0], f->pcie_busy_s[0]) / 1e9, per(f->pcie_busy_s[0], sim),
                         per((double)f->pcie_bytes[1], f->pcie_busy_s[1]) / 1e9, per(f->pcie_busy_s[1], sim)};
    fprintf(out, "], \"pcie\": {");
    lp_json_fields(out, pk, pv, 4);
    fprintf(out, "}, \"bottleneck\": \"%s\", \"card_bottleneck\": \"%s\", \"projection\": [", g->bottleneck,
            g->card_bottleneck);
    for (unsigned n = 1; n <= f->ncu && n <= LP_VC_MAX_CUS; n++) {
        fprintf(out, "%s{\"cus\": %u, \"samples_per_s\": ", n > 1 ? ", " : "", n);
        lp_json_num(out, g->proj_sps[n - 1]);
        fprintf(out, ", \"limit\": \"%s\", \"card_samples_per_s\": ", g->proj_limit[n - 1]);
        lp_json_num(out, g->card_sps[n - 1]);
        fprintf(out, ", \"card_limit\": \"%s\", \"one_port_bound_samples_per_s\": ", g->card_limit[n - 1]);
        lp_json_num(out, n * g->bound_sps);
        fprintf(out, "}");
    }
    fprintf(out, "]}");
}

void lp_vc_report(const lp_vc_facts_t *f, const lp_run_shape_t *run, int as_json, FILE *out)
{
    lp_vc_figures_t g;
    lp_vc_figures(f, run, &g);
    if (as_json)
        json(f, &g, out);
    else
        text(f, &g, out);
}

int lp_vc_plot(const lp_vc_facts_t *f, const lp_run_shape_t *run, const char *png, lp_err_t *err)
{
    lp_vc_figures_t g;
    lp_vc_figures(f, run, &g);
    /* where a step's time goes, in microseconds: one bar each */
    const double bx[5] = {1, 2, 3, 4, 5};
    const double by[5] = {1e6 * g.step_s, 1e6 * g.kernel_s, 1e6 * g.chan_s, 1e6 * g.pcie_s, 1e6 * g.host_s};
    double nx[LP_VC_MAX_CUS], all[LP_VC_MAX_CUS], card[LP_VC_MAX_CUS];
    unsigned n = f->ncu < LP_VC_MAX_CUS ? f->ncu : LP_VC_MAX_CUS;
    for (unsigned i = 0; i < n; i++)
        nx[i] = i + 1, all[i] = g.proj_sps[i], card[i] = g.card_sps[i];
    char xt[200], title[160], bt[200];
    snprintf(xt, sizeof xt, "set xtics ('step (simulated)' 1, 'kernel' 2, 'busiest channel' 3, 'PCIe' 4, 'host' 5)");
    snprintf(bt, sizeof bt, "per step (bottleneck: %s; on the card: %s)", g.bottleneck, g.card_bottleneck);
    snprintf(title, sizeof title, "vcard %s, %u CU at %.0f MHz, batch %u", f->card, f->ncu, f->clock_mhz,
             run->batch);
    lp_series_t bars = {NULL, bx, by, 5, "boxes fs solid 0.5", -1};
    lp_series_t proj[2] = {{"with the host (this machine)", nx, all, n, "linespoints pt 7 lw 2", -1},
                           {"the card alone", nx, card, n, "linespoints pt 5 lw 2", -1}};
    lp_panel_t panels[2] = {
        {bt, NULL, "microseconds", 0, 1, 0.4, 5.6, 0, 0, "off", xt, &bars, 1},
        {"projected, one job per CU", "compute units", "samples/s", 0, 1, 0.5, n + 0.5, 0, 0, "center right",
         "set xtics 1", proj, 2},
    };
    lp_plot_t p = {png, 0, 0, 1, 2, title, panels, 2};
    return lp_plot_png(&p, err);
}
