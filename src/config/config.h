/*
 * config.h: a stack as written, checked and ready to plan.
 *
 * cp_config_load() reads a directory of .cp files (or one file), parses them
 * (lang/), and turns the top-level blocks into this structure: the stack
 * block with its backend, variables, locals, resources and data sources
 * (lifecycle with conditions and replace_triggered_by; dynamic blocks stay
 * in the body and are expanded by config_eval.h), outputs, and the check,
 * moved, removed and import blocks. It checks everything that can be checked without evaluating:
 * unknown block types, duplicates, unknown resource types and arguments
 * (against the schemas of the cp_schema_lookup it is handed: config knows
 * no provider and no registry), missing required arguments, literal
 * values of the wrong type, references to undeclared names — each as a
 * diagnostic at file:line:col, with "did you mean" suggestions.
 *
 * Module calls (module "NAME" { source = "./dir" … }) load the module's
 * directory into its own cp_config (cp_config_module.config), whose
 * variables, locals and outputs stay there; its resources are moved into
 * the root config's list with "module.NAME." before their address and
 * their `module` set, so every resource of the stack is in one list.
 *
 * Provider blocks (provider "aws" { alias = "west" … }) are decoded and
 * checked against the settings the provider declares; every resource
 * records which provider instance owns it (cp_config_resource.provider).
 *
 * Expressions stay unevaluated (cp_expr*) here: plan evaluates them in
 * dependency order. config_eval.h turns a resource body into a value.
 */
#ifndef CP_CONFIG_CONFIG_H
#define CP_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/types.h"
#include "schema/schema.h"

typedef struct cp_config_validation {
    const cp_expr *condition;
    const cp_expr *error_message;
    cp_loc loc;
} cp_config_validation;

typedef struct cp_config_variable {
    const char *name;
    cp_loc loc;
    cp_type *type;               /* NULL = any */
    const cp_expr *default_expr; /* NULL = required */
    const char *description;
    bool sensitive;
    cp_config_validation *validations;
    size_t nvalidations;
} cp_config_variable;

typedef struct cp_config_local {
    const char *name;
    cp_loc loc;
    const cp_expr *expr;
} cp_config_local;

typedef struct cp_config_ref { /* a depends_on entry */
    char *address;             /* "aws_s3_bucket.logs" or "data.aws_ami.x" */
    cp_loc loc;
} cp_config_ref;

/* A replace_triggered_by entry: TYPE.NAME, TYPE.NAME[i], TYPE.NAME.attr or
 * TYPE.NAME[i].attr (config_conditions.c). */
typedef struct cp_config_trigger {
    char *resource;       /* "type.name" */
    const cp_expr *index; /* the [i], evaluated per instance; NULL: any instance */
    const char *attr;     /* top-level attribute, or NULL: any change */
    cp_loc loc;
} cp_config_trigger;

typedef struct cp_config_lifecycle {
    bool create_before_destroy;
    bool prevent_destroy;
    bool ignore_all_changes; /* ignore_changes = all */
    char **ignore_changes;   /* top-level attribute names */
    size_t nignore_changes;
    cp_config_trigger *replace_triggered_by;
    size_t nreplace_triggered_by;
    cp_config_validation *preconditions; /* checked before the change */
    size_t npreconditions;
    cp_config_validation *postconditions; /* checked on the result; self = it */
    size_t npostconditions;
} cp_config_lifecycle;

struct cp_config_module;

/* provider "NAME" { alias = "ALIAS" … } (config_provider.c): a configuration
 * of provider NAME. Without alias it configures the provider's default
 * instance. Its settings (checked against the schema the provider gives
 * through the loader's lookup) stay unevaluated: the caller evaluates the
 * body and hands it to the provider's configure. Only the root stack has
 * provider blocks; modules get theirs through providers = { … }. */
typedef struct cp_config_provider {
    const char *name;    /* "aws" */
    const char *alias;   /* NULL: the default instance */
    char *key;           /* "aws" or "aws.ALIAS": how plans and state name it */
    const cp_body *body; /* settings; alias among them */
    cp_loc loc;          /* of "NAME" */
} cp_config_provider;

/* providers = { aws = aws.west } in a module block: inside the module,
 * `local` ("aws" or "aws.x") means the root's instance `key` (NULL: the
 * default instance). */
typedef struct cp_config_provider_map {
    char *local;
    const char *key;
    cp_loc loc;
} cp_config_provider_map;

typedef struct cp_config_resource {
    const struct cp_config_module *module; /* the module call it is in; NULL = the root */
    bool is_data;
    const char *type;
    const char *name;
    char *address; /* "type.name" or "data.type.name", after "module.a." inside module a */
    cp_loc loc;
    const cp_schema_attr *attrs; /* its type's schema from the lookup; NULL = unknown type */
    const cp_body *body;         /* arguments and nested blocks */
    const cp_expr *count;        /* NULL when absent */
    const cp_expr *for_each;     /* NULL when absent */
    cp_config_ref *depends_on;
    size_t ndepends_on;
    cp_config_lifecycle lifecycle;
    /* The provider instance that owns it, as the root names it: NULL for the
     * default one, else "aws.west" (a cp_config_provider key), resolved
     * from provider = aws.ALIAS and the module calls' providers maps. */
    const char *provider;
    const cp_expr *provider_expr; /* provider = …, as written; NULL when absent */
} cp_config_resource;

typedef struct cp_config_output {
    const char *name;
    cp_loc loc;
    const cp_expr *value;
    const char *description;
    bool sensitive;
} cp_config_output;

/* check "NAME" { assert { condition, error_message } … }: warnings only. */
typedef struct cp_config_check {
    const char *name;
    cp_loc loc;
    cp_config_validation *asserts;
    size_t nasserts;
} cp_config_check;

/* moved { from = A  to = B }: addresses of resources ("type.name") or of
 * instances ("type.name[0]", "type.name[\"k\"]"), canonical. */
typedef struct cp_config_moved {
    char *from, *to;
    cp_loc loc, from_loc, to_loc;
} cp_config_moved;

/* removed { from = A  lifecycle { destroy = false } } */
typedef struct cp_config_removed {
    char *from;
    cp_loc loc, from_loc;
    bool destroy; /* default true: destroyed like any orphan */
} cp_config_removed;

/* import { to = A  id = "…" }, or import { for_each = MAP_OR_LIST  to =
 * A[each.key]  id = each.value }: one import per element. */
typedef struct cp_config_import {
    char *to; /* instance address, canonical; when keyed: the resource's
                 address without keys ("module.m.type.name") */
    const cp_expr *id;
    cp_loc loc, to_loc;
    const cp_expr *for_each; /* NULL when absent */
    const cp_expr *to_expr;  /* to as written */
    const cp_expr *provider; /* provider = aws.ALIAS as written; NULL when absent */
    bool keyed;              /* for_each is set or a key of to is an expression: the
                                instance addresses are known at plan
                                (cp_config_import_target) */
} cp_config_import;

typedef struct cp_config_backend {
    const char *type;    /* NAME of backend "NAME" { … }; NULL: no block (the CLI's default) */
    const cp_body *body; /* its settings, unevaluated; NULL without a block */
    cp_loc loc;
    cp_loc label_loc; /* of "NAME" */
} cp_config_backend;

/* The backend types a stack may name, handed to cp_config_load by its
 * caller (the CLI, from its list of backend types): config names none.
 * settings(ud, name) gives the arguments backend "name" { … } takes
 * (NULL-terminated), or NULL when there is no backend of that name; names
 * lists them all (NULL-terminated) for messages and "did you mean". */
typedef struct cp_config_backends {
    const char *const *names;
    const char *const *(*settings)(const void *ud, const char *name);
    const void *ud;
} cp_config_backends;

/* module "NAME" { source = "./dir" … }: a call of the module in dir
 * (config_module.c). Its inputs are the other arguments of the block. */
typedef struct cp_config_module {
    const char *name;
    char *path; /* "module.NAME", after the caller's path: "module.a.module.b" */
    cp_loc loc; /* of "NAME" */
    const cp_body *body;
    const char *source;        /* as written: "./dir" */
    const cp_expr *count;      /* NULL when absent */
    const cp_expr *for_each;   /* NULL when absent */
    cp_config_ref *depends_on; /* addresses in the caller, as written */
    size_t ndepends_on;
    const struct cp_config_module *parent; /* the call whose module holds this one; NULL: root */
    struct cp_config *caller;              /* the config holding the block */
    struct cp_config *config;              /* the module's own (child) config; NULL: not loaded */
    cp_config_provider_map *providers;     /* providers = { … }; resolved in the caller */
    size_t nproviders;
    bool has_providers; /* the argument is set: only what it names is passed */
} cp_config_module;

typedef struct cp_config {
    char *dir; /* the stack directory (base for file()) */
    cp_sources sources;
    cp_file **files;
    size_t nfiles;

    const char *stack_name; /* NULL when no stack block: dir name is used */
    const cp_expr *region;  /* stack's region expression, or NULL */
    cp_config_backend backend;

    cp_config_variable *variables;
    size_t nvariables;
    cp_config_local *locals;
    size_t nlocals;
    cp_config_resource *resources;
    size_t nresources; /* managed and data */
    cp_config_output *outputs;
    size_t noutputs;
    cp_config_check *checks;
    size_t nchecks;
    cp_config_moved *moved;
    size_t nmoved;
    cp_config_removed *removed;
    size_t nremoved;
    cp_config_import *imports;
    size_t nimports;
    cp_config_provider *providers; /* provider blocks (the root only) */
    size_t nproviders;
    cp_config_module *modules; /* the module calls of this config */
    size_t nmodules;
    const cp_config_module *self; /* in a module's config: the call that loaded it; NULL: root */

    bool had_syntax_errors;        /* checks that would only cascade are skipped */
    const cp_schema_lookup *types; /* private: the loader's lookup, NULL once loaded */
    struct cp_config_index *index; /* private: address -> resource lookup */
} cp_config;

/* Load and check a stack against the resource types of `types` (borrowed,
 * used only during the call). A backend block is checked against backends
 * (NULL: the stack may name none). Returns the config (possibly partial)
 * and adds every problem to d; the caller checks cp_diags_has_errors(d). */
cp_config *cp_config_load(const char *path, const cp_schema_lookup *types,
                          const cp_config_backends *backends, cp_diags *d);
void cp_config_free(cp_config *c);

const cp_config_variable *cp_config_find_variable(const cp_config *c, const char *name);
const cp_config_local *cp_config_find_local(const cp_config *c, const char *name);
const cp_config_resource *cp_config_find_resource(const cp_config *c, bool is_data,
                                                  const char *type, const char *name);
const cp_config_output *cp_config_find_output(const cp_config *c, const char *name);
const cp_config_module *cp_config_find_module(const cp_config *c, const char *name);
/* The provider block of name and alias (NULL: the unaliased one), or NULL. */
const cp_config_provider *cp_config_find_provider(const cp_config *c, const char *name,
                                                  const char *alias);
/* A resource by its full configuration address ("module.a.aws_x.y",
 * "data.t.n"), looked up in the root config, which holds every module's
 * resources (a module's own config has none once loaded). */
const cp_config_resource *cp_config_find_resource_at(const cp_config *root, const char *address);

#endif
