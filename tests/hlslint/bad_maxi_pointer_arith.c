/* hlslint test (run with --top top): planted arithmetic on m_axi port pointers, in the top
 * function and in callees a port is passed to; nothing else. Each planted line carries
 * "PLANT: rule" (test_hlslint.sh reads them). */
#include <stdint.h>

static void deeper(float *r)
{
    r++;                                          /* PLANT: maxi-pointer-arith */
}

static void helper(float *q, unsigned n)
{
    q[n] = 1.0f;
    float *r = q + n;                             /* PLANT: maxi-pointer-arith */
    r[0] = 2.0f;
    deeper(q);
}

/* never given a port: its arithmetic is on a local buffer */
static void local_only(float *q)
{
    q = q + 1;
    q[0] = 0.0f;
}

void top(float *p, const float *in, unsigned n, float *out)
{
    float buf[4];
    out[0] = in[n];
    float *a = p + 1;                             /* PLANT: maxi-pointer-arith */
    float *b = 2 + p;                             /* PLANT: maxi-pointer-arith */
    float *c = p - 1;                             /* PLANT: maxi-pointer-arith */
    p++;                                          /* PLANT: maxi-pointer-arith */
    --p;                                          /* PLANT: maxi-pointer-arith */
    p += n;                                       /* PLANT: maxi-pointer-arith */
    p -= n;                                       /* PLANT: maxi-pointer-arith */
    float *d = &p[3];                             /* PLANT: maxi-pointer-arith */
    uintptr_t u = (uintptr_t)p;                   /* PLANT: maxi-pointer-arith */
    char *bytes = (char *)p + 4;                  /* PLANT: maxi-pointer-arith */
    bytes[0] = 0;
    p[n]++;
    if (p != out && *p > 0.0f)
        p[0] = -p[1];
    p[u & 3u] = a[0] + b[0] + c[0] + d[0];
    helper(p, n);
    local_only(buf);
    float *e = buf + 1;
    e[0] = buf[0];
}
