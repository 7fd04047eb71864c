/* fuzz_csv.c - libFuzzer target for the CSV parser (host/data/csv.c). `make fuzz`. */
#include <stdlib.h>

#include "data_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    lp_dataset_t ds;
    err[0] = '\0';
    if (lp_csv_parse((const char *)data, size, "f.csv", &ds, err, sizeof err) == 0) {
        if (!lp_data_check_dataset(&ds))
            abort();
        lp_dataset_free(&ds);
    } else {
        if (strncmp(err, "f.csv:", 6) != 0 || !lp_data_check_message(err, "f.csv"))
            abort();
    }
    return 0;
}
