/*
 * iam_policy_document.c: data source aws_iam_policy_document — builds an
 * IAM policy document from `statement` blocks, merged with
 * source_policy_documents (below it) and override_policy_documents (over
 * it), and renders it exactly as the Terraform AWS provider does, so a
 * ported stack plans no change to the policies that use it. No API call.
 *
 * Terraform's rendering, kept here: a document is {Version, Id, Statement}
 * and a statement {Sid, Effect, Action, NotAction, Resource, NotResource,
 * Principal, NotPrincipal, Condition} in that order, empty ones left out;
 * a set of one string (actions, resources, identifiers) becomes that
 * string and a larger one is sorted in reverse; condition values keep
 * their order; principal and condition maps have their keys sorted; a lone
 * {"*": "*"} principal is "*"; "&{" becomes "${" in resources, identifiers
 * and condition values. `json` is indented with two spaces, `minified_json`
 * has no white space; both escape <, > and & as \u003c, \u003e, \u0026.
 * A statement whose Sid matches an earlier one replaces it in place;
 * others are appended. id = the CRC-32 of `json`, in decimal.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/aws_common.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* Elements of a list (0 for NULL: an argument left out). */
static size_t n_of(const cp_value *v) { return v ? cp_len(v) : 0; }

static const char *validate_effect(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return strcmp(s, "Allow") && strcmp(s, "Deny") ? "effect is \"Allow\" or \"Deny\"" : NULL;
}

static const char *validate_version(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return strcmp(s, "2012-10-17") && strcmp(s, "2008-10-17")
               ? "version is \"2012-10-17\" or \"2008-10-17\""
               : NULL;
}

static const cp_schema_attr principal_attrs[] = {
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Kind of principal: AWS, Service, Federated, CanonicalUser or *." },
    { .name = "identifiers",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_UNORDERED,
      .description = "The principals: ARNs, account ids, service names (ec2.amazonaws.com) or *." },
    { NULL },
};

static const cp_schema_attr condition_attrs[] = {
    { .name = "test",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Condition operator, e.g. StringEquals, ArnLike, Bool." },
    { .name = "variable",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Context key the operator tests, e.g. aws:SourceArn." },
    { .name = "values",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Values to test against (any one matching), in order." },
    { NULL },
};

static const cp_schema_attr statement_attrs[] = {
    { .name = "sid",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Statement id; an override document's statement with the same Sid replaces "
                     "this one." },
    { .name = "effect",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"Allow\"",
      .validate = validate_effect,
      .description = "Allow or Deny." },
    { .name = "actions",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Actions allowed or denied, e.g. s3:GetObject." },
    { .name = "not_actions",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Actions the statement applies to all but." },
    { .name = "resources",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Resource ARNs; write policy variables as &{aws:username}." },
    { .name = "not_resources",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Resources the statement applies to all but." },
    { .name = "principals",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = principal_attrs,
      .description = "Who the statement applies to (resource-based and trust policies)." },
    { .name = "not_principals",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = principal_attrs,
      .description = "Everyone the statement applies to but these." },
    { .name = "condition",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = condition_attrs,
      .description = "Conditions that must all hold for the statement to apply." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "statement",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = statement_attrs,
      .description = "The document's statements, in order." },
    { .name = "version",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"2012-10-17\"",
      .validate = validate_version,
      .description = "Policy language version: 2012-10-17 or 2008-10-17." },
    { .name = "policy_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "The document's Id." },
    { .name = "source_policy_documents",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "JSON documents merged below this one: their statements come first and a "
                     "statement here with the same Sid replaces theirs." },
    { .name = "override_policy_documents",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "JSON documents merged over this one, in order: a statement with the same "
                     "Sid replaces the earlier one, others are appended." },
    { .name = "json",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The document as Terraform renders it (indented with two spaces)." },
    { .name = "minified_json",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The same document without white space." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "CRC-32 of json, in decimal (as Terraform)." },
    { NULL },
};

/* --- the document model --------------------------------------------------------------------
 * A statement is a JSON object holding its elements in output order; its
 * Principal / NotPrincipal are kept as arrays of [type, identifiers] and
 * its Condition as an array of [test, variable, values] until rendered. */

typedef struct pdoc {
    char *version, *id;
    json_t *stmts; /* array of statement objects */
} pdoc;

static const char *const stmt_keys[] = { "Sid",       "Effect",       "Action",
                                         "NotAction", "Resource",     "NotResource",
                                         "Principal", "NotPrincipal", "Condition" };
#define N_STMT_KEYS (sizeof stmt_keys / sizeof *stmt_keys)

static const char *stmt_sid(const json_t *st)
{
    const char *s = json_string_value(json_object_get(st, "Sid"));
    return s ? s : "";
}

/* Terraform's Merge: adopt the Id, upgrade the Version, replace statements
 * with the same non-empty Sid in place, append the rest. */
static void pdoc_merge(pdoc *into, const pdoc *from)
{
    if (from->id && *from->id) {
        free(into->id);
        into->id = cp_xstrdup(from->id);
    }
    if (from->version && (!into->version || strcmp(from->version, into->version) > 0)) {
        free(into->version);
        into->version = cp_xstrdup(from->version);
    }
    size_t i;
    json_t *st;
    json_array_foreach(from->stmts, i, st)
    {
        const char *sid = stmt_sid(st);
        size_t j, at = (size_t)-1;
        json_t *old;
        json_array_foreach(into->stmts, j,
                           old) if (*sid && at == (size_t)-1 && !strcmp(stmt_sid(old), sid)) at = j;
        if (at != (size_t)-1)
            json_array_set(into->stmts, at, st);
        else
            json_array_append(into->stmts, st);
    }
}

static void pdoc_clear(pdoc *d)
{
    free(d->version);
    free(d->id);
    json_decref(d->stmts);
}

/* --- statements from config ---------------------------------------------------------------- */

static int cmp_desc(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

/* "&{" → "${" (2012-10-17); in 2008-10-17 "&{" is an error (*bad set). */
static char *replace_vars(const char *s, const char *version, const char **bad)
{
    if (!strcmp(version, "2008-10-17")) {
        if (strstr(s, "&{")) *bad = s;
        return cp_xstrdup(s);
    }
    char *out = cp_xstrdup(s);
    for (char *p = strstr(out, "&{"); p; p = strstr(p + 2, "&{")) *p = '$';
    return out;
}

/* A set of strings as Terraform encodes it: one → that string, more →
 * sorted in reverse (duplicates dropped, as in a set); NULL when empty.
 * With a version, policy variables are replaced after sorting, as there. */
static json_t *string_set(const cp_value *list, const char *version, const char **bad)
{
    size_t n = n_of(list);
    if (n == 0) return NULL;
    char **v = cp_xcalloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (char *)cp_string_val(cp_list_get(list, i));
    qsort(v, n, sizeof *v, cmp_desc);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !strcmp(v[i], v[i - 1])) continue;
        char *s = version ? replace_vars(v[i], version, bad) : cp_xstrdup(v[i]);
        json_array_append_new(arr, json_string(s));
        free(s);
    }
    free(v);
    if (json_array_size(arr) != 1) return arr;
    json_t *one = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return one;
}

static json_t *principals_from(const cp_value *blocks, const char *version, const char **bad)
{
    if (n_of(blocks) == 0) return NULL;
    json_t *set = json_array();
    for (size_t i = 0; i < n_of(blocks); i++) {
        const cp_value *b = cp_list_get(blocks, i);
        json_t *ids = string_set(cp_get_list(b, "identifiers"), version, bad);
        if (!ids) ids = json_array();
        json_array_append_new(set, json_pack("[so]", cp_get_str_or(b, "type", ""), ids));
    }
    return set;
}

static json_t *conditions_from(const cp_value *blocks, const char *version, const char **bad)
{
    if (n_of(blocks) == 0) return NULL;
    json_t *set = json_array();
    for (size_t i = 0; i < n_of(blocks); i++) {
        const cp_value *b = cp_list_get(blocks, i), *vals = cp_get_list(b, "values");
        json_t *arr = json_array();
        for (size_t j = 0; j < n_of(vals); j++) {
            char *s = replace_vars(cp_string_val(cp_list_get(vals, j)), version, bad);
            json_array_append_new(arr, json_string(s));
            free(s);
        }
        json_array_append_new(set, json_pack("[sso]", cp_get_str_or(b, "test", ""),
                                             cp_get_str_or(b, "variable", ""), arr));
    }
    return set;
}

static void set_new_if(json_t *o, const char *key, json_t *v)
{
    if (v) json_object_set_new(o, key, v);
}

static json_t *stmt_from_config(const cp_value *b, const char *version, const char **bad)
{
    json_t *st = json_object();
    const char *sid = cp_get_str(b, "sid");
    if (sid && *sid) json_object_set_new(st, "Sid", json_string(sid));
    json_object_set_new(st, "Effect", json_string(cp_get_str_or(b, "effect", "Allow")));
    set_new_if(st, "Action", string_set(cp_get_list(b, "actions"), NULL, bad));
    set_new_if(st, "NotAction", string_set(cp_get_list(b, "not_actions"), NULL, bad));
    set_new_if(st, "Resource", string_set(cp_get_list(b, "resources"), version, bad));
    set_new_if(st, "NotResource", string_set(cp_get_list(b, "not_resources"), version, bad));
    set_new_if(st, "Principal", principals_from(cp_get_list(b, "principals"), version, bad));
    set_new_if(st, "NotPrincipal", principals_from(cp_get_list(b, "not_principals"), version, bad));
    set_new_if(st, "Condition", conditions_from(cp_get_list(b, "condition"), version, bad));
    return st;
}

/* The document of this data source's own arguments; NULL with *err. */
static bool pdoc_from_config(const cp_value *config, pdoc *d, char **err)
{
    d->version = cp_xstrdup(cp_get_str_or(config, "version", "2012-10-17"));
    const char *pid = cp_get_str(config, "policy_id");
    d->id = pid ? cp_xstrdup(pid) : NULL;
    d->stmts = json_array();
    const cp_value *blocks = cp_get_list(config, "statement");
    const char *bad = NULL;
    for (size_t i = 0; i < n_of(blocks); i++) {
        json_t *st = stmt_from_config(cp_list_get(blocks, i), d->version, &bad);
        const char *sid = stmt_sid(st);
        size_t j;
        json_t *old;
        json_array_foreach(d->stmts, j,
                           old) if (*sid && !strcmp(stmt_sid(old), sid) && !*err) *err =
            cp_xasprintf("duplicate sid \"%s\" in statement %zu and %zu; make the "
                         "sids unique or remove one",
                         sid, j + 1, i + 1);
        json_array_append_new(d->stmts, st);
    }
    if (bad && !*err)
        *err = cp_xasprintf("\"%s\" uses a &{…} policy variable, which version 2008-10-17 does "
                            "not support; set version = \"2012-10-17\"",
                            bad);
    return *err == NULL;
}

/* --- statements from JSON documents (source / override) ------------------------------------- */

/* The member of o named key, matched as Go's encoding/json does (exact
 * first, then ignoring case). */
static json_t *go_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (v) return v;
    const char *k;
    json_object_foreach(o, k, v) if (!strcasecmp(k, key)) return v;
    return NULL;
}

static const char *string_member(json_t *o, const char *key, const char **bad_key)
{
    json_t *v = go_member(o, key);
    if (v && !json_is_string(v) && !json_is_null(v) && !*bad_key) *bad_key = key;
    return json_string_value(v);
}

static int cmp_asc_json(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* Principal "*" or {type: id | [ids]} as [[type, ids] …]; NULL when bad. */
static json_t *principals_from_json(json_t *v)
{
    if (json_is_string(v)) return json_pack("[[s[s]]]", "*", "*");
    if (!json_is_object(v)) return NULL;
    json_t *set = json_array(), *ids;
    const char *type;
    json_object_foreach(v, type, ids)
    {
        if (json_is_string(ids)) {
            json_array_append_new(set, json_pack("[sO]", type, ids));
            continue;
        }
        size_t n = json_array_size(ids);
        json_t **items = cp_xcalloc(n + 1, sizeof *items);
        for (size_t i = 0; i < n; i++) {
            items[i] = json_array_get(ids, i);
            if (!json_is_string(items[i])) ids = NULL;
        }
        if (!json_is_array(ids)) {
            free(items);
            json_decref(set);
            return NULL;
        }
        qsort(items, n, sizeof *items, cmp_asc_json);
        json_t *sorted = json_array();
        for (size_t i = 0; i < n; i++) json_array_append(sorted, items[i]);
        free(items);
        json_array_append_new(set, json_pack("[so]", type, sorted));
    }
    return set;
}

/* Condition {test: {variable: value(s)}} as [[test, variable, [values]] …]:
 * a string is one value, a bool "true"/"false"; other kinds are dropped,
 * as Terraform drops them. NULL when bad. */
static json_t *conditions_from_json(json_t *v)
{
    if (!json_is_object(v)) return NULL;
    json_t *set = json_array(), *vars, *vals;
    const char *test, *var;
    json_object_foreach(v, test, vars)
    {
        if (!json_is_object(vars)) {
            json_decref(set);
            return NULL;
        }
        json_object_foreach(vars, var, vals)
        {
            json_t *arr = NULL;
            if (json_is_string(vals))
                arr = json_pack("[O]", vals);
            else if (json_is_boolean(vals))
                arr = json_pack("[s]", json_is_true(vals) ? "true" : "false");
            else if (json_is_array(vals))
                arr = json_deep_copy(vals);
            if (arr) json_array_append_new(set, json_pack("[sso]", test, var, arr));
        }
    }
    return set;
}

static json_t *stmt_from_json(json_t *o, const char **bad_key)
{
    if (!json_is_object(o)) {
        *bad_key = "Statement";
        return NULL;
    }
    json_t *st = json_object();
    for (size_t i = 0; i < N_STMT_KEYS && !*bad_key; i++) {
        json_t *v = go_member(o, stmt_keys[i]);
        if (!v || json_is_null(v)) continue;
        if (i < 2) {
            const char *s = string_member(o, stmt_keys[i], bad_key);
            if (s && *s) json_object_set_new(st, stmt_keys[i], json_string(s));
            continue;
        }
        json_t *set = i < 6   ? json_incref(v)
                      : i < 8 ? principals_from_json(v)
                              : conditions_from_json(v);
        if (!set) *bad_key = stmt_keys[i];
        if (set && json_is_array(set) && json_array_size(set) == 0 && i >= 6) {
            json_decref(set);
            continue;
        }
        if (set) json_object_set_new(st, stmt_keys[i], set);
    }
    return st;
}

/* A source / override document; false with *err naming `what`. */
static bool pdoc_from_json(const char *text, const char *what, pdoc *d, char **err)
{
    json_error_t je;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    d->version = d->id = NULL;
    d->stmts = json_array();
    if (!json_is_object(root)) {
        *err = root ? cp_xasprintf("%s is not a JSON object", what)
                    : cp_xasprintf("%s is not valid JSON (line %d: %s)", what, je.line, je.text);
        json_decref(root);
        return false;
    }
    const char *bad = NULL, *ver = string_member(root, "Version", &bad);
    const char *id = string_member(root, "Id", &bad);
    d->version = ver ? cp_xstrdup(ver) : NULL;
    d->id = id ? cp_xstrdup(id) : NULL;
    json_t *stmts = go_member(root, "Statement"), *s;
    size_t i;
    if (stmts && !json_is_array(stmts) && !json_is_null(stmts)) bad = "Statement";
    json_array_foreach(stmts, i, s)
    {
        json_t *st = bad ? NULL : stmt_from_json(s, &bad);
        if (st) json_array_append_new(d->stmts, st);
    }
    json_decref(root);
    if (bad)
        *err = cp_xasprintf("%s: %s has the wrong JSON type (Statement is a list of objects; "
                            "Sid, Effect, Version and Id are strings)",
                            what, bad);
    return bad == NULL;
}

/* --- rendering ------------------------------------------------------------------------------ */

/* [[type, ids] …] as Terraform's principal map, or "*" for a lone "*". */
static json_t *render_principals(json_t *set)
{
    if (json_array_size(set) == 1) {
        json_t *p = json_array_get(set, 0), *ids = json_array_get(p, 1);
        bool star_ids = (json_is_string(ids) && !strcmp(json_string_value(ids), "*")) ||
                        (json_array_size(ids) == 1 &&
                         !strcmp(json_string_value(json_array_get(ids, 0)) ?: "", "*"));
        if (!strcmp(json_string_value(json_array_get(p, 0)), "*") && star_ids)
            return json_string("*");
    }
    json_t *out = json_object(), *p;
    size_t i;
    json_array_foreach(set, i, p)
    {
        const char *type = json_string_value(json_array_get(p, 0));
        json_t *ids = json_array_get(p, 1), *have = json_object_get(out, type);
        if (!have && json_is_string(ids)) {
            json_object_set(out, type, ids);
            continue;
        }
        json_t *arr = json_is_array(have) ? json_incref(have) : json_array();
        if (json_is_string(have)) json_array_append(arr, have);
        if (json_is_string(ids)) {
            json_array_append(arr, ids);
        } else {
            size_t n = json_array_size(ids), k;
            json_t **items = cp_xcalloc(n + 1, sizeof *items), *it;
            json_array_foreach(ids, k, it) items[k] = it;
            qsort(items, n, sizeof *items, cmp_asc_json);
            for (k = n; k > 0; k--) json_array_append(arr, items[k - 1]);
            free(items);
        }
        json_object_set_new(out, type, arr);
    }
    return out;
}

static json_t *render_conditions(json_t *set)
{
    json_t *out = json_object(), *c;
    size_t i;
    json_array_foreach(set, i, c)
    {
        const char *test = json_string_value(json_array_get(c, 0));
        const char *var = json_string_value(json_array_get(c, 1));
        json_t *t = json_object_get(out, test);
        if (!t) json_object_set_new(out, test, t = json_object());
        json_t *vals = json_object_get(t, var);
        if (!vals) json_object_set_new(t, var, vals = json_array());
        json_array_extend(vals, json_array_get(c, 2));
    }
    const char *tk, *vk;
    json_t *t, *vals;
    json_object_foreach(out, tk, t) json_object_foreach(t, vk, vals) if (json_array_size(vals) == 1)
        json_object_set(t, vk, json_array_get(vals, 0));
    return out;
}

static json_t *render_stmt(json_t *st)
{
    json_t *out = json_object();
    for (size_t i = 0; i < N_STMT_KEYS; i++) {
        json_t *v = json_object_get(st, stmt_keys[i]);
        if (!v) continue;
        if (i >= 6 && i < 8)
            json_object_set_new(out, stmt_keys[i], render_principals(v));
        else if (i == 8)
            json_object_set_new(out, stmt_keys[i], render_conditions(v));
        else
            json_object_set(out, stmt_keys[i], v);
    }
    return out;
}

/* Go's encoding/json string form (HTML characters escaped). */
static void go_string(cp_buf *b, const char *s)
{
    cp_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            cp_buf_addc(b, '\\');
            cp_buf_addc(b, (char)*p);
        } else if (*p == '\n') {
            cp_buf_adds(b, "\\n");
        } else if (*p == '\r') {
            cp_buf_adds(b, "\\r");
        } else if (*p == '\t') {
            cp_buf_adds(b, "\\t");
        } else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
            cp_buf_printf(b, "\\u%04x", *p);
        } else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            cp_buf_printf(b, "\\u202%c", p[2] == 0xA8 ? '8' : '9');
            p += 2;
        } else {
            cp_buf_addc(b, (char)*p);
        }
    }
    cp_buf_addc(b, '"');
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void go_write(cp_buf *b, json_t *v, int depth, bool pretty);

static void go_newline(cp_buf *b, int depth, bool pretty)
{
    if (!pretty) return;
    cp_buf_addc(b, '\n');
    for (int i = 0; i < depth; i++) cp_buf_adds(b, "  ");
}

/* Objects of the document and of its statements keep their field order
 * (depths 0 and 2); every other object is a Go map: keys sorted. */
static void go_object(cp_buf *b, json_t *v, int depth, bool pretty)
{
    size_t n = json_object_size(v), i = 0;
    if (n == 0) {
        cp_buf_adds(b, "{}");
        return;
    }
    const char **keys = cp_xcalloc(n, sizeof *keys), *k;
    json_t *x;
    json_object_foreach(v, k, x) keys[i++] = k;
    if (depth != 0 && depth != 2) qsort(keys, n, sizeof *keys, cmp_key);
    cp_buf_addc(b, '{');
    for (i = 0; i < n; i++) {
        cp_buf_adds(b, i ? "," : "");
        go_newline(b, depth + 1, pretty);
        go_string(b, keys[i]);
        cp_buf_adds(b, pretty ? ": " : ":");
        go_write(b, json_object_get(v, keys[i]), depth + 1, pretty);
    }
    go_newline(b, depth, pretty);
    cp_buf_addc(b, '}');
    free(keys);
}

static void go_write(cp_buf *b, json_t *v, int depth, bool pretty)
{
    size_t i;
    json_t *x;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        go_object(b, v, depth, pretty);
        return;
    case JSON_ARRAY:
        if (json_array_size(v) == 0) {
            cp_buf_adds(b, "[]");
            return;
        }
        cp_buf_addc(b, '[');
        json_array_foreach(v, i, x)
        {
            cp_buf_adds(b, i ? "," : "");
            go_newline(b, depth + 1, pretty);
            go_write(b, x, depth + 1, pretty);
        }
        go_newline(b, depth, pretty);
        cp_buf_addc(b, ']');
        return;
    case JSON_STRING:
        go_string(b, json_string_value(v));
        return;
    case JSON_INTEGER:
        cp_buf_printf(b, "%lld", (long long)json_integer_value(v));
        return;
    case JSON_REAL:
        cp_buf_printf(b, "%.17g", json_real_value(v));
        return;
    case JSON_TRUE:
        cp_buf_adds(b, "true");
        return;
    case JSON_FALSE:
        cp_buf_adds(b, "false");
        return;
    default:
        cp_buf_adds(b, "null");
    }
}

static json_t *render_doc(const pdoc *d)
{
    json_t *out = json_object();
    if (d->version && *d->version) json_object_set_new(out, "Version", json_string(d->version));
    if (d->id && *d->id) json_object_set_new(out, "Id", json_string(d->id));
    if (json_array_size(d->stmts)) {
        json_t *arr = json_array(), *st;
        size_t i;
        json_array_foreach(d->stmts, i, st) json_array_append_new(arr, render_stmt(st));
        json_object_set_new(out, "Statement", arr);
    }
    return out;
}

static char *go_text(json_t *doc, bool pretty)
{
    cp_buf b;
    cp_buf_init(&b);
    go_write(&b, doc, 0, pretty);
    return cp_buf_steal(&b);
}

static uint32_t crc32_ieee(const char *s)
{
    uint32_t c = 0xFFFFFFFFu;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        c ^= *p;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

/* --- the data source ----------------------------------------------------------------------- */

/* source_policy_documents merged in order (their Sids unique among them). */
static bool merge_sources(const cp_value *list, pdoc *merged, char **err)
{
    json_t *sids = json_object();
    for (size_t i = 0; i < n_of(list) && !*err; i++) {
        const cp_value *v = cp_list_get(list, i);
        if (cp_kind_of(v) != CP_STRING) continue;
        char what[64];
        snprintf(what, sizeof what, "source_policy_documents[%zu]", i);
        pdoc src;
        if (pdoc_from_json(cp_string_val(v), what, &src, err)) {
            size_t j;
            json_t *st;
            json_array_foreach(src.stmts, j, st)
            {
                const char *sid = stmt_sid(st);
                if (*sid && json_object_get(sids, sid) && !*err)
                    *err = cp_xasprintf("%s: duplicate Sid \"%s\" (statement %zu) in "
                                        "source_policy_documents; remove it or make Sids unique",
                                        what, sid, j + 1);
                if (*sid) json_object_set_new(sids, sid, json_true());
            }
            if (!*err) pdoc_merge(merged, &src);
        }
        pdoc_clear(&src);
    }
    json_decref(sids);
    return *err == NULL;
}

static bool merge_overrides(const cp_value *list, pdoc *merged, char **err)
{
    for (size_t i = 0; i < n_of(list) && !*err; i++) {
        const cp_value *v = cp_list_get(list, i);
        if (cp_kind_of(v) != CP_STRING) continue;
        char what[64];
        snprintf(what, sizeof what, "override_policy_documents[%zu]", i);
        pdoc o;
        if (pdoc_from_json(cp_string_val(v), what, &o, err)) pdoc_merge(merged, &o);
        pdoc_clear(&o);
    }
    return *err == NULL;
}

static int pd_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    pdoc merged = { NULL, NULL, json_array() }, own;
    char *err = NULL;
    bool ok = merge_sources(cp_get_list(config, "source_policy_documents"), &merged, &err);
    bool own_ok = pdoc_from_config(config, &own, &err);
    if (ok && own_ok) pdoc_merge(&merged, &own);
    pdoc_clear(&own);
    if (ok && own_ok)
        ok = merge_overrides(cp_get_list(config, "override_policy_documents"), &merged, &err);
    if (err) {
        pdoc_clear(&merged);
        int rc = cp_fail(c, "%s: %s", c->address, err);
        free(err);
        return rc;
    }
    json_t *doc = render_doc(&merged);
    pdoc_clear(&merged);
    char *pretty = go_text(doc, true), *mini = go_text(doc, false);
    json_decref(doc);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_take(s, "id", cp_stringf("%u", crc32_ieee(pretty)));
    cp_set_take(s, "json", cp_string_take(pretty));
    cp_set_take(s, "minified_json", cp_string_take(mini));
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_iam_policy_document_data = {
    .name = "aws_iam_policy_document",
    .description = "Builds an IAM policy document, rendered as Terraform renders it (data "
                   "source; no API call).",
    .attrs = attrs,
    .is_data = true,
    .read_data = pd_read_data,
};
