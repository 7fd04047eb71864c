/*
 * selftest.h - the short jobs of `lpsgd selftest` (cmd_selftest.c), also used by the xrt
 * tests: configuration blocks and minibatch rows built straight in the kernel's ABI
 * (hls/sgd/lp_sgd.h), each job covering another model, format and option.
 */
#ifndef LP_SELFTEST_H
#define LP_SELFTEST_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "sgd/lp_sgd.h"

typedef struct {
    const char *what;  /* one line: model, format, options                 */
    uint32_t cfg[LP_SGD_CFG_WORDS];
    uint32_t K, D;     /* outputs, words per row of features               */
    uint32_t chunks;   /* kernel calls                                     */
    uint32_t steps;    /* steps per call                                   */
    uint32_t *data;    /* chunks * steps * B rows (malloc'd)               */
    float *model;      /* LP_SGD_MODEL_WORDS(K, D) initial model (malloc'd) */
} lp_selftest_job_t;

#define LP_SELFTEST_NJOBS 4

/*
 * lpsgd selftest's exit status when the host path ran but no kernel result could be
 * compared (XRT's noop shim): neither a pass (0) nor a difference (1) nor a start-up
 * error (2).
 */
#define LP_SELFTEST_NOT_COMPARED 3

/* Build job j (0..LP_SELFTEST_NJOBS-1); its cfg block comes from lp_train_make_cfg. */
int lp_selftest_job(unsigned j, lp_selftest_job_t *job, lp_err_t *err);
void lp_selftest_job_free(lp_selftest_job_t *job);

/* Words of one chunk's rows. */
size_t lp_selftest_chunk_words(const lp_selftest_job_t *job);

/*
 * Run a job on an opened backend: train_load, then the chunks (up to `depth` runs
 * outstanding: 1 is the interface's contract, 2 double-buffers on the xrt backend), then
 * train_read. records gets chunks*steps records, model the final model.
 */
int lp_selftest_run(const lp_backend_ops_t *ops, lp_backend_t *be, const lp_selftest_job_t *job, unsigned depth,
                    uint32_t *records, float *model, lp_err_t *err);

#endif
