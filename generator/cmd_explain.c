/* cmd_explain -- 'keqing explain' (placeholder until its issue is done). */
#include "cli.h"

#include <stdio.h>

int cmd_explain(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "keqing: explain: not implemented yet\n");
    return 70;
}
