/* hlslint test: planted loops without a constant trip bound or a LOOP_TRIPCOUNT pragma of
 * their own, beside bounded ones; nothing else. Each planted line carries "PLANT: rule"
 * (test_hlslint.sh reads them). */
#define N 16
#define LP_PRAGMA(x) _Pragma(#x)

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
    /* bounded: a constant bound, a pragma of either form, a bounded && */
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
