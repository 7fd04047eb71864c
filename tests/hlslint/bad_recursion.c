/* hlslint test: planted recursion (self-recursion, a two-function cycle); nothing else.
 * Each planted violation's line carries "PLANT: rule" (test_hlslint.sh reads them). */
#include <stdint.h>

static uint32_t ping(uint32_t n);

static uint32_t fact(uint32_t n)
{
    return n == 0 ? 1u : n * fact(n - 1u); /* PLANT: recursion */
}

static uint32_t pong(uint32_t n)
{
    return n == 0 ? 0u : ping(n - 1u); /* PLANT: recursion */
}

static uint32_t ping(uint32_t n)
{
    return n == 0 ? 1u : pong(n - 1u); /* PLANT: recursion */
}

/* calls into the cycles but is on none */
uint32_t top(uint32_t n)
{
    return fact(n) + ping(n);
}
