/* cmd_verify -- 'keqing verify' (placeholder until its issue is done). */
#include "cli.h"

#include <stdio.h>

int cmd_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "keqing: verify: not implemented yet\n");
    return 70;
}
