/*
 * sensitive.c: sensitive marks <-> sensitive attribute paths.
 *
 * In memory a secret is a cp_value carrying the sensitive mark; JSON has no
 * marks, so a state file lists the paths to marked values beside the
 * attributes (["password"], ["tags", "Secret"], ["ingress", 0, "key"]) and
 * loading puts the marks back. Every mark is recorded, nested ones too, so
 * the round trip gives back exactly the marks that were saved.
 */
#include "state/state.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A list value holding steps[0..depth). */
static cp_value *path_value(cp_value **steps, size_t depth)
{
    cp_value *p = cp_list_new();
    for (size_t i = 0; i < depth; i++) cp_list_push_take(p, cp_retain(steps[i]));
    return p;
}

typedef struct walk {
    cp_value **steps;
    size_t depth, cap;
    cp_value *out;
} walk;

static void collect(walk *w, const cp_value *v)
{
    if (cp_is_sensitive(v)) cp_list_push_take(w->out, path_value(w->steps, w->depth));
    cp_kind k = cp_kind_of(v);
    if (k != CP_LIST && k != CP_MAP) return;
    if (!cp_contains_sensitive(v) || cp_len(v) == 0) return;
    CP_GROW(w->steps, w->depth + 1, w->cap);
    for (size_t i = 0; i < cp_len(v); i++) {
        const cp_value *child = k == CP_LIST ? cp_list_get(v, i) : cp_map_value_at(v, i);
        if (!cp_contains_sensitive(child)) continue;
        w->steps[w->depth] = k == CP_LIST ? cp_number((double)i) : cp_string(cp_map_key_at(v, i));
        w->depth++;
        collect(w, child);
        w->depth--;
        cp_release(w->steps[w->depth]);
    }
}

cp_value *cp_sensitive_paths(const cp_value *v)
{
    walk w = { NULL, 0, 0, cp_list_new() };
    collect(&w, v);
    free(w.steps);
    return w.out;
}

/* A copy of container v with its child at index/key replaced by `child`
 * (consumed). The container keeps its own mark. */
static cp_value *replace_child(const cp_value *v, size_t at, cp_value *child)
{
    cp_value *c;
    if (cp_kind_of(v) == CP_LIST) {
        c = cp_list_new();
        for (size_t i = 0; i < cp_len(v); i++)
            cp_list_push_take(c, i == at ? child : cp_retain(cp_list_get(v, i)));
    } else {
        c = cp_map_new();
        for (size_t i = 0; i < cp_len(v); i++)
            cp_map_set_take(c, cp_map_key_at(v, i),
                            i == at ? child : cp_retain(cp_map_value_at(v, i)));
    }
    return cp_mark_like_take(c, v);
}

/* Index of step in container v, or -1 when it names nothing. */
static long child_index(const cp_value *v, const cp_value *step)
{
    if (cp_kind_of(v) == CP_LIST && cp_kind_of(step) == CP_NUMBER) {
        double n = cp_number_val(step);
        return (n >= 0 && n < (double)cp_len(v)) ? (long)n : -1;
    }
    if (cp_kind_of(v) == CP_MAP && cp_kind_of(step) == CP_STRING) {
        const char *key = cp_string_val(step);
        size_t lo = 0, hi = cp_len(v); /* keys are sorted: binary search */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(cp_map_key_at(v, mid), key);
            if (c == 0) return (long)mid;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return -1;
}

static cp_value *mark_at(const cp_value *v, const cp_value *path, size_t depth)
{
    if (depth == cp_len(path)) return cp_mark_sensitive(v);
    long at = child_index(v, cp_list_get(path, depth));
    if (at < 0) return cp_retain(v);
    const cp_value *child =
        cp_kind_of(v) == CP_LIST ? cp_list_get(v, (size_t)at) : cp_map_value_at(v, (size_t)at);
    return replace_child(v, (size_t)at, mark_at(child, path, depth + 1));
}

static bool valid_path(const cp_value *path)
{
    if (cp_kind_of(path) != CP_LIST) return false;
    for (size_t i = 0; i < cp_len(path); i++) {
        const cp_value *st = cp_list_get(path, i);
        if (cp_kind_of(st) == CP_STRING) continue;
        if (cp_kind_of(st) != CP_NUMBER) return false;
        double n = cp_number_val(st);
        if (n < 0 || n != floor(n)) return false;
    }
    return true;
}

bool cp_apply_sensitive_paths(const cp_value *v, const cp_value *paths, cp_value **out, char **err)
{
    if (cp_kind_of(paths) != CP_LIST) {
        if (err) *err = cp_xstrdup("sensitive paths must be a list of paths");
        return false;
    }
    cp_value *cur = cp_retain(v);
    for (size_t i = 0; i < cp_len(paths); i++) {
        const cp_value *path = cp_list_get(paths, i);
        if (!valid_path(path)) {
            cp_release(cur);
            if (err) *err = cp_xasprintf("sensitive path %zu is not a list of keys and indexes", i);
            return false;
        }
        cp_value *next = mark_at(cur, path, 0);
        cp_release(cur);
        cur = next;
    }
    *out = cur;
    return true;
}
