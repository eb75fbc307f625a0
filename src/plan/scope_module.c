/*
 * scope_module.c: evaluating inside module instances (see scope.h).
 *
 * A module call's count/for_each is evaluated in the instance of its
 * caller, once per scope, giving its instances (cp_modinst, owned by the
 * scope). Inside an instance, var.X is the call's input X evaluated in
 * the caller's instance (with each/count of this instance) or the
 * variable's default, converted to its type; local.X and resources are
 * the module's own; module.NAME is an object of the call's outputs (a
 * list of them with count, a map with for_each).
 *
 * May touch: the scope's module instances and their caches. Invariants:
 * caches are filled only when the scope caches locals (the single-threaded
 * planner); every value handed out is a new reference.
 */
#include "plan/plan.h"
#include "plan/scope.h"
#include "addrs/address.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cp_scope_expansion {
    const cp_config_module *call;
    const cp_modinst *parent;
    bool ok;
    const cp_modinst **insts;
    size_t n;
} cp_scope_expansion;

const cp_config *cp_scope_env_config(const cp_scope_env *env)
{
    return env->mod && env->mod->call ? env->mod->call->config : env->scope->config;
}

static char *instance_path(const cp_modinst *parent, const cp_config_module *call,
                           const cp_value *key)
{
    cp_buf b;
    cp_buf_init(&b);
    if (parent && parent->path) cp_buf_printf(&b, "%s.", parent->path);
    cp_buf_printf(&b, "module.%s", call->name);
    if (key && cp_kind_of(key) == CP_NUMBER)
        cp_buf_printf(&b, "[%lld]", (long long)cp_number_val(key));
    else if (key && cp_kind_of(key) == CP_STRING) {
        cp_buf_addc(&b, '[');
        cp_buf_add_quoted(&b, cp_string_val(key), strlen(cp_string_val(key)), CP_QUOTE_JSON);
        cp_buf_addc(&b, ']');
    }
    return cp_buf_steal(&b);
}

static const cp_modinst *modinst_get(cp_scope *s, const cp_config_module *call,
                                     const cp_modinst *parent, const cp_value *key,
                                     const cp_value *each_value)
{
    char *path = instance_path(parent, call, key);
    for (size_t i = 0; i < s->nmods; i++)
        if (s->mods[i]->call == call && !strcmp(s->mods[i]->path, path)) {
            free(path);
            return s->mods[i];
        }
    cp_modinst *m = cp_xcalloc(1, sizeof *m);
    m->call = call;
    m->parent = parent;
    m->path = path;
    m->key = key ? cp_retain(key) : NULL;
    m->each_value = each_value ? cp_retain(each_value) : NULL;
    m->vars = cp_map_new();
    m->locals = cp_map_new();
    CP_GROW(s->mods, s->nmods + 1, s->mcap);
    s->mods[s->nmods++] = m;
    return m;
}

void cp__scope_modules_free(cp_scope *s)
{
    for (size_t i = 0; i < s->nmods; i++) {
        cp_modinst *m = s->mods[i];
        free(m->path);
        cp_release(m->key);
        cp_release(m->each_value);
        cp_release(m->vars);
        cp_release(m->locals);
        free(m);
    }
    free(s->mods);
    for (size_t i = 0; i < s->nexps; i++) free(s->exps[i].insts);
    free(s->exps);
    s->mods = NULL;
    s->exps = NULL;
    s->nmods = s->nexps = 0;
}

/* ---- expansion ---- */

/* The environment of an instance's caller, where its inputs, count and
 * for_each are evaluated. */
static cp_scope_env caller_env(cp_scope *s, const cp_modinst *m)
{
    cp_scope_env env = { s, NULL, NULL, -1, m->parent };
    if (m->key && cp_kind_of(m->key) == CP_NUMBER) env.count_index = (long)cp_number_val(m->key);
    if (m->key && cp_kind_of(m->key) == CP_STRING) {
        env.each_key = m->key;
        env.each_value = m->each_value;
    }
    return env;
}

static cp_value *eval_in(cp_scope *s, const cp_modinst *where, const cp_expr *e, cp_diags *d)
{
    cp_scope_env env = { s, NULL, NULL, -1, where };
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, d, &ctx);
    return cp_eval(&ctx, e);
}

static bool expand_count(cp_scope *s, cp_scope_expansion *x, cp_diags *d)
{
    const cp_config_module *call = x->call;
    cp_value *n = eval_in(s, x->parent, call->count, d);
    if (!n) return false;
    double c = cp_kind_of(n) == CP_NUMBER ? cp_number_val(n) : -1;
    bool ok = c >= 0 && c == floor(c) && c <= CP_MAX_INSTANCES;
    if (cp_is_unknown(n))
        cp_diag_error(d, call->count->loc,
                      "count of %s depends on values known only after apply; "
                      "apply those first with -target",
                      call->path);
    else if (!ok)
        cp_diag_error(d, call->count->loc, "count of %s must be a whole number from 0 to %d",
                      call->path, CP_MAX_INSTANCES);
    for (long i = 0; ok && !cp_is_unknown(n) && i < (long)c; i++) {
        cp_value *k = cp_number((double)i);
        x->insts = cp_xrealloc(x->insts, (x->n + 1) * sizeof *x->insts);
        x->insts[x->n++] = modinst_get(s, call, x->parent, k, NULL);
        cp_release(k);
    }
    ok = ok && !cp_is_unknown(n);
    cp_release(n);
    return ok;
}

static void add_each(cp_scope *s, cp_scope_expansion *x, const char *key, const cp_value *val)
{
    cp_value *k = cp_string(key);
    x->insts = cp_xrealloc(x->insts, (x->n + 1) * sizeof *x->insts);
    x->insts[x->n++] = modinst_get(s, x->call, x->parent, k, val);
    cp_release(k);
}

static bool expand_for_each(cp_scope *s, cp_scope_expansion *x, cp_diags *d)
{
    const cp_config_module *call = x->call;
    cp_value *v = eval_in(s, x->parent, call->for_each, d);
    if (!v) return false;
    bool ok = !cp_contains_unknown(v) || cp_kind_of(v) == CP_MAP;
    ok = ok && (cp_kind_of(v) == CP_MAP || cp_kind_of(v) == CP_LIST) &&
         cp_len(v) <= CP_MAX_INSTANCES;
    for (size_t i = 0; ok && cp_kind_of(v) == CP_LIST && i < cp_len(v); i++)
        ok = cp_kind_of(cp_list_get(v, i)) == CP_STRING;
    for (size_t i = 0; ok && i < cp_len(v); i++) {
        if (cp_kind_of(v) == CP_MAP)
            add_each(s, x, cp_map_key_at(v, i), cp_map_value_at(v, i));
        else
            add_each(s, x, cp_string_val(cp_list_get(v, i)), cp_list_get(v, i));
    }
    if (!ok && cp_contains_unknown(v) && cp_kind_of(v) != CP_MAP)
        cp_diag_error(d, call->for_each->loc,
                      "for_each of %s depends on values known only after apply; "
                      "apply those first with -target",
                      call->path);
    else if (!ok)
        cp_diag_error(d, call->for_each->loc,
                      "for_each of %s must be a map or a set of strings known at plan time",
                      call->path);
    cp_release(v);
    return ok;
}

bool cp_scope_module_expand(cp_scope *s, const cp_config_module *call, const cp_modinst *parent,
                            cp_diags *d, const cp_modinst *const **out, size_t *n)
{
    for (size_t i = 0; i < s->nexps; i++)
        if (s->exps[i].call == call && s->exps[i].parent == parent) {
            *out = s->exps[i].insts;
            *n = s->exps[i].n;
            return s->exps[i].ok;
        }
    cp_scope_expansion x = { call, parent, true, NULL, 0 };
    if (call->count)
        x.ok = expand_count(s, &x, d);
    else if (call->for_each)
        x.ok = expand_for_each(s, &x, d);
    else {
        x.insts = cp_xcalloc(1, sizeof *x.insts);
        x.insts[x.n++] = modinst_get(s, call, parent, NULL, NULL);
    }
    if (!x.ok) x.n = 0;
    CP_GROW(s->exps, s->nexps + 1, s->ecap);
    s->exps[s->nexps++] = x;
    *out = x.insts;
    *n = x.n;
    return x.ok;
}

bool cp_scope_module_instances(cp_scope *s, const cp_config_module *call, cp_diags *d,
                               const cp_modinst ***out, size_t *n)
{
    const cp_modinst **parents = NULL;
    size_t np = 1;
    bool ok = true;
    if (call->parent)
        ok = cp_scope_module_instances(s, call->parent, d, &parents, &np);
    else
        parents = cp_xcalloc(1, sizeof *parents); /* the root: NULL */
    const cp_modinst **all = NULL;
    size_t len = 0;
    for (size_t i = 0; ok && i < np; i++) {
        const cp_modinst *const *insts;
        size_t k;
        ok = cp_scope_module_expand(s, call, parents[i], d, &insts, &k);
        all = cp_xrealloc(all, (len + k + 1) * sizeof *all);
        for (size_t j = 0; j < k; j++) all[len++] = insts[j];
    }
    free(parents);
    *out = all ? all : cp_xcalloc(1, sizeof *all);
    *n = ok ? len : 0;
    return ok;
}

const cp_modinst *cp_scope_modinst_at(cp_scope *s, const cp_config_module *call, const char *path,
                                      cp_diags *d)
{
    if (!call || !path) return NULL;
    const cp_modinst **all;
    size_t n;
    const cp_modinst *found = NULL;
    if (cp_scope_module_instances(s, call, d, &all, &n))
        for (size_t i = 0; i < n && !found; i++)
            if (!strcmp(all[i]->path, path)) found = all[i];
    free(all);
    return found;
}

/* ---- names inside an instance ---- */

static cp_value *finish_var(const cp_modinst *m, const cp_config_variable *v, cp_value *val,
                            cp_loc loc, cp_diags *d)
{
    if (v->sensitive && !cp_is_sensitive(val)) {
        cp_value *marked = cp_mark_sensitive(val);
        cp_release(val);
        val = marked;
    }
    if (!v->type || cp_contains_unknown(val)) return val;
    char *err = NULL;
    cp_value *conv = cp_type_convert(val, v->type, &err);
    cp_release(val);
    if (!conv) {
        cp_diag_error(d, loc, "%s: input \"%s\": %s", m->path, v->name, err);
        free(err);
    }
    return conv;
}

typedef struct one_var {
    const char *name;
    const cp_value *val;
} one_var;

/* In a validation: only var.NAME (config checked that already). */
static cp_value *validation_lookup(void *ud, const char *const *steps, size_t nsteps,
                                   size_t *consumed, cp_loc loc, cp_diags *d)
{
    const one_var *ov = ud;
    *consumed = 2;
    if (nsteps >= 2 && !strcmp(steps[0], "var") && !strcmp(steps[1], ov->name))
        return cp_retain(ov->val);
    cp_diag_error(d, loc, "a variable validation can only refer to var.%s", ov->name);
    return NULL;
}

/* The variable's validation blocks on the value an instance gives it;
 * a failure is reported at the input (loc). */
static bool check_validations(const cp_modinst *m, const cp_config_variable *v, const cp_value *val,
                              cp_loc loc, cp_diags *d)
{
    if (!v->nvalidations || cp_contains_unknown(val)) return true;
    one_var ov = { v->name, val };
    cp_eval_ctx ctx = { 0 };
    ctx.lookup = validation_lookup;
    ctx.lookup_ud = &ov;
    ctx.base_dir = m->call->config->dir;
    ctx.sources = &m->call->config->sources;
    ctx.diags = d;
    bool ok = true;
    for (size_t i = 0; i < v->nvalidations; i++) {
        cp_value *cond = cp_eval(&ctx, v->validations[i].condition);
        if (cond && cp_kind_of(cond) == CP_BOOL && !cp_bool_val(cond)) {
            cp_value *msg = cp_eval(&ctx, v->validations[i].error_message);
            const char *text = !msg || cp_kind_of(msg) != CP_STRING ? "validation failed"
                               : cp_contains_sensitive(msg)
                                   ? "the error message refers to a sensitive value, so it is "
                                     "not shown"
                                   : cp_string_val(msg);
            cp_diag_error(d, loc, "%s: invalid value for input \"%s\": %s", m->path, v->name, text);
            cp_release(msg);
            ok = false;
        }
        cp_release(cond);
    }
    return ok;
}

cp_value *cp__scope_module_var(cp_scope_env *env, const char *name, cp_loc loc, cp_diags *d)
{
    const cp_modinst *m = env->mod;
    cp_scope *s = env->scope;
    const cp_value *cached = cp_map_get(m->vars, name);
    if (cached) return cp_retain(cached);
    const cp_config_variable *v = cp_config_find_variable(m->call->config, name);
    if (!v) {
        cp_diag_error(d, loc, "reference to undeclared variable \"%s\" in %s", name, m->call->path);
        return NULL;
    }
    const cp_attr *in = cp_body_attr(m->call->body, name);
    cp_value *val = NULL;
    if (in) {
        cp_scope_env ce = caller_env(s, m);
        cp_eval_ctx ctx;
        cp_scope_ctx(&ce, d, &ctx);
        val = cp_eval(&ctx, in->expr);
    } else if (v->default_expr)
        val = eval_in(s, m, v->default_expr, d);
    else
        cp_diag_error(d, m->call->loc, "module \"%s\" needs input \"%s\"", m->call->name, name);
    cp_loc at = in ? in->expr->loc : v->loc;
    if (val) val = finish_var(m, v, val, at, d);
    if (val && !check_validations(m, v, val, at, d)) {
        cp_release(val);
        val = NULL;
    }
    /* a failure is cached as unknown: reported once, not at every use */
    if (s->cache_locals)
        cp_map_set_take(((cp_modinst *)m)->vars, name, val ? cp_retain(val) : cp_unknown());
    return val;
}

cp_value *cp__scope_module_local(cp_scope_env *env, const char *name, cp_loc loc, cp_diags *d)
{
    const cp_modinst *m = env->mod;
    const cp_value *cached = cp_map_get(m->locals, name);
    if (cached) return cp_retain(cached);
    const cp_config_local *l = cp_config_find_local(m->call->config, name);
    if (!l) {
        cp_diag_error(d, loc, "reference to undeclared local value \"%s\" in %s", name,
                      m->call->path);
        return NULL;
    }
    cp_value *v = eval_in(env->scope, m, l->expr, d);
    if (v && env->scope->cache_locals)
        cp_map_set_take(((cp_modinst *)m)->locals, name, cp_retain(v));
    return v;
}

static cp_value *output_value(cp_scope *s, const cp_modinst *m, const cp_config_output *o,
                              cp_diags *d)
{
    cp_value *v = eval_in(s, m, o->value, d);
    if (v && o->sensitive && !cp_is_sensitive(v)) {
        cp_value *mk = cp_mark_sensitive(v);
        cp_release(v);
        v = mk;
    }
    return v;
}

/* Every output of instance m as an object. */
static cp_value *outputs_object(cp_scope *s, const cp_modinst *m, cp_diags *d)
{
    const cp_config *mc = m->call->config;
    cp_value *obj = cp_map_new();
    for (size_t i = 0; i < mc->noutputs; i++) {
        cp_value *v = output_value(s, m, &mc->outputs[i], d);
        cp_map_set_take(obj, mc->outputs[i].name, v ? v : cp_unknown());
    }
    return obj;
}

cp_value *cp__scope_module_ref(cp_scope_env *env, const char *const *steps, size_t nsteps,
                               size_t *consumed, cp_loc loc, cp_diags *d)
{
    cp_scope *s = env->scope;
    const cp_config_module *call = cp_config_find_module(cp_scope_env_config(env), steps[1]);
    if (!call || !call->config) {
        cp_diag_error(d, loc, "reference to undeclared module \"%s\"", steps[1]);
        return NULL;
    }
    const cp_modinst *const *insts;
    size_t n;
    if (!cp_scope_module_expand(s, call, env->mod, d, &insts, &n)) return cp_unknown();
    if (!call->count && !call->for_each) {
        const cp_config_output *o =
            nsteps >= 3 ? cp_config_find_output(call->config, steps[2]) : NULL;
        if (nsteps >= 3 && !o) {
            cp_diag_error(d, loc, "module \"%s\" has no output \"%s\"", steps[1], steps[2]);
            return NULL;
        }
        if (o) *consumed = 3;
        return o ? output_value(s, insts[0], o, d) : outputs_object(s, insts[0], d);
    }
    cp_value *all = call->count ? cp_list_new() : cp_map_new();
    for (size_t i = 0; i < n; i++) {
        cp_value *obj = outputs_object(s, insts[i], d);
        if (call->count)
            cp_list_push_take(all, obj);
        else
            cp_map_set_take(all, cp_string_val(insts[i]->key), obj);
    }
    return all;
}

/* Every variable of every instance of call and of the calls inside it. */
static void settle_call(cp_scope *s, const cp_config_module *call, cp_diags *d)
{
    const cp_modinst **insts;
    size_t n;
    cp_scope_module_instances(s, call, d, &insts, &n);
    const cp_config *mc = call->config;
    for (size_t i = 0; mc && i < n; i++) {
        cp_scope_env env = { s, NULL, NULL, -1, insts[i] };
        for (size_t k = 0; k < mc->nvariables; k++)
            cp_release(cp__scope_module_var(&env, mc->variables[k].name, mc->variables[k].loc, d));
    }
    free(insts);
    for (size_t i = 0; mc && i < mc->nmodules; i++) settle_call(s, &mc->modules[i], d);
}

void cp_scope_modules_settle(cp_scope *s, cp_diags *d)
{
    for (size_t i = 0; i < s->config->nmodules; i++) settle_call(s, &s->config->modules[i], d);
}
