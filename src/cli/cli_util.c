/*
 * cli_util.c: colour decision and config loading shared by commands.
 */
#include "cli/cli_util.h"
#include "cli/backends.h"

#include <stdlib.h>
#include <unistd.h>

bool cp_cli_color(FILE *f, bool no_color_flag)
{
    const char *nc = getenv("NO_COLOR");
    if (no_color_flag || (nc && *nc)) return false;
    return isatty(fileno(f));
}

cp_config *cp_cli_load_config(const cp_cli *cli, const char *path, bool no_color)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_cli_backends backends;
    cp_cli_backends_init(&backends);
    cp_schema_lookup types = cp_registry_schemas(cli->providers);
    cp_config *c = cp_config_load(path ? path : ".", &types, &backends.lookup, &d);
    if (d.len) cp_diags_print(&d, &c->sources, stderr, cp_cli_color(stderr, no_color));
    bool bad = cp_diags_has_errors(&d);
    cp_diags_free(&d);
    if (!bad) return c;
    cp_config_free(c);
    return NULL;
}

cp_graph *cp_cli_load_graph(const cp_cli *cli, const char *path, bool no_color, cp_config **c,
                            cp_config_node **nodes)
{
    *nodes = NULL;
    *c = cp_cli_load_config(cli, path, no_color);
    if (!*c) return NULL;
    cp_diags d;
    cp_diags_init(&d);
    cp_graph *g = cp_config_graph(*c, nodes, &d);
    if (!g) cp_diags_print(&d, &(*c)->sources, stderr, cp_cli_color(stderr, no_color));
    cp_diags_free(&d);
    return g;
}

void cp_cli_graph_free(cp_graph *g, cp_config *c, cp_config_node *nodes)
{
    cp_graph_free(g);
    free(nodes);
    cp_config_free(c);
}
