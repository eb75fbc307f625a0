/*
 * state.c: cp_state, the in-memory state (see state.h).
 *
 * Instances live twice: in `items`, sorted by address (listing, files,
 * resource ranges by binary search) and in `slots`, a linear-probing hash
 * index on the address fields (find/put/remove in O(1) at 10,000+
 * instances). Invariants: both hold exactly the same instances; every held
 * instance is frozen; nslots is a power of two and at least twice n, so a
 * probe always ends at an empty slot. Removal shifts later entries of the
 * probe run back (no tombstones). Outputs are a small array sorted by name.
 * Deposed objects are a separate small sorted array (deposed.c).
 */
#include "state/state_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#ifndef CP_CPSTACK_VERSION
#define CP_CPSTACK_VERSION "0.0.0"
#endif

const char *cp_state_writer_version(void) { return CP_CPSTACK_VERSION; }

cp_state *cp_state_new(const char *stack, const char *branch)
{
    cp_state *s = cp_xcalloc(1, sizeof *s);
    char uuid[37];
    cp_uuid4(uuid);
    s->lineage = cp_xstrdup(uuid);
    s->stack = cp_xstrdup(stack ? stack : "");
    s->branch = cp_xstrdup(branch ? branch : "");
    s->cpstack_version = cp_xstrdup("");
    s->dirty = true;
    return s;
}

void cp_state_free(cp_state *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) cp_instance_release(s->items[i]);
    for (size_t i = 0; i < s->ndep; i++) cp_instance_release(s->dep[i]);
    free(s->dep);
    for (size_t i = 0; i < s->nouts; i++) {
        free(s->outs[i].name);
        cp_release(s->outs[i].value);
    }
    free(s->items);
    free(s->slots);
    free(s->outs);
    free(s->lineage);
    free(s->stack);
    free(s->branch);
    free(s->cpstack_version);
    free(s);
}

/* --- hash index ------------------------------------------------------------ */
static size_t slot_of(const cp_state *s, const cp_addr *a, uint64_t h)
{
    size_t mask = s->nslots - 1, i = (size_t)h & mask;
    while (s->slots[i] && !(s->slots[i]->hash == h && cp_addr_equal(&s->slots[i]->addr, a)))
        i = (i + 1) & mask;
    return i;
}

static void index_rebuild(cp_state *s, size_t nslots)
{
    free(s->slots);
    s->nslots = nslots;
    s->slots = cp_xcalloc(nslots, sizeof *s->slots);
    for (size_t i = 0; i < s->n; i++)
        s->slots[slot_of(s, &s->items[i]->addr, s->items[i]->hash)] = s->items[i];
}

static void index_remove_at(cp_state *s, size_t hole)
{
    size_t mask = s->nslots - 1, i = hole;
    s->slots[hole] = NULL;
    for (;;) {
        i = (i + 1) & mask;
        cp_instance *e = s->slots[i];
        if (!e) return;
        size_t home = (size_t)e->hash & mask;
        /* e may move into the hole if its home is not in (hole, i]. */
        bool stays = hole < i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (stays) continue;
        s->slots[hole] = e;
        s->slots[i] = NULL;
        hole = i;
    }
}

/* --- sorted items ---------------------------------------------------------- */
/* First position whose address is >= a. */
static size_t lower_bound(const cp_state *s, const cp_addr *a, bool resource_only)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const cp_addr *m = &s->items[mid]->addr;
        int c;
        if (resource_only && cp_addr_same_resource(m, a))
            c = 0;
        else
            c = cp_addr_compare(m, a);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void items_insert(cp_state *s, cp_instance *inst)
{
    size_t at = s->n;
    if (s->n && cp_addr_compare(&s->items[s->n - 1]->addr, &inst->addr) > 0)
        at = lower_bound(s, &inst->addr, false);
    CP_GROW(s->items, s->n + 1, s->cap);
    memmove(&s->items[at + 1], &s->items[at], (s->n - at) * sizeof *s->items);
    s->items[at] = inst;
    s->n++;
}

static void items_remove(cp_state *s, const cp_addr *a)
{
    size_t at = lower_bound(s, a, false);
    memmove(&s->items[at], &s->items[at + 1], (s->n - at - 1) * sizeof *s->items);
    s->n--;
}

/* --- find / put / remove -------------------------------------------------- */
const cp_instance *cp_state_find(const cp_state *s, const cp_addr *addr)
{
    if (!s->nslots) return NULL;
    return s->slots[slot_of(s, addr, cp__addr_hash(addr))];
}

const cp_instance *cp_state_find_str(const cp_state *s, const char *addr)
{
    cp_addr a;
    if (!cp_addr_parse(addr, &a, NULL)) return NULL;
    const cp_instance *inst = cp_state_find(s, &a);
    cp_addr_clear(&a);
    return inst;
}

void cp_state_put_take(cp_state *s, cp_instance *inst)
{
    if (inst->deposed_key) {
        cp__state_put_deposed_take(s, inst);
        return;
    }
    inst->frozen = true;
    s->dirty = true;
    if (2 * (s->n + 1) > s->nslots) index_rebuild(s, s->nslots ? 2 * s->nslots : 64);
    size_t i = slot_of(s, &inst->addr, inst->hash);
    cp_instance *old = s->slots[i];
    s->slots[i] = inst;
    if (old) {
        s->items[lower_bound(s, &old->addr, false)] = inst;
        cp_instance_release(old);
    } else {
        items_insert(s, inst);
    }
}

bool cp_state_remove(cp_state *s, const cp_addr *addr)
{
    if (!s->nslots) return false;
    size_t i = slot_of(s, addr, cp__addr_hash(addr));
    cp_instance *old = s->slots[i];
    if (!old) return false;
    index_remove_at(s, i);
    items_remove(s, &old->addr);
    cp_instance_release(old);
    s->dirty = true;
    return true;
}

size_t cp_state_count(const cp_state *s) { return s->n; }

const cp_instance *cp_state_at(const cp_state *s, size_t i)
{
    return i < s->n ? s->items[i] : NULL;
}

size_t cp_state_resource_range(const cp_state *s, const cp_addr *resource, size_t *first)
{
    size_t lo = lower_bound(s, resource, true), hi = lo;
    while (hi < s->n && cp_addr_same_resource(&s->items[hi]->addr, resource)) hi++;
    *first = lo;
    return hi - lo;
}

/* --- copy -------------------------------------------------------------------- */
cp_state *cp_state_snapshot(const cp_state *src)
{
    cp_state *s = cp_xcalloc(1, sizeof *s);
    s->serial = src->serial;
    s->lineage = cp_xstrdup(src->lineage);
    s->stack = cp_xstrdup(src->stack);
    s->branch = cp_xstrdup(src->branch);
    s->cpstack_version = cp_xstrdup(src->cpstack_version);
    s->cap = src->n ? src->n : 1;
    s->items = cp_xmalloc(s->cap * sizeof *s->items);
    for (size_t i = 0; i < src->n; i++) s->items[i] = cp_instance_retain(src->items[i]);
    s->n = src->n;
    cp__state_copy_deposed(s, src);
    for (size_t i = 0; i < src->nouts; i++)
        cp_state_set_output(s, src->outs[i].name, src->outs[i].value, src->outs[i].sensitive);
    return s;
}

cp_state *cp_state_copy(const cp_state *src)
{
    cp_state *s = cp_state_snapshot(src);
    if (src->nslots) index_rebuild(s, src->nslots);
    s->dirty = src->dirty;
    return s;
}

/* --- header ------------------------------------------------------------------- */
static void replace_str(char **field, const char *v)
{
    char *c = cp_xstrdup(v ? v : "");
    free(*field);
    *field = c;
}

int64_t cp_state_serial(const cp_state *s) { return s->serial; }
const char *cp_state_lineage(const cp_state *s) { return s->lineage; }
const char *cp_state_stack(const cp_state *s) { return s->stack; }
const char *cp_state_branch(const cp_state *s) { return s->branch; }
const char *cp_state_cpstack_version(const cp_state *s) { return s->cpstack_version; }
void cp_state_set_serial(cp_state *s, int64_t serial) { s->serial = serial; }
void cp_state_set_lineage(cp_state *s, const char *l)
{
    replace_str(&s->lineage, l);
    s->dirty = true;
}
void cp_state_set_stack(cp_state *s, const char *v)
{
    replace_str(&s->stack, v);
    s->dirty = true;
}
void cp_state_set_branch(cp_state *s, const char *v)
{
    replace_str(&s->branch, v);
    s->dirty = true;
}
bool cp_state_dirty(const cp_state *s) { return s->dirty; }
void cp_state_mark_clean(cp_state *s) { s->dirty = false; }
void cp_state_mark_dirty(cp_state *s) { s->dirty = true; }

/* --- outputs ----------------------------------------------------------------- */
static size_t output_pos(const cp_state *s, const char *name, bool *found)
{
    size_t lo = 0, hi = s->nouts;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->outs[mid].name, name);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void cp_state_set_output(cp_state *s, const char *name, const cp_value *value, bool sensitive)
{
    bool found;
    size_t at = output_pos(s, name, &found);
    sensitive = sensitive || cp_contains_sensitive(value);
    cp_value *v = sensitive ? cp_mark_sensitive(value) : cp_retain(value);
    s->dirty = true;
    if (found) {
        cp_release(s->outs[at].value);
        s->outs[at].value = v;
        s->outs[at].sensitive = sensitive;
        return;
    }
    CP_GROW(s->outs, s->nouts + 1, s->outcap);
    memmove(&s->outs[at + 1], &s->outs[at], (s->nouts - at) * sizeof *s->outs);
    s->outs[at] = (cp_output){ cp_xstrdup(name), v, sensitive };
    s->nouts++;
}

bool cp_state_remove_output(cp_state *s, const char *name)
{
    bool found;
    size_t at = output_pos(s, name, &found);
    if (!found) return false;
    free(s->outs[at].name);
    cp_release(s->outs[at].value);
    memmove(&s->outs[at], &s->outs[at + 1], (s->nouts - at - 1) * sizeof *s->outs);
    s->nouts--;
    s->dirty = true;
    return true;
}

const cp_value *cp_state_output(const cp_state *s, const char *name, bool *sensitive)
{
    bool found;
    size_t at = output_pos(s, name, &found);
    if (!found) return NULL;
    if (sensitive) *sensitive = s->outs[at].sensitive;
    return s->outs[at].value;
}

size_t cp_state_output_count(const cp_state *s) { return s->nouts; }
const char *cp_state_output_name(const cp_state *s, size_t i) { return s->outs[i].name; }
const cp_value *cp_state_output_value(const cp_state *s, size_t i) { return s->outs[i].value; }
bool cp_state_output_sensitive(const cp_state *s, size_t i) { return s->outs[i].sensitive; }
