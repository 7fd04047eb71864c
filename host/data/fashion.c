/*
 * fashion.c - the fashion-mnist[:DIR] source: Debian's dataset-fashion-mnist (four IDX
 * files, gzip) in /usr/share/datasets/fashion-mnist, or the same files in DIR (each
 * NAME.gz or, if that is absent, NAME uncompressed).  x = byte / 255.0f, 10 classes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_int.h"

#define LP_FASHION_DIR "/usr/share/datasets/fashion-mnist"

static const char *const fashion_files[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

int lp_fashion_load(const char *dir, lp_data_t *out, char *err, unsigned errlen)
{
    int dflt = !dir || !dir[0];
    const char *base = dflt ? LP_FASHION_DIR : dir;
    char path[4][4096];
    uint8_t *buf[4] = {NULL, NULL, NULL, NULL};
    size_t len[4];
    lp_idx_t idx[4];
    int rc = -1;
    for (int k = 0; k < 4; k++) {
        int n = snprintf(path[k], sizeof path[k], "%s/%s.gz", base, fashion_files[k]);
        if (n < 0 || (size_t)n >= sizeof path[k]) {
            lp_data_err(err, errlen, "fashion-mnist:%s: directory name too long", base);
            return -1;
        }
        if (access(path[k], R_OK) != 0) {
            path[k][n - 3] = '\0'; /* NAME without .gz */
            if (access(path[k], R_OK) != 0) {
                if (dflt)
                    lp_data_err(err, errlen, "fashion-mnist: %s/%s.gz not found; install it with `make deps` "
                                "(Debian package dataset-fashion-mnist)", base, fashion_files[k]);
                else
                    lp_data_err(err, errlen, "fashion-mnist:%s: %s.gz (or %s) not found there; give the directory "
                                "holding the four Fashion-MNIST IDX files, or omit :DIR to use Debian's "
                                "dataset-fashion-mnist (`make deps`)", base, fashion_files[k], fashion_files[k]);
                return -1;
            }
        }
    }
    for (int k = 0; k < 4; k++)
        if (lp_idx_read(path[k], &buf[k], &len[k], err, errlen) ||
            lp_idx_parse(buf[k], len[k], path[k], &idx[k], err, errlen))
            goto done;
    if (lp_idx_dataset(&idx[0], path[0], &idx[1], path[1], 10, &out->train, err, errlen) ||
        lp_idx_dataset(&idx[2], path[2], &idx[3], path[3], 10, &out->test, err, errlen))
        goto done;
    if (out->train.d != out->test.d) {
        lp_data_err(err, errlen, "%s: %u pixels per image, but %s has %u; use matching train and test files",
                    path[2], out->test.d, path[0], out->train.d);
        goto done;
    }
    snprintf(out->name, sizeof out->name, "fashion-mnist");
    rc = 0;
done:
    for (int k = 0; k < 4; k++)
        free(buf[k]);
    return rc;
}
