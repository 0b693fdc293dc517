/* cmd_sample -- 'keqing sample' (placeholder until its issue is done). */
#include "cli.h"

#include <stdio.h>

int cmd_sample(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "keqing: sample: not implemented yet\n");
    return 70;
}
