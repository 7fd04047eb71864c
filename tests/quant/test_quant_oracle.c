/*
 * test_quant_oracle.c - the quantizer against the independent oracle (tests/oracle/).
 *
 * For every preset and a set of eXmY and fixedW.F formats, and every option combination
 * (rne/rtz/sr x sat/inf x subnormals on/off x scale none/tensor/block32), quantize
 *   - every boundary: each representable value (all of them up to 2^16 values, a sample
 *     beyond), the midpoints between neighbours and their +-1 ulp FP32 neighbours, max
 *     finite and above, min subnormal and half of it, +-0, +-Inf, NaN payloads, FP32
 *     subnormals, both signs; under scaling the same set moved onto the scaled grid
 *     (several scale exponents, up to the largest one allowed);
 *   - a seeded random sample (uniform bit patterns and values in the format's range)
 * with lp_quantize_vec and with lp_quant_f32, and compare with the oracle bit for bit:
 * decoded value, code, flags, scale exponents, the statistics' counts, and
 * lp_decode(code) == value. Also: sr at the exact threshold of its random bits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp_test.h"
#include "qt_bits.h"
#include "oracle/lp_oracle.h"
#include "quant/lp_quant_elem.h"
#include "quant/lp_quant_vec.h"
#include "quant/red_ref.h"

#define SAN LP_TEST_SAN

#define NRANDOM (SAN ? 3000u : 20000u) /* seeded random inputs per configuration */
#define NLIST (SAN ? 1024u : 32768u)   /* list every value of formats with up to this many */
#define NLIST_SCALED (SAN ? 256u : 2048u) /* the same on each scaled grid                    */

/* xorshift64*: the seeded sample */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rng32(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

/* ---- input lists ---- */

typedef struct {
    uint32_t *x;
    uint32_t n, cap;
} vec_t;

static void push(vec_t *v, uint32_t x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4096;
        v->x = realloc(v->x, v->cap * sizeof *v->x);
        if (!v->x)
            abort();
    }
    v->x[v->n++] = x;
}

/* Push magnitude m (a double) if it is an FP32 value, with the signs in sgn (bit 0 +, bit 1 -). */
static int sgn = 3;
static void push_mag(vec_t *v, double m)
{
    float f = (float)m;
    if (!(m >= 0) || (double)f != m || isinf(f))
        return;
    if (sgn & 1)
        push(v, f2u(f));
    if (sgn & 2)
        push(v, f2u(f) | 0x80000000u);
}

/* m and its FP32 neighbours (m itself only when it is an FP32 value). */
static void push_around(vec_t *v, double m)
{
    push_mag(v, m);
    float f = (float)m;
    if (isinf(f) || m <= 0)
        return;
    push_mag(v, nextafterf(f, INFINITY));
    push_mag(v, nextafterf(f, 0));
    push_mag(v, f);
}

static double tab_val(const lp_orc_t *o, int s, uint32_t i)
{
    /* the oracle's decode of the i-th table entry's code is its value */
    const lp_orc_side_t *t = &o->side[s];
    if (t->val)
        return t->val[i];
    return o->fixed ? ldexp((double)i, -(int)o->fmt.frac) : lp_orc_decode(o, i);
}

/* Every boundary of the format's grid, scaled by 2^-k (both signs). */
static void boundaries(vec_t *v, const lp_orc_t *o, int32_t k, double cap, uint32_t nlist)
{
    for (int s = 0; s < 2; s++) {
        const lp_orc_side_t *t = &o->side[s];
        uint32_t n = t->n;
        uint32_t cnt = n <= nlist ? n : nlist;
        if (s == 1 && !o->fixed) /* float magnitudes are symmetric: push_mag did both signs */
            cnt = 0;
        sgn = o->fixed ? 1 << s : 3; /* fixed point: each sign's own grid */
        for (uint32_t ii = 0; ii < cnt; ii++) {
            /* every value, or for a large format the first and last 64 and a random sample */
            uint32_t i = n <= nlist ? ii : ii < 64 ? ii : ii < 128 ? n - 128 + ii : 64 + rng32() % (n - 128);
            double a = tab_val(o, s, i), b = i + 1 < n ? tab_val(o, s, i + 1) : t->beyond;
            double mid = (a + b) / 2;
            if (ldexp(a, -k) > cap) {
                if (n <= nlist)
                    break;
                continue;
            }
            push_around(v, ldexp(a, -k));
            push_around(v, ldexp(mid, -k));
        }
        double top[] = {t->beyond, (t->extreme + t->beyond) / 2, 2 * t->extreme, 1.5 * t->beyond,
                        (t->extreme + 3 * t->beyond) / 4};
        for (unsigned j = 0; j < sizeof top / sizeof top[0]; j++)
            if (ldexp(top[j], -k) <= cap)
                push_around(v, ldexp(top[j], -k));
        double minsub = tab_val(o, s, 1);
        double low[] = {minsub / 2, minsub / 4, minsub * 0.75, minsub * 0.25, o->min_normal,
                        o->min_normal - minsub / 2, o->min_normal * 0.5};
        for (unsigned j = 0; j < sizeof low / sizeof low[0]; j++)
            push_around(v, ldexp(low[j], -k));
    }
    sgn = 3;
    static const uint32_t raw[] = {0x00000000u, 0x00000001u, 0x00000002u, 0x00000003u, 0x00000007u,
                                   0x00400000u, 0x007FFFFFu, 0x00800000u, 0x00800001u, 0x7F7FFFFFu,
                                   0x7F000000u, 0x7F800000u, 0x7F800001u, 0x7FC00000u, 0x7FC00001u,
                                   0x7FBFFFFFu, 0x7FFFFFFFu, 0x3F800000u, 0x0F800000u};
    for (unsigned j = 0; j < sizeof raw / sizeof raw[0]; j++) {
        if (u2f(raw[j]) <= cap || isnan(u2f(raw[j])) || isinf(u2f(raw[j]))) {
            push(v, raw[j]);
            push(v, raw[j] | 0x80000000u);
        }
    }
}

/* Random inputs: uniform bit patterns and values in the format's range, scaled by 2^-k. */
static void randoms(vec_t *v, const lp_orc_t *o, int32_t k, uint32_t count, double cap)
{
    int lo = o->qmin - 4 - k, hi = o->emax + 2 - k;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t r = rng32();
        uint32_t x;
        if (i % 4 == 0) {
            x = r;
        } else {
            int e = lo + (int)(rng32() % (uint32_t)(hi - lo + 1));
            if (e < -149)
                e = -149 + (int)(rng32() % 8);
            if (e > 127)
                e = 127;
            double m = ldexp(1.0 + ldexp((double)(r & 0x7FFFFFu), -23), e);
            float f = (float)m; /* rounded into FP32 (subnormals lose bits: still an input) */
            x = f2u(f) | (r & 0x80000000u);
        }
        if (fabsf(u2f(x)) > cap && !isnan(u2f(x)) && !isinf(u2f(x)))
            continue;
        push(v, x);
    }
}

/* ---- the comparison ---- */

static const char *rnd_name[] = {"rne", "rtz", "sr"};
static const char *ovf_name[] = {"sat", "inf"};
static const char *scale_name[] = {"none", "tensor", "block32"};

typedef struct {
    unsigned value, code, flags, decode, k, stats, sums, single;
} mism_t;

/* Quantize v under cfg both ways and compare; returns the number of mismatching elements. */
static unsigned run_case(const char *fname, const lp_orc_t *o, const lp_fmt_params_t *p, const lp_qcfg_t *cfg,
                         const vec_t *v, uint32_t step, unsigned *nelem)
{
    uint32_t n = v->n;
    uint32_t nb = (n + 31) / 32 + 1;
    lp_orc_q_t *want = malloc(n * sizeof *want);
    float *gq = malloc(n * sizeof *gq);
    uint32_t *codes = malloc(n * sizeof *codes), *wv = malloc(n * sizeof *wv), *wf = malloc(n * sizeof *wf);
    int32_t *k_got = calloc(nb, sizeof *k_got), *k_want = calloc(nb, sizeof *k_want);
    if (!want || !gq || !codes || !wv || !wf || !k_got || !k_want)
        abort();
    lp_orc_quant_vec(o, cfg, v->x, n, step, want, k_want);
    lp_qstats_t st;
    lp_quantize_vec((const float *)v->x, gq, codes, k_got, n, p, cfg, step, &st);
    mism_t m;
    memset(&m, 0, sizeof m);
    unsigned bad = 0, shown = 0;
    lp_qstats_t ws;
    memset(&ws, 0, sizeof ws);
    uint32_t nk = cfg->scale == LP_SCALE_TENSOR ? 1 : cfg->scale == LP_SCALE_BLOCK32 ? (n + 31) / 32 : 0;
    for (uint32_t b = 0; b < nk; b++)
        if (k_got[b] != k_want[b]) {
            m.k++;
            if (shown++ < 4)
                printf("  %s %s/%s/sub%d/%s: scale exponent %u: got %d want %d\n", fname, rnd_name[cfg->rounding],
                       ovf_name[cfg->overflow], cfg->subnormals, scale_name[cfg->scale], b, k_got[b], k_want[b]);
        }
    for (uint32_t i = 0; i < n; i++) {
        int32_t k = cfg->scale == LP_SCALE_TENSOR ? k_want[0] : cfg->scale == LP_SCALE_BLOCK32 ? k_want[i / 32] : 0;
        lp_qgrid_t grid = lp_quant_grid(p, k);
        uint32_t rnd = cfg->rounding == LP_ROUND_SR ? lp_sr_hash(cfg->seed, step, i) : 0u;
        lp_q_t q = lp_quant_f32(v->x[i], p, &grid, cfg, rnd);
        const lp_orc_q_t *w = &want[i];
        wv[i] = w->value;
        wf[i] = w->flags;
        ws.underflow += (w->flags & LP_QF_UNDERFLOW) != 0;
        ws.saturated += (w->flags & LP_QF_SATURATED) != 0;
        ws.subnormal += (w->flags & LP_QF_SUBNORMAL) != 0;
        ws.nan += (w->flags & LP_QF_NAN) != 0;
        ws.inf += (w->flags & LP_QF_INF) != 0;
        uint32_t dec = lp_decode(codes[i], p, k);
        double od = ldexp(lp_orc_decode(o, w->code), -k);
        int dec_ok = dec == w->value && (isnan(od) ? isnan(u2f(w->value)) : f2u((float)od) == w->value);
        int e_val = f2u(gq[i]) != w->value, e_code = codes[i] != w->code, e_flags = q.flags != w->flags;
        int e_single = q.value != w->value || q.code != w->code;
        m.value += e_val;
        m.code += e_code;
        m.flags += e_flags;
        m.decode += !dec_ok;
        m.single += e_single;
        if ((e_val || e_code || e_flags || !dec_ok || e_single)) {
            bad++;
            if (shown++ < 6)
                printf("  %s %s/%s/sub%d/%s: x=%08x (%.9g) k=%d rnd=%08x: got value %08x code %x flags %x "
                       "(single %08x %x) decode %08x; oracle value %08x (%.9g) code %x flags %x\n",
                       fname, rnd_name[cfg->rounding], ovf_name[cfg->overflow], cfg->subnormals,
                       scale_name[cfg->scale], v->x[i], (double)u2f(v->x[i]), k, rnd, f2u(gq[i]), codes[i], q.flags,
                       q.value, q.code, dec, w->value, (double)u2f(w->value), w->code, w->flags);
        }
    }
    if (st.n != n || st.underflow != ws.underflow || st.saturated != ws.saturated || st.subnormal != ws.subnormal ||
        st.nan != ws.nan || st.inf != ws.inf) {
        m.stats++;
        printf("  %s: counts n %u/%u underflow %u/%u saturated %u/%u subnormal %u/%u nan %u/%u inf %u/%u\n", fname,
               st.n, n, st.underflow, ws.underflow, st.saturated, ws.saturated, st.subnormal, ws.subnormal, st.nan,
               ws.nan, st.inf, ws.inf);
    }
    /* the values-only vector loop (bench's fast path), unscaled */
    unsigned e_loop = 0;
    if (cfg->scale == LP_SCALE_NONE) {
        lp_qgrid_t grid0 = lp_quant_grid(p, 0);
        uint32_t *vals = malloc(n * sizeof *vals);
        if (!vals)
            abort();
        lp_quant_values(v->x, vals, n, p, &grid0, cfg, step, 0);
        for (uint32_t i = 0; i < n; i++)
            e_loop += vals[i] != wv[i];
        free(vals);
    }
    float sums[4];
    red_reference(v->x, wv, wf, n, sums);
    for (int q = 0; q < 4; q++)
        /* NaN sums (overflow to NaN with --overflow inf) compare as NaN: which NaN payload
         * an FP32 add propagates depends on operand order, which C leaves to the compiler */
        if (f2u(sums[q]) != f2u(st.sum[q]) && !(isnan(sums[q]) && isnan(st.sum[q]))) {
            m.sums++;
            printf("  %s: sum %d: got %08x want %08x\n", fname, q, f2u(st.sum[q]), f2u(sums[q]));
        }
    char what[160];
    snprintf(what, sizeof what, "%s %s/%s/sub%d/%s", fname, rnd_name[cfg->rounding], ovf_name[cfg->overflow],
             cfg->subnormals, scale_name[cfg->scale]);
    LP_CHECK(m.value == 0, "%s: %u decoded values differ from the oracle", what, m.value);
    LP_CHECK(m.code == 0, "%s: %u codes differ from the oracle", what, m.code);
    LP_CHECK(m.flags == 0, "%s: %u flag sets differ from the oracle", what, m.flags);
    LP_CHECK(m.single == 0, "%s: %u lp_quant_f32 results differ from the oracle", what, m.single);
    LP_CHECK(e_loop == 0, "%s: %u lp_quant_values results differ from the oracle", what, e_loop);
    LP_CHECK(m.decode == 0, "%s: %u lp_decode(code) != value", what, m.decode);
    LP_CHECK(m.k == 0, "%s: %u scale exponents differ from the oracle", what, m.k);
    LP_CHECK(m.stats == 0, "%s: statistics counts differ from the oracle's flags", what);
    LP_CHECK(m.sums == 0, "%s: statistics sums differ from the documented reduction order", what);
    *nelem += n;
    free(want);
    free(gq);
    free(codes);
    free(wv);
    free(wf);
    free(k_got);
    free(k_want);
    return bad + m.k + m.stats + m.sums + e_loop;
}

/* sr exactly at its threshold: the smallest r that rounds up, found on the oracle. */
static unsigned sr_thresholds(const char *fname, const lp_orc_t *o, const lp_fmt_params_t *p, const vec_t *v)
{
    lp_qcfg_t cfg = lp_qcfg_default(o->fmt);
    cfg.rounding = LP_ROUND_SR;
    lp_qgrid_t grid = lp_quant_grid(p, 0);
    unsigned bad = 0, tried = 0;
    for (uint32_t i = 0; i < v->n && tried < 3000; i += 1 + v->n / 3000) {
        uint32_t x = v->x[i];
        lp_orc_q_t lo = lp_orc_quant(o, x, 0, &cfg, 0u), hi = lp_orc_quant(o, x, 0, &cfg, 0xFFFFFFFFu);
        uint32_t rs[4] = {0u, 0xFFFFFFFFu, 0u, 0u};
        int nr = 2;
        if (lo.code != hi.code) { /* inexact: find the threshold t: r < t down, r >= t up */
            uint64_t a = 0, b = 0xFFFFFFFFu;
            while (a < b) {
                uint64_t mid = (a + b) / 2;
                if (lp_orc_quant(o, x, 0, &cfg, (uint32_t)mid).code == hi.code)
                    b = mid;
                else
                    a = mid + 1;
            }
            rs[2] = (uint32_t)a;
            rs[3] = (uint32_t)a - 1u;
            nr = a > 0 ? 4 : 3;
        }
        for (int j = 0; j < nr; j++) {
            lp_orc_q_t w = lp_orc_quant(o, x, 0, &cfg, rs[j]);
            lp_q_t q = lp_quant_f32(x, p, &grid, &cfg, rs[j]);
            if (q.value != w.value || q.code != w.code || q.flags != w.flags) {
                if (bad++ < 4)
                    printf("  %s sr: x=%08x r=%08x: got %08x/%x/%x want %08x/%x/%x\n", fname, x, rs[j], q.value,
                           q.code, q.flags, w.value, w.code, w.flags);
            }
        }
        tried++;
    }
    LP_CHECK(bad == 0, "%s: %u sr results at the random-bit threshold differ from the oracle", fname, bad);
    return bad;
}

int main(int argc, char **argv)
{
    typedef struct {
        const char *name;
        lp_format_t f;
    } fmt_t;
    fmt_t fmts[40];
    int nf = 0;
    for (int i = 0; i < LP_FMT_NPRESETS; i++)
        fmts[nf++] = (fmt_t){lp_format_preset_name(i), lp_format_preset(i)};
    static const int exmy[][2] = {{1, 2}, {1, 1}, {8, 0}, {2, 0}, {5, 10}, {3, 4}, {6, 1}, {4, 0}};
    static char names[40][24];
    for (unsigned i = 0; i < sizeof exmy / sizeof exmy[0]; i++) {
        snprintf(names[nf], sizeof names[nf], "e%dm%d", exmy[i][0], exmy[i][1]);
        fmts[nf] = (fmt_t){names[nf], lp_format_exmy(exmy[i][0], exmy[i][1])};
        nf++;
    }
    static const int fixed[][2] = {{8, 4}, {16, 8}, {24, 0}, {4, 0}, {2, 149}, {8, 140}, {3, 1}};
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        snprintf(names[nf], sizeof names[nf], "fixed%d.%d", fixed[i][0], fixed[i][1]);
        fmts[nf] = (fmt_t){names[nf], lp_format_fixed(fixed[i][0], fixed[i][1])};
        nf++;
    }
    unsigned total_elems = 0;
    for (int fi = 0; fi < nf; fi++) {
        int wanted = argc < 2; /* optional arguments: only these formats */
        for (int a = 1; a < argc; a++)
            wanted |= strcmp(argv[a], fmts[fi].name) == 0;
        if (!wanted)
            continue;
        lp_orc_t o;
        lp_fmt_params_t p;
        const char *why;
        if (lp_orc_init(&o, &fmts[fi].f, &why) != 0 || lp_format_derive(&fmts[fi].f, &p, &why) != 0) {
            LP_CHECK(0, "%s: %s", fmts[fi].name, why);
            continue;
        }
        /* inputs per scale mode */
        vec_t in[3];
        memset(in, 0, sizeof in);
        boundaries(&in[0], &o, 0, INFINITY, NLIST);
        randoms(&in[0], &o, 0, NRANDOM, INFINITY);
        int32_t kmin = o.emax - 127 + o.fixed, kmax = o.qmin + 149;
        int32_t ks[] = {kmax, -7, 33, kmin};
        for (unsigned j = 0; j < sizeof ks / sizeof ks[0]; j++) {
            int32_t k = ks[j] < kmin ? kmin : ks[j] > kmax ? kmax : ks[j];
            double ext = ldexp(o.side[0].extreme, -k);
            if ((double)(float)ext != ext)
                continue;
            /* tensor: nothing above the amax element, which fixes k */
            vec_t t;
            memset(&t, 0, sizeof t);
            boundaries(&t, &o, k, ext, NLIST_SCALED);
            randoms(&t, &o, k, NRANDOM / 4, ext);
            for (uint32_t i = 0; i < t.n; i++) {
                if (i % 997 == 0)
                    push(&in[1], f2u((float)ext));
                push(&in[1], t.x[i]);
            }
            /* block32: below 2^(emax+1) per block, with the block amax at every 32nd place */
            t.n = 0;
            double cap = ldexp(1.0, o.emax + 1 - k);
            boundaries(&t, &o, k, nextafter(cap, 0), NLIST_SCALED);
            randoms(&t, &o, k, NRANDOM / 4, nextafter(cap, 0));
            for (uint32_t i = 0; i < t.n; i++) {
                if (in[2].n % 32 == 0)
                    push(&in[2], f2u((float)ext) | (i & 1u) << 31);
                push(&in[2], t.x[i]);
            }
            free(t.x);
        }
        /* blocks of very different magnitudes, all-zero blocks, blocks with Inf/NaN */
        for (uint32_t b = 0; b < 64; b++)
            for (uint32_t j = 0; j < 32; j++) {
                uint32_t x = b % 8 == 0 ? 0u : rng32() % (b % 7 + 1) ? (rng32() & 0x80000000u) | ((b * 4u) << 23) | (rng32() & 0x7FFFFFu) : rng32();
                if (b % 8 == 1 && j == 5)
                    x = 0x7F800000u;
                if (b % 8 == 2 && j == 9)
                    x = 0xFFC00000u;
                push(&in[2], x);
                push(&in[1], x & 0xBFFFFFFFu);
            }
        unsigned bad = 0, elems = 0;
        for (int sc = 0; sc < 3; sc++)
            for (int rm = 0; rm < 3; rm++)
                for (int ov = 0; ov < 2; ov++)
                    for (int sub = 1; sub >= 0; sub--) {
                        lp_qcfg_t cfg = lp_qcfg_default(fmts[fi].f);
                        cfg.rounding = (uint8_t)rm;
                        cfg.overflow = (uint8_t)ov;
                        cfg.subnormals = (uint8_t)sub;
                        cfg.scale = (uint8_t)sc;
                        cfg.seed = 0xC0FFEEu + (uint32_t)fi;
                        bad += run_case(fmts[fi].name, &o, &p, &cfg, &in[sc], 17u + (uint32_t)sc, &elems);
                    }
        bad += sr_thresholds(fmts[fi].name, &o, &p, &in[0]);
        char msg[96];
        snprintf(msg, sizeof msg, "%s: 36 option sets, %u elements, %u boundary+random inputs unscaled", fmts[fi].name,
                 elems, in[0].n);
        LP_CASE(msg, bad == 0, "%s: %u mismatches", fmts[fi].name, bad);
        total_elems += elems;
        for (int sc = 0; sc < 3; sc++)
            free(in[sc].x);
        lp_orc_free(&o);
    }
    printf("%u element quantizations compared with the oracle\n", total_elems);
    return lp_test_summary();
}
