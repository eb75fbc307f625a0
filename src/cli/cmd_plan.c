/*
 * cmd_plan.c: `cpstack plan` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack plan [flags]\n";

int cmd_plan(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack plan: not available in this build yet\n");
    return 1;
}
