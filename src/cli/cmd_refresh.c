/*
 * cmd_refresh.c: `cpstack refresh` — read every object in state again,
 * report what changed outside cpstack (attribute by attribute, as a plan's
 * drift section) and save what really exists (objects gone are dropped
 * from state). The same as `apply -refresh-only -auto-approve`.
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"

#include "cli/ui_json.h"
#include "plan/render.h"

#include <stdio.h>

static const char usage[] =
    "Usage: cpstack refresh [flags] [DIR]\n\n"
    "Update state from what really exists, and show what changed outside cpstack\n"
    "(the same as `cpstack apply -refresh-only -auto-approve`).\n\n"
    "  -json                one JSON object per line (docs/json-ui.md)\n"
    "  -parallelism N, -var k=v, -var-file FILE, -lock-timeout 30s, -branch NAME,\n"
    "  -region R, -no-color   as for plan\n";

/* What changed outside cpstack, now recorded in state. */
static void print_drift(const cp_plan *p, bool color)
{
    if (!p->ndrift) return;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "\nObjects changed outside cpstack (state now records them):\n\n");
    for (size_t i = 0; i < p->ndrift; i++) {
        cp_render_drift_one(&b, &p->drift[i], color);
        cp_buf_addc(&b, '\n');
    }
    fputs(b.data, stdout);
    cp_buf_free(&b);
}

static int run_refresh(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const cp_strlist *pos)
{
    (void)cli;
    (void)pos;
    f->refresh_only = true;
    cp_plan *p = NULL;
    cp_state *fresh = NULL;
    if (cp_engine_plan(s, f, &p, &fresh) != 0) return 1;
    size_t drifted = p->ndrift;
    if (f->json)
        cp_ui_json_plan(p, true);
    else {
        print_drift(p, cp_cli_stdout_color(f->no_color));
    }
    cp_plan_free(p);
    cp_state_free(s->state);
    s->state = fresh;
    if (cp_session_save(s) != 0) return 1;
    if (!f->json)
        printf("\nRefresh complete: %zu object%s in state, %zu changed outside cpstack.\n",
               cp_state_count(s->state), cp_state_count(s->state) == 1 ? "" : "s", drifted);
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
