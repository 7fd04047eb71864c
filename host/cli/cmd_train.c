/*
 * cmd_train.c - `lpsgd train`: minibatch SGD with a quantized gradient on a backend,
 * per-epoch progress, a per-step CSV log, plots, checkpoint and resume (host/train/).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend/backend.h"
#include "cli.h"
#include "io/lp_io.h"
#include "plot/lp_plot.h"
#include "train/train.h"

static void usage(void)
{
    printf("usage: lpsgd train [--data D] [--model M] [--format F] [options]\n\n"
           "Trains a linear model by minibatch SGD whose gradient is quantized to the format F\n"
           "before the FP32 update w <- w - mu_k * Q(g) (the kernel of hls/sgd/lp_sgd.h), and\n"
           "reports per step how much the gradient shrank (q_norm, q_proj, underflow).\n\n"
           "data and model:\n"
           "  --data D            fashion-mnist[:DIR] (default), libsvm:PATH[,TEST], csv:PATH[,TEST],\n"
           "                      synthetic:KEY=V,... (least squares with known optimum)\n"
           "  --model M           softmax (default; 2..16 classes), logistic or hinge (binary\n"
           "                      labels), lsq (least squares)\n"
           "  --lambda L          L2 weight (default 1e-4)\n\n"
           "optimizer:\n"
           "  --lr MU             stepsize: the constant, beta of inverse, alpha_1 of halving (0.1)\n"
           "  --schedule S        const (default), inverse: mu_k = MU/(gamma+k) (paper Thm 4),\n"
           "                      halving: mu_k = MU * 2^-floor(k/R) (paper Thm 3 discussion)\n"
           "  --gamma G           gamma of inverse (default 0)\n"
           "  --period R          steps per halving (default 1000)\n"
           "  --batch B           rows per minibatch (default 64)\n"
           "  --epochs E          passes over the training rows (default 5)\n"
           "  --compensate        divide the stepsize by the measured q (an EMA of q_proj computed\n"
           "                      in the kernel; docs/training.md says why): the paper's remedy\n\n"
           "gradient quantizer (--seed also drives shuffling and the held-out split):\n" LP_QOPTS_HELP_NOSTEP
           "\noutput:\n"
           "  --log FILE          per-step CSV: step, lr, q_norm, q_proj, noise, underflow %%, ...,\n"
           "                      and train/test loss and accuracy at the evaluation points (locked\n"
           "                      for the run; on --resume cut back to the checkpoint's length)\n"
           "  --plot FILE.png     loss, test accuracy and q vs step (gnuplot); --backend vcard also\n"
           "                      writes FILE-vcard.png: where a step's time goes, the CU projection\n"
           "  --eval-every N      evaluate every N steps as well as after every epoch\n"
           "  --json              print the result as one JSON object instead of the table\n"
           "  --checkpoint FILE   write a checkpoint after every epoch and on Ctrl-C (atomic; FILE.lock\n"
           "                      beside it is locked for the run: one run per checkpoint)\n"
           "  --resume FILE       continue a checkpoint (bit-identical to an uninterrupted run, log\n"
           "                      included) on the same data; its options are the defaults,\n"
           "                      --epochs may raise the target\n"
           "  --chunk N           steps per kernel call (default 64; results do not depend on it)\n"
           "  --check             check the options and load the data, then stop (train nothing)\n\n"
           "examples:\n"
           "  lpsgd train --format fp8_e4m3 --epochs 10 --log run.csv --plot run.png\n"
           "  lpsgd train --format fp4_e2m1 --lr 0.05 --compensate\n"
           "  lpsgd train --data synthetic:n=4096,d=32 --model lsq --format fp16 --schedule inverse\n");
}

static int scan_resume(int argc, char **argv, const char **path)
{
    *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--resume") && i + 1 < argc)
            *path = argv[i + 1];
        else if (!strncmp(argv[i], "--resume=", 9))
            *path = argv[i] + 9;
    }
    return 0;
}

/*
 * A checkpoint continues only up to a target beyond it. Refuse (describing the checkpoint
 * itself: its step, its epoch, its own run's target) or put the line that says where the
 * resumed run starts and ends into banner.
 */
static int resume_plan(const lp_args_t *a, const char *path, const lp_ckpt_t *ck, uint32_t epochs, char *banner,
                       size_t cap)
{
    uint32_t S = ck->n_train / ck->cfg[LP_CFG_BATCH]; /* >= 1: lp_ckpt_read checked batch <= n_train */
    unsigned long long at = ck->next_step, end = (unsigned long long)S * epochs;
    if (at >= end) {
        lp_args_error(a, "--resume %s: the checkpoint is at step %llu (epoch %.2f; its run's target: %u epochs of %u "
                         "steps); --epochs %u ends at step %llu, already done: give --epochs %llu or more to train on",
                      path, at, (double)at / S, ck->epochs, S, epochs, end, at / S + 1);
        return -1;
    }
    snprintf(banner, cap, "resume %s: at step %llu (epoch %.2f; its run's target: %u epochs), training on to epoch %u "
                          "(step %llu)\n", path, at, (double)at / S, ck->epochs, epochs, end);
    return 0;
}

static void json_eval(FILE *f, const lp_eval_t *e)
{
    fprintf(f, "{\"step\": %llu, \"epoch\": ", (unsigned long long)e->step);
    lp_json_num(f, e->epoch);
    fprintf(f, ", \"train_loss\": ");
    lp_json_num(f, e->train_loss);
    fprintf(f, ", \"train_acc\": ");
    lp_json_num(f, e->train_acc);
    fprintf(f, ", \"test_loss\": ");
    lp_json_num(f, e->test_loss);
    fprintf(f, ", \"test_acc\": ");
    lp_json_num(f, e->test_acc);
    fprintf(f, "}");
}

static int plot_run(const char *png, const char *title, const lp_train_result_t *r, lp_err_t *err)
{
    size_t ne = r->nevals, ns = (size_t)(r->step_end - r->step_first);
    double *ex = malloc((ne + 1) * sizeof(double)), *el = malloc((ne + 1) * sizeof(double));
    double *ea = malloc((ne + 1) * sizeof(double)), *sx = malloc((ns + 1) * sizeof(double));
    int rc = -1;
    if (!ex || !el || !ea || !sx) {
        lp_fail(err, "out of memory");
        goto out;
    }
    int cls = 0;
    for (size_t i = 0; i < ne; i++) {
        ex[i] = (double)r->evals[i].step;
        el[i] = r->evals[i].train_loss;
        ea[i] = isnan(r->evals[i].test_acc) ? r->evals[i].test_loss : 100.0 * r->evals[i].test_acc;
        cls |= !isnan(r->evals[i].test_acc);
    }
    for (size_t i = 0; i < ns; i++)
        sx[i] = (double)(r->step_first + i + 1);
    lp_series_t s_loss = {"train loss F(w)", ex, el, ne, "linespoints pt 7 ps 0.5 lw 2", -1};
    lp_series_t s_acc = {cls ? "test accuracy (%)" : "test loss", ex, ea, ne, "linespoints pt 7 ps 0.5 lw 2", -1};
    lp_series_t s_q[2] = {{"q_norm = ||Q(g)||/||g||", sx, r->q_norm, ns, "lines lw 1", -1},
                          {"q_proj = <g,Q(g)>/||g||^2", sx, r->q_proj, ns, "lines lw 1", -1}};
    lp_panel_t panels[3] = {
        {"training loss", "step", "loss", 0, 1, 0, 0, 0, 0, NULL, NULL, &s_loss, 1},
        {cls ? "test accuracy" : "test loss", "step", cls ? "%" : "loss", 0, !cls, 0, 0, 0, 0, NULL, NULL, &s_acc, 1},
        {"gradient shrinkage per step", "step", "q", 0, 0, 0, 0, 0, 0, "bottom right", NULL, s_q, 2},
    };
    lp_plot_t p = {png, 0, 0, 1, 3, title, panels, 3};
    rc = lp_plot_png(&p, err);
out:
    free(ex);
    free(el);
    free(ea);
    free(sx);
    return rc;
}

/* Where the results go: the options that are not training options. */
typedef struct {
    const char *log, *plot, *ckpt;
    int json;
    int check; /* --check: options and data checked, nothing run */
} train_outputs_t;

/* The option loop: 0 to run, 1 after --help, -1 after a message (exit 2). */
static int parse_opts(lp_args_t *a, lp_qopts_t *q, lp_train_opts_t *o, train_outputs_t *t)
{
    while (lp_args_next(a)) {
        const char *v;
        int r, choice;
        double x;
        if (lp_args_help(a)) {
            usage();
            return 1;
        }
        if ((r = lp_args_qopt(a, q, LP_QOPT_ALL & ~LP_QOPT_STEP))) {
            if (r < 0)
                return -1;
            continue;
        }
        if ((r = lp_args_opt(a, "--data", &v))) {
            if (r < 0)
                return -1;
            if (strlen(v) >= sizeof o->data_spec) {
                lp_args_error(a, "--data: the spec is longer than %zu characters", sizeof o->data_spec - 1);
                return -1;
            }
            snprintf(o->data_spec, sizeof o->data_spec, "%s", v);
            continue;
        }
        if ((r = lp_args_opt(a, "--model", &v))) {
            if (r < 0 || lp_args_choice(a, "--model", v, lp_model_names, &choice))
                return -1;
            o->model = (uint32_t)choice;
            continue;
        }
        if ((r = lp_args_opt(a, "--schedule", &v))) {
            if (r < 0 || lp_args_choice(a, "--schedule", v, lp_sched_names, &choice))
                return -1;
            o->sched = (uint32_t)choice;
            continue;
        }
        if ((r = lp_args_opt(a, "--lr", &v))) {
            if (r < 0 || lp_args_double(a, "--lr", v, 1e-30, 1e6, &x))
                return -1;
            o->lr = (float)x;
            continue;
        }
        if ((r = lp_args_opt(a, "--gamma", &v))) {
            if (r < 0 || lp_args_double(a, "--gamma", v, 0, 1e9, &x))
                return -1;
            o->gamma = (float)x;
            continue;
        }
        if ((r = lp_args_opt(a, "--lambda", &v))) {
            if (r < 0 || lp_args_double(a, "--lambda", v, 0, 1e6, &x))
                return -1;
            o->lambda = (float)x;
            continue;
        }
        if ((r = lp_args_opt(a, "--period", &v))) {
            if (r < 0 || lp_args_u32(a, "--period", v, 1, UINT32_MAX, &o->period))
                return -1;
            continue;
        }
        if ((r = lp_args_opt(a, "--batch", &v))) {
            if (r < 0 || lp_args_u32(a, "--batch", v, 1, LP_SGD_MAX_BATCH, &o->batch))
                return -1;
            continue;
        }
        if ((r = lp_args_opt(a, "--epochs", &v))) {
            if (r < 0 || lp_args_u32(a, "--epochs", v, 1, LP_TRAIN_MAX_EPOCHS, &o->epochs))
                return -1;
            continue;
        }
        if ((r = lp_args_opt(a, "--eval-every", &v))) {
            if (r < 0 || lp_args_u32(a, "--eval-every", v, 0, UINT32_MAX, &o->eval_every))
                return -1;
            continue;
        }
        if ((r = lp_args_opt(a, "--chunk", &v))) {
            if (r < 0 || lp_args_u32(a, "--chunk", v, 1, LP_TRAIN_MAX_CHUNK, &o->chunk))
                return -1;
            continue;
        }
        if (lp_args_flag(a, "--compensate")) {
            o->compensate = 1;
            continue;
        }
        if (lp_args_flag(a, "--check")) {
            t->check = 1;
            continue;
        }
        if (lp_args_flag(a, "--json")) {
            t->json = 1;
            continue;
        }
        if ((r = lp_args_opt(a, "--log", &t->log)) || (r = lp_args_opt(a, "--plot", &t->plot)) ||
            (r = lp_args_opt(a, "--checkpoint", &t->ckpt)) || (r = lp_args_opt(a, "--resume", &v))) {
            if (r < 0)
                return -1;
            continue;
        }
        if (lp_args_is_option(a)) {
            lp_args_unknown(a);
            return -1;
        }
        lp_args_error(a, "unexpected argument '%s' (train takes only options; try --help)", lp_args_cur(a));
        return -1;
    }
    return 0;
}

/* A run the backend cannot do (backend.h unsupported: a model its kernel lacks): one message, -1. */
static int unsupported(const lp_backend_ops_t *ops, lp_backend_t *be, const lp_train_opts_t *o, const lp_data_t *data)
{
    uint32_t cfg[LP_SGD_CFG_WORDS];
    lp_err_t err;
    const char *why;
    if (!ops->unsupported || lp_train_make_cfg(o, data, cfg, &err) != 0)
        return 0; /* (a cfg that cannot be made is refused by the run itself, with its reason) */
    if (!(why = ops->unsupported(be, cfg)))
        return 0;
    fprintf(stderr, "lpsgd train: %s: %s\n", ops->name, why);
    return -1;
}

static lp_run_shape_t shape_of(const lp_train_opts_t *o, const lp_train_result_t *res)
{
    lp_run_shape_t run = {res->step_end - res->step_first, res->steps_per_epoch, o->batch, res->D};
    return run;
}

/* The backend's own report of the run (a simulated card's: backend.h report), or nothing. */
static void backend_report(const lp_backend_ops_t *ops, lp_backend_t *be, const lp_train_opts_t *o,
                           const lp_train_result_t *res, int json)
{
    lp_run_shape_t run = shape_of(o, res);
    if (!ops->report)
        return;
    if (json)
        printf(", \"%s\": ", ops->name);
    ops->report(be, &run, json, stdout);
}

/* The backend's report as a plot of its own beside --plot's: F-<backend>.png (backend.h report_plot). */
static int backend_plot(const lp_backend_ops_t *ops, lp_backend_t *be, const lp_train_opts_t *o,
                        const lp_train_result_t *res, const char *png, lp_err_t *err)
{
    lp_run_shape_t run = shape_of(o, res);
    char path[4200];
    if (!ops->report_plot)
        return 0;
    snprintf(path, sizeof path, "%.*s-%s.png", (int)(strlen(png) - 4), png, ops->name);
    return ops->report_plot(be, &run, path, err);
}

/* The result as one JSON object (--json), with the backend's report as a member named after it. */
static void print_json(const lp_train_opts_t *o, const char *data_name, const char *fname,
                       const lp_backend_ops_t *ops, lp_backend_t *be, const lp_train_result_t *res)
{
    const char *backend = ops->name;
    const lp_eval_t *fin = res->nevals ? &res->evals[res->nevals - 1] : NULL;
    printf("{\"data\": \"%s\", \"model\": \"%s\", \"format\": \"%s\", \"rounding\": \"%s\", \"scale\": \"%s\", "
           "\"lr\": ",
           data_name, lp_model_names[o->model], fname, lp_rounding_names[o->q.rounding],
           lp_scale_names[o->q.scale]);
    lp_json_num(stdout, o->lr);
    printf(", \"schedule\": \"%s\", \"compensate\": %s, \"batch\": %u, \"lambda\": ", lp_sched_names[o->sched],
           o->compensate ? "true" : "false", o->batch);
    lp_json_num(stdout, o->lambda);
    printf(", \"seed\": %u, \"backend\": \"%s\", \"steps\": %llu, \"seconds\": ", o->seed, backend,
           (unsigned long long)res->step_end);
    lp_json_num(stdout, res->seconds);
    printf(", \"final\": ");
    if (fin)
        json_eval(stdout, fin);
    else
        printf("null");
    printf(", \"epochs\": [");
    for (size_t i = 0; i < res->nepochs; i++) {
        const lp_epoch_t *e = &res->epochs[i];
        static const char *const k[] = {"q_norm_min",    "q_norm_mean", "q_proj_min", "q_proj_mean",
                                         "underflow_pct", "lr_mean",     "seconds"};
        const double v[] = {e->q_norm_min,    e->q_norm_mean, e->q_proj_min, e->q_proj_mean,
                            e->underflow_pct, e->lr_mean,     e->seconds};
        printf("%s{\"epoch\": %u, ", i ? ", " : "", e->epoch);
        lp_json_fields(stdout, k, v, 7);
        printf(", \"eval\": ");
        json_eval(stdout, &e->eval);
        printf("}");
    }
    printf("]");
    backend_report(ops, be, o, res, 1);
    printf("}\n");
}

int cmd_train(int argc, char **argv)
{
    lp_args_t a;
    lp_qopts_t q;
    lp_train_opts_t o;
    lp_ckpt_t ck;
    lp_err_t err;
    const char *resume_path;
    int have_ck = 0, rc = 2;
    memset(&ck, 0, sizeof ck);
    lp_train_opts_default(&o);
    lp_qopts_init(&q);
    lp_args_begin(&a, "train", argc, argv);
    scan_resume(argc, argv, &resume_path);
    if (resume_path) {
        if (lp_ckpt_read(resume_path, &ck, &err) != 0) {
            fprintf(stderr, "lpsgd train: --resume: %s\n", err.msg);
            return 2;
        }
        have_ck = 1;
        lp_train_opts_from_ckpt(&ck, &o);
        q.cfg = o.q;
    }
    train_outputs_t t = {NULL, NULL, NULL, 0, 0};
    if ((rc = parse_opts(&a, &q, &o, &t)) != 0) {
        rc = rc > 0 ? 0 : 2;
        goto done;
    }
    rc = 2;
    if (lp_qopts_finish(&a, &q))
        goto done;
    o.q = q.cfg;
    o.seed = q.cfg.seed;
    if (t.plot && (strlen(t.plot) < 5 || strcmp(t.plot + strlen(t.plot) - 4, ".png"))) {
        lp_args_error(&a, "--plot %s: the file name must end in .png", t.plot);
        goto done;
    }
    char banner[1024] = "";
    if (have_ck && resume_plan(&a, resume_path, &ck, o.epochs, banner, sizeof banner) != 0)
        goto done;

    const lp_backend_ops_t *ops = lp_backend_find(q.backend, &err);
    if (!ops) {
        fprintf(stderr, "lpsgd train: %s\n", err.msg);
        goto done;
    }
    if (!ops->train_load) {
        fprintf(stderr, "lpsgd train: backend %s cannot train yet (use --backend csim)\n", ops->name);
        goto done;
    }
    lp_data_t data;
    char derr[512];
    if (lp_data_load(o.data_spec, o.seed, o.lambda, &data, derr, sizeof derr) != 0) {
        fprintf(stderr, "lpsgd train: %s\n", derr);
        goto done;
    }
    if (t.check) { /* lpsgd sweep asks this of a study's first job before it starts any */
        lp_data_free(&data);
        rc = 0;
        goto done;
    }
    lp_backend_t *be = NULL;
    if (ops->open(&be, &q.bopts, &err) != 0) {
        fprintf(stderr, "lpsgd train: backend %s: %s\n", ops->name, err.msg);
        lp_data_free(&data);
        goto done;
    }
    if (unsupported(ops, be, &o, &data) != 0) {
        ops->close(be);
        lp_data_free(&data);
        goto done;
    }
    char fname[32];
    lp_format_name(&o.q.fmt, fname, sizeof fname);
    size_t bl = strlen(banner);
    snprintf(banner + bl, sizeof banner - bl,
             "train %s on %s (%u train / %u test rows, %u features), gradient %s, rounding %s, scale %s, "
             "lr %g %s%s, batch %u, lambda %g, backend %s\n",
             lp_model_names[o.model], data.name, data.train.n, data.test.n, data.train.d, fname,
             lp_rounding_names[o.q.rounding], lp_scale_names[o.q.scale], (double)o.lr, lp_sched_names[o.sched],
             o.compensate ? " --compensate" : "", o.batch, (double)o.lambda, ops->name);
    /* the banner is printed once the run has passed its checks and holds its outputs */
    lp_train_io_t io = {t.json ? NULL : stdout, 1, t.log, t.ckpt, 0, banner};
    lp_train_result_t res;
    rc = lp_train_run(&o, &data, ops, be, have_ck ? &ck : NULL, &io, &res, &err);
    if (rc != 0) {
        fprintf(stderr, "lpsgd train: %s\n", err.msg);
    } else {
        const lp_eval_t *fin = res.nevals ? &res.evals[res.nevals - 1] : NULL;
        if (t.json) {
            print_json(&o, data.name, fname, ops, be, &res);
        } else if (fin) {
            printf("done: %llu steps in %.2f s; train loss %.5f", (unsigned long long)res.step_end, res.seconds,
                   lp_num_shown(fin->train_loss));
            if (!isnan(fin->test_acc))
                printf(", test accuracy %.2f %%\n", 100.0 * fin->test_acc);
            else
                printf(", test loss %.6g\n", lp_num_shown(fin->test_loss));
            backend_report(ops, be, &o, &res, 0);
        }
        if (t.plot) {
            char title[256];
            snprintf(title, sizeof title, "%s on %s, gradient %s, lr %g %s%s", lp_model_names[o.model], data.name,
                     fname, (double)o.lr, lp_sched_names[o.sched], o.compensate ? ", compensated" : "");
            if (plot_run(t.plot, title, &res, &err) != 0 || backend_plot(ops, be, &o, &res, t.plot, &err) != 0) {
                fprintf(stderr, "lpsgd train: --plot: %s\n", err.msg);
                rc = 1;
            }
        }
    }
    ops->close(be);
    lp_train_result_free(&res);
    lp_data_free(&data);
done:
    if (have_ck)
        lp_ckpt_free(&ck);
    return rc;
}
