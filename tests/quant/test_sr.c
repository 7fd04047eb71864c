/*
 * test_sr.c - stochastic rounding: the hash's known answers, reproducibility, unbiasedness.
 *
 * Known answers of lp_sr_hash(seed, step, index) and lp_hash_mix32 (also listed in
 * docs/verification.md for the RTL testbenches); computed by the oracle's own hash
 * (tests/oracle) and by an independent Python rendering of the lp_quant.h text.
 *
 * Unbiasedness: an input x between neighbours lo < hi (gap = hi - lo) rounds up with
 * probability p = floor(frac * 2^32) / 2^32, frac = (|x| - lo) / gap, so over N draws with
 * different element indices the number of ups U is Binomial(N, p) if the hash bits are
 * uniform, and mean(Q(x)) = lo + gap * U / N. The bound: |U - N*frac| <= 6 * sqrt(N p (1-p))
 * + 1 (6 sigma of the binomial, plus 1 for p vs frac, which differ by < 2^-32), i.e. the
 * mean of the draws equals x within 6 sigma * gap / N.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp_test.h"
#include "qt_bits.h"
#include "oracle/lp_oracle.h"
#include "quant/lp_quant_vec.h"

#define NDRAW (1u << 20)

int main(void)
{
    /* 1. known answers */
    static const uint32_t kat[][4] = {
        /* seed, step, index, lp_sr_hash */
        {0x00000000u, 0u, 0x00000000u, 0x562FF0A0u},
        {0x00000000u, 0u, 0x00000001u, 0x84AE0C5Cu},
        {0x00000001u, 0u, 0x00000000u, 0x0461E794u},
        {0x00000000u, 1u, 0x00000000u, 0x09E7DEBEu},
        {0x00C0FFEEu, 17u, 0x00003039u, 0x5857DDDDu},
        {0xFFFFFFFFu, 4294967295u, 0xFFFFFFFFu, 0x4C75712Eu},
        {0x0000002Au, 1000u, 0x0000001Fu, 0x1CFFD8BDu},
        {0x0000002Au, 1000u, 0x00000020u, 0xC9110215u},
        {0x12345678u, 7u, 0x80000000u, 0x3E0F9B7Fu},
    };
    for (unsigned i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        uint32_t h = lp_sr_hash(kat[i][0], kat[i][1], kat[i][2]);
        LP_CHECK(h == kat[i][3], "lp_sr_hash(%08x, %u, %08x) = %08x, want %08x", kat[i][0], kat[i][1], kat[i][2], h,
                 kat[i][3]);
    }
    LP_CHECK(lp_hash_mix32(0) == 0u && lp_hash_mix32(1) == 0x86D2FA73u && lp_hash_mix32(0xDEADBEEFu) == 0x2A2ACAF2u,
             "lp_hash_mix32 known answers");
    /* and against the oracle's hash over many triples */
    unsigned diff = 0;
    uint32_t a = 1;
    for (uint32_t i = 0; i < 200000; i++) {
        a = a * 1664525u + 1013904223u;
        uint32_t s = a, t = a * 7u + i, x = i * 2654435761u;
        diff += lp_sr_hash(s, t, x) != lp_orc_sr_hash(s, t, x);
    }
    LP_CASE("lp_sr_hash: 9 known answers, 200000 triples equal the oracle's hash", diff == 0,
            "%u hashes differ from the oracle's", diff);

    /* 2. reproducible: same seed and step -> same bits; another seed or step -> others */
    static float g[4096], q1[4096], q2[4096];
    for (uint32_t i = 0; i < 4096; i++)
        g[i] = (float)(i + 1) * 0.0137f * ((i & 1) ? -1.0f : 1.0f);
    lp_format_t f = lp_format_preset(LP_FMT_FP8_E4M3);
    lp_fmt_params_t p;
    const char *why;
    lp_format_derive(&f, &p, &why);
    lp_qcfg_t cfg = lp_qcfg_default(f);
    cfg.rounding = LP_ROUND_SR;
    cfg.seed = 1234;
    lp_qstats_t st;
    lp_quantize_vec(g, q1, NULL, NULL, 4096, &p, &cfg, 5, &st);
    lp_quantize_vec(g, q2, NULL, NULL, 4096, &p, &cfg, 5, &st);
    LP_CASE("sr: same seed, step and indices give the same bits", memcmp(q1, q2, sizeof q1) == 0, "sr not reproducible");
    cfg.seed = 1235;
    lp_quantize_vec(g, q2, NULL, NULL, 4096, &p, &cfg, 5, &st);
    unsigned nd = 0;
    for (int i = 0; i < 4096; i++)
        nd += f2u(q1[i]) != f2u(q2[i]);
    LP_CASE("sr: another seed draws other bits", nd > 500, "only %u of 4096 results changed with the seed", nd);
    cfg.seed = 1234;
    lp_quantize_vec(g, q2, NULL, NULL, 4096, &p, &cfg, 6, &st);
    nd = 0;
    for (int i = 0; i < 4096; i++)
        nd += f2u(q1[i]) != f2u(q2[i]);
    LP_CASE("sr: another step draws other bits", nd > 500, "only %u of 4096 results changed with the step", nd);

    /* 3. unbiased: N draws of one value (element indices 0..N-1) */
    static const struct {
        int fmt; /* preset, or -1 for fixed8.4 */
        float x;
    } cases[] = {
        {LP_FMT_FP8_E4M3, 0.3f},    {LP_FMT_FP8_E4M3, -0.3f},  {LP_FMT_FP8_E4M3, 0.001f}, {LP_FMT_FP8_E4M3, 300.7f},
        {LP_FMT_FP4_E2M1, 2.6f},    {LP_FMT_FP4_E2M1, -0.2f},  {LP_FMT_FP4_E2M1, 5.01f},  {LP_FMT_FP8_E5M2, 1e-6f},
        {LP_FMT_FP6_E2M3, 0.1234f}, {LP_FMT_BF16, 3.14159265f}, {-1, 0.03f},              {-1, -2.71828f},
    };
    float *gx = malloc(NDRAW * sizeof *gx), *gq = malloc(NDRAW * sizeof *gq);
    if (!gx || !gq)
        return 1;
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lp_format_t fc = cases[c].fmt >= 0 ? lp_format_preset(cases[c].fmt) : lp_format_fixed(8, 4);
        lp_orc_t o;
        if (lp_orc_init(&o, &fc, &why) != 0 || lp_format_derive(&fc, &p, &why) != 0) {
            LP_CHECK(0, "format: %s", why);
            continue;
        }
        lp_qcfg_t cc = lp_qcfg_default(fc);
        cc.rounding = LP_ROUND_SR;
        cc.seed = 0xABCDEF01u + c;
        float x = cases[c].x;
        /* the neighbours, from the oracle: r = 0 never rounds up, r = 2^32-1 always does */
        lp_orc_q_t lo = lp_orc_quant(&o, f2u(x), 0, &cc, 0u), hi = lp_orc_quant(&o, f2u(x), 0, &cc, 0xFFFFFFFFu);
        float flo, fhi;
        memcpy(&flo, &lo.value, 4);
        memcpy(&fhi, &hi.value, 4);
        double gap = fabs((double)fhi - (double)flo);
        double frac = (fabs((double)x) - fabs((double)flo)) / gap;
        for (uint32_t i = 0; i < NDRAW; i++)
            gx[i] = x;
        lp_quantize_vec(gx, gq, NULL, NULL, NDRAW, &p, &cc, 3, &st);
        uint32_t ups = 0, other = 0;
        for (uint32_t i = 0; i < NDRAW; i++) {
            ups += f2u(gq[i]) == hi.value;
            other += f2u(gq[i]) != hi.value && f2u(gq[i]) != lo.value;
        }
        double n = NDRAW, sigma = sqrt(n * frac * (1 - frac));
        double dev = fabs(ups - n * frac), bound = 6 * sigma + 1;
        double mean = ((double)flo * (n - ups) + (double)fhi * ups) / n;
        char msg[200];
        snprintf(msg, sizeof msg,
                 "sr unbiased: %s x=%.9g between %.9g and %.9g: mean of %u draws %.9g, |ups - N frac| = %.1f <= "
                 "6 sigma + 1 = %.1f",
                 cases[c].fmt >= 0 ? lp_format_preset_name(cases[c].fmt) : "fixed8.4", (double)x, (double)flo,
                 (double)fhi, NDRAW, mean, dev, bound);
        LP_CASE(msg, other == 0 && dev <= bound && gap > 0, "%s (other results: %u)", msg, other);
        lp_orc_free(&o);
    }
    free(gx);
    free(gq);
    return lp_test_summary();
}
