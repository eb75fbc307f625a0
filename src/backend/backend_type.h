/*
 * backend_type.h: how a backend registers, the way a provider does. A
 * backend type is a table: its name (the label of `backend "NAME" { … }`
 * in a stack block), the settings that block may give, and an open
 * function. Each backend file (local.c, s3.c) defines one. The CLI builds
 * the list of types it ships and hands it down: config checks a stack's
 * backend block against the names and settings it is given, and the CLI
 * opens the type the block names (or the first of its list when there is
 * no block). Nothing below the CLI names a backend.
 */
#ifndef CP_BACKEND_BACKEND_TYPE_H
#define CP_BACKEND_BACKEND_TYPE_H

#include <stdbool.h>

#include "backend/backend.h"
#include "lang/value.h"

/* What a backend may use besides its settings. */
typedef struct cp_backend_env {
    const char *stack_dir; /* the stack's directory */
    const char *region;    /* the run's region (-region, the stack's, AWS_REGION), or NULL */
} cp_backend_env;

typedef struct cp_backend_type {
    const char *name;            /* "local", "s3" */
    const char *const *settings; /* the arguments its block takes, NULL-terminated (never NULL) */
    /* Open it. settings: a map of the arguments the block sets, evaluated
     * (only names from `settings`; empty without a block). 0 and *out, or
     * -1 and *err, a one-line message naming what to set. */
    int (*open)(const cp_value *settings, const cp_backend_env *env, cp_backend **out, char **err);
} cp_backend_type;

/* The type called name in types (NULL-terminated), or NULL. */
const cp_backend_type *cp_backend_type_find(const cp_backend_type *const *types, const char *name);

/* A setting of type string (NULL when unset or not a string), or bool
 * (def when unset or not a bool). */
const char *cp_backend_setting_str(const cp_value *settings, const char *name);
bool cp_backend_setting_bool(const cp_value *settings, const char *name, bool def);

#endif
