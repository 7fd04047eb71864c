/*
 * outputs.c - locks and the per-step CSV log of a training run (see outputs.h).
 */
#define _DEFAULT_SOURCE 1 /* flock */
#include "outputs.h"
#include "trainlog.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>


/* flock(fd) exclusively without waiting; `what` and path name the file in the message. */
static int lock_fd(int fd, const char *what, const char *path, lp_err_t *err)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno == EWOULDBLOCK)
        return lp_fail(err, "%s %s: another lpsgd run holds it (it is locked until that run ends); wait for it "
                            "or choose another path", what, path);
    return lp_fail(err, "%s %s: cannot lock: %s", what, path, strerror(errno));
}

static int lock_ckpt(lp_train_out_t *out, const char *path, lp_err_t *err)
{
    char lk[4096];
    if ((size_t)snprintf(lk, sizeof lk, "%s.lock", path) >= sizeof lk)
        return lp_fail(err, "--checkpoint %s: path too long", path);
    out->ck_lock = open(lk, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (out->ck_lock < 0)
        return lp_fail(err, "--checkpoint %s: cannot create its lock file %s: %s", path, lk, strerror(errno));
    return lock_fd(out->ck_lock, "--checkpoint", path, err);
}

/* Open and lock the log; keep its first `keep` bytes (0: a new log with its header). */
static int open_log(lp_train_out_t *out, const char *path, uint64_t keep, lp_err_t *err)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CLOEXEC | (keep ? 0 : O_CREAT), 0666);
    if (fd < 0 && keep && errno == ENOENT)
        return lp_fail(err, "--log %s: missing, but the checkpoint's run had logged %llu bytes: resume with that "
                            "run's --log, or without --log", path, (unsigned long long)keep);
    if (fd < 0)
        return lp_fail(err, "--log %s: cannot open for writing: %s (check the directory exists and is writable)",
                       path, strerror(errno));
    if (lock_fd(fd, "--log", path, err) != 0 || fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size < keep) {
        close(fd);
        return lp_fail(err, "--log %s: %lld bytes, shorter than the %llu the checkpoint recorded: not the log of "
                            "the checkpoint's run (resume with that run's --log, or without --log)",
                       path, (long long)st.st_size, (unsigned long long)keep);
    }
    if (ftruncate(fd, (off_t)keep) != 0 || lseek(fd, (off_t)keep, SEEK_SET) < 0 || !(out->log = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        return lp_fail(err, "--log %s: cannot write: %s", path, strerror(e));
    }
    if (!keep)
        fputs(LP_TRAIN_LOG_HEADER, out->log);
    return 0;
}

int lp_train_out_open(lp_train_out_t *out, const char *log_path, const char *ckpt_path, const lp_ckpt_t *resume,
                      lp_err_t *err)
{
    out->ck_lock = -1;
    out->log = NULL;
    if ((ckpt_path && lock_ckpt(out, ckpt_path, err) != 0) ||
        (log_path && open_log(out, log_path, resume ? resume->log_len : 0, err) != 0)) {
        lp_train_out_close(out, NULL, NULL);
        return -1;
    }
    return 0;
}

int lp_train_out_sync(lp_train_out_t *out, const char *log_path, uint64_t *len, lp_err_t *err)
{
    *len = 0;
    if (!out->log)
        return 0;
    long at;
    if (fflush(out->log) != 0 || fsync(fileno(out->log)) != 0 || (at = ftell(out->log)) < 0)
        return lp_fail(err, "--log %s: write failed: %s", log_path, strerror(errno));
    *len = (uint64_t)at;
    return 0;
}

int lp_train_out_close(lp_train_out_t *out, const char *log_path, lp_err_t *err)
{
    int rc = 0;
    if (out->log && fclose(out->log) != 0 && err)
        rc = lp_fail(err, "--log %s: write failed (disk full?)", log_path);
    if (out->ck_lock >= 0)
        close(out->ck_lock);
    out->log = NULL;
    out->ck_lock = -1;
    return rc;
}
