/*
 * test_vcard_report.c - the arithmetic of the vcard backend's report (host/backend/vcard.h,
 * lp_vc_figures; the rules in docs/vcard.md): counters chosen by hand, the figures and the
 * names the rules give them worked out here. Needs no SystemC: it runs in every build.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backend/vcard.h"
#include "lp_test.h"

static int near(double a, double b) { return fabs(a - b) <= 1e-9 * fabs(b); }

/* A u250 with 4 CUs, each on its own DDR4 channel; 10 steps of 64 rows, 5 per epoch. */
static void card(lp_vc_facts_t *f)
{
    static const char *const names[4] = {"DDR[0]", "DDR[1]", "DDR[2]", "DDR[3]"};
    memset(f, 0, sizeof *f);
    f->card = "u250";
    f->ncu = 4, f->nbanks = 4;
    f->clock_mhz = 300;
    f->sim_seconds = 100e-6; /* 10 us per step                          */
    f->cycles = 9000;        /* 30 us: 3 us per step                    */
    f->host_seconds = 60e-6; /* 6 us per step                           */
    f->pcie_busy_s[0] = 40e-6, f->pcie_busy_s[1] = 10e-6; /* 5 us per step */
    f->port_bytes[0] = 962500; /* with the DMA in: 96250 B per step: 5 us of a DDR4 channel */
    f->pcie_bytes[0] = 0;
    for (unsigned b = 0; b < 4; b++)
        f->bank[b].name = names[b], f->bank[b].gbps = 19.25;
    f->bank[0].bytes = 962500, f->bank[0].busy_s = 20e-6; /* 2 us per step: under 0.9 x kernel */
    for (unsigned c = 0; c < 4; c++)
        for (unsigned a = 0; a < 4; a++)
            f->arg_bank[c][a] = c;
}

int main(void)
{
    lp_vc_facts_t f;
    lp_vc_figures_t g;
    const lp_run_shape_t run = {10, 5, 64, 256};

    card(&f);
    lp_vc_figures(&f, &run, &g);
    LP_CASE("per step and per epoch: simulated time / steps, x steps per epoch",
            near(g.step_s, 10e-6) && near(g.epoch_s, 50e-6) && near(g.kernel_s, 3e-6) && near(g.pcie_s, 5e-6) &&
                near(g.host_s, 6e-6) && near(g.chan_s, 2e-6) && g.chan == 0,
            "step %g epoch %g kernel %g pcie %g host %g chan %g (%d)", g.step_s, g.epoch_s, g.kernel_s, g.pcie_s,
            g.host_s, g.chan_s, g.chan);
    LP_CASE("PCIe (5 us) over the kernel (3 us), the host (6 us) under the step (10 us): PCIe",
            !strcmp(g.bottleneck, "PCIe") && !strcmp(g.card_bottleneck, "PCIe"), "%s / %s", g.bottleneck,
            g.card_bottleneck);
    LP_CASE("projection, 1 CU: 64 rows per 10 us, limited as the card is", near(g.proj_sps[0], 6.4e6) &&
                !strcmp(g.proj_limit[0], "PCIe"),
            "%g %s", g.proj_sps[0], g.proj_limit[0]);
    LP_CASE("projection, 2 CUs: the host's 2 x 6 us", near(g.proj_sps[1], 128 / 12e-6) && !strcmp(g.proj_limit[1], "host"),
            "%g %s", g.proj_sps[1], g.proj_limit[1]);
    LP_CASE("projection, 4 CUs: the host's 4 x 6 us; the card alone: PCIe's 4 x 5 us",
            near(g.proj_sps[3], 256 / 24e-6) && !strcmp(g.proj_limit[3], "host") && near(g.card_sps[3], 256 / 20e-6) &&
                !strcmp(g.card_limit[3], "PCIe"),
            "%g %s / %g %s", g.proj_sps[3], g.proj_limit[3], g.card_sps[3], g.card_limit[3]);
    LP_CASE("one-port bound: 300 MHz / (1 header + 256/16 data beats) rows per second per CU",
            near(g.bound_sps, 300e6 / 17), "%g", g.bound_sps);
    const lp_run_shape_t nod = {10, 5, 64, 0};
    lp_vc_figures(&f, &nod, &g);
    LP_CASE("one-port bound: 0 (not shown as a figure) when D is unknown", g.bound_sps == 0, "%g", g.bound_sps);
    lp_vc_figures(&f, &run, &g);

    /* every CU's buffers on DDR[0]: the channel takes 2, 3, 4 x 5 us per step */
    for (unsigned c = 0; c < 4; c++)
        for (unsigned a = 0; a < 4; a++)
            f.arg_bank[c][a] = 0;
    f.host_seconds = 0;
    f.pcie_busy_s[0] = 4e-6, f.pcie_busy_s[1] = 1e-6; /* 0.5 us per step */
    lp_vc_figures(&f, &run, &g);
    LP_CASE("one shared channel: 3 CUs take 15 us per step on DDR[0]",
            near(g.proj_sps[2], 192 / 15e-6) && !strcmp(g.proj_limit[2], "memory channel DDR[0]"), "%g %s",
            g.proj_sps[2], g.proj_limit[2]);
    LP_CASE("the kernel, PCIe under it, the channel busy 2 of its 3 us: kernel",
            !strcmp(g.bottleneck, "kernel") && !strcmp(g.card_bottleneck, "kernel"), "%s / %s", g.bottleneck,
            g.card_bottleneck);
    f.bank[0].busy_s = 28e-6; /* 2.8 us per step: over 0.9 x the kernel's 3 us */
    lp_vc_figures(&f, &run, &g);
    LP_CASE("the channel busy >= 90 % of the kernel's time: the memory channel", !strcmp(g.bottleneck, "memory channel DDR[0]"),
            "%s", g.bottleneck);
    f.host_seconds = 110e-6;
    lp_vc_figures(&f, &run, &g);
    LP_CASE("the host's 11 us over the 10 us step: host; on the card: the channel",
            !strcmp(g.bottleneck, "host") && !strcmp(g.card_bottleneck, "memory channel DDR[0]"), "%s / %s",
            g.bottleneck, g.card_bottleneck);
    return lp_test_summary();
}
