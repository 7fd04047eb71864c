/*
 * args.c - option parsing shared by the subcommands (see args.h).
 */
#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/vcard.h"
#include "backend/xrt.h"

const char *const lp_rounding_names[] = {"rne", "rtz", "sr", NULL};
const char *const lp_overflow_names[] = {"sat", "inf", NULL};
const char *const lp_scale_names[] = {"none", "tensor", "block32", NULL};
const char *const lp_subnormal_names[] = {"off", "on", NULL};

void lp_args_begin(lp_args_t *a, const char *cmd, int argc, char **argv)
{
    a->cmd = cmd;
    a->argc = argc;
    a->argv = argv;
    a->i = 0;
    a->no_more = 0;
    a->eqv = NULL;
}

int lp_args_next(lp_args_t *a)
{
    a->i++;
    if (!a->no_more && a->i < a->argc && !strcmp(a->argv[a->i], "--")) {
        a->no_more = 1;
        a->i++;
    }
    return a->i < a->argc;
}

const char *lp_args_cur(const lp_args_t *a) { return a->argv[a->i]; }

int lp_args_help(const lp_args_t *a)
{
    return !a->no_more && (!strcmp(a->argv[a->i], "-h") || !strcmp(a->argv[a->i], "--help"));
}

int lp_args_flag(lp_args_t *a, const char *name) { return !a->no_more && !strcmp(a->argv[a->i], name); }

int lp_args_is_option(const lp_args_t *a)
{
    const char *s = a->argv[a->i];
    return !a->no_more && s[0] == '-' && s[1] != '\0';
}

int lp_args_error(const lp_args_t *a, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "lpsgd %s: ", a->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

int lp_args_unknown(const lp_args_t *a)
{
    return lp_args_error(a, "unknown option '%s' (try 'lpsgd %s --help')", a->argv[a->i], a->cmd);
}

int lp_args_opt(lp_args_t *a, const char *name, const char **val)
{
    if (a->no_more)
        return 0;
    const char *s = a->argv[a->i];
    size_t l = strlen(name);
    if (strncmp(s, name, l) != 0)
        return 0;
    if (s[l] == '=') {
        *val = s + l + 1;
        return 1;
    }
    if (s[l] != '\0')
        return 0;
    if (a->i + 1 >= a->argc) {
        lp_args_error(a, "option %s needs a value (try 'lpsgd %s --help')", name, a->cmd);
        return -1;
    }
    *val = a->argv[++a->i];
    return 1;
}

int lp_args_u32(const lp_args_t *a, const char *opt, const char *val, uint32_t lo, uint32_t hi, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(val, &end, 10);
    if (!val[0] || *end || val[0] == '-' || errno) {
        lp_args_error(a, "%s: '%s' is not a whole number in %u..%u", opt, val, lo, hi);
        return -1;
    }
    if (v < lo || v > hi) {
        lp_args_error(a, "%s: %s is out of range (%u..%u)", opt, val, lo, hi);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int lp_args_double(const lp_args_t *a, const char *opt, const char *val, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(val, &end);
    if (!val[0] || *end || errno == ERANGE || !isfinite(v)) {
        lp_args_error(a, "%s: '%s' is not a finite number in %g..%g", opt, val, lo, hi);
        return -1;
    }
    if (v < lo || v > hi) {
        lp_args_error(a, "%s: %s is out of range (%g..%g)", opt, val, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int lp_args_choice(const lp_args_t *a, const char *opt, const char *val, const char *const *names, int *out)
{
    char list[256] = "";
    for (int k = 0; names[k]; k++) {
        if (!strcmp(val, names[k])) {
            *out = k;
            return 0;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? (names[k + 1] ? ", " : " or ") : "",
                 names[k]);
    }
    lp_args_error(a, "%s: unknown value '%s' (use %s)", opt, val, list);
    return -1;
}

int lp_args_format_list(const lp_args_t *a, const char *opt, const char *val, lp_format_t *fmts,
                        char (*names)[32], int max, int *n)
{
    *n = 0;
    for (const char *p = val;;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        char tok[64], msg[512];
        if (l == 0) {
            lp_args_error(a, "%s: empty entry in '%s' (give comma-separated formats, e.g. fp16,fp8_e4m3)", opt, val);
            return -1;
        }
        if (*n == max) {
            lp_args_error(a, "%s: at most %d formats", opt, max);
            return -1;
        }
        snprintf(tok, sizeof tok, "%.*s", (int)(l < sizeof tok ? l : sizeof tok - 1), p);
        if (l >= sizeof tok || lp_format_parse(tok, &fmts[*n], msg, sizeof msg)) {
            if (l >= sizeof tok)
                snprintf(msg, sizeof msg, "unknown format '%.40s...'", p);
            lp_args_error(a, "%s: %s", opt, msg);
            return -1;
        }
        if (names)
            lp_format_name(&fmts[*n], names[*n], 32);
        (*n)++;
        if (!e)
            return 0;
        p = e + 1;
    }
}

void lp_qopts_init(lp_qopts_t *o)
{
    memset(o, 0, sizeof *o);
    o->cfg = lp_qcfg_default(lp_format_preset(LP_FMT_FP32));
    lp_format_name(&o->cfg.fmt, o->fmt_name, sizeof o->fmt_name);
    o->backend = "csim";
}

int lp_args_qopt(lp_args_t *a, lp_qopts_t *o, unsigned mask)
{
    const char *v;
    int r, k;
    uint32_t u;
    if ((mask & LP_QOPT_FORMAT) && (r = lp_args_opt(a, "--format", &v))) {
        char msg[512];
        if (r < 0)
            return -1;
        if (lp_format_parse(v, &o->cfg.fmt, msg, sizeof msg) != 0) {
            lp_args_error(a, "%s", msg);
            return -1;
        }
        o->have_format = 1;
        lp_format_name(&o->cfg.fmt, o->fmt_name, sizeof o->fmt_name);
        return 1;
    }
    if ((mask & LP_QOPT_ROUNDING) && (r = lp_args_opt(a, "--rounding", &v))) {
        if (r < 0 || lp_args_choice(a, "--rounding", v, lp_rounding_names, &k))
            return -1;
        o->cfg.rounding = (uint8_t)k;
        return 1;
    }
    if ((mask & LP_QOPT_SEED) && (r = lp_args_opt(a, "--seed", &v))) {
        if (r < 0 || lp_args_u32(a, "--seed", v, 0, UINT32_MAX, &u))
            return -1;
        o->cfg.seed = u;
        return 1;
    }
    if ((mask & LP_QOPT_STEP) && (r = lp_args_opt(a, "--step", &v))) {
        if (r < 0 || lp_args_u32(a, "--step", v, 0, UINT32_MAX, &u))
            return -1;
        o->step = u;
        return 1;
    }
    if ((mask & LP_QOPT_OVERFLOW) && (r = lp_args_opt(a, "--overflow", &v))) {
        if (r < 0 || lp_args_choice(a, "--overflow", v, lp_overflow_names, &k))
            return -1;
        o->cfg.overflow = (uint8_t)k;
        return 1;
    }
    if ((mask & LP_QOPT_SUBNORMALS) && (r = lp_args_opt(a, "--subnormals", &v))) {
        if (r < 0 || lp_args_choice(a, "--subnormals", v, lp_subnormal_names, &k))
            return -1;
        o->cfg.subnormals = (uint8_t)k;
        return 1;
    }
    if ((mask & LP_QOPT_SCALE) && (r = lp_args_opt(a, "--scale", &v))) {
        if (r < 0 || lp_args_choice(a, "--scale", v, lp_scale_names, &k))
            return -1;
        o->cfg.scale = (uint8_t)k;
        return 1;
    }
    if ((mask & LP_QOPT_BACKEND) && (r = lp_args_opt(a, "--backend", &v))) {
        lp_err_t err;
        if (r < 0)
            return -1;
        if (!lp_backend_find(v, &err)) {
            lp_args_error(a, "%s", err.msg);
            return -1;
        }
        o->backend = v;
        return 1;
    }
    if ((mask & LP_QOPT_BACKEND) && (r = lp_args_opt(a, "--device", &v))) {
        if (r < 0)
            return -1;
        o->bopts.device = v;
        return 1;
    }
    if ((mask & LP_QOPT_BACKEND) && (r = lp_args_opt(a, "--xclbin", &v))) {
        if (r < 0)
            return -1;
        o->bopts.xclbin = v;
        return 1;
    }
    if ((mask & LP_QOPT_BACKEND) && (r = lp_args_vcard_opt(a, &o->bopts)))
        return r;
    if ((mask & LP_QOPT_BACKEND) && (r = lp_args_opt(a, "--trace", &v))) {
        if (r < 0)
            return -1;
        o->bopts.trace = v;
        return 1;
    }
    return 0;
}

const char *const lp_vcard_cards[] = {"u250", "u280", "u55c", NULL};
static const char *const vcard_pcie[] = {"gen3x16", "gen4x8", NULL};

int lp_args_vcard_opt(lp_args_t *a, lp_backend_opts_t *bo)
{
    const char *v;
    int r, k;
    if ((r = lp_args_opt(a, "--card", &v))) {
        if (r < 0 || lp_args_choice(a, "--card", v, lp_vcard_cards, &k))
            return -1;
        bo->card = lp_vcard_cards[k];
        return 1;
    }
    if ((r = lp_args_opt(a, "--pcie", &v))) {
        if (r < 0 || lp_args_choice(a, "--pcie", v, vcard_pcie, &k))
            return -1;
        bo->pcie = vcard_pcie[k];
        return 1;
    }
    if ((r = lp_args_opt(a, "--cus", &v))) {
        uint32_t n;
        if (r < 0 || lp_args_u32(a, "--cus", v, 1, 16, &n))
            return -1;
        bo->cus = n;
        return 1;
    }
    return 0;
}

/* A --backend vcard option given to another backend: its name, else NULL. */
static const char *vcard_opt_misused(const lp_qopts_t *o)
{
    if (!strcmp(o->backend, "vcard"))
        return NULL;
    return o->bopts.card ? "--card" : o->bopts.cus ? "--cus" : o->bopts.pcie ? "--pcie" : NULL;
}

int lp_qopts_finish(lp_args_t *a, const lp_qopts_t *o)
{
    int xrt = !strcmp(o->backend, "xrt"), vl = !strcmp(o->backend, "verilator");
    const char *vopt = vcard_opt_misused(o);
    if (vopt) {
        lp_args_error(a, "%s applies to --backend vcard only (this run uses %s)", vopt, o->backend);
        return -1;
    }
    if (!strcmp(o->backend, "vcard") && (!strcmp(a->cmd, "quantize") || !strcmp(a->cmd, "shrink"))) {
        lp_args_error(a, "--backend vcard: %s", LP_VCARD_NO_QUANTIZE);
        return -1;
    }
    int card = xrt || !strcmp(o->backend, "opencl"); /* the backends that take --device and --xclbin */
    const char *opt = o->bopts.device && !card   ? "--device"
                      : o->bopts.xclbin && !card ? "--xclbin"
                      : o->bopts.trace && !vl    ? "--trace"
                                                 : NULL;
    if (opt) {
        lp_args_error(a, "%s applies to --backend %s only (this run uses %s)", opt,
                      strcmp(opt, "--trace") ? "xrt or opencl" : "verilator", o->backend);
        return -1;
    }
    if (xrt && (!strcmp(a->cmd, "quantize") || !strcmp(a->cmd, "shrink"))) { /* they call quantize alone */
        lp_args_error(a, "--backend xrt: %s", LP_XRT_NO_QUANTIZE);
        return -1;
    }
    if (o->bopts.trace && !*o->bopts.trace) {
        lp_args_error(a, "--trace needs a file name (e.g. --trace run.fst)");
        return -1;
    }
    return 0;
}
