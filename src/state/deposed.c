/*
 * deposed.c: the deposed objects of a cp_state (see DEPOSED OBJECTS in
 * state.h) — old objects of a create_before_destroy replacement, kept in
 * state until they are deleted, so a crash between the create of the new
 * object and the delete of the old one never loses track of the old one.
 *
 * They are few (one per replacement in flight, or left by a crash), so they
 * live in one array sorted by (address, key) with binary search, apart
 * from the hash index of current objects. Every held one is frozen and has
 * a deposed key; a state copy shares them like current instances.
 */
#include "state/state_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Order of (a, key) against a held object; key NULL sorts before any key. */
static int dep_cmp(const cp_addr *a, const char *key, const cp_instance *d)
{
    int c = cp_addr_compare(a, &d->addr);
    if (c || !key) return c ? c : -1;
    return strcmp(key, d->deposed_key);
}

/* First position not before (a, key). */
static size_t dep_lower(const cp_state *s, const cp_addr *a, const char *key)
{
    size_t lo = 0, hi = s->ndep;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dep_cmp(a, key, s->dep[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t dep_find(const cp_state *s, const cp_addr *a, const char *key, bool *found)
{
    size_t at = dep_lower(s, a, key);
    *found = at < s->ndep && dep_cmp(a, key, s->dep[at]) == 0;
    return at;
}

void cp__state_put_deposed_take(cp_state *s, cp_instance *inst)
{
    bool found;
    size_t at = dep_find(s, &inst->addr, inst->deposed_key, &found);
    inst->frozen = true;
    s->dirty = true;
    if (found) {
        cp_instance_release(s->dep[at]);
        s->dep[at] = inst;
        return;
    }
    CP_GROW(s->dep, s->ndep + 1, s->depcap);
    memmove(&s->dep[at + 1], &s->dep[at], (s->ndep - at) * sizeof *s->dep);
    s->dep[at] = inst;
    s->ndep++;
}

void cp__state_copy_deposed(cp_state *dst, const cp_state *src)
{
    if (!src->ndep) return;
    dst->dep = cp_xmalloc(src->ndep * sizeof *dst->dep);
    dst->depcap = dst->ndep = src->ndep;
    for (size_t i = 0; i < src->ndep; i++) dst->dep[i] = cp_instance_retain(src->dep[i]);
}

size_t cp_state_deposed_count(const cp_state *s) { return s->ndep; }

const cp_instance *cp_state_deposed_at(const cp_state *s, size_t i)
{
    return i < s->ndep ? s->dep[i] : NULL;
}

const cp_instance *cp_state_find_deposed(const cp_state *s, const cp_addr *addr, const char *key)
{
    bool found;
    size_t at = key ? dep_find(s, addr, key, &found) : 0;
    return key && found ? s->dep[at] : NULL;
}

size_t cp_state_deposed_range(const cp_state *s, const cp_addr *addr, size_t *first)
{
    size_t lo = dep_lower(s, addr, NULL), hi = lo;
    while (hi < s->ndep && cp_addr_equal(&s->dep[hi]->addr, addr)) hi++;
    *first = lo;
    return hi - lo;
}

bool cp_state_remove_deposed(cp_state *s, const cp_addr *addr, const char *key)
{
    bool found;
    size_t at = key ? dep_find(s, addr, key, &found) : 0;
    if (!key || !found) return false;
    cp_instance_release(s->dep[at]);
    memmove(&s->dep[at], &s->dep[at + 1], (s->ndep - at - 1) * sizeof *s->dep);
    s->ndep--;
    s->dirty = true;
    return true;
}

bool cp_state_depose(cp_state *s, const cp_addr *addr, char key[9])
{
    const cp_instance *cur = cp_state_find(s, addr);
    if (!cur) return false;
    do { /* 32 random bits; retry a clash */
        char uuid[37];
        cp_uuid4(uuid);
        memcpy(key, uuid, 8);
        key[8] = '\0';
    } while (cp_state_find_deposed(s, addr, key));
    cp_instance *d = cp_instance_copy(cur);
    cp_instance_set_deposed_key(d, key);
    cp_state_remove(s, addr);
    cp__state_put_deposed_take(s, d);
    return true;
}

bool cp_state_restore_deposed(cp_state *s, const cp_addr *addr, const char *key)
{
    const cp_instance *d = cp_state_find_deposed(s, addr, key);
    if (!d || cp_state_find(s, addr)) return false;
    cp_instance *cur = cp_instance_copy(d);
    cp_instance_set_deposed_key(cur, NULL);
    cp_state_remove_deposed(s, addr, key);
    cp_state_put_take(s, cur);
    return true;
}
