/*
 * main.c: the cpstack program — the builtin providers (aws, local, random)
 * and the command line (cli.c). The registry is built here, once, and
 * handed down; nothing below main reaches for a global one.
 */
#include "cli/commands.h"

int main(int argc, char **argv)
{
    cp_registry *reg = cp_registry_builtin();
    cp_cli cli = { .providers = reg };
    int rc = cp_cli_main(&cli, argc, argv);
    cp_registry_free(reg);
    return rc;
}
