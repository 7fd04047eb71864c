/*
 * qt_bits.h - short names for the project's FP32 <-> bits helpers (format/lp_bits.h) in
 * the quantizer tests. (The oracle keeps its own two lines: it uses nothing from hls/.)
 */
#ifndef QT_BITS_H
#define QT_BITS_H

#include "format/lp_bits.h"

#define f2u(f) lp_f32_bits(f)
#define u2f(u) lp_bits_f32(u)

#endif
