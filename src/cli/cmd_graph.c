/*
 * cmd_graph.c: `cpstack graph [DIR]` — the stack's dependency graph as DOT
 * (render it with `cpstack graph | dot -Tsvg > graph.svg`).
 */
#include "cli/args.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "config/config_graph.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "Usage: cpstack graph [flags] [DIR]\n\n"
    "Prints the dependency graph of the stack in DIR (default: current directory)\n"
    "in Graphviz DOT. Render it with: cpstack graph | dot -Tsvg > graph.svg\n\n"
    "Flags:\n"
    "  -no-color   no colour in error output\n";

int cmd_graph(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    bool no_color = false;
    cp_flag flags[] = { { "no-color", CP_FLAG_BOOL, &no_color }, { NULL, 0, NULL } };
    cp_strlist pos = { 0 };
    if (cp_parse_flags(argc, argv, flags, &pos) < 0) return 1;
    cp_config *c = NULL;
    cp_config_node *nodes = NULL;
    cp_graph *g = cp_cli_load_graph(cli, pos.len ? pos.items[0] : ".", no_color, &c, &nodes);
    cp_strlist_free(&pos);
    if (g) {
        cp_buf out;
        cp_buf_init(&out);
        cp_graph_dot(g, c->stack_name, &out);
        fwrite(out.data, 1, out.len, stdout);
        cp_buf_free(&out);
    }
    cp_cli_graph_free(g, c, nodes);
    return g ? 0 : 1;
}
