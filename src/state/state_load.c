/*
 * state_load.c: reading a state document (JSON text or json_t) into a
 * cp_state. Older formats are first upgraded (state_upgrade.c); a newer one
 * is refused. Every problem becomes ONE line naming the source and, for a
 * damaged document, the JSON path of the bad field (resources[3].type) or
 * the line and column of a syntax error. Sensitive paths come back as marks
 * on the attribute values. A resource entry's "deposed" objects (if any)
 * become deposed objects of the state.
 */
#include "state/state_internal.h"
#include "lang/value_json.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    const char *source;
    char *err;
    char where[64]; /* "resources[12]" while reading one */
    bool drop;      /* free each resource's JSON once read */
} loader;

static bool damaged(loader *L, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "state file F is damaged: <where>.<field> <message>; restore …". */
static bool damaged(loader *L, const char *field, const char *fmt, ...)
{
    if (L->err) return false;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_printf(&b, "state file %s is damaged: %s", L->source, L->where);
    if (field) cp_buf_printf(&b, "%s%s", L->where[0] ? "." : "", field);
    cp_buf_addc(&b, ' ');
    va_list ap;
    va_start(ap, fmt);
    cp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cp_buf_adds(&b, "; restore the previous version from its backup");
    L->err = cp_buf_steal(&b);
    return false;
}

static const char *get_str(loader *L, const json_t *o, const char *key, bool required)
{
    json_t *v = json_object_get(o, key);
    if (!v && !required) return NULL;
    if (!json_is_string(v)) {
        damaged(L, key, "must be a string");
        return NULL;
    }
    return json_string_value(v);
}

static bool get_int(loader *L, const json_t *o, const char *key, bool required, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v && !required) return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return damaged(L, key, "must be an integer >= 0");
    *out = (int64_t)json_integer_value(v);
    return true;
}

/* "module": the module instance path ("module.a[0]"), absent in the root. */
static bool read_module(loader *L, const json_t *o, cp_addr *a)
{
    const char *mod = get_str(L, o, "module", false);
    if (!mod && !json_object_get(o, "module")) return true;
    if (!mod) { /* a non-string, reported */
        cp_addr_clear(a);
        return false;
    }
    char *canon = NULL;
    if (!cp_addr_parse_module(mod, &canon, NULL) || strcmp(canon, mod)) {
        free(canon);
        cp_addr_clear(a);
        return damaged(L, "module", "\"%s\" is not a module path such as module.NAME[0]", mod);
    }
    cp_addr_set_module(a, canon);
    free(canon);
    return true;
}

static bool read_addr(loader *L, const json_t *o, cp_addr *a)
{
    const char *mode = get_str(L, o, "mode", true);
    const char *type = get_str(L, o, "type", true);
    const char *name = get_str(L, o, "name", true);
    if (!mode || !type || !name) return false;
    bool data = strcmp(mode, "data") == 0;
    if (!data && strcmp(mode, "managed") != 0)
        return damaged(L, "mode", "must be \"managed\" or \"data\"");
    if (!cp_addr_is_ident(type)) return damaged(L, "type", "\"%s\" is not a valid name", type);
    if (!cp_addr_is_ident(name)) return damaged(L, "name", "\"%s\" is not a valid name", name);
    json_t *k = json_object_get(o, "index_key");
    cp_mode m = data ? CP_MODE_DATA : CP_MODE_MANAGED;
    if (!k || json_is_null(k))
        cp_addr_init(a, m, type, name, CP_KEY_NONE, 0, NULL);
    else if (json_is_integer(k) && json_integer_value(k) >= 0)
        cp_addr_init(a, m, type, name, CP_KEY_INT, (int64_t)json_integer_value(k), NULL);
    else if (json_is_string(k))
        cp_addr_init(a, m, type, name, CP_KEY_STR, 0, json_string_value(k));
    else
        return damaged(L, "index_key", "must be an integer >= 0 or a string");
    return read_module(L, o, a);
}

static bool read_attrs(loader *L, const json_t *o, cp_instance *inst)
{
    json_t *attrs = json_object_get(o, "attributes");
    if (!json_is_object(attrs)) return damaged(L, "attributes", "must be an object");
    json_t *paths = json_object_get(o, "sensitive_attributes");
    if (paths && !json_is_array(paths))
        return damaged(L, "sensitive_attributes", "must be an array");
    cp_value *plain = cp_value_from_json(attrs);
    if (!paths || json_array_size(paths) == 0) {
        cp_release(inst->attrs);
        inst->attrs = plain;
        return true;
    }
    cp_value *pv = cp_value_from_json(paths), *marked = NULL;
    char *why = NULL;
    bool ok = cp_apply_sensitive_paths(plain, pv, &marked, &why);
    cp_release(pv);
    cp_release(plain);
    if (!ok) {
        damaged(L, "sensitive_attributes", "is not valid (%s)", why);
        free(why);
        return false;
    }
    cp_release(inst->attrs);
    inst->attrs = marked;
    return true;
}

static bool read_deps(loader *L, const json_t *o, cp_instance *inst)
{
    json_t *deps = json_object_get(o, "dependencies");
    if (!deps) return true;
    if (!json_is_array(deps)) return damaged(L, "dependencies", "must be an array of addresses");
    size_t i;
    json_t *d;
    json_array_foreach(deps, i, d)
    {
        char *why = NULL, field[48];
        snprintf(field, sizeof field, "dependencies[%zu]", i);
        if (!json_is_string(d)) return damaged(L, field, "must be a string");
        if (!cp_instance_add_dep_str(inst, json_string_value(d), &why)) {
            damaged(L, field, "is not an address (%s)", why);
            free(why);
            return false;
        }
    }
    return true;
}

/* The fields a current and a deposed object share. */
static bool read_object_fields(loader *L, const json_t *o, cp_instance *inst)
{
    if (!L->err) get_int(L, o, "schema_version", false, &inst->schema_version);
    const char *prov = L->err ? NULL : get_str(L, o, "provider", false);
    if (prov) inst->provider = cp_xstrdup(prov);
    if (!L->err) read_attrs(L, o, inst);
    if (!L->err) read_deps(L, o, inst);
    return !L->err;
}

static bool valid_key(const char *k)
{
    size_t n = strlen(k);
    return n >= 1 && n <= 32 && strspn(k, "0123456789abcdefABCDEF") == n;
}

/* The "deposed" array of an entry at address a, put into s. */
static bool read_deposed(loader *L, const json_t *arr, const cp_addr *a, cp_state *s)
{
    if (!json_is_array(arr)) return damaged(L, "deposed", "must be an array");
    size_t base = strlen(L->where), i;
    json_t *d;
    json_array_foreach(arr, i, d)
    {
        snprintf(L->where + base, sizeof L->where - base, ".deposed[%zu]", i);
        const char *key = json_is_object(d) ? get_str(L, d, "key", true) : NULL;
        if (!json_is_object(d)) return damaged(L, NULL, "must be an object");
        if (!key) return false;
        if (!valid_key(key)) return damaged(L, "key", "\"%s\" is not 1-32 hex digits", key);
        if (cp_state_find_deposed(s, a, key)) return damaged(L, "key", "\"%s\" is repeated", key);
        cp_instance *inst = cp_instance_new(a);
        inst->deposed_key = cp_xstrdup(key);
        if (!read_object_fields(L, d, inst)) {
            cp_instance_release(inst);
            return false;
        }
        cp_state_put_take(s, inst);
    }
    L->where[base] = '\0';
    return true;
}

/* A resource entry: a current instance and/or deposed objects. An entry
 * with "deposed" and neither "status" nor "attributes" has no current one. */
static bool read_entry(loader *L, const json_t *o, cp_state *s)
{
    if (!json_is_object(o)) return damaged(L, NULL, "must be an object");
    cp_addr a;
    if (!read_addr(L, o, &a)) return false;
    json_t *dep = json_object_get(o, "deposed");
    bool current = !dep || json_object_get(o, "status") || json_object_get(o, "attributes");
    cp_instance *inst = cp_instance_new(&a);
    const char *status = current ? get_str(L, o, "status", true) : NULL;
    if (status && !cp_status_parse(status, &inst->status))
        damaged(L, "status", "\"%s\" is not one of ok, pending_create, tainted, unsettled", status);
    if (current && !L->err) read_object_fields(L, o, inst);
    if (current && !L->err && cp_state_find(s, &inst->addr))
        damaged(L, NULL, "repeats %s", inst->addr_str);
    if (current && !L->err) cp_state_put_take(s, cp_instance_retain(inst));
    if (dep && !L->err) read_deposed(L, dep, &a, s);
    cp_instance_release(inst);
    cp_addr_clear(&a);
    return !L->err;
}

static bool read_resources(loader *L, const json_t *doc, cp_state *s)
{
    json_t *res = json_object_get(doc, "resources");
    if (!json_is_array(res)) return damaged(L, "resources", "must be an array");
    size_t i;
    json_t *o;
    json_array_foreach(res, i, o)
    {
        snprintf(L->where, sizeof L->where, "resources[%zu]", i);
        if (!read_entry(L, o, s)) return false;
        if (L->drop) json_array_set_new(res, i, json_null());
    }
    L->where[0] = '\0';
    return true;
}

static bool read_outputs(loader *L, const json_t *doc, cp_state *s)
{
    json_t *outs = json_object_get(doc, "outputs");
    if (!outs) return true;
    if (!json_is_object(outs)) return damaged(L, "outputs", "must be an object");
    const char *name;
    json_t *o;
    json_object_foreach(outs, name, o)
    {
        snprintf(L->where, sizeof L->where, "outputs.%.50s", name);
        json_t *v = json_object_get(o, "value"), *sens = json_object_get(o, "sensitive");
        if (!json_is_object(o) || !v) return damaged(L, NULL, "must be an object with a value");
        if (sens && !json_is_boolean(sens)) return damaged(L, "sensitive", "must be true or false");
        cp_value *val = cp_value_from_json(v);
        cp_state_set_output(s, name, val, json_is_true(sens));
        cp_release(val);
    }
    L->where[0] = '\0';
    return true;
}

static bool read_header(loader *L, const json_t *doc, cp_state *s)
{
    const char *lineage = get_str(L, doc, "lineage", true);
    const char *stack = get_str(L, doc, "stack", true);
    const char *branch = get_str(L, doc, "branch", true);
    const char *version = get_str(L, doc, "cpstack_version", false);
    if (L->err || !get_int(L, doc, "serial", true, &s->serial)) return false;
    if (!lineage[0]) return damaged(L, "lineage", "must not be empty");
    cp_state_set_lineage(s, lineage);
    cp_state_set_stack(s, stack);
    cp_state_set_branch(s, branch);
    free(s->cpstack_version);
    s->cpstack_version = cp_xstrdup(version ? version : "");
    return true;
}

/* Read doc (consumed). When `drop` is set, doc is ours alone, so each
 * resource's JSON is freed as soon as it is read, to keep peak memory low. */
static cp_state *load_doc(json_t *doc, bool drop, const char *source, char **err)
{
    loader L = { source ? source : "(state)", NULL, "", drop };
    cp_state *s = NULL;
    if (cp__state_json_format(doc) != CP_STATE_FORMAT_VERSION) {
        if (!drop) {
            json_t *copy = json_deep_copy(doc);
            json_decref(doc);
            doc = copy;
        }
        if (!cp_state_json_upgrade(doc, L.source, &L.err)) goto out;
    }
    s = cp_state_new("", "");
    if (!read_header(&L, doc, s) || !read_outputs(&L, doc, s) || !read_resources(&L, doc, s)) {
        cp_state_free(s);
        s = NULL;
        goto out;
    }
    s->dirty = false;
out:
    json_decref(doc);
    if (!s && err)
        *err = L.err;
    else
        free(L.err);
    return s;
}

cp_state *cp_state_from_json(const json_t *doc, const char *source, char **err)
{
    return load_doc(json_incref((json_t *)doc), false, source, err);
}

cp_state *cp_state_parse(const char *text, size_t len, const char *source, char **err)
{
    json_error_t je;
    source = source ? source : "(state)";
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        if (err)
            *err = cp_xasprintf("state file %s is not valid JSON: %s at line %d, column %d "
                                "(byte %d); restore the previous version from its backup",
                                source, je.text, je.line, je.column, je.position);
        return NULL;
    }
    return load_doc(doc, true, source, err);
}
