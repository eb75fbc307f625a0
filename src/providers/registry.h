/*
 * registry.h: a set of providers, as a value its caller builds.
 *
 * The cpstack program builds the builtin registry (aws, local, random) in
 * main and hands what core needs from it: the schema lookup the config
 * loader takes (schema/schema.h) and the type lookup plan takes
 * (providers/provider.h). Tests build registries of their own (with the
 * test-only provider). A registry borrows its providers (constant tables)
 * and reads no environment; once built it is only read, so lookups are
 * safe from any thread. Types are found in the order providers were added.
 */
#ifndef CP_PROVIDERS_REGISTRY_H
#define CP_PROVIDERS_REGISTRY_H

#include "providers/provider.h"

typedef struct cp_registry cp_registry;

/* A registry of the NULL-terminated list `providers` (may be NULL: empty). */
cp_registry *cp_registry_new(const cp_provider *const *providers);
/* The providers that ship in cpstack: aws, local and random. */
cp_registry *cp_registry_builtin(void);
/* Add p after the others (before the registry is shared between threads). */
void cp_registry_add(cp_registry *r, const cp_provider *p);
void cp_registry_free(cp_registry *r);

/* Its providers, NULL-terminated, in the order added. */
const cp_provider *const *cp_registry_providers(const cp_registry *r);
/* The type `name` (is_data selects data sources) and, when provider is
 * non-NULL, its provider. NULL (and *provider NULL) when unknown. */
const cp_resource_type *cp_registry_find(const cp_registry *r, const char *name, bool is_data,
                                         const cp_provider **provider);

/* The lookups core is handed; they borrow r. */
cp_schema_lookup cp_registry_schemas(const cp_registry *r);
cp_type_lookup cp_registry_types(const cp_registry *r);

#endif
