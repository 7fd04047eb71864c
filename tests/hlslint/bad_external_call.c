/* hlslint test: planted calls of functions without a definition in the checked sources
 * (libc, libm, an undefined prototype); builtins are allowed; nothing else. Each planted
 * line carries "PLANT: rule" (test_hlslint.sh reads them). */
#include <math.h>
#include <stdio.h>
#include <string.h>

int elsewhere(int x);

static float local(float x)
{
    return x + 1.0f;
}

float top(float *out, const float *in)
{
    memcpy(out, in, 4 * sizeof(float));           /* PLANT: external-call */
    out[0] = sqrtf(in[0]);                        /* PLANT: external-call */
    out[1] = expf(in[1]);                         /* PLANT: external-call */
    printf("%d\n", elsewhere(2));                 /* PLANT: external-call external-call */
    out[2] = local(in[2]);
    return __builtin_fabsf(in[3]);
}
