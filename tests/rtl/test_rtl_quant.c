/*
 * test_rtl_quant.c - the Verilated RTL stream quantizer against the C model, bit for bit.
 *
 * For every preset and a few eXmY / fixed-point formats, every rounding mode, overflow
 * policy, subnormal policy and scaling mode: one vector of the format's boundaries (see
 * rtl_vectors.h) plus seeded random values, through lp_vq_quantize (the RTL) and
 * lp_quantize_vec (the C model); values, codes, scale exponents and the statistics (FP32
 * sums and counts) must match exactly. Also: odd lengths (partial last beats), empty
 * vectors, several SR steps and seeds, back-to-back vectors, and the push/pull ABI.
 * Usage: test_rtl_quant [seed]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/quant/lp_vquant.h"
#include "lp_test.h"
#include "quant/lp_quant_vec.h"
#include "rtl_vectors.h"

#define NMAX 8192

static float g[NMAX], gq_c[NMAX], gq_r[NMAX];
static uint32_t code_c[NMAX], code_r[NMAX];
static int32_t k_c[NMAX / 32 + 1], k_r[NMAX / 32 + 1];
static uint64_t n_elems;

static int same_stats(const lp_qstats_t *a, const lp_qstats_t *b)
{
    for (int i = 0; i < LP_NSUMS; i++)
        if (lp_f32_bits(a->sum[i]) != lp_f32_bits(b->sum[i]))
            return 0;
    return a->n == b->n && a->underflow == b->underflow && a->saturated == b->saturated &&
           a->subnormal == b->subnormal && a->nan == b->nan && a->inf == b->inf;
}

/* One vector through both; returns 1 when everything matched. */
static int run_one(lp_vq_t *vq, const char *name, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t step,
                   uint32_t n)
{
    lp_qstats_t sc, sr;
    uint32_t nk = cfg->scale == LP_SCALE_BLOCK32 ? (n + 31) / 32 : 1;
    memset(k_c, 0x55, sizeof k_c);
    memset(k_r, 0x55, sizeof k_r);
    lp_quantize_vec(g, gq_c, code_c, k_c, n, p, cfg, step, &sc);
    lp_vq_quantize(vq, p, cfg, step, g, gq_r, code_r, k_r, n, &sr);
    n_elems += n;
    for (uint32_t i = 0; i < n; i++) {
        if (lp_f32_bits(gq_c[i]) != lp_f32_bits(gq_r[i]) || code_c[i] != code_r[i]) {
            printf("  %s rnd=%d ovf=%d sub=%d scale=%d step=%u: element %u x=0x%08x: C value 0x%08x code 0x%x, "
                   "RTL value 0x%08x code 0x%x\n",
                   name, cfg->rounding, cfg->overflow, cfg->subnormals, cfg->scale, step, i, lp_f32_bits(g[i]),
                   lp_f32_bits(gq_c[i]), code_c[i], lp_f32_bits(gq_r[i]), code_r[i]);
            return 0;
        }
    }
    if (cfg->scale != LP_SCALE_NONE && memcmp(k_c, k_r, nk * sizeof k_c[0]) != 0) {
        printf("  %s scale=%d: scale exponents differ (first: C %d RTL %d)\n", name, cfg->scale, k_c[0], k_r[0]);
        return 0;
    }
    if (!same_stats(&sc, &sr)) {
        printf("  %s rnd=%d ovf=%d sub=%d scale=%d: statistics differ: C sums %08x %08x %08x %08x n %u uf %u sat %u "
               "sub %u nan %u inf %u; RTL %08x %08x %08x %08x n %u uf %u sat %u sub %u nan %u inf %u\n",
               name, cfg->rounding, cfg->overflow, cfg->subnormals, cfg->scale, lp_f32_bits(sc.sum[0]), lp_f32_bits(sc.sum[1]),
               lp_f32_bits(sc.sum[2]), lp_f32_bits(sc.sum[3]), sc.n, sc.underflow, sc.saturated, sc.subnormal, sc.nan, sc.inf,
               lp_f32_bits(sr.sum[0]), lp_f32_bits(sr.sum[1]), lp_f32_bits(sr.sum[2]), lp_f32_bits(sr.sum[3]), sr.n, sr.underflow, sr.saturated,
               sr.subnormal, sr.nan, sr.inf);
        return 0;
    }
    return 1;
}

/* Fill g with the boundaries of p and random values; shuffle so blocks mix them. */
static uint32_t fill(const lp_fmt_params_t *p, uint32_t n)
{
    uint32_t nb = rv_boundaries(p, g, n / 2);
    rv_random(p, g + nb, n - nb);
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = rv_rand32() % (i + 1);
        float t = g[i];
        g[i] = g[j];
        g[j] = t;
    }
    return nb;
}

int main(int argc, char **argv)
{
    rv_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 20261123u;
    char err[256];
    lp_vq_opts_t vo = {NULL, 0};
    lp_vq_t *vq = lp_vq_open(&vo, err, sizeof err);
    if (!vq) {
        printf("FAIL open: %s\n", err);
        return 1;
    }
    lp_format_t fmts[LP_FMT_NPRESETS + 8];
    const char *names[LP_FMT_NPRESETS + 8];
    int nf = 0;
    for (int i = 0; i < LP_FMT_NPRESETS; i++) {
        fmts[nf] = lp_format_preset(i);
        names[nf++] = lp_format_preset_name(i);
    }
    static const char *extra[] = {"e3m4", "e6m9", "e2m0", "e1m3", "e8m0", "fixed8.4", "fixed16.12", "fixed24.140"};
    for (unsigned i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        char eb[128];
        if (lp_format_parse(extra[i], &fmts[nf], eb, sizeof eb) != 0) {
            printf("FAIL parse %s: %s\n", extra[i], eb);
            return 1;
        }
        names[nf++] = extra[i];
    }
    uint32_t bounds = 0;
    for (int f = 0; f < nf; f++) {
        lp_fmt_params_t p;
        const char *why;
        if (lp_format_derive(&fmts[f], &p, &why) != 0) {
            printf("FAIL derive %s: %s\n", names[f], why);
            return 1;
        }
        int ok = 1, runs = 0;
        for (int rnd = 0; rnd < 3; rnd++)
            for (int ovf = 0; ovf < 2; ovf++)
                for (int sub = 0; sub < 2; sub++)
                    for (int sc = 0; sc < 3; sc++) {
                        lp_qcfg_t cfg = lp_qcfg_default(fmts[f]);
                        cfg.rounding = (uint8_t)rnd;
                        cfg.overflow = (uint8_t)ovf;
                        cfg.subnormals = (uint8_t)sub;
                        cfg.scale = (uint8_t)sc;
                        cfg.seed = rv_rand32();
                        uint32_t n = 2048 + (rv_rand32() % 61); /* partial last beats */
                        bounds += fill(&p, n);
                        if (sc != LP_SCALE_NONE) /* move the amax around */
                            for (uint32_t i = 0; i < n; i++)
                                g[i] = ldexpf(g[i], (int)(rv_rand32() % 9) - 4);
                        int r = run_one(vq, names[f], &p, &cfg, rv_rand32() % 1000, n);
                        LP_CHECK(r, "%s: RTL and C model differ", names[f]);
                        ok &= r;
                        runs++;
                    }
        LP_CASE(names[f], ok, "%s", names[f]);
    }

    /* lengths: 1, a partial beat, one block and one beat, empty */
    {
        lp_fmt_params_t p;
        const char *why;
        lp_qcfg_t cfg = lp_qcfg_default(lp_format_preset(LP_FMT_FP8_E4M3));
        lp_format_derive(&cfg.fmt, &p, &why);
        static const uint32_t lens[] = {1, 5, 16, 17, 31, 32, 33, 48, 0};
        int ok = 1;
        for (int sc = 0; sc < 3; sc++)
            for (unsigned i = 0; i < sizeof lens / sizeof lens[0]; i++) {
                cfg.scale = (uint8_t)sc;
                cfg.rounding = LP_ROUND_SR;
                fill(&p, lens[i] ? lens[i] : 1);
                int r = run_one(vq, "lengths", &p, &cfg, i, lens[i]);
                LP_CHECK(r, "length %u scale %d", lens[i], sc);
                ok &= r;
            }
        LP_CASE("lengths 0..48 (partial beats and blocks)", ok, "lengths");
    }

    /* the push/pull ABI by hand: beats of 16, the statistics, and the cycle count */
    {
        lp_fmt_params_t p;
        const char *why;
        lp_qcfg_t cfg = lp_qcfg_default(lp_format_preset(LP_FMT_FP4_E2M1));
        lp_format_derive(&cfg.fmt, &p, &why);
        uint32_t n = 160;
        fill(&p, n);
        lp_qstats_t sc, sr;
        lp_quantize_vec(g, gq_c, code_c, NULL, n, &p, &cfg, 0, &sc);
        lp_vq_configure(vq, &p, &cfg, 0, 0);
        uint64_t c0 = lp_vq_cycles(vq);
        for (uint32_t b = 0; b < n / 16; b++)
            lp_vq_push(vq, (const uint32_t *)(const void *)(g + 16 * b), 16, b + 1 == n / 16);
        int ok = 1;
        uint32_t v[16], c[16], got = 0;
        int32_t k;
        unsigned cnt;
        int last = 0;
        while (lp_vq_pull(vq, v, c, &k, &cnt, &last)) {
            for (unsigned l = 0; l < cnt; l++)
                ok &= v[l] == lp_f32_bits(gq_c[got + l]) && c[l] == code_c[got + l];
            got += cnt;
            if (last)
                break;
        }
        lp_vq_stats(vq, &sr);
        ok &= got == n && same_stats(&sc, &sr);
        LP_CASE("push/pull/stats ABI", ok, "push/pull ABI: got %u of %u, stats %s", got, n,
                same_stats(&sc, &sr) ? "equal" : "differ");
        LP_CHECK(lp_vq_cycles(vq) > c0 + n / 16, "cycle count advances");
    }
    printf("%llu elements compared (%u boundary values), %llu cycles, pipeline latency %u cycles\n",
           (unsigned long long)n_elems, bounds, (unsigned long long)lp_vq_cycles(vq), lp_vq_latency(vq));
    lp_vq_close(vq);
    return lp_test_summary();
}
