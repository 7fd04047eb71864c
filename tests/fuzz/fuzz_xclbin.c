/*
 * fuzz_xclbin.c - libFuzzer target for the xclbin reader (host/backend/lp_xclbin.c), the
 * checks lpsgd makes before XRT parses a user's --xclbin. `make fuzz`; seed corpus: the
 * test xclbins of tests/xrt/make_xclbin (tests/fuzz/corpus_xclbin/).
 *
 * Properties checked on every input besides "no crash, no sanitizer report":
 *   - a refusal is LP_XCLBIN_NOT_XCLBIN or LP_XCLBIN_DAMAGED with a one-line reason;
 *   - what is accepted has a section table and sections that lie inside the input, and
 *     CU names that are terminated and belong to lp_sgd;
 *   - the reader is a function of the bytes: a second parse gives the same result.
 */
#include <stdlib.h>
#include <string.h>

#include "backend/lp_xclbin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lp_xclbin_t x, again;
    char why[256] = "", why2[256] = "";
    int rc = lp_xclbin_parse(data, size, &x, why, sizeof why);
    if (rc != lp_xclbin_parse(data, size, &again, why2, sizeof why2) || strcmp(why, why2) != 0)
        abort();
    if (rc != LP_XCLBIN_OK) {
        if ((rc != LP_XCLBIN_NOT_XCLBIN && rc != LP_XCLBIN_DAMAGED) || !why[0] || strchr(why, '\n'))
            abort();
        return 0;
    }
    if (x.nsections < 1 || 456 + (uint64_t)x.nsections * 40 > size || x.ncu > LP_XCLBIN_MAX_CUS ||
        memcmp(&x, &again, sizeof x) != 0)
        abort();
    for (uint32_t s = 0; s < x.nsections; s++) {
        uint64_t off = get64(data + 456 + s * 40 + 24), len = get64(data + 456 + s * 40 + 32);
        if (len > size || off > size - len)
            abort();
    }
    for (unsigned c = 0; c < x.ncu; c++)
        if (!memchr(x.cu[c], '\0', sizeof x.cu[c]) || strncmp(x.cu[c], "lp_sgd:", 7) != 0)
            abort();
    char list[LP_XCLBIN_MAX_CUS * 70];
    lp_xclbin_cu_list(&x, list, sizeof list);
    return 0;
}
