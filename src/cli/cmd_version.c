/*
 * cmd_version.c: `cpstack version`.
 */
#include "cli/commands.h"

#include <stdio.h>

#ifndef CPSTACK_VERSION
#define CPSTACK_VERSION "dev"
#endif

static const char usage[] = "Usage: cpstack version\n\nPrints the cpstack version.\n";

int cmd_version(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    printf("cpstack v%s\n", CPSTACK_VERSION);
    return 0;
}
