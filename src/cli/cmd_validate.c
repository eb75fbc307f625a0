/*
 * cmd_validate.c: `cpstack validate [DIR]` — parse and check a stack without
 * touching AWS: syntax, block shapes, resource types and arguments against
 * the provider schemas, references, dependency cycles. Every error is
 * reported (up to a cap) with file:line:col and a caret.
 */
#include "cli/args.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "config/config_graph.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "Usage: cpstack validate [flags] [DIR]\n\n"
    "Checks the stack in DIR (default: the current directory; a single .cp file\n"
    "works too) without contacting AWS: syntax, resource types and arguments,\n"
    "references to undeclared names, dependency cycles.\n\n"
    "Flags:\n"
    "  -no-color   no colour in the output (NO_COLOR=1 does the same)\n";

int cmd_validate(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    bool no_color = false;
    cp_flag flags[] = { { "no-color", CP_FLAG_BOOL, &no_color }, { NULL, 0, NULL } };
    cp_strlist pos = { 0 };
    if (cp_parse_flags(argc, argv, flags, &pos) < 0) return 1;
    if (pos.len > 1) {
        fprintf(stderr, "cpstack validate: takes one stack directory, got %zu arguments\n",
                pos.len);
        cp_strlist_free(&pos);
        return 1;
    }
    cp_config *c = NULL;
    cp_config_node *nodes = NULL;
    cp_graph *g = cp_cli_load_graph(cli, pos.len ? pos.items[0] : ".", no_color, &c, &nodes);
    cp_strlist_free(&pos);
    if (g)
        printf("Success! The stack is valid: %zu resources, %zu variables, %zu outputs.\n",
               c->nresources, c->nvariables, c->noutputs);
    cp_cli_graph_free(g, c, nodes);
    return g ? 0 : 1;
}
