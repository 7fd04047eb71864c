/*
 * fuzz_idx.c - libFuzzer target for the IDX parser (host/data/idx.c). `make fuzz`.
 * What parses is paired with a matching partner (an all-zero label file for images, a
 * one-pixel image file for labels) and turned into a dataset, as fashion-mnist does.
 */
#include <stdlib.h>

#include "data_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    lp_idx_t a, b;
    lp_dataset_t ds;
    err[0] = '\0';
    if (lp_idx_parse(data, size, "f.idx", &a, err, sizeof err) != 0) {
        if (strncmp(err, "f.idx:", 6) != 0 || !lp_data_check_message(err, "f.idx"))
            abort();
        return 0;
    }
    if (a.count == 0 || a.data != data + 4 + 4 * (size_t)a.ndims || 4 + 4 * (size_t)a.ndims + a.count != size)
        abort();
    uint32_t n = a.dims[0];
    if (n > (1u << 20))
        return 0; /* keep partners small */
    /* images -> labels 00 00 08 01 n (n zero bytes); labels -> images 00 00 08 02 n 1 (n bytes) */
    int img = a.ndims >= 2;
    size_t blen = (img ? 8 : 12) + (size_t)n;
    uint8_t *buf = calloc(blen, 1);
    buf[2] = 8;
    buf[3] = img ? 1 : 2;
    for (int k = 0; k < 4; k++)
        buf[4 + k] = (uint8_t)(n >> (24 - 8 * k));
    if (!img)
        buf[11] = 1;
    if (lp_idx_parse(buf, blen, "p.idx", &b, err, sizeof err) != 0)
        abort();
    int rc = img ? lp_idx_dataset(&a, "f.idx", &b, "p.idx", 10, &ds, err, sizeof err)
                          : lp_idx_dataset(&b, "p.idx", &a, "f.idx", 10, &ds, err, sizeof err);
    if (rc == 0) {
        if (!lp_data_check_dataset(&ds) || ds.classes != 10)
            abort();
        lp_dataset_free(&ds);
    } else if (!err[0] || strchr(err, '\n')) {
        abort();
    }
    free(buf);
    return 0;
}
