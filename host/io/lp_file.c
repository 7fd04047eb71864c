/*
 * lp_file.c - input files that are regular files (see lp_file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
