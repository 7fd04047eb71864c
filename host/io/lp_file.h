/*
 * lp_file.h - what every lpsgd command needs from the files it reads and the temporaries it
 * writes, in one place (host/io/lp_file.c; plain POSIX, no other lpsgd code, so the data
 * loaders and their tests link it alone):
 *
 *   lp_file_open_in     open an input file, refusing anything that is not a regular file
 *                       (a FIFO would block, /dev/zero never ends, a directory is no data)
 *                       and anything larger than the caller's format can hold;
 *   lp_tmp_create/_drop the temporary files of atomic writes (lp_io_atomic_*) and of the
 *                       plot driver, kept in a table a signal handler can see;
 *   lp_sig_catch/...    SIGINT, SIGTERM, SIGHUP, SIGPIPE. LP_SIG_STOP only records the
 *                       signal for a loop that stops at a safe point (lp_sig_caught), as
 *                       training does;
 *                       LP_SIG_CLEANUP removes every registered temporary and then lets the
 *                       signal end the process as it would have (exit status 128 + signal),
 *                       so an interrupted command leaves neither half a file nor a temporary.
 *   lp_map_guard        a read through a mapping of a file that may shrink meanwhile: the
 *                       SIGBUS becomes an error return instead of the end of the process.
 *
 * Messages go to msg[cap] as "PATH: problem" so both lp_err_t (host/backend) and the data
 * loaders' char buffers take them.
 */
#ifndef LP_FILE_H
#define LP_FILE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Open path read-only if it is a regular file of at most max bytes; returns the descriptor
 * (close-on-exec) and its size in *size, or -1 with the message. Never blocks on a FIFO.
 * what names the expected content in the messages ("a .npy or .f32 tensor", "a data file").
 */
int lp_file_open_in(const char *path, uint64_t max, const char *what, uint64_t *size, char *msg, size_t cap);

/* Create a temporary from the mkstemp template tmpl (modified in place; it must stay valid
 * until lp_tmp_drop) and register it for removal on a signal; the descriptor, or -1 (errno). */
int lp_tmp_create(char *tmpl);

/* Rename the temporary tmp to dest (dest != NULL), or remove it (dest == NULL), and forget
 * it; 0, or -1 with errno (a failed rename also removes the temporary). */
int lp_tmp_drop(const char *tmp, const char *dest);

/* Register a file the caller creates itself (a child's log) for removal on a signal (0, or -1
 * when the table is full), and forget it again, keeping the file. */
int lp_tmp_add(const char *path);
void lp_tmp_forget(const char *path);

/* A child process (gnuplot) writing into a registered temporary: with LP_SIG_CLEANUP a signal
 * kills (SIGKILL) and reaps it before removing the temporaries, so it cannot write one again.
 * 0 when it has been waited for. */
void lp_sig_child(pid_t pid);

/* Hold the signals back (for a group of renames that must happen together) and let them in. */
void lp_sig_hold(sigset_t *old);
void lp_sig_release(const sigset_t *old);

enum { LP_SIG_STOP = 0, LP_SIG_CLEANUP = 1 };

#define LP_SIG_N 4 /* the signals caught: SIGINT, SIGTERM, SIGHUP, SIGPIPE */

typedef struct {
    struct sigaction old[LP_SIG_N];
} lp_sig_saved_t;

/* Catch SIGINT, SIGTERM, SIGHUP (the terminal went away) and SIGPIPE (the reader of stdout
 * went away) in mode LP_SIG_STOP or LP_SIG_CLEANUP; signals the process inherited as ignored
 * stay ignored. lp_sig_restore undoes it. */
void lp_sig_catch(lp_sig_saved_t *saved, int mode);
void lp_sig_restore(const lp_sig_saved_t *saved);

/* The signal caught since lp_sig_catch (LP_SIG_STOP mode), or 0. */
int lp_sig_caught(void);

/* Run fn(arg), which reads a file through a mapping (mmap), and return what it returns, or
 * LP_MAP_FAULT when the file shrank under the mapping while fn read it (the SIGBUS such a
 * read raises ends fn there: fn must hold no lock and own nothing it would have freed).
 * A SIGBUS outside a guarded call ends the process as it would have. */
#define LP_MAP_FAULT (-1000)
int lp_map_guard(int (*fn)(void *arg), void *arg);

#endif
