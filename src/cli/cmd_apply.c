/*
 * cmd_apply.c: `cpstack apply` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack apply [flags]\n";

int cmd_apply(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack apply: not available in this build yet\n");
    return 1;
}
