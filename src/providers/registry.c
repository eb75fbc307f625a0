/*
 * registry.c: every provider compiled into cpstack, and lookups by type
 * name and attribute name (see provider.h). Core finds a resource type
 * here and never names a provider itself.
 *
 * To add a provider: declare it in a header and add it to `providers`.
 * The lists are constant, so lookups are safe from any thread.
 */
#include "providers/builtin.h"

#include <string.h>

static const cp_provider *const providers[] = {
    &cp_provider_local,
    &cp_provider_random,
    &cp_provider_test,      /* test-only: test_thing, for the engine's tests */
    NULL,
};

const cp_provider *const *cp_providers(void) { return providers; }

const cp_resource_type *cp_find_resource_type(const char *name, bool is_data,
                                               const cp_provider **provider)
{
    for (const cp_provider *const *p = providers; *p; p++)
        for (const cp_resource_type *const *t = (*p)->types; *t; t++)
            if ((*t)->is_data == is_data && strcmp((*t)->name, name) == 0) {
                if (provider) *provider = *p;
                return *t;
            }
    if (provider) *provider = NULL;
    return NULL;
}

const cp_schema_attr *cp_schema_find(const cp_schema_attr *attrs, const char *name)
{
    for (const cp_schema_attr *a = attrs; a && a->name; a++)
        if (strcmp(a->name, name) == 0) return a;
    return NULL;
}

int cp_prov_configure_none(const cp_value *settings, void **client, char **err)
{
    (void)settings;
    (void)err;
    *client = NULL;
    return 0;
}

void cp_prov_close_none(void *client) { (void)client; }
