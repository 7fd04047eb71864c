/*
 * fuzz_data_check.h - what every data-parser fuzz target checks besides "no crash, no
 * sanitizer report": a parse either gives a valid dataset (n, d >= 1, finite values,
 * classification labels integers inside 0..classes-1, classes >= 2; regression classes 0)
 * or fails with one message line that starts with the input's name.
 */
#ifndef LP_FUZZ_DATA_CHECK_H
#define LP_FUZZ_DATA_CHECK_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data_int.h"

static inline void lp_fuzz_check_dataset(const lp_dataset_t *ds)
{
    if (ds->n < 1 || ds->d < 1 || !ds->x || !ds->y)
        abort();
    for (size_t k = 0; k < (size_t)ds->n * ds->d; k++)
        if (!isfinite(ds->x[k]))
            abort();
    for (uint32_t i = 0; i < ds->n; i++) {
        float y = ds->y[i];
        if (!isfinite(y))
            abort();
        if (ds->task == LP_TASK_CLASSIFICATION && (y != floorf(y) || y < 0 || y >= (float)ds->classes))
            abort();
    }
    if (ds->task == LP_TASK_CLASSIFICATION ? ds->classes < 2 : ds->classes != 0)
        abort();
}

static inline void lp_fuzz_check_message(const char *err, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(err, name, n) != 0 || (err[n] != ':' ) || strchr(err, '\n'))
        abort();
}

#endif
