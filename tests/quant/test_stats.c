/*
 * test_stats.c - lp_quantize_vec's statistics against the documented reduction order.
 *
 * The four FP32 sums must equal, bit for bit, the order written out in red_ref.h from the
 * text of lp_stats.h (16 lanes, 4 interleaved partials, pairwise tree), for vectors of
 * many lengths (n < 16, n not a multiple of 16, partial last beats of every partial), and
 * the counts must equal the oracle's flags. lp_qstats_derive is checked on hand-computed
 * cases.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp_test.h"
#include "qt_bits.h"
#include "oracle/lp_oracle.h"
#include "quant/lp_quant_vec.h"
#include "quant/red_ref.h"

static int near(double a, double b) { return fabs(a - b) <= 1e-15 * (fabs(b) > 1 ? fabs(b) : 1); }

int main(void)
{
    static const uint32_t lens[] = {0, 1, 2, 5, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 127, 129, 1000, 4099, 65537};
    static const int fmts[] = {LP_FMT_FP8_E4M3, LP_FMT_FP4_E2M1, LP_FMT_FP8_E5M2, LP_FMT_BF16};
    uint64_t st64 = 0x0123456789ABCDEFull;
    for (unsigned fi = 0; fi < sizeof fmts / sizeof fmts[0]; fi++) {
        lp_format_t f = lp_format_preset(fmts[fi]);
        lp_fmt_params_t p;
        lp_orc_t o;
        const char *why;
        if (lp_format_derive(&f, &p, &why) != 0 || lp_orc_init(&o, &f, &why) != 0) {
            LP_CHECK(0, "%s", why);
            continue;
        }
        unsigned bad = 0;
        for (unsigned li = 0; li < sizeof lens / sizeof lens[0]; li++)
            for (int opt = 0; opt < 4; opt++) {
                uint32_t n = lens[li];
                uint32_t *g = malloc((n + 1) * sizeof *g), *gq = malloc((n + 1) * sizeof *gq),
                         *fl = malloc((n + 1) * sizeof *fl);
                if (!g || !gq || !fl)
                    return 1;
                for (uint32_t i = 0; i < n; i++) {
                    st64 = st64 * 6364136223846793005ull + 1442695040888963407ull;
                    uint32_t r = (uint32_t)(st64 >> 32);
                    float m = ldexpf(1.0f + (float)(r & 0xFFFFu) / 65536.0f, (int)((r >> 16) % 40u) - 24);
                    g[i] = f2u((r >> 31) ? -m : m);
                    if (r % 97 == 0)
                        g[i] = 0x7FC00000u; /* NaN */
                    if (r % 89 == 0)
                        g[i] = 0xFF800000u; /* -Inf */
                    if (r % 83 == 0)
                        g[i] = 0; /* zero */
                }
                lp_qcfg_t cfg = lp_qcfg_default(f);
                cfg.overflow = (uint8_t)(opt & 1); /* sat, inf */
                cfg.scale = (uint8_t)(opt >> 1);   /* none, tensor */
                lp_qstats_t st;
                int32_t kt = 0;
                lp_quantize_vec((const float *)g, (float *)gq, NULL, &kt, n, &p, &cfg, 0, &st);
                /* the oracle's values and flags */
                lp_orc_q_t *w = malloc((n + 1) * sizeof *w);
                int32_t kw = 0;
                lp_orc_quant_vec(&o, &cfg, g, n, 0, w, &kw);
                lp_qstats_t ws;
                memset(&ws, 0, sizeof ws);
                uint32_t vals_ok = 1;
                for (uint32_t i = 0; i < n; i++) {
                    fl[i] = w[i].flags;
                    vals_ok &= w[i].value == gq[i];
                    ws.underflow += (fl[i] & LP_QF_UNDERFLOW) != 0;
                    ws.saturated += (fl[i] & LP_QF_SATURATED) != 0;
                    ws.subnormal += (fl[i] & LP_QF_SUBNORMAL) != 0;
                    ws.nan += (fl[i] & LP_QF_NAN) != 0;
                    ws.inf += (fl[i] & LP_QF_INF) != 0;
                }
                float sums[4];
                red_reference(g, gq, fl, n, sums);
                int ok = vals_ok && st.n == n && st.underflow == ws.underflow && st.saturated == ws.saturated &&
                         st.subnormal == ws.subnormal && st.nan == ws.nan && st.inf == ws.inf;
                for (int q = 0; q < 4; q++)
                    ok &= f2u(sums[q]) == f2u(st.sum[q]) || (isnan(sums[q]) && isnan(st.sum[q]));
                if (!ok && bad++ < 4)
                    printf("  %s n=%u opt=%d: sums %08x %08x %08x %08x want %08x %08x %08x %08x; counts u%u s%u "
                           "sub%u nan%u inf%u want u%u s%u sub%u nan%u inf%u\n",
                           lp_format_preset_name(fmts[fi]), n, opt, f2u(st.sum[0]), f2u(st.sum[1]), f2u(st.sum[2]),
                           f2u(st.sum[3]), f2u(sums[0]), f2u(sums[1]), f2u(sums[2]), f2u(sums[3]), st.underflow,
                           st.saturated, st.subnormal, st.nan, st.inf, ws.underflow, ws.saturated, ws.subnormal,
                           ws.nan, ws.inf);
                LP_CHECK(ok, "%s n=%u opt=%d: statistics differ", lp_format_preset_name(fmts[fi]), n, opt);
                free(g);
                free(gq);
                free(fl);
                free(w);
            }
        char msg[128];
        snprintf(msg, sizeof msg, "%s: sums bit-exact to the documented order, counts = oracle flags, %u lengths x 4",
                 lp_format_preset_name(fmts[fi]), (unsigned)(sizeof lens / sizeof lens[0]));
        LP_CASE(msg, bad == 0, "%s: %u vectors differ", lp_format_preset_name(fmts[fi]), bad);
        lp_orc_free(&o);
    }

    /* the order matters: a vector whose sum depends on it (big + tiny values) */
    {
        static float g[48], gq[48];
        for (int i = 0; i < 48; i++)
            g[i] = (i % 16 == 0) ? 1.0f : 1.0f / 4096.0f; /* lane 0: 1, others 2^-12 (square 2^-24) */
        lp_format_t f = lp_format_preset(LP_FMT_FP32);
        lp_fmt_params_t p;
        const char *why;
        lp_format_derive(&f, &p, &why);
        lp_qcfg_t cfg = lp_qcfg_default(f);
        lp_qstats_t st;
        lp_quantize_vec(g, gq, NULL, NULL, 48, &p, &cfg, 0, &st);
        float seq = 0.0f;
        for (int i = 0; i < 48; i++)
            seq = seq + g[i] * g[i];
        uint32_t fl[48] = {0}, gu[48];
        memcpy(gu, g, sizeof gu);
        float sums[4];
        red_reference(gu, gu, fl, 48, sums);
        LP_CASE("reduction order: lane/partial/tree sum differs from a sequential sum and equals the reference",
                f2u(st.sum[LP_SUM_G2]) == f2u(sums[0]) && seq != st.sum[LP_SUM_G2], "G2 %08x ref %08x seq %08x",
                f2u(st.sum[LP_SUM_G2]), f2u(sums[0]), f2u(seq));
    }

    /* lp_qstats_derive, by hand: g = (1, 1), gq = (1, 0): G2 = 2, Q2 = 1, e = (0, -1): E2 = 1,
     * GE = -1 -> q_norm = sqrt(1/2), q_proj = 1 - 1/2 = 1/2, noise = 1 - 1/2 = 1/2
     * (gq - g/2 = (1/2, -1/2)), underflow 1 of 2 */
    lp_qstats_t s;
    memset(&s, 0, sizeof s);
    s.sum[LP_SUM_G2] = 2.0f;
    s.sum[LP_SUM_Q2] = 1.0f;
    s.sum[LP_SUM_E2] = 1.0f;
    s.sum[LP_SUM_GE] = -1.0f;
    s.n = 2;
    s.underflow = 1;
    lp_qderived_t d = lp_qstats_derive(&s);
    LP_CASE("lp_qstats_derive: q_norm 0.7071067811865476, q_proj 0.5, noise 0.5, underflow 0.5",
            near(d.q_norm, 0.70710678118654752440) && d.q_proj == 0.5 && d.noise == 0.5 && d.underflow_frac == 0.5,
            "derive: %.17g %.17g %.17g %.17g", d.q_norm, d.q_proj, d.noise, d.underflow_frac);
    /* through the quantizer: fp8_e4m3 flushes 2^-11 (below half its min subnormal 2^-9) */
    {
        float g[2] = {0.5f, 1.0f / 2048.0f}, gq[2];
        lp_format_t f = lp_format_preset(LP_FMT_FP8_E4M3);
        lp_fmt_params_t p;
        const char *why;
        lp_format_derive(&f, &p, &why);
        lp_qcfg_t cfg = lp_qcfg_default(f);
        lp_qstats_t st;
        lp_quantize_vec(g, gq, NULL, NULL, 2, &p, &cfg, 0, &st);
        d = lp_qstats_derive(&st);
        /* G2 = 1/4 + 2^-22 (exact in FP32), Q2 = 1/4, E2 = 2^-22, GE = -2^-22 */
        double g2 = 0.25 + ldexp(1.0, -22), t = ldexp(1.0, -22);
        LP_CASE("g = (1/2, 2^-11) in fp8_e4m3: gq = (1/2, 0), q_proj = (1/4)/G2, noise = 2^-22 (1/4)/G2",
                gq[0] == 0.5f && gq[1] == 0.0f && st.underflow == 1 && near(d.q_proj, 0.25 / g2) &&
                    near(d.q_norm, sqrt(0.25 / g2)) && fabs(d.noise - t * 0.25 / g2) <= 1e-15 * t &&
                    d.underflow_frac == 0.5,
                "q_norm %.17g q_proj %.17g noise %.17g", d.q_norm, d.q_proj, d.noise);
    }
    /* g = 0: the ratios are 1 and the noise is Q2; a negative noise (rounding) is clamped */
    memset(&s, 0, sizeof s);
    s.sum[LP_SUM_Q2] = 3.0f;
    d = lp_qstats_derive(&s);
    LP_CHECK(d.q_norm == 1.0 && d.q_proj == 1.0 && d.noise == 3.0 && d.underflow_frac == 0.0, "derive of g = 0");
    s.sum[LP_SUM_G2] = 1.0f;
    s.sum[LP_SUM_E2] = 1.0f;
    s.sum[LP_SUM_GE] = 1.5f;
    d = lp_qstats_derive(&s);
    LP_CHECK(d.noise == 0.0, "negative noise not clamped: %g", d.noise);
    return lp_test_summary();
}
