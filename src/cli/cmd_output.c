/*
 * cmd_output.c: `cpstack output` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack output [flags]\n";

int cmd_output(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack output: not available in this build yet\n");
    return 1;
}
