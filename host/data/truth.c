/*
 * truth.c - least-squares ground truth in double (dataset.h states the objective):
 *   A = X~^T X~ / n + lambda * R,  b = X~^T y / n   (R = I, or I without the bias entry)
 *   w* = A^-1 b by Cholesky (A = G G^T; fails unless every pivot is positive),
 *   L, c = largest and smallest eigenvalue of A by cyclic Jacobi rotations,
 *   F* = F(w*) evaluated directly over the rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data_int.h"

double lp_data_ls_objective(const lp_dataset_t *tr, const double *w, double lambda, int reg_bias)
{
    uint32_t d = tr->d;
    double sse = 0.0, reg = 0.0;
    for (uint32_t i = 0; i < tr->n; i++) {
        const float *x = tr->x + (size_t)i * d;
        double r = w[d]; /* bias column 1.0 */
        for (uint32_t j = 0; j < d; j++)
            r += (double)x[j] * w[j];
        r -= (double)tr->y[i];
        sse += r * r;
    }
    for (uint32_t j = 0; j < d + (reg_bias ? 1u : 0u); j++)
        reg += w[j] * w[j];
    return sse / (2.0 * tr->n) + 0.5 * lambda * reg;
}

/* Cyclic Jacobi on the symmetric D x D matrix a (destroyed); extreme eigenvalues out. */
static void jacobi_extremes(double *a, uint32_t D, double *lmin, double *lmax)
{
    double frob = 0.0;
    for (size_t k = 0; k < (size_t)D * D; k++)
        frob += a[k] * a[k];
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0.0;
        for (uint32_t p = 0; p < D; p++)
            for (uint32_t q = p + 1; q < D; q++)
                off += 2.0 * a[(size_t)p * D + q] * a[(size_t)p * D + q];
        if (off <= 1e-30 * frob)
            break;
        for (uint32_t p = 0; p < D; p++)
            for (uint32_t q = p + 1; q < D; q++) {
                double apq = a[(size_t)p * D + q];
                if (apq == 0.0)
                    continue;
                /* J = [[c, s], [-s, c]] on (p, q); A <- J^T A J zeroes a_pq when
                 * cot(2 phi) = theta = (a_qq - a_pp) / (2 a_pq), t = tan(phi) the smaller root */
                double theta = (a[(size_t)q * D + q] - a[(size_t)p * D + p]) / (2.0 * apq);
                double t = fabs(theta) > 1e150 ? 0.5 / theta
                                               : (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (uint32_t k = 0; k < D; k++) {
                    double akp = a[(size_t)k * D + p], akq = a[(size_t)k * D + q];
                    a[(size_t)k * D + p] = c * akp - s * akq;
                    a[(size_t)k * D + q] = s * akp + c * akq;
                }
                for (uint32_t k = 0; k < D; k++) {
                    double apk = a[(size_t)p * D + k], aqk = a[(size_t)q * D + k];
                    a[(size_t)p * D + k] = c * apk - s * aqk;
                    a[(size_t)q * D + k] = s * apk + c * aqk;
                }
                a[(size_t)p * D + q] = a[(size_t)q * D + p] = 0.0;
            }
    }
    *lmin = *lmax = a[0];
    for (uint32_t k = 1; k < D; k++) {
        double v = a[(size_t)k * D + k];
        *lmin = v < *lmin ? v : *lmin;
        *lmax = v > *lmax ? v : *lmax;
    }
}

int lp_data_truth(const lp_dataset_t *tr, double lambda, int reg_bias, lp_truth_t *t, char *err, unsigned errlen)
{
    memset(t, 0, sizeof *t);
    uint32_t d = tr->d, D = d + 1;
    if (D > LP_TRUTH_MAX_D) {
        lp_data_err(err, errlen, "ground truth: %u features, more than the %u the dense solver handles; "
                    "use fewer features", d, LP_TRUTH_MAX_D - 1);
        return -1;
    }
    if (tr->n == 0 || !(lambda >= 0.0) || !isfinite(lambda)) {
        lp_data_err(err, errlen, "ground truth: needs rows and a finite lambda >= 0");
        return -1;
    }
    double *A = calloc((size_t)D * D, sizeof *A), *G = calloc((size_t)D * D, sizeof *G);
    double *b = calloc(D, sizeof *b), *xt = calloc(D, sizeof *xt), *w = calloc(D, sizeof *w);
    int rc = -1;
    if (!A || !G || !b || !xt || !w) {
        lp_data_err(err, errlen, "ground truth: out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < tr->n; i++) {
        const float *x = tr->x + (size_t)i * d;
        for (uint32_t j = 0; j < d; j++)
            xt[j] = (double)x[j];
        xt[d] = 1.0;
        double y = (double)tr->y[i];
        for (uint32_t j = 0; j < D; j++) {
            b[j] += xt[j] * y;
            for (uint32_t k = 0; k <= j; k++)
                A[(size_t)j * D + k] += xt[j] * xt[k];
        }
    }
    for (uint32_t j = 0; j < D; j++) {
        b[j] /= tr->n;
        for (uint32_t k = 0; k <= j; k++)
            A[(size_t)k * D + j] = A[(size_t)j * D + k] = A[(size_t)j * D + k] / tr->n;
        if (j < d || reg_bias)
            A[(size_t)j * D + j] += lambda;
    }
    /* Cholesky A = G G^T (G lower) */
    for (uint32_t j = 0; j < D; j++) {
        for (uint32_t k = 0; k <= j; k++) {
            double s = A[(size_t)j * D + k];
            for (uint32_t m = 0; m < k; m++)
                s -= G[(size_t)j * D + m] * G[(size_t)k * D + m];
            if (k < j) {
                G[(size_t)j * D + k] = s / G[(size_t)k * D + k];
            } else {
                if (!(s > 1e-13 * A[(size_t)j * D + j])) {
                    lp_data_err(err, errlen, "ground truth: F is not strongly convex (X~^T X~/n + lambda I is "
                                "singular: %u rows for %u weights, lambda = %g); use more rows than features "
                                "or lambda > 0", tr->n, D, lambda);
                    goto done;
                }
                G[(size_t)j * D + j] = sqrt(s);
            }
        }
    }
    /* G z = b, then G^T w = z */
    for (uint32_t j = 0; j < D; j++) {
        double s = b[j];
        for (uint32_t m = 0; m < j; m++)
            s -= G[(size_t)j * D + m] * w[m];
        w[j] = s / G[(size_t)j * D + j];
    }
    for (uint32_t j = D; j-- > 0;) {
        double s = w[j];
        for (uint32_t m = j + 1; m < D; m++)
            s -= G[(size_t)m * D + j] * w[m];
        w[j] = s / G[(size_t)j * D + j];
    }
    jacobi_extremes(A, D, &t->c, &t->L);
    if (!(t->c > 0.0)) {
        lp_data_err(err, errlen, "ground truth: smallest eigenvalue %g is not positive: F is not strongly convex; "
                    "use more rows or lambda > 0", t->c);
        goto done;
    }
    t->d = D;
    t->w_star = w;
    w = NULL;
    t->lambda = lambda;
    t->reg_bias = reg_bias;
    t->f_star = lp_data_ls_objective(tr, t->w_star, lambda, reg_bias);
    rc = 0;
done:
    free(A);
    free(G);
    free(b);
    free(xt);
    free(w);
    if (rc)
        memset(t, 0, sizeof *t);
    return rc;
}

void lp_truth_free(lp_truth_t *t)
{
    if (!t)
        return;
    free(t->w_star);
    memset(t, 0, sizeof *t);
}
