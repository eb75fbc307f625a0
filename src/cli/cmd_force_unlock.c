/*
 * cmd_force_unlock.c: `cpstack force-unlock ID` — remove a stale state
 * lock, only if its ID is the one given (printed by the run that is
 * blocked), so a live run's lock is never removed by mistake.
 */
#include "cli/commands.h"
#include "cli/stack_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: cpstack force-unlock [flags] LOCK_ID\n\n"
    "Remove the state lock with this ID (shown in the \"state is locked\" message).\n\n"
    "  -branch NAME   the deployment whose lock to remove\n";

int cmd_force_unlock(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    cp_strlist pos = { 0 };
    const char *dir = NULL, *branch = NULL;
    const cp_flag flags[] = { { "chdir", CP_FLAG_STRING, &dir },
                              { "branch", CP_FLAG_STRING, &branch },
                              { NULL, 0, NULL } };
    cp_session s;
    memset(&s, 0, sizeof s);
    int rc = 1;
    if (cp_parse_flags(argc, argv, flags, &pos) != 0) goto out;
    if (pos.len != 1) {
        fprintf(stderr, "cpstack force-unlock: give the LOCK_ID to remove\n");
        goto out;
    }
    cp_session_opts o = { .cli = cli, .dir = dir, .branch = branch, .no_variables = true };
    if (cp_session_open(&s, &o) != 0) goto out;
    char *err = NULL;
    if (cp_backend_force_unlock(s.backend, s.branch, pos.items[0], &err) != 0) {
        fprintf(stderr, "cpstack force-unlock: %s\n", err);
        free(err);
        goto out;
    }
    printf("The state lock %s was removed.\n", pos.items[0]);
    rc = 0;
out:
    if (s.config || s.store) cp_session_close(&s);
    cp_strlist_free(&pos);
    return rc;
}
