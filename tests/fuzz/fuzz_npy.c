/*
 * fuzz_npy.c - libFuzzer target for the .npy parser (host/io/lp_npy.c). `make fuzz`.
 *
 * Properties checked on every input besides "no crash, no sanitizer report":
 *   - a parse either succeeds with offset + 4n == size and n >= 1, or fails with a
 *     one-line message that starts with the file name;
 *   - what parses, lp_npy_header re-writes; the re-written header with 4 bytes of data
 *     parses back to the same order and rank when n == 1, and is reported as truncated
 *     otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "io/lp_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lp_tensor_info_t info, again;
    lp_err_t err;
    if (lp_npy_parse(data, size, "f.npy", &info, &err) != 0) {
        if (strncmp(err.msg, "f.npy: ", 7) != 0 || strchr(err.msg, '\n'))
            abort();
        return 0;
    }
    if (info.n == 0 || info.data_offset + info.n * 4 != size)
        abort();
    static uint8_t hdr[1 << 16];
    size_t hl = lp_npy_header(&info, hdr, sizeof hdr, &err);
    if (!hl)
        return 0; /* a header too long to re-write (thousands of dims' digits): not an error */
    uint8_t *file = malloc(hl + 4);
    memcpy(file, hdr, hl);
    memset(file + hl, 0, 4);
    /* followed by one element's worth of data: a whole file exactly when n == 1 */
    int r = lp_npy_parse(file, hl + 4, "g.npy", &again, &err);
    if (info.n == 1) {
        if (r != 0 || again.ndim != info.ndim || again.fortran_order != info.fortran_order)
            abort();
    } else if (r == 0 || !strstr(err.msg, "truncated")) {
        abort(); /* the data are missing: must be reported as truncated */
    }
    free(file);
    return 0;
}
