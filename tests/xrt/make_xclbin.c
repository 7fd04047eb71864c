/*
 * make_xclbin.c - writes the test xclbin (lp_xclbin_fixture.h) to a file, for the CLI
 * tests and for trying lpsgd --backend xrt on XRT's noop shim by hand:
 *   make_xclbin OUT.xclbin [--hbm] [--kernel NAME] [--cus N]
 */
#include <stdio.h>
#include <string.h>

#include "lp_xclbin_fixture.h"

int main(int argc, char **argv)
{
    lp_fixture_opts_t o = {0};
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--hbm"))
            o.hbm = 1;
        else if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
            o.kernel = argv[++i];
        else if (!strcmp(argv[i], "--cus") && i + 1 < argc)
            o.ncu = atoi(argv[++i]);
        else if (argv[i][0] != '-' && !out)
            out = argv[i];
        else {
            fprintf(stderr, "usage: make_xclbin OUT.xclbin [--hbm] [--kernel NAME] [--cus N]\n");
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "usage: make_xclbin OUT.xclbin [--hbm] [--kernel NAME] [--cus N]\n");
        return 2;
    }
    return lp_fixture_write(out, &o) ? 1 : 0;
}
