/*
 * lp_kernels.cl - the HLS kernel sources as one OpenCL C 1.2 program (docs/opencl.md): the
 * same files gcc compiles into the golden model and Vitis HLS synthesizes, included here
 * unchanged; lp_kernel.h maps the types, the address spaces and the pragmas. Kernels are
 * single work-items (global size 1), the way Vitis runs an HLS kernel.
 *
 * FP contract: lp_kernel.h sets FP_CONTRACT OFF (no fused multiply-add, contract 5); the
 * host builds with -cl-std=CL1.2 and, where the device has it, correctly rounded division;
 * never -cl-denorms-are-zero or a fast-math option (subnormals are results here).
 */
#include "../lp_kernel.h"

#include "../format/lp_format.c"
#include "../quant/lp_quant.c"
#include "../quant/lp_quant_vec.c"
#include "../stats/lp_stats.c"
#include "../sgd/lp_sgd_math.c"
#include "../sgd/lp_sgd.c"

/* lp_sgd_run(state, ...) of hls/sgd/lp_sgd.h: state is the on-chip model (kept in its buffer
 * between runs), scratch the step's working memory (lp_sgd_scratch_t). An invalid cfg runs
 * nothing and, when nsteps > 0, writes LP_SGD_REC_BADCFG to stats[0] (as lp_sgd does). */
__kernel void lp_sgd_cl(__global const uint *data, __global float *model, __global uint *stats,
                        __global const uint *cfg, uint nsteps, uint step0, uint flags,
                        __global lp_sgd_state_t *state, __global lp_sgd_scratch_t *scratch)
{
    if (lp_sgd_run_in(state, scratch, (__global const lp_beat_t *)data, (__global lp_beat_t *)model,
                      (__global lp_beat_t *)stats, (__global const lp_beat_t *)cfg, nsteps, step0,
                      flags) != LP_SGD_OK &&
        nsteps > 0)
        stats[0] = LP_SGD_REC_BADCFG;
}

/* lp_quantize_vec (hls/quant/lp_quant_vec.h) with the quantizer configuration of a
 * configuration block (words LP_CFG_FMT0..2, LP_CFG_QOPT, LP_CFG_SEED: lp_sgd_cfg_qcfg).
 * codes and scale_k may be NULL. qstats gets lp_qstats_t as words; an unusable format
 * writes 0xFFFFFFFF to qstats[0] and nothing else. */
__kernel void lp_quantize_cl(__global const float *g, __global float *gq, __global uint *codes,
                             __global int *scale_k, __global const uint *cfg, uint n, uint step,
                             __global uint *qstats)
{
    uint c[LP_SGD_CFG_WORDS];
    for (int i = 0; i < LP_SGD_CFG_WORDS; i++)
        c[i] = cfg[i];
    lp_qcfg_t qc = lp_sgd_cfg_qcfg(c);
    lp_fmt_params_t p;
    lp_why_t why;
    if (lp_format_derive(&qc.fmt, &p, &why) != 0) {
        qstats[0] = 0xFFFFFFFFu;
        return;
    }
    lp_qstats_t st;
    lp_quantize_vec(g, gq, codes, scale_k, n, &p, &qc, step, &st);
    for (int q = 0; q < LP_NSUMS; q++)
        qstats[q] = as_uint(st.sum[q]);
    qstats[LP_NSUMS + 0] = st.n;
    qstats[LP_NSUMS + 1] = st.underflow;
    qstats[LP_NSUMS + 2] = st.saturated;
    qstats[LP_NSUMS + 3] = st.subnormal;
    qstats[LP_NSUMS + 4] = st.nan;
    qstats[LP_NSUMS + 5] = st.inf;
}
