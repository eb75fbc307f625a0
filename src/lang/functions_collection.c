/*
 * functions_collection.c: built-ins that pick from or rearrange lists and
 * maps without looking into their elements: length concat merge lookup
 * keys values contains element slice reverse zipmap. Most are FN_STRUCT
 * (see functions_list.h): their results reuse the argument elements, which
 * keep their own unknown and sensitive marks.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>

cp_value *cp_fn_length(const cp_fn_call *c)
{
    const cp_value *v = c->args[0];
    if (cp_kind_of(v) == CP_STRING)
        return cp_number((double)cp__utf8_count(cp_string_val(v), cp_string_len(v)));
    return cp_number((double)cp_len(v));
}

cp_value *cp_fn_concat(const cp_fn_call *c)
{
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < c->nargs; i++)
        for (size_t k = 0; k < cp_len(c->args[i]); k++)
            cp_list_push_take(out, cp_retain(cp_list_get(c->args[i], k)));
    return out;
}

cp_value *cp_fn_merge(const cp_fn_call *c)
{
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < c->nargs; i++) {
        if (cp_is_null(c->args[i])) continue; /* merge skips null maps */
        for (size_t k = 0; k < cp_len(c->args[i]); k++)
            cp_map_set_take(out, cp_map_key_at(c->args[i], k),
                            cp_retain(cp_map_value_at(c->args[i], k)));
    }
    return out;
}

cp_value *cp_fn_lookup(const cp_fn_call *c)
{
    const cp_value *v = cp_map_get(c->args[0], cp_string_val(c->args[1]));
    if (v) return cp_retain(v);
    if (c->nargs == 3) return cp_retain(c->args[2]);
    char *k = cp_value_repr(c->args[1]);
    cp__fn_arg_error(c, 1,
                     "no key %s in the map, and no default was given: add a third "
                     "argument for the default",
                     k);
    free(k);
    return NULL;
}

cp_value *cp_fn_keys(const cp_fn_call *c)
{
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(c->args[0]); i++)
        cp_list_push_take(out, cp_string(cp_map_key_at(c->args[0], i)));
    return out;
}

cp_value *cp_fn_values(const cp_fn_call *c)
{
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(c->args[0]); i++)
        cp_list_push_take(out, cp_retain(cp_map_value_at(c->args[0], i)));
    return out;
}

cp_value *cp_fn_contains(const cp_fn_call *c)
{
    for (size_t i = 0; i < cp_len(c->args[0]); i++)
        if (cp_equal(cp_list_get(c->args[0], i), c->args[1])) return cp_bool(true);
    return cp_bool(false);
}

cp_value *cp_fn_element(const cp_fn_call *c)
{
    long long i;
    size_t n = cp_len(c->args[0]);
    if (n == 0) return cp__fn_arg_error(c, 0, "cannot take an element of an empty list");
    if (!cp__fn_int_arg(c, 1, 0, 9e15, &i)) return NULL;
    return cp_retain(cp_list_get(c->args[0], (size_t)i % n));
}

cp_value *cp_fn_slice(const cp_fn_call *c)
{
    size_t n = cp_len(c->args[0]);
    long long a, b;
    if (!cp__fn_int_arg(c, 1, 0, (double)n, &a) || !cp__fn_int_arg(c, 2, 0, (double)n, &b))
        return NULL;
    if (a > b)
        return cp__fn_arg_error(c, 1, "the start index %lld is after the end index %lld", a, b);
    cp_value *out = cp_list_new();
    for (long long i = a; i < b; i++)
        cp_list_push_take(out, cp_retain(cp_list_get(c->args[0], (size_t)i)));
    return out;
}

cp_value *cp_fn_reverse(const cp_fn_call *c)
{
    cp_value *out = cp_list_new();
    for (size_t i = cp_len(c->args[0]); i > 0; i--)
        cp_list_push_take(out, cp_retain(cp_list_get(c->args[0], i - 1)));
    return out;
}

cp_value *cp_fn_zipmap(const cp_fn_call *c)
{
    const cp_value *k = c->args[0], *v = c->args[1];
    if (cp_contains_unknown(k)) return cp_unknown();
    if (cp_len(k) != cp_len(v))
        return cp__fn_error(c, "the lists of keys and values have different lengths, %zu and %zu",
                            cp_len(k), cp_len(v));
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(k); i++)
        cp_map_set_take(out, cp_string_val(cp_list_get(k, i)), cp_retain(cp_list_get(v, i)));
    for (size_t i = 0; i < cp_len(k); i++)
        if (cp_is_sensitive(cp_list_get(k, i))) {
            cp_value *m = cp_mark_sensitive(out);
            cp_release(out);
            return m;
        }
    return out;
}
