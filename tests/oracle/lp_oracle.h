/*
 * lp_oracle.h - the independent quantizer oracle (slow, obviously correct).
 *
 * Written from the specification (docs/design.md, the comments of lp_format.h / lp_quant.h) and
 * from the raw fields of lp_format_t only: kind, E, M, bias, specials, W, F. It calls
 * nothing in hls/ (tests/quant/oracle_independent.sh checks the object file's undefined
 * symbols); it uses the hls headers only for the types and constants (lp_format_t,
 * lp_qcfg_t, LP_* enums, LP_QF_* flag bits) so results compare field for field.
 *
 * How it rounds: it lists every finite code of the format with its value as an exact
 * double, sorts the list by value (checking the values are distinct) and rounds a
 * magnitude by binary search and exact comparisons: against the midpoint of the two
 * neighbours for round-to-nearest (ties to the neighbour that is an even multiple of the
 * gap between them, which is the one whose code ends in 0), toward the lower neighbour for
 * rtz, and with exact 32-bit fraction bits for sr. Doubles hold every FP32 value, every
 * grid value (times any scale used) and every midpoint exactly.
 *
 * Formats with more than 2^20 finite codes (fp32, e8m13.., fixed W > 21) are not listed:
 * their "table" is the code sequence itself (value(code) for codes 0, 1, 2, ...), which is
 * sorted for IEEE-style and two's complement encodings; lp_orc_init checks this ordering on
 * every listed (small) format, where the sort is real.
 */
#ifndef LP_ORACLE_H
#define LP_ORACLE_H

#include <stdint.h>

#include "format/lp_format.h"
#include "quant/lp_quant.h"

/* One sign's table of finite magnitudes, ascending: 0, the smallest nonzero, ..., extreme. */
typedef struct {
    uint32_t n;      /* entries                                                          */
    double *val;     /* val[i] (NULL: computed from the code, see above)                 */
    uint32_t *code;  /* the code of the signed value +-val[i] (NULL: computed)            */
    double extreme;  /* val[n-1]: the largest finite magnitude of this sign              */
    double beyond;   /* the next grid point past it (unbounded exponent range)           */
} lp_orc_side_t;

typedef struct {
    lp_format_t fmt;
    int fixed;          /* two's complement fixed point                                  */
    int code_bits;      /* 1+E+M or W                                                    */
    int has_inf, has_nan;
    uint32_t inf_code;  /* magnitude code of Inf (has_inf)                               */
    uint32_t nan_code;  /* magnitude code of the canonical NaN (has_nan)                 */
    double min_normal;  /* float: 2^(1-bias); fixed: 0 (no subnormals)                  */
    int emax;           /* floor(log2(largest positive finite value))                     */
    int qmin;           /* exponent of the finest grid step: 1-bias-M, or -F (fixed)     */
    lp_orc_side_t side[2]; /* [0] positive, [1] negative magnitudes (differ for fixed) */
} lp_orc_t;

/* Result of one element: the same fields as lp_q_t. */
typedef struct {
    uint32_t value, code, flags;
} lp_orc_q_t;

/* Build the tables; returns 0, or -1 with *why when the format has no finite nonzero value
 * or the (independent) sanity checks fail. lp_orc_free releases them. */
int lp_orc_init(lp_orc_t *o, const lp_format_t *fmt, const char **why);
void lp_orc_free(lp_orc_t *o);

/* Value of a code (code_bits wide) as a double: finite values exactly; +-INFINITY; NAN. */
double lp_orc_decode(const lp_orc_t *o, uint32_t code);

/* The SR hash, written from the text of lp_quant.h. */
uint32_t lp_orc_sr_hash(uint32_t seed, uint32_t step, uint32_t index);

/* Quantize the FP32 value with bits x under scale exponent k (the element is quantized as
 * x*2^k and the result multiplied by 2^-k) with options from cfg (rounding, overflow,
 * subnormals) and random bits rnd (sr only). */
lp_orc_q_t lp_orc_quant(const lp_orc_t *o, uint32_t x, int32_t k, const lp_qcfg_t *cfg, uint32_t rnd);

/* Scale exponent of a tensor (LP_SCALE_TENSOR) or one MX block (LP_SCALE_BLOCK32) of n
 * FP32 values (bits); 0 for LP_SCALE_NONE. */
int32_t lp_orc_scale_k(const lp_orc_t *o, const uint32_t *x, uint32_t n, int mode);

/* A whole vector as lp_quantize_vec defines it: scales per tensor/block (k[] gets one per
 * tensor or per block, as lp_quantize_vec's scale_k), sr bits from (cfg->seed, step, i). */
void lp_orc_quant_vec(const lp_orc_t *o, const lp_qcfg_t *cfg, const uint32_t *x, uint32_t n, uint32_t step,
                      lp_orc_q_t *out, int32_t *k);

#endif
