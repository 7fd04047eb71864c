/*
 * test_fpu.c - sampled check of every Verilated FP unit build against the C operators:
 * all boundary pairs (plain and with stalls) and 1000000 seeded random pairs per generator
 * for each unit's default latency, 100000 for the other latencies and the stalled runs (tests/fpu/fpu_check.h).
 */
#include "fpu_runner.h"

int main(void)
{
    return fc_run_all(1000000, 100000, 0, 20261123u);
}
