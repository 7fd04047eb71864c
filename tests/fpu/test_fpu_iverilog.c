/*
 * test_fpu_iverilog.c - the FP adder (and multiplier, subtractor, divider) under Icarus
 * Verilog, the second simulator: 500 pairs of each generator of tests/fpu/fpu_check.h and
 * all boundary pairs go through tests/fpu/tb_lp_fpu.sv (en_i dropped on a quarter of the
 * cycles) and the results are compared bit for bit with the C operations. The adder
 * gets all of them; the others the first 8000 (Icarus is slow; Verilator is thorough).
 * Skips (LP_SKIP, with the reason) when iverilog/vvp are not installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fpu_check.h"
#include "lp_test.h"

#ifndef LP_SRCDIR
#define LP_SRCDIR "."
#endif

enum { PER_GEN = 500, MAXV = 65536, NSMALL = 8000 };

static uint32_t va[MAXV], vb[MAXV];

/* default latencies: the module defaults (rtl/fpu headers) */
static const struct {
    const char *unit;
    int latency;
} iv_units[] = {{"lp_fp32_add", 3}, {"lp_fp32_sub", 3}, {"lp_fp32_mul", 4}, {"lp_fp32_div", 28}};

static int run(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0) printf("command failed (%d): %s\n", rc, cmd);
    return rc;
}

int main(void)
{
    if (system("command -v iverilog >/dev/null 2>&1 && command -v vvp >/dev/null 2>&1") != 0) {
        LP_SKIP("Icarus run of the FP units: iverilog/vvp not installed (scripts/deps.sh test installs iverilog)");
        return lp_test_summary();
    }
    char dir[] = "/tmp/lp_fpu_iv_XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL cannot create a temporary directory\n");
        return 1;
    }
    size_t n = 0;
    uint64_t seed = 0x1CA2u;
    for (int g = 0; g < FC_NGEN; g++, n += PER_GEN)
        fc_gen(g, &seed, va + n, vb + n, PER_GEN);
    for (unsigned i = 0; i < FC_NBOUND; i++)
        for (unsigned j = 0; j < FC_NBOUND; j++, n++) {
            va[n] = fc_boundary(i);
            vb[n] = fc_boundary(j);
        }

    char path[512], cmd[2048];
    snprintf(path, sizeof path, "%s/vec.hex", dir);
    FILE *f = fopen(path, "w");
    for (size_t i = 0; f && i < n; i++)
        fprintf(f, "%08X%08X\n", va[i], vb[i]);
    if (!f || fclose(f) != 0) {
        printf("FAIL cannot write %s\n", path);
        return 1;
    }

    const size_t n_all = n;
    for (size_t u = 0; u < sizeof iv_units / sizeof iv_units[0]; u++) {
        const char *unit = iv_units[u].unit;
        n = u == 0 ? n_all : NSMALL;
        fc_ref_fn ref = NULL;
        for (size_t i = 0; i < FC_NUNITS; i++)
            if (strcmp(fc_units[i].unit, unit) == 0) ref = fc_units[i].ref;
        snprintf(cmd, sizeof cmd,
                 "iverilog -g2012 -Y .sv -DLP_UNIT=%s -y %s/rtl/fpu -o %s/%s.vvp "
                 "%s/tests/fpu/tb_lp_fpu.sv 2>&1 | grep -v 'sorry: constant selects' ; "
                 "test -f %s/%s.vvp",
                 unit, LP_SRCDIR, dir, unit, LP_SRCDIR, dir, unit);
        if (run(cmd) != 0) {
            LP_CHECK(0, "%s: iverilog failed", unit);
            continue;
        }
        snprintf(cmd, sizeof cmd, "vvp -n %s/%s.vvp +vec=%s/vec.hex +out=%s/%s.out +n=%zu +lat=%d >/dev/null",
                 dir, unit, dir, dir, unit, n, iv_units[u].latency);
        if (run(cmd) != 0) {
            LP_CHECK(0, "%s: vvp failed", unit);
            continue;
        }
        snprintf(path, sizeof path, "%s/%s.out", dir, unit);
        f = fopen(path, "r");
        size_t bad = 0, got = 0;
        int holds = -1;
        char line[64];
        while (f && fgets(line, sizeof line, f)) {
            unsigned y;
            if (sscanf(line, "holds %d", &holds) == 1) break;
            if (sscanf(line, "%x", &y) != 1 || got >= n) break;
            uint32_t want = ref(va[got], vb[got]);
            if (y != want && bad++ < 5)
                printf("FAIL %s: a=0x%08X b=0x%08X icarus=0x%08X c=0x%08X\n", unit, va[got], vb[got], y, want);
            got++;
        }
        if (f) fclose(f);
        char name[128];
        snprintf(name, sizeof name, "icarus %s L%d: %zu vectors, stalls held", unit, iv_units[u].latency, got);
        LP_CASE(name, got == n && bad == 0 && holds == 0, "%s: %zu of %zu results, %zu mismatches, holds %d",
                unit, got, n, bad, holds);
        remove(path);
        snprintf(path, sizeof path, "%s/%s.vvp", dir, unit);
        remove(path);
    }
    snprintf(path, sizeof path, "%s/vec.hex", dir);
    remove(path);
    rmdir(dir);
    return lp_test_summary();
}
