/*
 * model.c: building, sorting, counting and freeing cp_plan (see model.h).
 */
#include "plan/model.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

cp_plan *cp_plan_new(void) { return cp_xcalloc(1, sizeof(cp_plan)); }

static void change_free(cp_change *c)
{
    free(c->address);
    free(c->type);
    free(c->name);
    free(c->deposed);
    free(c->moved_from);
    free(c->instance);
    free(c->import_id);
    free(c->trigger);
    cp_release(c->before);
    cp_release(c->after);
    for (size_t i = 0; i < c->nreplace; i++) free(c->replace_paths[i]);
    free(c->replace_paths);
    cp_addr_clear(&c->addr);
    cp_release(c->each_key);
    cp_release(c->each_value);
    for (size_t i = 0; i < c->ndeps; i++) free(c->deps[i]);
    free(c->deps);
}

void cp_change_add_dep(cp_change *c, const char *resource_address)
{
    for (size_t i = 0; i < c->ndeps; i++)
        if (!strcmp(c->deps[i], resource_address)) return;
    c->deps = cp_xrealloc(c->deps, (c->ndeps + 1) * sizeof(char *));
    c->deps[c->ndeps++] = cp_xstrdup(resource_address);
}

void cp_plan_free(cp_plan *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nchanges; i++) change_free(&p->changes[i]);
    free(p->changes);
    for (size_t i = 0; i < p->noutputs; i++) {
        free(p->outputs[i].name);
        cp_release(p->outputs[i].before);
        cp_release(p->outputs[i].after);
    }
    free(p->outputs);
    for (size_t i = 0; i < p->ndrift; i++) {
        free(p->drift[i].address);
        free(p->drift[i].type);
        free(p->drift[i].name);
        cp_release(p->drift[i].before);
        cp_release(p->drift[i].after);
    }
    free(p->drift);
    free(p->lineage);
    free(p);
}

cp_change *cp_plan_add(cp_plan *p, const char *address, const char *type, const char *name,
                       cp_action action, const cp_value *before, const cp_value *after)
{
    CP_GROW(p->changes, p->nchanges + 1, p->cap);
    cp_change *c = &p->changes[p->nchanges++];
    memset(c, 0, sizeof *c);
    c->address = cp_xstrdup(address);
    c->type = cp_xstrdup(type);
    c->name = cp_xstrdup(name);
    c->is_data = strncmp(address, "data.", 5) == 0;
    c->action = action;
    c->before = before ? cp_retain(before) : NULL;
    c->after = after ? cp_retain(after) : NULL;
    if (!cp_addr_parse(address, &c->addr, NULL)) memset(&c->addr, 0, sizeof c->addr);
    return c;
}

cp_change *cp_plan_add_deposed(cp_plan *p, const cp_addr *a, const char *key,
                               const cp_value *before)
{
    char *base = cp_addr_str(a);
    char *name = cp_xasprintf("%s (deposed object %s)", base, key);
    cp_change *c = cp_plan_add(p, name, a->type, a->name, CP_ACTION_DELETE, before, NULL);
    free(name);
    free(base);
    cp_addr_clear(&c->addr);
    cp_addr_copy(&c->addr, a);
    c->is_data = a->mode == CP_MODE_DATA;
    c->deposed = cp_xstrdup(key);
    c->reason = "left over from a partially-failed replacement of this instance";
    return c;
}

void cp_change_set_causes(cp_change *c, char *const *paths, size_t n)
{
    for (size_t i = 0; i < c->nreplace; i++) free(c->replace_paths[i]);
    free(c->replace_paths);
    c->replace_paths = n ? cp_xcalloc(n, sizeof(char *)) : NULL;
    for (size_t i = 0; i < n; i++) c->replace_paths[i] = cp_xstrdup(paths[i]);
    c->nreplace = n;
}

void cp_plan_add_output(cp_plan *p, const char *name, const cp_value *before, const cp_value *after,
                        bool sensitive)
{
    CP_GROW(p->outputs, p->noutputs + 1, p->ocap);
    cp_output_change *o = &p->outputs[p->noutputs++];
    o->name = cp_xstrdup(name);
    o->before = before ? cp_retain(before) : NULL;
    o->after = after ? cp_retain(after) : NULL;
    o->sensitive = sensitive;
}

static int cmp_change(const void *a, const void *b)
{
    return strcmp(((const cp_change *)a)->address, ((const cp_change *)b)->address);
}

static int cmp_output(const void *a, const void *b)
{
    return strcmp(((const cp_output_change *)a)->name, ((const cp_output_change *)b)->name);
}

void cp_plan_sort(cp_plan *p)
{
    if (p->nchanges) qsort(p->changes, p->nchanges, sizeof *p->changes, cmp_change);
    if (p->noutputs) qsort(p->outputs, p->noutputs, sizeof *p->outputs, cmp_output);
}

cp_plan_counts cp_plan_count(const cp_plan *p)
{
    cp_plan_counts n = { 0 };
    for (size_t i = 0; i < p->nchanges; i++) {
        n.import += p->changes[i].import_id != NULL;
        n.move += p->changes[i].moved_from != NULL;
        n.forget += p->changes[i].forget;
        switch (p->changes[i].action) {
        case CP_ACTION_CREATE:
            n.add++;
            break;
        case CP_ACTION_UPDATE:
            n.change++;
            break;
        case CP_ACTION_REPLACE:
            n.add++;
            n.destroy++;
            break;
        case CP_ACTION_DELETE:
            n.destroy++;
            break;
        case CP_ACTION_READ:
            n.read++;
            break;
        case CP_ACTION_NOOP:
            break;
        }
    }
    return n;
}

static bool output_changed(const cp_output_change *o)
{
    if (!o->before || !o->after) return true;
    return cp_contains_unknown(o->after) || !cp_equal(o->before, o->after);
}

void cp_plan_add_drift(cp_plan *p, const char *address, const char *type, const char *name,
                       const cp_resource_type *rtype, const cp_value *before, const cp_value *after)
{
    CP_GROW(p->drift, p->ndrift + 1, p->dcap);
    p->drift[p->ndrift++] = (cp_drift){
        .address = cp_xstrdup(address),
        .type = cp_xstrdup(type),
        .name = cp_xstrdup(name),
        .rtype = rtype,
        .before = before ? cp_retain(before) : NULL,
        .after = after ? cp_retain(after) : NULL,
    };
}

bool cp_plan_has_changes(const cp_plan *p)
{
    if (p->refresh_only) return p->ndrift > 0;
    cp_plan_counts n = cp_plan_count(p);
    if (n.add || n.change || n.destroy || n.import || n.move || n.forget) return true;
    for (size_t i = 0; i < p->noutputs; i++)
        if (output_changed(&p->outputs[i])) return true;
    return false;
}

bool cp_change_forces(const cp_change *c, const char *attr)
{
    for (size_t i = 0; i < c->nreplace; i++)
        if (!strcmp(c->replace_paths[i], attr)) return true;
    return false;
}

const cp_change *cp_plan_find(const cp_plan *p, const char *address)
{
    for (size_t i = 0; i < p->nchanges; i++)
        if (!strcmp(p->changes[i].address, address)) return &p->changes[i];
    return NULL;
}

cp_change *cp_plan_find_current(cp_plan *p, const char *address)
{
    for (size_t i = 0; i < p->nchanges; i++)
        if (!p->changes[i].deposed && !strcmp(p->changes[i].address, address))
            return &p->changes[i];
    return NULL;
}
