/* cmd_render -- 'keqing render' (placeholder until its issue is done). */
#include "cli.h"

#include <stdio.h>

int cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "keqing: render: not implemented yet\n");
    return 70;
}
