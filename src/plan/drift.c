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
 *
 * In a plan that changes things (not -refresh-only), drift is shown as
 * Terraform shows it, where it may matter: an object with a planned change
 * shows all of it; one planned as no-op shows only arguments (attributes
 * the provider does not compute): a certificate's status moving to ISSUED,
 * or a group's ingress filled in by separately managed rules, is the
 * provider's own business and no news (cp_plan_prune_drift).
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

/* True when an attribute the provider does not compute differs. */
static bool argument_drifted(const cp_schema_attr *attrs, const cp_value *before,
                             const cp_value *after)
{
    for (int side = 0; side < 2; side++) {
        const cp_value *m = side ? after : before;
        for (size_t i = 0; m && cp_kind_of(m) == CP_MAP && i < cp_len(m); i++) {
            const char *k = cp_map_key_at(m, i);
            const cp_schema_attr *a = cp_diff_schema_find(attrs, k);
            if (a && (a->flags & CP_COMPUTED)) continue;
            if (!attr_same(attrs, k, attr_of(before, k), attr_of(after, k))) return true;
        }
    }
    return false;
}

void cp_plan_prune_drift(cp_plan *p)
{
    size_t keep = 0;
    for (size_t i = 0; i < p->ndrift; i++) {
        cp_drift *dr = &p->drift[i];
        const cp_change *ch = cp_plan_find_current(p, dr->address);
        bool shown = !dr->after || !dr->rtype || (ch && ch->action != CP_ACTION_NOOP) ||
                     argument_drifted(dr->rtype->attrs, dr->before, dr->after);
        if (shown) {
            p->drift[keep++] = *dr;
            continue;
        }
        free(dr->address);
        free(dr->type);
        free(dr->name);
        cp_release(dr->before);
        cp_release(dr->after);
    }
    p->ndrift = keep;
}
