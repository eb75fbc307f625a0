/*
 * backends.c: the list of backend types cpstack ships (see backends.h) and
 * the lookup config checks a stack's backend block with. The list is
 * constant; the lookup keeps no global state.
 */
#include "cli/backends.h"
#include "backend/local.h"
#include "backend/s3.h"

#include <stddef.h>

static const cp_backend_type *const backend_types[] = {
    &cp_backend_type_local, /* the default: the first */
    &cp_backend_type_s3,
    NULL,
};
_Static_assert(sizeof backend_types / sizeof *backend_types <= CP_CLI_MAX_BACKENDS + 1,
               "raise CP_CLI_MAX_BACKENDS");

const cp_backend_type *const *cp_cli_backend_types(void) { return backend_types; }

const cp_backend_type *cp_cli_backend_type(const char *type)
{
    if (!type) return backend_types[0];
    return cp_backend_type_find(backend_types, type);
}

static const char *const *type_settings(const void *ud, const char *name)
{
    const cp_backend_type *t = cp_backend_type_find(ud, name);
    return t ? t->settings : NULL;
}

void cp_cli_backends_init(cp_cli_backends *b)
{
    size_t n = 0;
    for (const cp_backend_type *const *t = backend_types; *t && n < CP_CLI_MAX_BACKENDS; t++)
        b->names[n++] = (*t)->name;
    b->names[n] = NULL;
    b->lookup = (cp_config_backends){ b->names, type_settings, backend_types };
}
