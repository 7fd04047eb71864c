/*
 * bench_nv.h - NVIDIA's host conversion routines as bench_quant's peer (bench_nv.cpp).
 */
#ifndef BENCH_NV_H
#define BENCH_NV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* y[i] = decode(encode(x[i])) for lpsgd preset `preset` (LP_FMT_*) by NVIDIA's routine;
 * returns the routine's name, or NULL when it has none for that format or is absent. */
const char *lp_nv_convert(int preset, const float *x, float *y, uint32_t n);

/* NULL where the CUDA headers were found, else why the peer is absent. */
const char *lp_nv_absent(void);

#ifdef __cplusplus
}
#endif

#endif
