/*
 * test_exhaustive.c - every one of the 2^32 FP32 inputs, fast path against the oracle.
 *
 * For each preset of at most 8 bits (fp8_e5m2, fp8_e4m3, fp6_e3m2, fp6_e2m3, fp4_e2m1) and
 * rounding rne and rtz (saturating, subnormals on, unscaled): lp_quant_f32_inline and
 * lp_orc_quant must agree on the decoded value, the code and the flags of every input, and
 * the values-only vector loop lp_quant_values on the value.
 * Two threads; progress on stderr when it is a terminal; the time per format on stdout.
 * Usage: test_exhaustive [format...]   (default: all five)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lp_test.h"
#include "oracle/lp_oracle.h"
#include "quant/lp_quant_elem.h"

#define NTHREADS 2
#define CHUNK_BITS 22
#define NCHUNKS (1u << (32 - CHUNK_BITS))

typedef struct {
    const lp_orc_t *o;
    const lp_fmt_params_t *p;
    lp_qgrid_t grid;
    lp_qcfg_t cfg;
    atomic_uint next;     /* next chunk to take */
    atomic_uint done;     /* chunks finished    */
    atomic_ullong bad;    /* mismatching inputs */
    pthread_mutex_t lock; /* first mismatches   */
    unsigned shown;
} job_t;

static void *worker(void *arg)
{
    job_t *j = arg;
    lp_qgrid_t grid = j->grid;
    lp_qcfg_t cfg = j->cfg;
    lp_fmt_params_t p = *j->p;
    uint32_t *xs = malloc(sizeof(uint32_t) << CHUNK_BITS), *ys = malloc(sizeof(uint32_t) << CHUNK_BITS);
    if (!xs || !ys)
        abort();
    for (;;) {
        unsigned c = atomic_fetch_add(&j->next, 1u);
        if (c >= NCHUNKS)
            break;
        uint64_t bad = 0;
        uint32_t x0 = c << CHUNK_BITS;
        for (uint32_t d = 0; d < (1u << CHUNK_BITS); d++)
            xs[d] = x0 + d;
        lp_quant_values(xs, ys, 1u << CHUNK_BITS, &p, &grid, &cfg, 0, x0); /* the vector loop */
        for (uint32_t d = 0; d < (1u << CHUNK_BITS); d++) {
            uint32_t x = x0 + d;
            lp_q_t q = lp_quant_f32_inline(x, &p, &grid, &cfg, 0u);
            lp_orc_q_t w = lp_orc_quant(j->o, x, 0, &cfg, 0u);
            if (q.value != w.value || q.code != w.code || q.flags != w.flags || ys[d] != w.value) {
                bad++;
                pthread_mutex_lock(&j->lock);
                if (j->shown++ < 8)
                    printf("  x=%08x: got value %08x code %x flags %x (values loop %08x), oracle %08x %x %x\n", x,
                           q.value, q.code, q.flags, ys[d], w.value, w.code, w.flags);
                pthread_mutex_unlock(&j->lock);
            }
        }
        atomic_fetch_add(&j->bad, bad);
        atomic_fetch_add(&j->done, 1u);
    }
    free(xs);
    free(ys);
    return NULL;
}

static double clk(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now(void) { return clk(CLOCK_MONOTONIC); }
static double cpu(void) { return clk(CLOCK_PROCESS_CPUTIME_ID); } /* all threads */

int main(int argc, char **argv)
{
    static const int ids[] = {LP_FMT_FP8_E5M2, LP_FMT_FP8_E4M3, LP_FMT_FP6_E3M2, LP_FMT_FP6_E2M3, LP_FMT_FP4_E2M1};
    int tty = isatty(2);
    double t_all = now();
    for (unsigned fi = 0; fi < sizeof ids / sizeof ids[0]; fi++) {
        const char *name = lp_format_preset_name(ids[fi]);
        int wanted = argc < 2;
        for (int a = 1; a < argc; a++)
            wanted |= strcmp(argv[a], name) == 0;
        if (!wanted)
            continue;
        lp_format_t f = lp_format_preset(ids[fi]);
        lp_orc_t o;
        lp_fmt_params_t p;
        const char *why;
        if (lp_orc_init(&o, &f, &why) != 0 || lp_format_derive(&f, &p, &why) != 0) {
            LP_CHECK(0, "%s: %s", name, why);
            continue;
        }
        double t0 = now(), c0 = cpu();
        for (int rm = 0; rm < 2; rm++) {
            static job_t j;
            memset(&j, 0, sizeof j);
            j.o = &o;
            j.p = &p;
            j.grid = lp_quant_grid(&p, 0);
            j.cfg = lp_qcfg_default(f);
            j.cfg.rounding = rm ? LP_ROUND_RTZ : LP_ROUND_RNE;
            pthread_mutex_init(&j.lock, NULL);
            pthread_t th[NTHREADS];
            for (int t = 0; t < NTHREADS; t++)
                pthread_create(&th[t], NULL, worker, &j);
            while (tty && atomic_load(&j.done) < NCHUNKS) {
                fprintf(stderr, "\r%s %s: %5.1f %%", name, rm ? "rtz" : "rne",
                        100.0 * atomic_load(&j.done) / NCHUNKS);
                nanosleep(&(struct timespec){0, 200000000L}, NULL);
            }
            for (int t = 0; t < NTHREADS; t++)
                pthread_join(th[t], NULL);
            if (tty)
                fprintf(stderr, "\r%40s\r", "");
            unsigned long long bad = atomic_load(&j.bad);
            char msg[96];
            snprintf(msg, sizeof msg, "%s %s: all 2^32 inputs match the oracle", name, rm ? "rtz" : "rne");
            LP_CASE(msg, bad == 0, "%s %s: %llu of 2^32 inputs differ from the oracle", name, rm ? "rtz" : "rne",
                    bad);
            pthread_mutex_destroy(&j.lock);
        }
        printf("%s: rne + rtz over 2^32 inputs in %.1f s (%d threads, %.1f s of CPU)\n", name, now() - t0, NTHREADS,
               cpu() - c0);
        fflush(stdout);
        lp_orc_free(&o);
    }
    printf("total %.1f s (%.1f s of CPU)\n", now() - t_all, cpu());
    return lp_test_summary();
}
