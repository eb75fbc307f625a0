/*
 * cmd_refresh.c: `cpstack refresh` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack refresh [flags]\n";

int cmd_refresh(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack refresh: not available in this build yet\n");
    return 1;
}
