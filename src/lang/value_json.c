/*
 * value_json.c: cp_value <-> json_t (see value_json.h).
 * JSON integers and reals both become numbers; numbers that are integral
 * and fit in 2^53 become JSON integers again so state files stay tidy.
 */
#include "lang/value_json.h"

#include <math.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t len = s[0] >= 0xF0 && s[0] <= 0xF4  ? 4
                 : s[0] >= 0xE0                ? 3
                 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
                                               : 0;
    if (!len || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (len == 3 && s[0] == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
    if (len == 3 && s[0] == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
    if (len == 4 && s[0] == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
    if (len == 4 && s[0] == 0xF4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
    return len;
}

/* JSON holds only UTF-8: invalid bytes become U+FFFD instead of the whole
 * string (and the attribute holding it) being lost. */
static json_t *json_string_utf8(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if (j) return j;
    cp_buf b;
    cp_buf_init(&b);
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq((const unsigned char *)s + i, n - i);
        if (k) {
            cp_buf_add(&b, s + i, k);
            i += k;
        } else {
            cp_buf_adds(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    j = json_stringn(b.data ? b.data : "", b.len);
    cp_buf_free(&b);
    return j;
}

json_t *cp_value_to_json(const cp_value *v, bool unknown_as_null)
{
    switch (cp_kind_of(v)) {
    case CP_NULL:
        return json_null();
    case CP_BOOL:
        return json_boolean(cp_bool_val(v));
    case CP_NUMBER: {
        double n = cp_number_val(v);
        if (n == floor(n) && fabs(n) < 9007199254740992.0) return json_integer((json_int_t)n);
        return json_real(n);
    }
    case CP_STRING:
        return json_string_utf8(cp_string_val(v), cp_string_len(v));
    case CP_UNKNOWN:
        return unknown_as_null ? json_null() : NULL;
    case CP_LIST: {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(v); i++) {
            json_t *e = cp_value_to_json(cp_list_get(v, i), unknown_as_null);
            if (!e) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, e);
        }
        return a;
    }
    case CP_MAP: {
        json_t *o = json_object();
        for (size_t i = 0; i < cp_len(v); i++) {
            json_t *e = cp_value_to_json(cp_map_value_at(v, i), unknown_as_null);
            if (!e) {
                json_decref(o);
                return NULL;
            }
            json_object_set_new(o, cp_map_key_at(v, i), e);
        }
        return o;
    }
    }
    return NULL;
}

cp_value *cp_value_from_json(const json_t *j)
{
    if (!j) return cp_null(); /* a member json_object_get did not find */
    switch (json_typeof(j)) {
    case JSON_NULL:
        return cp_null();
    case JSON_TRUE:
        return cp_bool(true);
    case JSON_FALSE:
        return cp_bool(false);
    case JSON_INTEGER:
        return cp_number((double)json_integer_value(j));
    case JSON_REAL:
        return cp_number(json_real_value(j));
    case JSON_STRING:
        return cp_string_n(json_string_value(j), json_string_length(j));
    case JSON_ARRAY: {
        cp_value *l = cp_list_new();
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) cp_list_push_take(l, cp_value_from_json(e));
        return l;
    }
    case JSON_OBJECT: {
        cp_value *m = cp_map_new();
        const char *k;
        json_t *e;
        json_object_foreach((json_t *)j, k, e) cp_map_set_take(m, k, cp_value_from_json(e));
        return m;
    }
    }
    return cp_null();
}
