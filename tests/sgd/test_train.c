/*
 * test_train.c - the training loop (host/train) on the csim backend with small synthetic
 * data generated here:
 *   - every model x a few formats runs and the loss falls;
 *   - checkpoint + resume is bit-identical to an uninterrupted run (model bits and the
 *     per-step CSV, byte for byte), also when resuming mid-epoch and with other chunk sizes;
 *   - chunk size and evaluation points do not change a bit;
 *   - checkpoint files that are corrupt, truncated or of another version are refused;
 *   - model/data mismatches are refused with a message.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lp_test.h"
#include "train/train.h"

static char tmpdir[256];

static float frnd(uint32_t a, uint32_t b)
{
    return (float)((int32_t)(lp_sr_hash(1234, a, b) >> 8) - (1 << 23)) / (float)(1 << 23);
}

/* n rows, d features; classes = 0 regression, 2 binary, >2 multiclass (linear teacher). */
static void make_data(lp_data_t *D, uint32_t n, uint32_t d, uint32_t classes)
{
    memset(D, 0, sizeof *D);
    snprintf(D->name, sizeof D->name, "test%u", classes);
    lp_dataset_t *sp[2] = {&D->train, &D->test};
    for (int s = 0; s < 2; s++) {
        lp_dataset_t *ds = sp[s];
        ds->n = s ? n / 4 : n;
        ds->d = d;
        ds->classes = classes;
        ds->task = classes ? LP_TASK_CLASSIFICATION : LP_TASK_REGRESSION;
        ds->x = malloc((size_t)ds->n * d * sizeof(float));
        ds->y = malloc(ds->n * sizeof(float));
        for (uint32_t r = 0; r < ds->n; r++) {
            float z[16] = {0};
            for (uint32_t j = 0; j < d; j++) {
                float x = frnd(s * 1000000 + r, j);
                ds->x[(size_t)r * d + j] = x;
                for (uint32_t c = 0; c < (classes > 2 ? classes : 1); c++)
                    z[c] += x * frnd(777 + c, j);
            }
            if (!classes) {
                ds->y[r] = z[0] + 0.05f * frnd(99, r);
            } else if (classes == 2) {
                ds->y[r] = z[0] > 0 ? 1.0f : 0.0f;
            } else {
                uint32_t b = 0;
                for (uint32_t c = 1; c < classes; c++)
                    b = z[c] > z[b] ? c : b;
                ds->y[r] = (float)b;
            }
        }
    }
}

static const lp_backend_ops_t *csim(void)
{
    lp_err_t err;
    return lp_backend_find("csim", &err);
}

static int run(const lp_train_opts_t *o, const lp_data_t *D, const lp_ckpt_t *resume, const char *log, const char *ck,
               lp_train_result_t *res, lp_err_t *err)
{
    const lp_backend_ops_t *ops = csim();
    lp_backend_t *be;
    lp_backend_opts_t bo;
    memset(&bo, 0, sizeof bo);
    if (ops->open(&be, &bo, err) != 0)
        return 1;
    lp_train_io_t io = {NULL, 0, log, ck, 0, NULL};
    int rc = lp_train_run(o, D, ops, be, resume, &io, res, err);
    ops->close(be);
    return rc;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    int same = x && y && la == lb && !memcmp(x, y, la);
    free(x);
    free(y);
    return same;
}

static void path(char *buf, const char *name)
{
    snprintf(buf, 512, "%s/%s", tmpdir, name);
}

int main(void)
{
    lp_err_t err;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lpsgd-test-train-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        LP_CHECK(0, "cannot create a temporary directory under /tmp");
        return lp_test_summary();
    }
    lp_data_t reg, bin, multi;
    make_data(&reg, 512, 20, 0);
    make_data(&bin, 512, 20, 2);
    make_data(&multi, 512, 30, 5);

    /* every model x a few formats: runs, loss falls */
    const struct {
        uint32_t model;
        lp_data_t *data;
        float lr;
    } cases[4] = {{LP_MODEL_LSQ, &reg, 0.05f},
                  {LP_MODEL_LOGISTIC, &bin, 0.5f},
                  {LP_MODEL_SOFTMAX, &multi, 0.5f},
                  {LP_MODEL_HINGE, &bin, 0.1f}};
    const int fmts[4] = {LP_FMT_FP32, LP_FMT_BF16, LP_FMT_FP8_E4M3, LP_FMT_FP4_E2M1};
    for (int c = 0; c < 4; c++)
        for (int f = 0; f < 4; f++) {
            lp_train_opts_t o;
            lp_train_result_t res;
            lp_train_opts_default(&o);
            o.model = cases[c].model;
            o.lr = cases[c].lr;
            o.batch = 16;
            o.epochs = 3;
            o.q = lp_qcfg_default(lp_format_preset(fmts[f]));
            if (fmts[f] == LP_FMT_FP4_E2M1)
                o.q.scale = LP_SCALE_TENSOR; /* unscaled fp4 flushes these small gradients */
            int rc = run(&o, cases[c].data, NULL, NULL, NULL, &res, &err);
            char name[128];
            snprintf(name, sizeof name, "%s %s: loss %.4f -> %.4f", lp_model_names[o.model],
                     lp_format_preset_name(fmts[f]), rc == 0 ? res.evals[0].train_loss : NAN,
                     rc == 0 ? res.evals[res.nevals - 1].train_loss : NAN);
            LP_CASE(name, rc == 0 && res.evals[res.nevals - 1].train_loss < 0.8 * res.evals[0].train_loss,
                    "rc %d (%s)", rc, rc ? err.msg : "loss did not fall");
            lp_train_result_free(&res);
        }

    /* checkpoint + resume == uninterrupted, bit for bit */
    {
        char la[512], lb[512], ck[512], ck2[512];
        path(la, "a.csv");
        path(lb, "b.csv");
        path(ck, "b.ckpt");
        path(ck2, "a.ckpt");
        lp_train_opts_t o;
        lp_train_opts_default(&o);
        o.model = LP_MODEL_SOFTMAX;
        o.lr = 0.3f;
        o.batch = 10; /* 512 / 10: 51 steps per epoch, 2 rows skipped per epoch */
        o.epochs = 4;
        o.eval_every = 20;
        o.compensate = 1;
        o.q = lp_qcfg_default(lp_format_preset(LP_FMT_FP8_E4M3));
        o.q.rounding = LP_ROUND_SR;
        o.q.seed = o.seed = 42;
        lp_train_result_t A, B;
        int ra = run(&o, &multi, NULL, la, ck2, &A, &err);
        LP_CHECK(ra == 0, "uninterrupted run: %s", err.msg);
        o.epochs = 2;
        o.chunk = 7;
        int rb = run(&o, &multi, NULL, lb, ck, &B, &err);
        LP_CHECK(rb == 0, "first half: %s", err.msg);
        lp_train_result_free(&B);
        lp_ckpt_t c;
        int rr = lp_ckpt_read(ck, &c, &err);
        LP_CHECK(rr == 0 && c.next_step == 102, "checkpoint after 2 epochs: %s (next %llu)", err.msg,
                 (unsigned long long)c.next_step);
        lp_train_opts_t o2;
        lp_train_opts_default(&o2);
        lp_train_opts_from_ckpt(&c, &o2);
        o2.epochs = 4;
        o2.chunk = 64;
        rb = run(&o2, &multi, &c, lb, ck, &B, &err);
        LP_CHECK(rb == 0, "resume: %s", err.msg);
        size_t mw = LP_SGD_MODEL_WORDS(A.K, A.D);
        LP_CASE("resumed run: model bit-identical to the uninterrupted one",
                rb == 0 && ra == 0 && !memcmp(A.model, B.model, mw * 4), "models differ");
        LP_CASE("resumed run: per-step CSV byte-identical", same_file(la, lb), "%s and %s differ", la, lb);
        LP_CASE("final checkpoints identical", same_file(ck, ck2), "checkpoints differ");
        lp_train_result_free(&B);
        lp_ckpt_free(&c);

        /* interrupted mid-epoch (step 70, as Ctrl-C does), resumed with other chunks */
        {
            char lc[512], ckc[512];
            path(lc, "c.csv");
            path(ckc, "c.ckpt");
            lp_train_opts_t o3 = o;
            o3.epochs = 4;
            o3.chunk = 5;
            const lp_backend_ops_t *ops = csim();
            lp_backend_t *be;
            lp_backend_opts_t bo;
            memset(&bo, 0, sizeof bo);
            ops->open(&be, &bo, &err);
            lp_train_io_t io = {NULL, 0, lc, ckc, 70, NULL};
            lp_train_result_t C;
            int rc3 = lp_train_run(&o3, &multi, ops, be, NULL, &io, &C, &err);
            ops->close(be);
            lp_train_result_free(&C);
            LP_CHECK(rc3 == 130 && strstr(err.msg, "interrupted at step 70"), "stop_at: rc %d %s", rc3, err.msg);
            lp_ckpt_t m;
            int rm = lp_ckpt_read(ckc, &m, &err);
            LP_CHECK(rm == 0 && m.next_step == 70, "mid-epoch checkpoint at 70");
            o3.chunk = 13;
            rc3 = rm ? 1 : run(&o3, &multi, &m, lc, ckc, &C, &err);
            LP_CASE("interrupted at step 70 and resumed: model bit-identical",
                    rc3 == 0 && !memcmp(A.model, C.model, mw * 4), "rc %d, models differ", rc3);
            LP_CASE("interrupted and resumed: per-step CSV byte-identical", same_file(la, lc), "%s differs", lc);
            lp_train_result_free(&C);
            if (!rm)
                lp_ckpt_free(&m);
            unlink(lc);
            unlink(ckc);
        }
        lp_train_result_free(&A);

        /* corrupt checkpoints */
        size_t len;
        char *buf = slurp(ck, &len);
        char bad[512];
        path(bad, "bad.ckpt");
        FILE *f = fopen(bad, "wb");
        buf[len / 2] ^= 1;
        fwrite(buf, 1, len, f);
        fclose(f);
        LP_CASE("flipped bit: CRC mismatch refused", lp_ckpt_read(bad, &c, &err) != 0 && strstr(err.msg, "CRC"),
                "%s", err.msg);
        buf[len / 2] ^= 1;
        f = fopen(bad, "wb");
        fwrite(buf, 1, len - 8, f);
        fclose(f);
        LP_CASE("truncated checkpoint refused", lp_ckpt_read(bad, &c, &err) != 0, "accepted");
        ((uint32_t *)(void *)buf)[1] = 99;
        f = fopen(bad, "wb");
        fwrite(buf, 1, len, f);
        fclose(f);
        LP_CASE("unknown version refused", lp_ckpt_read(bad, &c, &err) != 0 && strstr(err.msg, "version"), "%s",
                err.msg);
        LP_CASE("missing checkpoint refused", lp_ckpt_read("/nonexistent/x.ckpt", &c, &err) != 0, "accepted");
        free(buf);

        /* resume against different options or data */
        lp_ckpt_read(ck2, &c, &err);
        lp_train_opts_t o5;
        lp_train_opts_default(&o5);
        lp_train_opts_from_ckpt(&c, &o5);
        o5.epochs = 6;
        o5.lr = 0.2f;
        lp_train_result_t E;
        int r5 = run(&o5, &multi, &c, NULL, NULL, &E, &err);
        LP_CASE("resume with another --lr refused", r5 == 2 && strstr(err.msg, "different"), "rc %d %s", r5, err.msg);
        lp_train_result_free(&E);
        lp_train_opts_from_ckpt(&c, &o5);
        o5.epochs = 6;
        lp_data_t other;
        make_data(&other, 400, 30, 5);
        r5 = run(&o5, &other, &c, NULL, NULL, &E, &err);
        LP_CASE("resume on other data refused", r5 == 2 && strstr(err.msg, "rows"), "rc %d %s", r5, err.msg);
        lp_train_result_free(&E);
        lp_data_free(&other);
        lp_ckpt_free(&c);
        unlink(la);
        unlink(lb);
        unlink(ck);
        unlink(ck2);
        unlink(bad);
    }

    /* model / data mismatches */
    {
        lp_train_opts_t o;
        lp_train_result_t R;
        lp_train_opts_default(&o);
        o.model = LP_MODEL_LOGISTIC;
        int r = run(&o, &multi, NULL, NULL, NULL, &R, &err);
        LP_CASE("logistic on 5 classes refused", r == 2 && strstr(err.msg, "binary"), "rc %d %s", r, err.msg);
        lp_train_result_free(&R);
        o.model = LP_MODEL_SOFTMAX;
        r = run(&o, &reg, NULL, NULL, NULL, &R, &err);
        LP_CASE("softmax on regression targets refused", r == 2, "rc %d %s", r, err.msg);
        lp_train_result_free(&R);
        o.batch = 100000;
        o.model = LP_MODEL_LSQ;
        r = run(&o, &reg, NULL, NULL, NULL, &R, &err);
        LP_CASE("batch larger than the data refused", r == 2 && strstr(err.msg, "--batch"), "rc %d %s", r, err.msg);
        lp_train_result_free(&R);
    }
    lp_data_free(&reg);
    lp_data_free(&bin);
    lp_data_free(&multi);
    rmdir(tmpdir);
    return lp_test_summary();
}
