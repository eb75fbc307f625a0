/*
 * cmd_validate.c: `cpstack validate [DIR]` — parse and check a stack without
 * touching AWS: syntax, block shapes, resource types and arguments against
 * the provider schemas, references, then every expression evaluated with
 * all references unknown (config_validate.h: unknown functions, arity,
 * literal arguments out of range, literal type errors, count), then
 * dependency cycles. Every error is reported (up to a cap) with
 * file:line:col and a caret, in one run.
 */
#include "cli/args.h"
#include "cli/backends.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "config/config_graph.h"
#include "config/config_validate.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "Usage: cpstack validate [flags] [DIR]\n\n"
    "Checks the stack in DIR (default: the current directory; a single .cp file\n"
    "works too) without contacting AWS: syntax, resource types and arguments,\n"
    "references to undeclared names, every expression that needs no state\n"
    "(unknown functions, wrong argument counts or types, literal arguments out\n"
    "of range, a count that is not a whole number), dependency cycles.\n\n"
    "Flags:\n"
    "  -no-color   no colour in the output (NO_COLOR=1 does the same)\n";

/* Loads the stack and evaluates what it can; prints every problem. NULL
 * when there was an error. */
static cp_config *load_checked(const cp_cli *cli, const char *path, bool no_color)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_cli_backends backends;
    cp_cli_backends_init(&backends);
    cp_schema_lookup types = cp_registry_schemas(cli->providers);
    cp_config *c = cp_config_load(path, &types, &backends.lookup, &d);
    cp_config_check_expressions(c, &d);
    if (d.len) cp_diags_print(&d, &c->sources, stderr, cp_cli_color(stderr, no_color));
    bool bad = cp_diags_has_errors(&d);
    cp_diags_free(&d);
    if (!bad) return c;
    cp_config_free(c);
    return NULL;
}

static cp_graph *graph_of(cp_config *c, bool no_color, cp_config_node **nodes)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_graph *g = cp_config_graph(c, nodes, &d);
    if (!g) cp_diags_print(&d, &c->sources, stderr, cp_cli_color(stderr, no_color));
    cp_diags_free(&d);
    return g;
}

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
    cp_config_node *nodes = NULL;
    cp_config *c = load_checked(cli, pos.len ? pos.items[0] : ".", no_color);
    cp_strlist_free(&pos);
    cp_graph *g = c ? graph_of(c, no_color, &nodes) : NULL;
    if (g)
        printf("Success! The stack is valid: %zu resources, %zu variables, %zu outputs.\n",
               c->nresources, c->nvariables, c->noutputs);
    if (c) cp_cli_graph_free(g, c, nodes);
    return g ? 0 : 1;
}
