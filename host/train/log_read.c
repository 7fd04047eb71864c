/*
 * log_read.c - a train --log CSV read back into numbers (log_read.h).
 */
#include "train/log_read.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/lp_io.h"

const char lp_log_header[] = "step,epoch,lr,q_norm,q_proj,noise,underflow_pct,saturated,subnormal,nan,q_hat,"
                             "batch_loss,batch_acc,train_loss,train_acc,test_loss,test_acc";

/* One field [p, e) as a number: empty is NaN; anything strtod does not take whole is an error. */
static int field(const char *p, const char *e, double *v)
{
    char buf[64], *end;
    size_t len = (size_t)(e - p);
    if (len == 0) {
        *v = NAN;
        return 0;
    }
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, p, len);
    buf[len] = 0;
    *v = strtod(buf, &end);
    return *end || end == buf ? -1 : 0;
}

static int parse_row(const char *p, const char *eol, double *row)
{
    for (int c = 0; c < LP_LOG_NCOL; c++) {
        const char *e = memchr(p, ',', (size_t)(eol - p));
        if (!e)
            e = eol;
        if ((e == eol) != (c == LP_LOG_NCOL - 1) || field(p, e, &row[c]))
            return -1;
        p = e + 1;
    }
    return isnan(row[LP_LOG_STEP]) || isnan(row[LP_LOG_EPOCH]) ? -1 : 0;
}

int lp_log_parse(const char *text, size_t len, const char *name, lp_log_t *log, lp_err_t *err)
{
    size_t hl = strlen(lp_log_header), cap = 0;
    memset(log, 0, sizeof *log);
    if (len < hl + 1 || memcmp(text, lp_log_header, hl) || text[hl] != '\n')
        return lp_fail(err, "%s: not an 'lpsgd train --log' CSV (its header differs)", name);
    size_t line = 1;
    for (const char *p = text + hl + 1, *end = text + len; p < end; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) {
            lp_log_free(log);
            return lp_fail(err, "%s:%zu: the last line has no end (a log cut short?)", name, line + 1);
        }
        if (log->n == cap) {
            cap = cap ? 2 * cap : 256;
            void *nr = realloc(log->row, cap * sizeof *log->row);
            if (!nr) {
                lp_log_free(log);
                return lp_fail(err, "out of memory");
            }
            log->row = nr;
        }
        if (parse_row(p, eol, log->row[log->n])) {
            lp_log_free(log);
            return lp_fail(err, "%s:%zu: not a log row (%d numbers or empty fields)", name, line + 1, LP_LOG_NCOL);
        }
        log->n++;
        p = eol + 1;
    }
    return 0;
}

int lp_log_read(const char *path, lp_log_t *log, lp_err_t *err)
{
    uint8_t *buf;
    size_t len;
    if (lp_io_read_file(path, LP_LOG_MAX_FILE, "a CSV written by 'lpsgd train --log'", &buf, &len, err))
        return -1;
    int rc = lp_log_parse((const char *)buf, len, path, log, err);
    free(buf);
    return rc;
}

void lp_log_free(lp_log_t *log)
{
    free(log->row);
    memset(log, 0, sizeof *log);
}

void lp_log_summarize(const lp_log_t *log, lp_log_summary_t *s)
{
    double qn = 0, qp = 0, un = 0, sat = 0;
    s->steps = 0;
    s->final_step = s->train_loss = s->train_acc = s->test_loss = s->test_acc = NAN;
    s->q_norm_min = s->q_proj_min = INFINITY;
    for (size_t i = 0; i < log->n; i++) {
        const double *r = log->row[i];
        if (!isnan(r[LP_LOG_TRAIN_LOSS])) {
            s->final_step = r[LP_LOG_STEP];
            s->train_loss = r[LP_LOG_TRAIN_LOSS];
            s->train_acc = r[LP_LOG_TRAIN_ACC];
            s->test_loss = r[LP_LOG_TEST_LOSS];
            s->test_acc = r[LP_LOG_TEST_ACC];
        }
        if (isnan(r[LP_LOG_Q_NORM]))
            continue;
        s->steps++;
        qn += r[LP_LOG_Q_NORM];
        qp += r[LP_LOG_Q_PROJ];
        un += r[LP_LOG_UNDERFLOW];
        sat += r[LP_LOG_SATURATED];
        s->q_norm_min = fmin(s->q_norm_min, r[LP_LOG_Q_NORM]);
        s->q_proj_min = fmin(s->q_proj_min, r[LP_LOG_Q_PROJ]);
    }
    double n = (double)s->steps;
    s->q_norm_mean = s->steps ? qn / n : NAN;
    s->q_proj_mean = s->steps ? qp / n : NAN;
    s->underflow_pct = s->steps ? un / n : NAN;
    s->saturated_mean = s->steps ? sat / n : NAN;
    if (!s->steps)
        s->q_norm_min = s->q_proj_min = NAN;
}
