/*
 * verilator_train.h - the training ops of the verilator backend (backend.h train_*): the
 * SGD step engine of rtl/sgd simulated by Verilator through sim/sgd/lp_vsgd.h. Kept apart
 * from verilator.c (the quantizer ops); verilator.c forwards its train_* ops here.
 */
#ifndef LP_VERILATOR_TRAIN_H
#define LP_VERILATOR_TRAIN_H

#include "backend.h"

typedef struct lp_vl_train lp_vl_train_t;

/* *t is opened on first use (NULL before); trace: the backend's --trace file or NULL. */
int lp_vl_train_load(lp_vl_train_t **t, const char *trace, const uint32_t *cfg, const float *model, lp_err_t *err);
int lp_vl_train_submit(lp_vl_train_t *t, const uint32_t *data, uint32_t nsteps, uint32_t step0, lp_err_t *err);
int lp_vl_train_wait(lp_vl_train_t *t, uint32_t *records, lp_err_t *err);
int lp_vl_train_read(lp_vl_train_t *t, float *model, lp_err_t *err);
/* Clock cycles of the training engine since open (0 when none). */
uint64_t lp_vl_train_cycles(const lp_vl_train_t *t);
void lp_vl_train_close(lp_vl_train_t *t);

#endif
