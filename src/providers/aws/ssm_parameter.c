/*
 * ssm_parameter.c: aws_ssm_parameter — an SSM Parameter Store parameter (id
 * = name; import by name) — and the data source aws_ssm_parameter, which
 * reads one. Value, type, description, tier and key_id change in place
 * (PutParameter with Overwrite, a new version); tags through
 * AddTagsToResource / RemoveTagsFromResource; the name forces a new
 * parameter. The value is sensitive: kept in state as Terraform does, never
 * printed.
 *
 * Recovery key: the name (required); an interrupted create is found again
 * with GetParameter.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SSM(op) "AmazonSSM." op

static const char *validate_name(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = cp_string_len(v);
    if (n < 1 || n > 2048 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/") != n)
        return "parameter names are 1 to 2048 letters, digits and _ . - / (e.g. /app/db/host)";
    const char *leaf = *s == '/' ? s + 1 : s;
    if (!strncasecmp(leaf, "aws", 3) || !strncasecmp(leaf, "ssm", 3))
        return "parameter names cannot start with \"aws\" or \"ssm\" (any case): AWS reserves them";
    if (strchr(s, '/') && *s != '/')
        return "a parameter name with a / is a path and starts with / (e.g. /app/db/host)";
    int levels = 0;
    for (const char *p = s; *p; p++) levels += *p == '/';
    if (levels > 15) return "a parameter name has at most 15 levels (/ separated)";
    return NULL;
}

static const char *validate_type(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "String") || !strcmp(s, "StringList") || !strcmp(s, "SecureString")
               ? NULL
               : "type is \"String\", \"StringList\" or \"SecureString\"";
}

static const char *validate_tier(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "Standard") || !strcmp(s, "Advanced") || !strcmp(s, "Intelligent-Tiering")
               ? NULL
               : "tier is \"Standard\", \"Advanced\" or \"Intelligent-Tiering\"";
}

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the parameter, a path such as `/app/db/host` or a plain name." },
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_type,
      .description = "String, StringList (comma-separated) or SecureString (encrypted with KMS)." },
    { .name = "value",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_SENSITIVE,
      .description = "The value (sensitive: never shown)." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the parameter." },
    { .name = "tier",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"Standard\"",
      .validate = validate_tier,
      .description = "Standard (values up to 4 KB), Advanced (8 KB) or Intelligent-Tiering." },
    { .name = "key_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "KMS key encrypting a SecureString. Default: alias/aws/ssm." },
    { .name = "overwrite",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Create takes over a parameter of that name that already exists." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the parameter." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the parameter." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the parameter." },
    { .name = "version",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Version of the value (1, then one more on every change)." },
    { NULL },
};

static const char *const gone[] = { "ParameterNotFound", NULL };

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* validate_config: a SecureString alone takes key_id; a Standard value is at most 4 KB. */
static char *param_validate_config(const cp_value *config)
{
    const char *type = cp_get_str(config, "type"), *tier = cp_get_str(config, "tier");
    if (type && strcmp(type, "SecureString") && cp_prov_presence(config, "key_id") == 1)
        return cp_xstrdup("key_id is only for type = \"SecureString\"");
    const char *value = cp_get_str(config, "value");
    size_t limit = tier && strcmp(tier, "Standard") ? 8192 : 4096;
    if (value && strlen(value) > limit)
        return cp_xasprintf("the value is %zu bytes; a %s parameter holds at most %zu (tier = "
                            "\"Advanced\" holds 8192)",
                            strlen(value), tier ? tier : "Standard", limit);
    return NULL;
}

/* GetParameter (decrypted): 0 with *param (a new reference), 1 when gone, -1. */
static int get_parameter(cp_provider_call *c, const char *name, bool decrypt, json_t **param)
{
    *param = NULL;
    json_t *in = json_pack("{s:s, s:b}", "Name", name, "WithDecryption", decrypt), *res = NULL;
    int rc = cp_aws_json(c, "ssm", SSM("GetParameter"), in, gone, &res);
    json_decref(in);
    if (rc != 0) return rc;
    *param = json_incref(json_object_get(res, "Parameter"));
    json_decref(res);
    return *param ? 0 : 1;
}

/* DescribeParameters for the one name: its description, tier and key (a new reference or
 * NULL). */
static int describe_parameter(cp_provider_call *c, const char *name, json_t **meta)
{
    *meta = NULL;
    json_t *in = json_pack("{s:[{s:s, s:s, s:[s]}]}", "ParameterFilters", "Key", "Name", "Option",
                           "Equals", "Values", name),
           *res = NULL;
    int rc = cp_aws_json(c, "ssm", SSM("DescribeParameters"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(res, "Parameters"), i, p)
    {
        if (jstr(p, "Name") && !strcmp(jstr(p, "Name"), name)) *meta = json_incref(p);
    }
    json_decref(res);
    return 0;
}

static cp_value *read_tags(cp_provider_call *c, const char *name, const cp_value *prev)
{
    json_t *in = json_pack("{s:s, s:s}", "ResourceType", "Parameter", "ResourceId", name),
           *res = NULL;
    int rc = cp_aws_json(c, "ssm", SSM("ListTagsForResource"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return NULL;
    cp_value *t = cp_aws_tags_from_json(json_object_get(res, "TagList"), "Key", "Value");
    json_decref(res);
    return cp_tags_keep_take(t, cp_map_get(prev, "tags"));
}

/* The state from GetParameter(s)' item p and DescribeParameters' item meta (may be NULL),
 * tags not yet read. */
static cp_value *param_state(const json_t *p, const json_t *meta, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "id", jstr(p, "Name"));
    cp_set_str(s, "name", jstr(p, "Name"));
    cp_set_str(s, "type", jstr(p, "Type"));
    cp_prov_set_marked_take(s, "value", cp_string(jstr(p, "Value") ? jstr(p, "Value") : ""), true);
    cp_set_str(s, "arn", jstr(p, "ARN"));
    cp_set_num(s, "version", (double)json_integer_value(json_object_get(p, "Version")));
    const char *desc = meta ? jstr(meta, "Description") : NULL;
    cp_set_str(s, "description", desc && *desc ? desc : NULL);
    cp_set_str(s, "tier", meta && jstr(meta, "Tier") ? jstr(meta, "Tier") : "Standard");
    cp_set_str(s, "key_id", meta ? jstr(meta, "KeyId") : NULL);
    return s;
}

static int param_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *name = cp_get_str(state, "id");
    if (!name || !*name) return cp_fail(c, "%s: no parameter name in state to read", c->address);
    json_t *p, *meta = NULL;
    int rc = get_parameter(c, name, true, &p);
    if (rc != 0) return rc < 0 ? -1 : 0;
    if (describe_parameter(c, name, &meta) != 0) {
        json_decref(p);
        return -1;
    }
    cp_value *s = param_state(p, meta, state);
    json_decref(p);
    json_decref(meta);
    cp_value *tags = read_tags(c, name, state);
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * GetParameters names up to 10 parameters a call, decrypted as read() asks; a name among
 * its InvalidParameters is gone (the very call read() makes, for many). DescribeParameters
 * with a Name Equals filter of up to 50 names (pages followed) gives their description,
 * tier and key; tags come from one Tagging API call, ListTagsForResource only where they
 * disagree with the state (batch.h). */
#define NAMES_PER_GET      10
#define NAMES_PER_DESCRIBE 50

static bool same_id(const cp_value *state, const char *name)
{
    const char *id = cp_get_str(state, "id");
    return id && name && !strcmp(id, name);
}

/* GetParameters for states[0..n) (n <= 10): params[i] (new references) and gone[i]. */
static int get_chunk(cp_provider_call *c, const cp_value *const *states, size_t n, json_t **params,
                     bool *gone_out)
{
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *id = cp_get_str(states[i], "id");
        bool dup = false;
        for (size_t k = 0; id && k < i; k++) dup = dup || same_id(states[k], id);
        if (id && *id && !dup) json_array_append_new(names, json_string(id));
    }
    if (json_array_size(names) == 0) {
        json_decref(names);
        return 0;
    }
    json_t *in = json_pack("{s:o, s:b}", "Names", names, "WithDecryption", 1), *res = NULL;
    int rc = cp_aws_json(c, "ssm", SSM("GetParameters"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    size_t k;
    json_t *p;
    json_array_foreach(json_object_get(res, "Parameters"), k, p)
    {
        for (size_t i = 0; i < n; i++)
            if (!params[i] && same_id(states[i], jstr(p, "Name"))) params[i] = json_incref(p);
    }
    json_array_foreach(json_object_get(res, "InvalidParameters"), k, p)
    {
        for (size_t i = 0; i < n; i++)
            if (!params[i] && same_id(states[i], json_string_value(p))) gone_out[i] = true;
    }
    json_decref(res);
    return 0;
}

typedef struct meta_page {
    const cp_value *const *states;
    size_t n;
    json_t *const *params;
    json_t **meta;
} meta_page;

/* One page of DescribeParameters: meta[i] of each found parameter listed. */
static int meta_on_page(void *ud, const json_t *res)
{
    meta_page *mp = ud;
    size_t k;
    json_t *m;
    json_array_foreach(json_object_get(res, "Parameters"), k, m)
    {
        for (size_t i = 0; i < mp->n; i++)
            if (mp->params[i] && !mp->meta[i] && same_id(mp->states[i], jstr(m, "Name")))
                mp->meta[i] = json_incref(m);
    }
    return 0;
}

/* DescribeParameters for the found ones among states[0..n) (n <= 50): meta[i]. */
static int describe_chunk(cp_provider_call *c, const cp_value *const *states, size_t n,
                          json_t *const *params, json_t **meta)
{
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; params[i] && k < i; k++)
            dup = dup || (params[k] && same_id(states[k], cp_get_str(states[i], "id")));
        if (params[i] && !dup)
            json_array_append_new(names, json_string(cp_get_str(states[i], "id")));
    }
    if (json_array_size(names) == 0) {
        json_decref(names);
        return 0;
    }
    json_t *in = json_pack("{s:[{s:s, s:s, s:o}], s:i}", "ParameterFilters", "Key", "Name",
                           "Option", "Equals", "Values", names, "MaxResults", 50);
    meta_page mp = { states, n, params, meta };
    int rc = cp_aws_json_pages(c, "ssm", SSM("DescribeParameters"), in, NULL, meta_on_page, &mp);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

/* The parameter's tags from SSM (cp_aws_batch_tags' fallback). */
static cp_value *batch_tags(cp_provider_call *c, const char *arn, const cp_value *state)
{
    (void)arn;
    return read_tags(c, cp_get_str(state, "id"), state);
}

static int param_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                            cp_value **out)
{
    json_t **params = cp_xcalloc(n ? n : 1, sizeof *params);
    json_t **meta = cp_xcalloc(n ? n : 1, sizeof *meta);
    bool *gone_at = cp_xcalloc(n ? n : 1, sizeof *gone_at);
    int rc = 0;
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; rc == 0 && k < n; k += NAMES_PER_GET)
        rc = get_chunk(c, states + k, n - k < NAMES_PER_GET ? n - k : NAMES_PER_GET, params + k,
                       gone_at + k);
    bool fallback = rc != 0; /* e.g. allowed ssm:GetParameter but not ssm:GetParameters */
    for (size_t k = 0; rc == 0 && k < n; k += NAMES_PER_DESCRIBE)
        rc = describe_chunk(c, states + k, n - k < NAMES_PER_DESCRIBE ? n - k : NAMES_PER_DESCRIBE,
                            params + k, meta + k);
    bool *todo = cp_xcalloc(n ? n : 1, sizeof *todo);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && params[i]) out[i] = param_state(params[i], meta[i], states[i]);
        todo[i] = !params[i] && !gone_at[i]; /* not answered for: read() decides */
        json_decref(params[i]);
        json_decref(meta[i]);
    }
    free(params);
    free(meta);
    free(gone_at);
    if (rc == 0 && cp_aws_read_rest(c, param_read, states, todo, n, out) != 0) rc = -1;
    free(todo);
    if (fallback) return cp_aws_batch_fallback(c, param_read, states, n, out);
    if (rc != 0) return cp_aws_batch_fail(out, n);
    return cp_aws_batch_tags(c, states, n, out, batch_tags);
}

/* PutParameter of config's value; overwrite for an update (tags cannot go with it). */
static int put_parameter(cp_provider_call *c, const cp_value *config, bool overwrite)
{
    json_t *in = json_pack("{s:s, s:s, s:s, s:b}", "Name", cp_get_str(config, "name"), "Type",
                           cp_get_str(config, "type"), "Value", cp_get_str_or(config, "value", ""),
                           "Overwrite", overwrite);
    const char *desc = cp_get_str(config, "description"), *tier = cp_get_str(config, "tier");
    const char *key = cp_get_str(config, "key_id");
    if (desc || overwrite) json_object_set_new(in, "Description", json_string(desc ? desc : ""));
    if (tier) json_object_set_new(in, "Tier", json_string(tier));
    if (key) json_object_set_new(in, "KeyId", json_string(key));
    const cp_value *tags = cp_get_map(config, "tags");
    if (!overwrite && tags && cp_len(tags))
        json_object_set_new(in, "Tags", cp_aws_tags_to_json(tags, "Key", "Value"));
    if (!overwrite) aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_json(c, "ssm", SSM("PutParameter"), in, NULL, NULL);
    aws_set_no_resend(false);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static int update_tags(cp_provider_call *c, const char *name, const cp_value *old_tags,
                       const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed)) {
        json_t *keys = json_array();
        for (size_t i = 0; i < cp_len(removed); i++)
            json_array_append_new(keys, json_string(cp_string_val(cp_list_get(removed, i))));
        json_t *in = json_pack("{s:s, s:s, s:o}", "ResourceType", "Parameter", "ResourceId", name,
                               "TagKeys", keys);
        rc = cp_aws_json(c, "ssm", SSM("RemoveTagsFromResource"), in, NULL, NULL);
        json_decref(in);
    }
    cp_release(removed);
    if (rc == 0 && new_tags && cp_len(new_tags)) {
        json_t *in = json_pack("{s:s, s:s, s:o}", "ResourceType", "Parameter", "ResourceId", name,
                               "Tags", cp_aws_tags_to_json(new_tags, "Key", "Value"));
        rc = cp_aws_json(c, "ssm", SSM("AddTagsToResource"), in, NULL, NULL);
        json_decref(in);
    }
    return rc == 0 ? 0 : -1;
}

static int refreshed(cp_provider_call *c, int rc, const cp_value *config, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "name"));
    return cp_aws_finish_take(c, rc, param_read, s, "the parameter", state);
}

static int param_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, param_validate_config, config) != 0) return -1;
    bool overwrite = cp_get_bool(config, "overwrite", false);
    if (put_parameter(c, config, overwrite) != 0) return -1;
    int rc = 0;
    if (overwrite) /* tags cannot go with Overwrite: added after */
        rc = update_tags(c, cp_get_str(config, "name"), NULL, cp_get_map(config, "tags"));
    return refreshed(c, rc, config, state);
}

static int param_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                        cp_value **state)
{
    if (cp_prov_check_config(c, param_validate_config, config) != 0) return -1;
    static const char *const put[] = { "value", "type", "description", "tier", NULL };
    bool changed = cp_prov_is_set(config, "key_id") && cp_changed(old, config, "key_id");
    for (const char *const *k = put; *k; k++) changed = changed || cp_changed(old, config, *k);
    int rc = changed ? put_parameter(c, config, true) : 0;
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = update_tags(c, cp_get_str(old, "id"), cp_get_map(old, "tags"),
                         cp_get_map(config, "tags"));
    return refreshed(c, rc, config, state);
}

static int param_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *in = json_pack("{s:s}", "Name", cp_get_str(state, "id"));
    int rc = cp_aws_json(c, "ssm", SSM("DeleteParameter"), in, gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int param_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, param_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, param_read, intent, "name", state);
}

const cp_resource_type cp_aws_ssm_parameter = {
    .name = "aws_ssm_parameter",
    .description = "An SSM Parameter Store parameter (import by name). Deliberate differences from "
                   "the Terraform AWS provider: no insecure_value, allowed_pattern or data_type "
                   "yet; a change of type is made in place (a new version), not a replacement.",
    .attrs = attrs,
    .create = param_create,
    .read = param_read,
    .update = param_update,
    .delete = param_delete,
    .import = param_import,
    .read_batch = param_read_batch,
    .validate_config = param_validate_config,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};

/* ---- data source ---------------------------------------------------------------------- */

static const cp_schema_attr data_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Name of the parameter to read." },
    { .name = "with_decryption",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "true",
      .description = "Decrypt a SecureString's value (false: the encrypted text)." },
    { .name = "value",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED | CP_SENSITIVE,
      .description = "The value (sensitive)." },
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "String, StringList or SecureString." },
    { .name = "arn", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "ARN." },
    { .name = "version",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Version of the value." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "The name." },
    { NULL },
};

static int data_read(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "name");
    json_t *p;
    int rc = get_parameter(c, name, cp_get_bool(config, "with_decryption", true), &p);
    if (rc < 0) return -1;
    if (rc > 0)
        return cp_fail(c,
                       "%s: no SSM parameter named \"%s\" in this region; create it or fix the "
                       "name",
                       c->address, name);
    cp_value *s = cp_state_start(data_attrs, config);
    cp_set_str(s, "id", jstr(p, "Name"));
    cp_set_str(s, "name", jstr(p, "Name"));
    cp_set_str(s, "type", jstr(p, "Type"));
    cp_set_str(s, "arn", jstr(p, "ARN"));
    cp_set_num(s, "version", (double)json_integer_value(json_object_get(p, "Version")));
    cp_prov_set_marked_take(s, "value", cp_string(jstr(p, "Value") ? jstr(p, "Value") : ""), true);
    json_decref(p);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_ssm_parameter_data = {
    .name = "aws_ssm_parameter",
    .description = "One SSM Parameter Store parameter: its value (sensitive), type, ARN and "
                   "version (data source).",
    .attrs = data_attrs,
    .is_data = true,
    .read_data = data_read,
};
