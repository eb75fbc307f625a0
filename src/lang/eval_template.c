/*
 * eval_template.c: evaluation of string templates and their directives.
 *
 *   "a ${x} b"                     parts joined as a string
 *   "${x}"                         x itself, unconverted (as HCL)
 *   %{ if c }a%{ else }b%{ endif } a or b; c must be a bool
 *   %{ for k, v in coll }…%{ endfor }  the body once per element, joined;
 *                                  k = index (lists) or key (maps, sorted)
 *
 * Directive bodies are CP_E_TEMPLATE nodes rendered as strings, so a body
 * that is one ${ } still converts its value. An unknown part, condition or
 * collection makes the whole result unknown ("known after apply"); a
 * sensitive one marks it sensitive. Untaken branches are not evaluated.
 * Only evaluates (through ev_expr) and reports errors; never frees the tree.
 */
#include "lang/eval_internal.h"

#include <stdlib.h>

typedef struct tmpl_acc {
    cp_buf out;
    bool ok, unknown, sensitive;
} tmpl_acc;

/* Append one interpolated value; false after reporting an error. */
static bool template_part(const ev_state *st, cp_buf *out, const cp_value *v, cp_loc loc)
{
    cp_value *s;
    switch (cp_kind_of(v)) {
    case CP_NULL:
        ev_error(st, loc,
                 "cannot use null in a string template: an interpolated value must be "
                 "a string, number or bool");
        return false;
    case CP_LIST:
    case CP_MAP:
        ev_error(st, loc,
                 "cannot use %s in a string template: use join() or jsonencode() to "
                 "make a string of it",
                 cp_kind_article(cp_kind_of(v)));
        return false;
    default:
        s = cp_to_string(v);
        cp_buf_add(out, cp_string_val(s), cp_string_len(s));
        cp_release(s);
        return true;
    }
}

/* Renders each part into acc (all parts, so every error is reported). */
static void render_parts(const ev_state *st, const cp_expr_list *parts, tmpl_acc *acc)
{
    for (size_t i = 0; i < parts->len; i++) {
        cp_value *v = ev_expr(st, parts->items[i]);
        if (!v) {
            acc->ok = false;
            continue;
        }
        acc->sensitive |= cp_contains_sensitive(v);
        if (cp_is_unknown(v))
            acc->unknown = true;
        else
            acc->ok = template_part(st, &acc->out, v, parts->items[i]->loc) && acc->ok;
        cp_release(v);
    }
}

/* The result of acc (freed): NULL, unknown, or the string. */
static cp_value *acc_result(tmpl_acc *acc)
{
    cp_value *r = NULL;
    if (acc->ok)
        r = acc->unknown ? cp_unknown()
                         : cp_string_n(acc->out.data ? acc->out.data : "", acc->out.len);
    cp_buf_free(&acc->out);
    return r && acc->sensitive ? ev_sensitive_take(r) : r;
}

cp_value *ev_template(const ev_state *st, const cp_expr *e)
{
    const cp_expr_list *parts = &e->u.list;
    if (parts->len == 1 && parts->items[0]->kind != CP_E_LITERAL)
        return ev_expr(st, parts->items[0]);
    tmpl_acc acc = { { 0 }, true, false, false };
    render_parts(st, parts, &acc);
    return acc_result(&acc);
}

/* A directive's body as a string (NULL body: ""). */
static cp_value *render_body(const ev_state *st, const cp_expr *body)
{
    if (!body) return cp_string("");
    tmpl_acc acc = { { 0 }, true, false, false };
    render_parts(st, &body->u.list, &acc);
    return acc_result(&acc);
}

cp_value *ev_tmpl_if(const ev_state *st, const cp_expr *e)
{
    const cp_expr *pred = e->u.cond.pred;
    cp_value *c = ev_expr(st, pred);
    if (!c) return NULL;
    cp_value *r = NULL;
    cp_value *b = cp_to_bool(c);
    if (cp_is_unknown(c))
        r = cp_unknown();
    else if (cp_is_null(c))
        ev_error(st, pred->loc, "the %%{ if } condition is null; it must be true or false");
    else if (!b)
        ev_error(st, pred->loc,
                 "the %%{ if } condition must be a bool, got %s; compare it (x == \"yes\") "
                 "or pass true or false",
                 cp_kind_article(cp_kind_of(c)));
    else
        r = render_body(st, cp_bool_val(b) ? e->u.cond.a : e->u.cond.b);
    if (r) r = cp_mark_like_take(r, c);
    cp_release(b);
    cp_release(c);
    return r;
}

/* The body once with k and v bound (borrowed). */
static void one_round(const ev_state *st, const cp_expr *e, const cp_value *k, const cp_value *v,
                      tmpl_acc *acc)
{
    ev_binding bv = { e->u.forx.val_var, v, st->scope };
    ev_binding bk = { e->u.forx.key_var, k, &bv };
    ev_state in = *st;
    in.scope = e->u.forx.key_var ? &bk : &bv;
    render_parts(&in, &e->u.forx.val->u.list, acc);
}

static void each_element(const ev_state *st, const cp_expr *e, const cp_value *coll, tmpl_acc *acc)
{
    bool list = cp_kind_of(coll) == CP_LIST;
    for (size_t i = 0; i < cp_len(coll) && acc->ok; i++) {
        cp_value *k = list ? cp_number((double)i) : cp_string(cp_map_key_at(coll, i));
        const cp_value *raw = list ? cp_list_get(coll, i) : cp_map_value_at(coll, i);
        cp_value *v = cp_mark_like_take(cp_retain(raw), coll);
        k = cp_mark_like_take(k, coll);
        one_round(st, e, k, v, acc);
        cp_release(k);
        cp_release(v);
    }
}

cp_value *ev_tmpl_for(const ev_state *st, const cp_expr *e)
{
    const cp_expr *cx = e->u.forx.coll;
    cp_value *coll = ev_expr(st, cx);
    if (!coll) return NULL;
    cp_kind kind = cp_kind_of(coll);
    cp_value *r = NULL;
    if (kind == CP_UNKNOWN)
        r = cp_unknown();
    else if (kind == CP_NULL)
        ev_error(st, cx->loc,
                 "cannot iterate over null: the value after \"in\" of this %%{ for } "
                 "is null");
    else if (kind != CP_LIST && kind != CP_MAP)
        ev_error(st, cx->loc,
                 "cannot iterate over %s: %%{ for } needs a list or a map after \"in\"",
                 cp_kind_article(kind));
    else {
        tmpl_acc acc = { { 0 }, true, false, false };
        each_element(st, e, coll, &acc);
        r = acc_result(&acc);
    }
    if (r) r = cp_mark_like_take(r, coll);
    cp_release(coll);
    return r;
}
