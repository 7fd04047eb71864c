/*
 * test_fpu_exhaustive.c - the long run (make test-exhaustive): every FP unit's default
 * build against the C operator on 2^27 = 134 million seeded random pairs (7 generators of
 * 19.2 million, tests/fpu/fpu_check.h) plus all boundary pairs, i.e. > 10^8 per operation;
 * the other latencies get 10^6 per generator. Prints the time per unit.
 */
#include "fpu_runner.h"

int main(void)
{
    return fc_run_all(19200000, 1000000, 0, 0xE5A1u);
}
