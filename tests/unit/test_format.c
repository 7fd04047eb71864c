/*
 * test_format.c - preset parameters against the published specifications.
 * The expected figures are typed in from IEEE 754, OCP OFP8 and OCP MX v1.0 tables, not
 * computed: max finite, min normal, min subnormal, encodings of max/Inf/NaN.
 */
#include <string.h>

#include "format/lp_format.h"
#include "lp_test.h"

static float u2f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

int main(void)
{
    static const struct {
        const char *name;
        float max, min_normal;
        int code_bits, has_inf, has_nan;
        unsigned max_code;
    } want[] = {
        {"fp32", 3.40282346638528859812e+38f, 1.17549435e-38f, 32, 1, 1, 0x7F7FFFFFu},
        {"bf16", 3.38953139e+38f, 1.17549435e-38f, 16, 1, 1, 0x7F7Fu},
        {"fp16", 65504.0f, 6.103515625e-05f, 16, 1, 1, 0x7BFFu},
        {"fp8_e5m2", 57344.0f, 6.103515625e-05f, 8, 1, 1, 0x7Bu},
        {"fp8_e4m3", 448.0f, 0.015625f, 8, 0, 1, 0x7Eu},
        {"fp6_e3m2", 28.0f, 0.25f, 6, 0, 0, 0x1Fu},
        {"fp6_e2m3", 7.5f, 1.0f, 6, 0, 0, 0x1Fu},
        {"fp4_e2m1", 6.0f, 1.0f, 4, 0, 0, 0x7u},
    };
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
        lp_format_t f;
        lp_fmt_params_t p;
        char err[256];
        const char *why;
        int ok = lp_format_parse(want[i].name, &f, err, sizeof err) == 0 && lp_format_derive(&f, &p, &why) == 0;
        LP_CHECK(ok, "%s does not parse", want[i].name);
        if (!ok)
            continue;
        float mn = p.emin >= -126 ? u2f((uint32_t)(p.emin + 127) << 23) : 0.0f;
        LP_CASE(want[i].name,
                u2f(p.max_bits) == want[i].max && mn == want[i].min_normal && p.code_bits == want[i].code_bits &&
                    p.has_inf == want[i].has_inf && p.has_nan == want[i].has_nan && p.max_code == want[i].max_code,
                "%s: max %g min normal %g bits %d inf %d nan %d max code %x", want[i].name, u2f(p.max_bits), mn,
                p.code_bits, p.has_inf, p.has_nan, p.max_code);
        char name[32];
        lp_format_name(&f, name, sizeof name);
        LP_CHECK(strcmp(name, want[i].name) == 0, "name round trip %s -> %s", want[i].name, name);
    }
    /* rejected formats say why */
    static const char *bad[] = {"fp7", "e0m3", "e9m2", "e4m24", "e1m0", "fixed1.0", "fixed25.3", "fixed8.150",
                                "e4m", "fixed8", "", "E4M3", "e4m3x", "e99999999999m1"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lp_format_t f;
        char err[256] = "";
        LP_CHECK(lp_format_parse(bad[i], &f, err, sizeof err) != 0 && err[0], "'%s' accepted", bad[i]);
    }
    static const char *good[] = {"e4m3", "e1m1", "e8m0", "e2m0", "fixed8.4", "fixed24.0", "fixed2.149"};
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++) {
        lp_format_t f;
        char err[256] = "";
        LP_CHECK(lp_format_parse(good[i], &f, err, sizeof err) == 0, "'%s' rejected: %s", good[i], err);
    }
    return lp_test_summary();
}
