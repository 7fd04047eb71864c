/*
 * args.h - option parsing shared by every lpsgd subcommand.
 *
 * Conventions (the same for every command):
 *   --name VALUE and --name=VALUE are the same; "--" ends the options (so file names may
 *   start with '-'); -h/--help prints the command's help on stdout and exits 0.
 *   Every problem prints ONE line on stderr, "lpsgd CMD: <what is wrong> (<what to do>)",
 *   and the command returns 2: unknown option, missing value, unknown choice, a number
 *   that does not parse or is out of range.
 *
 * A command's loop looks like this:
 *
 *     lp_args_t a;
 *     lp_qopts_t q;
 *     lp_args_begin(&a, "quantize", argc, argv);
 *     lp_qopts_init(&q);
 *     while (lp_args_next(&a)) {
 *         const char *v;
 *         int r;
 *         if (lp_args_help(&a))                           { usage(); return 0; }
 *         if ((r = lp_args_qopt(&a, &q, LP_QOPT_ALL)))    { if (r < 0) return 2; continue; }
 *         if ((r = lp_args_opt(&a, "--codes", &v)))       { if (r < 0) return 2; codes = v; continue; }
 *         if (lp_args_flag(&a, "--json"))                 { json = 1; continue; }
 *         if (lp_args_is_option(&a))                      return lp_args_unknown(&a);
 *         positional[npos++] = lp_args_cur(&a);           (check the count afterwards)
 *     }
 *     if (!q.have_format) return lp_args_error(&a, "--format is required (...)");
 *
 * The quantizer options (lp_args_qopt) fill an lp_qcfg_t:
 *   --format F                  a preset, eXmY or fixedW.F (lp_format_parse)
 *   --rounding rne|rtz|sr       LP_ROUND_*
 *   --seed S                    stochastic-rounding seed, 0..2^32-1
 *   --step K                    step number fed to the stochastic-rounding hash, 0..2^32-1
 *   --overflow sat|inf          LP_OVF_*
 *   --subnormals on|off         keep or flush subnormal results
 *   --scale none|tensor|block32 LP_SCALE_*
 *   --backend NAME              a backend of host/backend/registry.c (checked by name)
 *   --device D, --xclbin F      xrt: the card and the xclbin (lp_backend_opts_t)
 *   --trace FILE.fst            verilator: an FST waveform of every simulated cycle
 * (the last three come with LP_QOPT_BACKEND; lp_qopts_finish refuses them for a backend
 * that does not take them). A command that does not take one of them leaves its bit out of the mask.
 */
#ifndef LP_ARGS_H
#define LP_ARGS_H

#include <stdint.h>

#include "backend/backend.h"
#include "quant/lp_quant.h"

typedef struct {
    const char *cmd; /* "quantize": messages start "lpsgd quantize: " */
    int argc;
    char **argv;
    int i;           /* the argument being looked at                   */
    int no_more;     /* after "--": everything is positional           */
    const char *eqv; /* value after '=' in --name=value, or NULL       */
} lp_args_t;

/* The quantizer options and what a command needs to run it. */
typedef struct {
    lp_qcfg_t cfg;       /* lp_qcfg_default of the --format (fp32 until one is given) */
    int have_format;     /* --format was given                                        */
    char fmt_name[32];   /* canonical name of the format (lp_format_name)             */
    const char *backend; /* --backend, default "csim"                                 */
    uint32_t step;       /* --step, default 0                                         */
    lp_backend_opts_t bopts; /* --device, --xclbin, --trace for the backend's open      */
} lp_qopts_t;

/* Which quantizer options a command takes (lp_args_qopt's mask). */
enum {
    LP_QOPT_FORMAT = 1 << 0,
    LP_QOPT_ROUNDING = 1 << 1,
    LP_QOPT_SEED = 1 << 2,
    LP_QOPT_STEP = 1 << 3,
    LP_QOPT_OVERFLOW = 1 << 4,
    LP_QOPT_SUBNORMALS = 1 << 5,
    LP_QOPT_SCALE = 1 << 6,
    LP_QOPT_BACKEND = 1 << 7,
    LP_QOPT_ALL = 0xFF
};

/* After the option loop: 0, or -1 with the message printed (2 for the command) when a
 * backend option does not apply to the chosen --backend. */
int lp_qopts_finish(lp_args_t *a, const lp_qopts_t *o);

void lp_args_begin(lp_args_t *a, const char *cmd, int argc, char **argv);

/* Advance to the next argument; 0 at the end. Handles "--". */
int lp_args_next(lp_args_t *a);

/* The current argument. */
const char *lp_args_cur(const lp_args_t *a);

/* Is the current argument -h or --help? */
int lp_args_help(const lp_args_t *a);

/* Is the current argument exactly the flag `name` (a flag takes no value)? */
int lp_args_flag(lp_args_t *a, const char *name);

/*
 * Is the current argument the option `name` (as "--name VALUE" or "--name=VALUE")?
 * 1: yes, *val is its value (consumed); 0: not this option; -1: it is, but the value is
 * missing (message printed).
 */
int lp_args_opt(lp_args_t *a, const char *name, const char **val);

/* Does the current argument look like an option (starts with '-', not "-" alone)? */
int lp_args_is_option(const lp_args_t *a);

/* Print "lpsgd CMD: unknown option 'X' (try 'lpsgd CMD --help')"; returns 2. */
int lp_args_unknown(const lp_args_t *a);

/* Print "lpsgd CMD: <message>"; returns 2. */
int lp_args_error(const lp_args_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Numbers with range checks: 0 ok; -1 with a message naming the option and the range. */
int lp_args_u32(const lp_args_t *a, const char *opt, const char *val, uint32_t lo, uint32_t hi, uint32_t *out);
int lp_args_double(const lp_args_t *a, const char *opt, const char *val, double lo, double hi, double *out);

/*
 * One of a fixed list of words: names is NULL-terminated; *out gets the index.
 * 0 ok; -1 with a message listing the choices.
 */
int lp_args_choice(const lp_args_t *a, const char *opt, const char *val, const char *const *names, int *out);

/*
 * A comma-separated list of formats (presets, eXmY, fixedW.F) for option `opt`: at most
 * max of them into fmts[] with their canonical names in names[] (may be NULL); *n gets the
 * count. 0 ok; -1 with a message naming the bad entry (unknown, empty, too many).
 */
int lp_args_format_list(const lp_args_t *a, const char *opt, const char *val, lp_format_t *fmts,
                        char (*names)[32], int max, int *n);

/* Defaults: no format yet (fp32), rne, sat, subnormals on, no scaling, seed 0, csim. */
void lp_qopts_init(lp_qopts_t *o);

/*
 * Is the current argument one of the quantizer options in `mask`? 1: consumed into *o;
 * 0: not one of them; -1: it is, but wrong (message printed). --format resets nothing
 * else: options may come in any order.
 */
int lp_args_qopt(lp_args_t *a, lp_qopts_t *o, unsigned mask);

/* The words of the enums, for printing: lp_rounding_names[LP_ROUND_RNE] = "rne", ... */
extern const char *const lp_rounding_names[];   /* rne rtz sr          */
extern const char *const lp_overflow_names[];   /* sat inf             */
extern const char *const lp_scale_names[];      /* none tensor block32 */
extern const char *const lp_subnormal_names[];  /* off on              */

/* --card, --cus, --pcie (the vcard backend's open): 1 taken, 0 not one of them, -1 a bad
 * value (message printed). lp_args_qopt takes them with LP_QOPT_BACKEND. */
int lp_args_vcard_opt(lp_args_t *a, lp_backend_opts_t *bo);
extern const char *const lp_vcard_cards[]; /* "u250", "u280", "u55c", NULL */

/* One line describing the quantizer options, for --help texts of every command. */
/* (LP_QOPTS_HELP_NOSTEP for a command that parses without LP_QOPT_STEP: help and parser agree.) */
#define LP_QOPTS_HELP LP_QOPTS_HELP_HEAD LP_QOPTS_HELP_STEP LP_QOPTS_HELP_TAIL
#define LP_QOPTS_HELP_NOSTEP LP_QOPTS_HELP_HEAD LP_QOPTS_HELP_TAIL
#define LP_QOPTS_HELP_HEAD                                                                                   \
    "  --format F          preset (fp32 bf16 fp16 fp8_e5m2 fp8_e4m3 fp6_e3m2 fp6_e2m3 fp4_e2m1),\n"         \
    "                      eXmY (IEEE-style, 1<=X<=8, 0<=Y<=23) or fixedW.F; see 'lpsgd formats'\n"         \
    "  --rounding M        rne (nearest, ties to even; default), rtz (toward zero), sr (stochastic)\n"     \
    "  --seed S            stochastic-rounding seed (0..4294967295, default 0)\n"
#define LP_QOPTS_HELP_STEP                                                                                   \
    "  --step K            step number mixed into the stochastic-rounding hash (default 0)\n"
#define LP_QOPTS_HELP_TAIL                                                                                   \
    "  --overflow P        sat (clamp to max finite; default) or inf (the format's Inf/NaN)\n"            \
    "  --subnormals on|off keep subnormal results (default) or flush them to zero\n"                      \
    "  --scale S           none (the paper's setting; default), tensor (one power of two from\n"          \
    "                      amax) or block32 (OCP MX: an E8M0 scale per 32 elements)\n"                    \
    "  --backend B         where the quantizer runs: csim (C model, default), verilator,\n"      \
    "                      xrt (train, theory, selftest only: the card's kernel is the whole SGD\n"   \
    "                      step, with no quantize-only entry), or opencl (the same kernels as\n"     \
    "                      OpenCL C on PoCL or XRT's OpenCL platform; docs/opencl.md), or vcard\n"  \
    "                      (train, selftest: a simulated Alveo card, docs/vcard.md)\n"               \
    "  --device D          xrt: card index or PCIe address ('lpsgd devices'; default 0);\n"        \
    "                      opencl: P:D indices or a piece of the platform/device name\n"          \
    "  --xclbin F          xrt, opencl on XRT: the xclbin (default: lp_sgd.xclbin next to lpsgd)\n" \
    "  --trace F.fst       verilator: write an FST waveform of every simulated cycle (large)\n"   \
    LP_VCARD_OPTS_HELP

/* --card, --cus, --pcie for every command that takes --backend vcard */
#define LP_VCARD_OPTS_HELP                                                                                   \
    "  --card C            vcard: the card simulated, u250 (4 DDR4 channels; default), u280 (HBM2\n"  \
    "                      + 2 DDR4) or u55c (HBM2), with the CU -> SLR -> bank map of\n"             \
    "                      constraints/C.cfg (the map the xclbin is linked with)\n"                    \
    "  --cus N             vcard: compute units on the card, 1..what C.cfg instantiates (u250: 4,\n"  \
    "                      u280 and u55c: 2; default all). train runs on CU 1; selftest and the\n"   \
    "                      projection printed after train use them all\n"                             \
    "  --pcie P            vcard: the PCIe DMA model, gen3x16 (default) or gen4x8\n"

#endif
