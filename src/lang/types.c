/*
 * types.c: type expressions (see types.h) and conversion of values to them.
 *
 * A type is read from the expression of `type = …`: a bare name (string,
 * number, bool, any) or a call-like form (list(T), set(T), map(T),
 * object({ name = T, … }), tuple([T, …])). Conversion follows HCL: number
 * ↔ string, "true"/"false" ↔ bool; null converts to every type; unknown
 * passes; object attributes missing from the value are errors, extra ones
 * are dropped; a set is a list with repeats removed, sorted. Errors name
 * the path to the bad part: `attribute "ports", element 1: a number is
 * required, got "http"`.
 */
#include "lang/types.h"
#include "lang/functions_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const prim_names[] = { "any", "string", "number", "bool", NULL };
static const char *const all_names[] = { "any", "string", "number", "bool",  "list",
                                         "set", "map",    "object", "tuple", NULL };

static cp_type *new_type(cp_type_kind k)
{
    cp_type *t = cp_xcalloc(1, sizeof *t);
    t->kind = k;
    return t;
}

void cp_type_free(cp_type *t)
{
    if (!t) return;
    cp_type_free(t->elem);
    for (size_t i = 0; i < t->nattrs; i++) {
        if (t->attr_names) free(t->attr_names[i]);
        cp_type_free(t->attrs[i]);
    }
    free(t->attr_names);
    free(t->attrs);
    free(t);
}

/* --- parsing ------------------------------------------------------------------- */

static cp_type *type_error(cp_diags *d, cp_loc loc, const char *what, const char *name)
{
    const char *near = name ? cp_suggest(name, all_names) : NULL;
    if (near)
        cp_diag_error(d, loc, "unknown type \"%s\": did you mean %s?", name, near);
    else
        cp_diag_error(d, loc,
                      "%s: a type is string, number, bool, any, list(T), set(T), map(T), "
                      "object({ name = T, … }) or tuple([T, …])",
                      what);
    return NULL;
}

static cp_type *prim_type(const cp_expr *e, cp_diags *d)
{
    static const cp_type_kind kinds[] = { CP_TY_ANY, CP_TY_STRING, CP_TY_NUMBER, CP_TY_BOOL };
    for (size_t i = 0; prim_names[i]; i++)
        if (strcmp(e->u.var.name, prim_names[i]) == 0) return new_type(kinds[i]);
    char *what = cp_xasprintf("unknown type \"%s\"", e->u.var.name);
    type_error(d, e->loc, what, e->u.var.name);
    free(what);
    return NULL;
}

static const char *key_name(const cp_expr *k)
{
    if (k->kind == CP_E_LITERAL && cp_kind_of(k->u.literal) == CP_STRING)
        return cp_string_val(k->u.literal);
    if (k->kind == CP_E_VAR) return k->u.var.name;
    return NULL;
}

static cp_type *object_type(const cp_expr *o, cp_diags *d)
{
    cp_type *t = new_type(CP_TY_OBJECT);
    size_t n = o->u.object.keys.len;
    t->attr_names = cp_xcalloc(n + 1, sizeof *t->attr_names);
    t->attrs = cp_xcalloc(n + 1, sizeof *t->attrs);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const char *k = key_name(o->u.object.keys.items[i]);
        if (!k) {
            cp_diag_error(d, o->u.object.keys.items[i]->loc,
                          "an object type attribute must be "
                          "a plain name, like port = number");
            ok = false;
        }
        t->attr_names[i] = cp_xstrdup(k ? k : "");
        t->attrs[i] = cp_type_from_expr(o->u.object.vals.items[i], d);
        t->nattrs++;
        if (!t->attrs[i]) ok = false;
    }
    if (ok) return t;
    cp_type_free(t);
    return NULL;
}

static cp_type *tuple_type(const cp_expr *l, cp_diags *d)
{
    cp_type *t = new_type(CP_TY_TUPLE);
    t->attrs = cp_xcalloc(l->u.list.len + 1, sizeof *t->attrs);
    bool ok = true;
    for (size_t i = 0; i < l->u.list.len; i++) {
        t->attrs[i] = cp_type_from_expr(l->u.list.items[i], d);
        t->nattrs++;
        if (!t->attrs[i]) ok = false;
    }
    if (ok) return t;
    cp_type_free(t);
    return NULL;
}

static cp_type *call_type(const cp_expr *e, cp_diags *d)
{
    const char *n = e->u.call.name;
    const cp_expr_list *a = &e->u.call.args;
    bool coll = strcmp(n, "list") == 0 || strcmp(n, "set") == 0 || strcmp(n, "map") == 0;
    if (!coll && strcmp(n, "object") != 0 && strcmp(n, "tuple") != 0) {
        char *what = cp_xasprintf("unknown type \"%s(…)\"", n);
        type_error(d, e->u.call.name_loc, what, n);
        free(what);
        return NULL;
    }
    if (a->len != 1) {
        cp_diag_error(d, e->loc, "%s(…) takes exactly one type, like %s", n,
                      coll                       ? "list(string)"
                      : strcmp(n, "object") == 0 ? "object({ port = number })"
                                                 : "tuple([string, number])");
        return NULL;
    }
    const cp_expr *x = a->items[0];
    if (coll) {
        cp_type *el = cp_type_from_expr(x, d);
        if (!el) return NULL;
        cp_type *t = new_type(n[0] == 'l' ? CP_TY_LIST : n[0] == 's' ? CP_TY_SET : CP_TY_MAP);
        t->elem = el;
        return t;
    }
    if (n[0] == 'o' && x->kind == CP_E_OBJECT) return object_type(x, d);
    if (n[0] == 't' && x->kind == CP_E_LIST) return tuple_type(x, d);
    cp_diag_error(d, x->loc, "%s",
                  n[0] == 'o' ? "object(…) needs { name = type, … } inside"
                              : "tuple(…) needs [type, …] inside");
    return NULL;
}

cp_type *cp_type_from_expr(const cp_expr *e, cp_diags *d)
{
    switch (e->kind) {
    case CP_E_VAR:
        return prim_type(e, d);
    case CP_E_CALL:
        return call_type(e, d);
    case CP_E_PAREN:
        return cp_type_from_expr(e->u.paren, d);
    case CP_E_LITERAL:
        if (cp_kind_of(e->u.literal) == CP_STRING) {
            cp_diag_error(d, e->loc, "type names are not quoted: write %s, not \"%s\"",
                          cp_string_val(e->u.literal), cp_string_val(e->u.literal));
            return NULL;
        }
        return type_error(d, e->loc, "this is a value, not a type", NULL);
    case CP_E_TEMPLATE:
        return type_error(d, e->loc, "type names are not quoted", NULL);
    default:
        return type_error(d, e->loc, "this is not a type", NULL);
    }
}

/* --- rendering --------------------------------------------------------------------- */

void cp_type_render(cp_buf *out, const cp_type *t)
{
    static const char *names[] = { "any", "string", "number", "bool", "list", "set", "map" };
    switch (t->kind) {
    case CP_TY_LIST:
    case CP_TY_SET:
    case CP_TY_MAP:
        cp_buf_printf(out, "%s(", names[t->kind]);
        cp_type_render(out, t->elem);
        cp_buf_addc(out, ')');
        break;
    case CP_TY_OBJECT:
        cp_buf_adds(out, "object({");
        for (size_t i = 0; i < t->nattrs; i++) {
            cp_buf_printf(out, "%s%s = ", i ? ", " : "", t->attr_names[i]);
            cp_type_render(out, t->attrs[i]);
        }
        cp_buf_adds(out, "})");
        break;
    case CP_TY_TUPLE:
        cp_buf_adds(out, "tuple([");
        for (size_t i = 0; i < t->nattrs; i++) {
            if (i) cp_buf_adds(out, ", ");
            cp_type_render(out, t->attrs[i]);
        }
        cp_buf_adds(out, "])");
        break;
    default:
        cp_buf_adds(out, names[t->kind]);
        break;
    }
}

/* --- conversion ---------------------------------------------------------------------- */

typedef struct conv {
    cp_buf path; /* `attribute "a", element 2` */
    char **err;
    int hidden; /* inside a sensitive value: show no values in errors */
} conv;

static cp_value *convert(conv *cv, const cp_value *v, const cp_type *t);

static cp_value *conv_error(conv *cv, const char *need, const cp_value *v)
{
    cp_buf b;
    cp_buf_init(&b);
    if (cv->path.len) cp_buf_printf(&b, "%s: ", cv->path.data);
    cp_buf_printf(&b, "%s is required, got ", need);
    cp_kind k = cp_kind_of(v);
    if (k == CP_LIST || k == CP_MAP)
        cp_buf_adds(&b, cp_kind_article(k));
    else if (cv->hidden)
        cp_buf_adds(&b, "(sensitive value)");
    else
        cp_value_render(&b, v, false);
    *cv->err = cp_buf_steal(&b);
    return NULL;
}

/* Converts v at the path extended by `step`; restores the path after. */
static cp_value *convert_at(conv *cv, const cp_value *v, const cp_type *t, const char *step)
{
    size_t keep = cv->path.len;
    if (keep) cp_buf_adds(&cv->path, ", ");
    cp_buf_adds(&cv->path, step);
    cp_value *r = convert(cv, v, t);
    cv->path.len = keep;
    if (cv->path.data) cv->path.data[keep] = '\0';
    return r;
}

static cp_value *convert_list(conv *cv, const cp_value *v, const cp_type *t)
{
    if (cp_kind_of(v) != CP_LIST)
        return conv_error(cv, t->kind == CP_TY_SET ? "a set" : "a list", v);
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(v); i++) {
        char step[48];
        snprintf(step, sizeof step, "element %zu", i);
        cp_value *x = convert_at(cv, cp_list_get(v, i), t->elem, step);
        if (!x) {
            cp_release(out);
            return NULL;
        }
        cp_list_push_take(out, x);
    }
    if (t->kind != CP_TY_SET || cp_contains_unknown(out)) return out;
    cp_value *set = cp__set_of(out);
    cp_release(out);
    return set;
}

static cp_value *convert_map(conv *cv, const cp_value *v, const cp_type *t)
{
    if (cp_kind_of(v) != CP_MAP) return conv_error(cv, "a map", v);
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(v); i++) {
        char *step = cp_xasprintf("element \"%s\"", cp_map_key_at(v, i));
        cp_value *x = convert_at(cv, cp_map_value_at(v, i), t->elem, step);
        free(step);
        if (!x) {
            cp_release(out);
            return NULL;
        }
        cp_map_set_take(out, cp_map_key_at(v, i), x);
    }
    return out;
}

static cp_value *convert_object(conv *cv, const cp_value *v, const cp_type *t)
{
    if (cp_kind_of(v) != CP_MAP) return conv_error(cv, "an object", v);
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < t->nattrs; i++) {
        const char *name = t->attr_names[i];
        const cp_value *a = cp_map_get(v, name);
        char *step = cp_xasprintf("attribute \"%s\"", name);
        cp_value *x = NULL;
        if (a)
            x = convert_at(cv, a, t->attrs[i], step);
        else
            *cv->err = cv->path.len ? cp_xasprintf("%s: %s is required", cv->path.data, step)
                                    : cp_xasprintf("%s is required", step);
        free(step);
        if (!x) {
            cp_release(out);
            return NULL;
        }
        cp_map_set_take(out, name, x);
    }
    return out;
}

static cp_value *convert_tuple(conv *cv, const cp_value *v, const cp_type *t)
{
    if (cp_kind_of(v) != CP_LIST || cp_len(v) != t->nattrs) {
        char need[64];
        snprintf(need, sizeof need, "a tuple of %zu element%s", t->nattrs,
                 t->nattrs == 1 ? "" : "s");
        if (cp_kind_of(v) != CP_LIST) return conv_error(cv, need, v);
        *cv->err = cp_xasprintf("%s%s%s is required, got a list of %zu",
                                cv->path.data ? cv->path.data : "", cv->path.len ? ": " : "", need,
                                cp_len(v));
        return NULL;
    }
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < t->nattrs; i++) {
        char step[48];
        snprintf(step, sizeof step, "element %zu", i);
        cp_value *x = convert_at(cv, cp_list_get(v, i), t->attrs[i], step);
        if (!x) {
            cp_release(out);
            return NULL;
        }
        cp_list_push_take(out, x);
    }
    return out;
}

static cp_value *convert_known(conv *cv, const cp_value *v, const cp_type *t)
{
    cp_value *r;
    switch (t->kind) {
    case CP_TY_STRING:
        r = cp_to_string(v);
        return r ? r : conv_error(cv, "a string", v);
    case CP_TY_NUMBER:
        r = cp_to_number(v);
        return r ? r : conv_error(cv, "a number", v);
    case CP_TY_BOOL:
        r = cp_to_bool(v);
        return r ? r : conv_error(cv, "a bool", v);
    case CP_TY_LIST:
    case CP_TY_SET:
        return convert_list(cv, v, t);
    case CP_TY_MAP:
        return convert_map(cv, v, t);
    case CP_TY_OBJECT:
        return convert_object(cv, v, t);
    default:
        return convert_tuple(cv, v, t);
    }
}

static cp_value *convert(conv *cv, const cp_value *v, const cp_type *t)
{
    if (cp_is_unknown(v) || cp_is_null(v) || t->kind == CP_TY_ANY) return cp_retain(v);
    bool sensitive = cp_is_sensitive(v);
    cv->hidden += sensitive;
    cp_value *r = convert_known(cv, v, t);
    cv->hidden -= sensitive;
    return r ? cp_mark_like_take(r, v) : NULL;
}

cp_value *cp_type_convert(const cp_value *v, const cp_type *t, char **err)
{
    conv cv = { { 0 }, err, 0 };
    *err = NULL;
    cp_value *r = convert(&cv, v, t);
    cp_buf_free(&cv.path);
    return r;
}
