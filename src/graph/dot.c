/*
 * dot.c: the graph in Graphviz DOT, for `cpstack graph` (see graph.h).
 *
 * Nodes are written as n0, n1, … with their label quoted and escaped, so
 * any label (quotes, backslashes, newlines, non-ASCII) yields a file that
 * `dot -Tsvg` accepts. Edges point from a node to what it depends on,
 * as in Terraform's graph output.
 */
#include "graph/graph_internal.h"

#include <string.h>

/* A DOT double-quoted string: the one quoting of util/buf.h, whose escapes
 * (\" \\ \n, others for control bytes only) DOT reads back. */
static void add_quoted(cp_buf *out, const char *s)
{
    cp_buf_add_quoted(out, s, strlen(s), CP_QUOTE_JSON);
}

static void add_node(const cp_graph *g, int v, cp_buf *out)
{
    cp_buf_printf(out, "  n%d [label=", v);
    add_quoted(out, g->nodes[v].label);
    if (g->nodes[v].where[0]) {
        cp_buf_adds(out, ", tooltip=");
        add_quoted(out, g->nodes[v].where);
    }
    cp_buf_adds(out, "];\n");
}

void cp_graph_dot(cp_graph *g, const char *name, cp_buf *out)
{
    cp__graph_index(g);
    cp_buf_adds(out, "digraph ");
    add_quoted(out, name ? name : "cpstack");
    cp_buf_adds(out, " {\n  compound = true;\n  newrank = true;\n  rankdir = \"RL\";\n"
                     "  node [shape=box, fontname=\"Helvetica\"];\n");
    for (size_t v = 0; v < g->nnodes; v++) add_node(g, (int)v, out);
    for (size_t v = 0; v < g->nnodes; v++) {
        size_t cnt;
        const int *d = cp__graph_adj(g, (int)v, false, &cnt);
        for (size_t i = 0; i < cnt; i++) cp_buf_printf(out, "  n%zu -> n%d;\n", v, d[i]);
    }
    cp_buf_adds(out, "}\n");
}
