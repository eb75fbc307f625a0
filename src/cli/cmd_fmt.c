/*
 * cmd_fmt.c: `cpstack fmt` (placeholder until the formatter lands).
 */
#include "cli/commands.h"

#include <stdio.h>

static const char usage[] = "Usage: cpstack fmt [-check] [-diff] [FILES...]\n";

int cmd_fmt(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fprintf(stderr, "cpstack fmt: not available in this build yet\n");
    return 1;
}
