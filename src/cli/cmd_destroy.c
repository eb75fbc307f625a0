/*
 * cmd_destroy.c: `cpstack destroy` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack destroy [flags]\n";

int cmd_destroy(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack destroy: not available in this build yet\n");
    return 1;
}
