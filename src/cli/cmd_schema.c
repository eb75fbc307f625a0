/*
 * cmd_schema.c: `cpstack schema` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack schema [flags]\n";

int cmd_schema(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack schema: not available in this build yet\n");
    return 1;
}
