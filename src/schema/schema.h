/*
 * schema.h: the shape of a resource type's arguments and attributes, below
 * both config (which checks a stack against it) and providers (which
 * declare it), as Terraform keeps configschema under configs and providers.
 *
 * A schema is a constant table of cp_schema_attr, {NULL}-terminated; nested
 * blocks point at tables of their own. Nothing here knows a provider: the
 * config loader is handed a cp_schema_lookup, built by its caller (the CLI
 * from its provider registry, a test from a table of its own), and never
 * reaches for a global. Every function here is pure: tables are borrowed,
 * values follow lang/value.h's rule.
 */
#ifndef CP_SCHEMA_SCHEMA_H
#define CP_SCHEMA_SCHEMA_H

#include <stdbool.h>

#include "lang/value.h"

typedef enum cp_attr_type {
    CP_AT_STRING,
    CP_AT_NUMBER,
    CP_AT_BOOL,
    CP_AT_LIST,   /* list of elem */
    CP_AT_MAP,    /* map of elem (e.g. tags) */
    CP_AT_BLOCKS, /* nested blocks: list of maps described by .block */
    CP_AT_ANY     /* any value (rare) */
} cp_attr_type;

enum {
    CP_REQUIRED = 1 << 0,  /* must be set in config */
    CP_OPTIONAL = 1 << 1,  /* may be set in config */
    CP_COMPUTED = 1 << 2,  /* known after apply when not set */
    CP_FORCE_NEW = 1 << 3, /* changing it replaces the resource */
    CP_SENSITIVE = 1 << 4, /* never shown: "(sensitive value)" */
    CP_UNORDERED = 1 << 5, /* list/blocks compared as a set */
    CP_JSON = 1 << 6,      /* string holding JSON: compared semantically */
    CP_DNS_NAME = 1 << 7   /* a DNS name: compared without case and final dot */
};

typedef struct cp_schema_attr cp_schema_attr;
struct cp_schema_attr {
    const char *name;
    cp_attr_type type;
    cp_attr_type elem; /* for CP_AT_LIST / CP_AT_MAP */
    unsigned flags;
    const char *default_json;    /* default as JSON text ("false", "\"gp2\""), or NULL */
    const cp_schema_attr *block; /* CP_AT_BLOCKS: nested attributes, {NULL}-terminated */
    int max_items;               /* CP_AT_BLOCKS: 0 = unlimited */
    /* Returns NULL when v is acceptable, else a message stating the rule
     * ("bucket names are 3-63 characters of a-z, 0-9, '.' and '-'"). */
    const char *(*validate)(const cp_value *v);
    const char *description;
};

/* The resource types a stack may use, as the config loader is handed them.
 * find: the schema of `type` (a data source when is_data), NULL when no
 * such type. each: fn(arg, name) for every type name of that kind (for
 * "did you mean" suggestions). Both may be called from any thread. */
typedef struct cp_schema_lookup {
    const cp_schema_attr *(*find)(void *ud, const char *type, bool is_data);
    void (*each)(void *ud, bool is_data, void (*fn)(void *arg, const char *name), void *arg);
    /* Optional (NULL: no rules): the rules of the type's owner on a config
     * value (see cp_provider.validate_instance); NULL when fine, else a
     * malloc'd one-line message, *where (malloc'd) the path of the value. */
    char *(*check)(void *ud, const char *type, bool is_data, const cp_value *config, char **where);
    /* Optional (NULL: the stack may hold no provider block): the settings a
     * `provider "NAME" { … }` block takes ({NULL}-terminated; alias is core's
     * and not among them), or NULL when there is no provider NAME; each_provider
     * names every provider (for "did you mean"). */
    const cp_schema_attr *(*provider_settings)(void *ud, const char *name);
    void (*each_provider)(void *ud, void (*fn)(void *arg, const char *name), void *arg);
    void *ud;
} cp_schema_lookup;

/* The attribute `name` of a table (NULL-safe), or NULL. */
const cp_schema_attr *cp_schema_find(const cp_schema_attr *attrs, const char *name);

/* attrs (new reference) with the schema's sensitive attributes marked, and
 * every attribute whose counterpart in `like` (the config it came from, or
 * the state it replaces; may be NULL) holds a sensitive value: a secret
 * that went into a plain attribute (e.g. a password in container
 * definitions) stays hidden in plans, state show and state files. */
cp_value *cp_schema_mark_sensitive(const cp_schema_attr *schema, const cp_value *attrs,
                                   const cp_value *like);

#endif
