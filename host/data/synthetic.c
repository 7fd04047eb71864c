/*
 * synthetic.c - the synthetic:KEY=V,... source: least squares with known truth.
 *
 * Keys (defaults): n=1000 training rows, test=n/5 (at least 1) test rows, d=10 features
 * (1..256), noise=0.1 (std. dev. of the label noise), cond=10 (>= 1: the ratio of the
 * largest to the smallest feature variance), seed=the --seed value.
 *
 * Generator (reproducible bit for bit on any IEEE-754 machine: only +, -, *, / and sqrt,
 * all correctly rounded; no libm transcendentals):
 *   state = seed; u() = (splitmix64(&state) >> 11) * 2^-53          uniform in [0, 1)
 *   g() = u() + u() + ... + u() (12 draws, summed in order) - 6      mean 0, variance 1
 *         (Irwin-Hall; not exactly Gaussian, bounded by +-6, which least squares does not mind)
 *   w_true[j] = g() for j = 0..d-1, then b_true = g()
 *   s_j = sqrt(1 - (1 - 1/cond) * j / (d - 1))   (s_0 = 1; d = 1: s_0 = 1)
 *   for each row (n training rows, then the test rows):
 *     x_j = (float)(s_j * g()) for j = 0..d-1
 *     y   = (float)(sum_j (double)x_j * w_true[j] + b_true + noise * g())
 * Truth (w*, F*, L, c) is computed from the stored FP32 rows by lp_data_truth with the
 * bias regularized (dataset.h); cond sets the feature scales, the reported L/c is exact.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_int.h"

#define SYN_MAX_N 100000u /* training rows (the truth costs n * (d+1)^2 / 2 multiply-adds) */
#define SYN_MAX_D 256u

static double syn_uniform(uint64_t *st) { return (double)(lp_splitmix64(st) >> 11) * 0x1p-53; }

static double syn_gauss(uint64_t *st)
{
    double s = 0.0;
    for (int k = 0; k < 12; k++)
        s += syn_uniform(st);
    return s - 6.0;
}

static int parse_u64(const char *b, const char *e, uint64_t *v)
{
    uint64_t x = 0;
    if (b == e || e - b > 19)
        return -1;
    for (const char *c = b; c < e; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        x = x * 10 + (uint64_t)(*c - '0');
    }
    *v = x;
    return 0;
}

static const char *const syn_usage = "use synthetic:n=ROWS,d=FEATURES,noise=SIGMA,cond=KAPPA,test=ROWS,seed=S "
                                     "(all optional)";

int lp_synthetic_load(const char *keys, uint32_t seed, double lambda, lp_data_t *out, char *err, unsigned errlen)
{
    uint64_t n = 1000, d = 10, ntest = 0, seed64 = seed;
    double noise = 0.1, cond = 10.0;
    int have_test = 0;
    const char *p = keys;
    char q[200];
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq) {
            lp_text_quote(p, end, q, sizeof q);
            lp_data_err(err, errlen, "synthetic: '%s' is not KEY=VALUE; %s", q, syn_usage);
            return -1;
        }
        size_t kl = (size_t)(eq - p);
        const char *v = eq + 1;
        int bad = 0;
        double dv = 0.0;
        if (kl == 1 && *p == 'n')
            bad = parse_u64(v, end, &n) || n < 1 || n > SYN_MAX_N;
        else if (kl == 1 && *p == 'd')
            bad = parse_u64(v, end, &d) || d < 1 || d > SYN_MAX_D;
        else if (kl == 4 && !memcmp(p, "test", 4))
            bad = parse_u64(v, end, &ntest) || ntest < 1 || ntest > LP_DATA_MAX_ROWS, have_test = 1;
        else if (kl == 4 && !memcmp(p, "seed", 4))
            bad = parse_u64(v, end, &seed64);
        else if (kl == 5 && !memcmp(p, "noise", 5))
            bad = lp_text_number(v, end, &dv) != LP_NUM_OK || !(dv >= 0.0) || dv > 1e6, noise = dv;
        else if (kl == 4 && !memcmp(p, "cond", 4))
            bad = lp_text_number(v, end, &dv) != LP_NUM_OK || !(dv >= 1.0) || dv > 1e12, cond = dv;
        else {
            lp_text_quote(p, eq, q, sizeof q);
            lp_data_err(err, errlen, "synthetic: unknown key '%s'; %s", q, syn_usage);
            return -1;
        }
        if (bad) {
            lp_text_quote(p, end, q, sizeof q);
            lp_data_err(err, errlen, "synthetic: '%s' is out of range; n is 1..%u, d is 1..%u, test is 1..%u, "
                        "noise is 0..1e6, cond is 1..1e12, seed is an integer", q, SYN_MAX_N, SYN_MAX_D,
                        LP_DATA_MAX_ROWS);
            return -1;
        }
        p = *end ? end + 1 : end;
    }
    if (!have_test)
        ntest = n / 5 ? n / 5 : 1;
    if (!(lambda >= 0.0) || lambda > 1e30) {
        lp_data_err(err, errlen, "synthetic: lambda %g must be >= 0 and finite; give --lambda >= 0", lambda);
        return -1;
    }
    if (lp_data_alloc(&out->train, (uint32_t)n, (uint32_t)d, "synthetic", err, errlen) ||
        lp_data_alloc(&out->test, (uint32_t)ntest, (uint32_t)d, "synthetic", err, errlen))
        return -1;
    double *wt = malloc((d + 1) * sizeof *wt), *s = malloc(d * sizeof *s);
    if (!wt || !s) {
        free(wt);
        free(s);
        lp_data_err(err, errlen, "synthetic: out of memory");
        return -1;
    }
    uint64_t st = seed64;
    for (uint64_t j = 0; j <= d; j++)
        wt[j] = syn_gauss(&st);
    for (uint64_t j = 0; j < d; j++)
        s[j] = d == 1 ? 1.0 : sqrt(1.0 - (1.0 - 1.0 / cond) * (double)j / (double)(d - 1));
    lp_dataset_t *sets[2] = {&out->train, &out->test};
    for (int k = 0; k < 2; k++) {
        lp_dataset_t *ds = sets[k];
        for (uint32_t i = 0; i < ds->n; i++) {
            float *x = ds->x + (size_t)i * d;
            double y = 0.0;
            for (uint64_t j = 0; j < d; j++) {
                x[j] = (float)(s[j] * syn_gauss(&st));
                y += (double)x[j] * wt[j];
            }
            ds->y[i] = (float)(y + wt[d] + noise * syn_gauss(&st));
        }
        ds->task = LP_TASK_REGRESSION;
        ds->classes = 0;
    }
    free(wt);
    free(s);
    if (lp_data_truth(&out->train, lambda, 1, &out->truth, err, errlen))
        return -1;
    out->has_truth = 1;
    snprintf(out->name, sizeof out->name, "synthetic:n=%llu,d=%llu,noise=%g,cond=%g,test=%llu,seed=%llu",
             (unsigned long long)n, (unsigned long long)d, noise, cond, (unsigned long long)ntest,
             (unsigned long long)seed64);
    return 0;
}
