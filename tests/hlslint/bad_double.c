/* hlslint test: planted doubles (declarations, unsuffixed literals, promotions, casts);
 * nothing else. Each planted line carries "PLANT: rule" (test_hlslint.sh reads them; a
 * rule twice: two violations on the line). */
typedef double real_t;                           /* PLANT: double */

static long double g_ld;                         /* PLANT: double */

struct acc {
    double sum;                                  /* PLANT: double */
    float n;
};

static double half(float x)                      /* PLANT: double */
{
    return x / 2.0f;                             /* PLANT: double */
}

float top(float x, const float *in)
{
    float a = x * 0.5;                           /* PLANT: double double */
    float b = 0.25;                              /* PLANT: double */
    float c = (float)(double)in[0];              /* PLANT: double */
    float d = 1e-3f * x + 2.0f;
    float e = (float)half(x);                    /* PLANT: double */
    float f = x < 1e-3 ? 1.0f : 0.0f;            /* PLANT: double double */
    int g = 3 / 2;
    float h = (float)g + 1;
    return a + b + c + d + e + f + h + (float)g_ld;
}
