/* cmd_import -- 'keqing import' (placeholder until its issue is done). */
#include "cli.h"

#include <stdio.h>

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "keqing: import: not implemented yet\n");
    return 70;
}
