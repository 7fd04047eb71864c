/*
 * data_check.h - what the mutation test (tests/data/test_data_mutate.c) and the data-parser
 * fuzz targets (tests/fuzz/fuzz_{libsvm,csv,idx}.c) demand of every outcome besides "no
 * crash, no sanitizer report": a parse either gives a valid dataset (n, d >= 1, finite
 * values, classification labels integers inside 0..classes-1 with classes >= 2, regression
 * classes 0) or fails with one message line that starts with the input's name.
 */
#ifndef LP_DATA_CHECK_H
#define LP_DATA_CHECK_H

#include <math.h>
#include <string.h>

#include "data_int.h"

static inline int lp_data_check_dataset(const lp_dataset_t *ds)
{
    if (ds->n < 1 || ds->d < 1 || !ds->x || !ds->y)
        return 0;
    for (size_t k = 0; k < (size_t)ds->n * ds->d; k++)
        if (!isfinite(ds->x[k]))
            return 0;
    for (uint32_t i = 0; i < ds->n; i++) {
        float y = ds->y[i];
        if (!isfinite(y))
            return 0;
        if (ds->task == LP_TASK_CLASSIFICATION && (y != floorf(y) || y < 0 || y >= (float)ds->classes))
            return 0;
    }
    return ds->task == LP_TASK_CLASSIFICATION ? ds->classes >= 2 : ds->classes == 0;
}

/* One line that starts with "NAME" followed by ':' (NAME may be a path's tail: strstr). */
static inline int lp_data_check_message(const char *err, const char *name)
{
    const char *at = strstr(err, name);
    return err[0] && at && at[strlen(name)] == ':' && !strchr(err, '\n');
}

#endif
