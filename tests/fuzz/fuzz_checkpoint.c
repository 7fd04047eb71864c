/*
 * fuzz_checkpoint.c - libFuzzer target for the checkpoint reader (host/train/checkpoint.c,
 * lp_ckpt_parse), which reads files given to `lpsgd train --resume`. `make fuzz`.
 *
 * Every input is parsed twice: as it is, and (when its size allows) with its word count
 * and CRC made consistent, so that mutations reach the checks behind the CRC. Either way
 * the outcome must keep the contract of tests/sgd/ckpt_check.h (a one-line refusal naming
 * the file, or fields that agree with each other), besides "no crash, no sanitizer report".
 */
#include <stdio.h>

#include "ckpt_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (lp_ckpt_check(data, size) < 0)
        abort();
    if (size % 4 == 0 && size >= 12) {
        uint8_t *fixed = malloc(size);
        memcpy(fixed, data, size);
        lp_ckpt_fix(fixed, size);
        if (lp_ckpt_check(fixed, size) < 0)
            abort();
        free(fixed);
    }
    return 0;
}
