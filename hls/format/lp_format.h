/*
 * lp_format.h - number formats as data (docs/design.md contract 2).
 *
 * A format is a handful of parameters, never a code path: the quantizer, the RTL and the
 * oracle all read the same lp_format_t. Presets follow IEEE 754 (fp32, fp16, bf16 by
 * convention), OCP 8-bit Floating Point (OFP8, fp8_e5m2 / fp8_e4m3) and OCP Microscaling
 * v1.0 (fp6_e3m2, fp6_e2m3, fp4_e2m1). Any "eXmY" is an IEEE-style format with
 * bias 2^(X-1)-1; "fixedW.F" is W-bit two's complement with F fraction bits.
 *
 * C99, HLS-synthesizable subset for everything the kernels call (lp_format_derive and the
 * lp_fmt_* helpers); lp_format_parse / lp_format_name are host-side conveniences.
 */
#ifndef LP_FORMAT_H
#define LP_FORMAT_H

#include "../lp_kernel.h"

/* Kind of number. */
enum { LP_KIND_FLOAT = 0, LP_KIND_FIXED = 1 };

/* Special-value policy of a floating-point format. */
enum {
    LP_SPECIALS_IEEE = 0, /* all-ones exponent reserved: Inf (mantissa 0), NaN (mantissa != 0) */
    LP_SPECIALS_FN = 1,   /* OCP E4M3 "finite, NaN": no Inf; only S.1111.111 is NaN          */
    LP_SPECIALS_NONE = 2  /* OCP MX FP6/FP4: every code is a finite number; no Inf, no NaN    */
};

/* Rounding of values between two representable neighbours. */
enum {
    LP_ROUND_RNE = 0, /* to nearest, ties to even (default)                                */
    LP_ROUND_RTZ = 1, /* toward zero (truncate)                                            */
    LP_ROUND_SR = 2   /* stochastic: up with probability frac, 32 random bits (lp_quant.h) */
};

/* What happens to magnitudes above the largest finite value. */
enum {
    LP_OVF_SAT = 0, /* clamp to +-max finite (default, like hardware satfinite)             */
    LP_OVF_INF = 1  /* IEEE: +-Inf; OCP E4M3: NaN; formats without Inf/NaN: clamp anyway   */
};

/* Scaling applied before quantization (statistics always use the unscaled gradient). */
enum {
    LP_SCALE_NONE = 0,   /* the paper's setting: no loss or gradient scaling               */
    LP_SCALE_TENSOR = 1, /* one power of two per tensor: largest 2^k with amax*2^k <= max  */
    LP_SCALE_BLOCK32 = 2 /* OCP MX: 32-element blocks share an E8M0 scale                  */
};

#define LP_MX_BLOCK 32

typedef struct {
    uint8_t kind;     /* LP_KIND_FLOAT or LP_KIND_FIXED                          */
    uint8_t exp_bits; /* E, 1..8 (float)                                         */
    uint8_t man_bits; /* M, 0..23 (float)                                        */
    uint8_t specials; /* LP_SPECIALS_* (float)                                   */
    int16_t bias;     /* exponent bias (float)                                   */
    uint8_t width;    /* W, 2..24 (fixed)                                        */
    uint8_t frac;     /* F, 0..149 (fixed)                                       */
} lp_format_t;

/*
 * Everything the quantizer needs, derived once from a format. The RTL takes exactly these
 * fields as configuration registers, so they are the hardware/software interface too.
 *
 * The grid: a magnitude with unbiased FP32 exponent eu is rounded to a multiple of
 * 2^(max(eu, emin) - man) ("the quantum"). A fixed-point format is the special case whose
 * values all lie below 2^emin: emin = W-1-F, man = W-1, so the quantum is always 2^-F.
 */
typedef struct {
    uint8_t kind;       /* LP_KIND_*                                                     */
    uint8_t specials;   /* LP_SPECIALS_* (float); LP_SPECIALS_NONE for fixed             */
    uint8_t man;        /* mantissa bits below the leading one (fixed: W-1)              */
    uint8_t code_bits;  /* width of one encoded element: 1+E+M or W                      */
    int16_t emin;       /* unbiased exponent of the smallest normal (fixed: W-1-F)       */
    int16_t emax;       /* unbiased exponent of the largest finite value                 */
    int16_t bias;       /* float: exponent bias; fixed: F                                */
    uint8_t has_inf;    /* the format encodes +-Inf                                      */
    uint8_t has_nan;    /* the format encodes NaN                                        */
    uint32_t max_kq;    /* largest finite magnitude = max_kq * 2^(emax-man) (float) ...  */
    uint32_t max_bits;  /* ... and as FP32 bits (positive)                               */
    uint32_t neg_bits;  /* largest negative magnitude as FP32 bits (fixed: 2^(W-1-F))    */
    uint32_t max_code;  /* code of +max finite                                           */
    uint32_t inf_code;  /* code of +Inf (has_inf)                                        */
    uint32_t nan_code;  /* code of the canonical NaN, sign bit clear (has_nan)           */
} lp_fmt_params_t;

/* Preset identifiers, in the order `lpsgd formats` lists them. */
enum {
    LP_FMT_FP32 = 0,
    LP_FMT_BF16,
    LP_FMT_FP16,
    LP_FMT_FP8_E5M2,
    LP_FMT_FP8_E4M3,
    LP_FMT_FP6_E3M2,
    LP_FMT_FP6_E2M3,
    LP_FMT_FP4_E2M1,
    LP_FMT_NPRESETS
};

/* Preset formats (LP_FMT_* index) and their names. */
lp_format_t lp_format_preset(int id);
const char *lp_format_preset_name(int id);

/* IEEE-style eXmY with bias 2^(X-1)-1, and fixed-point W.F (no range checks here). */
lp_format_t lp_format_exmy(int e, int m);
lp_format_t lp_format_fixed(int w, int f);

/*
 * Validate a format and derive its parameters. Returns 0 on success, or a negative value
 * with a short reason in *why (a static string) when the format cannot be used.
 */
int lp_format_derive(const lp_format_t *fmt, lp_fmt_params_t *p, lp_why_t *why);

/*
 * Host side: parse "fp8_e4m3", "e3m4", "fixed16.8" (case-sensitive). Returns 0 on success;
 * on failure a negative value and a message in errbuf explaining what is accepted.
 */
int lp_format_parse(const char *text, lp_format_t *fmt, char *errbuf, unsigned errlen);

/* Host side: canonical name of a format into buf ("fp8_e4m3", "e3m4", "fixed16.8"). */
void lp_format_name(const lp_format_t *fmt, char *buf, unsigned len);

/* FP32 bits of kq * 2^qe (kq < 2^25, nonzero); 0x7F800000 when it exceeds the FP32 range.
 * The caller guarantees qe >= -149 (every format's grid is FP32-representable). */
uint32_t lp_f32_pack(uint32_t kq, int32_t qe);

/* Index of the leading one of a nonzero 32-bit value (31 - count leading zeros). */
int lp_msb32(uint32_t v);

#endif
