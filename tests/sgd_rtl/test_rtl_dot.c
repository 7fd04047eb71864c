/*
 * test_rtl_dot.c - the RTL dot-product engine (rtl/sgd/lp_sgd_dot.sv) against the C
 * model's lp_dot_f32 (hls/sgd/lp_sgd.c), bit for bit: every K 1..16, row lengths of 1 to
 * 12 beats (short rows exercise the partial mask and the fold stall), seeded random
 * values over the whole exponent range, subnormals, zeros of both signs, NaN and Inf.
 *
 * Bits are compared exactly, with one exception: when both results are NaN, their
 * payloads may differ. Which operand's NaN an x86 add or multiply returns depends on the
 * operand order gcc emits, and C lets it swap the operands of + and * (it does: -O2
 * compiles lp_dot_f32's `pa[l] + prod` to `addps acc, prod`, the product first), so the
 * C model itself does not define NaN payloads. The RTL follows the source order; the
 * NaN-payload-only differences are counted and printed, not failed (docs/rtl-sgd.md).
 */
#include <stdlib.h>
#include <string.h>

#include "lp_test.h"
#include "sgd/lp_sgd.h"
#include "sgd/lp_vsgd_dot.h"

static uint64_t rng = 0x1234567887654321ull;
static uint32_t rnd32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static int both_nan(uint32_t a, uint32_t b)
{
    return (a & 0x7FFFFFFFu) > 0x7F800000u && (b & 0x7FFFFFFFu) > 0x7F800000u;
}

static float rndf(int specials)
{
    uint32_t u, r = rnd32() % 64;
    if (specials && r == 0)
        u = 0x7F800000u | (rnd32() & 0x80000000u); /* Inf */
    else if (specials && r == 1)
        u = 0x7FC00000u | (rnd32() & 0x803FFFFFu); /* NaN */
    else if (r < 4)
        u = rnd32() & 0x807FFFFFu; /* subnormal or zero */
    else if (r < 8)
        u = rnd32() & 0x80000000u; /* +-0 */
    else if (r < 40) /* moderate magnitudes: cancellation and rounding */
        u = (rnd32() & 0x807FFFFFu) | ((uint32_t)(120 + rnd32() % 16) << 23);
    else /* wide exponents, away from overflow */
        u = (rnd32() & 0x807FFFFFu) | ((uint32_t)(20 + rnd32() % 200) << 23);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

int main(void)
{
    static float w[16 * 192], x[24 * 192], z[24 * 16];
    unsigned Ds[] = {16, 32, 48, 64, 80, 128, 192};
    for (unsigned K = 1; K <= 16; K++) {
        for (unsigned di = 0; di < sizeof Ds / sizeof Ds[0]; di++) {
            unsigned D = Ds[di], B = 24, nb = D / 16;
            int specials = (K + di) % 3 == 0;
            for (unsigned i = 0; i < K * D; i++)
                w[i] = rndf(specials);
            for (unsigned i = 0; i < B * D; i++)
                x[i] = rndf(specials);
            uint64_t cyc, stall;
            int rc = lp_vsgd_dot(w, K, x, B, D, z, &cyc, &stall);
            unsigned bad = 0, first = 0, nanpay = 0;
            for (unsigned r = 0; r < B; r++)
                for (unsigned c = 0; c < K; c++) {
                    float ref = lp_dot_f32(w + c * D, x + r * D, nb);
                    uint32_t a, b;
                    memcpy(&a, &ref, 4);
                    memcpy(&b, &z[r * K + c], 4);
                    if (a != b && both_nan(a, b)) {
                        nanpay++;
                    } else if (a != b && bad++ == 0) {
                        first = r * K + c;
                        printf("  row %u class %u: C %08x RTL %08x\n", r, c, a, b);
                    }
                }
            char name[128];
            snprintf(name, sizeof name, "dot K=%u D=%u%s: %u cycles for %u beats, %llu stalls%s", K, D,
                     specials ? " (NaN/Inf)" : "", (unsigned)cyc, B * nb, (unsigned long long)stall,
                     nanpay ? " (NaN payloads differ: see the header)" : "");
            LP_CASE(name, rc == 0 && bad == 0, "K=%u D=%u rc=%d: %u of %u dot products differ (first #%u)", K, D, rc,
                    bad, B * K, first);
            /* rows of nb >= MulLatency + AddLatency + 3 + K beats never stall: the previous row's
             * K dot products have left the serialiser before this row's last beat (the one
             * stall is the first cycle after reset, in_ready_o being a register) */
            if (nb >= 10 + K)
                LP_CHECK(stall <= 1, "K=%u D=%u: %llu stalls on long rows", K, D, (unsigned long long)stall);
        }
    }
    return lp_test_summary();
}
