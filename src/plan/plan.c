/*
 * plan.c: the planner (see plan.h for what it decides).
 *
 * One `planner` value carries the run: the refreshed prior state, the
 * evaluation scope, and per config resource its planned value (what
 * references to it see) and whether -target includes it. Resources are
 * visited in the topological order of the stack graph, so everything a
 * body refers to is planned before it; variables and locals are resolved
 * lazily by the scope. Orphans, deposed objects (always deleted), outputs
 * and prevent_destroy come last. A destroy with -target deletes the
 * targets and what depends on them (resolve_destroy_targets).
 * Each config resource's type and provider are found once, through
 * opts->types, before the walk (P->rtypes / P->provs).
 */
#include "plan/plan.h"
#include "config/config_eval.h"
#include "config/config_graph.h"
#include "plan/checks.h"
#include "plan/plan_blocks.h"
#include "plan/scope.h"
#include "util/xalloc.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct planner {
    const cp_plan_opts *o;
    cp_diags *d;
    cp_plan *plan;
    cp_state *state; /* refreshed prior */
    cp_scope scope;
    cp_value **rvals;                /* per config resource: planned value, NULL = not yet */
    const cp_resource_type **rtypes; /* per config resource: its type, NULL = unknown */
    const cp_provider **provs;       /* per config resource: its type's provider */
    bool *in_target;                 /* per config resource; NULL = every one */
    unsigned char *pending;          /* per config resource: PEND_* of its instances' changes */
    cp_graph *g;
    cp_config_node *nodes;
    int *stamp;                  /* per node: DFS marks for collect_deps */
    int mark;                    /* the current mark, new for every instance */
    const cp_instance **matched; /* state instances that config kept */
    size_t nmatched, mcap;
    bool *doomed;                 /* destroy -target: per state instance, then per deposed object */
    cp_plan_pairs moves, imports; /* done by moved / import blocks (plan_blocks.h) */
    const cp_modinst *mod;        /* the module instance being planned; NULL: the root */
    cp_value *target_mods;        /* -target: address of a targeted module resource -> list of the
                                     module instance paths the targets name ("" = every one) */
} planner;

static const cp_loc no_loc;

/* pending: some instance changes in this plan / some instance is new
 * (created, replaced, or a data source read during apply). */
enum { PEND_CHANGE = 1, PEND_NEW = 2 };

static bool module_instance_targeted(const planner *P, const cp_config_resource *r,
                                     const cp_modinst *m);

static size_t res_index(const planner *P, const cp_config_resource *r)
{
    return (size_t)(r - P->o->config->resources);
}

static const cp_resource_type *rtype_of(const planner *P, const cp_config_resource *r)
{
    return P->rtypes[res_index(P, r)];
}

static void resolve_types(planner *P)
{
    const cp_config *c = P->o->config;
    assert(P->o->types && P->o->types->find);
    P->rtypes = cp_xcalloc(c->nresources + 1, sizeof *P->rtypes);
    P->provs = cp_xcalloc(c->nresources + 1, sizeof *P->provs);
    for (size_t i = 0; i < c->nresources; i++) {
        const cp_config_resource *r = &c->resources[i];
        P->rtypes[i] = P->o->types->find(P->o->types->ud, r->type, r->is_data, &P->provs[i]);
    }
}

static int res_kind(const cp_config_resource *r) { return r->count ? 1 : r->for_each ? 2 : 0; }

static const char *mod_path(const cp_modinst *m) { return m ? m->path : NULL; }

/* The config resource of a state address (in a module: by its module path
 * without keys), or NULL. */
static const cp_config_resource *config_resource_of(const planner *P, const cp_addr *a)
{
    if (!a->type) return NULL;
    char *at = cp_addr_config_str(a);
    const cp_config_resource *r = cp_config_find_resource_at(P->o->config, at);
    free(at);
    return r;
}

/* A resource's value from state, for resources outside -target. */
static cp_value *value_from_state(planner *P, const cp_config_resource *r, const cp_modinst *mod)
{
    cp_addr a;
    cp_addr_init(&a, r->is_data ? CP_MODE_DATA : CP_MODE_MANAGED, r->type, r->name, CP_KEY_NONE, 0,
                 NULL);
    cp_addr_set_module(&a, mod_path(mod));
    size_t first, n = cp_state_resource_range(P->state, &a, &first);
    cp_addr_clear(&a);
    const cp_value **keys = cp_xcalloc(n + 1, sizeof *keys),
                   **vals = cp_xcalloc(n + 1, sizeof *vals);
    cp_value **owned = cp_xcalloc(n + 1, sizeof *owned);
    for (size_t i = 0; i < n; i++) {
        const cp_instance *inst = cp_state_at(P->state, first + i);
        const cp_addr *ia = cp_instance_addr(inst);
        owned[i] =
            ia->key_kind == CP_KEY_STR ? cp_string(ia->key_str) : cp_number((double)ia->key_int);
        keys[i] = owned[i];
        vals[i] = cp_instance_attrs(inst);
    }
    cp_value *v = n ? cp_scope_collect(res_kind(r), (const cp_value *const *)keys,
                                       (const cp_value *const *)vals, n)
                    : cp_unknown();
    for (size_t i = 0; i < n; i++) cp_release(owned[i]);
    free(owned);
    free(keys);
    free(vals);
    return v;
}

static cp_value *plan_resource_value(void *ud, const cp_config_resource *r, const cp_modinst *mod)
{
    planner *P = ud;
    cp_value *v = P->rvals[res_index(P, r)];
    if (v && r->module) { /* a map: module instance path -> value */
        const cp_value *in = mod ? cp_map_get(v, mod->path) : NULL;
        if (in) return cp_retain(in);
    } else if (v)
        return cp_retain(v);
    return value_from_state(P, r, mod);
}

/* --- dependencies ------------------------------------------------------ */

/* Resource addresses node n depends on, looking through variables and locals. */
static void collect_deps(planner *P, int n, int mark, cp_change *c)
{
    size_t nd;
    const int *deps = cp_graph_deps(P->g, n, &nd);
    for (size_t i = 0; i < nd; i++) {
        int m = deps[i];
        if (P->stamp[m] == mark) continue;
        P->stamp[m] = mark;
        const cp_config_node *cn = cp_graph_user(P->g, m);
        if (cn->kind == CP_NODE_RESOURCE)
            cp_change_add_dep(c, cn->u.resource->address);
        else
            collect_deps(P, m, mark, c);
    }
}

static void add_config_deps(planner *P, int node, cp_change *c)
{
    collect_deps(P, node, ++P->mark, c);
}

static void add_state_deps(const cp_instance *inst, cp_change *c)
{
    for (size_t i = 0; i < cp_instance_dep_count(inst); i++) {
        cp_addr a;
        if (!cp_addr_parse(cp_instance_dep(inst, i), &a, NULL)) continue;
        char *s = cp_addr_config_str(&a);
        cp_change_add_dep(c, s);
        free(s);
        cp_addr_clear(&a);
    }
}

/* --- instance expansion ------------------------------------------------ */

typedef struct expansion {
    cp_value *keys; /* list: null (single), numbers (count) or strings */
    cp_value *vals; /* list: each.value (for_each) or null */
} expansion;

static cp_value *eval_plain(planner *P, const cp_expr *e)
{
    cp_scope_env env = { &P->scope, NULL, NULL, -1, P->mod };
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, P->d, &ctx);
    return cp_eval(&ctx, e);
}

/* n < 0: the value is sensitive, so not shown. */
static void too_many(planner *P, const cp_config_resource *r, const cp_expr *e, const char *what,
                     double n)
{
    char shown[64] = "";
    if (n >= 0) snprintf(shown, sizeof shown, " (%.0f)", n);
    cp_diag_error(P->d, e->loc,
                  "%s of %s gives more instances%s than the %d a resource may have; "
                  "split it across several resources",
                  what, r->address, shown, CP_MAX_INSTANCES);
}

/* count's value: a string that reads as a number converts, as in HCL
 * (count = "3", or -var n=3 for a variable without a type). */
static cp_value *count_value(planner *P, const cp_config_resource *r)
{
    cp_value *v = eval_plain(P, r->count);
    if (!v || cp_kind_of(v) != CP_STRING) return v;
    cp_value *n = cp_to_number(v);
    if (!n) return v;
    cp_release(v);
    return n;
}

static bool expand_count(planner *P, const cp_config_resource *r, expansion *x)
{
    cp_value *n = count_value(P, r);
    if (!n) return false;
    double c = cp_kind_of(n) == CP_NUMBER ? cp_number_val(n) : -1;
    bool ok = c >= 0 && c == floor(c);
    if (cp_is_unknown(n))
        cp_diag_error(P->d, r->count->loc,
                      "count of %s depends on values known only after apply; "
                      "apply those first with -target",
                      r->address);
    else if (!ok)
        cp_diag_error(P->d, r->count->loc, "count of %s must be a whole number >= 0", r->address);
    else if (c > CP_MAX_INSTANCES) {
        too_many(P, r, r->count, "count", cp_is_sensitive(n) ? -1 : c);
        ok = false;
    }
    for (long i = 0; ok && i < (long)c; i++) {
        cp_list_push_take(x->keys, cp_number((double)i));
        cp_list_push_take(x->vals, cp_null());
    }
    cp_release(n);
    return ok;
}

static bool expand_for_each(planner *P, const cp_config_resource *r, expansion *x)
{
    cp_value *v = eval_plain(P, r->for_each);
    if (!v) return false;
    bool ok = true;
    if (cp_contains_unknown(v) && cp_kind_of(v) != CP_MAP) ok = false;
    if ((cp_kind_of(v) == CP_MAP || cp_kind_of(v) == CP_LIST) && cp_len(v) > CP_MAX_INSTANCES) {
        too_many(P, r, r->for_each, "for_each", cp_is_sensitive(v) ? -1 : (double)cp_len(v));
        cp_release(v);
        return false;
    }
    if (cp_kind_of(v) == CP_MAP) {
        for (size_t i = 0; i < cp_len(v); i++) {
            cp_list_push_take(x->keys, cp_string(cp_map_key_at(v, i)));
            cp_list_push_take(x->vals, cp_retain(cp_map_value_at(v, i)));
        }
    } else if (cp_kind_of(v) == CP_LIST) {
        for (size_t i = 0; ok && i < cp_len(v); i++) {
            /* a set of numbers or bools is a set of strings, as HCL converts */
            cp_value *e = cp_to_string(cp_list_get(v, i));
            ok = e != NULL;
            if (ok) {
                cp_list_push_take(x->keys, cp_retain(e));
                cp_list_push_take(x->vals, e);
            }
        }
    } else
        ok = false;
    if (!ok)
        cp_diag_error(P->d, r->for_each->loc,
                      "for_each of %s must be a map or a set of strings "
                      "known at plan time",
                      r->address);
    cp_release(v);
    return ok;
}

static bool expand(planner *P, const cp_config_resource *r, expansion *x)
{
    x->keys = cp_list_new();
    x->vals = cp_list_new();
    if (r->count) return expand_count(P, r, x);
    if (r->for_each) return expand_for_each(P, r, x);
    cp_list_push_take(x->keys, cp_null());
    cp_list_push_take(x->vals, cp_null());
    return true;
}

static void instance_addr_root(const cp_config_resource *r, const cp_value *key, cp_addr *a)
{
    cp_mode m = r->is_data ? CP_MODE_DATA : CP_MODE_MANAGED;
    if (cp_kind_of(key) == CP_NUMBER)
        cp_addr_init(a, m, r->type, r->name, CP_KEY_INT, (int64_t)cp_number_val(key), NULL);
    else if (cp_kind_of(key) == CP_STRING)
        cp_addr_init(a, m, r->type, r->name, CP_KEY_STR, 0, cp_string_val(key));
    else
        cp_addr_init(a, m, r->type, r->name, CP_KEY_NONE, 0, NULL);
}

/* The address of r's instance `key` in the module instance being planned. */
static void instance_addr(const planner *P, const cp_config_resource *r, const cp_value *key,
                          cp_addr *a)
{
    instance_addr_root(r, key, a);
    cp_addr_set_module(a, mod_path(P->mod));
}

/* --- one instance ---------------------------------------------------------- */

static bool is_replace_target(planner *P, const cp_addr *a)
{
    for (size_t i = 0; i < P->o->nreplace; i++) {
        cp_addr t;
        if (!cp_addr_parse(P->o->replace[i], &t, NULL)) continue;
        bool m = cp_addr_matches(&t, a);
        cp_addr_clear(&t);
        if (m) return true;
    }
    return false;
}

static void note_matched(planner *P, const cp_instance *inst)
{
    if (!inst) return;
    CP_GROW(P->matched, P->nmatched + 1, P->mcap);
    P->matched[P->nmatched++] = inst;
}

/* The context an instance's body (and lifecycle) is evaluated in; env
 * must outlive ctx. */
static void instance_ctx(planner *P, const cp_value *key, const cp_value *val, cp_scope_env *env,
                         cp_eval_ctx *ctx)
{
    *env = (cp_scope_env){ &P->scope, NULL, NULL, -1, P->mod };
    if (cp_kind_of(key) == CP_NUMBER) env->count_index = (long)cp_number_val(key);
    if (cp_kind_of(key) == CP_STRING) {
        env->each_key = key;
        env->each_value = val;
    }
    cp_scope_ctx(env, P->d, ctx);
}

static cp_value *eval_instance(planner *P, const cp_config_resource *r, const cp_value *key,
                               const cp_value *val)
{
    cp_scope_env env;
    cp_eval_ctx ctx;
    instance_ctx(P, key, val, &env, &ctx);
    return cp_config_eval_body(r, &ctx);
}

/* Preconditions (before the diff) or postconditions (self: the planned
 * value); false after reporting a failed one. */
static bool lifecycle_ok(planner *P, const cp_config_resource *r, const cp_addr *a,
                         const cp_value *key, const cp_value *val, const cp_value *self)
{
    const cp_config_lifecycle *lc = &r->lifecycle;
    if (!(self ? lc->npostconditions : lc->npreconditions)) return true;
    cp_scope_env env;
    cp_eval_ctx ctx;
    instance_ctx(P, key, val, &env, &ctx);
    char *s = cp_addr_str(a);
    bool ok = self ? cp__plan_postconditions(r, &ctx, self, s, P->d)
                   : cp__plan_preconditions(r, &ctx, s, P->d);
    free(s);
    return ok;
}

/* The replace_triggered_by entry that fires for this instance, or NULL. */
static char *triggered(planner *P, const cp_config_resource *r, const cp_value *key,
                       const cp_value *val)
{
    if (!r->lifecycle.nreplace_triggered_by) return NULL;
    cp_scope_env env;
    cp_eval_ctx ctx;
    instance_ctx(P, key, val, &env, &ctx);
    return cp__plan_triggered(r, &ctx, P->plan);
}

/* The type's whole-config rules (validate_config) and its provider's rules
 * for every value (validate_instance: AWS's input rules), once the body is
 * evaluated: a broken one fails the plan at the argument (or the resource
 * block), before apply creates anything. Returns false after reporting it. */
static bool check_config(planner *P, const cp_config_resource *r, const cp_value *key,
                         const cp_value *cfg)
{
    const cp_resource_type *rt = rtype_of(P, r);
    const cp_provider *pv = P->provs[res_index(P, r)];
    char *why = rt->validate_config ? rt->validate_config(cfg) : NULL;
    char *where = NULL;
    if (!why && pv && pv->validate_instance) why = pv->validate_instance(rt, cfg, &where);
    if (!why) return true;
    cp_loc at = where ? cp_body_path_loc(r->body, where, r->loc) : r->loc;
    free(where);
    cp_addr a;
    instance_addr(P, r, key, &a);
    char *s = cp_addr_str(&a);
    cp_addr_clear(&a);
    cp_diag_error(P->d, at,
                  "%s: %s; plan stopped before anything was created: fix the resource "
                  "block and run plan again",
                  s, why);
    free(s);
    free(why);
    return false;
}

static cp_change *add_change(planner *P, const cp_addr *a, const cp_config_resource *r,
                             cp_action act, const cp_value *before, const cp_value *after)
{
    char *s = cp_addr_str(a);
    cp_change *c = cp_plan_add(P->plan, s, a->type, a->name, act, before, after);
    free(s);
    c->cres = r;
    const cp_instance *prior = r ? NULL : cp_state_find(P->state, a);
    const char *inst = r ? r->provider : prior ? cp_instance_provider(prior) : NULL;
    c->instance = inst ? cp_xstrdup(inst) : NULL;
    if (r) {
        c->rtype = rtype_of(P, r);
        c->provider = P->provs[res_index(P, r)];
    } else
        c->rtype = cp_plan_type_of(P->o->types, a, &c->provider);
    return c;
}

static void set_key(cp_change *c, const cp_value *key, const cp_value *val)
{
    if (!cp_is_null(key)) c->each_key = cp_retain(key);
    if (cp_kind_of(key) == CP_STRING) c->each_value = cp_retain(val);
}

cp_value *cp_plan_instance_config_take(cp_client_fn client, void *ud, const cp_provider *p,
                                       const char *instance, const cp_resource_type *rt,
                                       cp_value *cfg)
{
    if (!cfg || !p || !p->instance_config) return cfg;
    char *err = NULL;
    void *c = client(ud, p, instance, &err);
    free(err);
    cp_value *out = c ? p->instance_config(c, rt, cfg) : NULL;
    if (!out) return cfg;
    cp_release(cfg);
    return out;
}

/* cfg (consumed) as r's provider instance will create it. */
static cp_value *instance_config_take(planner *P, const cp_config_resource *r, cp_value *cfg)
{
    return cp_plan_instance_config_take(P->o->client, P->o->client_ud, P->provs[res_index(P, r)],
                                        r->provider, rtype_of(P, r), cfg);
}

/* Plan one managed instance; returns its planned value (new reference). */
static cp_value *plan_instance(planner *P, const cp_config_resource *r, int node,
                               const cp_value *key, const cp_value *val)
{
    cp_addr a;
    instance_addr(P, r, key, &a);
    const cp_instance *prior = cp_state_find(P->state, &a);
    note_matched(P, prior);
    bool pending = prior && cp_instance_status(prior) == CP_STATUS_PENDING_CREATE;
    cp_value *cfg = instance_config_take(P, r, eval_instance(P, r, key, val));
    if (cfg && (!check_config(P, r, key, cfg) || !lifecycle_ok(P, r, &a, key, val, NULL))) {
        cp_release(cfg);
        cfg = NULL;
    }
    if (!cfg) {
        cp_addr_clear(&a);
        return cp_unknown();
    }
    const cp_config_lifecycle *lc = &r->lifecycle;
    const cp_resource_type *rt = rtype_of(P, r);
    cp_diff_input in = {
        .attrs = rt->attrs,
        .prior = prior && !pending ? cp_instance_attrs(prior) : NULL,
        .config = cfg,
        .create_before_destroy = lc->create_before_destroy,
        .ignore_all_changes = lc->ignore_all_changes,
        .ignore_changes = lc->ignore_changes,
        .nignore_changes = lc->nignore_changes,
        .can_update = rt->update != NULL,
        .plan_known = rt->plan_known,
        .update_unknown = rt->update_unknown,
        .replace_if = rt->replace_if,
    };
    bool requested = is_replace_target(P, &a);
    bool tainted = prior && cp_instance_status(prior) == CP_STATUS_TAINTED;
    char *trigger = in.prior ? triggered(P, r, key, val) : NULL;
    in.force_replace = in.prior && (requested || tainted || trigger);
    cp_diff d;
    cp_diff_compute(&in, &d);
    lifecycle_ok(P, r, &a, key, val, d.planned);
    cp_change *c = add_change(P, &a, r, d.action, in.prior, d.planned);
    cp_change_set_causes(c, d.replace_paths, d.nreplace);
    c->create_before_destroy = d.create_before_destroy;
    c->pending = pending;
    if (d.action == CP_ACTION_REPLACE && requested)
        c->reason = "requested";
    else if (d.action == CP_ACTION_REPLACE && tainted)
        c->reason = "tainted";
    if (d.action == CP_ACTION_REPLACE && !c->reason && trigger) {
        c->trigger = trigger;
        trigger = NULL;
    }
    free(trigger);
    set_key(c, key, val);
    add_config_deps(P, node, c);
    if (d.action != CP_ACTION_NOOP) P->pending[res_index(P, r)] |= PEND_CHANGE;
    if (d.action == CP_ACTION_CREATE || d.action == CP_ACTION_REPLACE)
        P->pending[res_index(P, r)] |= PEND_NEW;
    cp_value *planned = cp_retain(d.planned);
    cp_diff_clear(&d);
    cp_release(cfg);
    cp_addr_clear(&a);
    return planned;
}

/* --- data sources ------------------------------------------------------------ */

static cp_value *read_data_now(planner *P, const cp_config_resource *r, const cp_value *cfg)
{
    char *err = NULL;
    const cp_resource_type *rt = rtype_of(P, r);
    void *client = P->o->client(P->o->client_ud, P->provs[res_index(P, r)], r->provider, &err);
    cp_provider_call call = { .client = client, .address = r->address, .cancel = P->o->cancel };
    cp_value *out = NULL;
    if (!client)
        call.error = err;
    else if (rt->read_data(&call, cfg, &out) != 0 && !call.error)
        call.error = cp_xstrdup("the provider gave no reason");
    if (call.error) {
        /* the provider's message may already start with the address (provider.h) */
        size_t n = strlen(r->address);
        const char *why = call.error;
        if (!strncmp(why, r->address, n) && !strncmp(why + n, ": ", 2)) why += n + 2;
        cp_diag_error(P->d, r->loc, "%s: reading the data source failed: %s", r->address, why);
        free(call.error);
        cp_release(out);
        return NULL;
    }
    cp_value *m = cp_schema_mark_sensitive(rt->attrs, out, cfg);
    cp_release(out);
    return m;
}

/* A data source read at plan time goes into the (refreshed) state, so that
 * apply and outputs see it. */
static void keep_data(planner *P, const cp_config_resource *r, const cp_value *key,
                      const cp_value *v)
{
    cp_addr a;
    instance_addr(P, r, key, &a);
    cp_instance *inst = cp_instance_new(&a);
    cp_instance_set_attrs(inst, v);
    cp_instance_set_provider(inst, r->provider);
    cp_state_put_take(P->state, inst);
    note_matched(P, cp_state_find(P->state, &a));
    cp_addr_clear(&a);
}

/* Whether the resource, or anything in the module, that a depends_on entry
 * names (as written in the module at path mod; NULL: the root) changes in
 * this plan. */
static bool ref_pending(const planner *P, const char *mod, const char *address)
{
    char *full = mod ? cp_xasprintf("%s.%s", mod, address) : cp_xstrdup(address);
    size_t n = strlen(full);
    const cp_config *cfg = P->o->config;
    bool pending = false;
    for (size_t i = 0; i < cfg->nresources && !pending; i++) {
        const char *a = cfg->resources[i].address;
        if (!strncmp(a, full, n) && (a[n] == '\0' || a[n] == '.')) pending = P->pending[i] != 0;
    }
    free(full);
    return pending;
}

/* True when the data source must wait for apply: a depends_on of it, or
 * of a module call holding it, names something that changes in this plan
 * (Terraform's rule), or something it refers to (through locals too) is
 * made new by it: its object does not exist yet, so a read now could not
 * find it, where Terraform would read and fail. An in-place update of what
 * it refers to does not defer it, as in Terraform (a policy document
 * naming a queue's ARN is read at plan while the queue changes; a value
 * not known until apply defers it by being unknown). */
static bool data_waits(planner *P, const cp_config_resource *r, int node)
{
    const char *mod = r->module ? r->module->path : NULL;
    for (size_t i = 0; i < r->ndepends_on; i++)
        if (ref_pending(P, mod, r->depends_on[i].address)) return true;
    for (const cp_config_module *m = r->module; m; m = m->parent) {
        const char *caller = m->parent ? m->parent->path : NULL;
        for (size_t i = 0; i < m->ndepends_on; i++)
            if (ref_pending(P, caller, m->depends_on[i].address)) return true;
    }
    cp_change tmp;
    memset(&tmp, 0, sizeof tmp);
    add_config_deps(P, node, &tmp);
    bool fresh = false;
    for (size_t i = 0; i < tmp.ndeps; i++) {
        cp_addr a;
        if (!fresh && cp_addr_parse(tmp.deps[i], &a, NULL)) {
            const cp_config_resource *d = config_resource_of(P, &a);
            fresh = d && (P->pending[res_index(P, d)] & PEND_NEW);
            cp_addr_clear(&a);
        }
        free(tmp.deps[i]);
    }
    free(tmp.deps);
    return fresh;
}

static cp_value *plan_data_instance(planner *P, const cp_config_resource *r, int node,
                                    const cp_value *key, const cp_value *val)
{
    cp_value *cfg = eval_instance(P, r, key, val);
    cp_addr da;
    instance_addr(P, r, key, &da);
    bool pre = cfg && check_config(P, r, key, cfg) && lifecycle_ok(P, r, &da, key, val, NULL);
    if (!pre) {
        cp_addr_clear(&da);
        cp_release(cfg);
        return cp_unknown();
    }
    const cp_resource_type *rt = rtype_of(P, r);
    if (cp_is_wholly_known(cfg) && rt->read_data && !P->o->destroy && !data_waits(P, r, node)) {
        cp_value *v = read_data_now(P, r, cfg);
        cp_release(cfg);
        if (v && lifecycle_ok(P, r, &da, key, val, v)) keep_data(P, r, key, v);
        cp_addr_clear(&da);
        return v ? v : cp_unknown();
    }
    cp_addr_clear(&da);
    cp_diff_input in = { .attrs = rt->attrs, .config = cfg };
    cp_diff d;
    cp_diff_compute(&in, &d);
    cp_addr a;
    instance_addr(P, r, key, &a);
    cp_change *c = add_change(P, &a, r, CP_ACTION_READ, NULL, d.planned);
    P->pending[res_index(P, r)] |= PEND_CHANGE | PEND_NEW;
    set_key(c, key, val);
    add_config_deps(P, node, c);
    cp_value *planned = cp_retain(d.planned);
    cp_diff_clear(&d);
    cp_addr_clear(&a);
    cp_release(cfg);
    return planned;
}

/* --- resources ------------------------------------------------------------- */

/* Plan every instance of r in module instance P->mod; returns r's value there. */
static cp_value *plan_resource_in(planner *P, const cp_config_resource *r, int node)
{
    size_t idx = res_index(P, r);
    if ((P->in_target && !P->in_target[idx]) || !P->rtypes[idx])
        return value_from_state(P, r, P->mod);
    expansion x;
    if (!expand(P, r, &x)) {
        cp_release(x.keys);
        cp_release(x.vals);
        return cp_unknown();
    }
    size_t n = cp_len(x.keys);
    cp_value **vals = cp_xcalloc(n + 1, sizeof *vals);
    for (size_t i = 0; i < n; i++) {
        const cp_value *k = cp_list_get(x.keys, i), *v = cp_list_get(x.vals, i);
        vals[i] =
            r->is_data ? plan_data_instance(P, r, node, k, v) : plan_instance(P, r, node, k, v);
    }
    const cp_value **keys = cp_xcalloc(n + 1, sizeof *keys);
    for (size_t i = 0; i < n; i++) keys[i] = cp_list_get(x.keys, i);
    cp_value *out = cp_scope_collect(res_kind(r), keys, (const cp_value *const *)vals, n);
    for (size_t i = 0; i < n; i++) cp_release(vals[i]);
    free(vals);
    free(keys);
    cp_release(x.keys);
    cp_release(x.vals);
    return out;
}

/* A resource in the root, or in every instance of its module (its value:
 * a map from module instance path to the value there). */
static void plan_resource(planner *P, const cp_config_resource *r, int node)
{
    size_t idx = res_index(P, r);
    if (!r->module) {
        P->mod = NULL;
        P->rvals[idx] = plan_resource_in(P, r, node);
        return;
    }
    const cp_modinst **insts;
    size_t n;
    cp_scope_module_instances(&P->scope, r->module, P->d, &insts, &n);
    P->rvals[idx] = cp_map_new();
    for (size_t i = 0; i < n; i++) {
        P->mod = insts[i];
        cp_value *v = module_instance_targeted(P, r, insts[i]) ? plan_resource_in(P, r, node)
                                                               : value_from_state(P, r, insts[i]);
        cp_map_set_take(P->rvals[idx], insts[i]->path, v);
    }
    P->mod = NULL;
    free(insts);
}

/* --- orphans and destroy --------------------------------------------------- */

static int cmp_ptr(const void *a, const void *b)
{
    const void *x = *(const void *const *)a, *y = *(const void *const *)b;
    return x < y ? -1 : x > y;
}

static bool was_matched(planner *P, const cp_instance *inst)
{
    return P->nmatched &&
           bsearch(&inst, P->matched, P->nmatched, sizeof *P->matched, cmp_ptr) != NULL;
}

/* -target module.a[…]: whether it selects a (everything inside). */
static bool module_targeted(const char *text, const cp_addr *a)
{
    char *mod = NULL;
    if (!cp_addr_parse_module(text, &mod, NULL)) return false;
    bool m = a->module && cp_addr_module_matches(mod, a->module, true);
    free(mod);
    return m;
}

static bool targeted(planner *P, const cp_addr *a)
{
    if (!P->o->ntargets) return true;
    for (size_t i = 0; i < P->o->ntargets; i++) {
        if (module_targeted(P->o->targets[i], a)) return true;
        cp_addr t;
        if (!cp_addr_parse(P->o->targets[i], &t, NULL)) continue;
        bool m = cp_addr_matches(&t, a);
        cp_addr_clear(&t);
        if (m) return true;
    }
    return false;
}

static const char *orphan_reason(const cp_config_resource *r, const cp_addr *a)
{
    if (!r) return "because it is not in configuration";
    if (a->module && a->key_kind == CP_KEY_NONE && res_kind(r) == 0)
        return "because its module instance is not in configuration";
    if (a->key_kind == CP_KEY_INT) return "because its index is out of range for count";
    if (a->key_kind == CP_KEY_STR) return "because its key is not in for_each";
    return "because the resource now uses count or for_each";
}

static void plan_delete(planner *P, const cp_instance *inst, const char *reason)
{
    const cp_addr *a = cp_instance_addr(inst);
    const cp_config_resource *r = config_resource_of(P, a);
    cp_change *c = add_change(P, a, r, CP_ACTION_DELETE, cp_instance_attrs(inst), NULL);
    c->reason = reason;
    add_state_deps(inst, c);
}

/* --- destroy -target: the targets and everything that depends on them --- */

/* The resources inst depends on (resource addresses into tmp->deps): those
 * recorded in state and, while its resource is in config, the config's. */
static void instance_deps(planner *P, const cp_instance *inst, cp_change *tmp)
{
    add_state_deps(inst, tmp);
    const cp_addr *a = cp_instance_addr(inst);
    const cp_config_resource *r = config_resource_of(P, a);
    int node = r ? cp_graph_find(P->g, r->address) : -1;
    if (node >= 0) add_config_deps(P, node, tmp);
}

/* Node `from` depends on every current instance of the resources inst
 * depends on. */
static void add_instance_edges(planner *P, cp_graph *g, int from, const cp_instance *inst)
{
    cp_change tmp;
    memset(&tmp, 0, sizeof tmp);
    instance_deps(P, inst, &tmp);
    for (size_t i = 0; i < tmp.ndeps; i++) {
        cp_addr d;
        size_t first, n = 0;
        if (cp_addr_parse(tmp.deps[i], &d, NULL)) {
            n = cp_state_resource_range(P->state, &d, &first);
            cp_addr_clear(&d);
        }
        for (size_t j = 0; j < n; j++)
            if ((int)(first + j) != from) cp_graph_add_edge(g, from, (int)(first + j));
        free(tmp.deps[i]);
    }
    free(tmp.deps);
}

/* P->doomed: the state objects a destroy with -target deletes — the targeted
 * ones and, transitively, everything that depends on them (in state or in
 * config), as Terraform does: a VPC cannot go while its subnets stay. Nodes
 * are the current instances (state order) then the deposed objects; a
 * deposed object goes with the current instance of its address. */
static void resolve_destroy_targets(planner *P)
{
    size_t n = cp_state_count(P->state), nd = cp_state_deposed_count(P->state);
    cp_graph *g = cp_graph_new();
    int *seeds = cp_xcalloc(n + nd + 1, sizeof *seeds);
    size_t ns = 0;
    for (size_t i = 0; i < n + nd; i++) {
        const cp_instance *inst =
            i < n ? cp_state_at(P->state, i) : cp_state_deposed_at(P->state, i - n);
        cp_graph_add_node(g, cp_instance_addr_str(inst), NULL, NULL);
        if (targeted(P, cp_instance_addr(inst))) seeds[ns++] = (int)i;
    }
    for (size_t i = 0; i < n + nd; i++) {
        const cp_instance *inst =
            i < n ? cp_state_at(P->state, i) : cp_state_deposed_at(P->state, i - n);
        add_instance_edges(P, g, (int)i, inst);
        const cp_instance *cur = i < n ? NULL : cp_state_find(P->state, cp_instance_addr(inst));
        for (size_t j = 0; cur && j < n; j++)
            if (cp_state_at(P->state, j) == cur) cp_graph_add_edge(g, (int)i, (int)j);
    }
    P->doomed = cp_graph_closure(g, seeds, ns, true);
    free(seeds);
    cp_graph_free(g);
}

/* Whether a destroy plan deletes state object i (current instances, then
 * deposed objects at count + k). */
static bool destroy_selected(planner *P, size_t i)
{
    return !P->o->ntargets || (P->doomed && P->doomed[i]);
}

static void plan_orphans(planner *P)
{
    if (P->nmatched) qsort(P->matched, P->nmatched, sizeof *P->matched, cmp_ptr);
    for (size_t i = cp_state_count(P->state); i-- > 0;) {
        const cp_instance *inst = cp_state_at(P->state, i);
        const cp_addr *a = cp_instance_addr(inst);
        if (was_matched(P, inst)) continue;
        if (a->mode == CP_MODE_DATA && !P->o->ntargets) { /* a data source no longer read */
            cp_addr copy;
            cp_addr_copy(&copy, a);
            cp_state_remove(P->state, &copy);
            cp_addr_clear(&copy);
            continue;
        }
        if (a->mode != CP_MODE_MANAGED) continue;
        if (!P->o->destroy && !targeted(P, a)) continue;
        if (P->o->destroy && !destroy_selected(P, i)) continue;
        const cp_config_resource *r = config_resource_of(P, a);
        const char *why = P->o->destroy ? NULL : orphan_reason(r, a);
        if (P->o->destroy && P->o->ntargets && !targeted(P, a))
            why = "because it depends on a -target being destroyed";
        plan_delete(P, inst, why);
    }
}

/* Deposed objects still in the refreshed state (left by an interrupted
 * create_before_destroy replacement) are deleted, in every kind of plan. */
static void plan_deposed(planner *P)
{
    for (size_t i = 0; i < cp_state_deposed_count(P->state); i++) {
        const cp_instance *d = cp_state_deposed_at(P->state, i);
        const cp_addr *a = cp_instance_addr(d);
        if (a->mode != CP_MODE_MANAGED) continue;
        if (P->o->destroy ? !destroy_selected(P, cp_state_count(P->state) + i) : !targeted(P, a))
            continue;
        cp_change *c =
            cp_plan_add_deposed(P->plan, a, cp_instance_deposed_key(d), cp_instance_attrs(d));
        c->cres = config_resource_of(P, a);
        c->rtype = cp_plan_type_of(P->o->types, a, &c->provider);
        if (cp_instance_provider(d)) c->instance = cp_xstrdup(cp_instance_provider(d));
        add_state_deps(d, c);
    }
}

/* --- outputs and checks -------------------------------------------------- */

static void plan_outputs(planner *P)
{
    const cp_config *c = P->o->config;
    /* A targeted destroy leaves the stack in place: its outputs stay as they
     * are (a full apply recomputes them), instead of all being removed. */
    if (P->o->destroy && P->o->ntargets > 0) return;
    for (size_t i = 0; i < c->noutputs && !P->o->destroy; i++) {
        const cp_config_output *o = &c->outputs[i];
        cp_value *v = eval_plain(P, o->value);
        bool sens = false;
        const cp_value *before = cp_state_output(P->state, o->name, &sens);
        if (v)
            cp_plan_add_output(P->plan, o->name, before, v,
                               o->sensitive || cp_contains_sensitive(v));
        cp_release(v);
    }
    for (size_t i = 0; i < cp_state_output_count(P->state); i++) {
        const char *name = cp_state_output_name(P->state, i);
        if (!P->o->destroy && cp_config_find_output(c, name)) continue;
        cp_plan_add_output(P->plan, name, cp_state_output_value(P->state, i), NULL,
                           cp_state_output_sensitive(P->state, i));
    }
}

static void check_prevent_destroy(planner *P)
{
    for (size_t i = 0; i < P->plan->nchanges; i++) {
        const cp_change *c = &P->plan->changes[i];
        if (c->action != CP_ACTION_DELETE && c->action != CP_ACTION_REPLACE) continue;
        if (!c->cres || !c->cres->lifecycle.prevent_destroy || c->deposed) continue;
        cp_diag_error(
            P->d, c->cres->loc,
            "%s has lifecycle.prevent_destroy set, but this plan would "
            "destroy it; remove prevent_destroy from its lifecycle block if that is intended, "
            "or change the stack so it is kept",
            c->address);
    }
}

/* --- targets -------------------------------------------------------------- */

/* -target module.a[…]: seeds every resource inside the module (and the
 * modules it calls); false when text is not a module path. */
/* A targeted resource r is planned only in the module instances its
 * targets name (its dependencies everywhere). */
static void note_target_module(planner *P, const cp_config_resource *r, const char *mod)
{
    if (!r->module) return;
    if (!P->target_mods) P->target_mods = cp_map_new();
    const cp_value *l = cp_map_get(P->target_mods, r->address);
    if (!l) {
        cp_map_set_take(P->target_mods, r->address, cp_list_new());
        l = cp_map_get(P->target_mods, r->address);
    }
    cp_list_push_take((cp_value *)l, cp_string(mod ? mod : ""));
}

static bool module_instance_targeted(const planner *P, const cp_config_resource *r,
                                     const cp_modinst *m)
{
    const cp_value *l = P->target_mods ? cp_map_get(P->target_mods, r->address) : NULL;
    for (size_t i = 0; l && i < cp_len(l); i++) {
        const char *pat = cp_string_val(cp_list_get(l, i));
        if (!*pat || cp_addr_module_matches(pat, m->path, true)) return true;
    }
    return !l;
}

static bool module_target_seeds(planner *P, const char *text, int **seeds, size_t *ns)
{
    char *mod = NULL;
    if (!cp_addr_parse_module(text, &mod, NULL)) return false;
    char *plain = cp_addr_module_strip_keys(mod);
    const cp_config *c = P->o->config;
    *seeds = cp_xrealloc(*seeds, (*ns + c->nresources + P->o->ntargets + 1) * sizeof **seeds);
    for (size_t i = 0; i < c->nresources; i++) {
        const cp_config_resource *r = &c->resources[i];
        if (r->module && cp_addr_module_matches(plain, r->module->path, true)) {
            (*seeds)[(*ns)++] = cp_graph_find(P->g, r->address);
            note_target_module(P, r, mod);
        }
    }
    free(plain);
    free(mod);
    return true;
}

static bool resolve_targets(planner *P)
{
    if (!P->o->ntargets) return true;
    const cp_config *c = P->o->config;
    int *seeds = cp_xcalloc(P->o->ntargets, sizeof *seeds);
    size_t ns = 0;
    for (size_t i = 0; i < P->o->ntargets; i++) {
        cp_addr t;
        char *err = NULL;
        if (module_target_seeds(P, P->o->targets[i], &seeds, &ns)) continue;
        if (!cp_addr_parse(P->o->targets[i], &t, &err)) {
            cp_diag_error(P->d, no_loc, "-target: %s", err);
            free(err);
            continue;
        }
        const cp_config_resource *r = config_resource_of(P, &t);
        if (r) seeds[ns++] = cp_graph_find(P->g, r->address);
        if (r) note_target_module(P, r, t.module);
        cp_addr_clear(&t);
    }
    bool *closure = cp_graph_closure(P->g, seeds, ns, false);
    P->in_target = cp_xcalloc(c->nresources + 1, sizeof(bool));
    for (size_t n = 0; n < cp_graph_node_count(P->g); n++) {
        const cp_config_node *cn = cp_graph_user(P->g, (int)n);
        if (closure[n] && cn->kind == CP_NODE_RESOURCE)
            P->in_target[res_index(P, cn->u.resource)] = true;
    }
    free(closure);
    free(seeds);
    return !cp_diags_has_errors(P->d);
}

/* --- the run ------------------------------------------------------------- */

static void walk_config(planner *P)
{
    int *order = NULL;
    if (cp_graph_order(P->g, false, &order) != 0) return;
    for (size_t i = 0; i < cp_graph_node_count(P->g); i++) {
        const cp_config_node *cn = cp_graph_user(P->g, order[i]);
        if (cn->kind == CP_NODE_RESOURCE) plan_resource(P, cn->u.resource, order[i]);
    }
    free(order);
    cp_scope_modules_settle(&P->scope, P->d);
}

/* moved, removed (destroy = false) and import blocks, on the refreshed
 * state before the walk (plan_blocks.h); false after errors. */
static bool state_blocks(planner *P)
{
    cp__plan_moves(P->o->config, P->state, &P->moves, P->d);
    cp__plan_forget(P->o, P->state, P->plan);
    return cp__plan_imports(P->o, &P->scope, P->state, &P->imports, P->d) == 0;
}

/* Check blocks against the planned values: warnings only. */
static void plan_checks(planner *P)
{
    if (P->o->destroy || cp_diags_has_errors(P->d)) return;
    cp_scope_env env = { &P->scope, NULL, NULL, -1, NULL };
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, P->d, &ctx);
    cp_plan_checks(P->o->config, &ctx, P->d);
}

static void planner_free(planner *P)
{
    for (size_t i = 0; P->rvals && i < P->o->config->nresources; i++) cp_release(P->rvals[i]);
    free(P->rvals);
    free(P->rtypes);
    free(P->provs);
    free(P->in_target);
    free(P->pending);
    free(P->stamp);
    free(P->nodes);
    free(P->matched);
    free(P->doomed);
    cp__plan_pairs_free(&P->moves);
    cp__plan_pairs_free(&P->imports);
    cp_release(P->target_mods);
    cp_graph_free(P->g);
    cp_scope_free(&P->scope);
}

static int prepare_state(const cp_plan_opts *o, const cp_state *prior, cp_state **st, cp_diags *d)
{
    if (o->destroy && !o->refresh) {
        *st = cp_state_copy(prior);
        return 0;
    }
    return cp_plan_refresh(o, prior, !o->refresh, st, d);
}

int cp_plan_make(const cp_plan_opts *o, const cp_state *prior, cp_plan **out, cp_state **refreshed,
                 cp_diags *d)
{
    planner P = { .o = o, .d = d };
    *out = NULL;
    *refreshed = NULL;
    if (prepare_state(o, prior, &P.state, d) != 0) return -1;
    P.g = cp_config_graph(o->config, &P.nodes, d);
    if (!P.g) {
        cp_state_free(P.state);
        return -1;
    }
    P.plan = cp_plan_new();
    P.plan->destroy = o->destroy;
    P.plan->refresh_only = o->refresh_only;
    if (o->refresh) cp_plan_find_drift(o->types, prior, P.state, P.plan);
    P.plan->lineage = cp_xstrdup(cp_state_lineage(prior));
    P.plan->serial = cp_state_serial(prior);
    cp_scope_init(&P.scope, o->config, o->variables, o->stack_name, o->branch, o->region);
    P.scope.cache_locals = true;
    P.scope.resource_value = plan_resource_value;
    P.scope.resource_ud = &P;
    P.rvals = cp_xcalloc(o->config->nresources + 1, sizeof(cp_value *));
    resolve_types(&P);
    P.pending = cp_xcalloc(o->config->nresources + 1, sizeof *P.pending);
    P.stamp = cp_xcalloc(cp_graph_node_count(P.g) + 1, sizeof(int));
    /* -refresh-only: the plan is the drift alone; apply brings state (and
     * its outputs) up to date */
    if (!o->refresh_only && resolve_targets(&P) && state_blocks(&P)) {
        if (!o->destroy) walk_config(&P);
        if (o->destroy && o->ntargets) resolve_destroy_targets(&P);
        plan_orphans(&P);
        plan_deposed(&P);
        plan_outputs(&P);
        check_prevent_destroy(&P);
        cp__plan_note(o->config, P.plan, &P.moves, &P.imports, d);
        plan_checks(&P);
        cp_plan_prune_drift(P.plan);
    }
    planner_free(&P);
    if (cp_diags_has_errors(d)) {
        cp_plan_free(P.plan);
        cp_state_free(P.state);
        return -1;
    }
    *out = P.plan;
    *refreshed = P.state;
    return 0;
}
