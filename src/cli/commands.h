/*
 * commands.h: one function per `cpstack <command>`, each in cli/cmd_<name>.c.
 *
 * A command gets the program's context (cp_cli) and argv after its name
 * (argv[0] is the command name), parses its own flags (cli/args.h), and
 * returns the process exit code:
 * 0 ok, 1 error, 2 changes present (plan -detailed-exitcode).
 */
#ifndef CP_CLI_COMMANDS_H
#define CP_CLI_COMMANDS_H

#include "providers/registry.h"

/* What a program hands every command: built once in main, read-only. */
typedef struct cp_cli {
    const cp_registry *providers; /* every provider the program has */
} cp_cli;

typedef struct cp_command {
    const char *name;
    int (*run)(const cp_cli *cli, int argc, char **argv);
    const char *summary; /* one line for `cpstack --help` */
    const char *usage;   /* full text for `cpstack <command> --help` */
} cp_command;

int cmd_validate(const cp_cli *cli, int argc, char **argv);
int cmd_fmt(const cp_cli *cli, int argc, char **argv);
int cmd_graph(const cp_cli *cli, int argc, char **argv);
int cmd_version(const cp_cli *cli, int argc, char **argv);
int cmd_plan(const cp_cli *cli, int argc, char **argv);
int cmd_apply(const cp_cli *cli, int argc, char **argv);
int cmd_destroy(const cp_cli *cli, int argc, char **argv);
int cmd_refresh(const cp_cli *cli, int argc, char **argv);
int cmd_output(const cp_cli *cli, int argc, char **argv);
int cmd_show(const cp_cli *cli, int argc, char **argv);
int cmd_console(const cp_cli *cli, int argc, char **argv);
int cmd_state(const cp_cli *cli, int argc, char **argv);
int cmd_import(const cp_cli *cli, int argc, char **argv);
int cmd_force_unlock(const cp_cli *cli, int argc, char **argv);
int cmd_branches(const cp_cli *cli, int argc, char **argv);
int cmd_schema(const cp_cli *cli, int argc, char **argv);
int cmd_functions(const cp_cli *cli, int argc, char **argv);
int cmd_migrate(const cp_cli *cli, int argc, char **argv);

/* Run `argv[1]` as a command (argv[0] is the program); the exit code. */
int cp_cli_main(const cp_cli *cli, int argc, char **argv);

/* True when argv has -h, -help or --help: print usage and return 0. */
int cp_wants_help(int argc, char **argv, const char *usage);

#endif
