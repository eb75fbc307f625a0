/*
 * eval_for.c: `for` expressions and splats, the two forms that evaluate a
 * sub-expression once per element.
 *
 *   [for k, v in coll : val if cond]     lists: k = index; maps: k = key,
 *   {for k, v in coll : key => val…}     in sorted key order
 *   coll[*].attr                         list → list; null → []; x → [x]
 *
 * The bound names live in an ev_binding chain on the C stack, innermost
 * first, so they shadow outer names and the caller's lookup. An unknown
 * collection (or an unknown `if` result) makes the whole result unknown; a
 * sensitive collection marks every element and the result.
 */
#include "lang/eval_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>

typedef struct for_acc {
    cp_value *out; /* list, or map (key → value, or key → list when grouping) */
    bool ok, unknown;
    bool sensitive; /* a key was sensitive: the whole result is */
} for_acc;

/* The `if` filter: 1 keep, 0 skip, -1 unknown, -2 error. */
static int filter(const ev_state *st, const cp_expr *cond)
{
    if (!cond) return 1;
    cp_value *c = ev_expr(st, cond);
    if (!c) return -2;
    int r;
    cp_value *b = cp_is_unknown(c) ? NULL : cp_to_bool(c);
    if (cp_is_unknown(c))
        r = -1;
    else if (!b) {
        ev_error(st, cond->loc, "the \"if\" condition of a for expression must be a bool, got %s",
                 cp_kind_article(cp_kind_of(c)));
        r = -2;
    } else
        r = cp_bool_val(b) ? 1 : 0;
    cp_release(b);
    cp_release(c);
    return r;
}

/* Adds key => val to a map result (val consumed). */
static void add_map_item_take(const ev_state *st, const cp_expr *e, for_acc *acc, cp_value *key,
                              cp_value *val)
{
    const char *k = cp_string_val(key);
    const cp_value *have = cp_map_get(acc->out, k);
    if (e->u.forx.group) {
        if (!have) {
            cp_map_set_take(acc->out, k, cp_list_new());
            have = cp_map_get(acc->out, k);
        }
        /* The group list is fresh and owned by acc->out alone: still unshared. */
        cp_list_push_take((cp_value *)have, val);
        return;
    }
    if (have) {
        char *r = cp_value_repr(key);
        ev_error(st, e->u.forx.key->loc,
                 "duplicate key %s in for expression: add \"...\" "
                 "after the value to group values with the same key",
                 r);
        free(r);
        acc->ok = false;
        cp_release(val);
        return;
    }
    cp_map_set_take(acc->out, k, val);
}

static void one_map_item(const ev_state *st, const cp_expr *e, for_acc *acc)
{
    cp_value *kv = ev_expr(st, e->u.forx.key);
    cp_value *val = ev_expr(st, e->u.forx.val);
    cp_value *key = kv && !cp_is_unknown(kv) ? cp_to_string(kv) : NULL;
    if (!kv || !val)
        acc->ok = false;
    else if (cp_is_unknown(kv))
        acc->unknown = true;
    else if (!key) {
        ev_error(st, e->u.forx.key->loc, "a for expression key must be a string, got %s",
                 cp_kind_article(cp_kind_of(kv)));
        acc->ok = false;
    } else {
        acc->sensitive |= cp_is_sensitive(key);
        add_map_item_take(st, e, acc, key, cp_retain(val));
    }
    cp_release(key);
    cp_release(kv);
    cp_release(val);
}

/* One iteration with k and v bound. */
static void one_item(const ev_state *st, const cp_expr *e, for_acc *acc, const cp_value *k,
                     const cp_value *v)
{
    ev_binding bv = { e->u.forx.val_var, v, st->scope };
    ev_binding bk = { e->u.forx.key_var, k, &bv };
    ev_state in = *st;
    in.scope = e->u.forx.key_var ? &bk : &bv;
    int f = filter(&in, e->u.forx.cond);
    if (f == -2) {
        acc->ok = false;
        return;
    }
    if (f == -1) {
        acc->unknown = true;
        return;
    }
    if (f == 0) return;
    if (e->u.forx.is_map) {
        one_map_item(&in, e, acc);
        return;
    }
    cp_value *val = ev_expr(&in, e->u.forx.val);
    if (val)
        cp_list_push_take(acc->out, val);
    else
        acc->ok = false;
}

static void iterate(const ev_state *st, const cp_expr *e, const cp_value *coll, for_acc *acc)
{
    bool list = cp_kind_of(coll) == CP_LIST;
    for (size_t i = 0; i < cp_len(coll) && acc->ok; i++) {
        cp_value *k = list ? cp_number((double)i) : cp_string(cp_map_key_at(coll, i));
        const cp_value *raw = list ? cp_list_get(coll, i) : cp_map_value_at(coll, i);
        cp_value *v = cp_mark_like_take(cp_retain(raw), coll);
        k = cp_mark_like_take(k, coll);
        one_item(st, e, acc, k, v);
        cp_release(k);
        cp_release(v);
    }
}

cp_value *ev_for(const ev_state *st, const cp_expr *e)
{
    cp_value *coll = ev_expr(st, e->u.forx.coll);
    if (!coll) return NULL;
    cp_kind kind = cp_kind_of(coll);
    cp_value *r = NULL;
    if (kind == CP_UNKNOWN)
        r = cp_unknown();
    else if (kind == CP_NULL)
        ev_error(st, e->u.forx.coll->loc,
                 "cannot iterate over null: the value after \"in\" is "
                 "null");
    else if (kind != CP_LIST && kind != CP_MAP)
        ev_error(st, e->u.forx.coll->loc,
                 "cannot iterate over %s: a for expression needs a list "
                 "or a map after \"in\"",
                 cp_kind_article(kind));
    else {
        for_acc acc = { e->u.forx.is_map ? cp_map_new() : cp_list_new(), true, false, false };
        iterate(st, e, coll, &acc);
        if (acc.ok && !acc.unknown)
            r = cp_retain(acc.out);
        else if (acc.ok)
            r = cp_unknown();
        cp_release(acc.out);
        if (r && acc.sensitive) r = ev_sensitive_take(r);
    }
    if (r) r = cp_mark_like_take(r, coll);
    cp_release(coll);
    return r;
}

/* --- splat ------------------------------------------------------------------------- */

static cp_value *splat_each(const ev_state *st, const cp_expr *each, const cp_value *item)
{
    if (!each) return cp_retain(item);
    ev_state in = *st;
    in.splat_item = item;
    return ev_expr(&in, each);
}

cp_value *ev_splat(const ev_state *st, const cp_expr *e)
{
    cp_value *obj = ev_expr(st, e->u.splat.obj);
    if (!obj) return NULL;
    if (cp_is_unknown(obj)) return obj;
    cp_value *out = cp_list_new();
    bool ok = true;
    if (cp_kind_of(obj) == CP_LIST) {
        for (size_t i = 0; i < cp_len(obj) && ok; i++) {
            cp_value *item = cp_mark_like_take(cp_retain(cp_list_get(obj, i)), obj);
            cp_value *v = splat_each(st, e->u.splat.each, item);
            if (v)
                cp_list_push_take(out, v);
            else
                ok = false;
            cp_release(item);
        }
    } else if (!cp_is_null(obj)) {
        cp_value *v = splat_each(st, e->u.splat.each, obj);
        if (v)
            cp_list_push_take(out, v);
        else
            ok = false;
    }
    if (!ok) {
        cp_release(out);
        out = NULL;
    }
    if (out) out = cp_mark_like_take(out, obj);
    cp_release(obj);
    return out;
}
