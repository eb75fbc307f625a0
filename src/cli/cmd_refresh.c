/*
 * cmd_refresh.c: `cpstack refresh` — read every object in state again and
 * save what really exists (objects gone are dropped from state).
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"

#include <stdio.h>

static const char usage[] =
    "Usage: cpstack refresh [flags] [DIR]\n\n"
    "Update state from what really exists.\n\n"
    "  -parallelism N, -var k=v, -var-file FILE, -lock-timeout 30s, -branch NAME,\n"
    "  -region R, -no-color   as for plan\n";

static int run_refresh(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const cp_strlist *pos)
{
    (void)cli;
    (void)pos;
    cp_plan_opts o = { .config = s->config,
                       .types = &s->types,
                       .parallelism = f->parallelism,
                       .client = cp_session_client,
                       .client_ud = s,
                       .progress = stdout };
    cp_diags d;
    cp_diags_init(&d);
    cp_state *fresh = NULL;
    int prc = cp_plan_refresh(&o, s->state, false, &fresh, &d);
    if (d.len) cp_diags_print(&d, &s->config->sources, stderr, s->color);
    cp_diags_free(&d);
    if (prc != 0) return 1;
    cp_state_free(s->state);
    s->state = fresh;
    if (cp_session_save(s) != 0) return 1;
    printf("Refresh complete: %zu object%s in state.\n", cp_state_count(s->state),
           cp_state_count(s->state) == 1 ? "" : "s");
    return 0;
}

int cmd_refresh(const cp_cli *cli, int argc, char **argv)
{
    static const cp_engine_cmd cmd = {
        .usage = usage,
        .apply_flags = true,
        .operation = "refresh",
        .run = run_refresh,
    };
    return cp_engine_main(cli, argc, argv, &cmd);
}
