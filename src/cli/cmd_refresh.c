/*
 * cmd_refresh.c: `cpstack refresh` — read every object in state again and
 * save what really exists (objects gone are dropped from state).
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "Usage: cpstack refresh [flags] [DIR]\n\n"
    "Update state from what really exists.\n\n"
    "  -parallelism N, -var k=v, -var-file FILE, -lock-timeout 30s, -branch NAME,\n"
    "  -region R, -no-color   as for plan\n";

int cmd_refresh(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    cp_engine_flags f;
    cp_engine_flags_init(&f);
    cp_strlist pos = { 0 };
    cp_session s;
    memset(&s, 0, sizeof s);
    int rc = 1;
    if (cp_engine_parse(argc, argv, &f, &pos, true) != 0) goto out;
    if (pos.len > 0) f.dir = pos.items[0];
    if (cp_engine_open(cli, &s, &f, "refresh") != 0) goto out;
    cp_plan_opts o = { .config = s.config,
                       .types = &s.types,
                       .parallelism = f.parallelism,
                       .client = cp_session_client,
                       .client_ud = &s,
                       .progress = stdout };
    cp_diags d;
    cp_diags_init(&d);
    cp_state *fresh = NULL;
    int prc = cp_plan_refresh(&o, s.state, false, &fresh, &d);
    if (d.len) cp_diags_print(&d, &s.config->sources, stderr, s.color);
    cp_diags_free(&d);
    if (prc != 0) goto out;
    cp_state_free(s.state);
    s.state = fresh;
    if (cp_session_save(&s) != 0) goto out;
    printf("Refresh complete: %zu object%s in state.\n", cp_state_count(s.state),
           cp_state_count(s.state) == 1 ? "" : "s");
    rc = 0;
out:
    if (s.config || s.store) cp_session_close(&s);
    cp_strlist_free(&pos);
    cp_engine_flags_free(&f);
    return rc;
}
