/*
 * config_eval.h: turning a resource's body into the value a provider sees.
 *
 * Given an evaluation context (lookup of var./local./resources/each/count),
 * evaluates every argument of the body and every nested block against the
 * resource type's schema: result is a map with one entry per schema
 * attribute (null when not set, schema default when it has one; nested
 * blocks as lists of maps), values converted to the schema's types. Errors
 * are reported at the offending expression. Unknown values stay unknown.
 * Sensitive schema attributes come back marked sensitive.
 */
#ifndef CP_CONFIG_CONFIG_EVAL_H
#define CP_CONFIG_CONFIG_EVAL_H

#include "config/config.h"
#include "lang/eval.h"

cp_value *cp_config_eval_body(const cp_config_resource *r, const cp_eval_ctx *ctx);
/* A provider block's settings, the same way against the provider's
 * settings schema (its alias is not among them); NULL after errors. */
cp_value *cp_config_eval_provider(const cp_config_provider *p, const cp_schema_attr *settings,
                                  const cp_eval_ctx *ctx);

/* The instance address a keyed import block's `to` names, its keys
 * evaluated in ctx (each.key and each.value bound by the caller): each a
 * string or a whole number. Canonical, malloc'd; NULL after an error
 * reported to ctx->diags (config_moved.c). */
char *cp_config_import_target(const cp_config_import *im, const cp_eval_ctx *ctx);

/* Conditions (lifecycle pre/postconditions, check asserts), evaluated in
 * ctx with `self` bound to self when not NULL (config_conditions.c).
 * Returns 1 when every one holds, 0 when one is unknown (none failed), -1
 * when one fails: *at is its condition and *msg its error_message
 * (malloc'd), or NULL when evaluating failed (the error is in ctx->diags). */
int cp_config_eval_conditions(const cp_config_validation *v, size_t n, const cp_eval_ctx *ctx,
                              const cp_value *self, char **msg, cp_loc *at);

/* Variables: -var, -var-file, CPSTACK_VAR_<name>, defaults (see README for
 * precedence). Returns a map name → value (converted to the declared type,
 * validations checked), or NULL after reporting to d. */
typedef struct cp_var_inputs {
    const char **assignments; /* "k=v" strings from -var, in order */
    size_t nassignments;
    const char **files; /* -var-file paths, in order */
    size_t nfiles;
    char *const *environ; /* for CPSTACK_VAR_<name>; NULL = none */
} cp_var_inputs;

cp_value *cp_config_eval_variables(cp_config *c, const cp_var_inputs *in, cp_diags *d);

#endif
