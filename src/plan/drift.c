/*
 * drift.c: what refresh found different from state — Terraform's "objects
 * changed outside" — recorded in the plan (model.h: cp_drift) before the
 * planned changes are made.
 *
 * Every current managed instance of the prior state is compared with its
 * refreshed self attribute by attribute, with the schema's equality
 * (cp_attr_equal: unordered sets, JSON text, null as an empty collection),
 * so what the planner would call "no change" is never called drift either.
 * An instance gone from the refreshed state was deleted outside cpstack. A
 * pending create (adopted or dropped by refresh) is no drift: cpstack made
 * it; so is an unsettled one (cpstack stopped waiting for it to be ready:
 * what changed since is its own doing). Deposed objects and data sources
 * are not reported.
 */
#include "plan/plan.h"

#include <string.h>

static const cp_value *attr_of(const cp_value *m, const char *k)
{
    return m && cp_kind_of(m) == CP_MAP ? cp_map_get(m, k) : NULL;
}

static bool attr_same(const cp_schema_attr *attrs, const char *k, const cp_value *x,
                      const cp_value *y)
{
    const cp_schema_attr *a = attrs ? cp_diff_schema_find(attrs, k) : NULL;
    if (!x || !y) {
        const cp_value *v = x ? x : y;
        return cp_is_null(v) ||
               ((cp_kind_of(v) == CP_LIST || cp_kind_of(v) == CP_MAP) && cp_len(v) == 0 && a);
    }
    return a ? cp_attr_equal(a, x, y) : cp_equal(x, y);
}

/* True when any attribute of before and after differs. */
static bool object_drifted(const cp_schema_attr *attrs, const cp_value *before,
                           const cp_value *after)
{
    for (int side = 0; side < 2; side++) {
        const cp_value *m = side ? after : before;
        for (size_t i = 0; m && cp_kind_of(m) == CP_MAP && i < cp_len(m); i++) {
            const char *k = cp_map_key_at(m, i);
            if (!attr_same(attrs, k, attr_of(before, k), attr_of(after, k))) return true;
        }
    }
    return false;
}

void cp_plan_find_drift(const cp_type_lookup *types, const cp_state *prior,
                        const cp_state *refreshed, cp_plan *p)
{
    for (size_t i = 0; i < cp_state_count(prior); i++) {
        const cp_instance *old = cp_state_at(prior, i);
        const cp_addr *a = cp_instance_addr(old);
        if (a->mode != CP_MODE_MANAGED || cp_instance_status(old) != CP_STATUS_OK) continue;
        const cp_instance *now = cp_state_find(refreshed, a);
        const cp_resource_type *rt = cp_plan_type_of(types, a, NULL);
        const cp_value *before = cp_instance_attrs(old);
        const cp_value *after = now ? cp_instance_attrs(now) : NULL;
        if (now && !object_drifted(rt ? rt->attrs : NULL, before, after)) continue;
        cp_plan_add_drift(p, cp_instance_addr_str(old), a->type, a->name, rt, before, after);
    }
}
