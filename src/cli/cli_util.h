/*
 * cli_util.h: small things every command shares: whether to use colour,
 * and printing a run's diagnostics.
 */
#ifndef CP_CLI_UTIL_H
#define CP_CLI_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"

/* Colour only on a terminal, and never when NO_COLOR is set (or -no-color). */
bool cp_cli_color(FILE *f, bool no_color_flag);
/* Load a stack (dir or file, default "."); prints diagnostics on errors and
 * returns NULL then. */
cp_config *cp_cli_load_config(const char *path, bool no_color);

#endif
