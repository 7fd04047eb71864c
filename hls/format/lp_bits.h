/*
 * lp_bits.h - FP32 <-> bits, the one place every kernel and host file gets them from.
 * A union is the type pun C11 and OpenCL C both define (HLS turns it into a wire); OpenCL
 * has its own as_uint/as_float.
 */
#ifndef LP_BITS_H
#define LP_BITS_H

#include "../lp_kernel.h"

static inline uint32_t lp_f32_bits(float f)
{
#if defined(__OPENCL_C_VERSION__)
    return as_uint(f);
#else
    union {
        float f;
        uint32_t u;
    } v;
    v.f = f;
    return v.u;
#endif
}

static inline float lp_bits_f32(uint32_t u)
{
#if defined(__OPENCL_C_VERSION__)
    return as_float(u);
#else
    union {
        float f;
        uint32_t u;
    } v;
    v.u = u;
    return v.f;
#endif
}

#endif
