/*
 * cmd_apply.c: `cpstack apply [PLANFILE]` — plan and, once approved, make
 * the changes; or apply a saved plan exactly, refusing a stale one.
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: cpstack apply [flags] [PLANFILE | DIR]\n\n"
    "Make the changes the stack describes (after showing them and asking),\n"
    "or apply a plan saved with `cpstack plan -out FILE` exactly.\n\n"
    "  -auto-approve        do not ask for approval\n"
    "  -json                one JSON object per line (docs/json-ui.md); needs -auto-approve\n"
    "  -refresh-only        only record in state what changed outside cpstack\n"
    "  -parallelism N       provider calls at once (default 10)\n"
    "  -refresh=false, -target ADDR, -replace ADDR, -var k=v, -var-file FILE,\n"
    "  -lock-timeout 30s, -branch NAME, -region R, -no-color   as for plan\n";

static int fresh_plan(const cp_cli *cli, cp_session *s, cp_engine_flags *f, cp_plan **p,
                      cp_state **refreshed)
{
    if (f->json && !f->auto_approve) {
        fprintf(stderr,
                "cpstack %s: -json needs -auto-approve (or a saved plan): a JSON stream "
                "cannot ask for approval\n",
                f->destroy ? "destroy" : "apply");
        return -1;
    }
    if (!f->auto_approve && !isatty(0)) {
        fprintf(stderr,
                "cpstack %s: no terminal to ask for approval; pass -auto-approve to apply "
                "without asking, or apply a saved plan\n",
                f->destroy ? "destroy" : "apply");
        return -1;
    }
    if (cp_engine_open(cli, s, f, f->destroy ? "destroy" : "apply") != 0) return -1;
    if (cp_engine_plan(s, f, p, refreshed) != 0) return -1;
    cp_engine_render(*p, f->json, cp_cli_stdout_color(f->no_color));
    if (!cp_plan_has_changes(*p) || f->auto_approve) return 0;
    bool yes = f->destroy
                   ? cp_engine_approve(
                         "Do you really want to destroy all resources?",
                         "cpstack will destroy all your managed infrastructure, as shown above.")
                   : cp_engine_approve("Do you want to perform these actions?",
                                       "cpstack will perform the actions described above.");
    if (yes) return 0;
    fprintf(stderr, "%s cancelled: nothing was changed\n", f->destroy ? "Destroy" : "Apply");
    return -1;
}

/* [PLANFILE | DIR]: a directory is the stack, anything else a plan file
 * (destroy takes a directory only). */
static int apply_args(const cp_engine_cmd *cmd, cp_engine_flags *f, const cp_strlist *pos)
{
    f->destroy = f->destroy || cmd->destroy;
    struct stat st;
    if (pos->len == 1 && stat(pos->items[0], &st) == 0 && S_ISDIR(st.st_mode))
        f->dir = pos->items[0]; /* a stack directory, not a plan file */
    else if (pos->len == 1 && cmd->destroy) {
        fprintf(stderr,
                "cpstack destroy: %s is not a directory; give the stack directory (or none)\n",
                pos->items[0]);
        return -1;
    }
    return 0;
}

static int run_apply(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const cp_strlist *pos)
{
    cp_plan *p = NULL;
    cp_state *refreshed = NULL;
    bool plan_file = pos->len == 1 && f->dir != pos->items[0]; /* see apply_args */
    int prc = plan_file ? cp_engine_saved_plan(cli, s, f, pos->items[0], "apply", &p, &refreshed)
                        : fresh_plan(cli, s, f, &p, &refreshed);
    int rc = 1;
    if (prc == 0) {
        rc = cp_engine_apply_take(s, f, p, refreshed);
        refreshed = NULL;
    }
    cp_plan_free(p);
    cp_state_free(refreshed);
    return rc;
}

int cp_cmd_apply_run(const cp_cli *cli, int argc, char **argv, const char *usage_text, bool destroy)
{
    const cp_engine_cmd cmd = {
        .usage = usage_text,
        .apply_flags = true,
        .destroy = destroy,
        .args = apply_args,
        .run = run_apply,
    };
    return cp_engine_main(cli, argc, argv, &cmd);
}

int cmd_apply(const cp_cli *cli, int argc, char **argv)
{
    return cp_cmd_apply_run(cli, argc, argv, usage, false);
}
