/*
 * bench_nv.cpp - the peer of bench_quant: NVIDIA's host conversion routines from the CUDA
 * toolkit's headers (cuda_fp8.h, cuda_fp6.h, cuda_fp4.h, cuda_fp16.h, cuda_bf16.h), used
 * header-only on the CPU (no GPU, no CUDA library). Never part of lpsgd: only make bench
 * builds it, with -DLP_HAVE_CUDA_FP where the headers were found.
 *
 * Each routine converts FP32 to the format, round to nearest even (satfinite for the 8-,
 * 6- and 4-bit formats, IEEE overflow for fp16/bf16), and decodes back to FP32: the values
 * lpsgd's quantizer produces for the same format with rne, saturation and subnormals.
 */
#include "bench_nv.h"

#if defined(LP_HAVE_CUDA_FP) && __has_include(<cuda_fp8.h>)
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp4.h>
#include <cuda_fp6.h>
#include <cuda_fp8.h>

#include "format/lp_format.h"

template <typename F> static void each(const float *x, float *y, uint32_t n, F f)
{
    for (uint32_t i = 0; i < n; i++)
        y[i] = f(x[i]);
}

static float fp8(float v, __nv_fp8_interpretation_t t)
{
    return __half2float(__half(__nv_cvt_fp8_to_halfraw(__nv_cvt_float_to_fp8(v, __NV_SATFINITE, t), t)));
}

static float fp6(float v, __nv_fp6_interpretation_t t)
{
    return __half2float(__half(__nv_cvt_fp6_to_halfraw(__nv_cvt_float_to_fp6(v, t, cudaRoundNearest), t)));
}

static float fp4(float v)
{
    return __half2float(__half(__nv_cvt_fp4_to_halfraw(__nv_cvt_float_to_fp4(v, __NV_E2M1, cudaRoundNearest), __NV_E2M1)));
}

extern "C" const char *lp_nv_convert(int preset, const float *x, float *y, uint32_t n)
{
    switch (preset) {
    case LP_FMT_FP8_E4M3:
        each(x, y, n, [](float v) { return fp8(v, __NV_E4M3); });
        return "__nv_cvt_float_to_fp8 (E4M3, satfinite) + __nv_cvt_fp8_to_halfraw";
    case LP_FMT_FP8_E5M2:
        each(x, y, n, [](float v) { return fp8(v, __NV_E5M2); });
        return "__nv_cvt_float_to_fp8 (E5M2, satfinite) + __nv_cvt_fp8_to_halfraw";
    case LP_FMT_FP6_E3M2:
        each(x, y, n, [](float v) { return fp6(v, __NV_E3M2); });
        return "__nv_cvt_float_to_fp6 (E3M2) + __nv_cvt_fp6_to_halfraw";
    case LP_FMT_FP6_E2M3:
        each(x, y, n, [](float v) { return fp6(v, __NV_E2M3); });
        return "__nv_cvt_float_to_fp6 (E2M3) + __nv_cvt_fp6_to_halfraw";
    case LP_FMT_FP4_E2M1:
        each(x, y, n, fp4);
        return "__nv_cvt_float_to_fp4 (E2M1) + __nv_cvt_fp4_to_halfraw";
    case LP_FMT_FP16:
        each(x, y, n, [](float v) { return __half2float(__float2half_rn(v)); });
        return "__float2half_rn + __half2float";
    case LP_FMT_BF16:
        each(x, y, n, [](float v) { return __bfloat162float(__float2bfloat16_rn(v)); });
        return "__float2bfloat16_rn + __bfloat162float";
    default:
        return nullptr;
    }
}

extern "C" const char *lp_nv_absent(void) { return nullptr; }
#else
extern "C" const char *lp_nv_convert(int, const float *, float *, uint32_t) { return nullptr; }

extern "C" const char *lp_nv_absent(void)
{
    return "NVIDIA's conversion routines: the CUDA toolkit's headers (cuda_fp8.h ...) are not installed";
}
#endif
