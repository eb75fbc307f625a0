/*
 * cmd_branches.c: `cpstack branches` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack branches [flags]\n";

int cmd_branches(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack branches: not available in this build yet\n");
    return 1;
}
