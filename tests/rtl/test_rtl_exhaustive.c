/*
 * test_rtl_exhaustive.c - all 2^32 FP32 inputs through the RTL stream quantizer for every
 * preset of <= 8 bits (fp8_e5m2, fp8_e4m3, fp6_e3m2, fp6_e2m3, fp4_e2m1; rne, saturate,
 * subnormals on, unscaled), compared bit for bit with the C model: value, code and the
 * statistics counts of every chunk of 2^20 inputs. Uses the counts-only Verilated build
 * (Vlp_quant_cnt: the FP32 sums are checked by test_rtl_quant) on LP_RTL_THREADS threads
 * (default 2), each with its own model. Prints the time per format.
 * Usage: test_rtl_exhaustive [FORMAT...] [--fraction N]   (N: check 1/N of the inputs,
 * spread over the whole range; default 1 = all of them)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../sim/quant/lp_vquant.h"
#include "lp_test.h"
#include "quant/lp_quant_elem.h"
#include "quant/lp_quant_vec.h"

#define CHUNK (1u << 20)

typedef struct {
    lp_fmt_params_t p;
    lp_qcfg_t cfg;
    uint32_t first, nchunks, stride; /* chunks first, first+stride, ... */
    uint64_t checked, bad;
    int fail_open;
    char err[256];
} job_t;

static volatile uint64_t progress;

static void *worker(void *arg)
{
    job_t *j = arg;
    lp_vq_opts_t vo = {NULL, 1};
    lp_vq_t *vq = lp_vq_open(&vo, j->err, sizeof j->err);
    if (!vq) {
        j->fail_open = 1;
        return NULL;
    }
    float *g = malloc(CHUNK * 4), *gq = malloc(CHUNK * 4);
    uint32_t *code = malloc(CHUNK * 4);
    lp_qgrid_t grid = lp_quant_grid(&j->p, 0);
    for (uint32_t c = 0; c < j->nchunks; c++) {
        uint32_t base = (j->first + c * j->stride) * CHUNK;
        for (uint32_t i = 0; i < CHUNK; i++) {
            uint32_t u = base + i;
            memcpy(&g[i], &u, 4);
        }
        lp_qstats_t st;
        lp_vq_quantize(vq, &j->p, &j->cfg, 0, g, gq, code, NULL, CHUNK, &st);
        uint32_t cnt[5] = {0, 0, 0, 0, 0};
        for (uint32_t i = 0; i < CHUNK; i++) {
            lp_q_t q = lp_quant_f32_inline(base + i, &j->p, &grid, &j->cfg, 0);
            uint32_t v;
            memcpy(&v, &gq[i], 4);
            for (int f = 0; f < 5; f++)
                cnt[f] += (q.flags >> f) & 1u;
            if (v != q.value || code[i] != q.code) {
                if (j->bad++ < 5)
                    printf("FAIL x=0x%08x: RTL 0x%08x/0x%x, C 0x%08x/0x%x\n", base + i, v, code[i], q.value, q.code);
            }
        }
        if (st.n != CHUNK || st.underflow != cnt[0] || st.saturated != cnt[1] || st.subnormal != cnt[2] ||
            st.nan != cnt[3] || st.inf != cnt[4]) {
            if (j->bad++ < 5)
                printf("FAIL chunk 0x%08x: counts differ\n", base);
        }
        j->checked += CHUNK;
        __atomic_add_fetch(&progress, CHUNK, __ATOMIC_RELAXED);
    }
    free(g);
    free(gq);
    free(code);
    lp_vq_close(vq);
    return NULL;
}

int main(int argc, char **argv)
{
    static const char *all[] = {"fp8_e5m2", "fp8_e4m3", "fp6_e3m2", "fp6_e2m3", "fp4_e2m1"};
    const char *fmts[16];
    int nf = 0;
    uint32_t frac = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--fraction") && i + 1 < argc)
            frac = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (nf < 16)
            fmts[nf++] = argv[i];
    }
    if (frac == 0 || frac > 4096)
        frac = 1;
    if (nf == 0)
        for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
            fmts[nf++] = all[i];
    int nt = getenv("LP_RTL_THREADS") ? atoi(getenv("LP_RTL_THREADS")) : 2;
    if (nt < 1 || nt > 16)
        nt = 2;
    const uint32_t total = (1u << 12) / frac; /* chunks to check */
    for (int f = 0; f < nf; f++) {
        lp_format_t fmt;
        char eb[200];
        const char *why;
        job_t jobs[16];
        memset(jobs, 0, sizeof jobs);
        if (lp_format_parse(fmts[f], &fmt, eb, sizeof eb) != 0) {
            printf("FAIL %s\n", eb);
            return 1;
        }
        struct timespec t0, t1, c0, c1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        progress = 0;
        pthread_t th[16];
        for (int t = 0; t < nt; t++) {
            lp_format_derive(&fmt, &jobs[t].p, &why);
            jobs[t].cfg = lp_qcfg_default(fmt);
            /* thread t takes chunks t*frac, (t+nt)*frac, ... */
            jobs[t].first = (uint32_t)t * frac;
            jobs[t].stride = (uint32_t)nt * frac;
            jobs[t].nchunks = (total + (uint32_t)nt - 1 - (uint32_t)t) / (uint32_t)nt;
            pthread_create(&th[t], NULL, worker, &jobs[t]);
        }
        int tty = isatty(2);
        for (;;) {
            uint64_t done = __atomic_load_n(&progress, __ATOMIC_RELAXED);
            if (done >= (uint64_t)total * CHUNK)
                break;
            if (tty)
                fprintf(stderr, "\r%s: %5.1f %%", fmts[f], 100.0 * (double)done / ((double)total * CHUNK));
            struct timespec ts = {0, 200000000};
            nanosleep(&ts, NULL);
            int alive = 0;
            for (int t = 0; t < nt; t++)
                alive += !jobs[t].fail_open;
            if (!alive)
                break;
        }
        uint64_t checked = 0, bad = 0;
        int open_fail = 0;
        for (int t = 0; t < nt; t++) {
            pthread_join(th[t], NULL);
            checked += jobs[t].checked;
            bad += jobs[t].bad;
            if (jobs[t].fail_open) {
                open_fail = 1;
                printf("FAIL open: %s\n", jobs[t].err);
            }
        }
        if (tty)
            fprintf(stderr, "\r                         \r");
        clock_gettime(CLOCK_MONOTONIC, &t1);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        double cpu = (double)(c1.tv_sec - c0.tv_sec) + 1e-9 * (double)(c1.tv_nsec - c0.tv_nsec);
        char name[200];
        snprintf(name, sizeof name,
                 "%s: %llu inputs (%s), RTL == C model, %.1f s wall, %.1f s CPU (%.2f M elements per CPU-second, "
                 "%d threads)",
                 fmts[f], (unsigned long long)checked, frac == 1 ? "all 2^32" : "a sample", s, cpu,
                 (double)checked / cpu / 1e6, nt);
        LP_CASE(name, !open_fail && bad == 0 && checked == (uint64_t)total * CHUNK, "%s: %llu mismatches", fmts[f],
                (unsigned long long)bad);
    }
    return lp_test_summary();
}
