/*
 * lp_file.c - input files that are regular files, temporaries that signals remove, and the
 * SIGINT/SIGTERM handling of the commands (see lp_file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lp_file.h"

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
           : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "something else";
}

int lp_file_open_in(const char *path, uint64_t max, const char *what, uint64_t *size, char *msg, size_t cap)
{
    *size = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msg, cap, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(msg, cap, "%s: cannot read: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        snprintf(msg, cap, "%s: not a regular file but %s; give the path of %s", path, kind_of(st.st_mode), what);
    } else if ((uint64_t)st.st_size > max) {
        snprintf(msg, cap, "%s: %llu bytes, more than %s can hold (%llu bytes)", path,
                 (unsigned long long)st.st_size, what, (unsigned long long)max);
    } else {
        int fl = fcntl(fd, F_GETFL);
        if (fl != -1 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != -1) {
            *size = (uint64_t)st.st_size;
            return fd;
        }
        snprintf(msg, cap, "%s: cannot read: %s", path, strerror(errno));
    }
    close(fd);
    return -1;
}

/* ---- temporaries and signals ---------------------------------------------------------- */

#define LP_MAX_TMPS 16
static const char *volatile tmps[LP_MAX_TMPS]; /* changed only with the signals held back */
static volatile pid_t sig_child;                /* likewise                                */
static volatile sig_atomic_t sig_mode, sig_caught;

static const int lp_sigs[LP_SIG_N] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

static void sig_set(sigset_t *s)
{
    sigemptyset(s);
    for (int k = 0; k < LP_SIG_N; k++)
        sigaddset(s, lp_sigs[k]);
}

void lp_sig_hold(sigset_t *old)
{
    sigset_t s;
    sig_set(&s);
    sigprocmask(SIG_BLOCK, &s, old);
}

void lp_sig_release(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

/* Add path to / remove it from the table; the caller holds the signals back. */
static int tmp_add_held(const char *path)
{
    for (int k = 0; k < LP_MAX_TMPS; k++)
        if (!tmps[k]) {
            tmps[k] = path;
            return 0;
        }
    errno = EMFILE; /* more temporaries at once than any command has */
    return -1;
}

static void tmp_forget_held(const char *path)
{
    for (int k = 0; k < LP_MAX_TMPS; k++)
        if (tmps[k] == path)
            tmps[k] = NULL;
}

int lp_tmp_create(char *tmpl)
{
    sigset_t old;
    lp_sig_hold(&old);
    int fd = mkstemp(tmpl);
    if (fd >= 0 && tmp_add_held(tmpl)) {
        close(fd);
        unlink(tmpl);
        fd = -1;
        errno = EMFILE;
    }
    int e = errno;
    lp_sig_release(&old);
    errno = e;
    return fd;
}

int lp_tmp_add(const char *path)
{
    sigset_t old;
    lp_sig_hold(&old);
    int r = tmp_add_held(path);
    lp_sig_release(&old);
    return r;
}

void lp_tmp_forget(const char *path)
{
    sigset_t old;
    lp_sig_hold(&old);
    tmp_forget_held(path);
    lp_sig_release(&old);
}

int lp_tmp_drop(const char *tmp, const char *dest)
{
    sigset_t old;
    lp_sig_hold(&old);
    int r = dest ? rename(tmp, dest) : unlink(tmp), e = errno;
    if (r != 0 && dest)
        unlink(tmp);
    tmp_forget_held(tmp);
    lp_sig_release(&old);
    errno = e;
    return r;
}

void lp_sig_child(pid_t pid)
{
    sigset_t old;
    lp_sig_hold(&old);
    sig_child = pid;
    lp_sig_release(&old);
}

static void on_signal(int sig)
{
    sig_caught = sig;
    if (sig_mode != LP_SIG_CLEANUP)
        return;
    if (sig_child > 0) { /* it writes a temporary: it must be gone before the temporaries are */
        kill(sig_child, SIGKILL);
        waitpid(sig_child, NULL, 0);
    }
    for (int k = 0; k < LP_MAX_TMPS; k++)
        if (tmps[k])
            unlink(tmps[k]);
    signal(sig, SIG_DFL); /* delivered again when the handler returns: ends the process */
    raise(sig);
}

void lp_sig_catch(lp_sig_saved_t *saved, int mode)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sig_set(&sa.sa_mask);
    sig_mode = mode;
    sig_caught = 0;
    for (int k = 0; k < LP_SIG_N; k++) {
        sigaction(lp_sigs[k], &sa, &saved->old[k]);
        /* A signal the caller ignores (a script's background job ignores SIGINT) stays ignored. */
        if (saved->old[k].sa_handler == SIG_IGN)
            sigaction(lp_sigs[k], &saved->old[k], NULL);
    }
}

void lp_sig_restore(const lp_sig_saved_t *saved)
{
    for (int k = 0; k < LP_SIG_N; k++)
        sigaction(lp_sigs[k], &saved->old[k], NULL);
}

int lp_sig_caught(void) { return sig_caught; }

/* lp_map_guard: the jump back for this thread's guarded call, or NULL outside one. */
static _Thread_local sigjmp_buf *map_jmp;

static void on_sigbus(int sig)
{
    if (map_jmp)
        siglongjmp(*map_jmp, 1); /* out of the faulting read, back into lp_map_guard */
    signal(sig, SIG_DFL);        /* not ours: die of it as the process would have */
    raise(sig);
}

int lp_map_guard(int (*fn)(void *arg), void *arg)
{
    static int installed;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigbus;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGBUS, &sa, NULL);
        installed = 1;
    }
    sigjmp_buf jb;
    if (sigsetjmp(jb, 1)) { /* 1: the signal mask as it was here, SIGBUS unblocked again */
        map_jmp = NULL;
        return LP_MAP_FAULT;
    }
    map_jmp = &jb;
    int r = fn(arg);
    map_jmp = NULL;
    return r;
}
