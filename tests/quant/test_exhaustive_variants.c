/*
 * test_exhaustive_variants.c - every one of the 2^32 FP32 inputs through every vector-unit
 * variant of lp_quantize_vec this CPU has, against the element quantizer (make test-exhaustive).
 *
 * For each preset of at most 8 bits and fp16, bf16 (bf16 for the AVX-512 fast path's
 * shortcut: no separate subnormal rounding where the grid's smallest normal is FP32's), rne
 * (saturating, subnormals on: the presets' constant-shape loops) and sr with overflow to Inf
 * and subnormals flushed (the generic loops): in chunks of 2^20 consecutive bit patterns,
 * each variant's values, codes and flag counts must equal lp_quant_f32's per element (which
 * test_exhaustive checks against the oracle on every input), and every variant's four sums
 * must equal the plain HLS loop's on a chunk in 64. Then rne under tensor scaling (a grid
 * per chunk, from its amax) and block32 (a grid per 32-element block): on every 8th chunk
 * (2^29 inputs spread over the whole range), each variant's values, codes, scale exponents,
 * counts and sums must equal the plain HLS loop's.
 * Variants the CPU lacks are a printed note, not run.
 */
#include <stdlib.h>
#include <string.h>

#include "lp_test.h"
#include "quant/lp_quant_vec.h"

#define CH (1u << 20)

typedef struct {
    uint32_t x[CH], want_v[CH], want_c[CH], got_v[CH], got_c[CH];
    int32_t want_k[CH / 32], got_k[CH / 32];
} bufs_t;

/* One chunk's reference: per element lp_quant_f32, the flag counts. */
static void reference(bufs_t *b, const lp_fmt_params_t *p, const lp_qcfg_t *cfg, uint32_t cnt[5])
{
    lp_qgrid_t g = lp_quant_grid(p, 0);
    memset(cnt, 0, 5 * sizeof cnt[0]);
    for (uint32_t i = 0; i < CH; i++) {
        uint32_t r = cfg->rounding == LP_ROUND_SR ? lp_sr_hash(cfg->seed, 5, i) : 0u;
        lp_q_t q = lp_quant_f32(b->x[i], p, &g, cfg, r);
        b->want_v[i] = q.value;
        b->want_c[i] = q.code;
        for (int k = 0; k < 5; k++)
            cnt[k] += (q.flags >> k) & 1u;
    }
}

static int same_sums(const lp_qstats_t *a, const lp_qstats_t *b) { return memcmp(a->sum, b->sum, sizeof a->sum) == 0; }

/* All 2^32 inputs under one configuration, every variant in vars. */
static void one_config(bufs_t *b, int id, const lp_qcfg_t *cfg, const int *vars, int nvars)
{
    lp_fmt_params_t p;
    const char *why;
    lp_format_derive(&cfg->fmt, &p, &why);
    unsigned bad[LP_QV_NVARIANTS] = {0};
    for (uint32_t ch = 0; ch < (1u << 12); ch++) {
        uint32_t cnt[5];
        for (uint32_t i = 0; i < CH; i++)
            b->x[i] = ch * CH + i;
        reference(b, &p, cfg, cnt);
        lp_qstats_t plain;
        if (ch % 64 == 0) {
            lp_qv_variant_set(LP_QV_PLAIN);
            lp_quantize_vec((const float *)b->x, (float *)b->got_v, NULL, NULL, CH, &p, cfg, 5, &plain);
        }
        for (int vi = 0; vi < nvars; vi++) {
            lp_qstats_t st;
            lp_qv_variant_set(vars[vi]);
            lp_quantize_vec((const float *)b->x, (float *)b->got_v, b->got_c, NULL, CH, &p, cfg, 5, &st);
            int ok = memcmp(b->got_v, b->want_v, sizeof b->got_v) == 0 &&
                     memcmp(b->got_c, b->want_c, sizeof b->got_c) == 0 && st.n == CH && st.underflow == cnt[0] &&
                     st.saturated == cnt[1] && st.subnormal == cnt[2] && st.nan == cnt[3] && st.inf == cnt[4] &&
                     (ch % 64 != 0 || same_sums(&st, &plain));
            if (!ok && bad[vi]++ < 3)
                printf("  %s %s: chunk %08x differs\n", lp_format_preset_name(id), lp_qv_variant_name(vars[vi]),
                       ch * CH);
        }
    }
    for (int vi = 0; vi < nvars; vi++) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s %s: variant %s = lp_quant_f32 on all 2^32 inputs", lp_format_preset_name(id),
                 cfg->rounding == LP_ROUND_RNE ? "rne/sat/sub" : "sr/inf/flush", lp_qv_variant_name(vars[vi]));
        LP_CASE(msg, bad[vi] == 0, "%s: variant %s: %u chunks differ", lp_format_preset_name(id),
                lp_qv_variant_name(vars[vi]), bad[vi]);
    }
}

/* rne under cfg's scaling on every 8th chunk: every variant in vars against the plain loop */
static void one_scaled(bufs_t *b, int id, const lp_qcfg_t *cfg, const int *vars, int nvars)
{
    lp_fmt_params_t p;
    const char *why;
    lp_format_derive(&cfg->fmt, &p, &why);
    unsigned bad[LP_QV_NVARIANTS] = {0};
    for (uint32_t ch = 0; ch < (1u << 12); ch += 8) {
        for (uint32_t i = 0; i < CH; i++)
            b->x[i] = ch * CH + i;
        lp_qstats_t want, st;
        lp_qv_variant_set(LP_QV_PLAIN);
        lp_quantize_vec((const float *)b->x, (float *)b->want_v, b->want_c, b->want_k, CH, &p, cfg, 5, &want);
        for (int vi = 0; vi < nvars; vi++) {
            lp_qv_variant_set(vars[vi]);
            lp_quantize_vec((const float *)b->x, (float *)b->got_v, b->got_c, b->got_k, CH, &p, cfg, 5, &st);
            int nk = cfg->scale == LP_SCALE_TENSOR ? 1 : CH / 32;
            int ok = memcmp(b->got_v, b->want_v, sizeof b->got_v) == 0 &&
                     memcmp(b->got_c, b->want_c, sizeof b->got_c) == 0 &&
                     memcmp(b->got_k, b->want_k, nk * sizeof b->got_k[0]) == 0 && memcmp(&st, &want, sizeof st) == 0;
            if (!ok && bad[vi]++ < 3)
                printf("  %s %s: chunk %08x differs\n", lp_format_preset_name(id), lp_qv_variant_name(vars[vi]),
                       ch * CH);
        }
    }
    for (int vi = 0; vi < nvars; vi++) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s rne %s: variant %s = plain on every 8th 2^20-input chunk",
                 lp_format_preset_name(id), cfg->scale == LP_SCALE_TENSOR ? "tensor" : "block32",
                 lp_qv_variant_name(vars[vi]));
        LP_CASE(msg, bad[vi] == 0, "%s: variant %s: %u chunks differ", lp_format_preset_name(id),
                lp_qv_variant_name(vars[vi]), bad[vi]);
    }
}

int main(void)
{
    static const int ids[] = {LP_FMT_FP8_E5M2, LP_FMT_FP8_E4M3, LP_FMT_FP6_E3M2, LP_FMT_FP6_E2M3,
                              LP_FMT_FP4_E2M1, LP_FMT_FP16,     LP_FMT_BF16};
    int vars[LP_QV_NVARIANTS], nvars = 0;
    for (int v = LP_QV_BASE; v < LP_QV_NVARIANTS; v++) {
        if (lp_qv_variant_supported(v))
            vars[nvars++] = v;
        else
            printf("note: variant %s: not supported by this CPU, not run\n", lp_qv_variant_name(v));
    }
    bufs_t *b = malloc(sizeof *b);
    if (!b)
        return 2;
    for (unsigned fi = 0; fi < sizeof ids / sizeof ids[0]; fi++)
        for (int opt = 0; opt < 2; opt++) {
            lp_qcfg_t cfg = lp_qcfg_default(lp_format_preset(ids[fi]));
            if (opt) {
                cfg.rounding = LP_ROUND_SR;
                cfg.overflow = LP_OVF_INF;
                cfg.subnormals = 0;
                cfg.seed = 0x5EED;
            }
            one_config(b, ids[fi], &cfg, vars, nvars);
        }
    for (unsigned fi = 0; fi < sizeof ids / sizeof ids[0]; fi++)
        for (int sc = 0; sc < 2; sc++) {
            lp_qcfg_t cfg = lp_qcfg_default(lp_format_preset(ids[fi]));
            cfg.scale = sc ? LP_SCALE_BLOCK32 : LP_SCALE_TENSOR;
            one_scaled(b, ids[fi], &cfg, vars, nvars);
        }
    free(b);
    lp_qv_variant_set(-1);
    return lp_test_summary();
}
