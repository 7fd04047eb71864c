/*
 * test_rtl_scalar.c - the scalar unit (rtl/sgd/lp_sgd_scalar.sv, through
 * sim/sgd/lp_vsgd_scalar.h) against the C kernel: lp_sgd_stepsize for the schedule, then
 * lp_sgd_compensate when compensating, bit for bit (mu and q_hat).
 *
 * Directed sweeps: every schedule (and an unknown one, which the C treats as constant)
 * x step indices around 0, the halving period boundaries, the r = 126 clamp, 2^24 and
 * 2^32 - 1 x periods x lrs and gammas with zeros, subnormals, huge values, Inf and NaN;
 * the compensation over G2 / GE / q_hat specials (0, -0, subnormal, Inf, NaN, negative
 * GE, GE = -G2, q_hat at and around the clamps). Then seeded random cases mixing the same
 * classes with random bits; the statistics pulse comes 0..63 cycles after the start
 * (before, during and after the stepsize computation).
 *
 * Usage: test_rtl_scalar [RANDOM_CASES]   (default 65536; make test-exhaustive: 2^22)
 *
 * NaN payloads: the RTL applies q_hat + 0.125 * diff in the C source's operand order;
 * gcc emits the add with the operands swapped, so when both are NaNs with different
 * payloads the q_hat bits differ (docs/rtl-sgd.md "NaN payloads"). Those cases (q_hat
 * both NaN) count as equal and are reported; mu is compared bit for bit always.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/lp_bits.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd_scalar.h"

static uint64_t rng_state = 0x5CA1A2u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static const uint32_t specials[] = {
    0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u,
    0xFFC00000u, 0x7F800001u, 0x7FA12345u, 0xFFD00001u, 0x00000001u, 0x807FFFFFu, 0x007FFFFFu,
    0x00800000u, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x3D800000u, 0x3D7FFFFFu, 0x3D800001u, 0x3E000000u,
    0x3F000000u, 0x3F7FFFFFu, 0x3F800001u, 0x40000000u, 0x3DCCCCCDu, 0x4B800000u, 0xCB800000u,
};
#define NSPECIALS (sizeof specials / sizeof specials[0])

/* A float of one of the classes the unit must get right. */
static uint32_t rnd_f32(void)
{
    uint32_t c = rnd() % 8;
    if (c < 2)
        return specials[rnd() % NSPECIALS];
    if (c < 4)
        return rnd(); /* any bits: NaNs, subnormals, huge */
    /* moderate magnitudes around 1 */
    uint32_t e = 127 - 24 + rnd() % 34;
    return (rnd() & 0x80000000u) | (e << 23) | (rnd() & 0x7FFFFFu);
}

/* q_hat-like values in [0, 1.5) most of the time. */
static uint32_t rnd_qhat(void)
{
    if (rnd() % 4 == 0)
        return rnd_f32();
    return lp_f32_bits((float)(rnd() % 3000001u) / 2000000.0f);
}

static uint32_t rnd_period(void)
{
    switch (rnd() % 4) {
    case 0: return 1u + rnd() % 4u;
    case 1: return 1u + rnd() % 1000u;
    case 2: return rnd() | 1u;
    default: return 1u + (rnd() >> (rnd() % 32));
    }
}

static uint32_t rnd_k(uint32_t period)
{
    switch (rnd() % 5) {
    case 0: return rnd() % 300u;
    case 1: return rnd();
    case 2: return period * (rnd() % 130u) + (rnd() % 3u) - 1u; /* around a halving */
    case 3: return 0xFFFFFFFFu - rnd() % 4u;
    default: return rnd() >> (rnd() % 32);
    }
}

/* The C kernel's results for one case. */
static void c_model(const lp_vsgd_scalar_case_t *t, uint32_t *mu, uint32_t *qhat)
{
    uint32_t cfg[LP_SGD_CFG_WORDS];
    memset(cfg, 0, sizeof cfg);
    cfg[LP_CFG_SCHED] = t->sched;
    cfg[LP_CFG_LR] = t->lr;
    cfg[LP_CFG_GAMMA] = t->gamma;
    cfg[LP_CFG_PERIOD] = t->period;
    float m = lp_sgd_stepsize(cfg, t->k);
    float q = lp_bits_f32(t->qhat);
    if (t->compensate)
        m = lp_sgd_compensate(m, lp_bits_f32(t->g2), lp_bits_f32(t->ge), &q);
    *mu = lp_f32_bits(m);
    *qhat = lp_f32_bits(q);
}

static int is_nan(uint32_t b) { return (b & 0x7F800000u) == 0x7F800000u && (b & 0x7FFFFFu) != 0; }

static unsigned long nan_payload_cases;
static uint32_t max_cycles[4], min_cycles[4] = {~0u, ~0u, ~0u, ~0u}, max_comp, min_comp = ~0u;

/* Runs n cases through the RTL and the C; returns the number of mismatches (first few printed). */
static size_t run_cases(const char *name, const lp_vsgd_scalar_case_t *c, size_t n)
{
    lp_vsgd_scalar_out_t *o = calloc(n, sizeof *o);
    size_t bad = 0;
    if (!o || lp_vsgd_scalar_run(c, o, n) != 0) {
        LP_CHECK(0, "%s: the RTL model did not run", name);
        free(o);
        return n;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t mu, qh;
        c_model(&c[i], &mu, &qh);
        int q_ok = o[i].qhat == qh;
        if (!q_ok && is_nan(o[i].qhat) && is_nan(qh) && is_nan(c[i].qhat) && c[i].compensate) {
            q_ok = 1;
            nan_payload_cases++;
        }
        if (o[i].mu != mu || !q_ok) {
            if (bad++ < 8)
                printf("  %s case %zu: sched %u lr %08x gamma %08x period %u k %u comp %u qhat %08x g2 %08x "
                       "ge %08x delay %u: rtl mu %08x q_hat %08x, C mu %08x q_hat %08x\n",
                       name, i, c[i].sched, c[i].lr, c[i].gamma, c[i].period, c[i].k, c[i].compensate, c[i].qhat,
                       c[i].g2, c[i].ge, c[i].st_delay, o[i].mu, o[i].qhat, mu, qh);
        }
        uint32_t s = c[i].sched & 3u;
        if (!c[i].compensate && c[i].st_delay == 0) {
            max_cycles[s] = o[i].cycles > max_cycles[s] ? o[i].cycles : max_cycles[s];
            min_cycles[s] = o[i].cycles < min_cycles[s] ? o[i].cycles : min_cycles[s];
        }
        if (c[i].compensate && c[i].st_delay == 0 && s == LP_SCHED_CONST) {
            max_comp = o[i].cycles > max_comp ? o[i].cycles : max_comp;
            min_comp = o[i].cycles < min_comp ? o[i].cycles : min_comp;
        }
    }
    free(o);
    return bad;
}

static const uint32_t lrs[] = {0x3DCCCCCDu, 0x3F800000u, 0x00000001u, 0x007FFFFFu, 0x7F7FFFFFu,
                               0x7F800000u, 0x7FC00000u, 0x80000000u, 0xBC23D70Au, 0x7FA00001u};
static const uint32_t gammas[] = {0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x41200000u,
                                  0x00000001u, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x7F800000u, 0xFF800000u,
                                  0x7FC00000u, 0xC1200000u, 0x4B7FFFFFu, 0xCF800000u};
static const uint32_t periods[] = {1u, 2u, 3u, 7u, 100u, 1000u, 0x80000000u, 0xFFFFFFFFu, 33554432u};

int main(int argc, char **argv)
{
    size_t nrand = argc > 1 ? strtoul(argv[1], NULL, 0) : 65536u;
    size_t cap = 1u << 20, n = 0;
    lp_vsgd_scalar_case_t *c = calloc(cap, sizeof *c);
    if (!c)
        return 2;

    /* ---- schedules: k x lr x gamma (INVERSE) and k x period x lr (HALVING) */
    static const uint32_t ks[] = {0u, 1u, 2u, 3u, 9u, 10u, 11u, 125u, 126u, 127u, 16777215u, 16777216u,
                                  16777217u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
    for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++)
        for (size_t li = 0; li < sizeof lrs / sizeof lrs[0]; li++) {
            for (uint32_t s = 0; s < 4; s += 3) /* CONST and an unknown schedule */
                c[n++] = (lp_vsgd_scalar_case_t){s, lrs[li], 0x3F800000u, 1u, 0, ks[ki], 0x3F800000u, 0, 0, 0};
            for (size_t gi = 0; gi < sizeof gammas / sizeof gammas[0]; gi++)
                c[n++] = (lp_vsgd_scalar_case_t){LP_SCHED_INVERSE, lrs[li], gammas[gi], 1u, 0, ks[ki],
                                                 0x3F800000u, 0, 0, 0};
            /* gamma = -(k + 1): an exact zero denominator */
            c[n++] = (lp_vsgd_scalar_case_t){LP_SCHED_INVERSE, lrs[li], lp_f32_bits(-(float)(ks[ki] + 1u)),
                                             1u, 0, ks[ki], 0x3F800000u, 0, 0, 0};
        }
    for (size_t pi = 0; pi < sizeof periods / sizeof periods[0]; pi++)
        for (size_t li = 0; li < sizeof lrs / sizeof lrs[0]; li++) {
            uint32_t p = periods[pi];
            uint32_t kk[] = {0u, 1u, p - 1u, p, p + 1u, 2u * p - 1u, 2u * p, 125u * p, 126u * p - 1u,
                             126u * p, 127u * p, 200u * p, 0xFFFFFFFFu};
            for (size_t ki = 0; ki < sizeof kk / sizeof kk[0]; ki++)
                c[n++] = (lp_vsgd_scalar_case_t){LP_SCHED_HALVING, lrs[li], 0, p, 0, kk[ki], 0x3F800000u, 0, 0, 0};
        }
    size_t bad = run_cases("schedules", c, n);
    LP_CASE("schedules: CONST/INVERSE/HALVING/unknown x k x lr x gamma/period", bad == 0, "%zu of %zu cases differ",
            bad, n);
    size_t total = n;

    /* ---- compensation: G2 x GE x q_hat (x a schedule and a statistics delay) */
    static const uint32_t g2s[] = {0x00000000u, 0x80000000u, 0x00000001u, 0x007FFFFFu, 0x3F800000u,
                                   0x7F7FFFFFu, 0x7F800000u, 0x7FC00000u, 0xFFC00000u, 0xBF800000u,
                                   0x2F800000u, 0x4CBEBC20u};
    static const uint32_t ges[] = {0x00000000u, 0x80000000u, 0xBF000000u, 0xBF800000u, 0x3E800000u,
                                   0xC0000000u, 0xFF800000u, 0x7F800000u, 0x7FC00000u, 0x7FA00001u,
                                   0x80000001u, 0xAF000000u, 0xCC3EBC20u, 0xFF7FFFFFu};
    static const uint32_t qhs[] = {0x3F800000u, 0x3F000000u, 0x3D800000u, 0x3D7FFFFFu, 0x3D800001u,
                                   0x3F7FFFFFu, 0x3F800001u, 0x00000000u, 0x80000000u, 0xBF800000u,
                                   0x40000000u, 0x7FC00000u, 0xFFD00001u, 0x7F800000u, 0xFF800000u,
                                   0x00000001u};
    n = 0;
    for (size_t a = 0; a < sizeof g2s / sizeof g2s[0]; a++)
        for (size_t b = 0; b < sizeof ges / sizeof ges[0]; b++)
            for (size_t q = 0; q < sizeof qhs / sizeof qhs[0]; q++) {
                uint32_t s = (uint32_t)(a + b + q) % 3u;
                c[n++] = (lp_vsgd_scalar_case_t){s, lrs[(a + q) % 10], 0x40A00000u, 3u, 1u, (uint32_t)(b * 7u + q),
                                                 qhs[q], g2s[a], ges[b], (uint32_t)(a * 5u + b + q) % 64u};
            }
    /* GE = -G2 * u: the usual shrinkage, qp in [0, 1] */
    for (int i = 0; i < 4096; i++) {
        float g2 = (float)(rnd() % 1000000u + 1u) * 1e-3f, u = (float)(rnd() % 1025u) / 1024.0f;
        c[n++] = (lp_vsgd_scalar_case_t){rnd() % 3u, 0x3DCCCCCDu, 0x3F800000u, 1u + rnd() % 5u, 1u, rnd() % 1000u,
                                         rnd_qhat(), lp_f32_bits(g2), lp_f32_bits(-g2 * u), rnd() % 64u};
    }
    bad = run_cases("compensation", c, n);
    LP_CASE("compensation: G2 x GE x q_hat specials, GE = -u*G2", bad == 0, "%zu of %zu cases differ", bad, n);
    total += n;

    /* ---- seeded random cases, in chunks */
    size_t done = 0, rbad = 0;
    while (done < nrand) {
        n = nrand - done < cap ? nrand - done : cap;
        for (size_t i = 0; i < n; i++) {
            lp_vsgd_scalar_case_t *t = &c[i];
            t->sched = rnd() % 16u == 0 ? 3u : rnd() % 3u;
            t->lr = rnd_f32();
            t->gamma = rnd() % 2 ? rnd_f32() : lp_f32_bits((float)(rnd() % 100u));
            t->period = rnd_period();
            t->compensate = rnd() % 2u;
            t->k = rnd_k(t->period);
            t->qhat = rnd_qhat();
            t->g2 = rnd_f32();
            t->ge = rnd() % 2 ? rnd_f32() : lp_f32_bits(-lp_bits_f32(t->g2) * (float)(rnd() % 1025u) / 1024.0f);
            t->st_delay = rnd() % 64u;
        }
        rbad += run_cases("random", c, n);
        done += n;
    }
    LP_CASE("seeded random cases", rbad == 0, "%zu of %zu cases differ", rbad, nrand);
    total += nrand;

    printf("%zu cases; %lu with two NaNs of different payload in q_hat (counted equal, see the header)\n", total,
           nan_payload_cases);
    printf("cycles start -> mu_valid without compensation: CONST %u, INVERSE %u, HALVING %u..%u\n", max_cycles[0],
           max_cycles[1], min_cycles[2], max_cycles[2]);
    printf("cycles start -> mu_valid, CONST with compensation (statistics at the start): %u..%u\n", min_comp,
           max_comp);
    free(c);
    return lp_test_summary();
}
