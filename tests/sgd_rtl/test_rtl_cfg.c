/*
 * test_rtl_cfg.c - the configuration unit (rtl/sgd/lp_sgd_cfg.sv, through
 * sim/sgd/lp_vsgd_cfg.h) against the C kernel, bit for bit: ok_o vs lp_sgd_check_cfg for
 * every block; the decoded fields vs the block when it is valid; the 13 quantizer register
 * words vs lp_vq_reg_words(lp_format_derive(lp_sgd_cfg_qcfg(block))) - what lp_vq_configure
 * writes - whenever the C derives the format (whatever the other fields say).
 *
 * Sweeps: the presets x every rounding/overflow/subnormals/scale value 0..3; every exp_bits
 * 0..9 and 255 x man_bits 0..24 and 255 x specials 0..3 and 255 x biases -300..300 and the
 * int16 ends (every one of the 65536 biases for E 1..8, M 0..23, specials 0..2 in make
 * test-exhaustive); every fixed W.F (W, F 0..255); unknown kinds; a cross product of
 * magic/version, model, K, D (incl. the K*D <= 16384 edge for each K), B, schedule and
 * period values, each QOPT byte 0..255; then seeded random blocks (valid ones with 0..3
 * words mutated to random or boundary values).
 *
 * Usage: test_rtl_cfg [exhaustive]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp_test.h"
#include "quant/lp_vq_regs.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd_cfg.h"

#define CAP (1u << 18)

static uint32_t *blocks;     /* CAP x LP_VSGD_CFG_IN_WORDS */
static size_t nblocks;
static size_t bad, nok, nderived, total;
static lp_vsgd_cfg_out_t *outs;

static uint64_t rng_state = 0xC0F16u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* Compares the RTL's outputs for block i with the C; returns 1 when they agree. */
static int compare(const uint32_t *b, const lp_vsgd_cfg_out_t *o)
{
    uint32_t c[LP_SGD_CFG_WORDS];
    memset(c, 0, sizeof c);
    memcpy(c, b, LP_VSGD_CFG_IN_WORDS * sizeof(uint32_t));
    const char *why;
    int ok = lp_sgd_check_cfg(c, &why) == LP_SGD_OK;
    int same = (int)o->ok == ok;
    if (ok) {
        nok++;
        same = same && o->model == c[LP_CFG_MODEL] && o->nclass == c[LP_CFG_K] &&
               o->nbeats == c[LP_CFG_D] / LP_SGD_LANES && o->batch == c[LP_CFG_BATCH] &&
               o->sched == c[LP_CFG_SCHED] && o->lr == c[LP_CFG_LR] && o->gamma == c[LP_CFG_GAMMA] &&
               o->period == c[LP_CFG_PERIOD] && o->lambda == c[LP_CFG_LAMBDA] &&
               o->compensate == (c[LP_CFG_OPTIONS] & LP_CFG_COMPENSATE);
    }
    lp_qcfg_t q = lp_sgd_cfg_qcfg(c);
    lp_fmt_params_t p;
    if (lp_format_derive(&q.fmt, &p, &why) == 0) {
        uint32_t w[LP_VQ_NWORDS];
        nderived++;
        lp_vq_reg_words(&p, &q, 0, 0, w);
        same = same && memcmp(w, o->qreg, sizeof w) == 0;
        if (!same && bad < 8)
            for (int a = 0; a < LP_VQ_NWORDS; a++)
                if (w[a] != o->qreg[a])
                    printf("    qreg %d: rtl %08x C %08x\n", a, o->qreg[a], w[a]);
    }
    if (!same && bad < 8)
        printf("  block ok rtl %u C %d (%s): words 2..6 %u %u %u %u %u, fmt %08x %08x %08x qopt %08x\n", o->ok, ok,
               why, c[2], c[3], c[4], c[5], c[6], c[12], c[13], c[14], c[15]);
    return same;
}

static void flush(void)
{
    if (!nblocks)
        return;
    if (lp_vsgd_cfg_run(blocks, outs, nblocks) != 0) {
        bad += nblocks;
    } else {
        for (size_t i = 0; i < nblocks; i++)
            bad += !compare(blocks + (size_t)LP_VSGD_CFG_IN_WORDS * i, &outs[i]);
    }
    total += nblocks;
    nblocks = 0;
}

static void add(const uint32_t *c)
{
    memcpy(blocks + (size_t)LP_VSGD_CFG_IN_WORDS * nblocks, c, LP_VSGD_CFG_IN_WORDS * sizeof(uint32_t));
    if (++nblocks == CAP)
        flush();
}

/* Ends a sweep: runs what is queued, one named check for the sweep. */
static void sweep_end(const char *name)
{
    flush();
    LP_CASE(name, bad == 0, "%s: %zu of %zu blocks differ", name, bad, total);
    printf("     %zu blocks, %zu valid, %zu with a derived format\n", total, nok, nderived);
    bad = total = nok = nderived = 0;
}

static void set_fmt(uint32_t *c, lp_format_t f) { lp_sgd_cfg_set_format(c, &f); }

static void base(uint32_t *c)
{
    memset(c, 0, LP_VSGD_CFG_IN_WORDS * sizeof(uint32_t));
    c[LP_CFG_MAGIC] = LP_SGD_CFG_MAGIC;
    c[LP_CFG_VERSION] = LP_SGD_CFG_VERSION;
    c[LP_CFG_MODEL] = LP_MODEL_LSQ;
    c[LP_CFG_K] = 1;
    c[LP_CFG_D] = 800;
    c[LP_CFG_BATCH] = 64;
    c[LP_CFG_SCHED] = LP_SCHED_INVERSE;
    c[LP_CFG_LR] = 0x3DCCCCCDu;
    c[LP_CFG_GAMMA] = 0x41200000u;
    c[LP_CFG_PERIOD] = 100;
    c[LP_CFG_LAMBDA] = 0x38D1B717u;
    c[LP_CFG_OPTIONS] = LP_CFG_COMPENSATE;
    set_fmt(c, lp_format_preset(LP_FMT_FP8_E4M3));
    c[LP_CFG_SEED] = 0x12345678u;
}

/* A random valid block. */
static void rnd_valid(uint32_t *c)
{
    base(c);
    c[LP_CFG_MODEL] = rnd() % 4u;
    c[LP_CFG_K] = c[LP_CFG_MODEL] == LP_MODEL_SOFTMAX ? 2u + rnd() % 15u : 1u;
    uint32_t maxd = LP_SGD_MAX_WORDS / c[LP_CFG_K];
    maxd = maxd > LP_SGD_MAX_DIM ? LP_SGD_MAX_DIM : maxd;
    c[LP_CFG_D] = 16u * (1u + rnd() % (maxd / 16u));
    c[LP_CFG_BATCH] = rnd() % 8 ? 1u + rnd() % 1000u : 1u + rnd() % 65536u;
    c[LP_CFG_SCHED] = rnd() % 3u;
    c[LP_CFG_LR] = rnd();
    c[LP_CFG_GAMMA] = rnd();
    c[LP_CFG_PERIOD] = 1u + rnd() % 1000u;
    c[LP_CFG_LAMBDA] = rnd();
    c[LP_CFG_OPTIONS] = rnd() % 2u ? rnd() : rnd() % 2u;
    switch (rnd() % 4) {
    case 0: set_fmt(c, lp_format_preset((int)(rnd() % LP_FMT_NPRESETS))); break;
    case 1: set_fmt(c, lp_format_exmy(1 + (int)(rnd() % 8), (int)(rnd() % 24))); break;
    case 2: set_fmt(c, lp_format_fixed(2 + (int)(rnd() % 23), (int)(rnd() % 150))); break;
    default: {
        lp_format_t f = lp_format_exmy(1 + (int)(rnd() % 8), (int)(rnd() % 24));
        f.specials = (uint8_t)(rnd() % 3);
        f.bias = (int16_t)(f.bias + (int)(rnd() % 61) - 30);
        set_fmt(c, f);
    }
    }
    c[LP_CFG_QOPT] = (rnd() % 3u) | (rnd() % 2u) << 8 | (rnd() % 2u) << 16 | (rnd() % 3u) << 24;
    c[LP_CFG_SEED] = rnd();
}

static const uint32_t edges[] = {0u, 1u, 2u, 3u, 15u, 16u, 17u, 127u, 128u, 255u, 256u, 8192u, 8193u, 16384u,
                                 65535u, 65536u, 65537u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFF0u, 0xFFFFFFFFu};
#define NEDGES (sizeof edges / sizeof edges[0])

int main(int argc, char **argv)
{
    int exhaustive = argc > 1 && strcmp(argv[1], "exhaustive") == 0;
    uint32_t c[LP_VSGD_CFG_IN_WORDS];
    blocks = malloc((size_t)CAP * LP_VSGD_CFG_IN_WORDS * sizeof(uint32_t));
    outs = malloc((size_t)CAP * sizeof *outs);
    if (!blocks || !outs)
        return 2;

    /* the presets x every QOPT byte value 0..3 */
    for (int id = 0; id < LP_FMT_NPRESETS; id++)
        for (uint32_t q = 0; q < 256; q++) {
            base(c);
            set_fmt(c, lp_format_preset(id));
            c[LP_CFG_QOPT] = (q & 3u) | ((q >> 2) & 3u) << 8 | ((q >> 4) & 3u) << 16 | ((q >> 6) & 3u) << 24;
            add(c);
        }
    sweep_end("presets x rounding/overflow/subnormals/scale 0..3");

    /* floats: exp_bits x man_bits x specials x biases */
    {
        static int biases[1200];
        int nb = 0;
        for (int b = -300; b <= 300; b++)
            biases[nb++] = b;
        for (int b = -32768; b <= -32500; b++)
            biases[nb++] = b;
        for (int b = 32500; b <= 32767; b++)
            biases[nb++] = b;
        static const int es[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255};
        for (size_t ei = 0; ei < sizeof es / sizeof es[0]; ei++)
            for (int m = 0; m <= 25; m++)
                for (int sp = 0; sp <= 4; sp++) {
                    int mm = m == 25 ? 255 : m, ss = sp == 4 ? 255 : sp;
                    for (int i = 0; i < nb; i++) {
                        base(c);
                        c[LP_CFG_FMT0] = (uint32_t)es[ei] << 8 | (uint32_t)mm << 16 | (uint32_t)ss << 24;
                        c[LP_CFG_FMT1] = (uint32_t)biases[i];
                        c[LP_CFG_FMT2] = rnd() & 0xFFFFu; /* ignored for floats */
                        add(c);
                    }
                    /* the IEEE-style bias 2^(E-1)-1 and its upper bits ignored (int16 of word 13) */
                    base(c);
                    c[LP_CFG_FMT0] = (uint32_t)es[ei] << 8 | (uint32_t)mm << 16 | (uint32_t)ss << 24;
                    c[LP_CFG_FMT1] = (rnd() << 16) | (uint32_t)((1 << ((es[ei] & 15) - 1 < 0 ? 0 : (es[ei] & 15) - 1)) - 1);
                    add(c);
                }
    }
    sweep_end("floats: exp_bits x man_bits x specials x biases (-300..300, int16 ends)");

    if (exhaustive) {
        for (int e = 1; e <= 8; e++)
            for (int m = 0; m <= 23; m++)
                for (int sp = 0; sp <= 2; sp++)
                    for (int b = -32768; b <= 32767; b++) {
                        base(c);
                        c[LP_CFG_FMT0] = (uint32_t)e << 8 | (uint32_t)m << 16 | (uint32_t)sp << 24;
                        c[LP_CFG_FMT1] = (uint32_t)b;
                        add(c);
                    }
        sweep_end("floats: E 1..8 x M 0..23 x specials 0..2 x every int16 bias");
    }

    /* fixed point: every W x F byte, the float fields random (ignored) */
    for (uint32_t w = 0; w < 256; w++)
        for (uint32_t f = 0; f < 256; f++) {
            base(c);
            c[LP_CFG_FMT0] = 1u | (rnd() & 0xFFFFFF00u);
            c[LP_CFG_FMT1] = rnd();
            c[LP_CFG_FMT2] = w | f << 8 | (rnd() & 0xFFFF0000u);
            add(c);
        }
    sweep_end("fixed point: every W 0..255 x F 0..255");

    /* unknown kinds */
    for (uint32_t k = 2; k < 256; k++)
        for (int i = 0; i < 8; i++) {
            base(c);
            c[LP_CFG_FMT0] = k | (rnd() & 0xFFFFFF00u);
            c[LP_CFG_FMT2] = rnd();
            add(c);
        }
    sweep_end("unknown kinds 2..255");

    /* the block's fields: magic/version, model x K x D x B x schedule/period, QOPT bytes */
    {
        static const uint32_t magics[][2] = {{LP_SGD_CFG_MAGIC, 1u}, {LP_SGD_CFG_MAGIC, 0u}, {LP_SGD_CFG_MAGIC, 2u},
                                             {LP_SGD_CFG_MAGIC ^ 1u, 1u}, {0u, 1u}, {0x47535045u, 1u}};
        for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
            base(c);
            c[LP_CFG_MAGIC] = magics[i][0];
            c[LP_CFG_VERSION] = magics[i][1];
            add(c);
        }
        static const uint32_t models[] = {0u, 1u, 2u, 3u, 4u, 5u, 0x80000002u, 0xFFFFFFFFu};
        static const uint32_t kss[] = {0u, 1u, 2u, 3u, 10u, 16u, 17u, 33u, 0x80000001u, 0xFFFFFFFFu};
        static const uint32_t ds[] = {0u, 8u, 16u, 24u, 32u, 800u, 1008u, 1024u, 1040u, 8176u, 8192u, 8193u,
                                      8208u, 16384u, 0x80000010u, 0xFFFFFFF0u};
        static const uint32_t bs[] = {0u, 1u, 2u, 65535u, 65536u, 65537u, 131072u, 0xFFFFFFFFu};
        static const uint32_t sps[][2] = {{0u, 0u}, {1u, 0u}, {2u, 0u}, {2u, 1u}, {2u, 0xFFFFFFFFu},
                                          {3u, 1u}, {4u, 1u}, {0xFFFFFFFFu, 1u}, {0x80000002u, 5u}};
        for (size_t a = 0; a < sizeof models / sizeof models[0]; a++)
            for (size_t k = 0; k < sizeof kss / sizeof kss[0]; k++)
                for (size_t d = 0; d < sizeof ds / sizeof ds[0]; d++)
                    for (size_t b = 0; b < sizeof bs / sizeof bs[0]; b++)
                        for (size_t s = 0; s < sizeof sps / sizeof sps[0]; s++) {
                            base(c);
                            c[LP_CFG_MODEL] = models[a];
                            c[LP_CFG_K] = kss[k];
                            c[LP_CFG_D] = ds[d];
                            c[LP_CFG_BATCH] = bs[b];
                            c[LP_CFG_SCHED] = sps[s][0];
                            c[LP_CFG_PERIOD] = sps[s][1];
                            add(c);
                        }
        /* K*D around 16384 for every softmax K */
        for (uint32_t k = 2; k <= 16; k++)
            for (int dd = -3; dd <= 3; dd++) {
                base(c);
                c[LP_CFG_MODEL] = LP_MODEL_SOFTMAX;
                c[LP_CFG_K] = k;
                c[LP_CFG_D] = (LP_SGD_MAX_WORDS / k / 16u) * 16u + (uint32_t)(dd * 16);
                add(c);
            }
        for (int byte = 0; byte < 4; byte++)
            for (uint32_t v = 0; v < 256; v++) {
                base(c);
                c[LP_CFG_QOPT] = v << (8 * byte);
                add(c);
            }
        for (uint32_t i = 0; i < 4096; i++) { /* the other words: anything goes */
            base(c);
            for (int w = LP_CFG_LR; w <= LP_CFG_OPTIONS; w++)
                c[w] = i < 64 ? edges[(i + (uint32_t)w) % NEDGES] : rnd();
            c[LP_CFG_SEED] = rnd();
            add(c);
        }
    }
    sweep_end("fields: magic/version, model x K x D x B x schedule/period, K*D edge, QOPT bytes");

    /* seeded random blocks */
    size_t nrand = exhaustive ? (1u << 24) : (1u << 18);
    for (size_t i = 0; i < nrand; i++) {
        rnd_valid(c);
        int muts = (int)(rnd() % 4);
        for (int j = 0; j < muts; j++) {
            uint32_t w = rnd() % LP_VSGD_CFG_IN_WORDS;
            switch (rnd() % 4) {
            case 0: c[w] = rnd(); break;
            case 1: c[w] = edges[rnd() % NEDGES]; break;
            case 2: c[w] ^= 1u << (rnd() % 32); break;
            default: c[w] += rnd() % 3u - 1u; break;
            }
        }
        add(c);
    }
    sweep_end("seeded random blocks (valid, then 0..3 words mutated)");

    free(blocks);
    free(outs);
    return lp_test_summary();
}
