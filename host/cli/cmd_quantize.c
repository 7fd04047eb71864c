/*
 * cmd_quantize.c - `lpsgd quantize`: quantize a float32 tensor file with one format and
 * options on a backend, write the decoded FP32 values (and optionally the packed codes),
 * print the statistics of docs/design.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend/backend.h"
#include "cli.h"
#include "io/lp_bg.h"
#include "io/lp_file.h"
#include "io/lp_io.h"

static void usage(void)
{
    printf("usage: lpsgd quantize --format F [options] IN OUT\n\n"
           "Quantizes every element of IN to the format F and writes the decoded FP32 values\n"
           "to OUT (same shape; a .npy keeps its version and C/Fortran order), then prints the\n"
           "shrinkage statistics of the tensor as a whole.\n\n"
           "IN, OUT   .npy (float32 '<f4', any shape, versions 1.0/2.0/3.0) or .f32 (raw\n"
           "          little-endian float32), chosen by the extension. IN must be a regular file.\n"
           "          OUT (and --codes FILE) are written to temporary files and renamed only\n"
           "          when all of them are complete: a failed or interrupted run (Ctrl-C,\n"
           "          SIGTERM) leaves the old files as they were and no temporary behind;\n"
           "          kill -9 may leave a temporary OUT.tmp.XXXXXX, never half an OUT. As with\n"
           "          cp, the kernel writes the files to the disk in its own time; --sync\n"
           "          waits for the disk before the rename, so OUT is whole or absent even\n"
           "          after a power loss or crash of the OS (costs the disk's write time).\n\n"
           "options:\n" LP_QOPTS_HELP
           "  --codes FILE        also write the encoded elements, bit-packed, with the scales\n"
           "                      (layout: docs/cli.md, 'The packed-code file')\n"
           "  --json              print the statistics as one JSON object\n"
           "  --sync              write OUT (and FILE) to the disk before renaming (fsync)\n\n"
           "statistics (g = IN, Q(g) = OUT; sums over finite g_i):\n"
           "  q_norm     ||Q(g)|| / ||g||            the paper's shrinkage factor\n"
           "  q_proj     <g, Q(g)> / ||g||^2         the factor in the effective stepsize mu*q\n"
           "  noise      ||Q(g) - q_proj g||^2       the part of the error that is not shrinkage\n"
           "  underflow  nonzero finite g_i that became 0\n"
           "  saturated  |g_i| above the largest finite value (Inf inputs included)\n"
           "  subnormal  results that are subnormal numbers of F\n"
           "  nan        NaN inputs (legal data: counted, mapped to F's NaN or 0)\n\n"
           "examples:\n"
           "  lpsgd quantize --format fp8_e4m3 grad.npy grad_q.npy\n"
           "  lpsgd quantize --format fp4_e2m1 --scale block32 --codes grad.lpqc --json grad.f32 q.f32\n"
           "  lpsgd quantize --format e3m4 --rounding sr --seed 7 --step 3 grad.npy q.npy\n");
}

static void print_human(const char *in, const char *out, const lp_qopts_t *q, const lp_qstats_t *st,
                        uint64_t cycles)
{
    lp_qderived_t d = lp_qstats_derive(st);
    printf("%s -> %s: %s, rounding %s, overflow %s, subnormals %s, scale %s, backend %s\n", in, out,
           q->fmt_name, lp_rounding_names[q->cfg.rounding], lp_overflow_names[q->cfg.overflow],
           lp_subnormal_names[q->cfg.subnormals], lp_scale_names[q->cfg.scale], q->backend);
    printf("  %-10s %u\n", "n", st->n);
    printf("  %-10s %-14.9f ||Q(g)|| / ||g||\n", "q_norm", lp_num_shown(d.q_norm));
    printf("  %-10s %-14.9f <g,Q(g)> / ||g||^2 (effective stepsize factor)\n", "q_proj", lp_num_shown(d.q_proj));
    double g2 = st->sum[LP_SUM_G2];
    printf("  %-10s %-14.6g ||Q(g) - q_proj g||^2", "noise", lp_num_shown(d.noise));
    if (g2 > 0)
        printf(" = %.4g %% of ||g||^2", lp_num_shown(100.0 * d.noise / g2));
    printf("\n");
    printf("  %-10s %-14u %.4f %% of the elements became 0\n", "underflow", st->underflow,
           lp_num_shown(100.0 * d.underflow_frac));
    printf("  %-10s %-14u above the largest finite value (%u of them Inf)\n", "saturated", st->saturated, st->inf);
    printf("  %-10s %-14u results subnormal in %s\n", "subnormal", st->subnormal, q->fmt_name);
    printf("  %-10s %-14u NaN inputs\n", "nan", st->nan);
    if (cycles > 0)
        printf("  %-10s %-14llu device clock cycles\n", "cycles", (unsigned long long)cycles);
}

static void print_json(const char *in, const char *out, const lp_qopts_t *q, const lp_qstats_t *st,
                       uint64_t cycles)
{
    lp_qderived_t d = lp_qstats_derive(st);
    printf("{\"in\": ");
    lp_json_str(stdout, in);
    printf(", \"out\": ");
    lp_json_str(stdout, out);
    printf(", \"format\": \"%s\", \"rounding\": \"%s\", \"overflow\": \"%s\", \"subnormals\": \"%s\", "
           "\"scale\": \"%s\", \"seed\": %u, \"step\": %u, \"backend\": ",
           q->fmt_name, lp_rounding_names[q->cfg.rounding], lp_overflow_names[q->cfg.overflow],
           lp_subnormal_names[q->cfg.subnormals], lp_scale_names[q->cfg.scale], q->cfg.seed, q->step);
    lp_json_str(stdout, q->backend);
    printf(", \"n\": %u, \"q_norm\": ", st->n);
    lp_json_num(stdout, d.q_norm);
    printf(", \"q_proj\": ");
    lp_json_num(stdout, d.q_proj);
    printf(", \"noise\": ");
    lp_json_num(stdout, d.noise);
    printf(", \"underflow\": %u, \"underflow_frac\": ", st->underflow);
    lp_json_num(stdout, d.underflow_frac);
    printf(", \"saturated\": %u, \"subnormal\": %u, \"nan\": %u, \"inf\": %u", st->saturated, st->subnormal,
           st->nan, st->inf);
    static const char *const sums[LP_NSUMS] = {"sum_g2", "sum_q2", "sum_e2", "sum_ge"};
    for (int s = 0; s < LP_NSUMS; s++) {
        printf(", \"%s\": ", sums[s]);
        lp_json_num(stdout, st->sum[s]);
    }
    printf(", \"cycles\": %llu}\n", (unsigned long long)cycles);
}

/* The outputs of one run: OUT and (with --codes) the packed codes, renamed together. */
typedef struct {
    lp_atomic_t out, codes;
    int n; /* 1 or 2 */
} outputs_t;

static int open_outputs(outputs_t *o, const char *out, const char *codes_path, int sync, lp_err_t *err)
{
    memset(o, 0, sizeof *o);
    o->n = codes_path ? 2 : 1;
    int bad = lp_io_atomic_open(&o->out, out, err) || (codes_path && lp_io_atomic_open(&o->codes, codes_path, err));
    o->out.no_fsync = o->codes.no_fsync = !sync;
    return bad;
}

/* Elements per chunk: 256 Ki (1 MiB of input), or LP_QUANT_CHUNK (a test hook; rounded up
 * to a multiple of LP_QV_STREAM_ALIGN). */
static uint32_t chunk_elems(void)
{
    const char *env = getenv("LP_QUANT_CHUNK");
    char *end;
    unsigned long v = env ? strtoul(env, &end, 10) : 0;
    if (!env || *end || v == 0 || v > (1ul << 26))
        v = 1ul << 18;
    return (uint32_t)((v + LP_QV_STREAM_ALIGN - 1) / LP_QV_STREAM_ALIGN * LP_QV_STREAM_ALIGN);
}

#define SETS 2 /* sets of result buffers in a stream: one quantized while the other is written */

/* A chunk's results on their way to the files (on the background thread). */
typedef struct {
    outputs_t *o;
    lp_codes_out_t *cw;
    const float *gq;
    const uint32_t *codes;
    const int32_t *scale_k;
    uint32_t len;
    lp_err_t *err; /* shared: a failed write starts no other */
} put_t;

static int put_chunk(void *arg)
{
    put_t *w = arg;
    if (lp_io_put_floats(&w->o->out, w->gq, w->len, w->err) ||
        (w->o->n == 2 && lp_io_codes_put(w->cw, w->codes, w->scale_k, w->len, w->err)))
        return -1;
    lp_io_atomic_writeback(&w->o->out); /* with --sync: the disk writes while the next chunks are computed */
    if (w->o->n == 2)
        lp_io_atomic_writeback(&w->o->codes);
    return 0;
}

/* One run's state: the input, the backend, the buffers of a chunk (streaming: SETS sets, one
 * quantized while the other is written) or of the whole tensor (a backend without
 * quantize_chunk), the stream, the code writer and the writing thread. */
typedef struct {
    const lp_qopts_t *q;
    lp_fmt_params_t p;
    lp_tensor_in_t in;
    lp_tensor_info_t info;
    const lp_backend_ops_t *ops;
    lp_backend_t *be;
    int stream;
    uint32_t cap; /* elements per chunk */
    float *g, *gq[SETS];
    uint32_t *codes[SETS];
    int32_t *scale_k[SETS];
    put_t put[SETS];
    lp_err_t put_err;
    lp_bg_t *bg;
    lp_qv_stream_t s;
    lp_codes_out_t cw;
    lp_qstats_t st;
} job_t;

static int job_buffers(job_t *j, int with_codes)
{
    uint64_t n = j->info.n;
    j->stream = j->ops->quantize_chunk != NULL;
    j->cap = j->stream && n > chunk_elems() ? chunk_elems() : (uint32_t)n;
    int sets = j->cap < n ? SETS : 1, bad = !(j->g = malloc((size_t)j->cap * sizeof *j->g));
    for (int b = 0; b < sets; b++) {
        j->gq[b] = malloc((size_t)j->cap * sizeof *j->gq[b]);
        j->codes[b] = with_codes ? malloc((size_t)j->cap * sizeof *j->codes[b]) : NULL;
        j->scale_k[b] = calloc(j->cap / LP_MX_BLOCK + 1, sizeof *j->scale_k[b]);
        bad |= !j->gq[b] || !j->scale_k[b] || (with_codes && !j->codes[b]);
    }
    j->bg = sets > 1 ? lp_bg_start() : NULL; /* no thread: written in turn */
    return bad ? -1 : 0;
}

static void job_free(job_t *j)
{
    lp_bg_stop(j->bg); /* before the files close: no write in flight */
    j->bg = NULL;
    if (j->be)
        j->ops->close(j->be);
    lp_io_tensor_close(&j->in);
    free(j->g);
    for (int b = 0; b < SETS; b++) {
        free(j->gq[b]);
        free(j->codes[b]);
        free(j->scale_k[b]);
    }
    free(j->cw.buf);
}

/* One chunk of the stream: its elements, in place in the input's mapping or read into j->g
 * (lp_io_tensor_next), and what a pass does with them, under lp_map_guard. */
typedef struct {
    job_t *j;
    const float *g;
    uint32_t len, amax;
    int b; /* the output set */
    lp_err_t *err;
} chunk_t;

static int chunk_amax(void *arg)
{
    chunk_t *c = arg;
    uint32_t a = lp_qv_amax(c->g, c->len);
    c->amax = a > c->amax ? a : c->amax;
    return 0;
}

static int chunk_quantize(void *arg)
{
    chunk_t *c = arg;
    job_t *j = c->j;
    return j->ops->quantize_chunk(j->be, &j->s, c->g, j->gq[c->b], j->codes[c->b], j->scale_k[c->b], c->len, c->err);
}

/* The next len elements through fn: 0, 1 when fn failed (err has its message), -1 when the
 * file did (a read error, or the file shrank under its mapping). */
static int chunk_run(chunk_t *c, uint32_t len, int (*fn)(void *arg))
{
    c->len = len;
    if (!(c->g = lp_io_tensor_next(&c->j->in, c->j->g, len, c->err)))
        return -1;
    int r = lp_map_guard(fn, c);
    if (r == LP_MAP_FAULT)
        return lp_fail(c->err, "%s: read error: the file shrank while being read", c->j->in.path);
    return r ? 1 : 0;
}

/* LP_SCALE_TENSOR on a stream: the pass ahead, the tensor's amax chunk by chunk (a maximum:
 * the same in any grouping), then back to the first element. */
static int amax_pass(job_t *j, uint32_t *amax, lp_err_t *err)
{
    chunk_t c = {.j = j, .err = err};
    for (uint64_t at = 0, len; at < j->info.n; at += len) {
        len = j->info.n - at < j->cap ? j->info.n - at : j->cap;
        if (chunk_run(&c, (uint32_t)len, chunk_amax))
            return -1;
    }
    *amax = c.amax;
    return lp_io_tensor_rewind(&j->in, err);
}

/* One chunk quantized: streaming (csim) in place in the input's mapping, else the whole
 * tensor read into j->g. 0, 1 (the backend failed) or -1 (the file did). */
static int quantize_one(job_t *j, int b, uint32_t len, lp_err_t *err)
{
    if (j->stream) {
        chunk_t c = {.j = j, .b = b, .err = err};
        return chunk_run(&c, len, chunk_quantize);
    }
    if (lp_io_tensor_read(&j->in, j->g, len, err))
        return -1;
    const lp_qcfg_t *cfg = &j->q->cfg;
    return j->ops->quantize(j->be, cfg, j->q->step, j->g, j->gq[b], j->codes[b], j->scale_k[b], len, &j->st, err)
               ? 1
               : 0;
}

/* Chunk by chunk (one chunk: the whole tensor without quantize_chunk): read, quantize, hand
 * the results to the writing thread. The headers go out with the first chunk (the tensor
 * scale is known by then). 1: the backend failed (err has its message); -1: a file did. */
static int quantize_all(job_t *j, outputs_t *o, lp_err_t *err)
{
    const lp_qcfg_t *cfg = &j->q->cfg;
    uint32_t amax = 0;
    if (j->stream) {
        if (cfg->scale == LP_SCALE_TENSOR && amax_pass(j, &amax, err))
            return -1;
        lp_qv_stream_begin(&j->s, &j->p, cfg, j->q->step, amax);
    }
    for (uint64_t at = 0, len, c = 0; at < j->info.n; at += len, c++) {
        len = j->info.n - at < j->cap ? j->info.n - at : j->cap;
        int b = (int)(c % SETS); /* set b's last write (chunk c - 2) ended before chunk c - 1's began */
        int r = quantize_one(j, b, (uint32_t)len, err);
        if (r)
            return r;
        if (at == 0 && (lp_io_put_tensor_head(&o->out, j->info.n, &j->info, err) ||
                        (o->n == 2 && lp_io_codes_begin(&j->cw, &o->codes, j->q->fmt_name, j->p.code_bits,
                                                        cfg->scale, j->info.n,
                                                        j->stream ? j->s.k : j->scale_k[0][0], err))))
            return -1;
        j->put[b] = (put_t){o, &j->cw, j->gq[b], j->codes[b], j->scale_k[b], (uint32_t)len, &j->put_err};
        if (lp_bg_run(j->bg, put_chunk, &j->put[b])) {
            *err = j->put_err;
            return -1;
        }
    }
    if (lp_bg_wait(j->bg)) {
        *err = j->put_err;
        return -1;
    }
    if (j->stream)
        lp_qv_stream_end(&j->s, &j->st);
    return o->n == 2 ? lp_io_codes_end(&j->cw, err) : 0;
}

/* Print the statistics, and only then rename the files (written whole) into place. */
static int finish(outputs_t *o, const lp_qopts_t *q, const char *in, const lp_qstats_t *st, uint64_t cycles, int json,
                  lp_err_t *err)
{
    if (json)
        print_json(in, o->out.path, q, st, cycles);
    else
        print_human(in, o->out.path, q, st, cycles);
    lp_atomic_t *all[2] = {&o->out, &o->codes};
    return lp_io_stdout_done(err) || lp_io_atomic_commit_all(all, o->n, err) ? -1 : 0;
}

static int run(lp_args_t *a, const lp_qopts_t *q, const char *in, const char *out, const char *codes_path, int json,
               int sync)
{
    lp_err_t err;
    if (!lp_io_kind(out, &err))
        return lp_args_error(a, "%s", err.msg);
    job_t j;
    memset(&j, 0, sizeof j);
    j.q = q;
    const char *why;
    lp_format_derive(&q->cfg.fmt, &j.p, &why); /* lp_format_parse validated it */
    if (lp_io_tensor_open(in, &j.in, &j.info, &err)) /* the header, checked against the file's size */
        return lp_args_error(a, "%s", err.msg);
    lp_sig_saved_t sig;
    lp_sig_catch(&sig, LP_SIG_CLEANUP); /* from here on a signal removes the temporaries */
    j.ops = lp_backend_find(q->backend, &err);
    int rc = 2, r;
    outputs_t o;
    if (open_outputs(&o, out, codes_path, sync, &err)) { /* unwritable outputs fail before the work */
        lp_args_error(a, "%s", err.msg);
    } else if (job_buffers(&j, codes_path != NULL)) {
        fprintf(stderr, "lpsgd quantize: out of memory for %u elements\n", j.cap);
        rc = 1;
    } else if (j.ops->open(&j.be, &q->bopts, &err)) {
        lp_args_error(a, "backend %s: %s", q->backend, err.msg);
        j.be = NULL;
    } else if ((r = quantize_all(&j, &o, &err)) > 0) {
        lp_args_error(a, "backend %s: %s", q->backend, err.msg);
        rc = 1;
    } else if (r < 0 || finish(&o, q, in, &j.st, j.ops->cycles(j.be), json, &err)) {
        lp_args_error(a, "%s", err.msg);
    } else {
        rc = 0;
    }
    job_free(&j);
    lp_io_atomic_abort(&o.out); /* after a commit: nothing left to remove */
    lp_io_atomic_abort(&o.codes);
    lp_sig_restore(&sig);
    return rc;
}

int cmd_quantize(int argc, char **argv)
{
    lp_args_t a;
    lp_qopts_t q;
    const char *pos[2], *codes_path = NULL;
    int npos = 0, json = 0, sync = 0;
    lp_args_begin(&a, "quantize", argc, argv);
    lp_qopts_init(&q);
    while (lp_args_next(&a)) {
        const char *v;
        int r;
        if (lp_args_help(&a)) {
            usage();
            return 0;
        }
        if ((r = lp_args_qopt(&a, &q, LP_QOPT_ALL))) {
            if (r < 0)
                return 2;
            continue;
        }
        if ((r = lp_args_opt(&a, "--codes", &v))) {
            if (r < 0)
                return 2;
            codes_path = v;
            continue;
        }
        if (lp_args_flag(&a, "--json")) {
            json = 1;
            continue;
        }
        if (lp_args_flag(&a, "--sync")) {
            sync = 1;
            continue;
        }
        if (lp_args_is_option(&a))
            return lp_args_unknown(&a);
        if (npos == 2)
            return lp_args_error(&a, "too many arguments: '%s' (expected IN OUT)", lp_args_cur(&a));
        pos[npos++] = lp_args_cur(&a);
    }
    if (lp_qopts_finish(&a, &q))
        return 2;
    if (!q.have_format)
        return lp_args_error(&a, "--format is required (e.g. --format fp8_e4m3; 'lpsgd formats' lists them)");
    if (npos < 2)
        return lp_args_error(&a, "missing %s (usage: lpsgd quantize --format F [options] IN OUT)",
                             npos == 0 ? "IN and OUT" : "OUT");

    return run(&a, &q, pos[0], pos[1], codes_path, json, sync);
}
