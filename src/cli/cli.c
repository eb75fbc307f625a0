/*
 * cli.c: `cpstack <command> [flags] [args]` — finds the command in the
 * table below and runs it with the program's context (cp_cli: the provider
 * registry its main built). Each command lives in cli/cmd_<name>.c; main.c
 * (cpstack) and tests/support (cpstack-test) each hold only a main.
 */
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

static const cp_command *commands(void)
{
    static cp_command table[] = {
        { "plan", cmd_plan, "Show the changes apply would make", NULL },
        { "apply", cmd_apply, "Make the changes (or apply a saved plan)", NULL },
        { "destroy", cmd_destroy, "Destroy everything the stack manages", NULL },
        { "validate", cmd_validate, "Check the stack's files without touching AWS", NULL },
        { "fmt", cmd_fmt, "Rewrite .cp files in the canonical layout", NULL },
        { "graph", cmd_graph, "Print the dependency graph as DOT", NULL },
        { "refresh", cmd_refresh, "Update state from reality; report what changed outside cpstack",
          NULL },
        { "output", cmd_output, "Show the stack's outputs", NULL },
        { "show", cmd_show, "Show the state, or a saved plan, for people or as JSON", NULL },
        { "console", cmd_console, "Evaluate expressions against the stack and its state", NULL },
        { "state", cmd_state, "Inspect and edit state: list, show, rm, mv", NULL },
        { "import", cmd_import, "Adopt an existing object into state", NULL },
        { "force-unlock", cmd_force_unlock, "Remove a stale state lock by its ID", NULL },
        { "branches", cmd_branches, "List the branches that have state", NULL },
        { "schema", cmd_schema, "Print resource types and their arguments", NULL },
        { "functions", cmd_functions, "List the built-in functions and their signatures", NULL },
        { "migrate", cmd_migrate, "Convert a Terraform folder and its state into a stack", NULL },
        { "version", cmd_version, "Print the cpstack version", NULL },
        { NULL, NULL, NULL, NULL },
    };
    return table;
}

static void usage(FILE *out)
{
    fprintf(out, "Usage: cpstack <command> [flags] [args]\n\n"
                 "cpstack plans and applies AWS infrastructure described in .cp stack files.\n\n"
                 "Commands:\n");
    for (const cp_command *c = commands(); c->name; c++)
        fprintf(out, "  %-13s %s\n", c->name, c->summary);
    fprintf(out, "\nRun 'cpstack <command> -help' for a command's flags.\n");
}

int cp_cli_main(const cp_cli *cli, int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    const char *name = argv[1];
    if (!strcmp(name, "-h") || !strcmp(name, "-help") || !strcmp(name, "--help") ||
        !strcmp(name, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(name, "-version") || !strcmp(name, "--version")) name = "version";
    for (const cp_command *c = commands(); c->name; c++)
        if (!strcmp(c->name, name)) return c->run(cli, argc - 1, argv + 1);
    fprintf(stderr, "cpstack: unknown command \"%s\"; run 'cpstack --help' for the list\n", name);
    return 1;
}

int cp_wants_help(int argc, char **argv, const char *text)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "-help") || !strcmp(argv[i], "--help")) {
            fputs(text, stdout);
            return 1;
        }
    }
    return 0;
}
