/*
 * fpu_runner.h - the one driver of test_fpu (sampled) and test_fpu_exhaustive: every
 * Verilated build of sim/fpu/lp_fpu_models.def against its C reference.
 */
#ifndef FPU_RUNNER_H
#define FPU_RUNNER_H

#include <time.h>

#include "fpu_check.h"

static fc_ref_fn fc_ref_of(const char *unit)
{
    for (size_t i = 0; i < FC_NUNITS; i++)
        if (strcmp(fc_units[i].unit, unit) == 0) return fc_units[i].ref;
    return NULL;
}

static double fc_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/*
 * For every build: all boundary pairs, then n_default random pairs per generator for a
 * unit's default build (n_other for the other latencies), then a stalled run (en_i low on
 * a quarter of the cycles) of n_other per generator. only_defaults skips other latencies.
 */
static int fc_run_all(size_t n_default, size_t n_other, int only_defaults, uint64_t seed)
{
    const char *unit;
    int lat;
    LP_CASE("x86 SSE: first operand's NaN wins (checked with addss/mulss)",
            fc_x86_first_nan_wins() == 1, "the C references assume SSE NaN propagation");
    for (int i = 0; lp_fpu_sim_build(i, &unit, &lat); i++) {
        fc_ref_fn ref = fc_ref_of(unit);
        LP_CHECK(ref != NULL, "no C reference for build %s", unit);
        if (!ref) continue;
        lp_fpu_sim *s = lp_fpu_sim_open(unit, lat);
        LP_CHECK(s != NULL, "cannot open %s L%d", unit, lat);
        if (!s) continue;
        lp_fpu_sim *d = lp_fpu_sim_open(unit, -1);
        int is_default = lp_fpu_sim_latency(d) == lat;
        lp_fpu_sim_close(d);
        if (!is_default && only_defaults) {
            lp_fpu_sim_close(s);
            continue;
        }
        double t0 = fc_now();
        size_t n = is_default ? n_default : n_other, before = (size_t)lp_test_passed;
        char what[96];
        snprintf(what, sizeof what, "%s L%d boundary pairs", unit, lat);
        size_t bad = fc_check_boundary(s, what, ref);
        bad += fc_check_random(s, unit, ref, seed + (uint64_t)i * 1000003u, n);
        lp_fpu_sim_set_stalls(s, 250, seed ^ 0x5151u);
        snprintf(what, sizeof what, "%s L%d boundary pairs, stalled", unit, lat);
        bad += fc_check_boundary(s, what, ref);
        bad += fc_check_random(s, unit, ref, seed + 77u + (uint64_t)i * 1000003u, n_other);
        double dt = fc_now() - t0;
        size_t vecs = (size_t)lp_test_passed - before + bad;
        uint64_t cyc = lp_fpu_sim_cycles(s);
        char name[160];
        snprintf(name, sizeof name, "%s L%d%s: %zu vectors, %zu mismatches, %.1f s, %.2f Mcycles/s",
                 unit, lat, is_default ? " (default)" : "", vecs, bad, dt, (double)cyc / dt / 1e6);
        LP_CASE(name, bad == 0, "%s L%d: %zu mismatches", unit, lat, bad);
        lp_fpu_sim_close(s);
    }
    return lp_test_summary();
}

#endif
