/*
 * test_ckpt_mutate.c - the checkpoint reader (lp_ckpt_parse / lp_ckpt_read) against many
 * damaged files made from real checkpoints: every truncation, every single-bit flip of
 * the header and of the first model words, appended bytes, and seeded random multi-byte
 * mutations with random lengths; each both as it is and with its word count and CRC made
 * consistent again (so it reaches the checks behind the CRC). Every file must keep the
 * contract of ckpt_check.h: accepted with consistent fields, or refused with one line
 * naming it; never a crash (this runs under ASan/UBSan in make test), never a read past
 * the file (each is its own exactly-sized malloc). Also: what lp_ckpt_write writes,
 * lp_ckpt_read reads back field for field.
 */
#include <stdio.h>
#include <unistd.h>

#include "ckpt_check.h"
#include "lp_test.h"

static uint32_t rng = 2024u;
static uint32_t next(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

/* A real checkpoint of a `spec` run (least squares), written and read back: *len bytes. */
static uint8_t *make_ckpt(const char *spec, const char *path, size_t *len)
{
    lp_train_opts_t o;
    lp_data_t data;
    lp_ckpt_t c, back;
    lp_err_t err;
    char derr[256];
    lp_train_opts_default(&o);
    o.model = LP_MODEL_LSQ;
    o.batch = 8;
    snprintf(o.data_spec, sizeof o.data_spec, "%s", spec);
    memset(&c, 0, sizeof c);
    if (lp_data_load(spec, 0, 1e-4, &data, derr, sizeof derr) != 0 || lp_train_make_cfg(&o, &data, c.cfg, &err) != 0)
        return NULL;
    memcpy(c.data_spec, o.data_spec, sizeof c.data_spec);
    c.K = c.cfg[LP_CFG_K];
    c.D = c.cfg[LP_CFG_D];
    c.d = data.train.d;
    c.n_train = data.train.n;
    c.n_test = data.test.n;
    c.classes = data.train.classes;
    c.next_step = 123456789012ull;
    c.epochs = 7;
    c.chunk = 64;
    c.data_digest = lp_train_data_digest(&data);
    c.log_len = 0x123456789ull;
    size_t mw = LP_SGD_MODEL_WORDS(c.K, c.D);
    c.model = malloc(mw * 4);
    for (size_t i = 0; i < mw; i++)
        c.model[i] = (float)i * 0.5f - 3.0f;
    int ok = lp_ckpt_write(path, &c, &err) == 0 && lp_ckpt_read(path, &back, &err) == 0;
    LP_CASE("checkpoint round trip (write, read): every field", ok && !memcmp(back.cfg, c.cfg, sizeof c.cfg) &&
                back.next_step == c.next_step && back.data_digest == c.data_digest && back.log_len == c.log_len &&
                back.epochs == 7 && back.n_train == c.n_train && !strcmp(back.data_spec, spec) &&
                !memcmp(back.model, c.model, mw * 4),
            "round trip of %s: %s", spec, ok ? "fields differ" : err.msg);
    if (ok)
        lp_ckpt_free(&back);
    free(c.model);
    lp_data_free(&data);
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(LP_CKPT_MAX_BYTES);
    *len = f ? fread(buf, 1, LP_CKPT_MAX_BYTES, f) : 0;
    if (f)
        fclose(f);
    return buf;
}

/* Check buf[len] as it is and (when its size allows) made consistent; count the outcomes. */
static void try(uint8_t *buf, size_t len, long *tried, long *accepted, long *broken)
{
    int r = lp_ckpt_check(buf, len);
    *broken += r < 0;
    *accepted += r == 0;
    ++*tried;
    if (len % 4 == 0 && len >= 12) {
        lp_ckpt_fix(buf, len);
        r = lp_ckpt_check(buf, len);
        *broken += r < 0;
        *accepted += r == 0;
        ++*tried;
    }
}

static void mutate_all(const uint8_t *good, size_t len, const char *name)
{
    static uint8_t mut[LP_CKPT_MAX_BYTES + 64];
    long tried = 0, accepted = 0, broken = 0;
    LP_CHECK(lp_ckpt_check(good, len) == 0, "%s: the valid checkpoint is refused", name);
    for (size_t cut = 0; cut < len; cut++) { /* every truncation: refused as it is */
        memcpy(mut, good, cut);
        int r = lp_ckpt_check(mut, cut);
        broken += r < 0 || r == 0;
        tried++;
        if (cut % 4 == 0 && cut >= 12)
            try(mut, cut, &tried, &accepted, &broken);
    }
    size_t flips = len < 4 * (LP_CKPT_HDR_WORDS + 8) ? len : 4 * (LP_CKPT_HDR_WORDS + 8);
    for (size_t i = 0; i < flips; i++) /* every bit of the header and the first model words */
        for (int bit = 0; bit < 8; bit++) {
            memcpy(mut, good, len);
            mut[i] ^= (uint8_t)(1u << bit);
                int r = lp_ckpt_check(mut, len);
            broken += r != 1; /* as it is, the CRC (or the version, magic) catches a flip */
            tried++;
            try(mut, len, &tried, &accepted, &broken);
        }
    for (size_t extra = 1; extra <= 64; extra++) { /* appended bytes */
        memcpy(mut, good, len);
        memset(mut + len, (int)extra, extra);
        try(mut, len + extra, &tried, &accepted, &broken);
    }
    for (int k = 0; k < 20000; k++) { /* random edits of header words, random lengths */
        memcpy(mut, good, len);
        int edits = 1 + (int)(next() % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = next() % (4 * LP_CKPT_HDR_WORDS) & ~(size_t)3;
            uint32_t v = next() % 3 == 0 ? next() : next() % 3 == 0 ? 0xFFFFFFFFu : next() % 70000;
            memcpy(mut + at, &v, 4);
        }
        size_t l2 = next() % 8 == 0 ? (next() % (len + 64)) & ~(size_t)3 : len;
        try(mut, l2, &tried, &accepted, &broken);
    }
    char what[160];
    snprintf(what, sizeof what, "%ld mutations of %s (%zu bytes): accepted %ld, refused cleanly %ld", tried, name, len,
             accepted, tried - accepted - broken);
    LP_CASE(what, broken == 0, "%s: %ld outcomes broke the contract", name, broken);
}

int main(void)
{
    char dir[] = "/tmp/lpsgd-ckmut.XXXXXX", path[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/m.ck", dir);
    static const char *const specs[] = {"synthetic:n=64,d=5", "synthetic:n=40,d=20,test=8"};
    for (int s = 0; s < 2; s++) {
        size_t len;
        uint8_t *good = make_ckpt(specs[s], path, &len);
        LP_CHECK(good && len > 4 * LP_CKPT_HDR_WORDS, "no checkpoint made from %s", specs[s]);
        if (good && len > 4 * LP_CKPT_HDR_WORDS)
            mutate_all(good, len, specs[s]);
        free(good);
    }
    unlink(path);
    rmdir(dir);
    return lp_test_summary();
}
