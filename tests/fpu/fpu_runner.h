/*
 * fpu_runner.h - the checking loop and the one driver of test_fpu (sampled) and
 * test_fpu_exhaustive: every Verilated build of sim/fpu/lp_fpu_models.def against its
 * C reference, through the C ABI of sim/fpu/lp_fpu_sim.h.
 */
#ifndef FPU_RUNNER_H
#define FPU_RUNNER_H

#include <time.h>

#include "fpu_check.h"
#include "fpu/lp_fpu_sim.h"
#include "lp_test.h"

/* ------------------------------------------------------------------ checking */

/* Vectors compared so far: a unit's sweep is one test case (LP_CASE), not one per vector. */
static size_t fc_vectors;

/* Run n pairs through s and compare with ref; failures print (the first 20 in a run).
 * Returns the number of mismatches. */
static size_t fc_check(lp_fpu_sim *s, const char *what, fc_ref_fn ref, const uint32_t *a,
                       const uint32_t *b, uint32_t *y, size_t n)
{
    size_t bad = 0;
    size_t holds = lp_fpu_sim_run_batch(s, a, b, y, n);
    LP_CHECK(holds == 0, "%s: y_o changed in %zu stalled cycles", what, holds);
    for (size_t i = 0; i < n; i++) {
        uint32_t want = ref(a[i], b[i]);
        fc_vectors++;
        if (y[i] != want) {
            static int printed;
            if (printed++ < 20)
                printf("mismatch %s: a=0x%08X b=0x%08X rtl=0x%08X c=0x%08X\n", what, a[i], b[i], y[i], want);
            bad++;
        }
    }
    return bad;
}

/* All pairs of the boundary set (both signs): FC_NBOUND^2 checks. */
static size_t fc_check_boundary(lp_fpu_sim *s, const char *what, fc_ref_fn ref)
{
    static uint32_t a[FC_NBOUND * FC_NBOUND], b[FC_NBOUND * FC_NBOUND], y[FC_NBOUND * FC_NBOUND];
    size_t n = 0;
    for (unsigned i = 0; i < FC_NBOUND; i++)
        for (unsigned j = 0; j < FC_NBOUND; j++) {
            a[n] = fc_boundary(i);
            b[n] = fc_boundary(j);
            n++;
        }
    return fc_check(s, what, ref, a, b, y, n);
}

/* n pairs of each generator, in chunks. Returns the mismatches. */
static size_t fc_check_random(lp_fpu_sim *s, const char *unit, fc_ref_fn ref, uint64_t seed,
                              size_t n_per_gen)
{
    enum { CHUNK = 1 << 16 };
    static uint32_t a[CHUNK], b[CHUNK], y[CHUNK];
    size_t bad = 0;
    for (int g = 0; g < FC_NGEN; g++) {
        char what[96];
        snprintf(what, sizeof what, "%s L%d %s", unit, lp_fpu_sim_latency(s), fc_gen_name[g]);
        size_t gbad = 0;
        for (size_t done = 0; done < n_per_gen; done += CHUNK) {
            size_t k = n_per_gen - done < CHUNK ? n_per_gen - done : CHUNK;
            fc_gen(g, &seed, a, b, k);
            gbad += fc_check(s, what, ref, a, b, y, k);
        }
        bad += gbad;
    }
    return bad;
}

/* All FC_NSTRUCT^2 = 1.05e8 pairs of the structured set (for binary units). */
static size_t fc_check_structured(lp_fpu_sim *s, const char *what, fc_ref_fn ref)
{
    static uint32_t a[FC_NSTRUCT], b[FC_NSTRUCT], y[FC_NSTRUCT];
    size_t bad = 0;
    for (unsigned j = 0; j < FC_NSTRUCT; j++)
        b[j] = fc_structured(j);
    for (unsigned i = 0; i < FC_NSTRUCT; i++) {
        uint32_t x = fc_structured(i);
        for (unsigned j = 0; j < FC_NSTRUCT; j++)
            a[j] = x;
        bad += fc_check(s, what, ref, a, b, y, FC_NSTRUCT);
    }
    return bad;
}

static const fc_unit_t *fc_unit_of(const char *unit)
{
    for (size_t i = 0; i < FC_NUNITS; i++)
        if (strcmp(fc_units[i].unit, unit) == 0) return &fc_units[i];
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
 * a quarter of the cycles) of n_other per generator. structured: also all pairs of the
 * structured set (fc_structured) through each binary unit's default build.
 */
static int fc_run_all(size_t n_default, size_t n_other, int structured, uint64_t seed)
{
    const char *unit;
    int lat;
    LP_CASE("x86 SSE: first operand's NaN wins (checked with addss/mulss)",
            fc_x86_first_nan_wins() == 1, "the C references assume SSE NaN propagation");
    for (int i = 0; lp_fpu_sim_build(i, &unit, &lat); i++) {
        const fc_unit_t *fu = fc_unit_of(unit);
        LP_CHECK(fu != NULL, "no C reference for build %s", unit);
        if (!fu) continue;
        fc_ref_fn ref = fu->ref;
        lp_fpu_sim *s = lp_fpu_sim_open(unit, lat);
        LP_CHECK(s != NULL, "cannot open %s L%d", unit, lat);
        if (!s) continue;
        lp_fpu_sim *d = lp_fpu_sim_open(unit, -1);
        int is_default = lp_fpu_sim_latency(d) == lat;
        lp_fpu_sim_close(d);
        double t0 = fc_now();
        clock_t c0 = clock();
        size_t n = is_default ? n_default : n_other, before = fc_vectors;
        char what[96];
        snprintf(what, sizeof what, "%s L%d boundary pairs", unit, lat);
        size_t bad = fc_check_boundary(s, what, ref);
        bad += fc_check_random(s, unit, ref, seed + (uint64_t)i * 1000003u, n);
        if (structured && is_default && !fu->unary) {
            snprintf(what, sizeof what, "%s L%d structured pairs", unit, lat);
            bad += fc_check_structured(s, what, ref);
        }
        lp_fpu_sim_set_stalls(s, 250, seed ^ 0x5151u);
        snprintf(what, sizeof what, "%s L%d boundary pairs, stalled", unit, lat);
        bad += fc_check_boundary(s, what, ref);
        bad += fc_check_random(s, unit, ref, seed + 77u + (uint64_t)i * 1000003u, n_other);
        double dt = fc_now() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        size_t vecs = fc_vectors - before;
        uint64_t cyc = lp_fpu_sim_cycles(s);
        char name[160];
        snprintf(name, sizeof name,
                 "%s L%d%s: %zu vectors, %zu mismatches, %.1f s (%.1f s CPU), %.2f Mcycles/s CPU",
                 unit, lat, is_default ? " (default)" : "", vecs, bad, dt, cpu,
                 cpu > 0 ? (double)cyc / cpu / 1e6 : 0.0);
        LP_CASE(name, bad == 0, "%s L%d: %zu mismatches", unit, lat, bad);
        lp_fpu_sim_close(s);
    }
    return lp_test_summary();
}

#endif
