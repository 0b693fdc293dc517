/* cmd_score -- 'keqing score' (placeholder until its issue is done). */
#include "cli.h"

#include <stdio.h>

int cmd_score(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "keqing: score: not implemented yet\n");
    return 70;
}
