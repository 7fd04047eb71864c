/* hlslint test: a header of the clean kernel (checked with --root tests/hlslint). */
#ifndef GOOD_KERNEL_H
#define GOOD_KERNEL_H
#include <stdint.h>

#define GK_LANES 16
#define GK_MAX_N 4096
#ifdef LP_HLS
#define LP_PRAGMA(x) _Pragma(#x)
#else
#define LP_PRAGMA(x)
#endif

static inline float gk_sum_lanes(const float v[GK_LANES])
{
    float s = 0.0f;
    for (int l = 0; l < GK_LANES; l++) {
        LP_PRAGMA(HLS UNROLL)
        s = s + v[l];
    }
    return s;
}

#endif
