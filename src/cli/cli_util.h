/*
 * cli_util.h: small things every command shares: whether to use colour,
 * and printing a run's diagnostics.
 */
#ifndef CP_CLI_UTIL_H
#define CP_CLI_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/commands.h"
#include "config/config.h"
#include "config/config_graph.h"

/* Colour only on a terminal, and never when NO_COLOR is set (or -no-color). */
bool cp_cli_color(FILE *f, bool no_color_flag);
/* Load a stack (dir or file, default ".") against the program's resource
 * types; prints diagnostics on errors and
 * returns NULL then. */
cp_config *cp_cli_load_config(const cp_cli *cli, const char *path, bool no_color);
/* Load a stack and build its graph; prints diagnostics (cycles included)
 * and returns NULL then. Free with cp_cli_graph_free. */
cp_graph *cp_cli_load_graph(const cp_cli *cli, const char *path, bool no_color, cp_config **c,
                            cp_config_node **nodes);
void cp_cli_graph_free(cp_graph *g, cp_config *c, cp_config_node *nodes);

#endif
