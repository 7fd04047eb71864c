/*
 * lp_file.h - what every lpsgd command needs from the files it reads, in one place
 * (host/io/lp_file.c; plain POSIX, no other lpsgd code, so the data loaders and their tests
 * link it alone):
 *
 *   lp_file_open_in     open an input file, refusing anything that is not a regular file
 *                       (a FIFO would block, /dev/zero never ends, a directory is no data)
 *                       and anything larger than the caller's format can hold.
 *
 * Messages go to msg[cap] as "PATH: problem" so both lp_err_t (host/backend) and the data
 * loaders' char buffers take them.
 */
#ifndef LP_FILE_H
#define LP_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Open path read-only if it is a regular file of at most max bytes; returns the descriptor
 * (close-on-exec) and its size in *size, or -1 with the message. Never blocks on a FIFO.
 * what names the expected content in the messages ("a .npy or .f32 tensor", "a data file").
 */
int lp_file_open_in(const char *path, uint64_t max, const char *what, uint64_t *size, char *msg, size_t cap);

#endif
