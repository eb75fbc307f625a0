/*
 * render_json.c: the machine form of a plan (`plan -json`), see render.h.
 *
 * Values are emitted as JSON with unknown and sensitive parts replaced by
 * null; beside each value a mask tree (after_unknown, before_sensitive,
 * after_sensitive) says which parts were unknown or sensitive, as in
 * Terraform's JSON plan. Secrets never appear. The delete of a deposed
 * object carries its instance address and "deposed": KEY, as Terraform's.
 * planned_values is the state the plan leads to (every object that stays,
 * with the attributes known now: unknown ones left out of objects, null in
 * lists, as Terraform's), prior_state the refreshed state it starts from.
 */
#include "plan/render.h"
#include "lang/value_json.h"

#include <stdlib.h>
#include <string.h>

json_t *cp_render_value_json(const cp_value *v)
{
    if (!v) return json_null();
    if (cp_is_sensitive(v) || cp_is_unknown(v)) return json_null();
    if (cp_kind_of(v) == CP_LIST) {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(v); i++)
            json_array_append_new(a, cp_render_value_json(cp_list_get(v, i)));
        return a;
    }
    if (cp_kind_of(v) == CP_MAP) {
        json_t *o = json_object();
        for (size_t i = 0; i < cp_len(v); i++)
            json_object_set_new(o, cp_map_key_at(v, i),
                                cp_render_value_json(cp_map_value_at(v, i)));
        return o;
    }
    json_t *j = cp_value_to_json(v, true);
    return j ? j : json_null();
}

/* Mask tree: true where pred holds for the value, nested for collections,
 * omitted (NULL) where nothing below matches. */
static json_t *mask(const cp_value *v, bool unknown)
{
    if (!v) return NULL;
    if (unknown ? cp_is_unknown(v) : cp_is_sensitive(v)) return json_true();
    if (unknown ? !cp_contains_unknown(v) : !cp_contains_sensitive(v)) return NULL;
    bool list = cp_kind_of(v) == CP_LIST;
    json_t *out = list ? json_array() : json_object();
    for (size_t i = 0; i < cp_len(v); i++) {
        const cp_value *x = list ? cp_list_get(v, i) : cp_map_value_at(v, i);
        json_t *m = mask(x, unknown);
        if (list)
            json_array_append_new(out, m ? m : json_false());
        else if (m)
            json_object_set_new(out, cp_map_key_at(v, i), m);
    }
    return out;
}

static json_t *mask_or_empty(const cp_value *v, bool unknown)
{
    json_t *m = mask(v, unknown);
    return m ? m : json_object();
}

static json_t *actions_json(const cp_change *c)
{
    json_t *a = json_array();
    switch (c->action) {
    case CP_ACTION_NOOP:
        json_array_append_new(a, json_string("no-op"));
        break;
    case CP_ACTION_CREATE:
        json_array_append_new(a, json_string("create"));
        break;
    case CP_ACTION_UPDATE:
        json_array_append_new(a, json_string("update"));
        break;
    case CP_ACTION_DELETE:
        json_array_append_new(a, json_string("delete"));
        break;
    case CP_ACTION_READ:
        json_array_append_new(a, json_string("read"));
        break;
    case CP_ACTION_REPLACE:
        json_array_append_new(a, json_string(c->create_before_destroy ? "create" : "delete"));
        json_array_append_new(a, json_string(c->create_before_destroy ? "delete" : "create"));
        break;
    }
    return a;
}

/* "index" (count or for_each key) and "provider_name" of an address, as in
 * Terraform's plan and state JSON. */
static void add_index_provider(json_t *r, const cp_addr *a)
{
    if (a->key_kind == CP_KEY_INT) json_object_set_new(r, "index", json_integer(a->key_int));
    if (a->key_kind == CP_KEY_STR) json_object_set_new(r, "index", json_string(a->key_str));
    const char *us = a->type ? strchr(a->type, '_') : NULL;
    json_object_set_new(r, "provider_name",
                        us ? json_stringn(a->type, (size_t)(us - a->type))
                           : json_string(a->type ? a->type : ""));
}

static json_t *change_json(const cp_change *c)
{
    json_t *ch = json_object();
    json_object_set_new(ch, "actions", actions_json(c));
    json_object_set_new(ch, "before", cp_render_value_json(c->before));
    json_object_set_new(ch, "after", cp_render_value_json(c->after));
    json_object_set_new(ch, "after_unknown", mask_or_empty(c->after, true));
    json_object_set_new(ch, "before_sensitive", mask_or_empty(c->before, false));
    json_object_set_new(ch, "after_sensitive", mask_or_empty(c->after, false));
    json_t *rp = json_array();
    for (size_t i = 0; i < c->nreplace; i++)
        json_array_append_new(rp, json_string(c->replace_paths[i]));
    json_object_set_new(ch, "replace_paths", rp);
    json_t *rc = json_object();
    if (c->deposed) { /* Terraform's form: the instance address plus "deposed" */
        char *a = cp_addr_str(&c->addr);
        json_object_set_new(rc, "address", json_string(a));
        json_object_set_new(rc, "deposed", json_string(c->deposed));
        free(a);
    } else {
        json_object_set_new(rc, "address", json_string(c->address));
    }
    if (c->addr.module) json_object_set_new(rc, "module_address", json_string(c->addr.module));
    json_object_set_new(rc, "mode", json_string(c->is_data ? "data" : "managed"));
    json_object_set_new(rc, "type", json_string(c->type));
    json_object_set_new(rc, "name", json_string(c->name));
    add_index_provider(rc, &c->addr);
    if (c->instance) json_object_set_new(rc, "provider_instance", json_string(c->instance));
    json_object_set_new(rc, "action", json_string(cp_action_name(c->action)));
    if (c->reason) json_object_set_new(rc, "action_reason", json_string(c->reason));
    if (c->trigger) json_object_set_new(rc, "action_reason", json_string("replace_by_triggers"));
    if (c->moved_from) json_object_set_new(rc, "previous_address", json_string(c->moved_from));
    if (c->import_id) json_object_set_new(ch, "importing", json_pack("{s:s}", "id", c->import_id));
    if (c->forget) json_object_set_new(rc, "action", json_string("forget"));
    json_object_set_new(rc, "change", ch);
    return rc;
}

static json_t *outputs_json(const cp_plan *p)
{
    json_t *o = json_object();
    for (size_t i = 0; i < p->noutputs; i++) {
        const cp_output_change *oc = &p->outputs[i];
        json_t *x = json_object();
        const char *act = !oc->before  ? "create"
                          : !oc->after ? "delete"
                          : (cp_contains_unknown(oc->after) || !cp_equal(oc->before, oc->after))
                              ? "update"
                              : "no-op";
        json_object_set_new(x, "actions", json_pack("[s]", act));
        json_object_set_new(x, "sensitive", json_boolean(oc->sensitive));
        json_object_set_new(x, "before",
                            oc->sensitive ? json_null() : cp_render_value_json(oc->before));
        json_object_set_new(x, "after",
                            oc->sensitive ? json_null() : cp_render_value_json(oc->after));
        json_object_set_new(x, "after_unknown",
                            json_boolean(oc->after && cp_contains_unknown(oc->after)));
        json_object_set_new(o, oc->name, x);
    }
    return o;
}

/* resource_drift: Terraform's shape, an update (or delete) from what state
 * held to what refresh read. */
static json_t *drift_json(const cp_drift *d)
{
    /* the schema's sensitive attributes marked, whatever the values carry */
    const cp_schema_attr *attrs = d->rtype ? d->rtype->attrs : NULL;
    cp_value *before = d->before && attrs ? cp_schema_mark_sensitive(attrs, d->before, NULL)
                                          : cp_retain(d->before);
    cp_value *after = d->after && attrs ? cp_schema_mark_sensitive(attrs, d->after, d->before)
                                        : cp_retain(d->after);
    json_t *ch = json_object();
    json_object_set_new(ch, "actions", json_pack("[s]", d->after ? "update" : "delete"));
    json_object_set_new(ch, "before", cp_render_value_json(before));
    json_object_set_new(ch, "after", cp_render_value_json(after));
    json_object_set_new(ch, "before_sensitive", mask_or_empty(before, false));
    json_object_set_new(ch, "after_sensitive", mask_or_empty(after, false));
    cp_release(before);
    cp_release(after);
    return json_pack("{s:s,s:s,s:s,s:s,s:o}", "address", d->address, "mode", "managed", "type",
                     d->type, "name", d->name, "change", ch);
}

/* The known part of a planned value: unknown attributes of objects left
 * out, unknown list elements null (positions kept); sensitive ones null. */
static json_t *known_json(const cp_value *v)
{
    if (!v || cp_is_unknown(v) || cp_is_sensitive(v)) return json_null();
    if (cp_kind_of(v) == CP_LIST) {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(v); i++)
            json_array_append_new(a, known_json(cp_list_get(v, i)));
        return a;
    }
    if (cp_kind_of(v) == CP_MAP) {
        json_t *o = json_object();
        for (size_t i = 0; i < cp_len(v); i++)
            if (!cp_is_unknown(cp_map_value_at(v, i)))
                json_object_set_new(o, cp_map_key_at(v, i), known_json(cp_map_value_at(v, i)));
        return o;
    }
    return cp_render_value_json(v);
}

/* The module object of path mod (NULL: root) inside root, made on demand. */
static json_t *module_json(json_t *root, const char *mod);

static json_t *planned_values_json(const cp_plan *p)
{
    json_t *root = json_pack("{s:[]}", "resources");
    for (size_t i = 0; i < p->nchanges; i++) {
        const cp_change *c = &p->changes[i];
        if (!c->after || c->deposed || c->forget || c->action == CP_ACTION_DELETE) continue;
        json_t *r = json_object();
        json_object_set_new(r, "address", json_string(c->address));
        json_object_set_new(r, "mode", json_string(c->is_data ? "data" : "managed"));
        json_object_set_new(r, "type", json_string(c->type));
        json_object_set_new(r, "name", json_string(c->name));
        add_index_provider(r, &c->addr);
        json_object_set_new(r, "values", known_json(c->after));
        json_object_set_new(r, "sensitive_values", mask_or_empty(c->after, false));
        json_t *m = module_json(root, c->addr.module);
        json_array_append_new(json_object_get(m, "resources"), r);
    }
    json_t *outs = json_object();
    for (size_t i = 0; i < p->noutputs; i++) {
        const cp_output_change *oc = &p->outputs[i];
        if (!oc->after) continue;
        json_t *o = json_pack("{s:b}", "sensitive", oc->sensitive);
        if (!cp_contains_unknown(oc->after))
            json_object_set_new(o, "value",
                                oc->sensitive ? json_null() : cp_render_value_json(oc->after));
        json_object_set_new(outs, oc->name, o);
    }
    return json_pack("{s:o,s:o}", "outputs", outs, "root_module", root);
}

json_t *cp_plan_render_json(const cp_plan *p, const cp_state *prior)
{
    json_t *root = json_object();
    json_object_set_new(root, "format_version", json_string("1.0"));
    if (p->ndrift) {
        json_t *dr = json_array();
        for (size_t i = 0; i < p->ndrift; i++) json_array_append_new(dr, drift_json(&p->drift[i]));
        json_object_set_new(root, "resource_drift", dr);
    }
    if (p->refresh_only) json_object_set_new(root, "refresh_only", json_true());
    json_t *rcs = json_array();
    for (size_t i = 0; i < p->nchanges; i++)
        json_array_append_new(rcs, change_json(&p->changes[i]));
    json_object_set_new(root, "resource_changes", rcs);
    json_object_set_new(root, "output_changes", outputs_json(p));
    json_t *prior_json = prior ? cp_state_render_json(prior) : NULL;
    /* a refresh-only plan leads to the refreshed state itself */
    json_object_set_new(root, "planned_values",
                        p->refresh_only && prior_json
                            ? json_deep_copy(json_object_get(prior_json, "values"))
                            : planned_values_json(p));
    if (prior_json) json_object_set_new(root, "prior_state", prior_json);
    cp_plan_counts n = cp_plan_count(p);
    json_object_set_new(root, "summary",
                        json_pack("{s:I,s:I,s:I}", "add", (json_int_t)n.add, "change",
                                  (json_int_t)n.change, "destroy", (json_int_t)n.destroy));
    json_object_set_new(root, "has_changes", json_boolean(cp_plan_has_changes(p)));
    return root;
}

/* --- state (show -json) ---------------------------------------------------- */

static json_t *instance_json(const cp_instance *inst)
{
    const cp_addr *a = cp_instance_addr(inst);
    const cp_value *attrs = cp_instance_attrs(inst);
    json_t *r = json_object();
    json_object_set_new(r, "address", json_string(cp_instance_addr_str(inst)));
    json_object_set_new(r, "mode", json_string(a->mode == CP_MODE_DATA ? "data" : "managed"));
    json_object_set_new(r, "type", json_string(a->type));
    json_object_set_new(r, "name", json_string(a->name));
    add_index_provider(r, a);
    json_object_set_new(r, "schema_version",
                        json_integer((json_int_t)cp_instance_schema_version(inst)));
    json_object_set_new(r, "values", cp_render_value_json(attrs));
    json_object_set_new(r, "sensitive_values", mask_or_empty(attrs, false));
    if (cp_instance_status(inst) != CP_STATUS_OK)
        json_object_set_new(r, "status", json_string(cp_status_name(cp_instance_status(inst))));
    return r;
}

static json_t *module_json(json_t *root, const char *mod)
{
    if (!mod) return root;
    json_t *kids = json_object_get(root, "child_modules");
    if (!kids) {
        kids = json_array();
        json_object_set_new(root, "child_modules", kids);
    }
    size_t i;
    json_t *m;
    json_array_foreach(kids, i, m)
    {
        if (!strcmp(json_string_value(json_object_get(m, "address")), mod)) return m;
    }
    m = json_pack("{s:s,s:[]}", "address", mod, "resources");
    json_array_append_new(kids, m);
    return m;
}

json_t *cp_state_render_json(const cp_state *st)
{
    json_t *root = json_pack("{s:[]}", "resources");
    for (size_t i = 0; i < cp_state_count(st); i++) {
        const cp_instance *inst = cp_state_at(st, i);
        json_t *m = module_json(root, cp_instance_addr(inst)->module);
        json_array_append_new(json_object_get(m, "resources"), instance_json(inst));
    }
    json_t *outs = json_object();
    for (size_t i = 0; i < cp_state_output_count(st); i++) {
        bool sens = cp_state_output_sensitive(st, i);
        const cp_value *v = cp_state_output_value(st, i);
        json_object_set_new(outs, cp_state_output_name(st, i),
                            json_pack("{s:b,s:o}", "sensitive", sens, "value",
                                      sens ? json_null() : cp_render_value_json(v)));
    }
    json_t *values = json_pack("{s:o,s:o}", "outputs", outs, "root_module", root);
    return json_pack("{s:s,s:o}", "format_version", "1.0", "values", values);
}
