/*
 * value_ops.c: marks, deep queries, comparison and rendering of cp_values.
 * Kept apart from value.c so that file stays about storage alone.
 */
#include "lang/value.h"
#include "lang/value_internal.h"
#include "util/check.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A shallow copy sharing children, with the given sensitive flag. */
static cp_value *copy_with_mark(const cp_value *v, bool sensitive)
{
    cp_value *c;
    switch (cp_kind_of(v)) {
    case CP_STRING:
        c = cp_string_n(cp_string_val(v), cp_string_len(v));
        break;
    case CP_NUMBER:
        c = cp_number(cp_number_val(v));
        break;
    case CP_LIST:
        c = cp_list_new();
        for (size_t i = 0; i < cp_len(v); i++) cp_list_push_take(c, cp_retain(cp_list_get(v, i)));
        break;
    case CP_MAP:
        c = cp_map_new();
        for (size_t i = 0; i < cp_len(v); i++)
            cp_map_set_take(c, cp_map_key_at(v, i), cp_retain(cp_map_value_at(v, i)));
        break;
    default:
        c = NULL;
        break;
    }
    if (!c) c = cp__scalar_copy(v); /* null, bool, unknown: singletons */
    cp__set_sensitive(c, sensitive);
    return c;
}

cp_value *cp_map_overlay(const cp_value *base, const cp_value *top)
{
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(base); i++)
        cp_map_set_take(out, cp_map_key_at(base, i), cp_retain(cp_map_value_at(base, i)));
    for (size_t i = 0; i < cp_len(top); i++)
        cp_map_set_take(out, cp_map_key_at(top, i), cp_retain(cp_map_value_at(top, i)));
    return out;
}

cp_value *cp_mark_sensitive(const cp_value *v)
{
    if (cp_is_sensitive(v)) return cp_retain(v);
    return copy_with_mark(v, true);
}

cp_value *cp_unmark(const cp_value *v)
{
    if (!cp_is_sensitive(v)) return cp_retain(v);
    return copy_with_mark(v, false);
}

cp_value *cp_mark_like_take(cp_value *result, const cp_value *from)
{
    CP_CHECK(cp__is_live(result), "cp_mark_like_take of a released or NULL value");
    if (!cp_is_sensitive(from) || cp_is_sensitive(result)) return result;
    cp_value *m = cp_mark_sensitive(result);
    cp_release(result);
    return m;
}

bool cp_contains_unknown(const cp_value *v)
{
    switch (cp_kind_of(v)) {
    case CP_UNKNOWN:
        return true;
    case CP_LIST:
        for (size_t i = 0; i < cp_len(v); i++)
            if (cp_contains_unknown(cp_list_get(v, i))) return true;
        return false;
    case CP_MAP:
        for (size_t i = 0; i < cp_len(v); i++)
            if (cp_contains_unknown(cp_map_value_at(v, i))) return true;
        return false;
    default:
        return false;
    }
}

bool cp_is_wholly_known(const cp_value *v) { return !cp_contains_unknown(v); }

bool cp_contains_sensitive(const cp_value *v)
{
    if (cp_is_sensitive(v)) return true;
    switch (cp_kind_of(v)) {
    case CP_LIST:
        for (size_t i = 0; i < cp_len(v); i++)
            if (cp_contains_sensitive(cp_list_get(v, i))) return true;
        return false;
    case CP_MAP:
        for (size_t i = 0; i < cp_len(v); i++)
            if (cp_contains_sensitive(cp_map_value_at(v, i))) return true;
        return false;
    default:
        return false;
    }
}

bool cp_equal(const cp_value *a, const cp_value *b) { return cp_compare(a, b) == 0; }

static int cmp_num(double x, double y) { return x < y ? -1 : x > y ? 1 : 0; }

int cp_compare(const cp_value *a, const cp_value *b)
{
    if (a == b) return 0;
    cp_kind ka = cp_kind_of(a), kb = cp_kind_of(b);
    if (ka != kb) return ka < kb ? -1 : 1;
    switch (ka) {
    case CP_BOOL:
        return (int)cp_bool_val(a) - (int)cp_bool_val(b);
    case CP_NUMBER:
        return cmp_num(cp_number_val(a), cp_number_val(b));
    case CP_STRING: {
        size_t la = cp_string_len(a), lb = cp_string_len(b);
        int c = memcmp(cp_string_val(a), cp_string_val(b), la < lb ? la : lb);
        return c ? c : (la < lb ? -1 : la > lb ? 1 : 0);
    }
    case CP_LIST:
        for (size_t i = 0; i < cp_len(a) && i < cp_len(b); i++) {
            int c = cp_compare(cp_list_get(a, i), cp_list_get(b, i));
            if (c) return c;
        }
        return cmp_num((double)cp_len(a), (double)cp_len(b));
    case CP_MAP:
        for (size_t i = 0; i < cp_len(a) && i < cp_len(b); i++) {
            int c = strcmp(cp_map_key_at(a, i), cp_map_key_at(b, i));
            if (c) return c;
            c = cp_compare(cp_map_value_at(a, i), cp_map_value_at(b, i));
            if (c) return c;
        }
        return cmp_num((double)cp_len(a), (double)cp_len(b));
    default:
        return 0; /* null == null, unknown == unknown */
    }
}

void cp_number_format(cp_buf *out, double n)
{
    if (isnan(n)) {
        cp_buf_adds(out, "NaN");
        return;
    }
    if (isinf(n)) {
        cp_buf_adds(out, n < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (n == 0) {
        cp_buf_addc(out, '0');
        return;
    } /* -0 too */
    if (n == floor(n) && fabs(n) < 1e15) {
        cp_buf_printf(out, "%.0f", n);
        return;
    }
    char tmp[40]; /* the shortest of 15, 16, 17 digits that reads back exactly */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(tmp, sizeof tmp, "%.*g", digits, n);
        if (strtod(tmp, NULL) == n) break;
    }
    cp_buf_adds(out, tmp);
}

static void render_string(cp_buf *out, const cp_value *v)
{
    cp_buf_add_quoted(out, cp_string_val(v), cp_string_len(v), CP_QUOTE_TEMPLATE);
}

static bool is_identifier(const char *k)
{
    if (!*k || !(*k == '_' || (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z'))) return false;
    for (; *k; k++)
        if (!(*k == '_' || *k == '-' || (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
              (*k >= '0' && *k <= '9')))
            return false;
    return true;
}

void cp_value_render(cp_buf *out, const cp_value *v, bool show_sensitive)
{
    if (cp_is_sensitive(v) && !show_sensitive) {
        cp_buf_adds(out, "(sensitive value)");
        return;
    }
    switch (cp_kind_of(v)) {
    case CP_NULL:
        cp_buf_adds(out, "null");
        break;
    case CP_BOOL:
        cp_buf_adds(out, cp_bool_val(v) ? "true" : "false");
        break;
    case CP_NUMBER:
        cp_number_format(out, cp_number_val(v));
        break;
    case CP_STRING:
        render_string(out, v);
        break;
    case CP_UNKNOWN:
        cp_buf_adds(out, "(known after apply)");
        break;
    case CP_LIST:
        cp_buf_addc(out, '[');
        for (size_t i = 0; i < cp_len(v); i++) {
            if (i) cp_buf_adds(out, ", ");
            cp_value_render(out, cp_list_get(v, i), show_sensitive);
        }
        cp_buf_addc(out, ']');
        break;
    case CP_MAP:
        if (cp_len(v) == 0) {
            cp_buf_adds(out, "{}");
            break;
        }
        cp_buf_adds(out, "{ ");
        for (size_t i = 0; i < cp_len(v); i++) {
            if (i) cp_buf_adds(out, ", ");
            const char *k = cp_map_key_at(v, i);
            if (is_identifier(k))
                cp_buf_adds(out, k);
            else {
                cp_buf_add_quoted(out, k, strlen(k), CP_QUOTE_TEMPLATE);
            }
            cp_buf_adds(out, " = ");
            cp_value_render(out, cp_map_value_at(v, i), show_sensitive);
        }
        cp_buf_adds(out, " }");
        break;
    }
}

char *cp_value_repr(const cp_value *v)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_value_render(&b, v, false);
    return cp_buf_steal(&b);
}

/* --- primitive conversions ----------------------------------------------- */

bool cp_parse_number(const char *s, size_t n, double *out)
{
    if (n == 0 || n > 400) return false;
    char tmp[401];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        char c = tmp[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return false;
    }
    char *end;
    double d = strtod(tmp, &end);
    if (end != tmp + n || isinf(d) || isnan(d)) return false;
    *out = d;
    return true;
}

cp_value *cp_to_string(const cp_value *v)
{
    switch (cp_kind_of(v)) {
    case CP_STRING:
        return cp_retain(v);
    case CP_BOOL:
        return cp_mark_like_take(cp_string(cp_bool_val(v) ? "true" : "false"), v);
    case CP_NUMBER: {
        cp_buf b;
        cp_buf_init(&b);
        cp_number_format(&b, cp_number_val(v));
        return cp_mark_like_take(cp_string_take(cp_buf_steal(&b)), v);
    }
    default:
        return NULL;
    }
}

cp_value *cp_to_number(const cp_value *v)
{
    double d;
    if (cp_kind_of(v) == CP_NUMBER) return cp_retain(v);
    if (cp_kind_of(v) == CP_STRING && cp_parse_number(cp_string_val(v), cp_string_len(v), &d))
        return cp_mark_like_take(cp_number(d), v);
    return NULL;
}

cp_value *cp_to_bool(const cp_value *v)
{
    if (cp_kind_of(v) == CP_BOOL) return cp_retain(v);
    if (cp_kind_of(v) != CP_STRING) return NULL;
    if (strcmp(cp_string_val(v), "true") == 0) return cp_mark_like_take(cp_bool(true), v);
    if (strcmp(cp_string_val(v), "false") == 0) return cp_mark_like_take(cp_bool(false), v);
    return NULL;
}

const char *cp_kind_article(cp_kind k)
{
    static const char *names[] = { "null",   "a bool", "a number",        "a string",
                                   "a list", "a map",  "an unknown value" };
    return (unsigned)k <= CP_UNKNOWN ? names[k] : "?";
}
