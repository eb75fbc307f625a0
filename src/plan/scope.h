/*
 * scope.h: resolving names while evaluating a stack — the lookup callback
 * that lang/eval.h asks for.
 *
 * A cp_scope knows the stack's variables (a map), its locals (evaluated on
 * first use, cached when `cache_locals`, which only the single-threaded
 * planner sets), `stack.name/branch/region`, and asks a resource_value
 * callback for the value of a resource (`type.name` / `data.type.name`):
 * a map for a single instance, a list for count, a map for for_each. The
 * planner answers from planned values, apply from the live state. A
 * cp_scope_env adds the instance being evaluated (count.index, each.key,
 * each.value). Values follow value.h: the callback returns new references.
 */
#ifndef CP_PLAN_SCOPE_H
#define CP_PLAN_SCOPE_H

#include <stdbool.h>

#include "config/config.h"
#include "lang/eval.h"

typedef cp_value *(*cp_resource_value_fn)(void *ud, const cp_config_resource *r);

typedef struct cp_scope {
    const cp_config *config;
    const cp_value *variables; /* map name -> value */
    cp_value *stack;           /* { name, branch, region } */
    cp_value **locals;         /* per config local; NULL = not yet evaluated */
    bool cache_locals;
    cp_resource_value_fn resource_value;
    void *resource_ud;
} cp_scope;

typedef struct cp_scope_env {
    cp_scope *scope;
    const cp_value *each_key; /* NULL: no for_each */
    const cp_value *each_value;
    long count_index; /* -1: no count */
} cp_scope_env;

void cp_scope_init(cp_scope *s, const cp_config *c, const cp_value *variables,
                   const char *stack_name, const char *branch, const char *region);
void cp_scope_free(cp_scope *s);

/* An evaluation context using env (ctx->lookup_ud = env). */
void cp_scope_ctx(cp_scope_env *env, cp_diags *d, cp_eval_ctx *ctx);
/* The lookup function itself (exposed for tests). */
cp_value *cp_scope_lookup(void *ud, const char *const *steps, size_t nsteps, size_t *consumed,
                          cp_loc loc, cp_diags *d);

/* Build a resource's value from its instances: kind is 0 single, 1 count,
 * 2 for_each; keys are numbers (count) or strings (for_each). */
cp_value *cp_scope_collect(int kind, const cp_value *const *keys, const cp_value *const *vals,
                           size_t n);

#endif
