/*
 * registry.c: a set of providers and lookups by type name (see
 * registry.h). Core never names a provider: it is handed the lookups built
 * here by the program's main.
 *
 * Invariant: r->providers is NULL-terminated (r->len entries before it).
 * To add a provider to cpstack: declare it in a header and add it to
 * `builtin`.
 */
#include "providers/registry.h"
#include "providers/aws/aws_types.h"
#include "providers/builtin.h"
#include "util/xalloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct cp_registry {
    const cp_provider **providers; /* NULL-terminated */
    size_t len, cap;
};

static const cp_provider *const builtin[] = {
    &cp_provider_aws,
    &cp_provider_local,
    &cp_provider_random,
    &cp_provider_terraform,
    &cp_provider_null,
    &cp_provider_cpstack,
    NULL,
};

cp_registry *cp_registry_new(const cp_provider *const *providers)
{
    cp_registry *r = cp_xcalloc(1, sizeof *r);
    CP_GROW(r->providers, 1, r->cap);
    r->providers[0] = NULL;
    for (const cp_provider *const *p = providers; p && *p; p++) cp_registry_add(r, *p);
    return r;
}

cp_registry *cp_registry_builtin(void) { return cp_registry_new(builtin); }

void cp_registry_add(cp_registry *r, const cp_provider *p)
{
    assert(p && p->types);
    CP_GROW(r->providers, r->len + 2, r->cap);
    r->providers[r->len++] = p;
    r->providers[r->len] = NULL;
}

void cp_registry_free(cp_registry *r)
{
    if (!r) return;
    free(r->providers);
    free(r);
}

const cp_provider *const *cp_registry_providers(const cp_registry *r)
{
    return (const cp_provider *const *)r->providers;
}

const cp_resource_type *cp_registry_find(const cp_registry *r, const char *name, bool is_data,
                                         const cp_provider **provider)
{
    for (size_t i = 0; i < r->len; i++)
        for (const cp_resource_type *const *t = r->providers[i]->types; *t; t++)
            if ((*t)->is_data == is_data && strcmp((*t)->name, name) == 0) {
                if (provider) *provider = r->providers[i];
                return *t;
            }
    if (provider) *provider = NULL;
    return NULL;
}

static const cp_schema_attr *schema_find(void *ud, const char *type, bool is_data)
{
    const cp_resource_type *t = cp_registry_find(ud, type, is_data, NULL);
    return t ? t->attrs : NULL;
}

static void schema_each(void *ud, bool is_data, void (*fn)(void *arg, const char *name), void *arg)
{
    const cp_registry *r = ud;
    for (size_t i = 0; i < r->len; i++)
        for (const cp_resource_type *const *t = r->providers[i]->types; *t; t++)
            if ((*t)->is_data == is_data) fn(arg, (*t)->name);
}

static char *schema_check(void *ud, const char *type, bool is_data, const cp_value *config,
                          char **where)
{
    const cp_provider *p = NULL;
    const cp_resource_type *t = cp_registry_find(ud, type, is_data, &p);
    return t && p && p->validate_instance ? p->validate_instance(t, config, where) : NULL;
}

static const cp_schema_attr no_settings[] = { { NULL } };

static const cp_schema_attr *provider_settings(void *ud, const char *name)
{
    const cp_registry *r = ud;
    for (size_t i = 0; i < r->len; i++)
        if (!strcmp(r->providers[i]->name, name))
            return r->providers[i]->settings ? r->providers[i]->settings : no_settings;
    return NULL;
}

static void each_provider(void *ud, void (*fn)(void *arg, const char *name), void *arg)
{
    const cp_registry *r = ud;
    for (size_t i = 0; i < r->len; i++) fn(arg, r->providers[i]->name);
}

cp_schema_lookup cp_registry_schemas(const cp_registry *r)
{
    return (cp_schema_lookup){ .find = schema_find,
                               .each = schema_each,
                               .check = schema_check,
                               .provider_settings = provider_settings,
                               .each_provider = each_provider,
                               .ud = (void *)r };
}

static const cp_resource_type *type_find(void *ud, const char *name, bool is_data,
                                         const cp_provider **provider)
{
    return cp_registry_find(ud, name, is_data, provider);
}

cp_type_lookup cp_registry_types(const cp_registry *r)
{
    return (cp_type_lookup){ .find = type_find, .ud = (void *)r };
}

int cp_prov_configure_none(const cp_value *settings, void **client, char **err)
{
    (void)settings;
    (void)err;
    *client = NULL;
    return 0;
}

void cp_prov_close_none(void *client) { (void)client; }
