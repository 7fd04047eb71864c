/*
 * checkpoint.c - training checkpoints: atomic (temporary file, fsync, rename: host/io),
 * versioned, CRC-protected, validated on read. The reader is a parser of untrusted
 * files (tests/fuzz/fuzz_checkpoint.c, tests/sgd/test_ckpt_mutate.c): it reads only
 * regular files, at most LP_CKPT_MAX_BYTES, and checks every field before using it.
 *
 * File format, version 2: little-endian 32-bit words
 *   word 0        magic "LPCK" (0x4B43504C)
 *   word 1        version = 2
 *   word 2        total words in the file, CRC word included
 *   words 3..8    K, D, d (features), n_train, n_test, classes
 *   words 9..10   next_step (low, high): global index of the next step
 *   words 11..13  epochs (target), eval_every, chunk
 *   words 14..15  data digest (low, high): lp_train_data_digest of the run's data
 *   words 16..17  log length (low, high): bytes of the --log CSV when the checkpoint was
 *                 written (flushed and fsync'ed first); 0 = the run had no log
 *   words 18..49  the kernel configuration block (hls/sgd/lp_sgd.h, 32 words)
 *   words 50..113 the --data spec, 256 bytes, NUL-terminated
 *   words 114..   the model: LP_SGD_MODEL_WORDS(K, D) f32 words (weights, state)
 *   last word     CRC-32 (zlib) of all the bytes before it
 * Version 1 (no digest, no log length) is refused with a message saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "io/lp_io.h"
#include "train.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "checkpoint.c writes native words: a little-endian host is assumed"
#endif

#define CK_MAGIC 0x4B43504Cu
#define CK_VERSION 2u
#define CK_W_DIGEST 14u
#define CK_W_LOGLEN 16u
#define CK_W_CFG 18u
#define CK_W_SPEC (CK_W_CFG + LP_SGD_CFG_WORDS)
#define CK_HDR (CK_W_SPEC + LP_TRAIN_SPEC_MAX / 4)

_Static_assert(CK_HDR == LP_CKPT_HDR_WORDS, "checkpoint layout of the comment above");
_Static_assert(LP_CKPT_MAX_BYTES == 4u * (CK_HDR + LP_SGD_MODEL_WORDS(LP_SGD_MAX_WORDS, 1) + 1),
               "LP_CKPT_MAX_BYTES is the largest file the format holds");

static void put64(uint32_t *w, uint64_t v)
{
    w[0] = (uint32_t)v;
    w[1] = (uint32_t)(v >> 32);
}

static uint64_t get64(const uint32_t *w) { return (uint64_t)w[0] | (uint64_t)w[1] << 32; }

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
    put64(w + 9, c->next_step);
    w[11] = c->epochs;
    w[12] = c->eval_every;
    w[13] = c->chunk;
    put64(w + CK_W_DIGEST, c->data_digest);
    put64(w + CK_W_LOGLEN, c->log_len);
    memcpy(w + CK_W_CFG, c->cfg, LP_SGD_CFG_WORDS * 4);
    memcpy(w + CK_W_SPEC, c->data_spec, strnlen(c->data_spec, LP_TRAIN_SPEC_MAX - 1));
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

/* Why w[len/4] is not a valid checkpoint (into why), or NULL. Words are read only once known present. */
static const char *ckpt_invalid(const uint32_t *w, size_t len, const uint8_t *buf, char *why, size_t cap)
{
    const char *cw = "";
    if (len < 8 || len % 4 || w[0] != CK_MAGIC)
        snprintf(why, cap, "not an lpsgd checkpoint (wrong size or magic)");
    else if (w[1] < CK_VERSION)
        snprintf(why, cap, "written by an older lpsgd (format version %u, without the data digest and log length "
                           "of version %u): start the run afresh", w[1], CK_VERSION);
    else if (w[1] > CK_VERSION)
        snprintf(why, cap, "format version %u, this lpsgd reads version %u: use a newer lpsgd", w[1], CK_VERSION);
    else if (len < (CK_HDR + 1) * 4 || w[2] != len / 4)
        snprintf(why, cap, "truncated or padded (%zu bytes, header says %u words)", len, w[2]);
    else if (w[len / 4 - 1] != (uint32_t)crc32(0L, buf, (uInt)(len - 4)))
        snprintf(why, cap, "CRC mismatch (the file is corrupt)");
    else if (lp_sgd_check_cfg(w + CK_W_CFG, &cw) != LP_SGD_OK || w[3] != w[CK_W_CFG + LP_CFG_K] ||
             w[4] != w[CK_W_CFG + LP_CFG_D])
        snprintf(why, cap, "invalid configuration block (%s)", cw && *cw ? cw : "K/D mismatch");
    else if (w[CK_W_CFG + LP_CFG_BATCH] > w[6])
        snprintf(why, cap, "batch %u larger than its %u training rows", w[CK_W_CFG + LP_CFG_BATCH], w[6]);
    else if ((uint64_t)w[5] + 1 > w[4])
        snprintf(why, cap, "%u features do not fit rows of %u words", w[5], w[4]);
    else if (w[11] < 1 || w[11] > LP_TRAIN_MAX_EPOCHS || w[13] > LP_TRAIN_MAX_CHUNK)
        snprintf(why, cap, "epochs %u or chunk %u out of range", w[11], w[13]);
    else if ((uint64_t)CK_HDR + LP_SGD_MODEL_WORDS((uint64_t)w[3], w[4]) + 1 != w[2])
        snprintf(why, cap, "model size does not match K and D");
    else if (((const char *)(w + CK_W_SPEC))[LP_TRAIN_SPEC_MAX - 1] != '\0')
        snprintf(why, cap, "data spec not terminated");
    else
        return NULL;
    return why;
}

int lp_ckpt_parse(const uint8_t *buf, size_t len, const char *name, lp_ckpt_t *c, lp_err_t *err)
{
    char why[200];
    memset(c, 0, sizeof *c);
    /* an aligned copy: buf may come from anywhere (the fuzzer) */
    uint32_t *w = malloc(len + 4);
    if (!w)
        return lp_fail(err, "checkpoint %s: out of memory", name);
    memcpy(w, buf, len);
    const char *bad = ckpt_invalid(w, len, buf, why, sizeof why);
    if (bad) {
        free(w);
        return lp_fail(err, "checkpoint %s: %s", name, bad);
    }
    c->K = w[3];
    c->D = w[4];
    c->d = w[5];
    c->n_train = w[6];
    c->n_test = w[7];
    c->classes = w[8];
    c->next_step = get64(w + 9);
    c->epochs = w[11];
    c->eval_every = w[12];
    c->chunk = w[13];
    c->data_digest = get64(w + CK_W_DIGEST);
    c->log_len = get64(w + CK_W_LOGLEN);
    memcpy(c->cfg, w + CK_W_CFG, LP_SGD_CFG_WORDS * 4);
    memcpy(c->data_spec, w + CK_W_SPEC, LP_TRAIN_SPEC_MAX);
    size_t mw = LP_SGD_MODEL_WORDS(c->K, c->D);
    c->model = malloc(mw * 4);
    if (c->model)
        memcpy(c->model, w + CK_HDR, mw * 4);
    free(w);
    return c->model ? 0 : lp_fail(err, "checkpoint %s: out of memory", name);
}

int lp_ckpt_read(const char *path, lp_ckpt_t *c, lp_err_t *err)
{
    uint8_t *buf;
    size_t len;
    memset(c, 0, sizeof *c);
    /* a regular file of at most what the format holds: /dev/zero or a FIFO is never read */
    if (lp_io_read_file(path, LP_CKPT_MAX_BYTES, "an lpsgd checkpoint", &buf, &len, err) != 0)
        return -1;
    int rc = lp_ckpt_parse(buf, len, path, c, err);
    free(buf);
    return rc;
}

void lp_ckpt_free(lp_ckpt_t *c)
{
    free(c->model);
    c->model = NULL;
}
