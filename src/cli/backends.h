/*
 * backends.h: the backend types this cpstack ships, as the CLI hands them
 * down (backends.c holds the one list). Config gets their names and
 * settings through a cp_config_backends lookup; the session opens the type
 * a stack's backend block names, or the first of the list (local) when the
 * stack has no backend block. Adding a backend means adding its file to
 * src/backend and one line to that list, nothing in config or state.
 */
#ifndef CP_CLI_BACKENDS_H
#define CP_CLI_BACKENDS_H

#include "backend/backend_type.h"
#include "config/config.h"

#define CP_CLI_MAX_BACKENDS 8

/* Every backend type, NULL-terminated; the first is the default. */
const cp_backend_type *const *cp_cli_backend_types(void);

/* A lookup over cp_cli_backend_types() for cp_config_load; it points into
 * itself, so use it where it was initialised. */
typedef struct cp_cli_backends {
    const char *names[CP_CLI_MAX_BACKENDS + 1];
    cp_config_backends lookup;
} cp_cli_backends;

void cp_cli_backends_init(cp_cli_backends *b);

/* The type a stack's backend block names (type NULL: the default), or
 * NULL when there is none of that name. */
const cp_backend_type *cp_cli_backend_type(const char *type);

#endif
