/*
 * plan_import.c: the stack's import blocks (see plan_blocks.h). For each
 * `import { to = ADDR  id = … }` whose ADDR state does not hold yet (an
 * import already done is a no-op, so the block may stay), the id is
 * evaluated (it must be a known string), the type's import function reads
 * the object, and the result goes into the refreshed state as ADDR: the
 * planner then diffs it against ADDR's config like any object in state
 * (no change, or an update in place, or a replace), and apply saves it.
 * With for_each, each element of the map, set or list (known at plan) is
 * one import: each.key and each.value are bound while to's keys and the id
 * are evaluated. Two imports into one address are an error naming both.
 * A destroy plan imports nothing.
 */
#include "plan/plan_blocks.h"
#include "config/config_eval.h"
#include "plan/scope.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *import_id(const cp_config_import *im, const char *to, const cp_eval_ctx *ctx,
                       cp_diags *d)
{
    cp_value *v = cp_eval(ctx, im->id);
    if (!v) return NULL;
    char *id = NULL;
    if (cp_is_unknown(v) || cp_contains_unknown(v))
        cp_diag_error(d, im->id->loc,
                      "import: the id for %s is known only after apply; use a value known at "
                      "plan time (a literal, a variable or a local)",
                      to);
    else if (cp_kind_of(v) != CP_STRING || !*cp_string_val(v))
        cp_diag_error(d, im->id->loc, "import: the id for %s must be a non-empty string", to);
    else
        id = cp_xstrdup(cp_string_val(v));
    cp_release(v);
    return id;
}

/* Read the object through its type's import function; NULL after an error. */
static cp_value *read_object(const cp_plan_opts *o, const cp_config_import *im, const cp_addr *a,
                             const char *to, const char *id, cp_diags *d)
{
    const cp_provider *prov = NULL;
    const cp_resource_type *rt = cp_plan_type_of(o->types, a, &prov);
    if (!rt) return NULL; /* config already reported the unknown type */
    if (!rt->import) {
        cp_diag_error(d, im->loc,
                      "import: %s objects cannot be imported; remove the import block and let "
                      "apply create %s",
                      a->type, to);
        return NULL;
    }
    if (o->progress) fprintf(o->progress, "%s: Preparing import... [id=%s]\n", to, id);
    char *err = NULL;
    cp_provider_call call = { .address = to, .cancel = o->cancel };
    char *at = cp_addr_config_str(a);
    const cp_config_resource *r = cp_config_find_resource_at(o->config, at);
    free(at);
    call.client = o->client(o->client_ud, prov, r ? r->provider : NULL, &err);
    cp_value *st = NULL;
    if (!call.client)
        call.error = err;
    else if (rt->import(&call, id, &st) != 0 && !call.error)
        call.error = cp_xstrdup("the provider gave no reason");
    if (call.error) {
        cp_diag_error(d, im->id->loc, "import: %s with id \"%s\" failed: %s; check the id", to, id,
                      call.error);
        free(call.error);
        cp_release(st);
        return NULL;
    }
    cp_value *m = cp_schema_mark_sensitive(rt->attrs, st, NULL);
    cp_release(st);
    return m;
}

/* Every target met so far, for two imports into one address. */
typedef struct target {
    char *to;
    const cp_config_import *im;
    cp_value *key; /* each.key; NULL without for_each */
} target;

typedef struct targets {
    target *t;
    size_t n;
} targets;

/* "for_each key \"a\" of the import at main.cp:3:1" (malloc'd). */
static char *describe(const cp_config *c, const target *t)
{
    char *where = cp_loc_string(&c->sources, t->im->loc);
    char *out;
    if (t->key) {
        char *k = cp_value_repr(t->key);
        out = cp_xasprintf("for_each key %s of the import at %s", k, where);
        free(k);
    } else
        out = cp_xasprintf("the import at %s", where);
    free(where);
    return out;
}

/* Record to; false (reported) when an import before it has the same target. */
static bool claim(const cp_config *c, targets *ts, const cp_config_import *im, const char *to,
                  const cp_value *key, cp_diags *d)
{
    target me = { cp_xstrdup(to), im, key ? cp_retain(key) : NULL };
    for (size_t i = 0; i < ts->n; i++)
        if (!strcmp(ts->t[i].to, to)) {
            char *a = describe(c, &ts->t[i]), *b = describe(c, &me);
            cp_diag_error(d, im->to_loc,
                          "import: %s is the target of two imports, %s and %s; give each "
                          "object its own address",
                          to, a, b);
            free(a);
            free(b);
            free(me.to);
            cp_release(me.key);
            return false;
        }
    ts->t = cp_xrealloc(ts->t, (ts->n + 1) * sizeof *ts->t);
    ts->t[ts->n++] = me;
    return true;
}

/* One import into `to` (canonical) with the id evaluated in ctx. */
static int import_one(const cp_plan_opts *o, const cp_config_import *im, const char *to,
                      const cp_eval_ctx *ctx, cp_state *st, cp_plan_pairs *done, cp_diags *d)
{
    const cp_config *c = o->config;
    cp_addr a;
    if (!cp_addr_parse(to, &a, NULL)) return 0;
    int rc = 0;
    char *id = cp_state_find(st, &a) ? NULL : import_id(im, to, ctx, d);
    cp_value *obj = id ? read_object(o, im, &a, to, id, d) : NULL;
    if (obj) {
        cp_instance *inst = cp_instance_new(&a);
        cp_instance_set_attrs(inst, obj);
        char *at = cp_addr_config_str(&a);
        const cp_config_resource *r = cp_config_find_resource_at(c, at);
        free(at);
        cp_instance_set_provider(inst, r ? r->provider : NULL);
        cp_state_put_take(st, inst);
        done->a = cp_xrealloc(done->a, (done->n + 1) * sizeof *done->a);
        done->b = cp_xrealloc(done->b, (done->n + 1) * sizeof *done->b);
        done->a[done->n] = cp_xstrdup(to);
        done->b[done->n++] = id;
        id = NULL;
    } else if (id || cp_diags_has_errors(d))
        rc = -1;
    cp_release(obj);
    free(id);
    cp_addr_clear(&a);
    return rc;
}

/* for_each = toset(…): a set, whose keys are its members (as in Terraform;
 * cpstack has no set kind of value, so the call is what tells). */
static bool is_set_call(const cp_expr *e)
{
    return e->kind == CP_E_CALL && !strcmp(e->u.call.name, "toset");
}

/* The elements of an import's for_each: keys (strings, or list indexes)
 * and values, or false after an error. */
static bool import_elements(const cp_config_import *im, cp_scope *scope, cp_value *keys,
                            cp_value *vals, cp_diags *d)
{
    cp_scope_env env = { scope, NULL, NULL, -1, NULL };
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, d, &ctx);
    cp_value *v = cp_eval(&ctx, im->for_each);
    if (!v) return false;
    const char *why = NULL;
    cp_kind k = cp_kind_of(v);
    if (cp_is_unknown(v) || cp_contains_unknown(v))
        why = "is known only after apply; use a value known at plan time (a literal, a variable "
              "or a local), or apply what it depends on first with -target";
    else if (cp_is_sensitive(v))
        why = "is sensitive, and its keys would be shown in addresses; use a value that is not "
              "sensitive";
    else if (k != CP_MAP && k != CP_LIST)
        why = k == CP_NULL     ? "must be a map, a set or a list, not null"
              : k == CP_BOOL   ? "must be a map, a set or a list, not a bool"
              : k == CP_NUMBER ? "must be a map, a set or a list, not a number"
                               : "must be a map, a set or a list, not a string";
    else if (cp_len(v) > CP_MAX_INSTANCES)
        why = "has more elements than a resource may have instances; split it across import "
              "blocks";
    bool set = is_set_call(im->for_each);
    for (size_t i = 0; !why && i < cp_len(v); i++) {
        if (k == CP_MAP) {
            cp_list_push_take(keys, cp_string(cp_map_key_at(v, i)));
            cp_list_push_take(vals, cp_retain(cp_map_value_at(v, i)));
        } else if (set) {
            cp_value *e = cp_to_string(cp_list_get(v, i));
            if (!e) {
                why = "must be a set of strings";
                break;
            }
            cp_list_push_take(keys, cp_retain(e));
            cp_list_push_take(vals, e);
        } else {
            cp_list_push_take(keys, cp_number((double)i));
            cp_list_push_take(vals, cp_retain(cp_list_get(v, i)));
        }
    }
    if (why)
        cp_diag_error(d, im->for_each->loc, "import: for_each of the import into %s %s", im->to,
                      why);
    cp_release(v);
    return !why;
}

int cp__plan_imports(const cp_plan_opts *o, cp_scope *scope, cp_state *st, cp_plan_pairs *done,
                     cp_diags *d)
{
    const cp_config *c = o->config;
    targets ts = { 0 };
    int rc = 0;
    for (size_t i = 0; i < c->nimports && !o->destroy; i++) {
        const cp_config_import *im = &c->imports[i];
        cp_eval_ctx ctx;
        if (!im->keyed) {
            cp_scope_env env = { scope, NULL, NULL, -1, NULL };
            cp_scope_ctx(&env, d, &ctx);
            if (!claim(c, &ts, im, im->to, NULL, d) || import_one(o, im, im->to, &ctx, st, done, d))
                rc = -1;
            continue;
        }
        cp_value *keys = cp_list_new(), *vals = cp_list_new();
        if (!im->for_each) {
            cp_list_push_take(keys, cp_null());
            cp_list_push_take(vals, cp_null());
        } else if (!import_elements(im, scope, keys, vals, d))
            rc = -1;
        for (size_t j = 0; j < cp_len(keys); j++) {
            const cp_value *key = cp_list_get(keys, j);
            bool each = cp_kind_of(key) != CP_NULL;
            cp_scope_env env = { scope, each ? key : NULL, each ? cp_list_get(vals, j) : NULL, -1,
                                 NULL };
            cp_scope_ctx(&env, d, &ctx);
            char *to = cp_config_import_target(im, &ctx);
            if (!to || !claim(c, &ts, im, to, each ? key : NULL, d) ||
                import_one(o, im, to, &ctx, st, done, d))
                rc = -1;
            free(to);
        }
        cp_release(keys);
        cp_release(vals);
    }
    for (size_t i = 0; i < ts.n; i++) {
        free(ts.t[i].to);
        cp_release(ts.t[i].key);
    }
    free(ts.t);
    return rc;
}
