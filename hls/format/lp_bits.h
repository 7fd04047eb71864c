/*
 * lp_bits.h - FP32 <-> bits, the one place every kernel and host file gets them from.
 * memcpy is the portable type pun (HLS and gcc both turn it into a wire/move).
 */
#ifndef LP_BITS_H
#define LP_BITS_H

#include <stdint.h>
#include <string.h>

static inline uint32_t lp_f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float lp_bits_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

#endif
