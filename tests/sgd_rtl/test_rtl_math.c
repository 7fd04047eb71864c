/*
 * test_rtl_math.c - the RTL exp and sigmoid pipelines (rtl/sgd/lp_sgd_exp.sv,
 * lp_sgd_sigmoid.sv) against the C sequences lp_exp_f32 / lp_sigmoid_f32
 * (hls/sgd/lp_sgd_math.c), bit for bit: the boundaries of the sequence (-87, 88, the
 * clamp, where 2^n and the result turn subnormal), signed zeros, subnormals, +-Inf, NaNs,
 * 2^20 seeded values in [-100, 100] and 2^20 random bit patterns. Both NaN with different
 * payloads would be counted apart (see test_rtl_dot.c); none are expected here.
 */
#include <stdlib.h>
#include <string.h>

#include "format/lp_bits.h"
#include "lp_test.h"
#include "sgd/lp_sgd_math.h"
#include "sgd/lp_vsgd_math.h"

int main(void)
{
    enum { NRAND = 1u << 20 };
    static const float edges[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, -87.0f, -86.99999f, -87.00001f, 88.0f,
                                  88.00001f, 87.99999f, 88.7f, 89.0f, -100.0f, 100.0f, 1e-30f, -1e-30f, 1e-45f,
                                  -1e-45f, 0.6931472f, -0.6931472f, 20.0f, -20.0f, -80.0f, -86.5f, 1e30f, -1e30f,
                                  16777216.0f, -16777216.0f};
    size_t n = 0, cap = sizeof edges / sizeof edges[0] + 8 + 2 * (size_t)NRAND;
    uint32_t *x = malloc(cap * 4), *ye = malloc(cap * 4), *ys = malloc(cap * 4);
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        x[n++] = lp_f32_bits(edges[i]);
    static const uint32_t specials[] = {0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00000u,
                                        0x7FA12345u, 0xFF812345u, 0x00000001u, 0x807FFFFFu};
    for (size_t i = 0; i < 8; i++)
        x[n++] = specials[i];
    uint64_t s = 0x243F6A8885A308D3ull;
    for (size_t i = 0; i < NRAND; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x[n++] = lp_f32_bits(-100.0f + 200.0f * (float)(s >> 40) / 16777216.0f);
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x[n++] = (uint32_t)(s >> 32);
    }
    int rc = lp_vsgd_exp(x, ye, n) | lp_vsgd_sigmoid(x, ys, n);
    LP_CHECK(rc == 0, "the Verilated models failed");
    size_t bad_e = 0, bad_s = 0, nan_e = 0, nan_s = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t ce = lp_f32_bits(lp_exp_f32(lp_bits_f32(x[i]))), cs = lp_f32_bits(lp_sigmoid_f32(lp_bits_f32(x[i])));
        int ne = (ce & 0x7FFFFFFFu) > 0x7F800000u && (ye[i] & 0x7FFFFFFFu) > 0x7F800000u;
        int ns = (cs & 0x7FFFFFFFu) > 0x7F800000u && (ys[i] & 0x7FFFFFFFu) > 0x7F800000u;
        if (ce != ye[i]) {
            if (ne)
                nan_e++;
            else if (bad_e++ < 5)
                printf("  exp(%08x): C %08x RTL %08x\n", x[i], ce, ye[i]);
        }
        if (cs != ys[i]) {
            if (ns)
                nan_s++;
            else if (bad_s++ < 5)
                printf("  sigmoid(%08x): C %08x RTL %08x\n", x[i], cs, ys[i]);
        }
    }
    char name[96];
    snprintf(name, sizeof name, "exp: %zu inputs bit-identical (%zu NaN-payload-only differences)", n, nan_e);
    LP_CASE(name, bad_e == 0, "exp: %zu of %zu differ", bad_e, n);
    snprintf(name, sizeof name, "sigmoid: %zu inputs bit-identical (%zu NaN-payload-only differences)", n, nan_s);
    LP_CASE(name, bad_s == 0, "sigmoid: %zu of %zu differ", bad_s, n);
    free(x);
    free(ye);
    free(ys);
    return lp_test_summary();
}
