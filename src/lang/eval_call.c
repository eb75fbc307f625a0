/*
 * eval_call.c: function calls. Arguments are evaluated here (a trailing
 * `...` spreads a list into separate arguments) and handed to the built-ins
 * of functions.c together with their locations, so a bad argument is
 * reported under that argument.
 *
 * try() and can() are special: they take expressions, not values, and
 * evaluate them one by one with their errors caught in a private cp_diags.
 */
#include "lang/eval_internal.h"
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct arg_vec {
    cp_value **vals;
    cp_loc *locs;
    size_t len, cap, lcap;
} arg_vec;

static void arg_push(arg_vec *a, cp_value *v, cp_loc loc)
{
    CP_GROW(a->vals, a->len + 1, a->cap);
    CP_GROW(a->locs, a->len + 1, a->lcap);
    a->vals[a->len] = v;
    a->locs[a->len++] = loc;
}

static void arg_free(arg_vec *a)
{
    for (size_t i = 0; i < a->len; i++) cp_release(a->vals[i]);
    free(a->vals);
    free(a->locs);
}

/* Spread the list v (the last argument, followed by `...`). 1 ok, 0 error,
 * -1 unknown. */
static int expand(const ev_state *st, const cp_expr *x, const cp_value *v, arg_vec *a)
{
    if (cp_is_unknown(v)) return -1;
    if (cp_kind_of(v) != CP_LIST) {
        ev_error(st, x->loc,
                 "cannot expand %s with \"...\": only a list can be spread into "
                 "arguments",
                 cp_kind_article(cp_kind_of(v)));
        return 0;
    }
    for (size_t i = 0; i < cp_len(v); i++)
        arg_push(a, cp_mark_like_take(cp_retain(cp_list_get(v, i)), v), x->loc);
    return 1;
}

/* Evaluates every argument; false after an error. *unknown when a spread
 * list is unknown (the argument count is then unknown too). */
static bool eval_args(const ev_state *st, const cp_expr *e, arg_vec *a, bool *unknown)
{
    const cp_expr_list *args = &e->u.call.args;
    bool ok = true;
    for (size_t i = 0; i < args->len; i++) {
        const cp_expr *x = args->items[i];
        cp_value *v = ev_expr(st, x);
        if (!v) {
            ok = false;
            continue;
        }
        if (e->u.call.expand_last && i + 1 == args->len) {
            int r = expand(st, x, v, a);
            if (r == 0) ok = false;
            if (r < 0) *unknown = true;
            cp_release(v);
        } else {
            arg_push(a, v, x->loc);
        }
    }
    return ok;
}

/* --- try and can ---------------------------------------------------------------- */

/* Evaluates e with errors caught: returns the value or NULL; on failure
 * *msg receives the first error's message (malloc'd) if msg is given. */
static cp_value *eval_caught(const ev_state *st, const cp_expr *e, char **msg)
{
    cp_diags caught;
    cp_diags_init(&caught);
    cp_eval_ctx sub = *st->ctx;
    sub.diags = &caught;
    ev_state in = *st;
    in.ctx = &sub;
    cp_value *v = ev_expr(&in, e);
    if (!v && msg && caught.len > 0) {
        free(*msg);
        *msg = cp_xstrdup(caught.items[0].msg);
    }
    cp_diags_free(&caught);
    return v;
}

static cp_value *ev_try(const ev_state *st, const cp_expr *e)
{
    const cp_expr_list *args = &e->u.call.args;
    if (args->len == 0) return ev_error(st, e->loc, "try: needs at least 1 argument, got none");
    char *last = NULL;
    for (size_t i = 0; i < args->len; i++) {
        cp_value *v = eval_caught(st, args->items[i], &last);
        if (!v) continue;
        free(last);
        if (cp_contains_unknown(v) && !cp_is_unknown(v)) {
            cp_value *u = cp_mark_like_take(cp_unknown(), v);
            cp_release(v);
            return u;
        }
        return v;
    }
    ev_error(st, e->loc,
             "try: none of its %zu argument%s could be evaluated; the last one "
             "failed with: %s",
             args->len, args->len == 1 ? "" : "s", last ? last : "an error");
    free(last);
    return NULL;
}

static cp_value *ev_can(const ev_state *st, const cp_expr *e)
{
    const cp_expr_list *args = &e->u.call.args;
    if (args->len != 1)
        return ev_error(st, e->loc, "can: needs exactly 1 argument, got %zu", args->len);
    cp_value *v = eval_caught(st, args->items[0], NULL);
    if (!v) return cp_bool(false);
    cp_value *r = cp_contains_unknown(v) ? cp_unknown() : cp_bool(true);
    cp_release(v);
    return r;
}

/* --- calls ---------------------------------------------------------------------------- */

cp_value *ev_call(const ev_state *st, const cp_expr *e)
{
    const char *name = e->u.call.name;
    bool lazy = strcmp(name, "try") == 0 || strcmp(name, "can") == 0;
    if (lazy && e->u.call.expand_last)
        return ev_error(st, e->loc,
                        "%s: \"...\" cannot be used here: %s takes expressions, "
                        "not a list of values",
                        name, name);
    if (strcmp(name, "try") == 0) return ev_try(st, e);
    if (strcmp(name, "can") == 0) return ev_can(st, e);
    if (!cp_function_exists(name)) return cp__unknown_function(st->ctx, name, e->u.call.name_loc);
    arg_vec a = { 0 };
    bool unknown = false;
    cp_value *r = NULL;
    if (eval_args(st, e, &a, &unknown)) {
        if (unknown)
            r = ev_mark_deep_take(cp_unknown(), (const cp_value *const *)a.vals, a.len);
        else
            r = cp__call(st->ctx, name, e->loc, a.vals, a.locs, a.len);
    }
    arg_free(&a);
    return r;
}
