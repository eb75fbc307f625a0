/*
 * state_json.c: writing a cp_state as JSON (the format is described in
 * src/state/README.md and src/state/state.schema.json).
 *
 * Two writers produce the same document: cp_state_to_json builds a json_t
 * (for -json output and tests); cp_state_serialize writes text, and is the
 * one used for files because it is fast: each frozen instance caches its
 * own indented JSON text the first time it is written, so saving a 10,000
 * resource state after one resource changed only re-encodes that one and
 * copies the rest. Instances are frozen, so a cached text never goes stale.
 *
 * Deposed objects are written inside their resource entry as "deposed":
 * [{"key", "schema_version", "attributes", "sensitive_attributes",
 * "dependencies"}]; an entry whose current object is gone has only the
 * address fields and "deposed". Such entries are rare and not cached.
 *
 * Unknown values ("known after apply", possible in a pending_create
 * instance's planned attributes) are written as null.
 */
#include "state/state_internal.h"
#include "lang/value_json.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static json_t *key_to_json(const cp_addr *a)
{
    if (a->key_kind == CP_KEY_INT) return json_integer((json_int_t)a->key_int);
    return json_string(a->key_str);
}

/* The object's own fields: what a current and a deposed object share. */
static void add_object_fields(json_t *o, const cp_instance *inst)
{
    json_object_set_new(o, "schema_version", json_integer((json_int_t)inst->schema_version));
    if (inst->provider) json_object_set_new(o, "provider", json_string(inst->provider));
    json_t *attrs = cp_value_to_json(inst->attrs, true);
    json_object_set_new(o, "attributes", attrs ? attrs : json_object());
    cp_value *paths = cp_sensitive_paths(inst->attrs);
    json_object_set_new(o, "sensitive_attributes", cp_value_to_json(paths, true));
    cp_release(paths);
    json_t *deps = json_array();
    for (size_t i = 0; i < inst->ndeps; i++)
        json_array_append_new(deps, json_string(inst->deps[i]));
    json_object_set_new(o, "dependencies", deps);
}

static json_t *address_to_json(const cp_addr *a)
{
    json_t *o = json_object();
    if (a->module) json_object_set_new(o, "module", json_string(a->module));
    json_object_set_new(o, "mode", json_string(a->mode == CP_MODE_DATA ? "data" : "managed"));
    json_object_set_new(o, "type", json_string(a->type));
    json_object_set_new(o, "name", json_string(a->name));
    if (a->key_kind != CP_KEY_NONE) json_object_set_new(o, "index_key", key_to_json(a));
    return o;
}

static json_t *instance_to_json(const cp_instance *inst)
{
    json_t *o = address_to_json(&inst->addr);
    json_object_set_new(o, "status", json_string(cp_status_name(inst->status)));
    add_object_fields(o, inst);
    return o;
}

/* A resource entry with deposed objects: cur (may be NULL: only deposed
 * objects remain) plus "deposed": [{key, …fields}] for dep[first, first+n). */
static json_t *entry_with_deposed(const cp_state *s, const cp_instance *cur, size_t first, size_t n)
{
    json_t *o = cur ? instance_to_json(cur) : address_to_json(&s->dep[first]->addr);
    json_t *arr = json_array();
    for (size_t i = first; i < first + n; i++) {
        json_t *d = json_object();
        json_object_set_new(d, "key", json_string(s->dep[i]->deposed_key));
        add_object_fields(d, s->dep[i]);
        json_array_append_new(arr, d);
    }
    json_object_set_new(o, "deposed", arr);
    return o;
}

/* Walks the resource entries in address order: each is a current instance,
 * its deposed objects, or both. */
typedef struct entry_iter {
    size_t ci, di; /* next current / deposed */
} entry_iter;

/* The next entry: *cur (or NULL) and the deposed range [*first, +*n). */
static bool next_entry(const cp_state *s, entry_iter *it, const cp_instance **cur, size_t *first,
                       size_t *n)
{
    if (it->ci >= s->n && it->di >= s->ndep) return false;
    const cp_addr *a;
    if (it->di >= s->ndep)
        a = &s->items[it->ci]->addr;
    else if (it->ci >= s->n)
        a = &s->dep[it->di]->addr;
    else {
        int c = cp_addr_compare(&s->items[it->ci]->addr, &s->dep[it->di]->addr);
        a = c <= 0 ? &s->items[it->ci]->addr : &s->dep[it->di]->addr;
    }
    *cur = it->ci < s->n && cp_addr_equal(&s->items[it->ci]->addr, a) ? s->items[it->ci++] : NULL;
    *first = it->di;
    while (it->di < s->ndep && cp_addr_equal(&s->dep[it->di]->addr, a)) it->di++;
    *n = it->di - *first;
    return true;
}

static json_t *outputs_to_json(const cp_state *s)
{
    json_t *o = json_object();
    for (size_t i = 0; i < s->nouts; i++) {
        json_t *v = cp_value_to_json(s->outs[i].value, true);
        json_object_set_new(o, s->outs[i].name,
                            json_pack("{s:o,s:b}", "value", v ? v : json_null(), "sensitive",
                                      s->outs[i].sensitive));
    }
    return o;
}

json_t *cp_state_to_json(const cp_state *s)
{
    json_t *res = json_array();
    entry_iter it = { 0, 0 };
    const cp_instance *cur;
    size_t first, n;
    while (next_entry(s, &it, &cur, &first, &n))
        json_array_append_new(res,
                              n ? entry_with_deposed(s, cur, first, n) : instance_to_json(cur));
    return json_pack("{s:i,s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "format_version", CP_STATE_FORMAT_VERSION,
                     "serial", (json_int_t)s->serial, "lineage", s->lineage, "stack", s->stack,
                     "branch", s->branch, "cpstack_version", cp_state_writer_version(), "outputs",
                     outputs_to_json(s), "resources", res);
}

/* Dump j with 2-space indentation, every line after the first indented by
 * `indent` more spaces (JSON strings never hold a raw newline). */
static void add_indented(cp_buf *out, const json_t *j, int indent)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (!text) text = cp_xstrdup("null");
    for (const char *p = text; *p; p++) {
        cp_buf_addc(out, *p);
        if (*p == '\n')
            for (int i = 0; i < indent; i++) cp_buf_addc(out, ' ');
    }
    free(text);
}

/* The instance's cached text, computed once; safe if two threads race. */
static const char *instance_text(cp_instance *inst)
{
    char *t = __atomic_load_n(&inst->json, __ATOMIC_ACQUIRE);
    if (t) return t;
    json_t *j = instance_to_json(inst);
    cp_buf b;
    cp_buf_init(&b);
    add_indented(&b, j, 4);
    json_decref(j);
    char *mine = cp_buf_steal(&b), *expected = NULL;
    if (__atomic_compare_exchange_n(&inst->json, &expected, mine, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return mine;
    free(mine);
    return expected;
}

static void add_field(cp_buf *out, const char *key, json_t *value)
{
    cp_buf_printf(out, "  \"%s\": ", key);
    add_indented(out, value, 2);
    cp_buf_adds(out, ",\n");
    json_decref(value);
}

void cp_state_serialize(const cp_state *s, cp_buf *out)
{
    cp_buf_adds(out, "{\n");
    add_field(out, "format_version", json_integer(CP_STATE_FORMAT_VERSION));
    add_field(out, "serial", json_integer((json_int_t)s->serial));
    add_field(out, "lineage", json_string(s->lineage));
    add_field(out, "stack", json_string(s->stack));
    add_field(out, "branch", json_string(s->branch));
    add_field(out, "cpstack_version", json_string(cp_state_writer_version()));
    add_field(out, "outputs", outputs_to_json(s));
    cp_buf_adds(out, "  \"resources\": [");
    entry_iter it = { 0, 0 };
    const cp_instance *cur;
    size_t first, n, count = 0;
    while (next_entry(s, &it, &cur, &first, &n)) {
        cp_buf_adds(out, count++ ? ",\n    " : "\n    ");
        if (!n) {
            cp_buf_adds(out, instance_text((cp_instance *)cur));
            continue;
        }
        json_t *j = entry_with_deposed(s, cur, first, n); /* rare: not cached */
        add_indented(out, j, 4);
        json_decref(j);
    }
    cp_buf_adds(out, count ? "\n  ]\n}\n" : "]\n}\n");
}
