/*
 * test_fpu_exhaustive.c - the long run (make test-exhaustive): every FP unit's default
 * build against its C operation on
 *   - 9 x 12 million = 108 million seeded random operand pairs (the generators of
 *     tests/fpu/fpu_check.h) plus all boundary pairs, i.e. > 10^8 per operation, and
 *   - for the two-operand units, all 10240^2 = 1.05 x 10^8 pairs of the TestFloat-style
 *     structured set (every sign and exponent x 20 significand patterns);
 * the other latencies get 200000 per generator. Prints the time per unit.
 */
#include "fpu_runner.h"

int main(void)
{
    return fc_run_all(12000000, 200000, 1, 0xE5A1u);
}
