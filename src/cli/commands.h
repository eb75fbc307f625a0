/*
 * commands.h: one function per `cpstack <command>`, each in cli/cmd_<name>.c.
 *
 * A command gets argv after its name (argv[0] is the command name), parses
 * its own flags (cli/args.h), and returns the process exit code:
 * 0 ok, 1 error, 2 changes present (plan -detailed-exitcode).
 */
#ifndef CP_CLI_COMMANDS_H
#define CP_CLI_COMMANDS_H

typedef struct cp_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* one line for `cpstack --help` */
    const char *usage;   /* full text for `cpstack <command> --help` */
} cp_command;

int cmd_validate(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_refresh(int argc, char **argv);
int cmd_output(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_force_unlock(int argc, char **argv);
int cmd_branches(int argc, char **argv);
int cmd_schema(int argc, char **argv);

/* True when argv has -h, -help or --help: print usage and return 0. */
int cp_wants_help(int argc, char **argv, const char *usage);

#endif
