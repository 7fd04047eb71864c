/*
 * fuzz_study.c - libFuzzer target for the readers of a study directory, files that users
 * edit and crashed runs leave behind: the INI study (host/sweep/study.c, through inih), a
 * train --log CSV read back (host/train/log_read.c) and report's RFC 4180 CSV reader of
 * index.csv and kernel.csv (host/report/csv.c). Seeds: tests/fuzz/corpus_study/. An input
 * starting with 's' is a log, with 'i' (index.csv's header starts "id,") a CSV, else a study.
 *
 * Properties checked on every input besides "no crash, no sanitizer report":
 *   - a refused study or log has a one-line message;
 *   - an accepted study writes a canonical INI that parses back to the same canonical INI
 *     and the same number of jobs (what `lpsgd sweep DIR` relies on to resume);
 *   - an accepted log has only rows with a step and an epoch, and its summary counts no more
 *     step rows than rows;
 *   - an accepted CSV has rows whose fields are NUL-terminated strings inside its store.
 */
#define _GNU_SOURCE 1
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "sweep/study.h"
#include "train/log_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const lp_err_t *e)
{
    if (!e->msg[0] || strchr(e->msg, '\n'))
        abort();
}

static char *canonical(const lp_study_t *s, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    if (!m || lp_study_write_ini(s, m) || fclose(m))
        abort();
    return buf;
}

static void fuzz_study(const char *text)
{
    lp_study_t s, t;
    lp_err_t e = {{0}};
    lp_study_init(&s);
    if (lp_study_parse_ini(&s, text, "fuzz.ini", NULL, &e)) {
        check_msg(&e);
        lp_study_free(&s);
        return;
    }
    size_t n1, n2;
    char *c1 = canonical(&s, &n1);
    lp_study_init(&t);
    if (lp_study_parse_ini(&t, c1, "canonical.ini", NULL, &e))
        abort();
    char *c2 = canonical(&t, &n2);
    if (n1 != n2 || memcmp(c1, c2, n1) || lp_study_njobs(&s) != lp_study_njobs(&t))
        abort();
    free(c1);
    free(c2);
    lp_study_free(&s);
    lp_study_free(&t);
}

static void fuzz_log(const char *text, size_t len)
{
    lp_log_t log;
    lp_err_t e = {{0}};
    if (lp_log_parse(text, len, "fuzz.csv", &log, &e)) {
        check_msg(&e);
        return;
    }
    lp_log_summary_t s;
    for (size_t i = 0; i < log.n; i++)
        if (isnan(log.row[i][LP_LOG_STEP]) || isnan(log.row[i][LP_LOG_EPOCH]))
            abort();
    lp_log_summarize(&log, &s);
    if (s.steps > log.n)
        abort();
    lp_log_free(&log);
}

static void fuzz_csv(const char *text, size_t len)
{
    rp_csv_t csv;
    lp_err_t e = {{0}};
    if (rp_csv_parse(text, len, "fuzz.csv", &csv, &e)) {
        check_msg(&e);
        return;
    }
    size_t chars = 0;
    for (size_t r = 0; r < csv.nrows; r++)
        for (size_t c = 0; c < csv.ncols[r]; c++)
            chars += strlen(csv.rows[r][c]) + 1;
    if (chars > len + 1 + csv.nrows)
        abort();
    rp_csv_header_is(&csv, "id,status");
    rp_csv_free(&csv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    if (size && data[0] == 's' && !memchr(data, 0, size)) /* step,epoch,... : a log */
        fuzz_log(text, size);
    else if (size && data[0] == 'i')
        fuzz_csv(text, size);
    else
        fuzz_study(text);
    free(text);
    return 0;
}
