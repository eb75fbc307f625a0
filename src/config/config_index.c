/*
 * config_index.c: a hash index of a config's resources by address, so that
 * reference checks and planning stay linear on stacks of 10,000+ resources.
 * Building it also reports duplicate resources.
 */
#include "config/config_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct cp_config_index {
    size_t cap;    /* power of two */
    size_t *slots; /* resource index + 1; 0 = empty */
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
    if (!ix) return NULL;
    for (size_t i = hash_str(address) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        if (!ix->slots[i]) return NULL;
        const cp_config_resource *r = &c->resources[ix->slots[i] - 1];
        if (!strcmp(r->address, address)) return r;
    }
}

void cp__config_index_build(cp_config *c, cp_diags *d)
{
    struct cp_config_index *ix = cp_xcalloc(1, sizeof *ix);
    ix->cap = 16;
    while (ix->cap < c->nresources * 2 + 2) ix->cap *= 2;
    ix->slots = cp_xcalloc(ix->cap, sizeof *ix->slots);
    c->index = ix;
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
    free(c->index);
    c->index = NULL;
}
