/*
 * tfstate.c: a Terraform state file (format version 4) read into entries
 * (address, attributes, dependencies), and the two mappings from a
 * Terraform object to what cpstack keeps: attributes filtered by the
 * type's schema, and the few ids Terraform makes up where cpstack's read
 * takes the object's own key.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lang/value_json.h"
#include "migrate/migrate.h"
#include "util/xalloc.h"

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int entry_addr(const json_t *res, const json_t *inst, cp_addr *a, char **err)
{
    const char *mode = jstr(res, "mode"), *type = jstr(res, "type"), *name = jstr(res, "name");
    if (!mode || !type || !name) {
        *err = cp_xstrdup("a resource lacks mode, type or name");
        return -1;
    }
    const json_t *key = json_object_get(inst, "index_key");
    cp_key_kind kind = json_is_integer(key)  ? CP_KEY_INT
                       : json_is_string(key) ? CP_KEY_STR
                                             : CP_KEY_NONE;
    cp_addr_init(a, strcmp(mode, "data") ? CP_MODE_MANAGED : CP_MODE_DATA, type, name, kind,
                 json_is_integer(key) ? json_integer_value(key) : 0, json_string_value(key));
    const char *module = jstr(res, "module");
    if (module) cp_addr_set_module(a, module);
    return 0;
}

static void add_entry(cp_tfstate *t, size_t *cap, const json_t *res, const json_t *inst, cp_addr *a)
{
    CP_GROW(t->entries, t->len + 1, *cap);
    cp_tfstate_entry *e = &t->entries[t->len++];
    *e = (cp_tfstate_entry){ .addr = *a };
    const char *prov = jstr(res, "provider");
    e->provider = prov ? cp_xstrdup(prov) : NULL;
    const json_t *attrs = json_object_get(inst, "attributes");
    e->attrs = json_is_object(attrs) ? cp_value_from_json(attrs) : cp_map_new();
    const json_t *sens = json_object_get(inst, "sensitive_attributes");
    e->sensitive = json_array_size(sens) ? cp_value_from_json(sens) : NULL;
    e->schema_version = json_integer_value(json_object_get(inst, "schema_version"));
    const char *status = jstr(inst, "status"), *deposed = jstr(inst, "deposed");
    e->tainted = status && !strcmp(status, "tainted");
    e->deposed = deposed ? cp_xstrdup(deposed) : NULL;
    const json_t *deps = json_object_get(inst, "dependencies");
    e->ndeps = json_array_size(deps);
    e->deps = e->ndeps ? cp_xcalloc(e->ndeps, sizeof *e->deps) : NULL;
    for (size_t i = 0; i < e->ndeps; i++) {
        const char *d = json_string_value(json_array_get(deps, i));
        e->deps[i] = cp_xstrdup(d ? d : "");
    }
}

static int load_resources(cp_tfstate *t, const json_t *resources, char **err)
{
    size_t cap = 0, i, j;
    const json_t *res, *inst;
    json_array_foreach(resources, i, res)
    {
        json_array_foreach(json_object_get(res, "instances"), j, inst)
        {
            cp_addr a;
            if (entry_addr(res, inst, &a, err) != 0) return -1;
            add_entry(t, &cap, res, inst, &a);
        }
    }
    return 0;
}

static void load_outputs(cp_tfstate *t, const json_t *outputs)
{
    t->outputs = cp_map_new();
    t->sensitive_outputs = cp_map_new();
    const char *name;
    const json_t *o;
    json_object_foreach((json_t *)outputs, name, o)
    {
        cp_map_set_take(t->outputs, name, cp_value_from_json(json_object_get(o, "value")));
        if (json_is_true(json_object_get(o, "sensitive")))
            cp_map_set_take(t->sensitive_outputs, name, cp_bool(true));
    }
}

/* *t from a parsed document; name for messages. 0 / -1 with *err. */
static int from_doc(json_t *doc, const char *name, cp_tfstate *t, char **err)
{
    int rc = -1;
    json_int_t version = json_integer_value(json_object_get(doc, "version"));
    char *why = NULL;
    if (!json_is_object(doc))
        *err = cp_xasprintf("%s: not a Terraform state (not a JSON object)", name);
    else if (version != 4)
        *err = cp_xasprintf("%s: Terraform state format version %lld; cpstack reads version 4 "
                            "(run terraform 0.12 or later once to upgrade it)",
                            name, (long long)version);
    else if (load_resources(t, json_object_get(doc, "resources"), &why) != 0)
        *err = cp_xasprintf("%s: %s", name, why);
    else {
        const char *lineage = jstr(doc, "lineage");
        t->lineage = lineage ? cp_xstrdup(lineage) : NULL;
        t->serial = json_integer_value(json_object_get(doc, "serial"));
        load_outputs(t, json_object_get(doc, "outputs"));
        rc = 0;
    }
    free(why);
    if (rc != 0) cp_tfstate_free(t);
    return rc;
}

int cp_tfstate_load(const char *path, cp_tfstate *t, char **err)
{
    *t = (cp_tfstate){ 0 };
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) {
        *err = cp_xasprintf("%s:%d: not a Terraform state (JSON: %s)", path, je.line, je.text);
        return -1;
    }
    int rc = from_doc(doc, path, t, err);
    json_decref(doc);
    return rc;
}

int cp_tfstate_parse(const char *data, size_t len, const char *name, cp_tfstate *t, char **err)
{
    *t = (cp_tfstate){ 0 };
    json_error_t je;
    json_t *doc = json_loadb(data, len, 0, &je);
    if (!doc) {
        *err = cp_xasprintf("%s:%d: not a Terraform state (JSON: %s)", name, je.line, je.text);
        return -1;
    }
    int rc = from_doc(doc, name, t, err);
    json_decref(doc);
    return rc;
}

void cp_tfstate_free(cp_tfstate *t)
{
    for (size_t i = 0; i < t->len; i++) {
        cp_tfstate_entry *e = &t->entries[i];
        cp_addr_clear(&e->addr);
        free(e->provider);
        free(e->deposed);
        cp_release(e->attrs);
        cp_release(e->sensitive);
        for (size_t j = 0; j < e->ndeps; j++) free(e->deps[j]);
        free(e->deps);
    }
    free(t->entries);
    free(t->lineage);
    cp_release(t->outputs);
    cp_release(t->sensitive_outputs);
    *t = (cp_tfstate){ 0 };
}

static cp_value *filter(const cp_schema_attr *schema, const cp_value *v);

static cp_value *filter_blocks(const cp_schema_attr *a, const cp_value *v)
{
    if (cp_kind_of(v) == CP_MAP) return filter(a->block, v); /* single nested object */
    if (cp_kind_of(v) != CP_LIST) return cp_retain(v);
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(v); i++)
        cp_list_push_take(out, filter(a->block, cp_list_get(v, i)));
    return out;
}

/* Terraform writes an attribute of any type (DynamicPseudoType, e.g.
 * terraform_data's input) as {"value": V, "type": T}: cpstack keeps V. */
static cp_value *unwrap_dynamic(const cp_value *v)
{
    const cp_value *inner = cp_kind_of(v) == CP_MAP && cp_len(v) == 2 && cp_map_get(v, "type")
                                ? cp_map_get(v, "value")
                                : NULL;
    return cp_retain(inner ? inner : v);
}

/* Terraform's plugin SDK records an optional string left unset as "" (its
 * zero value; it tells "" from unset no more than the AWS APIs do): cpstack
 * keeps null there, so a read that keeps such an attribute from the state
 * (name_prefix, set_identifier …) finds the object and plans no change. */
static bool sdk_zero_string(const cp_schema_attr *a, const cp_value *v)
{
    return a && a->type == CP_AT_STRING && !(a->flags & CP_REQUIRED) &&
           cp_kind_of(v) == CP_STRING && !cp_string_val(v)[0];
}

static cp_value *filter(const cp_schema_attr *schema, const cp_value *v)
{
    if (cp_kind_of(v) != CP_MAP) return cp_retain(v);
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(v); i++) {
        const char *k = cp_map_key_at(v, i);
        const cp_schema_attr *a = cp_schema_find(schema, k);
        const cp_value *x = cp_map_value_at(v, i);
        if (!a && strcmp(k, "id")) continue;
        cp_map_set_take(out, k,
                        a && a->type == CP_AT_BLOCKS && a->block ? filter_blocks(a, x)
                        : a && a->type == CP_AT_ANY              ? unwrap_dynamic(x)
                        : sdk_zero_string(a, x)                  ? cp_null()
                                                                 : cp_retain(x));
    }
    return out;
}

cp_value *cp_migrate_state_attrs(const cp_schema_attr *schema, const cp_value *attrs)
{
    return filter(schema, attrs);
}

/* Terraform makes these ids up; cpstack's read takes the object's key. */
static const struct {
    const char *type, *a, *sep, *b;
} made_up_ids[] = {
    { "aws_iam_role_policy_attachment", "role", "/", "policy_arn" },
    { "aws_iam_user_policy_attachment", "user", "/", "policy_arn" },
    { "aws_db_instance", "identifier", NULL, NULL },
};

char *cp_migrate_state_id(const char *type, const cp_value *attrs)
{
    for (size_t i = 0; i < sizeof made_up_ids / sizeof made_up_ids[0]; i++) {
        if (strcmp(made_up_ids[i].type, type)) continue;
        const cp_value *a = cp_map_get(attrs, made_up_ids[i].a);
        const cp_value *b = made_up_ids[i].b ? cp_map_get(attrs, made_up_ids[i].b) : NULL;
        if (!a || cp_kind_of(a) != CP_STRING ||
            (made_up_ids[i].b && (!b || cp_kind_of(b) != CP_STRING)))
            return NULL;
        return b ? cp_xasprintf("%s%s%s", cp_string_val(a), made_up_ids[i].sep, cp_string_val(b))
                 : cp_xstrdup(cp_string_val(a));
    }
    return NULL;
}

char *cp_migrate_provider_instance(const char *tf_provider)
{
    /* provider["registry.terraform.io/hashicorp/aws"].west, maybe after a
     * module path: the type is the source's last segment, the alias what
     * follows the closing bracket */
    const char *open = tf_provider ? strstr(tf_provider, "provider[\"") : NULL;
    const char *close = open ? strstr(open, "\"]") : NULL;
    if (!close || close[2] != '.' || !close[3]) return NULL;
    const char *type = close;
    while (type > open + 10 && type[-1] != '/' && type[-1] != '"') type--;
    return cp_xasprintf("%.*s.%s", (int)(close - type), type, close + 3);
}
