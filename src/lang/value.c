/*
 * value.c: the cp_value implementation (see value.h for the ownership rule).
 *
 * Layout: one header struct per value. Strings keep their bytes inline after
 * the header; lists and maps keep growable arrays. Maps are kept sorted by
 * key so iteration is deterministic and lookups are binary searches. null,
 * true, false and unknown are immortal singletons (refcount ignored), so the
 * common cases allocate nothing.
 */
#include "lang/value.h"
#include "lang/value_internal.h"
#include "util/check.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMMORTAL (-1)

struct cp_value {
    int refs; /* IMMORTAL for singletons */
    unsigned char kind;
    unsigned char sensitive;
    union {
        bool b;
        double n;
        struct {
            size_t len;
            char *s;
        } str;
        struct {
            cp_value **items;
            size_t len, cap;
        } list;
        struct {
            char **keys;
            cp_value **vals;
            size_t len, cap;
        } map;
    } u;
};

static cp_value v_null = { IMMORTAL, CP_NULL, 0, { .b = false } };
static cp_value v_true = { IMMORTAL, CP_BOOL, 0, { .b = true } };
static cp_value v_false = { IMMORTAL, CP_BOOL, 0, { .b = false } };
static cp_value v_unknown = { IMMORTAL, CP_UNKNOWN, 0, { .b = false } };

/* A value someone still holds: a singleton or a positive count. Reading a
 * released value is undefined, so this catches a double release only while
 * the memory is not yet reused (ASan catches the rest). */
bool cp__is_live(const cp_value *v)
{
    if (!v) return false;
    int refs = __atomic_load_n(&v->refs, __ATOMIC_RELAXED);
    return refs == IMMORTAL || refs > 0;
}

static cp_value *alloc_value(cp_kind kind)
{
    cp_value *v = cp_xcalloc(1, sizeof *v);
    v->refs = 1;
    v->kind = (unsigned char)kind;
    return v;
}

cp_value *cp_null(void) { return &v_null; }
cp_value *cp_bool(bool b) { return b ? &v_true : &v_false; }
cp_value *cp_unknown(void) { return &v_unknown; }

cp_value *cp_number(double n)
{
    cp_value *v = alloc_value(CP_NUMBER);
    v->u.n = n;
    return v;
}

cp_value *cp_string_n(const char *s, size_t n)
{
    cp_value *v = alloc_value(CP_STRING);
    v->u.str.s = cp_xstrndup(s, n);
    v->u.str.len = n;
    return v;
}

cp_value *cp_string(const char *s) { return cp_string_n(s, strlen(s)); }

cp_value *cp_string_take(char *s)
{
    CP_CHECK(s != NULL, "cp_string_take of NULL");
    cp_value *v = alloc_value(CP_STRING);
    v->u.str.s = s;
    v->u.str.len = strlen(s);
    return v;
}

cp_value *cp_stringf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return cp_string_take(cp_buf_steal(&b));
}

cp_value *cp_list_new(void) { return alloc_value(CP_LIST); }
cp_value *cp_map_new(void) { return alloc_value(CP_MAP); }

void cp_list_push_take(cp_value *list, cp_value *item)
{
    CP_CHECK(cp__is_live(list) && list->kind == CP_LIST, "cp_list_push_take onto a non-list");
    CP_CHECK(cp__is_live(item), "cp_list_push_take of a released or NULL item");
    CP_CHECK(item != list, "cp_list_push_take of a list into itself");
    assert(list->refs == 1); /* builders fill a fresh list only */
    CP_GROW(list->u.list.items, list->u.list.len + 1, list->u.list.cap);
    list->u.list.items[list->u.list.len++] = item;
}

/* Index of key in map, or -(insertion point) - 1. */
static long map_find(const cp_value *m, const char *key)
{
    size_t lo = 0, hi = m->u.map.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->u.map.keys[mid], key);
        if (c == 0) return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

void cp_map_set_take(cp_value *map, const char *key, cp_value *v)
{
    CP_CHECK(cp__is_live(map) && map->kind == CP_MAP, "cp_map_set_take into a non-map");
    CP_CHECK(key != NULL, "cp_map_set_take with a NULL key");
    CP_CHECK(cp__is_live(v), "cp_map_set_take of a released or NULL value");
    CP_CHECK(v != map, "cp_map_set_take of a map into itself");
    assert(map->refs == 1); /* builders fill a fresh map only */
    size_t n = map->u.map.len;
    if (n == 0 || strcmp(map->u.map.keys[n - 1], key) < 0) {
        size_t cap = map->u.map.cap;
        CP_GROW(map->u.map.keys, n + 1, cap);
        CP_GROW(map->u.map.vals, n + 1, map->u.map.cap);
        map->u.map.keys[n] = cp_xstrdup(key);
        map->u.map.vals[n] = v;
        map->u.map.len++;
        return;
    }
    long at = map_find(map, key);
    if (at >= 0) {
        cp_release(map->u.map.vals[at]);
        map->u.map.vals[at] = v;
        return;
    }
    size_t pos = (size_t)(-at - 1), cap = map->u.map.cap;
    CP_GROW(map->u.map.keys, n + 1, cap);
    CP_GROW(map->u.map.vals, n + 1, map->u.map.cap);
    memmove(&map->u.map.keys[pos + 1], &map->u.map.keys[pos], (n - pos) * sizeof(char *));
    memmove(&map->u.map.vals[pos + 1], &map->u.map.vals[pos], (n - pos) * sizeof(cp_value *));
    map->u.map.keys[pos] = cp_xstrdup(key);
    map->u.map.vals[pos] = v;
    map->u.map.len++;
}

cp_value *cp_retain(const cp_value *cv)
{
    cp_value *v = (cp_value *)cv;
    assert(!v || cp__is_live(v));
    /* atomic read too: another thread may be releasing v (ThreadSanitizer) */
    if (v && __atomic_load_n(&v->refs, __ATOMIC_RELAXED) != IMMORTAL)
        __atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
    return v;
}

static void free_value(cp_value *v)
{
    switch (v->kind) {
    case CP_STRING:
        free(v->u.str.s);
        break;
    case CP_LIST:
        for (size_t i = 0; i < v->u.list.len; i++) cp_release(v->u.list.items[i]);
        free(v->u.list.items);
        break;
    case CP_MAP:
        for (size_t i = 0; i < v->u.map.len; i++) {
            free(v->u.map.keys[i]);
            cp_release(v->u.map.vals[i]);
        }
        free(v->u.map.keys);
        free(v->u.map.vals);
        break;
    default:
        break;
    }
    free(v);
}

void cp_release(cp_value *v)
{
    if (!v || __atomic_load_n(&v->refs, __ATOMIC_RELAXED) == IMMORTAL) return;
    int left = __atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL);
    CP_CHECK(left >= 0, "cp_release of a value already released");
    if (left == 0) free_value(v);
}

cp_kind cp_kind_of(const cp_value *v)
{
    assert(cp__is_live(v));
    return (cp_kind)v->kind;
}

const char *cp_kind_name(cp_kind k)
{
    static const char *names[] = { "null", "bool", "number", "string", "list", "map", "unknown" };
    return (unsigned)k <= CP_UNKNOWN ? names[k] : "?";
}

/* The typed accessors below assert their kind (debug builds) and keep the
 * documented fallback in release builds: see value.h. */
bool cp_is_null(const cp_value *v) { return cp_kind_of(v) == CP_NULL; }
bool cp_is_unknown(const cp_value *v) { return cp_kind_of(v) == CP_UNKNOWN; }

bool cp_bool_val(const cp_value *v)
{
    assert(cp_kind_of(v) == CP_BOOL);
    return v->kind == CP_BOOL && v->u.b;
}

double cp_number_val(const cp_value *v)
{
    assert(cp_kind_of(v) == CP_NUMBER);
    return v->kind == CP_NUMBER ? v->u.n : 0;
}

const char *cp_string_val(const cp_value *v)
{
    assert(cp_kind_of(v) == CP_STRING);
    return v->kind == CP_STRING ? v->u.str.s : "";
}

size_t cp_string_len(const cp_value *v)
{
    assert(cp_kind_of(v) == CP_STRING);
    return v->kind == CP_STRING ? v->u.str.len : 0;
}

size_t cp_len(const cp_value *v)
{
    assert(cp_kind_of(v) == CP_LIST || cp_kind_of(v) == CP_MAP);
    if (v->kind == CP_LIST) return v->u.list.len;
    if (v->kind == CP_MAP) return v->u.map.len;
    return 0;
}

const cp_value *cp_list_get(const cp_value *l, size_t i)
{
    assert(cp_kind_of(l) == CP_LIST);
    return (l->kind == CP_LIST && i < l->u.list.len) ? l->u.list.items[i] : NULL;
}

const cp_value *cp_map_get(const cp_value *m, const char *key)
{
    assert(cp_kind_of(m) == CP_MAP && key);
    if (m->kind != CP_MAP) return NULL;
    long at = map_find(m, key);
    return at >= 0 ? m->u.map.vals[at] : NULL;
}

const char *cp_map_key_at(const cp_value *m, size_t i)
{
    assert(cp_kind_of(m) == CP_MAP && i < m->u.map.len);
    return (m->kind == CP_MAP && i < m->u.map.len) ? m->u.map.keys[i] : NULL;
}

const cp_value *cp_map_value_at(const cp_value *m, size_t i)
{
    assert(cp_kind_of(m) == CP_MAP && i < m->u.map.len);
    return (m->kind == CP_MAP && i < m->u.map.len) ? m->u.map.vals[i] : NULL;
}

bool cp_is_sensitive(const cp_value *v)
{
    assert(cp__is_live(v));
    return v->sensitive != 0;
}

cp_value *cp__scalar_copy(const cp_value *v)
{
    cp_value *c = alloc_value((cp_kind)v->kind);
    c->u = v->u;
    return c;
}

void cp__set_sensitive(cp_value *v, bool sensitive) { v->sensitive = sensitive ? 1 : 0; }
