/*
 * apply_eval.c: evaluating a resource's body again at apply time, when its
 * dependencies have real values, and evaluating outputs at the end.
 * References to resources resolve from the live state (under the state
 * mutex): one instance → its map, count → a list, for_each → a map.
 */
#include "apply/apply_internal.h"
#include "config/config_eval.h"
#include "plan/checks.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct state_view {
    cp_state *state;
    applier *A; /* NULL: single-threaded, no locking */
} state_view;

static cp_value *collect_from_state(const cp_state *s, const cp_config_resource *r,
                                    const cp_modinst *mod)
{
    cp_addr a;
    cp_addr_init(&a, r->is_data ? CP_MODE_DATA : CP_MODE_MANAGED, r->type, r->name, CP_KEY_NONE, 0,
                 NULL);
    cp_addr_set_module(&a, mod ? mod->path : NULL);
    size_t first, n = cp_state_resource_range(s, &a, &first);
    cp_addr_clear(&a);
    int kind = r->count ? 1 : r->for_each ? 2 : 0;
    cp_value **keys = cp_xcalloc(n + 1, sizeof *keys);
    const cp_value **vals = cp_xcalloc(n + 1, sizeof *vals);
    for (size_t i = 0; i < n; i++) {
        const cp_addr *ia = cp_instance_addr(cp_state_at(s, first + i));
        keys[i] =
            ia->key_kind == CP_KEY_STR ? cp_string(ia->key_str) : cp_number((double)ia->key_int);
        vals[i] = cp_instance_attrs(cp_state_at(s, first + i));
    }
    cp_value *v =
        n || kind ? cp_scope_collect(kind, (const cp_value *const *)keys, vals, n) : cp_unknown();
    for (size_t i = 0; i < n; i++) cp_release(keys[i]);
    free(keys);
    free(vals);
    return v;
}

static cp_value *state_resource_value(void *ud, const cp_config_resource *r, const cp_modinst *mod)
{
    state_view *sv = ud;
    if (sv->A) cp_apply_lock(sv->A);
    cp_value *v = collect_from_state(sv->state, r, mod);
    if (sv->A) cp_apply_unlock(sv->A);
    return v;
}

static char *diag_text(const cp_diags *d)
{
    cp_buf b;
    cp_buf_init(&b);
    for (size_t i = 0; i < d->len; i++) {
        if (d->items[i].severity != CP_DIAG_ERROR) continue;
        if (b.len) cp_buf_adds(&b, "; ");
        cp_buf_adds(&b, d->items[i].msg);
    }
    if (!b.len) cp_buf_adds(&b, "evaluation failed");
    return cp_buf_steal(&b);
}

/* The scope and instance env a change is evaluated in (live state). */
static void change_env(applier *A, const cp_change *ch, state_view *sv, cp_scope *scope,
                       cp_scope_env *env, cp_diags *d)
{
    const cp_apply_opts *o = A->o;
    *sv = (state_view){ A->state, A };
    cp_scope_init(scope, o->config, o->variables, o->stack_name, o->branch, o->region);
    scope->resource_value = state_resource_value;
    scope->resource_ud = sv;
    *env = (cp_scope_env){ scope, NULL, NULL, -1, NULL };
    if (ch->cres->module) {
        env->mod = cp_scope_modinst_at(scope, ch->cres->module, ch->addr.module, d);
        if (!env->mod && !cp_diags_has_errors(d))
            cp_diag_error(d, ch->cres->loc,
                          "%s: its module instance is not in the module's count or for_each "
                          "any more; run plan again",
                          ch->address);
    }
    if (ch->each_key && cp_kind_of(ch->each_key) == CP_NUMBER)
        env->count_index = (long)cp_number_val(ch->each_key);
    if (ch->each_key && cp_kind_of(ch->each_key) == CP_STRING) {
        env->each_key = ch->each_key;
        env->each_value = ch->each_value;
    }
}

int cp_apply_conditions(applier *A, const cp_change *ch, const cp_value *self, char **err)
{
    const cp_config_lifecycle *lc = ch->cres ? &ch->cres->lifecycle : NULL;
    const cp_config_validation *v = !lc ? NULL : self ? lc->postconditions : lc->preconditions;
    size_t n = !lc ? 0 : self ? lc->npostconditions : lc->npreconditions;
    if (!n) return 0;
    state_view sv;
    cp_scope scope;
    cp_scope_env env;
    cp_diags d;
    cp_diags_init(&d);
    change_env(A, ch, &sv, &scope, &env, &d);
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, &d, &ctx);
    char *msg = NULL;
    cp_loc at;
    int rc = cp_config_eval_conditions(v, n, &ctx, self, &msg, &at);
    const char *what = self ? "postcondition" : "precondition";
    if (rc < 0) {
        char *where = cp_loc_string(&A->o->config->sources, at);
        char *why = msg ? NULL : diag_text(&d);
        *err = msg ? cp_xasprintf("%s failed: %s (%s)", what, msg, where)
                   : cp_xasprintf("%s could not be evaluated: %s (%s)", what, why, where);
        free(why);
        free(where);
    } else if (rc == 0)
        *err = cp_xasprintf("%s is still unknown after everything it depends on was applied; "
                            "check the references in its condition",
                            what);
    free(msg);
    cp_diags_free(&d);
    cp_scope_free(&scope);
    return rc > 0 ? 0 : -1;
}

cp_value *cp_apply_eval(applier *A, const cp_change *ch, char **err)
{
    state_view sv;
    cp_scope scope;
    cp_scope_env env;
    cp_diags d;
    cp_diags_init(&d);
    change_env(A, ch, &sv, &scope, &env, &d);
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, &d, &ctx);
    cp_value *v = cp_config_eval_body(ch->cres, &ctx);
    if (!v || cp_diags_has_errors(&d)) {
        *err = diag_text(&d);
        cp_release(v);
        v = NULL;
    } else if (cp_contains_unknown(v)) {
        *err = cp_xstrdup("a value is still unknown after everything it depends on was applied; "
                          "check the references in its body");
        cp_release(v);
        v = NULL;
    } else if (!ch->is_data) {
        v = cp_plan_instance_config_take(A->o->client, A->o->client_ud, ch->provider, ch->instance,
                                         ch->rtype, v);
    }
    cp_diags_free(&d);
    cp_scope_free(&scope);
    return v;
}

void cp_apply_checks(const cp_apply_opts *o, cp_state *state, cp_diags *d)
{
    const cp_config *c = o->config;
    if (!c->nchecks) return;
    state_view sv = { state, NULL };
    cp_scope scope;
    cp_scope_init(&scope, c, o->variables, o->stack_name, o->branch, o->region);
    scope.cache_locals = true;
    scope.resource_value = state_resource_value;
    scope.resource_ud = &sv;
    cp_scope_env env = { &scope, NULL, NULL, -1, NULL };
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, d, &ctx);
    cp_plan_checks(c, &ctx, d);
    cp_scope_free(&scope);
}

void cp_apply_outputs(const cp_apply_opts *o, cp_state *state, bool destroy, cp_diags *d)
{
    const cp_config *c = o->config;
    for (size_t i = cp_state_output_count(state); i-- > 0;) {
        const char *name = cp_state_output_name(state, i);
        if (destroy || !cp_config_find_output(c, name)) {
            char *n = cp_xstrdup(name);
            cp_state_remove_output(state, n);
            free(n);
        }
    }
    if (destroy) return;
    state_view sv = { state, NULL };
    cp_scope scope;
    cp_scope_init(&scope, c, o->variables, o->stack_name, o->branch, o->region);
    scope.cache_locals = true;
    scope.resource_value = state_resource_value;
    scope.resource_ud = &sv;
    cp_scope_env env = { &scope, NULL, NULL, -1, NULL };
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, d, &ctx);
    for (size_t i = 0; i < c->noutputs; i++) {
        cp_value *v = cp_eval(&ctx, c->outputs[i].value);
        if (v && !cp_contains_unknown(v))
            cp_state_set_output(state, c->outputs[i].name, v, c->outputs[i].sensitive);
        cp_release(v);
    }
    cp_scope_free(&scope);
}

cp_value *cp_apply_eval_expr(const cp_apply_opts *o, const cp_state *state, const cp_expr *e,
                             cp_diags *d)
{
    state_view sv = { (cp_state *)state, NULL }; /* read only: nothing is written through it */
    cp_scope scope;
    cp_scope_init(&scope, o->config, o->variables, o->stack_name, o->branch, o->region);
    scope.resource_value = state_resource_value;
    scope.resource_ud = &sv;
    cp_scope_env env = { &scope, NULL, NULL, -1, NULL };
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, d, &ctx);
    cp_value *v = cp_eval(&ctx, e);
    cp_scope_free(&scope);
    return v;
}
