/*
 * scope.c: the name lookup for stack evaluation (see scope.h).
 */
#include "plan/scope.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cp_scope_init(cp_scope *s, const cp_config *c, const cp_value *variables,
                   const char *stack_name, const char *branch, const char *region)
{
    memset(s, 0, sizeof *s);
    s->config = c;
    s->variables = variables;
    s->stack = cp_map_new();
    cp_map_set_take(s->stack, "name", cp_string(stack_name ? stack_name : ""));
    cp_map_set_take(s->stack, "branch", cp_string(branch ? branch : ""));
    cp_map_set_take(s->stack, "region", region ? cp_string(region) : cp_null());
    s->locals = cp_xcalloc(c->nlocals ? c->nlocals : 1, sizeof(cp_value *));
}

void cp_scope_free(cp_scope *s)
{
    for (size_t i = 0; s->config && i < s->config->nlocals; i++) cp_release(s->locals[i]);
    free(s->locals);
    cp_release(s->stack);
    cp__scope_modules_free(s);
    memset(s, 0, sizeof *s);
}

void cp_scope_ctx(cp_scope_env *env, cp_diags *d, cp_eval_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->lookup = cp_scope_lookup;
    ctx->lookup_ud = env;
    ctx->base_dir = env->scope->config->dir;
    ctx->sources = &env->scope->config->sources;
    ctx->diags = d;
}

static cp_value *lookup_local(cp_scope_env *env, const char *name, cp_loc loc, cp_diags *d)
{
    if (env->mod && env->mod->call) return cp__scope_module_local(env, name, loc, d);
    cp_scope *s = env->scope;
    const cp_config_local *l = cp_config_find_local(s->config, name);
    if (!l) {
        cp_diag_error(d, loc, "reference to undeclared local value \"%s\"", name);
        return NULL;
    }
    size_t i = (size_t)(l - s->config->locals);
    if (s->locals[i]) return cp_retain(s->locals[i]);
    cp_scope_env plain = { s, NULL, NULL, -1, NULL };
    cp_eval_ctx ctx;
    cp_scope_ctx(&plain, d, &ctx);
    cp_value *v = cp_eval(&ctx, l->expr);
    if (v && s->cache_locals) s->locals[i] = cp_retain(v);
    return v;
}

static cp_value *lookup_var(cp_scope_env *env, const char *name, cp_loc loc, cp_diags *d)
{
    if (env->mod && env->mod->call) return cp__scope_module_var(env, name, loc, d);
    const cp_value *v = env->scope->variables ? cp_map_get(env->scope->variables, name) : NULL;
    if (!v) {
        cp_diag_error(d, loc, "no value for variable \"%s\"; set it with -var or -var-file", name);
        return NULL;
    }
    return cp_retain(v);
}

/* path.root: the stack directory; path.module: the directory of the
 * module evaluated in (the stack's in the root); path.cwd: the working
 * directory cpstack runs in. */
static cp_value *lookup_path(const cp_scope_env *env, const char *name, cp_loc loc, cp_diags *d)
{
    if (!strcmp(name, "root") || !strcmp(name, "module")) {
        const cp_config *c = !strcmp(name, "root") ? env->scope->config : cp_scope_env_config(env);
        const char *dir = c->dir;
        return cp_string(dir ? dir : ".");
    }
    if (!strcmp(name, "cwd")) {
        char buf[4096];
        return cp_string(getcwd(buf, sizeof buf) ? buf : ".");
    }
    cp_diag_error(d, loc, "path has root, module and cwd, not \"%s\"", name);
    return NULL;
}

static cp_value *lookup_each(cp_scope_env *env, const char *what, cp_loc loc, cp_diags *d)
{
    if (!env->each_key) {
        cp_diag_error(d, loc, "each.%s is only available in a resource with for_each", what);
        return NULL;
    }
    if (!strcmp(what, "key")) return cp_retain(env->each_key);
    if (!strcmp(what, "value")) return cp_retain(env->each_value);
    cp_diag_error(d, loc, "each has only \"key\" and \"value\", not \"%s\"", what);
    return NULL;
}

static cp_value *lookup_resource(cp_scope_env *env, bool data, const char *type, const char *name,
                                 cp_loc loc, cp_diags *d)
{
    const cp_config_resource *r = NULL;
    if (env->mod && env->mod->call) {
        char *addr =
            cp_xasprintf("%s.%s%s.%s", env->mod->call->path, data ? "data." : "", type, name);
        r = cp_config_find_resource_at(env->scope->config, addr);
        free(addr);
    } else
        r = cp_config_find_resource(env->scope->config, data, type, name);
    if (!r) {
        cp_diag_error(d, loc, "reference to undeclared %s %s.%s", data ? "data source" : "resource",
                      type, name);
        return NULL;
    }
    cp_value *v = env->scope->resource_value(env->scope->resource_ud, r, env->mod);
    return v ? v : cp_unknown();
}

cp_value *cp_scope_lookup(void *ud, const char *const *steps, size_t nsteps, size_t *consumed,
                          cp_loc loc, cp_diags *d)
{
    cp_scope_env *env = ud;
    const char *root = steps[0];
    if (nsteps < 2) {
        cp_diag_error(d, loc, "\"%s\" cannot be used on its own; name an attribute after it", root);
        return NULL;
    }
    *consumed = 2;
    if (!strcmp(root, "var")) return lookup_var(env, steps[1], loc, d);
    if (!strcmp(root, "local")) return lookup_local(env, steps[1], loc, d);
    if (!strcmp(root, "each")) return lookup_each(env, steps[1], loc, d);
    if (!strcmp(root, "count")) {
        if (env->count_index < 0 || strcmp(steps[1], "index")) {
            cp_diag_error(d, loc, "count.index is only available in a resource with count");
            return NULL;
        }
        return cp_number((double)env->count_index);
    }
    if (!strcmp(root, "stack")) {
        const cp_value *v = cp_map_get(env->scope->stack, steps[1]);
        if (v) return cp_retain(v);
        cp_diag_error(d, loc, "stack has name, branch and region, not \"%s\"", steps[1]);
        return NULL;
    }
    if (!strcmp(root, "path")) return lookup_path(env, steps[1], loc, d);
    if (!strcmp(root, "module")) return cp__scope_module_ref(env, steps, nsteps, consumed, loc, d);
    if (!strcmp(root, "data")) {
        if (nsteps < 3) {
            cp_diag_error(d, loc, "a data source reference needs data.TYPE.NAME");
            return NULL;
        }
        *consumed = 3;
        return lookup_resource(env, true, steps[1], steps[2], loc, d);
    }
    return lookup_resource(env, false, root, steps[1], loc, d);
}

cp_value *cp_scope_collect(int kind, const cp_value *const *keys, const cp_value *const *vals,
                           size_t n)
{
    if (kind == 0) return n ? cp_retain(vals[0]) : cp_null();
    if (kind == 1) {
        cp_value *l = cp_list_new();
        for (size_t i = 0; i < n; i++) cp_list_push_take(l, cp_retain(vals[i]));
        return l;
    }
    cp_value *m = cp_map_new();
    for (size_t i = 0; i < n; i++) cp_map_set_take(m, cp_string_val(keys[i]), cp_retain(vals[i]));
    return m;
}
