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

/* One instance of a module call (scope_module.c): its path in addresses
 * ("module.a[0].module.b"), its count/for_each key and the values its
 * variables and locals took (cached only when the scope caches locals).
 * The root is the instance with call NULL. Owned by the scope. */
typedef struct cp_modinst {
    const cp_config_module *call; /* NULL: the root */
    const struct cp_modinst *parent;
    char *path;           /* NULL in the root */
    cp_value *key;        /* NULL without count/for_each; a number or a string */
    cp_value *each_value; /* for_each: each.value of the instance */
    cp_value *vars;       /* cache: name -> value */
    cp_value *locals;     /* cache: name -> value */
} cp_modinst;

/* The value of resource r in module instance mod (NULL: the root). */
typedef cp_value *(*cp_resource_value_fn)(void *ud, const cp_config_resource *r,
                                          const cp_modinst *mod);

typedef struct cp_scope {
    const cp_config *config;
    const cp_value *variables; /* map name -> value */
    cp_value *stack;           /* { name, branch, region } */
    cp_value **locals;         /* per config local; NULL = not yet evaluated */
    bool cache_locals;
    cp_resource_value_fn resource_value;
    void *resource_ud;
    cp_modinst **mods; /* every module instance met so far (scope_module.c) */
    size_t nmods, mcap;
    struct cp_scope_expansion *exps; /* expansions of module calls, computed once */
    size_t nexps, ecap;
} cp_scope;

typedef struct cp_scope_env {
    cp_scope *scope;
    const cp_value *each_key; /* NULL: no for_each */
    const cp_value *each_value;
    long count_index;      /* -1: no count */
    const cp_modinst *mod; /* the module instance evaluated in; NULL: the root */
} cp_scope_env;

void cp_scope_init(cp_scope *s, const cp_config *c, const cp_value *variables,
                   const char *stack_name, const char *branch, const char *region);
void cp_scope_free(cp_scope *s);

/* An evaluation context using env (ctx->lookup_ud = env). */
void cp_scope_ctx(cp_scope_env *env, cp_diags *d, cp_eval_ctx *ctx);
/* The lookup function itself (exposed for tests). */
cp_value *cp_scope_lookup(void *ud, const char *const *steps, size_t nsteps, size_t *consumed,
                          cp_loc loc, cp_diags *d);

/* ---- modules (scope_module.c) ---- */

/* The instances of module call `call` inside parent (NULL: root), from its
 * count/for_each evaluated there; computed once per scope. false after
 * reporting to d (or when they are not known yet). *out belongs to s. */
bool cp_scope_module_expand(cp_scope *s, const cp_config_module *call, const cp_modinst *parent,
                            cp_diags *d, const cp_modinst *const **out, size_t *n);
/* Every instance of `call`, through all instances of the calls above it
 * (malloc'd array; the instances belong to s). */
bool cp_scope_module_instances(cp_scope *s, const cp_config_module *call, cp_diags *d,
                               const cp_modinst ***out, size_t *n);
/* The instance of `call` whose path is `path` (as in an address), or NULL. */
const cp_modinst *cp_scope_modinst_at(cp_scope *s, const cp_config_module *call, const char *path,
                                      cp_diags *d);
/* The config whose names env's expressions use: the root's or a module's. */
const cp_config *cp_scope_env_config(const cp_scope_env *env);
/* Lookups for names inside a module instance and for module.NAME. */
cp_value *cp__scope_module_var(cp_scope_env *env, const char *name, cp_loc loc, cp_diags *d);
cp_value *cp__scope_module_local(cp_scope_env *env, const char *name, cp_loc loc, cp_diags *d);
cp_value *cp__scope_module_ref(cp_scope_env *env, const char *const *steps, size_t nsteps,
                               size_t *consumed, cp_loc loc, cp_diags *d);
void cp__scope_modules_free(cp_scope *s);
/* Evaluate every input of every module instance (once everything they
 * refer to is planned), so that a bad one is reported even where no
 * resource uses it: type conversion and validation blocks. */
void cp_scope_modules_settle(cp_scope *s, cp_diags *d);

/* Build a resource's value from its instances: kind is 0 single, 1 count,
 * 2 for_each; keys are numbers (count) or strings (for_each). */
cp_value *cp_scope_collect(int kind, const cp_value *const *keys, const cp_value *const *vals,
                           size_t n);

#endif
