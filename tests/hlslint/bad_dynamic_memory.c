/* hlslint test: planted dynamic memory (heap calls, alloca, a variable-length array);
 * nothing else. Each planted line carries "PLANT: rule" (test_hlslint.sh reads them). */
#include <stdlib.h>

void top(float *out, unsigned n)
{
    float *buf = malloc(n * sizeof *buf);         /* PLANT: dynamic-memory */
    float *z = calloc(4, sizeof *z);              /* PLANT: dynamic-memory */
    buf = realloc(buf, 8 * sizeof *buf);          /* PLANT: dynamic-memory */
    float *al = aligned_alloc(64, 64);            /* PLANT: dynamic-memory */
    float *s = __builtin_alloca(16);              /* PLANT: dynamic-memory */
    float vla[n];                                 /* PLANT: dynamic-memory */
    float fixed[4];
    vla[0] = buf[0] + z[0] + s[0] + al[0];
    fixed[0] = vla[0];
    out[0] = fixed[0];
    free(buf);                                    /* PLANT: dynamic-memory */
}
