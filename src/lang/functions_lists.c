/*
 * functions_lists.c: list and set built-ins that look into elements:
 * alltrue anytrue chunklist index matchkeys one transpose, and the set
 * algebra setunion setintersection setsubtract setproduct. There is no set
 * kind of value: a set is a list without repeats, sorted (cp__set_of), so
 * the set functions return sorted distinct lists; setproduct keeps the
 * order of its arguments. Elements are compared with cp_equal (deep, marks
 * ignored). Touches nothing but its arguments.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define PRODUCT_MAX 1048576

/* --- bools ------------------------------------------------------------------ */

/* Element i of argument 0 as a bool: 1, 0 (null too, as in Terraform), or
 * -1 after reporting. */
static int bool_elem(const cp_fn_call *c, size_t i)
{
    const cp_value *e = cp_list_get(c->args[0], i);
    if (cp_is_null(e)) return 0;
    cp_value *b = cp_to_bool(e);
    if (!b) {
        cp__fn_arg_error(c, 0, "argument 1 must be a list of bools, but element %zu is %s", i,
                         cp_kind_article(cp_kind_of(e)));
        return -1;
    }
    int r = cp_bool_val(b);
    cp_release(b);
    return r;
}

/* alltrue (want = true) and anytrue (want = false). */
static cp_value *all_or_any(const cp_fn_call *c, bool all)
{
    bool decided = false;
    for (size_t i = 0; i < cp_len(c->args[0]); i++) {
        int b = bool_elem(c, i);
        if (b < 0) return NULL;
        if ((bool)b != all) decided = true;
    }
    return cp_bool(all ? !decided : decided);
}

cp_value *cp_fn_alltrue(const cp_fn_call *c) { return all_or_any(c, true); }
cp_value *cp_fn_anytrue(const cp_fn_call *c) { return all_or_any(c, false); }

/* --- picking ------------------------------------------------------------------- */

cp_value *cp_fn_chunklist(const cp_fn_call *c)
{
    long long size;
    if (!cp__fn_int_arg(c, 1, 0, 9e15, &size)) return NULL;
    const cp_value *l = c->args[0];
    size_t n = cp_len(l), step = size == 0 ? n : (size_t)size;
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < n; i += step) {
        cp_value *chunk = cp_list_new();
        for (size_t k = i; k < i + step && k < n; k++)
            cp_list_push_take(chunk, cp_retain(cp_list_get(l, k)));
        cp_list_push_take(out, chunk);
    }
    return out;
}

cp_value *cp_fn_index(const cp_fn_call *c)
{
    for (size_t i = 0; i < cp_len(c->args[0]); i++)
        if (cp_equal(cp_list_get(c->args[0], i), c->args[1])) return cp_number((double)i);
    char *shown = cp_is_sensitive(c->args[1]) ? cp_xstrdup("the value") : cp_value_repr(c->args[1]);
    cp__fn_arg_error(c, 1, "%s is not an element of the list", shown);
    free(shown);
    return NULL;
}

static bool in_list(const cp_value *l, const cp_value *v)
{
    for (size_t i = 0; i < cp_len(l); i++)
        if (cp_equal(cp_list_get(l, i), v)) return true;
    return false;
}

cp_value *cp_fn_matchkeys(const cp_fn_call *c)
{
    const cp_value *vals = c->args[0], *keys = c->args[1];
    if (cp_len(vals) != cp_len(keys))
        return cp__fn_error(c, "the lists of values and keys have different lengths, %zu and %zu",
                            cp_len(vals), cp_len(keys));
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(keys); i++)
        if (in_list(c->args[2], cp_list_get(keys, i)))
            cp_list_push_take(out, cp_retain(cp_list_get(vals, i)));
    return out;
}

cp_value *cp_fn_one(const cp_fn_call *c)
{
    size_t n = cp_len(c->args[0]);
    if (n == 0) return cp_null();
    if (n == 1) return cp_retain(cp_list_get(c->args[0], 0));
    return cp__fn_arg_error(c, 0, "the list has %zu elements; one() takes a list of zero or one",
                            n);
}

/* transpose: { k = [v…] } to { v = [k…] }, keys in sorted order. */
static bool transpose_into(const cp_fn_call *c, cp_value *out, const char *key, const cp_value *l)
{
    if (cp_kind_of(l) != CP_LIST) {
        cp__fn_arg_error(c, 0, "argument 1 must be a map of lists of strings, but \"%s\" is %s",
                         key, cp_kind_article(cp_kind_of(l)));
        return false;
    }
    for (size_t i = 0; i < cp_len(l); i++) {
        cp_value *s = cp_to_string(cp_list_get(l, i));
        if (!s) {
            cp__fn_arg_error(c, 0,
                             "argument 1 must be a map of lists of strings, but \"%s\" "
                             "element %zu is %s",
                             key, i, cp_kind_article(cp_kind_of(cp_list_get(l, i))));
            return false;
        }
        cp_value *dest = (cp_value *)cp_map_get(out, cp_string_val(s));
        if (!dest) {
            dest = cp_list_new();
            cp_map_set_take(out, cp_string_val(s), dest);
        }
        cp_list_push_take(dest, cp_string(key));
        cp_release(s);
    }
    return true;
}

cp_value *cp_fn_transpose(const cp_fn_call *c)
{
    cp_value *out = cp_map_new();
    const cp_value *m = c->args[0];
    for (size_t i = 0; i < cp_len(m); i++)
        if (!transpose_into(c, out, cp_map_key_at(m, i), cp_map_value_at(m, i))) {
            cp_release(out);
            return NULL;
        }
    return out;
}

/* --- sets ---------------------------------------------------------------------- */

cp_value *cp_fn_setunion(const cp_fn_call *c)
{
    cp_value *all = cp_list_new();
    for (size_t i = 0; i < c->nargs; i++)
        for (size_t k = 0; k < cp_len(c->args[i]); k++)
            cp_list_push_take(all, cp_retain(cp_list_get(c->args[i], k)));
    cp_value *r = cp__set_of(all);
    cp_release(all);
    return r;
}

/* The elements of argument 0 that are (keep) or are not (!keep) in every
 * other argument. */
static cp_value *filter(const cp_fn_call *c, bool keep)
{
    cp_value *out = cp_list_new();
    const cp_value *first = c->args[0];
    for (size_t k = 0; k < cp_len(first); k++) {
        const cp_value *e = cp_list_get(first, k);
        bool everywhere = true, anywhere = false;
        for (size_t i = 1; i < c->nargs; i++) {
            bool in = in_list(c->args[i], e);
            everywhere &= in;
            anywhere |= in;
        }
        if (keep ? everywhere : !anywhere) cp_list_push_take(out, cp_retain(e));
    }
    cp_value *r = cp__set_of(out);
    cp_release(out);
    return r;
}

cp_value *cp_fn_setintersection(const cp_fn_call *c) { return filter(c, true); }
cp_value *cp_fn_setsubtract(const cp_fn_call *c) { return filter(c, false); }

/* Appends to out every combination of the elements of args[i…], after
 * the elements already in prefix. */
static void product(const cp_fn_call *c, size_t i, const cp_value **prefix, cp_value *out)
{
    if (i == c->nargs) {
        cp_value *t = cp_list_new();
        for (size_t k = 0; k < c->nargs; k++) cp_list_push_take(t, cp_retain(prefix[k]));
        cp_list_push_take(out, t);
        return;
    }
    for (size_t k = 0; k < cp_len(c->args[i]); k++) {
        prefix[i] = cp_list_get(c->args[i], k);
        product(c, i + 1, prefix, out);
    }
}

cp_value *cp_fn_setproduct(const cp_fn_call *c)
{
    double total = 1;
    for (size_t i = 0; i < c->nargs; i++) total *= (double)cp_len(c->args[i]);
    if (total > PRODUCT_MAX)
        return cp__fn_error(c, "would make %.0f combinations, more than the limit of %d", total,
                            PRODUCT_MAX);
    const cp_value **prefix = cp_xcalloc(c->nargs, sizeof *prefix);
    cp_value *out = cp_list_new();
    if (total > 0) product(c, 0, prefix, out);
    free(prefix);
    return out;
}
