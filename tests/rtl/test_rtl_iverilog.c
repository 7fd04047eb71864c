/*
 * test_rtl_iverilog.c - the stream quantizer under Icarus Verilog, the second simulator:
 * a few directed vectors (boundaries and random values of fp8_e4m3 with block32 scaling and
 * stochastic rounding, fp4_e2m1 round-to-nearest, fixed8.4 toward zero; partial last
 * beats) go through tests/rtl/tb_lp_quant.sv with gaps on both streams, and the values,
 * codes, block scales and statistics are compared bit for bit with the C model.
 * Skips (LP_SKIP, with the reason) when iverilog/vvp are not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lp_test.h"
#include "quant/lp_quant_vec.h"
#include "rtl_vectors.h"

#ifndef LP_SRCDIR
#define LP_SRCDIR "."
#endif

#define NMAX 512

static float g[NMAX], gq[NMAX];
static uint32_t code[NMAX];
static int32_t ks[NMAX / 32 + 1];

static int run(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0)
        printf("command failed (%d): %s\n", rc, cmd);
    return rc;
}

/* the register words of docs/rtl.md (sim/quant/lp_vquant.cpp writes the same) */
static void cfg_words(const lp_fmt_params_t *p, const lp_qcfg_t *c, uint32_t step, uint32_t w[13])
{
    w[0] = (uint32_t)p->kind | ((uint32_t)p->specials << 1) | ((uint32_t)p->has_inf << 3) |
           ((uint32_t)p->has_nan << 4) | ((uint32_t)p->man << 8) | ((uint32_t)p->code_bits << 16);
    w[1] = (uint32_t)(uint16_t)p->emin | ((uint32_t)(uint16_t)p->emax << 16);
    w[2] = (uint32_t)(uint16_t)p->bias;
    w[3] = p->max_kq;
    w[4] = p->max_bits;
    w[5] = p->neg_bits;
    w[6] = p->max_code;
    w[7] = p->inf_code;
    w[8] = p->nan_code;
    w[9] = (uint32_t)c->rounding | ((uint32_t)c->overflow << 4) | ((uint32_t)(c->subnormals != 0) << 8) |
           ((uint32_t)c->scale << 12);
    w[10] = c->seed;
    w[11] = step;
    w[12] = 0;
}

static int one(const char *dir, const char *vvp, const char *fname, int rnd, int scale, uint32_t n)
{
    lp_format_t fmt;
    lp_fmt_params_t p;
    char eb[128];
    const char *why;
    if (lp_format_parse(fname, &fmt, eb, sizeof eb) || lp_format_derive(&fmt, &p, &why))
        return 0;
    lp_qcfg_t c = lp_qcfg_default(fmt);
    c.rounding = (uint8_t)rnd;
    c.scale = (uint8_t)scale;
    c.seed = 99;
    uint32_t nb = rv_boundaries(&p, g, n / 2);
    rv_random(&p, g + nb, n - nb);
    lp_qstats_t st;
    lp_quantize_vec(g, gq, code, ks, n, &p, &c, 7, &st);

    char path[600], cmd[2400];
    uint32_t w[13];
    cfg_words(&p, &c, 7, w);
    snprintf(path, sizeof path, "%s/cfg.hex", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; f && i < 13; i++)
        fprintf(f, "%08X\n", w[i]);
    if (f)
        fclose(f);
    uint32_t nbeats = (n + 15) / 16;
    snprintf(path, sizeof path, "%s/in.hex", dir);
    f = fopen(path, "w");
    for (uint32_t b = 0; f && b < nbeats; b++) {
        uint32_t cnt = n - 16 * b < 16 ? n - 16 * b : 16;
        fprintf(f, "%08X", ((b + 1 == nbeats) ? 0x10000u : 0u) | ((1u << cnt) - 1u));
        for (int l = 15; l >= 0; l--)
            fprintf(f, "%08X", (uint32_t)l < cnt ? lp_f32_bits(g[16 * b + (uint32_t)l]) : 0u);
        fprintf(f, "\n");
    }
    if (f)
        fclose(f);
    snprintf(cmd, sizeof cmd, "vvp -n %s +cfg=%s/cfg.hex +in=%s/in.hex +out=%s/out.txt +n=%u >/dev/null", vvp, dir,
             dir, dir, nbeats);
    if (run(cmd) != 0)
        return 0;
    snprintf(path, sizeof path, "%s/out.txt", dir);
    f = fopen(path, "r");
    if (!f)
        return 0;
    uint32_t got = 0, bad = 0, stats_ok = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned k, last, keep, s[10];
        if (sscanf(line, "stats %x %x %x %x %x %x %x %x %x %x", &s[0], &s[1], &s[2], &s[3], &s[4], &s[5], &s[6],
                   &s[7], &s[8], &s[9]) == 10) {
            stats_ok = s[0] == lp_f32_bits(st.sum[0]) && s[1] == lp_f32_bits(st.sum[1]) && s[2] == lp_f32_bits(st.sum[2]) &&
                       s[3] == lp_f32_bits(st.sum[3]) && s[4] == st.n && s[5] == st.underflow && s[6] == st.saturated &&
                       s[7] == st.subnormal && s[8] == st.nan && s[9] == st.inf;
            if (!stats_ok)
                printf("  %s statistics: icarus %s  C %08x %08x %08x %08x %u %u %u %u %u %u\n", fname, line,
                       lp_f32_bits(st.sum[0]), lp_f32_bits(st.sum[1]), lp_f32_bits(st.sum[2]), lp_f32_bits(st.sum[3]), st.n, st.underflow,
                       st.saturated, st.subnormal, st.nan, st.inf);
            break;
        }
        if (sscanf(line, "%x %x %x", &k, &last, &keep) != 3)
            break;
        if (scale == LP_SCALE_BLOCK32 && got % 32 == 0 && (int32_t)(int16_t)k != ks[got / 32])
            bad++;
        for (int l = 0; l < 16; l++) {
            unsigned v, cd;
            if (!fgets(line, sizeof line, f) || sscanf(line, "%x %x", &v, &cd) != 2)
                break;
            if (got + (uint32_t)l < n && (v != lp_f32_bits(gq[got + l]) || cd != code[got + l]) && bad++ < 3)
                printf("  %s element %u: icarus %08x/%x, C %08x/%x\n", fname, got + l, v, cd, lp_f32_bits(gq[got + l]),
                       code[got + l]);
        }
        got += 16;
    }
    fclose(f);
    char name[160];
    snprintf(name, sizeof name, "icarus %s rounding %d scale %d: %u elements, statistics", fname, rnd, scale, n);
    LP_CASE(name, got >= n && bad == 0 && stats_ok, "%s: %u of %u elements, %u mismatches, stats %s", fname, got, n,
            bad, stats_ok ? "equal" : "differ");
    return 1;
}

int main(void)
{
    if (system("command -v iverilog >/dev/null 2>&1 && command -v vvp >/dev/null 2>&1") != 0) {
        LP_SKIP("Icarus run of the quantizer: iverilog/vvp not installed (scripts/deps.sh test installs iverilog)");
        return lp_test_summary();
    }
    char dir[] = "/tmp/lp_rtl_iv_XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL cannot create a temporary directory\n");
        return 1;
    }
    char vvp[600], cmd[2400];
    snprintf(vvp, sizeof vvp, "%s/tb.vvp", dir);
    snprintf(cmd, sizeof cmd,
             "iverilog -g2012 -Y .sv -y %s/rtl/quant -y %s/rtl/stats -y %s/rtl/fpu -o %s %s/tests/rtl/tb_lp_quant.sv "
             "2>&1 | grep -v 'sorry: constant selects' ; test -f %s",
             LP_SRCDIR, LP_SRCDIR, LP_SRCDIR, vvp, LP_SRCDIR, vvp);
    rv_state = 4242;
    if (run(cmd) != 0) {
        LP_CHECK(0, "iverilog failed to compile the stream quantizer");
    } else {
        LP_CHECK(one(dir, vvp, "fp8_e4m3", LP_ROUND_SR, LP_SCALE_BLOCK32, 200), "fp8_e4m3 run");
        LP_CHECK(one(dir, vvp, "fp4_e2m1", LP_ROUND_RNE, LP_SCALE_NONE, 157), "fp4_e2m1 run");
        LP_CHECK(one(dir, vvp, "fixed8.4", LP_ROUND_RTZ, LP_SCALE_NONE, 64), "fixed8.4 run");
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)system(cmd);
    return lp_test_summary();
}
