/*
 * lp_kernel.h - the portability header of the kernel sources: the one place that knows
 * which compiler reads them. Every kernel source includes it first (through lp_bits.h).
 *
 *   gcc/clang (the golden model, host builds)   C11, <stdint.h>, pragmas dropped
 *   Vitis HLS (LP_HLS, or __SYNTHESIS__)       C, LP_PRAGMA(x) becomes _Pragma("x")
 *   OpenCL C 1.2 (__OPENCL_C_VERSION__)        hls/opencl/lp_kernels.cl: PoCL on the CPU,
 *                                              XRT's OpenCL platform on a card
 *
 * What the kernel code writes instead of what one of them lacks:
 *   LP_GLOBAL    on every pointer to off-chip memory or to the kernel's big on-chip
 *                buffers (the model, the step's scratch): __global in OpenCL C 1.2 (which
 *                has no generic address space: an unqualified pointer is a private one),
 *                nothing elsewhere. Small locals (a row's z[K], the fold's partials, the
 *                format parameters) stay private and their pointers unqualified.
 *   lp_why_t     the type of a reason string (a string literal is __constant in OpenCL).
 *   LP_PRAGMA(x) an HLS pragma: LP_PRAGMA(HLS PIPELINE II = 1).
 *   LP_KERNEL_HOST  defined in host builds only (gcc/clang, not HLS, not OpenCL): what is
 *                behind it (vector-unit variants, parsers, printing) is not kernel code.
 * No memcpy/memset, libm, double, recursion or function pointers in kernel code: OpenCL C
 * and Vitis HLS both refuse or mis-synthesize them (make lint checks; docs/hls.md).
 */
#ifndef LP_KERNEL_H
#define LP_KERNEL_H

#if defined(__OPENCL_C_VERSION__)
#pragma OPENCL FP_CONTRACT OFF
typedef uchar uint8_t;
typedef char int8_t;
typedef ushort uint16_t;
typedef short int16_t;
typedef uint uint32_t;
typedef int int32_t;
typedef ulong uint64_t;
typedef long int64_t;
#define LP_GLOBAL __global
typedef __constant char *lp_why_t;
#ifndef NULL
#define NULL 0
#endif
#else
#include <stdint.h>
#define LP_GLOBAL
typedef const char *lp_why_t;
#if !defined(__SYNTHESIS__) && !defined(LP_HLS)
#define LP_KERNEL_HOST 1
#endif
#endif

#if defined(LP_HLS) || defined(__SYNTHESIS__)
#define LP_PRAGMA(x) _Pragma(#x)
#else
#define LP_PRAGMA(x)
#endif

#endif
