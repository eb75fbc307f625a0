/*
 * cmd_force_unlock.c: `cpstack force-unlock` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack force-unlock [flags]\n";

int cmd_force_unlock(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack force-unlock: not available in this build yet\n");
    return 1;
}
