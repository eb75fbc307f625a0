/*
 * eval.c: the expression evaluator's core: the dispatch over expression
 * kinds, name resolution (for-bound names first, then the caller's lookup
 * function), attribute access, indexing and the list and object
 * constructors. Operators live in eval_ops.c, `for` and splat in
 * eval_for.c, calls in eval_call.c, templates in eval_template.c.
 *
 * Every function returns a new reference or NULL after reporting an error;
 * a constructor keeps evaluating its other parts after an error so that one
 * run reports every independent mistake. Unknown values make the result
 * unknown; sensitive parts mark the result sensitive (see eval.h).
 */
#include "lang/eval_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

cp_value *ev_error(const ev_state *st, cp_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cp_diag_error(st->ctx->diags, loc, "%s", b.data);
    cp_buf_free(&b);
    return NULL;
}

cp_value *ev_sensitive_take(cp_value *r)
{
    if (cp_is_sensitive(r)) return r;
    cp_value *m = cp_mark_sensitive(r);
    cp_release(r);
    return m;
}

cp_value *ev_mark_deep_take(cp_value *result, const cp_value *const *vals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (vals[i] && cp_contains_sensitive(vals[i])) return ev_sensitive_take(result);
    }
    return result;
}

/* --- missing keys ------------------------------------------------------------ */

/* `no key "x" in this map; its keys are "a" and "b"`, with a suggestion;
 * nothing of the key or the keys is shown when either side is sensitive. */
static cp_value *missing_key(const ev_state *st, const cp_value *map, const cp_value *key,
                             cp_loc loc)
{
    size_t n = cp_len(map);
    const char *k = cp_string_val(key);
    if (cp_is_sensitive(key) || cp_is_sensitive(map))
        return ev_error(st, loc, "no such key in this map (the key or the map is sensitive)");
    if (n == 0) return ev_error(st, loc, "no key \"%s\" in this map: the map is empty", k);
    const char **names = cp_xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++) names[i] = cp_map_key_at(map, i);
    const char *near = cp_suggest(k, names);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_printf(&b, "no key \"%s\" in this map", k);
    if (near)
        cp_buf_printf(&b, "; did you mean \"%s\"?", near);
    else if (n > 10)
        cp_buf_printf(&b, " of %zu keys", n);
    else {
        cp_buf_adds(&b, n == 1 ? "; its only key is " : "; its keys are ");
        for (size_t i = 0; i < n; i++)
            cp_buf_printf(&b, "%s\"%s\"", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
    }
    free(names);
    ev_error(st, loc, "%s", b.data);
    cp_buf_free(&b);
    return NULL;
}

/* --- indexing ------------------------------------------------------------------ */

static cp_value *bad_list_index(const ev_state *st, const cp_value *key, cp_loc loc)
{
    if (cp_kind_of(key) != CP_STRING)
        return ev_error(st, loc, "a list index must be a number, got %s",
                        cp_kind_article(cp_kind_of(key)));
    char *r = cp_value_repr(key);
    ev_error(st, loc, "a list index must be a number, got a string (%s)", r);
    free(r);
    return NULL;
}

static cp_value *index_list(const ev_state *st, const cp_value *list, const cp_value *key,
                            cp_loc key_loc)
{
    cp_value *num = cp_to_number(key);
    if (!num) return bad_list_index(st, key, key_loc);
    double d = cp_number_val(num);
    cp_release(num);
    size_t n = cp_len(list);
    if (d == floor(d) && d >= 0 && d < (double)n) return cp_retain(cp_list_get(list, (size_t)d));
    cp_buf b;
    cp_buf_init(&b);
    if (cp_is_sensitive(key))
        cp_buf_adds(&b, "(sensitive value)");
    else
        cp_number_format(&b, d);
    if (d != floor(d))
        ev_error(st, key_loc, "index %s is not a whole number: list indexes count 0, 1, 2…",
                 b.data);
    else
        ev_error(st, key_loc, "index %s out of range for list of %zu element%s", b.data, n,
                 n == 1 ? "" : "s");
    cp_buf_free(&b);
    return NULL;
}

static cp_value *index_map(const ev_state *st, const cp_value *map, const cp_value *key,
                           cp_loc key_loc)
{
    cp_value *s = cp_to_string(key);
    if (!s)
        return ev_error(st, key_loc, "a map key must be a string, got %s",
                        cp_kind_article(cp_kind_of(key)));
    const cp_value *v = cp_map_get(map, cp_string_val(s));
    cp_value *res = v ? cp_retain(v) : missing_key(st, map, s, key_loc);
    cp_release(s);
    return res;
}

cp_value *ev_index_value(const ev_state *st, const cp_value *coll, const cp_value *key,
                         cp_loc coll_loc, cp_loc key_loc)
{
    cp_value *res;
    if (cp_is_unknown(coll) || cp_is_unknown(key)) {
        res = cp_unknown();
    } else if (cp_is_null(key)) {
        return ev_error(st, key_loc, "an index must not be null");
    } else if (cp_kind_of(coll) == CP_LIST) {
        res = index_list(st, coll, key, key_loc);
    } else if (cp_kind_of(coll) == CP_MAP) {
        res = index_map(st, coll, key, key_loc);
    } else if (cp_is_null(coll)) {
        return ev_error(st, coll_loc, "cannot index null: this value is null");
    } else {
        return ev_error(st, coll_loc, "cannot index %s: only lists and maps have elements",
                        cp_kind_article(cp_kind_of(coll)));
    }
    if (!res) return NULL;
    res = cp_mark_like_take(res, coll);
    return cp_mark_like_take(res, key);
}

/* --- attributes -------------------------------------------------------------- */

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static cp_value *get_attr(const ev_state *st, const cp_value *obj, const char *name, cp_loc obj_loc,
                          cp_loc name_loc)
{
    switch (cp_kind_of(obj)) {
    case CP_UNKNOWN:
        return cp_unknown();
    case CP_MAP: {
        const cp_value *v = cp_map_get(obj, name);
        if (!v) {
            cp_value *k = cp_string(name);
            missing_key(st, obj, k, name_loc);
            cp_release(k);
            return NULL;
        }
        return cp_mark_like_take(cp_retain(v), obj);
    }
    case CP_LIST:
        if (all_digits(name)) {
            cp_value *k = cp_string(name);
            cp_value *r = ev_index_value(st, obj, k, obj_loc, name_loc);
            cp_release(k);
            return r;
        }
        return ev_error(st, name_loc,
                        "cannot read attribute \"%s\" of a list: use [N] for one "
                        "element or [*].%s for every element",
                        name, name);
    case CP_NULL:
        return ev_error(st, name_loc,
                        "cannot read attribute \"%s\" of null: the value before "
                        "\".%s\" is null",
                        name, name);
    default:
        return ev_error(st, name_loc,
                        "cannot read attribute \"%s\" of %s: only maps and objects "
                        "have attributes",
                        name, cp_kind_article(cp_kind_of(obj)));
    }
}

/* --- references ------------------------------------------------------------------ */

static const cp_value *bound(const ev_state *st, const char *name)
{
    for (const ev_binding *b = st->scope; b; b = b->next)
        if (strcmp(b->name, name) == 0) return b->val;
    return NULL;
}

/* Ask the caller's lookup for the longest static chain root.a.b…; nodes[i]
 * is the GETATTR node naming steps[i] (nodes[0] is the root VAR). */
static cp_value *lookup_chain(const ev_state *st, const cp_expr *const *nodes, size_t n,
                              size_t *consumed)
{
    const cp_eval_ctx *ctx = st->ctx;
    const char *root = nodes[0]->u.var.name;
    if (!ctx->lookup)
        return ev_error(st, nodes[0]->loc,
                        "cannot use \"%s\" here: no names can be referred to "
                        "in this expression",
                        root);
    const char **steps = cp_xcalloc(n, sizeof *steps);
    steps[0] = root;
    for (size_t i = 1; i < n; i++) steps[i] = nodes[i]->u.getattr.name;
    size_t before = ctx->diags->errors;
    *consumed = 1;
    cp_value *v = ctx->lookup(ctx->lookup_ud, steps, n, consumed, nodes[n - 1]->loc, ctx->diags);
    free(steps);
    if (*consumed < 1) *consumed = 1;
    if (*consumed > n) *consumed = n;
    if (!v && ctx->diags->errors == before)
        ev_error(st, nodes[0]->loc, "unknown name \"%s\"", root);
    return v;
}

/* A VAR, or a chain of GETATTRs ending in one: resolve the static part by
 * lookup (or a for-bound name), then read the remaining attributes. */
static cp_value *ev_traversal(const ev_state *st, const cp_expr *e)
{
    size_t n = 1;
    const cp_expr *b = e;
    for (; b->kind == CP_E_GETATTR; b = b->u.getattr.obj) n++;
    if (b->kind != CP_E_VAR) { /* e.g. f(x).a or l[0].a */
        cp_value *obj = ev_expr(st, e->u.getattr.obj);
        if (!obj) return NULL;
        cp_value *r =
            get_attr(st, obj, e->u.getattr.name, e->u.getattr.obj->loc, e->u.getattr.name_loc);
        cp_release(obj);
        return r;
    }
    const cp_expr **nodes = cp_xcalloc(n, sizeof *nodes);
    size_t i = n;
    for (const cp_expr *c = e; c->kind == CP_E_GETATTR; c = c->u.getattr.obj) nodes[--i] = c;
    nodes[0] = b;
    size_t used = 1;
    const cp_value *local = bound(st, b->u.var.name);
    cp_value *v = local ? cp_retain(local) : lookup_chain(st, nodes, n, &used);
    for (i = used; v && i < n; i++) {
        cp_value *next = get_attr(st, v, nodes[i]->u.getattr.name, nodes[i - 1]->loc,
                                  nodes[i]->u.getattr.name_loc);
        cp_release(v);
        v = next;
    }
    free(nodes);
    return v;
}

static cp_value *ev_index(const ev_state *st, const cp_expr *e)
{
    cp_value *coll = ev_expr(st, e->u.index.obj);
    cp_value *key = ev_expr(st, e->u.index.key);
    cp_value *r = NULL;
    if (coll && key) r = ev_index_value(st, coll, key, e->u.index.obj->loc, e->u.index.key->loc);
    cp_release(coll);
    cp_release(key);
    return r;
}

/* --- constructors ------------------------------------------------------------------ */

static cp_value *ev_list(const ev_state *st, const cp_expr *e)
{
    cp_value *l = cp_list_new();
    bool ok = true;
    for (size_t i = 0; i < e->u.list.len; i++) {
        cp_value *v = ev_expr(st, e->u.list.items[i]);
        if (v)
            cp_list_push_take(l, v);
        else
            ok = false;
    }
    if (ok) return l;
    cp_release(l);
    return NULL;
}

/* An object key: a bare name, or an expression giving a string. Returns a
 * new string value, cp_unknown(), or NULL after an error. */
static cp_value *object_key(const ev_state *st, const cp_expr *k)
{
    cp_value *v = ev_expr(st, k);
    if (!v || cp_is_unknown(v)) return v;
    cp_value *s = cp_to_string(v);
    if (!s)
        ev_error(st, k->loc, "an object key must be a string, got %s",
                 cp_kind_article(cp_kind_of(v)));
    cp_release(v);
    return s;
}

static cp_value *ev_object(const ev_state *st, const cp_expr *e)
{
    cp_value *m = cp_map_new();
    bool ok = true, unknown = false, sensitive = false;
    for (size_t i = 0; i < e->u.object.keys.len; i++) {
        const cp_expr *kx = e->u.object.keys.items[i];
        cp_value *k = object_key(st, kx);
        cp_value *v = ev_expr(st, e->u.object.vals.items[i]);
        if (!k || !v)
            ok = false;
        else if (cp_is_unknown(k))
            unknown = true;
        else if (cp_map_get(m, cp_string_val(k))) {
            char *r = cp_value_repr(k);
            ev_error(st, kx->loc, "duplicate key %s in this object: each key may appear once", r);
            free(r);
            ok = false;
        } else {
            sensitive |= cp_is_sensitive(k);
            cp_map_set_take(m, cp_string_val(k), cp_retain(v));
        }
        cp_release(k);
        cp_release(v);
    }
    if (!ok || unknown) cp_release(m);
    if (!ok) return NULL;
    if (unknown) return cp_unknown();
    return sensitive ? ev_sensitive_take(m) : m;
}

/* --- dispatch -------------------------------------------------------------------- */

/* How deep ev_expr is nested on this thread, counting the evaluations a
 * lookup starts inside another (a local is evaluated where it is first
 * referenced), so that a chain of thousands of locals reports an error
 * instead of overflowing the stack. The parser already bounds each single
 * expression to CP_MAX_NESTING levels. */
static _Thread_local unsigned ev_depth;

static cp_value *ev_kind(const ev_state *st, const cp_expr *e)
{
    switch (e->kind) {
    case CP_E_LITERAL:
        return cp_retain(e->u.literal);
    case CP_E_TEMPLATE:
        return ev_template(st, e);
    case CP_E_VAR:
    case CP_E_GETATTR:
        return ev_traversal(st, e);
    case CP_E_INDEX:
        return ev_index(st, e);
    case CP_E_SPLAT:
        return ev_splat(st, e);
    case CP_E_SPLAT_ITEM:
        if (st->splat_item) return cp_retain(st->splat_item);
        return ev_error(st, e->loc, "[*] item used outside a splat expression");
    case CP_E_UNARY:
        return ev_unary(st, e);
    case CP_E_BINARY:
        return ev_binary(st, e);
    case CP_E_COND:
        return ev_cond(st, e);
    case CP_E_CALL:
        return ev_call(st, e);
    case CP_E_LIST:
        return ev_list(st, e);
    case CP_E_OBJECT:
        return ev_object(st, e);
    case CP_E_FOR:
        return ev_for(st, e);
    case CP_E_PAREN:
        return ev_expr(st, e->u.paren);
    case CP_E_TMPL_IF:
        return ev_tmpl_if(st, e);
    case CP_E_TMPL_FOR:
        return ev_tmpl_for(st, e);
    }
    return ev_error(st, e->loc, "cannot evaluate this expression (kind %d)", (int)e->kind);
}

cp_value *ev_expr(const ev_state *st, const cp_expr *e)
{
    if (ev_depth >= CP_MAX_EVAL_DEPTH)
        return ev_error(st, e->loc,
                        "evaluation nested too deeply (more than %d levels, counting the locals "
                        "this one refers to through others); split long chains of locals",
                        CP_MAX_EVAL_DEPTH);
    ev_depth++;
    cp_value *v = ev_kind(st, e);
    ev_depth--;
    return v;
}

cp_value *cp_eval(const cp_eval_ctx *ctx, const cp_expr *e)
{
    ev_state st = { ctx, NULL, NULL, false };
    return ev_expr(&st, e);
}
