/*
 * lp_vscale.h - C ABI of the Verilated scale units of rtl/quant: the scale exponent
 * (lp_scale_k.sv, lp_scale_k() of hls/quant/lp_quant.c) and the running amax over a beat
 * stream (lp_amax.sv, lp_amax_bits()). The unit tests (tests/rtl/test_rtl_scale.c)
 * compare them with the C functions through these calls. Both return 0.
 */
#ifndef LP_VSCALE_H
#define LP_VSCALE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" { /* the C model's headers have no guards of their own */
#endif

#include "format/lp_format.h"

/* k[i] = the RTL's scale exponent of amax[i] (31-bit magnitude bits) for format p and
 * mode (LP_SCALE_*, 0..3), i < n. */
int lp_vscale_k(const lp_fmt_params_t *p, int mode, const uint32_t *amax, int32_t *k, size_t n);

/*
 * Runs of FP32 elements (bits) through lp_amax, 16 lanes per beat: run r holds len[r]
 * elements (0 allowed), taken from x in order; its last beat is partial when len[r] is
 * not a multiple of 16 (keep marks the lanes, the others carry garbage). Random idle
 * cycles between beats and the place of clear_i (with the run's first beat, or alone in
 * an idle cycle before it) come from seed. amax[r] = the unit's amax_o after run r.
 * *bad_valid counts cycles where valid_o did not follow valid_i by two cycles.
 */
int lp_vamax_runs(const uint32_t *x, const uint32_t *len, size_t nruns, uint64_t seed, uint32_t *amax,
                  size_t *bad_valid);

#ifdef __cplusplus
}
#endif

#endif
