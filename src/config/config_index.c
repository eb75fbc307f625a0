/*
 * config_index.c: hash indexes of a config's resources by address and of
 * its variables and locals by name, so that reference checks, duplicate
 * checks and planning stay linear on stacks of 10,000+ of each. Building the
 * resource index also reports duplicate resources; the name tables grow as
 * decoding appends (slots hold array positions, which survive a realloc).
 */
#include "config/config_internal.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct name_table {
    size_t cap, len; /* cap: 0 or a power of two, kept above 2 * len */
    size_t *slots;   /* array position + 1; 0 = empty */
} name_table;

struct cp_config_index {
    size_t cap;    /* power of two */
    size_t *slots; /* resource index + 1; 0 = empty */
    name_table vars, locals;
};

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

const cp_config_resource *cp__config_index_find(const cp_config *c, const char *address)
{
    const struct cp_config_index *ix = c->index;
    if (!ix || !ix->slots) return NULL;
    for (size_t i = hash_str(address) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        if (!ix->slots[i]) return NULL;
        const cp_config_resource *r = &c->resources[ix->slots[i] - 1];
        if (!strcmp(r->address, address)) return r;
    }
}

/* ---- variables and locals by name ---- */

static const char *name_at(const cp_config *c, char kind, size_t i)
{
    return kind == 'v' ? c->variables[i].name : c->locals[i].name;
}

static void table_put(name_table *t, const char *name, size_t pos)
{
    size_t i = hash_str(name) & (t->cap - 1);
    while (t->slots[i]) i = (i + 1) & (t->cap - 1);
    t->slots[i] = pos + 1;
}

static void table_grow(const cp_config *c, char kind, name_table *t)
{
    size_t old_cap = t->cap;
    size_t *old = t->slots;
    t->cap = old_cap ? old_cap * 2 : 64;
    t->slots = cp_xcalloc(t->cap, sizeof *t->slots);
    for (size_t i = 0; i < old_cap; i++)
        if (old[i]) table_put(t, name_at(c, kind, old[i] - 1), old[i] - 1);
    free(old);
}

static struct cp_config_index *index_of(cp_config *c)
{
    if (!c->index) c->index = cp_xcalloc(1, sizeof *c->index);
    return c->index;
}

void cp__config_name_add(cp_config *c, char kind, size_t pos)
{
    struct cp_config_index *ix = index_of(c);
    name_table *t = kind == 'v' ? &ix->vars : &ix->locals;
    if (2 * (t->len + 1) >= t->cap) table_grow(c, kind, t);
    table_put(t, name_at(c, kind, pos), pos);
    t->len++;
}

size_t cp__config_name_find(const cp_config *c, char kind, const char *name)
{
    const name_table *t = !c->index ? NULL : kind == 'v' ? &c->index->vars : &c->index->locals;
    if (!t || !t->cap) { /* built by hand, not decoded: look through them */
        size_t n = kind == 'v' ? c->nvariables : c->nlocals;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(name_at(c, kind, i), name)) return i;
        return SIZE_MAX;
    }
    for (size_t i = hash_str(name) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->slots[i]) return SIZE_MAX;
        if (!strcmp(name_at(c, kind, t->slots[i] - 1), name)) return t->slots[i] - 1;
    }
}

/* ---- resources by address ---- */

void cp__config_index_build(cp_config *c, cp_diags *d)
{
    struct cp_config_index *ix = index_of(c);
    free(ix->slots);
    ix->cap = 16;
    while (ix->cap < c->nresources * 2 + 2) ix->cap *= 2;
    ix->slots = cp_xcalloc(ix->cap, sizeof *ix->slots);
    for (size_t k = 0; k < c->nresources; k++) {
        const cp_config_resource *r = &c->resources[k];
        const cp_config_resource *dup = cp__config_index_find(c, r->address);
        if (dup) {
            char *where = cp_loc_string(&c->sources, dup->loc);
            cp_diag_error(d, r->loc, "duplicate %s %s; first declared at %s",
                          r->is_data ? "data source" : "resource", r->address, where);
            free(where);
            continue;
        }
        size_t i = hash_str(r->address) & (ix->cap - 1);
        while (ix->slots[i]) i = (i + 1) & (ix->cap - 1);
        ix->slots[i] = k + 1;
    }
}

void cp__config_index_free(cp_config *c)
{
    if (!c->index) return;
    free(c->index->slots);
    free(c->index->vars.slots);
    free(c->index->locals.slots);
    free(c->index);
    c->index = NULL;
}

void cp__config_index_drop_resources(cp_config *c)
{
    if (!c->index) return;
    free(c->index->slots);
    c->index->slots = NULL;
    c->index->cap = 0;
}
