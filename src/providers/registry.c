/*
 * registry.c: every provider compiled into cpstack, and lookups by type
 * name and attribute name (see provider.h). Core finds a resource type
 * here and never names a provider itself.
 *
 * To add a provider: declare it in a header and add it to `providers`.
 * The lists are constant, so lookups are safe from any thread.
 */
#include "providers/aws/aws_types.h"
#include "providers/builtin.h"

#include <stdlib.h>
#include <string.h>

static const cp_provider *const providers[] = {
    &cp_provider_aws,
    &cp_provider_local,
    &cp_provider_random,
    NULL,
};

/* The same plus the test-only provider (test_thing), which exists only when
 * CPSTACK_TEST_PROVIDERS=1 — the test suite sets it; users never see it. */
static const cp_provider *const providers_with_test[] = {
    &cp_provider_aws, &cp_provider_local, &cp_provider_random, &cp_provider_test, NULL,
};

const cp_provider *const *cp_providers(void)
{
    const char *t = getenv("CPSTACK_TEST_PROVIDERS");
    return t && !strcmp(t, "1") ? providers_with_test : providers;
}

const cp_resource_type *cp_find_resource_type(const char *name, bool is_data,
                                              const cp_provider **provider)
{
    for (const cp_provider *const *p = cp_providers(); *p; p++)
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
