/* cmd_run -- 'keqing run' (placeholder until its issue is done). */
#include "cli.h"

#include <stdio.h>

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "keqing: run: not implemented yet\n");
    return 70;
}
