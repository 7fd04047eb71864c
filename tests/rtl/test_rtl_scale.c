/*
 * test_rtl_scale.c - the scale units of rtl/quant against the C model, bit for bit:
 *   lp_scale_k.sv vs lp_scale_k() (hls/quant/lp_quant.c), every mode (NONE, TENSOR,
 *     BLOCK32 and the undefined 3, which C treats as TENSOR) for every preset, every
 *     eXmY (E 1..8, M 0..23) with IEEE / finite-NaN / no specials and three biases, and
 *     fixed-point W 2..24 with many F: amax over every FP32 exponent field (0..255) with
 *     the boundary significands (0, 1, the normalized max_kq significand and its
 *     neighbours, all ones), every subnormal binade with its boundaries, and 2^20 seeded
 *     random (format, amax) pairs;
 *   lp_amax.sv vs lp_amax_bits(): seeded runs of 0..2000 elements (NaN with payloads,
 *     +-Inf, +-0, subnormals, +-max finite, random values over all exponents; runs of
 *     only specials, only zeros, only subnormals), partial last beats with garbage in the
 *     missing lanes, random idle cycles, clear_i with the first beat or alone.
 * Usage: test_rtl_scale [seed]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/quant/lp_vscale.h"
#include "lp_test.h"
#include "quant/lp_quant.h"

static uint64_t rng;

static uint32_t rnd32(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 16);
}

enum { MAXFMT = 4096, MAXA = 8192 };
static lp_fmt_params_t fmts[MAXFMT];
static char fnames[MAXFMT][24];
static int nfmts, npresets, nfloat;

static void add_fmt(lp_format_t f, const char *name)
{
    const char *why;
    if (nfmts < MAXFMT && lp_format_derive(&f, &fmts[nfmts], &why) == 0) {
        snprintf(fnames[nfmts], sizeof fnames[0], "%s", name);
        nfmts++;
    }
}

static void build_formats(void)
{
    char name[24];
    for (int i = 0; i < LP_FMT_NPRESETS; i++)
        add_fmt(lp_format_preset(i), lp_format_preset_name(i));
    npresets = nfmts;
    for (int e = 1; e <= 8; e++)
        for (int m = 0; m <= 23; m++)
            for (int sp = LP_SPECIALS_IEEE; sp <= LP_SPECIALS_NONE; sp++)
                for (int bi = 0; bi < 3; bi++) {
                    lp_format_t f = lp_format_exmy(e, m);
                    static const int dbias[3] = {0, -5, 7};
                    f.specials = (uint8_t)sp;
                    f.bias = (int16_t)(f.bias + dbias[bi]);
                    snprintf(name, sizeof name, "e%dm%d/s%d/b%d", e, m, sp, f.bias);
                    add_fmt(f, name);
                }
    nfloat = nfmts;
    for (int w = 2; w <= 24; w++) {
        const int fr[] = {0, 1, 2, w / 2, w - 1, w, w + 3, 20, 40, 100, 126, 127, 140, 149};
        for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++) {
            snprintf(name, sizeof name, "fixed%d.%d", w, fr[i]);
            add_fmt(lp_format_fixed(w, fr[i]), name);
        }
    }
}

/* amax inputs for format p: every exponent field with boundary significands, every
 * subnormal binade with its boundaries */
static uint32_t amax_set(const lp_fmt_params_t *p, uint32_t *a)
{
    uint32_t n = 0;
    uint32_t mk = p->max_kq, sm = (mk << (23 - lp_msb32(mk))) & 0x7FFFFFu; /* max_kq's fraction */
    for (uint32_t ef = 0; ef <= 255; ef++) {
        uint32_t sigs[] = {0, 1, 2, sm ? sm - 1 : 0, sm, sm + 1 <= 0x7FFFFFu ? sm + 1 : 0x7FFFFFu, 0x7FFFFFu,
                           0x400000u, 0x3FFFFFu, rnd32() & 0x7FFFFFu};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            a[n++] = (ef << 23) | sigs[i];
    }
    for (int b = 0; b <= 22; b++) { /* subnormal amax with its leading one at bit b */
        uint32_t lead = 1u << b, low = lead - 1u, f = sm >> (23 - b);
        uint32_t sigs[] = {lead, lead | low, lead | (f & low), lead | ((f + 1) & low), lead | ((f - 1) & low),
                           lead | (rnd32() & low)};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            a[n++] = sigs[i];
    }
    return n;
}

static uint32_t amx[MAXA];
static int32_t k_rtl[MAXA];

/* one (format, mode) over n amax values: number of mismatches (the first few printed) */
static int check_k(int fi, int mode, uint32_t n, int *shown)
{
    int bad = 0;
    lp_vscale_k(&fmts[fi], mode, amx, k_rtl, n);
    for (uint32_t i = 0; i < n; i++) {
        int32_t kc = lp_scale_k(amx[i], &fmts[fi], mode);
        if (kc != k_rtl[i]) {
            bad++;
            if ((*shown)++ < 8)
                printf("  %s mode %d amax 0x%08x: C k %d RTL k %d\n", fnames[fi], mode, amx[i], kc, k_rtl[i]);
        }
    }
    return bad;
}

static void test_scale_k(void)
{
    const int groups[4] = {0, npresets, nfloat, nfmts};
    const char *gname[3] = {"presets", "eXmY formats (3 specials x 3 biases)", "fixed-point formats"};
    int shown = 0;
    for (int gi = 0; gi < 3; gi++) {
        long bad[4] = {0, 0, 0, 0}, cnt = 0;
        for (int fi = groups[gi]; fi < groups[gi + 1]; fi++) {
            uint32_t n = amax_set(&fmts[fi], amx);
            for (int mode = 0; mode < 4; mode++)
                bad[mode] += check_k(fi, mode, n, &shown);
            cnt += n;
        }
        static const char *mname[4] = {"none", "tensor", "block32", "mode 3"};
        for (int mode = 0; mode < 4; mode++) {
            char name[160];
            snprintf(name, sizeof name, "scale_k %s, %s: %d formats x %ld boundary amax: RTL = C", mname[mode],
                     gname[gi], groups[gi + 1] - groups[gi], cnt / (groups[gi + 1] - groups[gi]));
            LP_CASE(name, bad[mode] == 0, "scale_k %s, %s: %ld of %ld differ", mname[mode], gname[gi], bad[mode], cnt);
        }
    }
    /* 2^20 seeded random (format, amax), both scaling modes: 256 batches of 4096 */
    long bad = 0, cnt = 0;
    for (int r = 0; r < 256; r++) {
        int fi = (int)(rnd32() % (uint32_t)nfmts);
        for (int i = 0; i < 4096; i++) {
            uint32_t u = rnd32() & 0x7FFFFFFFu;
            if (i & 1) /* exponent-uniform over the finite range */
                u = (rnd32() % 255u) << 23 | (rnd32() & 0x7FFFFFu);
            amx[i] = u;
        }
        bad += check_k(fi, 1 + (r & 1), 4096, &shown);
        cnt += 4096;
    }
    char name[96];
    snprintf(name, sizeof name, "scale_k tensor/block32: %ld seeded random (format, amax): RTL = C", cnt);
    LP_CASE(name, bad == 0, "%ld of %ld random scale_k differ", bad, cnt);
}

/* an element for the amax runs: kind chosen by the run's flavour */
static uint32_t elem(int flavour)
{
    static const uint32_t sp[] = {0x7FC00000u, 0xFFC00000u, 0x7F800001u, 0xFFBFFFFFu, 0x7FFFFFFFu,
                                  0x7F800000u, 0xFF800000u, 0x00000000u, 0x80000000u};
    uint32_t r = rnd32(), s = rnd32() & 0x80000000u;
    switch (flavour) {
    case 1: /* specials only: NaN, Inf, zeros */
        return sp[r % 9];
    case 2: /* zeros */
        return s;
    case 3: /* subnormals, zeros and specials */
        return r % 4 ? s | (rnd32() & 0x7FFFFFu) : sp[r % 9];
    default: {
        uint32_t t = r % 16;
        if (t == 0)
            return sp[rnd32() % 9];
        if (t == 1)
            return s | 0x7F7FFFFFu; /* max finite */
        if (t == 2)
            return s | (rnd32() & 0x7FFFFFu); /* subnormal */
        if (t == 3)
            return s | ((rnd32() % 255u) << 23) | (rnd32() & 0x7FFFFFu); /* any exponent */
        return s | ((100u + rnd32() % 40u) << 23) | (rnd32() & 0x7FFFFFu); /* near 1 */
    }
    }
}

static void test_amax(uint64_t seed)
{
    enum { NRUNS = 6000, MAXE = 1u << 21 };
    uint32_t *len = malloc(NRUNS * sizeof *len), *x = malloc(MAXE * sizeof *x);
    uint32_t *a_rtl = malloc(NRUNS * sizeof *a_rtl);
    float *xf = malloc(MAXE * sizeof *xf);
    size_t tot = 0;
    for (int r = 0; r < NRUNS; r++) {
        uint32_t l = rnd32() % 8 == 0 ? rnd32() % 2001u : rnd32() % 70u;
        if (tot + l > MAXE)
            l = 0;
        int flavour = rnd32() % 8 < 5 ? 0 : 1 + (int)(rnd32() % 3u);
        for (uint32_t i = 0; i < l; i++)
            x[tot + i] = elem(flavour);
        len[r] = l;
        tot += l;
    }
    memcpy(xf, x, tot * sizeof *x);
    size_t bad_valid = 0;
    memset(a_rtl, 0xEE, NRUNS * sizeof *a_rtl);
    lp_vamax_runs(x, len, NRUNS, seed, a_rtl, &bad_valid);
    long bad = 0, nonzero = 0, subn = 0;
    size_t pos = 0;
    for (int r = 0; r < NRUNS; r++) {
        uint32_t c = lp_amax_bits(xf + pos, len[r]);
        nonzero += c != 0;
        subn += c != 0 && c < 0x00800000u;
        if (c != a_rtl[r] && bad++ < 8)
            printf("  run %d (%u elements): C amax 0x%08x RTL 0x%08x\n", r, len[r], c, a_rtl[r]);
        pos += len[r];
    }
    char name[160];
    snprintf(name, sizeof name, "amax: %d runs, %zu elements (%ld runs nonzero, %ld subnormal): RTL = C", NRUNS, tot,
             nonzero, subn);
    LP_CASE(name, bad == 0, "amax: %ld of %d runs differ", bad, NRUNS);
    LP_CASE("amax: valid_o follows valid_i by two cycles", bad_valid == 0, "%zu cycles with a wrong valid_o",
            bad_valid);
    free(len);
    free(x);
    free(a_rtl);
    free(xf);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5CA1E5EEDull;
    rng = seed;
    build_formats();
    printf("seed 0x%llx, %d formats (%d presets, %d eXmY, %d fixed)\n", (unsigned long long)seed, nfmts, npresets,
           nfloat - npresets, nfmts - nfloat);
    test_scale_k();
    test_amax(seed);
    return lp_test_summary();
}
