/*
 * functions_sequence.c: built-ins that look at list elements to choose or
 * order them: coalesce coalescelist compact flatten distinct sort range.
 * Elements are compared with cp_compare (deep, marks ignored).
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RANGE_MAX 1048576

cp_value *cp_fn_coalesce(const cp_fn_call *c)
{
    for (size_t i = 0; i < c->nargs; i++) {
        const cp_value *v = c->args[i];
        if (cp_is_null(v) || (cp_kind_of(v) == CP_STRING && cp_string_len(v) == 0)) continue;
        return cp_retain(v);
    }
    if (c->nargs == 1)
        return cp__fn_error(c, "its only argument is null or an empty string: give one with a "
                               "value");
    return cp__fn_error(c,
                        "all %zu arguments are null or empty strings: give at least one "
                        "with a value",
                        c->nargs);
}

cp_value *cp_fn_coalescelist(const cp_fn_call *c)
{
    for (size_t i = 0; i < c->nargs; i++)
        if (cp_len(c->args[i]) > 0) return cp_retain(c->args[i]);
    return cp__fn_error(c, "all %zu lists are empty: give at least one non-empty list", c->nargs);
}

cp_value *cp_fn_compact(const cp_fn_call *c)
{
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(c->args[0]); i++) {
        const cp_value *e = cp_list_get(c->args[0], i);
        if (cp_is_null(e)) continue;
        cp_value *s = cp_to_string(e);
        if (!s) {
            cp_release(out);
            return cp__fn_arg_error(c, 0,
                                    "argument 1 must be a list of strings, but element %zu "
                                    "is %s",
                                    i, cp_kind_article(cp_kind_of(e)));
        }
        if (cp_string_len(s) > 0)
            cp_list_push_take(out, s);
        else
            cp_release(s);
    }
    return out;
}

static void flatten_into(cp_value *out, const cp_value *l)
{
    for (size_t i = 0; i < cp_len(l); i++) {
        const cp_value *e = cp_list_get(l, i);
        if (cp_kind_of(e) == CP_LIST)
            flatten_into(out, e);
        else
            cp_list_push_take(out, cp_retain(e));
    }
}

cp_value *cp_fn_flatten(const cp_fn_call *c)
{
    cp_value *out = cp_list_new();
    flatten_into(out, c->args[0]);
    return out;
}

/* --- ordering ------------------------------------------------------------------ */

typedef struct ranked {
    const cp_value *v;
    size_t at;
} ranked;

static int by_value_then_position(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int c = cp_compare(x->v, y->v);
    return c ? c : (x->at < y->at ? -1 : x->at > y->at);
}

static int by_position(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The elements of l, sorted and without repeats; in first-seen order
 * instead when keep_order. */
static cp_value *unique(const cp_value *l, bool keep_order)
{
    size_t n = cp_len(l), m = 0;
    ranked *r = cp_xcalloc(n + 1, sizeof *r);
    for (size_t i = 0; i < n; i++) r[i] = (ranked){ cp_list_get(l, i), i };
    qsort(r, n, sizeof *r, by_value_then_position);
    for (size_t i = 0; i < n; i++)
        if (m == 0 || !cp_equal(r[m - 1].v, r[i].v)) r[m++] = r[i];
    if (keep_order) qsort(r, m, sizeof *r, by_position);
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < m; i++) cp_list_push_take(out, cp_retain(r[i].v));
    free(r);
    return out;
}

cp_value *cp_fn_distinct(const cp_fn_call *c) { return unique(c->args[0], true); }

cp_value *cp__set_of(const cp_value *l) { return unique(l, false); }

static int by_string(const void *a, const void *b)
{
    return cp_compare(*(cp_value *const *)a, *(cp_value *const *)b);
}

cp_value *cp_fn_sort(const cp_fn_call *c)
{
    size_t n = cp_len(c->args[0]);
    cp_value **v = cp_xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (cp_value *)cp_list_get(c->args[0], i);
    qsort(v, n, sizeof *v, by_string);
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < n; i++) cp_list_push_take(out, cp_retain(v[i]));
    free(v);
    return out;
}

/* --- range ------------------------------------------------------------------------ */

cp_value *cp_fn_range(const cp_fn_call *c)
{
    double start = 0, limit, step;
    if (c->nargs == 1)
        limit = cp_number_val(c->args[0]);
    else {
        start = cp_number_val(c->args[0]);
        limit = cp_number_val(c->args[1]);
    }
    step = c->nargs == 3 ? cp_number_val(c->args[2]) : start <= limit ? 1 : -1;
    if (step == 0) return cp__fn_arg_error(c, 2, "the step must not be 0");
    double count = (step > 0 && start < limit) || (step < 0 && start > limit)
                       ? ceil((limit - start) / step)
                       : 0;
    if (count > RANGE_MAX)
        return cp__fn_error(c, "would make %.0f numbers, more than the limit of %d", count,
                            RANGE_MAX);
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < (size_t)count; i++)
        cp_list_push_take(out, cp_number(start + step * (double)i));
    return out;
}
