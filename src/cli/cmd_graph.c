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

int cmd_graph(int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    bool no_color = false;
    cp_flag flags[] = { { "no-color", CP_FLAG_BOOL, &no_color }, { NULL, 0, NULL } };
    cp_strlist pos = { 0 };
    if (cp_parse_flags(argc, argv, flags, &pos) < 0) return 1;
    cp_config *c = cp_cli_load_config(pos.len ? pos.items[0] : ".", no_color);
    cp_strlist_free(&pos);
    if (!c) return 1;
    cp_diags d;
    cp_diags_init(&d);
    cp_config_node *nodes = NULL;
    cp_graph *g = cp_config_graph(c, &nodes, &d);
    int rc = 0;
    if (!g) {
        cp_diags_print(&d, &c->sources, stderr, cp_cli_color(stderr, no_color));
        rc = 1;
    } else {
        cp_buf out;
        cp_buf_init(&out);
        cp_graph_dot(g, c->stack_name, &out);
        fwrite(out.data, 1, out.len, stdout);
        cp_buf_free(&out);
    }
    cp_graph_free(g);
    free(nodes);
    cp_diags_free(&d);
    cp_config_free(c);
    return rc;
}
