/*
 * test_quant_variants.c - every variant of lp_quantize_vec this CPU can run gives the same
 * bits as the others and as the independent oracle (tests/oracle/).
 *
 * The variants (hls/quant/lp_quant_vec.h): plain (the HLS loop), base (x86-64 / any host),
 * avx2, avx512, each forced with lp_qv_variant_set. For every preset and some eXmY and
 * fixedW.F formats, every option combination (rne/rtz/sr x sat/inf x subnormals on/off x
 * scale none/tensor/block32) and vectors of several lengths (tails of beats, chunks and MX
 * blocks) of mixed inputs (gradient-like values, random bit patterns, NaN, +-Inf, zeros,
 * FP32 subnormals, values at and beyond the format's range; then gradient-like values only,
 * whose scaled grids the host variants' fast path takes), each variant's values, codes,
 * scale exponents, statistics sums and counts must equal the oracle's values, codes, scales
 * and flag counts, the documented reduction order's sums (red_ref.h), and plain's output
 * bit for bit; the values-only loop (lp_quant_values_host) must equal the oracle's values;
 * and the same vector as a stream (lp_qv_stream_*, chunks of 64, 192, 128, 320, ... elements:
 * what `lpsgd quantize` runs) must give the whole call's values, codes, scales, sums, counts.
 * The avx512 variant's fast path is its own code (qv_fast_k512, AVX-512 mask registers; for
 * bf16 unscaled without the below-2^emin_s rounding): the mixed inputs' NaN, Inf, zeros and
 * FP32 subnormals reach it for every float preset under the default options.
 * A variant the CPU lacks is not run and not counted: a line "note: variant X: not
 * supported by this CPU, not run" says so.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp_test.h"
#include "qt_bits.h"
#include "oracle/lp_oracle.h"
#include "quant/lp_quant_vec.h"
#include "quant/red_ref.h"

#define SAN LP_TEST_SAN

static const uint32_t lens[] = {0, 1, 15, 17, 64, 255, 256, 257, 1000, SAN ? 1500 : 4099};
#define MAXN 4099u

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint32_t rng32(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 32);
}

/* Mixed inputs around the format's range: maxv is its largest finite value (FP32). With
 * grad, gradient-like values only (and a few zeros), where MX blocks and tensors get scale
 * exponents that the host variants' fast path takes (hls/quant/lp_quant_vec_host.c): mixed
 * inputs have an Inf or a huge random pattern in most blocks, which sends them elsewhere. */
static void fill_grad(uint32_t *x, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = rng32();
        float m = 1.0f + (float)(rng32() & 0xFFFFu) / 65536.0f;
        /* magnitudes 2^-40 .. 2^20 by blocks of 32 (each block its own range, as MX scales
         * meet them), ties of the quantizer (short significands) and zeros now and then */
        int e0 = (int)((i / 32u * 2654435761u) >> 26) - 40;
        if (r % 7u == 0)
            m = 1.0f + (float)(rng32() & 0xFu) / 16.0f;
        x[i] = r % 61u == 0 ? 0u : f2u(ldexpf((r >> 31) ? -m : m, e0 - (int)((r >> 16) % 24u)));
    }
}

static void fill(uint32_t *x, uint32_t n, float maxv)
{
    static const uint32_t specials[] = {0x7FC00000u, 0xFFC00001u, 0x7F800000u, 0xFF800000u, 0, 0x80000000u,
                                        0x00000001u, 0x807FFFFFu, 0x00400000u};
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = rng32(), kind = r % 16;
        float m = 1.0f + (float)(rng32() & 0xFFFFu) / 65536.0f;
        if (kind == 0)
            x[i] = specials[rng32() % (sizeof specials / sizeof specials[0])];
        else if (kind < 3)
            x[i] = rng32(); /* any bit pattern */
        else if (kind < 5)
            x[i] = f2u(maxv * m * ((r >> 8) & 1 ? -1.0f : 1.0f) * ((r >> 9) & 1 ? 0.75f : 1.0f));
        else
            x[i] = f2u(ldexpf((r >> 31) ? -m : m, (int)((r >> 16) % 60u) - 40));
    }
}

typedef struct {
    float gq[MAXN];
    uint32_t codes[MAXN], vals[MAXN];
    int32_t k[MAXN / 32 + 2];
    lp_qstats_t st;
    float sgq[MAXN]; /* the stream's */
    uint32_t scodes[MAXN];
    int32_t sk[MAXN / 32 + 2];
    lp_qstats_t sst;
    int amax_ok; /* lp_qv_amax (the variant's) = lp_amax_bits */
} out_t;

/* What the oracle and the documented order say: values, codes, scales, counts, sums. */
typedef struct {
    lp_orc_q_t q[MAXN];
    uint32_t v[MAXN], f[MAXN];
    int32_t k[MAXN / 32 + 2];
    lp_qstats_t st;
} want_t;

static void oracle(const lp_orc_t *o, const lp_qcfg_t *cfg, const uint32_t *x, uint32_t n, want_t *w)
{
    memset(w->k, 0, sizeof w->k);
    lp_orc_quant_vec(o, cfg, x, n, 7, w->q, w->k);
    memset(&w->st, 0, sizeof w->st);
    w->st.n = n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t f = w->q[i].flags;
        w->v[i] = w->q[i].value;
        w->f[i] = f;
        w->st.underflow += (f & LP_QF_UNDERFLOW) != 0;
        w->st.saturated += (f & LP_QF_SATURATED) != 0;
        w->st.subnormal += (f & LP_QF_SUBNORMAL) != 0;
        w->st.nan += (f & LP_QF_NAN) != 0;
        w->st.inf += (f & LP_QF_INF) != 0;
    }
    red_reference(x, w->v, w->f, n, w->st.sum);
}

static int same_stats(const lp_qstats_t *a, const lp_qstats_t *b, int nan_any)
{
    for (int q = 0; q < LP_NSUMS; q++)
        if (f2u(a->sum[q]) != f2u(b->sum[q]) && !(nan_any && isnan(a->sum[q]) && isnan(b->sum[q])))
            return 0;
    return a->n == b->n && a->underflow == b->underflow && a->saturated == b->saturated &&
           a->subnormal == b->subnormal && a->nan == b->nan && a->inf == b->inf;
}

static void run(int v, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, const uint32_t *x, uint32_t n, out_t *out)
{
    lp_qv_variant_set(v);
    memset(out->k, 0, sizeof out->k);
    lp_quantize_vec((const float *)x, out->gq, out->codes, out->k, n, p, cfg, 7, &out->st);
    lp_qgrid_t g0 = lp_quant_grid(p, 0);
    lp_quant_values_host(x, out->vals, n, p, &g0, cfg, 7, 0);
    /* the stream, in chunks of varying multiples of LP_QV_STREAM_ALIGN */
    static const uint32_t chunk[] = {64, 192, 128, 320};
    lp_qv_stream_t s;
    memset(out->sk, 0, sizeof out->sk);
    uint32_t amax = lp_qv_amax((const float *)x, n); /* the variant's; its exponent is checked against the oracle's */
    out->amax_ok = amax == lp_amax_bits((const float *)x, n);
    lp_qv_stream_begin(&s, p, cfg, 7, amax);
    for (uint32_t i = 0, c = 0, len; i < n; i += len, c++) {
        len = n - i < chunk[c % 4] ? n - i : chunk[c % 4];
        lp_qv_stream_chunk(&s, (const float *)x + i, out->sgq + i, out->scodes + i, out->sk + i / 32, len);
    }
    if (cfg->scale == LP_SCALE_TENSOR)
        out->sk[0] = s.k;
    lp_qv_stream_end(&s, &out->sst);
}

/* Differences of one variant's output from the oracle (o) and from plain (ref). */
static unsigned compare(const out_t *o, const out_t *ref, const want_t *w, const lp_qcfg_t *cfg, uint32_t n)
{
    unsigned bad = 0;
    uint32_t nk = cfg->scale == LP_SCALE_TENSOR ? 1 : cfg->scale == LP_SCALE_BLOCK32 ? (n + 31) / 32 : 0;
    for (uint32_t i = 0; i < n; i++) {
        bad += f2u(o->gq[i]) != w->q[i].value || o->codes[i] != w->q[i].code;
        bad += f2u(o->gq[i]) != f2u(ref->gq[i]) || o->codes[i] != ref->codes[i];
        bad += cfg->scale == LP_SCALE_NONE && o->vals[i] != w->q[i].value;
    }
    for (uint32_t b = 0; b < nk; b++)
        bad += o->k[b] != w->k[b] || o->k[b] != ref->k[b] || o->sk[b] != o->k[b];
    bad += !o->amax_ok;
    bad += !same_stats(&o->st, &w->st, 1) || !same_stats(&o->st, &ref->st, 0) || !same_stats(&o->sst, &o->st, 0);
    bad += memcmp(o->sgq, o->gq, n * sizeof o->gq[0]) != 0 || memcmp(o->scodes, o->codes, n * sizeof o->codes[0]) != 0;
    return bad;
}

static const char *const rnd_name[] = {"rne", "rtz", "sr"}, *const ovf_name[] = {"sat", "inf"},
                  *const scale_name[] = {"none", "tensor", "block32"};

/* One format: every option combination and length, every supported variant. */
static void one_format(const char *name, const lp_format_t *f, const int *vars, int nvars)
{
    static out_t out[LP_QV_NVARIANTS];
    static want_t w;
    static uint32_t x[MAXN];
    lp_fmt_params_t p;
    lp_orc_t o;
    const char *why;
    if (lp_format_derive(f, &p, &why) != 0 || lp_orc_init(&o, f, &why) != 0) {
        LP_CHECK(0, "%s: %s", name, why);
        return;
    }
    unsigned bad[LP_QV_NVARIANTS] = {0}, cases = 0;
    for (int opt = 0; opt < 72; opt++) { /* 36 option sets, mixed inputs, then gradient-like */
        lp_qcfg_t cfg = lp_qcfg_default(*f);
        cfg.rounding = (uint8_t)(opt % 3);
        cfg.overflow = (uint8_t)(opt / 3 % 2);
        cfg.subnormals = (uint8_t)(opt / 6 % 2);
        cfg.scale = (uint8_t)(opt / 12 % 3);
        cfg.seed = 0xC0FFEEu + (uint32_t)opt;
        for (unsigned li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            uint32_t n = lens[li];
            if (opt < 36)
                fill(x, n, u2f(p.max_bits));
            else
                fill_grad(x, n);
            oracle(&o, &cfg, x, n, &w);
            for (int vi = 0; vi < nvars; vi++) {
                run(vars[vi], &p, &cfg, x, n, &out[vi]);
                unsigned d = compare(&out[vi], &out[0], &w, &cfg, n);
                if (d && bad[vi]++ < 3)
                    printf("  %s variant %s %s/%s/sub%d/%s n=%u: %u differences\n", name,
                           lp_qv_variant_name(vars[vi]), rnd_name[cfg.rounding], ovf_name[cfg.overflow],
                           cfg.subnormals, scale_name[cfg.scale], n, d);
            }
            cases++;
        }
    }
    for (int vi = 0; vi < nvars; vi++) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s: variant %s = oracle = plain (values, codes, scales, sums, counts), as a stream too, %u vectors",
                 name, lp_qv_variant_name(vars[vi]), cases);
        LP_CASE(msg, bad[vi] == 0, "%s: variant %s differs in %u vectors", name, lp_qv_variant_name(vars[vi]),
                bad[vi]);
    }
    lp_orc_free(&o);
}

/* In place (gq == g) is the HLS loop's reading order in every variant. */
static void in_place(const int *vars, int nvars)
{
    static uint32_t x[MAXN], y[MAXN];
    lp_format_t f = lp_format_preset(LP_FMT_FP8_E4M3);
    lp_fmt_params_t p;
    const char *why;
    lp_format_derive(&f, &p, &why);
    lp_qcfg_t cfg = lp_qcfg_default(f);
    fill(x, 1000, u2f(p.max_bits));
    lp_qstats_t st0, st;
    lp_qv_variant_set(LP_QV_PLAIN);
    memcpy(y, x, sizeof y);
    lp_quantize_vec((const float *)y, (float *)y, NULL, NULL, 1000, &p, &cfg, 0, &st0);
    unsigned bad = 0;
    for (int vi = 0; vi < nvars; vi++) {
        lp_qv_variant_set(vars[vi]);
        uint32_t z[1000];
        memcpy(z, x, sizeof z);
        lp_quantize_vec((const float *)z, (float *)z, NULL, NULL, 1000, &p, &cfg, 0, &st);
        bad += memcmp(z, y, sizeof z) != 0 || !same_stats(&st, &st0, 0);
    }
    LP_CASE("in place (gq == g): every variant as plain", bad == 0, "%u variants differ in place", bad);
}

int main(void)
{
    static const char *const extra[] = {"e3m4", "e2m1", "e5m10", "e1m2", "e4m0", "fixed8.4", "fixed16.12", "fixed4.0"};
    int vars[LP_QV_NVARIANTS], nvars = 0;
    for (int v = 0; v < LP_QV_NVARIANTS; v++) {
        if (lp_qv_variant_supported(v))
            vars[nvars++] = v;
        else
            printf("note: variant %s: not supported by this CPU, not run\n", lp_qv_variant_name(v));
    }
    LP_CASE("variant plain (the HLS loop) and base always run", nvars >= 2 && vars[0] == LP_QV_PLAIN,
            "only %d variants", nvars);
    for (int id = 0; id < LP_FMT_NPRESETS; id++) {
        lp_format_t f = lp_format_preset(id);
        one_format(lp_format_preset_name(id), &f, vars, nvars);
    }
    for (unsigned e = 0; e < sizeof extra / sizeof extra[0]; e++) {
        lp_format_t f;
        char err[128];
        if (lp_format_parse(extra[e], &f, err, sizeof err) != 0) {
            LP_CHECK(0, "%s: %s", extra[e], err);
            continue;
        }
        one_format(extra[e], &f, vars, nvars);
    }
    in_place(vars, nvars);
    lp_qv_variant_set(-1);
    printf("automatic choice on this CPU: %s\n", lp_qv_variant_name(lp_qv_variant_get()));
    return lp_test_summary();
}
