/* hlslint test: planted loops without a constant trip bound or a LOOP_TRIPCOUNT pragma of
 * their own, beside bounded ones; nothing else. Each planted line carries "PLANT: rule"
 * (test_hlslint.sh reads them). */
#define N 16
#define LP_PRAGMA(x) _Pragma(#x)
/* a loop written in a macro: hlslint cannot read its header from the source tokens */
#define LOOP4(body) for (int li = 0; li < 4; li++) { body; }
enum { M = 8 };

void top(float *out, const float *in, unsigned n)
{
    unsigned j = 0;
    for (unsigned i = 0; i < n; i++)             /* PLANT: unbounded-loop */
        out[i] = in[i];
    while (j < N) {                              /* PLANT: unbounded-loop */
        out[j] = 0.0f;
        j++;
    }
    do {                                         /* PLANT: unbounded-loop */
        j--;
    } while (j > 0);
    for (unsigned i = 0; i < n; i++) {           /* PLANT: unbounded-loop */
        for (unsigned k = 0; k < n; k++) {
            LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 8)
            out[k] = in[i];
        }
    }
    for (;;)                                     /* PLANT: unbounded-loop */
        break;
    LOOP4(out[li] = 0.0f)                        /* PLANT: unbounded-loop */
    /* bounded: a constant bound (a macro, an enum, sizeof, on either side), a pragma of
     * either form, a bounded && */
    float buf[4];
    unsigned i;
    for (i = 0; i < M; i += 2)
        out[i] = 0.0f;
    for (unsigned k = 0; N > k; ++k)
        out[k] = 0.0f;
    for (unsigned k = 0; k < sizeof buf / sizeof buf[0]; k++)
        buf[k] = out[k];
    for (unsigned i = 0; i < N; i++)
        out[i] = out[i] + 1.0f;
    for (unsigned i = N; i > 0; i--)
        out[i - 1] = out[i - 1] + 1.0f;
    for (unsigned i = 0; i < n; i++) {
#pragma HLS loop_tripcount max = 4
        out[i] = out[i] + 1.0f;
    }
    for (unsigned i = 0; i < n && i < 2 * N; i++)
        out[i] = 0.0f;
    while (j < n) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 4)
        j++;
    }
}
