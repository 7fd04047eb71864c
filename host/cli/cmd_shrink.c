/* cmd_shrink.c - `lpsgd shrink` (being written: see issue 2). */
#include <stdio.h>

#include "cli.h"

int cmd_shrink(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "lpsgd shrink: not available yet in this build\n");
    return 1;
}
