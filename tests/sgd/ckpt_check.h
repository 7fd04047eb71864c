/*
 * ckpt_check.h - the contract of the checkpoint parser (host/train/checkpoint.c), shared by
 * the libFuzzer target tests/fuzz/fuzz_checkpoint.c and the deterministic mutation test
 * tests/sgd/test_ckpt_mutate.c. A file is either refused with one line that names it
 * ("checkpoint NAME: ..."), or accepted with fields that agree with each other: K and D
 * those of the configuration block, K * D within the kernel's limits, the batch within the
 * training rows, d + 1 <= D, epochs and chunk within the CLI's limits, a NUL-terminated
 * data spec and a model of LP_SGD_MODEL_WORDS(K, D) floats.
 */
#ifndef LP_CKPT_CHECK_H
#define LP_CKPT_CHECK_H

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "train/train.h"

/* Parse an exact-size copy of buf (so a sanitizer sees any read past it). Returns 0 when
 * accepted, 1 when refused, -1 when the outcome breaks the contract. */
static inline int lp_ckpt_check(const uint8_t *buf, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    lp_ckpt_t c;
    lp_err_t err;
    int r;
    memcpy(copy, buf, len);
    err.msg[0] = '\0';
    if (lp_ckpt_parse(copy, len, "m.ck", &c, &err) != 0) {
        r = strncmp(err.msg, "checkpoint m.ck: ", 17) || strlen(err.msg) < 24 || strchr(err.msg, '\n') ? -1 : 1;
    } else {
        volatile float sink = 0;
        size_t mw = LP_SGD_MODEL_WORDS((size_t)c.K, c.D);
        for (size_t i = 0; i < mw; i++) /* every model word is there */
            sink += c.model[i];
        (void)sink;
        r = c.K == c.cfg[LP_CFG_K] && c.D == c.cfg[LP_CFG_D] && c.K >= 1 && (uint64_t)c.K * c.D <= LP_SGD_MAX_WORDS &&
                    c.cfg[LP_CFG_BATCH] >= 1 && c.cfg[LP_CFG_BATCH] <= c.n_train && (uint64_t)c.d + 1 <= c.D &&
                    c.epochs >= 1 && c.epochs <= LP_TRAIN_MAX_EPOCHS && c.chunk <= LP_TRAIN_MAX_CHUNK &&
                    memchr(c.data_spec, '\0', sizeof c.data_spec) && 4 * (LP_CKPT_HDR_WORDS + mw + 1) == len
                ? 0
                : -1;
        lp_ckpt_free(&c);
    }
    free(copy);
    return r;
}

/* Make buf[len] self-consistent again after a mutation (total words, CRC), so that the
 * mutation reaches the checks behind them. len must be a multiple of 4, at least 12. */
static inline void lp_ckpt_fix(uint8_t *buf, size_t len)
{
    uint32_t total = (uint32_t)(len / 4), crc;
    memcpy(buf + 8, &total, 4);
    crc = (uint32_t)crc32(0L, buf, (uInt)(len - 4));
    memcpy(buf + len - 4, &crc, 4);
}

#endif
