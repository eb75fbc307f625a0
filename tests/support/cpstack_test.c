/*
 * cpstack_test.c: the cpstack-test program — cpstack's command line with
 * the builtin providers plus the test-only provider (test_thing), for the
 * engine's shell tests (tests/apply, tests/state). Everything but this main
 * is cpstack's own code (src/cli, linked as cp_cli).
 */
#include "cli/commands.h"
#include "test_provider.h"

int main(int argc, char **argv)
{
    cp_registry *reg = cp_registry_builtin();
    cp_registry_add(reg, &cp_provider_test);
    cp_cli cli = { .providers = reg };
    int rc = cp_cli_main(&cli, argc, argv);
    cp_registry_free(reg);
    return rc;
}
