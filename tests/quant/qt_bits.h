/*
 * qt_bits.h - FP32 value <-> bits for the quantizer tests (the oracle keeps its own).
 */
#ifndef QT_BITS_H
#define QT_BITS_H

#include <stdint.h>
#include <string.h>

static inline uint32_t f2u(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float u2f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

#endif
