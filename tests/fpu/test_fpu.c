/*
 * test_fpu.c - sampled check of every Verilated FP unit build against the C operators:
 * all boundary pairs (plain and with stalls) and 500000 seeded random pairs per generator
 * (9 generators, tests/fpu/fpu_check.h) for each unit's default latency, 50000 for the
 * other latencies and for the stalled runs.
 */
#include "fpu_runner.h"

int main(void)
{
    return fc_run_all(500000, 50000, 0, 20261123u);
}
