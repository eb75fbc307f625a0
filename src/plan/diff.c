/*
 * diff.c: the per-instance diff (see diff.h for the rules it keeps).
 *
 * Structure: plan_object() builds the planned state attribute by attribute
 * from (schema, prior, config, fresh); classify() compares planned with
 * prior and decides the action and the force-new causes. When a replace is
 * decided, the planned state is rebuilt with fresh = true so that computed
 * attributes become "known after apply".
 */
#include "plan/diff.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *cp_action_name(cp_action a)
{
    switch (a) {
    case CP_ACTION_NOOP:
        return "no-op";
    case CP_ACTION_CREATE:
        return "create";
    case CP_ACTION_UPDATE:
        return "update";
    case CP_ACTION_REPLACE:
        return "replace";
    case CP_ACTION_DELETE:
        return "delete";
    case CP_ACTION_READ:
        return "read";
    }
    return "?";
}

const cp_schema_attr *cp_diff_schema_find(const cp_schema_attr *attrs, const char *name)
{
    for (const cp_schema_attr *a = attrs; a && a->name; a++)
        if (!strcmp(a->name, name)) return a;
    return NULL;
}

/* --- equality -------------------------------------------------------------- */

static bool is_empty_coll(const cp_value *v)
{
    if (!v || cp_is_null(v)) return true;
    cp_kind k = cp_kind_of(v);
    return (k == CP_LIST || k == CP_MAP) && cp_len(v) == 0;
}

static bool json_text_equal(const cp_value *x, const cp_value *y)
{
    if (cp_kind_of(x) != CP_STRING || cp_kind_of(y) != CP_STRING) return cp_equal(x, y);
    if (!strcmp(cp_string_val(x), cp_string_val(y))) return true;
    json_t *jx = json_loads(cp_string_val(x), JSON_DECODE_ANY, NULL);
    json_t *jy = json_loads(cp_string_val(y), JSON_DECODE_ANY, NULL);
    bool eq = jx && jy && json_equal(jx, jy);
    json_decref(jx);
    json_decref(jy);
    return eq;
}

/* Two DNS names alike but for case and a final dot (Terraform's StateFunc
 * on aws_route53_record's name keeps "www.example.com" for a config's
 * "WWW.example.com."). */
static bool dns_name_equal(const cp_value *x, const cp_value *y)
{
    if (cp_kind_of(x) != CP_STRING || cp_kind_of(y) != CP_STRING) return cp_equal(x, y);
    const char *a = cp_string_val(x), *b = cp_string_val(y);
    size_t la = strlen(a), lb = strlen(b);
    if (la && a[la - 1] == '.') la--;
    if (lb && b[lb - 1] == '.') lb--;
    return la == lb && strncasecmp(a, b, la) == 0;
}

static int cmp_values(const void *a, const void *b)
{
    return cp_compare(*(const cp_value *const *)a, *(const cp_value *const *)b);
}

static const cp_value **sorted_items(const cp_value *list)
{
    size_t n = cp_len(list);
    const cp_value **v = cp_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = cp_list_get(list, i);
    qsort(v, n, sizeof *v, cmp_values);
    return v;
}

static bool set_equal(const cp_value *x, const cp_value *y)
{
    size_t n = cp_len(x);
    if (n != cp_len(y)) return false;
    const cp_value **a = sorted_items(x), **b = sorted_items(y);
    bool eq = true;
    for (size_t i = 0; i < n && eq; i++) eq = cp_equal(a[i], b[i]);
    free(a);
    free(b);
    return eq;
}

static bool block_equal(const cp_schema_attr *attrs, const cp_value *x, const cp_value *y)
{
    if (cp_kind_of(x) != CP_MAP || cp_kind_of(y) != CP_MAP) return cp_equal(x, y);
    for (const cp_schema_attr *a = attrs; a && a->name; a++) {
        const cp_value *vx = cp_map_get(x, a->name), *vy = cp_map_get(y, a->name);
        cp_value *nul = cp_null();
        bool eq = cp_attr_equal(a, vx ? vx : nul, vy ? vy : nul);
        cp_release(nul);
        if (!eq) return false;
    }
    return true;
}

static bool blocks_equal(const cp_schema_attr *a, const cp_value *x, const cp_value *y)
{
    size_t n = cp_len(x);
    if (n != cp_len(y)) return false;
    if (a->flags & CP_UNORDERED) return set_equal(x, y);
    for (size_t i = 0; i < n; i++)
        if (!block_equal(a->block, cp_list_get(x, i), cp_list_get(y, i))) return false;
    return true;
}

bool cp_attr_equal(const cp_schema_attr *a, const cp_value *x, const cp_value *y)
{
    if (cp_contains_unknown(x) || cp_contains_unknown(y)) return false;
    bool coll = a->type == CP_AT_LIST || a->type == CP_AT_MAP || a->type == CP_AT_BLOCKS;
    if (coll && is_empty_coll(x) && is_empty_coll(y)) return true;
    if (cp_kind_of(x) != cp_kind_of(y)) return false;
    if (a->flags & CP_JSON) return json_text_equal(x, y);
    if (a->flags & CP_DNS_NAME) return dns_name_equal(x, y);
    if (cp_kind_of(x) == CP_LIST) {
        if (a->type == CP_AT_BLOCKS && a->block) return blocks_equal(a, x, y);
        if (a->flags & CP_UNORDERED) return set_equal(x, y);
    }
    return cp_equal(x, y);
}

/* --- planned state --------------------------------------------------------- */

static cp_value *plan_object(const cp_schema_attr *attrs, const cp_value *prior,
                             const cp_value *config, bool fresh);

static const cp_value *map_get(const cp_value *m, const char *k)
{
    return m && cp_kind_of(m) == CP_MAP ? cp_map_get(m, k) : NULL;
}

/* A prior block that this config block leaves unchanged, or NULL. */
static const cp_value *matching_prior_block(const cp_schema_attr *a, const cp_value *prior,
                                            const cp_value *cfg)
{
    for (size_t j = 0; prior && cp_kind_of(prior) == CP_LIST && j < cp_len(prior); j++) {
        const cp_value *pj = cp_list_get(prior, j);
        cp_value *p = plan_object(a->block, pj, cfg, false);
        bool same = block_equal(a->block, p, pj);
        cp_release(p);
        if (same) return pj;
    }
    return NULL;
}

static cp_value *plan_blocks(const cp_schema_attr *a, const cp_value *prior, const cp_value *config,
                             bool fresh)
{
    if (cp_kind_of(config) != CP_LIST) return cp_retain(config);
    cp_value *out = cp_list_new();
    bool plist = prior && cp_kind_of(prior) == CP_LIST && !fresh;
    for (size_t i = 0; i < cp_len(config); i++) {
        const cp_value *ci = cp_list_get(config, i);
        const cp_value *pi = plist ? matching_prior_block(a, prior, ci) : NULL;
        if (!pi && plist && !(a->flags & CP_UNORDERED) && i < cp_len(prior))
            pi = cp_list_get(prior, i);
        cp_list_push_take(out, plan_object(a->block, pi, ci, fresh || !pi));
    }
    return out;
}

/* Not set in config: null, or no blocks at all for a block type AWS fills in
 * (optional + computed, e.g. a target group's health_check). */
static bool config_unset(const cp_schema_attr *a, const cp_value *cv)
{
    if (!cv || cp_is_null(cv)) return true;
    return a->type == CP_AT_BLOCKS && (a->flags & CP_COMPUTED) && cp_kind_of(cv) == CP_LIST &&
           cp_len(cv) == 0;
}

static cp_value *plan_attr(const cp_schema_attr *a, const cp_value *pv, const cp_value *cv,
                           bool fresh)
{
    if (!config_unset(a, cv)) {
        if (a->type == CP_AT_BLOCKS && a->block) return plan_blocks(a, pv, cv, fresh);
        if (pv && !fresh && cp_attr_equal(a, pv, cv)) return cp_mark_like_take(cp_retain(pv), cv);
        return cp_retain(cv);
    }
    if (a->flags & CP_COMPUTED) {
        if (fresh) return cp_unknown();
        return pv ? cp_retain(pv) : cp_null(); /* an older state without it: null */
    }
    return cp_null();
}

static cp_value *plan_object(const cp_schema_attr *attrs, const cp_value *prior,
                             const cp_value *config, bool fresh)
{
    cp_value *out = cp_map_new();
    for (const cp_schema_attr *a = attrs; a && a->name; a++) {
        cp_value *v = plan_attr(a, map_get(prior, a->name), map_get(config, a->name), fresh);
        if ((a->flags & CP_SENSITIVE) && !cp_is_sensitive(v)) {
            cp_value *m = cp_mark_sensitive(v);
            cp_release(v);
            v = m;
        }
        cp_map_set_take(out, a->name, v);
    }
    return out;
}

/* Every resource state has an "id"; add it when the schema does not list it. */
static void ensure_id(cp_value *planned, const cp_value *prior, bool fresh)
{
    if (cp_map_get(planned, "id")) return;
    const cp_value *pid = map_get(prior, "id");
    cp_map_set_take(planned, "id", fresh || !pid ? cp_unknown() : cp_retain(pid));
}

static cp_value *build_planned(const cp_diff_input *in, bool fresh)
{
    cp_value *p = plan_object(in->attrs, fresh ? NULL : in->prior, in->config, fresh);
    ensure_id(p, in->prior, fresh);
    return p;
}

/* --- lifecycle ----------------------------------------------------------- */

static bool is_ignored(const cp_diff_input *in, const char *name)
{
    for (size_t i = 0; i < in->nignore_changes; i++)
        if (!strcmp(in->ignore_changes[i], name)) return true;
    return false;
}

/* A copy of planned where ignored attributes take their prior values. */
static cp_value *apply_ignores_take(const cp_diff_input *in, cp_value *planned)
{
    if (!in->prior || (!in->ignore_all_changes && in->nignore_changes == 0)) return planned;
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(planned); i++) {
        const char *k = cp_map_key_at(planned, i);
        const cp_value *pv = cp_map_get(in->prior, k);
        bool keep = pv && (in->ignore_all_changes || is_ignored(in, k));
        cp_map_set_take(out, k, cp_retain(keep ? pv : cp_map_value_at(planned, i)));
    }
    cp_release(planned);
    return out;
}

static cp_value *merge_known_take(const cp_diff_input *in, cp_value *planned)
{
    if (!in->plan_known) return planned;
    cp_value *known = in->plan_known(in->config);
    if (!known || cp_kind_of(known) != CP_MAP) {
        cp_release(known);
        return planned;
    }
    cp_value *out = cp_map_overlay(planned, known);
    cp_release(known);
    cp_release(planned);
    return out;
}

/* --- classification ------------------------------------------------------ */

static void add_cause(cp_diff *d, const char *name)
{
    d->replace_paths = cp_xrealloc(d->replace_paths, (d->nreplace + 1) * sizeof(char *));
    d->replace_paths[d->nreplace++] = cp_xstrdup(name);
}

/* Any force-new attribute inside blocks that differs. */
static bool block_forces(const cp_schema_attr *a, const cp_value *pv, const cp_value *nv)
{
    if (!a->block) return false;
    bool any_fn = false;
    for (const cp_schema_attr *b = a->block; b->name; b++) any_fn |= (b->flags & CP_FORCE_NEW) != 0;
    return any_fn && !cp_attr_equal(a, pv, nv);
}

static bool classify(const cp_diff_input *in, const cp_value *planned, cp_diff *d)
{
    bool changed = false;
    cp_value *nul = cp_null();
    for (const cp_schema_attr *a = in->attrs; a && a->name; a++) {
        const cp_value *pv = map_get(in->prior, a->name), *nv = map_get(planned, a->name);
        if (!pv) pv = nul;
        if (!nv) nv = nul;
        if (!cp_attr_equal(a, pv, nv)) {
            changed = true;
            bool computed_only =
                (a->flags & CP_COMPUTED) && !(a->flags & (CP_OPTIONAL | CP_REQUIRED));
            if ((a->flags & CP_FORCE_NEW) || (a->type == CP_AT_BLOCKS && block_forces(a, pv, nv)) ||
                (!in->can_update && !computed_only))
                add_cause(d, a->name);
        }
    }
    cp_release(nul);
    const char *cause = in->replace_if && in->prior ? in->replace_if(in->prior, planned) : NULL;
    if (cause && !cp_diff_forces(d, cause)) add_cause(d, cause);
    return changed;
}

void cp_diff_compute(const cp_diff_input *in, cp_diff *d)
{
    memset(d, 0, sizeof *d);
    d->create_before_destroy = in->create_before_destroy;
    if (!in->config) {
        d->action = in->prior ? CP_ACTION_DELETE : CP_ACTION_NOOP;
        return;
    }
    if (!in->prior) {
        d->action = CP_ACTION_CREATE;
        d->planned = merge_known_take(in, build_planned(in, true));
        return;
    }
    cp_value *planned = apply_ignores_take(in, build_planned(in, false));
    bool changed = classify(in, planned, d);
    if (d->nreplace > 0 || in->force_replace) {
        cp_release(planned);
        d->action = CP_ACTION_REPLACE;
        d->planned = merge_known_take(in, build_planned(in, true));
        return;
    }
    d->action = changed ? CP_ACTION_UPDATE : CP_ACTION_NOOP;
    if (changed)
        for (const char *const *u = in->update_unknown; u && *u; u++)
            if (cp_map_get(planned, *u)) cp_map_set_take(planned, *u, cp_unknown());
    d->planned = changed ? merge_known_take(in, planned) : planned;
}

void cp_diff_clear(cp_diff *d)
{
    cp_release(d->planned);
    for (size_t i = 0; i < d->nreplace; i++) free(d->replace_paths[i]);
    free(d->replace_paths);
    memset(d, 0, sizeof *d);
}

bool cp_diff_forces(const cp_diff *d, const char *attr)
{
    for (size_t i = 0; i < d->nreplace; i++)
        if (!strcmp(d->replace_paths[i], attr)) return true;
    return false;
}
