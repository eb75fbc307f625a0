/*
 * iam_access_key.c: aws_iam_access_key — an access key of an IAM user
 * (id = the access key id). The secret exists only in the create answer:
 * it is kept in state, marked sensitive, and never read again. Import by
 * access key id (the user is found with GetAccessKeyLastUsed; the secret
 * cannot be imported). Status is changed in place.
 *
 * No batch read: ListAccessKeys is per user and there is no account-wide call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/iam_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_status(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return strcmp(s, "Active") == 0 || strcmp(s, "Inactive") == 0
               ? NULL
               : "status is \"Active\" or \"Inactive\"";
}

static const cp_schema_attr attrs[] = {
    { .name = "user",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_validate_name_1_64,
      .description = "Name of the IAM user the key belongs to." },
    { .name = "status",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"Active\"",
      .validate = validate_status,
      .description = "Active or Inactive (an inactive key cannot sign requests). Default Active." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The access key id (AKIA…)." },
    { .name = "secret",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED | CP_SENSITIVE,
      .description = "The secret access key. Known only from the create; kept in state." },
    { .name = "create_date",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "When the key was created (ISO 8601)." },
    { NULL },
};

/* The user owning key id (import): GetAccessKeyLastUsed names it. */
static char *key_user(cp_provider_call *c, const char *id)
{
    xmlDocPtr doc;
    if (iam_call1(c, "GetAccessKeyLastUsed", "AccessKeyId", id, &doc) != 0) return NULL;
    char *user = aws_xml_text(aws_xml_root(doc), "GetAccessKeyLastUsedResult/UserName");
    xmlFreeDoc(doc);
    return user;
}

static int key_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id");
    if (!id) return cp_fail(c, "%s: no access key id in state to read", c->address);
    char *user =
        cp_get_str(state, "user") ? cp_xstrdup(cp_get_str(state, "user")) : key_user(c, id);
    if (!user) return c->error ? -1 : 0;
    xmlDocPtr doc;
    aws_params *p = aws_params_new();
    aws_params_add(p, "UserName", user);
    int rc = cp_aws_query(c, "iam", "ListAccessKeys", p, iam_gone, &doc);
    aws_params_free(p);
    xmlNodePtr it =
        rc == 0 ? aws_xml_find(aws_xml_root(doc), "ListAccessKeysResult/AccessKeyMetadata/member")
                : NULL;
    for (; it; it = aws_xml_next(it)) {
        char *kid = aws_xml_text(it, "AccessKeyId");
        bool match = kid && strcmp(kid, id) == 0;
        free(kid);
        if (!match) continue;
        cp_value *s = cp_state_complete(attrs, state);
        cp_set_str(s, "user", user);
        cp_set_xml(s, "status", it, "Status");
        cp_set_xml(s, "create_date", it, "CreateDate");
        *out = s;
        break;
    }
    if (rc == 0) xmlFreeDoc(doc);
    free(user);
    return rc < 0 ? -1 : 0;
}

static int set_status(cp_provider_call *c, const char *user, const char *id, const char *status)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "UserName", user);
    aws_params_add(p, "AccessKeyId", id);
    aws_params_add(p, "Status", status);
    int rc = cp_aws_query(c, "iam", "UpdateAccessKey", p, NULL, NULL);
    aws_params_free(p);
    return rc;
}

static int key_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    xmlDocPtr doc;
    const char *user = cp_get_str(config, "user");
    aws_set_no_resend(true); /* a second key would be made: a lost answer is looked up */
    int made = iam_call1(c, "CreateAccessKey", "UserName", user, &doc);
    aws_set_no_resend(false);
    if (made != 0)
        return c->error ? -1
                        : cp_fail(c, "%s: no IAM user \"%s\"; create it first", c->address, user);
    xmlNodePtr k = aws_xml_find(aws_xml_root(doc), "CreateAccessKeyResult/AccessKey");
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", k, "AccessKeyId");
    cp_set_xml(s, "status", k, "Status");
    cp_set_xml(s, "create_date", k, "CreateDate");
    char *secret = aws_xml_text(k, "SecretAccessKey");
    cp_value *plain = cp_string(secret ? secret : "");
    cp_set_take(s, "secret", cp_mark_sensitive(plain));
    cp_release(plain);
    if (secret) memset(secret, 0, strlen(secret));
    free(secret);
    xmlFreeDoc(doc);
    *state = s;
    const char *want = cp_get_str(config, "status");
    if (want && strcmp(want, "Active") != 0) {
        if (set_status(c, user, cp_get_str(s, "id"), want) != 0) return -1;
        cp_set_str(s, "status", want);
    }
    return 0;
}

static int key_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    const char *status = cp_get_str(config, "status") ? cp_get_str(config, "status") : "Active";
    if (set_status(c, cp_get_str(old, "user"), cp_get_str(old, "id"), status) != 0) return -1;
    cp_value *s = cp_state_complete(attrs, old);
    cp_set_str(s, "id", cp_get_str(old, "id"));
    cp_set_str(s, "status", status);
    *state = s;
    return 0;
}

static int key_delete(cp_provider_call *c, const cp_value *state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "UserName", cp_get_str(state, "user"));
    aws_params_add(p, "AccessKeyId", cp_get_str(state, "id"));
    int rc = cp_aws_query(c, "iam", "DeleteAccessKey", p, iam_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

static int key_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, key_read, id, state);
}

/* An interrupted create: the secret of a key it made was never seen, so
 * nobody can use that key. Such keys (the user's keys made since the
 * intent was recorded) are deleted, and the create runs again. */
static int key_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    const char *user = cp_get_str(intent, "user"), *since = cp_get_str(intent, CP_INTENT_AT_KEY);
    if (!user || !since)
        return cp_fail(c, "%s: the intent of the interrupted create names no user", c->address);
    cp_value *ids, *dates;
    const char *items = "ListAccessKeysResult/AccessKeyMetadata/member";
    int rc = iam_list(c, "ListAccessKeys", "UserName", user, items, "AccessKeyId", &ids);
    if (rc != 0) return rc < 0 ? -1 : 0; /* no user: no key */
    rc = iam_list(c, "ListAccessKeys", "UserName", user, items, "CreateDate", &dates);
    for (size_t i = 0; rc == 0 && i < cp_len(ids) && i < cp_len(dates); i++) {
        if (strncmp(cp_string_val(cp_list_get(dates, i)), since, 19) < 0) continue;
        cp_value *k = cp_map_new();
        cp_set_str(k, "user", user);
        cp_set_str(k, "id", cp_string_val(cp_list_get(ids, i)));
        rc = key_delete(c, k);
        cp_release(k);
    }
    cp_release(dates);
    cp_release(ids);
    return rc < 0 ? -1 : 0;
}

const cp_resource_type cp_aws_iam_access_key = {
    .name = "aws_iam_access_key",
    .description = "An access key of an IAM user; secret is sensitive (import by key id).",
    .attrs = attrs,
    .create = key_create,
    .read = key_read,
    .update = key_update,
    .delete = key_delete,
    .import = key_import,
    .recovery = CP_RECOVER_ID,
    .find = key_find,
};
