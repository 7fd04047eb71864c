/*
 * checkpoint.c - training checkpoints: atomic (temporary file, fsync, rename: host/io),
 * versioned, CRC-protected, validated on read.
 *
 * File format, version 1: little-endian 32-bit words
 *   word 0        magic "LPCK" (0x4B43504C)
 *   word 1        version = 1
 *   word 2        total words in the file, CRC word included
 *   words 3..8    K, D, d (features), n_train, n_test, classes
 *   words 9..10   next_step (low, high): global index of the next step
 *   words 11..13  epochs (target), eval_every, chunk
 *   words 14..45  the kernel configuration block (hls/sgd/lp_sgd.h, 32 words)
 *   words 46..109 the --data spec, 256 bytes, NUL-terminated
 *   words 110..   the model: LP_SGD_MODEL_WORDS(K, D) f32 words (weights, state)
 *   last word     CRC-32 (zlib) of all the bytes before it
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "io/lp_io.h"
#include "train.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "checkpoint.c writes native words: a little-endian host is assumed"
#endif

#define CK_MAGIC 0x4B43504Cu
#define CK_VERSION 1u
#define CK_HDR 110u

int lp_ckpt_write(const char *path, const lp_ckpt_t *c, lp_err_t *err)
{
    uint32_t mw = LP_SGD_MODEL_WORDS(c->K, c->D), total = CK_HDR + mw + 1;
    uint32_t *w = calloc(total, 4);
    if (!w)
        return lp_fail(err, "checkpoint %s: out of memory", path);
    w[0] = CK_MAGIC;
    w[1] = CK_VERSION;
    w[2] = total;
    w[3] = c->K;
    w[4] = c->D;
    w[5] = c->d;
    w[6] = c->n_train;
    w[7] = c->n_test;
    w[8] = c->classes;
    w[9] = (uint32_t)c->next_step;
    w[10] = (uint32_t)(c->next_step >> 32);
    w[11] = c->epochs;
    w[12] = c->eval_every;
    w[13] = c->chunk;
    memcpy(w + 14, c->cfg, LP_SGD_CFG_WORDS * 4);
    memcpy(w + 46, c->data_spec, strnlen(c->data_spec, LP_TRAIN_SPEC_MAX - 1));
    memcpy(w + CK_HDR, c->model, (size_t)mw * 4);
    w[total - 1] = (uint32_t)crc32(0L, (const Bytef *)w, (uInt)((total - 1) * 4));
    lp_atomic_t a;
    if (lp_io_atomic_open(&a, path, err) != 0) {
        free(w);
        return -1;
    }
    if (fwrite(w, 4, total, a.f) != total) {
        lp_io_atomic_abort(&a);
        free(w);
        return lp_fail(err, "checkpoint %s: write failed (disk full?)", path);
    }
    free(w);
    return lp_io_atomic_commit(&a, err);
}

int lp_ckpt_read(const char *path, lp_ckpt_t *c, lp_err_t *err)
{
    uint8_t *buf;
    size_t len;
    const char *why;
    memset(c, 0, sizeof *c);
    if (lp_io_slurp(path, &buf, &len, err) != 0)
        return -1;
    uint32_t *w = (uint32_t *)(void *)buf; /* malloc'd: aligned */
    int bad = 0;
    if (len < (CK_HDR + 1) * 4 || len % 4 || w[0] != CK_MAGIC)
        bad = lp_fail(err, "checkpoint %s: not an lpsgd checkpoint (wrong size or magic)", path);
    else if (w[1] != CK_VERSION)
        bad = lp_fail(err, "checkpoint %s: version %u, this lpsgd reads version %u", path, w[1], CK_VERSION);
    else if (w[2] != len / 4)
        bad = lp_fail(err, "checkpoint %s: truncated or padded (%zu bytes, header says %u words)", path, len, w[2]);
    else if (w[len / 4 - 1] != (uint32_t)crc32(0L, buf, (uInt)(len - 4)))
        bad = lp_fail(err, "checkpoint %s: CRC mismatch (the file is corrupt)", path);
    else if (lp_sgd_check_cfg(w + 14, &why) != LP_SGD_OK || w[3] != w[14 + LP_CFG_K] || w[4] != w[14 + LP_CFG_D])
        bad = lp_fail(err, "checkpoint %s: invalid configuration block (%s)", path, *why ? why : "K/D mismatch");
    else if ((uint64_t)CK_HDR + LP_SGD_MODEL_WORDS((uint64_t)w[3], w[4]) + 1 != w[2])
        bad = lp_fail(err, "checkpoint %s: model size does not match K and D", path);
    else if (((const char *)(w + 46))[LP_TRAIN_SPEC_MAX - 1] != '\0')
        bad = lp_fail(err, "checkpoint %s: data spec not terminated", path);
    if (bad) {
        free(buf);
        return -1;
    }
    c->K = w[3];
    c->D = w[4];
    c->d = w[5];
    c->n_train = w[6];
    c->n_test = w[7];
    c->classes = w[8];
    c->next_step = (uint64_t)w[9] | (uint64_t)w[10] << 32;
    c->epochs = w[11];
    c->eval_every = w[12];
    c->chunk = w[13];
    memcpy(c->cfg, w + 14, LP_SGD_CFG_WORDS * 4);
    memcpy(c->data_spec, w + 46, LP_TRAIN_SPEC_MAX);
    size_t mw = LP_SGD_MODEL_WORDS(c->K, c->D);
    c->model = malloc(mw * 4);
    if (!c->model) {
        free(buf);
        return lp_fail(err, "checkpoint %s: out of memory", path);
    }
    memcpy(c->model, w + CK_HDR, mw * 4);
    free(buf);
    return 0;
}

void lp_ckpt_free(lp_ckpt_t *c)
{
    free(c->model);
    c->model = NULL;
}
