/*
 * cmd_import.c: `cpstack import` (placeholder until the engine lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack import [flags]\n";

int cmd_import(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack import: not available in this build yet\n");
    return 1;
}
