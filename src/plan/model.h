/*
 * model.h: a plan as data — the list of changes the planner decided on.
 *
 * The planner (plan.h) fills a cp_plan; the renderer (render.h) prints it
 * for people or as JSON; apply (apply/) executes it. A cp_change owns its
 * strings and values (value.h rule: released by cp_plan_free). Changes are
 * kept in the order added; cp_plan_sort orders them by address for output.
 * The delete of a deposed object (left by an interrupted create_before_
 * destroy replacement) is a change of its own, named apart from its
 * instance's change.
 */
#ifndef CP_PLAN_MODEL_H
#define CP_PLAN_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "plan/diff.h"
#include "providers/provider.h"
#include "addrs/address.h"

typedef struct cp_change {
    char *address;     /* canonical instance address */
    char *type, *name; /* for `resource "type" "name"` */
    bool is_data;
    const cp_resource_type *rtype; /* NULL when the type is unknown */
    const cp_provider *provider;   /* rtype's provider (NULL with it) */
    char *instance; /* provider instance ("aws.west"), from config or state; NULL: default */
    cp_action action;
    cp_value *before;     /* prior state attributes, or NULL */
    cp_value *after;      /* planned state, or NULL (delete) */
    char **replace_paths; /* attributes that force replacement */
    size_t nreplace;
    bool create_before_destroy;
    const char *reason; /* static text explaining the action, or NULL */
    /* For apply: where the instance comes from and what it depends on. */
    cp_addr addr;                   /* parsed address (owned) */
    const cp_config_resource *cres; /* NULL for an instance no longer in config */
    cp_value *each_key;             /* for_each key (string) or count index (number); NULL */
    cp_value *each_value;           /* for_each value; NULL */
    char **deps;                    /* resource addresses it depends on (config or state) */
    size_t ndeps;
    bool pending;  /* prior object is a pending create from a crashed run */
    char *deposed; /* deleting the deposed object with this key (then
                      address is "ADDR (deposed object KEY)"); else NULL */
    /* From the stack's moved / import / removed blocks and lifecycle
     * (plan_moved.c, plan_import.c, plan_conditions.c); all owned. */
    char *moved_from; /* its address in state before a moved block renamed it */
    char *import_id;  /* imported by an import block in this plan, with this id */
    char *trigger;    /* the replace_triggered_by entry that forces this replace */
    bool forget;      /* removed block, destroy = false: only state forgets it */
} cp_change;

typedef struct cp_output_change {
    char *name;
    cp_value *before; /* NULL: new output */
    cp_value *after;  /* NULL: output removed */
    bool sensitive;
} cp_output_change;

/* An object refresh found different from state (drift.c): "changed
 * outside cpstack". before is what state held, after what refresh read
 * (NULL: the object is gone). Shown before the planned changes. */
typedef struct cp_drift {
    char *address, *type, *name;
    const cp_resource_type *rtype; /* NULL when the type is unknown */
    cp_value *before;
    cp_value *after;
} cp_drift;

typedef struct cp_plan {
    cp_change *changes;
    size_t nchanges, cap;
    cp_output_change *outputs;
    size_t noutputs, ocap;
    cp_drift *drift; /* objects changed outside cpstack, by address */
    size_t ndrift, dcap;
    bool destroy;      /* a destroy plan */
    bool refresh_only; /* -refresh-only: only state is updated to match reality */
    char *lineage;     /* of the state planned against (NULL: none) */
    long long serial;
} cp_plan;

typedef struct cp_plan_counts {
    size_t add, change, destroy, read;
    size_t import, move, forget; /* besides the actions above */
} cp_plan_counts;

cp_plan *cp_plan_new(void);
void cp_plan_free(cp_plan *p);
/* Append a change; type/name/address are copied, before/after retained,
 * the diff's replace paths copied. Returns the new change. */
cp_change *cp_plan_add(cp_plan *p, const char *address, const char *type, const char *name,
                       cp_action action, const cp_value *before, const cp_value *after);
/* Append the delete of a deposed object (state.h) of instance a: address
 * "ADDR (deposed object KEY)" (so it never clashes with the instance's own
 * change), addr = a, deposed = key, before retained. */
cp_change *cp_plan_add_deposed(cp_plan *p, const cp_addr *a, const char *key,
                               const cp_value *before);
void cp_change_set_causes(cp_change *c, char *const *paths, size_t n);
void cp_change_add_dep(cp_change *c, const char *resource_address);
void cp_plan_add_output(cp_plan *p, const char *name, const cp_value *before, const cp_value *after,
                        bool sensitive);
void cp_plan_sort(cp_plan *p);
cp_plan_counts cp_plan_count(const cp_plan *p);
/* resources or outputs (a refresh-only plan: drift) */
bool cp_plan_has_changes(const cp_plan *p);
/* Append a drift entry (copies the strings, retains the values). */
void cp_plan_add_drift(cp_plan *p, const char *address, const char *type, const char *name,
                       const cp_resource_type *rtype, const cp_value *before,
                       const cp_value *after);
bool cp_change_forces(const cp_change *c, const char *attr);
const cp_change *cp_plan_find(const cp_plan *p, const char *address);
/* The change of the current object at address (deposed ones skipped), or NULL. */
cp_change *cp_plan_find_current(cp_plan *p, const char *address);

#endif
