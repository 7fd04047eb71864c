/*
 * lp_sgd.c - the SGD kernel (HLS C; the golden model when compiled by gcc). The step,
 * the buffers and the reductions are specified in lp_sgd.h; this file and lp_sgd_step.h
 * (the step, which the host-only lp_sgd_host.c also compiles per instruction set) follow it
 * line by line. The Vitis HLS pragmas sit behind LP_HLS (defined by the Vitis flow's cflags)
 * because -Wall enables -Wunknown-pragmas in gcc.
 *
 * Loop bounds: the loops run to the configuration's K, D, B and n = K*D, each bounded by a
 * constant (LP_SGD_MAX_*) that lp_sgd_check_cfg enforces before any loop runs; the
 * LOOP_TRIPCOUNT pragmas state those bounds, the Vitis HLS idiom for bounded variable
 * loops. (Constant loops with an early exit would be equivalent for HLS but stop gcc
 * from vectorizing the golden model.)
 */
#include "lp_sgd.h"

#include "lp_sgd_step.h"

float lp_dot_f32(const LP_GLOBAL float *a, const LP_GLOBAL float *b, uint32_t nbeats)
{
    float acc[LP_PARTIALS][LP_LANES];
    lp_dot_partials(acc, a, b, nbeats);
    return lp_red_fold((const float(*)[LP_LANES])acc);
}

lp_format_t lp_sgd_cfg_format(const uint32_t *cfg)
{
    lp_format_t f;
    f.kind = (uint8_t)(cfg[LP_CFG_FMT0] & 0xFF);
    f.exp_bits = (uint8_t)(cfg[LP_CFG_FMT0] >> 8);
    f.man_bits = (uint8_t)(cfg[LP_CFG_FMT0] >> 16);
    f.specials = (uint8_t)(cfg[LP_CFG_FMT0] >> 24);
    f.bias = (int16_t)cfg[LP_CFG_FMT1];
    f.width = (uint8_t)(cfg[LP_CFG_FMT2] & 0xFF);
    f.frac = (uint8_t)(cfg[LP_CFG_FMT2] >> 8);
    return f;
}

#ifdef LP_KERNEL_HOST
void lp_sgd_cfg_set_format(uint32_t *cfg, const lp_format_t *f)
{
    cfg[LP_CFG_FMT0] = (uint32_t)f->kind | (uint32_t)f->exp_bits << 8 | (uint32_t)f->man_bits << 16 |
                       (uint32_t)f->specials << 24;
    cfg[LP_CFG_FMT1] = (uint32_t)(int32_t)f->bias;
    cfg[LP_CFG_FMT2] = (uint32_t)f->width | (uint32_t)f->frac << 8;
}

void lp_sgd_cfg_set_qcfg(uint32_t *cfg, const lp_qcfg_t *q)
{
    lp_sgd_cfg_set_format(cfg, &q->fmt);
    cfg[LP_CFG_QOPT] = (uint32_t)q->rounding | (uint32_t)q->overflow << 8 | (uint32_t)q->subnormals << 16 |
                       (uint32_t)q->scale << 24;
    cfg[LP_CFG_SEED] = q->seed;
}
#endif

uint32_t lp_sgd_check_cfg(const uint32_t *cfg, lp_why_t *why)
{
    lp_fmt_params_t p;
    uint32_t k = cfg[LP_CFG_K], d = cfg[LP_CFG_D], model = cfg[LP_CFG_MODEL];
    *why = "";
    if (cfg[LP_CFG_MAGIC] != LP_SGD_CFG_MAGIC || cfg[LP_CFG_VERSION] != LP_SGD_CFG_VERSION)
        *why = "configuration block: wrong magic or version";
    else if (model >= LP_NMODELS)
        *why = "configuration block: unknown model";
    else if (model == LP_MODEL_SOFTMAX ? (k < 2 || k > LP_SGD_MAX_CLASSES) : k != 1)
        *why = "configuration block: K must be 1, or 2..16 classes for softmax";
    else if (d == 0 || d % LP_SGD_LANES || d > LP_SGD_MAX_DIM || k * d > LP_SGD_MAX_WORDS)
        *why = "configuration block: D must be a nonzero multiple of 16 with D <= 8192 and K*D <= 16384";
    else if (cfg[LP_CFG_BATCH] == 0 || cfg[LP_CFG_BATCH] > LP_SGD_MAX_BATCH)
        *why = "configuration block: batch must be 1..65536";
    else if (cfg[LP_CFG_SCHED] >= LP_NSCHEDS || (cfg[LP_CFG_SCHED] == LP_SCHED_HALVING && cfg[LP_CFG_PERIOD] == 0))
        *why = "configuration block: unknown schedule or halving period 0";
    else {
        lp_format_t f = lp_sgd_cfg_format(cfg);
        if (lp_format_derive(&f, &p, why) != 0)
            return LP_SGD_EBADCFG;
        if ((cfg[LP_CFG_QOPT] & 0xFF) > LP_ROUND_SR || ((cfg[LP_CFG_QOPT] >> 8) & 0xFF) > LP_OVF_INF ||
            ((cfg[LP_CFG_QOPT] >> 16) & 0xFF) > 1 || (cfg[LP_CFG_QOPT] >> 24) > LP_SCALE_BLOCK32) {
            *why = "configuration block: rounding/overflow/subnormals/scale out of range";
            return LP_SGD_EBADCFG;
        }
        return LP_SGD_OK;
    }
    return LP_SGD_EBADCFG;
}

lp_qcfg_t lp_sgd_cfg_qcfg(const uint32_t *cfg)
{
    lp_qcfg_t q = {0};
    q.fmt = lp_sgd_cfg_format(cfg);
    q.rounding = (uint8_t)(cfg[LP_CFG_QOPT] & 0xFF);
    q.overflow = (uint8_t)(cfg[LP_CFG_QOPT] >> 8);
    q.subnormals = (uint8_t)(cfg[LP_CFG_QOPT] >> 16);
    q.scale = (uint8_t)(cfg[LP_CFG_QOPT] >> 24);
    q.seed = cfg[LP_CFG_SEED];
    return q;
}

float lp_sgd_stepsize(const uint32_t *cfg, uint32_t k)
{
    float lr = lp_bits_f32(cfg[LP_CFG_LR]);
    switch (cfg[LP_CFG_SCHED]) {
    case LP_SCHED_INVERSE: {
        float den = lp_bits_f32(cfg[LP_CFG_GAMMA]) + (float)(k + 1u);
        return lr / den;
    }
    case LP_SCHED_HALVING: {
        uint32_t r = k / cfg[LP_CFG_PERIOD];
        r = r > 126u ? 126u : r;
        return lr * lp_bits_f32((127u - r) << 23);
    }
    default:
        return lr;
    }
}

float lp_sgd_compensate(float mu_k, float g2, float ge, float *q_hat)
{
    float qp = g2 > 0.0f ? 1.0f + ge / g2 : 1.0f;
    float diff = qp - *q_hat;
    float qh = *q_hat + 0.125f * diff;
    float qu = qh > 0.0625f ? qh : 0.0625f;
    qu = qu < 1.0f ? qu : 1.0f;
    *q_hat = qh;
    return mu_k * (1.0f / qu);
}

/* The kernel's on-chip buffers: the model and the step's scratch. An HLS kernel holds them as
 * statics (BRAM/URAM); the OpenCL entry points pass them as buffers (lp_kernels.cl). */
static void sgd_step(LP_GLOBAL lp_sgd_state_t *st, LP_GLOBAL lp_sgd_scratch_t *sc, const LP_GLOBAL lp_beat_t *data,
                     uint64_t base, const uint32_t *cfg, const lp_fmt_params_t *p, const lp_qcfg_t *qc,
                     uint32_t k, lp_sgd_rec_t *rec)
{
#ifdef LP_SGD_HOST
    if (lp_sgd_step_host(st, sc, data, base, cfg, p, qc, k, rec))
        return; /* the same bits on the CPU's vector unit (host builds only) */
#endif
    lp_sgd_step_inline(st, sc, data, base, cfg, p, qc, k, rec);
}

void lp_sgd_forward(const LP_GLOBAL float *w, const LP_GLOBAL float *x, uint32_t K, uint32_t D, float *z)
{
#ifdef LP_SGD_HOST
    if (lp_sgd_forward_host(w, x, K, D, z))
        return;
#endif
    lp_sgd_forward_inline(w, x, K, D, z);
}

/* Record rec as beat s of the stats port (lp_sgd_rec_t's word order). */
static void put_record(LP_GLOBAL lp_beat_t *stats, uint32_t s, const lp_sgd_rec_t *rec)
{
    lp_beat_t b;
    b.w[0] = rec->step;
    b.w[1] = lp_f32_bits(rec->lr);
    for (int q = 0; q < 4; q++)
        b.w[2 + q] = lp_f32_bits(rec->sum[q]);
    b.w[6] = rec->n;
    b.w[7] = rec->underflow;
    b.w[8] = rec->saturated;
    b.w[9] = rec->subnormal;
    b.w[10] = rec->nan;
    b.w[11] = rec->inf;
    b.w[12] = lp_f32_bits(rec->q_hat);
    b.w[13] = lp_f32_bits(rec->loss);
    b.w[14] = rec->correct;
    b.w[15] = (uint32_t)rec->scale_k;
    stats[s] = b;
}

/* LP_SGD_FLAG_LOAD: the model port's K*D/16 + 1 beats into the on-chip model. */
static void model_load(LP_GLOBAL lp_sgd_state_t *st, const LP_GLOBAL lp_beat_t *model, uint32_t n)
{
    for (uint32_t bt = 0; bt < n / LP_SGD_LANES; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
        LP_PRAGMA(HLS PIPELINE II = 1)
        for (uint32_t l = 0; l < LP_SGD_LANES; l++)
            st->w[bt * LP_SGD_LANES + l] = lp_bits_f32(model[bt].w[l]);
    }
    for (uint32_t l = 0; l < LP_SGD_STATE_WORDS; l++)
        st->state[l] = lp_bits_f32(model[n / LP_SGD_LANES].w[l]);
}

/* LP_SGD_FLAG_STORE: the on-chip model out to the model port. */
static void model_store(const LP_GLOBAL lp_sgd_state_t *st, LP_GLOBAL lp_beat_t *model, uint32_t n)
{
    for (uint32_t bt = 0; bt < n / LP_SGD_LANES; bt++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
        LP_PRAGMA(HLS PIPELINE II = 1)
        for (uint32_t l = 0; l < LP_SGD_LANES; l++)
            model[bt].w[l] = lp_f32_bits(st->w[bt * LP_SGD_LANES + l]);
    }
    for (uint32_t l = 0; l < LP_SGD_STATE_WORDS; l++)
        model[n / LP_SGD_LANES].w[l] = lp_f32_bits(st->state[l]);
}

uint32_t lp_sgd_run_in(LP_GLOBAL lp_sgd_state_t *st, LP_GLOBAL lp_sgd_scratch_t *sc,
                       const LP_GLOBAL lp_beat_t *data, LP_GLOBAL lp_beat_t *model, LP_GLOBAL lp_beat_t *stats,
                       const LP_GLOBAL lp_beat_t *cfg, uint32_t nsteps, uint32_t step0, uint32_t flags)
{
    lp_why_t why;
    uint32_t c[LP_SGD_CFG_WORDS];
    for (int i = 0; i < LP_SGD_CFG_WORDS; i++)
        c[i] = cfg[i / LP_SGD_LANES].w[i % LP_SGD_LANES];
    if (lp_sgd_check_cfg(c, &why) != LP_SGD_OK)
        return LP_SGD_EBADCFG;
    uint32_t n = c[LP_CFG_K] * c[LP_CFG_D];
    uint64_t step_beats = (uint64_t)c[LP_CFG_BATCH] * LP_SGD_ROW_BEATS(c[LP_CFG_D]);
    lp_qcfg_t qc = lp_sgd_cfg_qcfg(c);
    lp_fmt_params_t p;
    lp_format_derive(&qc.fmt, &p, &why);

    if (flags & LP_SGD_FLAG_LOAD)
        model_load(st, model, n);
    for (uint32_t s = 0; s < nsteps; s++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 1024)
        lp_sgd_rec_t rec;
        sgd_step(st, sc, data, (uint64_t)s * step_beats, c, &p, &qc, step0 + s, &rec);
        put_record(stats, s, &rec);
    }
    if (flags & LP_SGD_FLAG_STORE)
        model_store(st, model, n);
    return LP_SGD_OK;
}

#ifndef __OPENCL_C_VERSION__
static lp_sgd_scratch_t lp_sgd_scratch; /* on-chip buffers in hardware (BRAM/URAM) */

/* The host's view: word buffers, whole beats each (lp_sgd.h). */
uint32_t lp_sgd_run(lp_sgd_state_t *st, const uint32_t *data, float *model, uint32_t *stats, const uint32_t *cfg,
                    uint32_t nsteps, uint32_t step0, uint32_t flags)
{
    return lp_sgd_run_in(st, &lp_sgd_scratch, (const lp_beat_t *)data, (lp_beat_t *)model, (lp_beat_t *)stats,
                         (const lp_beat_t *)cfg, nsteps, step0, flags);
}

void lp_sgd(const lp_beat_t *data, lp_beat_t *model, lp_beat_t *stats, const lp_beat_t *cfg, uint32_t nsteps,
            uint32_t step0, uint32_t flags)
{
    LP_PRAGMA(HLS INTERFACE m_axi port = data offset = slave bundle = gmem0 max_read_burst_length = 64 depth = 1048576)
    LP_PRAGMA(HLS INTERFACE m_axi port = model offset = slave bundle = gmem1 depth = 1025)
    LP_PRAGMA(HLS INTERFACE m_axi port = stats offset = slave bundle = gmem1 depth = 1024)
    LP_PRAGMA(HLS INTERFACE m_axi port = cfg offset = slave bundle = gmem1 depth = 2)
    LP_PRAGMA(HLS AGGREGATE variable = data)
    LP_PRAGMA(HLS AGGREGATE variable = model)
    LP_PRAGMA(HLS AGGREGATE variable = stats)
    LP_PRAGMA(HLS AGGREGATE variable = cfg)
    LP_PRAGMA(HLS INTERFACE s_axilite port = data)
    LP_PRAGMA(HLS INTERFACE s_axilite port = model)
    LP_PRAGMA(HLS INTERFACE s_axilite port = stats)
    LP_PRAGMA(HLS INTERFACE s_axilite port = cfg)
    LP_PRAGMA(HLS INTERFACE s_axilite port = nsteps)
    LP_PRAGMA(HLS INTERFACE s_axilite port = step0)
    LP_PRAGMA(HLS INTERFACE s_axilite port = flags)
    LP_PRAGMA(HLS INTERFACE s_axilite port = return)
    static lp_sgd_state_t state; /* the model on chip, kept between calls */
    LP_PRAGMA(HLS ARRAY_PARTITION variable = state.w cyclic factor = 16)
    LP_PRAGMA(HLS ARRAY_PARTITION variable = lp_sgd_scratch.acc cyclic factor = 16)
    LP_PRAGMA(HLS ARRAY_PARTITION variable = lp_sgd_scratch.g cyclic factor = 16)
    LP_PRAGMA(HLS ARRAY_PARTITION variable = lp_sgd_scratch.gq cyclic factor = 16)
    LP_PRAGMA(HLS BIND_STORAGE variable = lp_sgd_scratch.acc type = ram_2p impl = uram)
    if (lp_sgd_run_in(&state, &lp_sgd_scratch, data, model, stats, cfg, nsteps, step0, flags) != LP_SGD_OK &&
        nsteps > 0)
        stats[0].w[0] = LP_SGD_REC_BADCFG;
}
#endif
