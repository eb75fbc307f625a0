/*
 * cmd_plan.c: `cpstack plan` — show what refresh found changed outside
 * cpstack, then what apply would change; -out saves the plan for `apply
 * FILE`; -detailed-exitcode returns 2 when there are changes; -json
 * streams JSON lines (ui_json.h).
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "Usage: cpstack plan [flags] [DIR]\n\n"
    "Show the changes apply would make to the stack in DIR (default: current directory).\n"
    "cpstack runs inside DIR (like -chdir), so relative paths, -out included, are\n"
    "taken from there.\n\n"
    "  -out FILE            save the plan for `cpstack apply FILE`\n"
    "  -json                one JSON object per line (docs/json-ui.md); the whole plan as\n"
    "                       one document: cpstack show -json PLANFILE\n"
    "  -detailed-exitcode   exit 0 no changes, 1 error, 2 changes present\n"
    "  -refresh=false       do not read real objects first\n"
    "  -refresh-only        plan only updating state to what refresh found changed\n"
    "                       outside cpstack (every plan shows that drift first)\n"
    "  -target ADDR         only ADDR and what it depends on (with -destroy: and what\n"
    "                       depends on it) (repeatable)\n"
    "  -replace ADDR        replace ADDR even if unchanged (repeatable)\n"
    "  -destroy             plan the destruction of everything\n"
    "  -var k=v, -var-file FILE   variable values\n"
    "  -lock-timeout 30s    wait for the state lock\n"
    "  -parallelism N       provider calls at once (default 10)\n"
    "  -branch NAME         the deployment (default: CPSTACK_BRANCH, CI variables, git branch)\n"
    "  -region REGION       AWS region (default: the stack's, then AWS_REGION)\n"
    "  -no-color            no ANSI colour\n";

static int save_plan(const cp_session *s, const cp_engine_flags *f, const cp_plan *p)
{
    char *err = NULL;
    if (cp_plan_file_save(f->out, p, f, s->config, &err) != 0) {
        fprintf(stderr, "cpstack plan: %s\n", err);
        free(err);
        return 1;
    }
    if (!f->json)
        printf("\nSaved the plan to: %s\nTo perform exactly these actions, run: cpstack apply %s\n",
               f->out, f->out);
    return 0;
}

static int run_plan(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const cp_strlist *pos)
{
    (void)cli;
    (void)pos;
    cp_plan *p = NULL;
    cp_state *refreshed = NULL;
    int rc = 1;
    if (cp_engine_plan(s, f, &p, &refreshed) == 0) {
        cp_engine_render(p, f->json, cp_cli_stdout_color(f->no_color));
        rc = f->out ? save_plan(s, f, p) : 0;
        if (rc == 0 && f->detailed && cp_plan_has_changes(p)) rc = 2;
    }
    cp_plan_free(p);
    cp_state_free(refreshed);
    return rc;
}

int cmd_plan(const cp_cli *cli, int argc, char **argv)
{
    static const cp_engine_cmd cmd = { .usage = usage, .operation = "plan", .run = run_plan };
    return cp_engine_main(cli, argc, argv, &cmd);
}
