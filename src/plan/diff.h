/*
 * diff.h: deciding what must happen to one resource instance.
 *
 * The diff is the pure core of planning: given a resource type's schema,
 * the instance's prior state (or none), its evaluated config (or none) and
 * its lifecycle settings, it decides no-op / create / update in place /
 * replace / delete, names the force-new attributes that cause a replace,
 * and computes the planned new state:
 *   - arguments set in config take the config value (which may be unknown);
 *   - computed attributes not set in config keep the prior value, or become
 *     unknown when the object is created or replaced;
 *   - optional+computed attributes not set in config keep the prior value;
 *   - an update makes the type's update_unknown attributes unknown;
 *   - CP_UNORDERED lists compare as sets and CP_JSON strings compare as
 *     JSON documents; when equal, the prior form is kept (no diff);
 *   - ignore_changes keeps the prior value of the listed attributes.
 * It touches no state file, provider or graph, so it is tested on its own.
 * Values follow value.h's rule: inputs are borrowed, outputs are owned by
 * the cp_diff and released by cp_diff_clear.
 */
#ifndef CP_PLAN_DIFF_H
#define CP_PLAN_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/value.h"
#include "providers/provider.h"

typedef enum cp_action {
    CP_ACTION_NOOP,
    CP_ACTION_CREATE,
    CP_ACTION_UPDATE,
    CP_ACTION_REPLACE,
    CP_ACTION_DELETE,
    CP_ACTION_READ /* data sources: read during apply */
} cp_action;

const char *cp_action_name(cp_action a); /* "no-op", "create", … */

typedef struct cp_diff_input {
    const cp_schema_attr *attrs; /* the type's schema, {NULL}-terminated */
    const cp_value *prior;       /* prior state attributes; NULL = none */
    const cp_value *config;      /* evaluated config; NULL = not in config */
    bool create_before_destroy;
    bool ignore_all_changes;
    char *const *ignore_changes; /* top-level attribute names */
    size_t nignore_changes;
    bool force_replace;                              /* -replace ADDR */
    bool can_update;                                 /* the type has an update function */
    cp_value *(*plan_known)(const cp_value *config); /* optional */
    const char *const *update_unknown; /* optional: computed attributes an update makes unknown */
    /* optional: cp_resource_type.replace_if */
    const char *(*replace_if)(const cp_value *prior, const cp_value *planned);
} cp_diff_input;

typedef struct cp_diff {
    cp_action action;
    cp_value *planned;    /* planned new state; NULL for delete */
    char **replace_paths; /* attributes forcing replacement */
    size_t nreplace;
    bool create_before_destroy;
} cp_diff;

void cp_diff_compute(const cp_diff_input *in, cp_diff *out);
void cp_diff_clear(cp_diff *d);

/* True when the diff names `attr` as a cause of replacement. */
bool cp_diff_forces(const cp_diff *d, const char *attr);

/* Schema-aware equality of two values of one attribute: unknowns are never
 * equal, CP_JSON strings compare semantically, CP_UNORDERED as sets, null
 * equals an empty list or map. */
bool cp_attr_equal(const cp_schema_attr *a, const cp_value *x, const cp_value *y);

/* Schema lookup (NULL when absent). */
const cp_schema_attr *cp_diff_schema_find(const cp_schema_attr *attrs, const char *name);

#endif
