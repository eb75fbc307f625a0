/*
 * engine_cmd.h: the flow shared by plan, apply, destroy, refresh and import:
 * the common flags and setup (cp_engine_main), making a plan (with its diagnostics printed),
 * rendering it, saving and loading plan files, asking for approval, and applying with Ctrl-C
 * handling and the final summary.
 */
#ifndef CP_CLI_ENGINE_CMD_H
#define CP_CLI_ENGINE_CMD_H

#include "apply/apply.h"
#include "cli/args.h"
#include "cli/stack_session.h"
#include "plan/plan.h"

typedef struct cp_engine_flags {
    cp_strlist vars, var_files, targets, replace;
    const char *lock_timeout;
    const char *out;    /* plan -out */
    const char *dir;    /* -chdir / stack dir */
    const char *branch; /* -branch */
    const char *region; /* -region */
    int parallelism;
    bool refresh, json, detailed, auto_approve, no_color, lock, destroy, refresh_only;
    bool quiet;   /* no progress lines while planning (show -json) */
    char **owned; /* strings loaded from a plan file, freed with f */
    size_t nowned;
} cp_engine_flags;

void cp_engine_flags_init(cp_engine_flags *f);
void cp_engine_flags_free(cp_engine_flags *f);
/* The flag table for these fields (static storage; fields bound to f). */
int cp_engine_parse(int argc, char **argv, cp_engine_flags *f, cp_strlist *pos, bool apply_flags);

int cp_engine_open(const cp_cli *cli, cp_session *s, const cp_engine_flags *f,
                   const char *operation);

/* One engine command (plan, apply, destroy, refresh, import): help, flags,
 * positional arguments, the session (config, variables, branch, backend,
 * lock, state; providers on first use) and the cleanup of all of them,
 * written once in cp_engine_main. */
typedef struct cp_engine_cmd cp_engine_cmd;
struct cp_engine_cmd {
    const char *usage;
    bool apply_flags;   /* -auto-approve rather than -out (cp_engine_parse) */
    bool destroy;       /* apply's runner, as destroy */
    bool json_document; /* -json prints one document (show), not the JSON-lines stream */
    /* Lock operation of the session opened before run; NULL: run opens it
     * itself (cp_engine_open), after checks of its own. */
    const char *operation;
    /* Checks the positional arguments and may set f->dir; 0, or prints why
     * and -1. NULL: an optional stack DIR. */
    int (*args)(const cp_engine_cmd *cmd, cp_engine_flags *f, const cp_strlist *pos);
    /* The command's work; returns the exit code. */
    int (*run)(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const cp_strlist *pos);
};
/* Runs cmd; returns the exit code (1 when flags, arguments or the session
 * fail, with the reason printed). */
int cp_engine_main(const cp_cli *cli, int argc, char **argv, const cp_engine_cmd *cmd);
/* Plan; prints diagnostics. 0 with *plan and *refreshed, or -1. */
int cp_engine_plan(cp_session *s, const cp_engine_flags *f, cp_plan **plan, cp_state **refreshed);
void cp_engine_render(const cp_plan *p, bool json, bool color);
/* An error of the command: a diagnostic line with -json, else
 * "cpstack: MSG" on stderr. */
void cp_engine_error(const cp_engine_flags *f, const char *msg);
/* Colour for stdout: a TTY, no NO_COLOR, no -no-color. */
bool cp_cli_stdout_color(bool no_color_flag);
/* Load the plan file at path, open the session (locked for command; apply:
 * "apply" or "destroy"), refuse a stale file, re-plan with its flags and
 * refuse if the changes differ (plan files hold no values). 0 with *p and
 * *refreshed, or -1 after printing why ("cpstack COMMAND: …"). */
int cp_engine_saved_plan(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const char *path,
                         const char *command, cp_plan **p, cp_state **refreshed);
/* Ask "Do you want to perform these actions?"; true when the answer is yes. */
bool cp_engine_approve(const char *question, const char *detail);
/* The apply options every command shares: config, variables, stack name,
 * branch, region (no clients, store or output). */
cp_apply_opts cp_engine_apply_opts(const cp_session *s);
/* Apply plan on refreshed (consumed: becomes s->state) and print the summary. */
int cp_engine_apply_take(cp_session *s, const cp_engine_flags *f, const cp_plan *plan,
                         cp_state *refreshed);

/* apply and destroy share one runner (cmd_apply.c). */
int cp_cmd_apply_run(const cp_cli *cli, int argc, char **argv, const char *usage_text,
                     bool destroy);

/* Plan files (plan_file.c). */
int cp_plan_file_save(const char *path, const cp_plan *p, const cp_engine_flags *f,
                      const cp_config *c, char **err);
/* Loads flags saved in the file into f (vars, targets …) and the changes'
 * addresses/actions into *saved (a plan with only those). */
int cp_plan_file_load(const char *path, cp_engine_flags *f, cp_plan **saved, char **lineage,
                      long long *serial, char **err);
/* NULL when plan has exactly the saved changes, else a malloc'd reason. */
char *cp_plan_file_compare(const cp_plan *saved, const cp_plan *now);

#endif
