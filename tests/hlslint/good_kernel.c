/* hlslint test (run with --top gk_top --root tests/hlslint -- -DLP_HLS): a clean kernel:
 * constant-bound loops, LP_PRAGMA(HLS LOOP_TRIPCOUNT ...) loops, ports only indexed (also
 * in a callee), float literals with the f suffix, calls between defined functions,
 * builtins. hlslint must print nothing and exit 0. */
#include "good_kernel.h"

static float gk_scale(float x, float s)
{
    return x * s + 0.5f;
}

static void gk_store(float *dst, const float *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 4096)
        LP_PRAGMA(HLS PIPELINE II = 1)
        dst[i] = src[i];
    }
}

void gk_top(const float *in, float *out, uint32_t n, float s)
{
    LP_PRAGMA(HLS INTERFACE m_axi port = in offset = slave bundle = gmem0)
    LP_PRAGMA(HLS INTERFACE m_axi port = out offset = slave bundle = gmem1)
    static float buf[GK_MAX_N];
    float lanes[GK_LANES];
    for (int l = 0; l < GK_LANES; l++)
        lanes[l] = 0.0f;
    for (uint32_t i = 0; i < n; i++) {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 4096)
        float v = gk_scale(in[i], s);
        buf[i] = __builtin_fabsf(v) < 1e-30f ? 0.0f : v;
        lanes[i % GK_LANES] = lanes[i % GK_LANES] + buf[i];
    }
    buf[0] = gk_sum_lanes(lanes);
    gk_store(out, buf, n);
    uint32_t k = 0;
    do {
        LP_PRAGMA(HLS LOOP_TRIPCOUNT max = 8)
        out[k] = out[k] * 2.0f;
        k++;
    } while (k < 8u && k < n);
}
