/*
 * cmd_destroy.c: `cpstack destroy` — plan the deletion of everything the
 * stack manages (in reverse dependency order; with -target, of the targets
 * and everything that depends on them) and, once approved, do it.
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"

#include <stdbool.h>

static const char usage[] =
    "Usage: cpstack destroy [flags] [DIR]\n\n"
    "Destroy everything the stack manages on this branch (from state: this works\n"
    "even when DIR has no .cp files left).\n\n"
    "  -auto-approve        do not ask for approval\n"
    "  -json                one JSON object per line (docs/json-ui.md); needs -auto-approve\n"
    "  -target ADDR         only ADDR and everything that depends on it (repeatable)\n"
    "  -parallelism N, -refresh=false, -var k=v, -var-file FILE, -lock-timeout 30s,\n"
    "  -branch NAME, -region R, -no-color   as for plan\n";

int cmd_destroy(const cp_cli *cli, int argc, char **argv)
{
    return cp_cmd_apply_run(cli, argc, argv, usage, true);
}
