/*
 * fpu_check.h - TestFloat-style checking of the Verilated FP units against the C operators.
 *
 * The reference of every unit is the C expression itself (a + b, a * b, ...), computed here
 * on this machine (x86-64 SSE, -ffp-contract=off) in a non-inlined scalar function so the
 * compiler cannot reorder the operands (SSE returns the FIRST operand's NaN when both are
 * NaN; check_x86_nan_order() confirms that with the instructions themselves).
 * Operand sets: the boundary values, all their pairs, and seeded generators (uniform bits,
 * close exponents, cancellation, subnormal range, product under/overflow range, rounding
 * ties, specials mixed with random values). Results are compared bit for bit.
 */
#ifndef FPU_CHECK_H
#define FPU_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/lp_bits.h"

/* The references: one C operation each, never inlined into a vectorised loop. */
__attribute__((noinline)) static uint32_t fc_ref_add(uint32_t a, uint32_t b)
{
    return lp_f32_bits(lp_bits_f32(a) + lp_bits_f32(b));
}
__attribute__((noinline)) static uint32_t fc_ref_sub(uint32_t a, uint32_t b)
{
    return lp_f32_bits(lp_bits_f32(a) - lp_bits_f32(b));
}
__attribute__((noinline)) static uint32_t fc_ref_mul(uint32_t a, uint32_t b)
{
    return lp_f32_bits(lp_bits_f32(a) * lp_bits_f32(b));
}
__attribute__((noinline)) static uint32_t fc_ref_div(uint32_t a, uint32_t b)
{
    return lp_f32_bits(lp_bits_f32(a) / lp_bits_f32(b));
}

/* {unordered, a > b, a == b, a < b}: the four C relations (lp_fp32_cmp's y_o) */
__attribute__((noinline)) static uint32_t fc_ref_cmp(uint32_t a, uint32_t b)
{
    float x = lp_bits_f32(a), y = lp_bits_f32(b);
    return (uint32_t)(x < y) | (uint32_t)(x == y) << 1 | (uint32_t)(x > y) << 2 |
           (uint32_t)(!(x == x) || !(y == y)) << 3;
}
/* the softmax running maximum: m = z > m ? z : m with a = m, b = z */
__attribute__((noinline)) static uint32_t fc_ref_max(uint32_t a, uint32_t b)
{
    return lp_bits_f32(b) > lp_bits_f32(a) ? b : a;
}
/* conversions (unary: b is ignored); out-of-range float -> int casts are undefined in C,
 * the references give what gcc emits on x86-64 (cvttss2si), which the RTL follows */
__attribute__((noinline)) static uint32_t fc_ref_i2f(uint32_t a, uint32_t b)
{
    (void)b;
    return lp_f32_bits((float)(int32_t)a);
}
__attribute__((noinline)) static uint32_t fc_ref_u2f(uint32_t a, uint32_t b)
{
    (void)b;
    return lp_f32_bits((float)a);
}
__attribute__((noinline)) static uint32_t fc_ref_f2i(uint32_t a, uint32_t b)
{
    (void)b;
    return (uint32_t)(int32_t)lp_bits_f32(a);
}
__attribute__((noinline)) static uint32_t fc_ref_f2u(uint32_t a, uint32_t b)
{
    (void)b;
    return (uint32_t)lp_bits_f32(a);
}

typedef uint32_t (*fc_ref_fn)(uint32_t a, uint32_t b);

/* Every unit the tests know: module name, reference, and what its generators stress. */
typedef struct {
    const char *unit;
    fc_ref_fn ref;
    int unary; /* 1: b is ignored */
} fc_unit_t;

static const fc_unit_t fc_units[] = {
    {"lp_fp32_add", fc_ref_add, 0},
    {"lp_fp32_sub", fc_ref_sub, 0},
    {"lp_fp32_mul", fc_ref_mul, 0},
    {"lp_fp32_div", fc_ref_div, 0},
    {"lp_fp32_cmp", fc_ref_cmp, 0},
    {"lp_fp32_max", fc_ref_max, 0},
    {"lp_i32_to_fp32", fc_ref_i2f, 1},
    {"lp_u32_to_fp32", fc_ref_u2f, 1},
    {"lp_fp32_to_i32", fc_ref_f2i, 1},
    {"lp_fp32_to_u32", fc_ref_f2u, 1},
};
#define FC_NUNITS (sizeof fc_units / sizeof fc_units[0])

/* x86 SSE, checked on the hardware itself: NaN + NaN returns the first operand quieted. */
static inline int fc_x86_first_nan_wins(void)
{
#if defined(__x86_64__)
    float a = lp_bits_f32(0x7FA00001u), b = lp_bits_f32(0xFFC00002u), r = a;
    __asm__("addss %1, %0" : "+x"(r) : "x"(b));
    uint32_t add = lp_f32_bits(r);
    r = lp_bits_f32(0xFF800003u);
    __asm__("mulss %1, %0" : "+x"(r) : "x"(lp_bits_f32(0x7FC00004u)));
    return add == 0x7FE00001u && lp_f32_bits(r) == 0xFFC00003u && fc_ref_add(0x7FA00001u, 0xFFC00002u) == add;
#else
    return -1;
#endif
}

/* ------------------------------------------------------------------ operands */

static inline uint64_t fc_rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Boundary values (positive; every test also uses their negatives). */
static const uint32_t fc_boundary_pos[] = {
    0x00000000u, /* +0 */
    0x00000001u, /* min subnormal */
    0x00000002u, 0x00000003u,
    0x003FFFFFu, 0x00400000u, 0x00400001u, /* mid subnormals */
    0x007FFFFEu, 0x007FFFFFu,              /* max subnormal and its neighbour */
    0x00800000u, 0x00800001u, 0x00FFFFFFu, /* min normal and neighbours */
    0x01000000u,
    0x33800000u, 0x34000000u, /* 2^-24, 2^-23 (ulp of 1 and half of it) */
    0x3EFFFFFFu, 0x3F000000u, /* 0.5 */
    0x3F7FFFFFu, 0x3F800000u, 0x3F800001u, /* 1 and neighbours */
    0x3FC00000u, 0x3FFFFFFFu, 0x40000000u, 0x40400000u, /* 1.5, 2-ulp, 2, 3 */
    0x4B000000u, 0x4B7FFFFFu, 0x4B800000u, /* 2^23, 2^24 - 1, 2^24 */
    0x5F000000u, 0x1F000000u,              /* 2^63, 2^-65 (products near 1) */
    0x7E800000u, 0x7EFFFFFFu, 0x7F000000u, /* 2^126, near max */
    0x7F7FFFFEu, 0x7F7FFFFFu,              /* max finite and its neighbour */
    0x7F800000u,                           /* Inf */
    0x7FC00000u, 0x7FC12345u, 0x7FFFFFFFu, /* quiet NaNs, with payloads */
    0x7F800001u, 0x7FA00000u, 0x7FB54321u, /* signalling NaNs */
    0x4EFFFFFFu, 0x4F000000u, 0x4F800000u, /* int32 edge, 2^31, 2^32 */
    0x5EFFFFFFu,                           /* below 2^63 (the int64 edge) */
    0x01000001u, 0x01000003u, 0x7FFFFFC0u, 0x7FFFFF7Fu, /* as integers: ties, near 2^31 */
};
#define FC_NBOUND_POS (sizeof fc_boundary_pos / sizeof fc_boundary_pos[0])
#define FC_NBOUND (2 * FC_NBOUND_POS)

static inline uint32_t fc_boundary(unsigned i)
{
    return fc_boundary_pos[i % FC_NBOUND_POS] | (i >= FC_NBOUND_POS ? 0x80000000u : 0);
}

enum {
    FC_GEN_UNIFORM, /* all 64 bits random */
    FC_GEN_CLOSE,   /* exponents within +-3 of each other */
    FC_GEN_CANCEL,  /* b = -a plus a few ulps: massive cancellation */
    FC_GEN_SMALL,   /* both in the subnormal / smallest normal binades */
    FC_GEN_PRODEXP, /* exponent sums at the product's underflow and overflow edges */
    FC_GEN_QUOEXP,  /* exponent differences at the quotient's underflow and overflow edges */
    FC_GEN_TIES,    /* short significands: exact results, halfway cases */
    FC_GEN_INTRANGE, /* magnitudes 2^-7 .. 2^63: the float <-> integer conversion range */
    FC_GEN_SPECIAL, /* boundary values mixed with random ones */
    FC_NGEN
};

static const char *const fc_gen_name[FC_NGEN] = {"uniform", "close-exp", "cancel", "small",
                                                "product-edge", "quotient-edge", "ties",
                                                "int-range", "special-mix"};

static inline uint32_t fc_with_exp(uint64_t r, int e)
{
    if (e < 0) e = 0;
    if (e > 254) e = 254;
    return (uint32_t)(r & 0x807FFFFFu) | ((uint32_t)e << 23);
}

static inline uint32_t fc_short_sig(uint32_t x, uint64_t r)
{
    unsigned k = (unsigned)(r % 24u); /* clear k low fraction bits */
    return x & ~((1u << k) - 1u);
}

/* TestFloat-style structured set: every sign and exponent with FC_NSIGPAT significand
 * patterns (ones at the top, at the bottom, alternating, single bits...): 10240 values. */
static const uint32_t fc_sigpat[] = {
    0x000000u, 0x000001u, 0x000002u, 0x000003u, 0x0000FFu, 0x000100u, 0x100001u,
    0x200000u, 0x2AAAAAu, 0x3FFFFFu, 0x400000u, 0x400001u, 0x555555u, 0x600000u,
    0x7C0000u, 0x7FFF00u, 0x7FFFFEu, 0x7FFFFFu, 0x0FFFF0u, 0x3C3C3Cu,
};
#define FC_NSIGPAT (sizeof fc_sigpat / sizeof fc_sigpat[0])
#define FC_NSTRUCT (2u * 256u * FC_NSIGPAT)

static inline uint32_t fc_structured(unsigned i)
{
    unsigned pat = i % FC_NSIGPAT, e = (i / FC_NSIGPAT) % 256u, sign = i / (FC_NSIGPAT * 256u);
    return (uint32_t)sign << 31 | (uint32_t)e << 23 | fc_sigpat[pat];
}

/* Fill n operand pairs from generator g. */
static void fc_gen(int g, uint64_t *seed, uint32_t *a, uint32_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = fc_rng(seed), q = fc_rng(seed);
        uint32_t x = (uint32_t)r, y = (uint32_t)(r >> 32);
        int ex = (int)((x >> 23) & 0xFF);
        switch (g) {
        case FC_GEN_CLOSE:
            y = fc_with_exp(y, ex + (int)(q % 7u) - 3);
            break;
        case FC_GEN_CANCEL:
            y = (x ^ 0x80000000u) + (uint32_t)(int32_t)((int)(q % 9u) - 4);
            if (q & 0x100) y = fc_short_sig(y, q >> 9);
            break;
        case FC_GEN_SMALL:
            x = fc_with_exp(x, (int)(q % 4u));
            y = fc_with_exp(y, (int)((q >> 8) % 4u));
            break;
        case FC_GEN_PRODEXP: {
            /* biased exponent sum T: product exponent T - 127 near 0 (underflow, rounding
             * up to min normal) or near 254 (overflow) */
            int t = (q & 1) ? 100 + (int)((q >> 1) % 32u) : 376 + (int)((q >> 1) % 10u);
            int ea = t - 127 + (int)((q >> 8) % 255u) - 127;
            if (ea < 0) ea = 0;
            if (ea > 254) ea = 254;
            x = fc_with_exp(x, ea);
            y = fc_with_exp(y, t - ea);
            if (q & 0x1000000) x = fc_short_sig(x, q >> 25);
            if (q & 0x2000000) y = fc_short_sig(y, q >> 35);
            break;
        }
        case FC_GEN_QUOEXP: {
            /* biased exponent difference: quotient exponent ea - eb + 127 near 0 or 254 */
            int t = (q & 1) ? -150 + (int)((q >> 1) % 32u) : 122 + (int)((q >> 1) % 10u);
            int eb = (int)((q >> 8) % 255u);
            x = fc_with_exp(x, eb + t);
            y = fc_with_exp(y, eb);
            if (q & 0x1000000) x = fc_short_sig(x, q >> 25);
            if (q & 0x2000000) y = fc_short_sig(y, q >> 35);
            break;
        }
        case FC_GEN_TIES:
            x = fc_short_sig(x, q);
            y = fc_with_exp(fc_short_sig(y, q >> 8), ex + (int)((q >> 16) % 50u) - 25);
            break;
        case FC_GEN_INTRANGE:
            x = fc_with_exp(x, 120 + (int)(q % 71u));
            y = fc_with_exp(y, 120 + (int)((q >> 8) % 71u));
            if (q & 0x10000) x = fc_short_sig(x, q >> 17);
            break;
        case FC_GEN_SPECIAL:
            if (q & 1) x = fc_boundary((unsigned)((q >> 8) % FC_NBOUND));
            if (q & 2) y = fc_boundary((unsigned)((q >> 24) % FC_NBOUND));
            if ((q & 3) == 0) y = fc_boundary((unsigned)((q >> 24) % FC_NBOUND));
            break;
        default:
            break;
        }
        a[i] = x;
        b[i] = y;
    }
}

#endif
