/*
 * cmd_state.c: `cpstack state` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack state [flags]\n";

int cmd_state(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack state: not available in this build yet\n");
    return 1;
}
