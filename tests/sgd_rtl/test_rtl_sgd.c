/*
 * test_rtl_sgd.c - the RTL SGD step engine (rtl/sgd/lp_sgd_step.sv, via sim/sgd/lp_vsgd.h)
 * against the C kernel (hls/sgd lp_sgd_run), bit for bit: every step record and the final
 * model, for least squares, hinge and logistic, several formats and quantizer options, row lengths
 * from one beat up, batches from 1 row, the L2 term on and off, runs split over calls.
 */
#include <stdlib.h>
#include <string.h>

#include "format/lp_format.h"
#include "format/lp_bits.h"
#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}
static float rndu(void) { return (float)(rnd32() & 0xFFFFFF) / 16777216.0f; } /* [0,1) */

typedef struct {
    const char *fmt;
    uint32_t qopt; /* rounding | overflow<<8 | subnormals<<16 | scale<<24 */
} qcase_t;

int main(void)
{
    static const qcase_t qc[] = {
        {"fp32", 1u << 16},
        {"bf16", 1u << 16},
        {"fp8_e4m3", 1u << 16},
        {"fp8_e5m2", LP_ROUND_SR | 1u << 16},
        {"fp4_e2m1", 1u << 16},
        {"fp4_e2m1", LP_ROUND_SR | 1u << 16 | (uint32_t)LP_SCALE_BLOCK32 << 24},
        {"fp6_e3m2", LP_ROUND_RTZ},
        {"fixed16.12", 1u << 16},
    };
    static const uint32_t Ds[] = {16, 48, 160};
    static const uint32_t Bs[] = {1, 3, 8};
    char err[256];
    lp_vsgd_t *v = lp_vsgd_open(NULL, err, sizeof err);
    if (!v) {
        printf("%s\n", err);
        return 1;
    }
    lp_sgd_state_t *st = calloc(1, sizeof *st);
    const uint32_t nsteps = 4;
    unsigned ncase = 0;
    lp_vsgd_perf_t perf;
    memset(&perf, 0, sizeof perf);
    static const uint32_t models[] = {LP_MODEL_LSQ, LP_MODEL_HINGE, LP_MODEL_LOGISTIC};
    static const char *const mnames[] = {"lsq", "hinge", "logistic"};
    for (unsigned mi = 0; mi < 3; mi++) {
        uint32_t model = models[mi];
        for (unsigned qi = 0; qi < sizeof qc / sizeof qc[0]; qi++) {
            for (unsigned di = 0; di < 3; di++) {
                uint32_t D = Ds[di], B = Bs[(qi + di) % 3], rw = LP_SGD_ROW_WORDS(D);
                uint32_t cfg[LP_SGD_CFG_WORDS];
                lp_format_t f;
                memset(cfg, 0, sizeof cfg);
                if (lp_format_parse(qc[qi].fmt, &f, err, sizeof err) != 0) {
                    LP_CHECK(0, "format %s: %s", qc[qi].fmt, err);
                    continue;
                }
                cfg[LP_CFG_MAGIC] = LP_SGD_CFG_MAGIC;
                cfg[LP_CFG_VERSION] = LP_SGD_CFG_VERSION;
                cfg[LP_CFG_MODEL] = model;
                cfg[LP_CFG_K] = 1;
                cfg[LP_CFG_D] = D;
                cfg[LP_CFG_BATCH] = B;
                cfg[LP_CFG_SCHED] = LP_SCHED_CONST;
                cfg[LP_CFG_LR] = lp_f32_bits(qi % 2 ? 0.05f : 0.3f);
                cfg[LP_CFG_PERIOD] = 1;
                cfg[LP_CFG_LAMBDA] = lp_f32_bits(di == 1 ? 0.01f : 0.0f);
                cfg[LP_CFG_FMT0] = f.kind | (uint32_t)f.exp_bits << 8 | (uint32_t)f.man_bits << 16 |
                                   (uint32_t)f.specials << 24;
                cfg[LP_CFG_FMT1] = (uint32_t)(int32_t)f.bias;
                cfg[LP_CFG_FMT2] = f.width | (uint32_t)f.frac << 8;
                cfg[LP_CFG_QOPT] = qc[qi].qopt;
                cfg[LP_CFG_SEED] = 1234 + qi;
                const char *why;
                if (lp_sgd_check_cfg(cfg, &why) != LP_SGD_OK || lp_vsgd_supported(cfg, &why) != 0) {
                    LP_CHECK(0, "cfg %s D=%u: %s", qc[qi].fmt, D, why);
                    continue;
                }
                /* data: features in [-1,1) (the last used column is the bias 1.0f), labels */
                uint32_t nf = D > 16 ? D - 5 : D - 1;
                uint32_t *data = calloc((size_t)2 * nsteps * B * rw, 4);
                for (uint32_t r = 0; r < 2 * nsteps * B; r++) {
                    uint32_t *row = data + (size_t)r * rw;
                    float y = mi ? (float)(rnd32() & 1) : 4.0f * rndu() - 2.0f;
                    row[0] = lp_f32_bits(y);
                    for (uint32_t j = 0; j < nf; j++)
                        row[16 + j] = lp_f32_bits(2.0f * rndu() - 1.0f);
                    row[16 + nf] = lp_f32_bits(1.0f);
                }
                float *m0 = calloc(D + 16, 4), *mc = calloc(D + 16, 4), *mv = calloc(D + 16, 4);
                for (uint32_t j = 0; j < D; j++)
                    m0[j] = j <= nf ? 0.2f * rndu() - 0.1f : 0.0f;
                m0[D] = 1.0f;
                uint32_t rc[2 * nsteps * LP_SGD_REC_WORDS], rv[2 * nsteps * LP_SGD_REC_WORDS];
                memcpy(mc, m0, (D + 16) * 4);
                memcpy(mv, m0, (D + 16) * 4);
                /* two calls: load + nsteps, then nsteps more and store (model kept on chip) */
                uint32_t ok = lp_sgd_run(st, data, mc, rc, cfg, nsteps, 0, LP_SGD_FLAG_LOAD) == LP_SGD_OK;
                ok &= lp_sgd_run(st, data + (size_t)nsteps * B * rw, mc, rc + nsteps * LP_SGD_REC_WORDS, cfg, nsteps,
                                 nsteps, LP_SGD_FLAG_STORE) == LP_SGD_OK;
                int r1 = lp_vsgd_run(v, data, mv, rv, cfg, nsteps, 0, LP_SGD_FLAG_LOAD, &perf);
                int r2 = lp_vsgd_run(v, data + (size_t)nsteps * B * rw, mv, rv + nsteps * LP_SGD_REC_WORDS, cfg,
                                     nsteps, nsteps, LP_SGD_FLAG_STORE, &perf);
                unsigned badrec = 0, badw = 0, firstrec = 0;
                for (unsigned i = 0; i < 2 * nsteps * LP_SGD_REC_WORDS; i++)
                    if (rc[i] != rv[i] && badrec++ == 0)
                        firstrec = i;
                for (unsigned j = 0; j < D + 16; j++)
                    badw += memcmp(&mc[j], &mv[j], 4) != 0;
                char name[128];
                snprintf(name, sizeof name, "%s %s D=%u B=%u lambda=%s: %u steps, records and weights bit-identical",
                         mnames[mi], qc[qi].fmt, D, B, di == 1 ? "0.01" : "0", 2 * nsteps);
                LP_CASE(name, ok && r1 == 0 && r2 == 0 && badrec == 0 && badw == 0,
                        "%s: rc %d/%d, %u record words differ (first: step %u word %u: C %08x RTL %08x), %u weights "
                        "differ",
                        name, r1, r2, badrec, firstrec / LP_SGD_REC_WORDS, firstrec % LP_SGD_REC_WORDS, rc[firstrec],
                        rv[firstrec], badw);
                ncase++;
                free(data);
                free(m0);
                free(mc);
                free(mv);
            }
        }
    }
    printf("%u configurations; %llu beats in %llu cycles (%.3f beats/cycle over whole steps, %.3f in the gradient "
           "phase)\n",
           ncase, (unsigned long long)perf.beats, (unsigned long long)perf.cycles,
           perf.cycles ? (double)perf.beats / (double)perf.cycles : 0.0,
           perf.grad_cycles ? (double)perf.beats / (double)perf.grad_cycles : 0.0);
    lp_vsgd_close(v);
    free(st);
    return lp_test_summary();
}
