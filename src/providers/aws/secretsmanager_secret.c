/*
 * secretsmanager_secret.c: aws_secretsmanager_secret — a Secrets Manager
 * secret without its value (id = secret ARN; import by ARN or name); the
 * value is aws_secretsmanager_secret_version's. Description and KMS key
 * change in place (UpdateSecret), the policy through Put/DeleteResourcePolicy,
 * tags through TagResource / UntagResource; the name forces a new secret.
 * Delete schedules deletion after recovery_window_in_days (Terraform's 30),
 * 0 deletes at once (ForceDeleteWithoutRecovery). A secret scheduled for
 * deletion reads as gone.
 *
 * Recovery key: the name, made up before the call when left out; an
 * interrupted create is found again with DescribeSecret.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SM(op) "secretsmanager." op

static const char *validate_name(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = cp_string_len(v);
    if (n < 1 || n > 512 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+=.@-") != n)
        return "secret names are 1 to 512 letters, digits and / _ + = . @ -";
    return NULL;
}

static const char *validate_prefix(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = cp_string_len(v);
    if (n > 486 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+=.@-") != n)
        return "a secret name_prefix is at most 486 letters, digits and / _ + = . @ - (26 "
               "characters are added)";
    return NULL;
}

static const char *validate_window(const cp_value *v)
{
    double d = cp_number_val(v);
    return d == 0 || (d >= 7 && d <= 30 && d == (long)d)
               ? NULL
               : "recovery_window_in_days is 0 (delete at once) or 7 to 30";
}

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the secret, e.g. `prod/db/password`. Default: name_prefix (or "
                     "cpstack-) and a random suffix, made up at apply." },
    { .name = "name_prefix",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .validate = validate_prefix,
      .description = "Prefix of a generated unique name; conflicts with name." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the secret." },
    { .name = "kms_key_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "KMS key encrypting the secret's values. Default: aws/secretsmanager." },
    { .name = "recovery_window_in_days",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "30",
      .validate = validate_window,
      .description = "Days a deleted secret can still be restored; 0 deletes it at once." },
    { .name = "policy",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = cp_validate_json,
      .description = "Resource policy of the secret (JSON)." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the secret." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the secret." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the secret (the name and 6 random characters)." },
    { NULL },
};

static const char *const gone[] = { "ResourceNotFoundException", NULL };

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static char *secret_validate_config(const cp_value *config)
{
    if (cp_prov_presence(config, "name") == 1 && cp_prov_presence(config, "name_prefix") == 1)
        return cp_xstrdup("set name or name_prefix, not both");
    return NULL;
}

/* DescribeSecret: 0 with *out (a new reference; NULL when gone or scheduled for deletion). */
static int describe(cp_provider_call *c, const char *id, json_t **out)
{
    *out = NULL;
    json_t *in = json_pack("{s:s}", "SecretId", id), *res = NULL;
    int rc = cp_aws_json(c, "secretsmanager", SM("DescribeSecret"), in, gone, &res);
    json_decref(in);
    if (rc != 0) return rc < 0 ? -1 : 0;
    json_t *deleted = json_object_get(res, "DeletedDate"); /* moto sends null */
    if (deleted && !json_is_null(deleted))
        json_decref(res);
    else
        *out = res;
    return 0;
}

/* The state from d (DescribeSecret's answer or a ListSecrets item), the policy not yet read. */
static cp_value *secret_state(const json_t *d, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "id", jstr(d, "ARN"));
    cp_set_str(s, "arn", jstr(d, "ARN"));
    cp_set_str(s, "name", jstr(d, "Name"));
    const char *desc = jstr(d, "Description");
    cp_set_str(s, "description", desc && *desc ? desc : NULL);
    cp_set_str(s, "kms_key_id", jstr(d, "KmsKeyId"));
    cp_set_take(s, "tags",
                cp_tags_keep_take(cp_aws_tags_from_json(json_object_get(d, "Tags"), "Key", "Value"),
                                  cp_map_get(state, "tags")));
    if (!cp_prov_is_set(s, "recovery_window_in_days")) cp_set_num(s, "recovery_window_in_days", 30);
    return s;
}

/* GetResourcePolicy into s's "policy": 0, 1 when the secret is gone, -1. */
static int read_policy(cp_provider_call *c, const cp_value *state, cp_value *s,
                       const char *const *gone_codes)
{
    json_t *in = json_pack("{s:s}", "SecretId", cp_get_str(s, "arn")), *pol = NULL;
    int rc = cp_aws_json(c, "secretsmanager", SM("GetResourcePolicy"), in, gone_codes, &pol);
    json_decref(in);
    if (rc != 0) return rc;
    cp_set_take(s, "policy",
                cp_json_keep(cp_get_str(state, "policy"), jstr(pol, "ResourcePolicy")));
    json_decref(pol);
    return 0;
}

static int secret_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id");
    if (!id || !*id) return cp_fail(c, "%s: no secret ARN in state to read", c->address);
    json_t *d;
    if (describe(c, id, &d) != 0) return -1;
    if (!d) return 0;
    cp_value *s = secret_state(d, state);
    json_decref(d);
    if (read_policy(c, state, s, NULL) != 0) {
        cp_release(s);
        return -1;
    }
    *out = s;
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * ListSecrets filtered by up to 10 names a call (a prefix match: items are matched back by
 * ARN; pages followed) gives what DescribeSecret gives read(). It may lag by minutes, so an
 * item is taken only where it agrees with the state; a secret not listed (gone, scheduled
 * for deletion, or not listed yet) or listed otherwise is read by read(). The policy has no
 * batch call: GetResourcePolicy stays one a secret. */
#define NAMES_PER_LIST 10

static bool same_attr(const cp_value *a, const cp_value *b, const char *key)
{
    const cp_value *x = cp_map_get(a, key), *y = cp_map_get(b, key);
    bool xn = !x || cp_is_null(x), yn = !y || cp_is_null(y);
    return xn || yn ? xn == yn : cp_equal(x, y);
}

typedef struct list_page {
    const cp_value *const *states;
    size_t n;
    cp_value **out;
} list_page;

/* One page of ListSecrets: each listed secret of states, where it agrees with state. */
static int secrets_page(void *ud, const json_t *res)
{
    list_page *lp = ud;
    size_t k;
    json_t *d;
    json_array_foreach(json_object_get(res, "SecretList"), k, d)
    {
        json_t *deleted = json_object_get(d, "DeletedDate");
        if (!jstr(d, "ARN") || (deleted && !json_is_null(deleted))) continue;
        for (size_t i = 0; i < lp->n; i++) {
            const char *id = cp_get_str(lp->states[i], "id");
            if (lp->out[i] || !id || strcmp(id, jstr(d, "ARN")) != 0) continue;
            cp_value *s = secret_state(d, lp->states[i]);
            static const char *const keys[] = { "name", "description", "kms_key_id", "tags", NULL };
            bool agree = true;
            for (const char *const *key = keys; *key; key++)
                agree = agree && same_attr(s, lp->states[i], *key);
            if (agree)
                lp->out[i] = s;
            else
                cp_release(s);
        }
    }
    return 0;
}

/* The listed items of states[0..n) (n <= 10) into out[i] where they agree with states[i]. */
static int list_chunk(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out)
{
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *name = cp_get_str(states[i], "name");
        bool dup = false;
        for (size_t k = 0; name && k < i; k++)
            dup = dup ||
                  (cp_get_str(states[k], "name") && !strcmp(cp_get_str(states[k], "name"), name));
        if (name && *name && !dup) json_array_append_new(names, json_string(name));
    }
    if (json_array_size(names) == 0) {
        json_decref(names);
        return 0;
    }
    json_t *in = json_pack("{s:[{s:s, s:o}], s:i}", "Filters", "Key", "name", "Values", names,
                           "MaxResults", 100);
    list_page lp = { states, n, out };
    int rc = cp_aws_json_pages(c, "secretsmanager", SM("ListSecrets"), in, NULL, secrets_page, &lp);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static int secret_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                             cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += NAMES_PER_LIST)
        if (list_chunk(c, states + k, n - k < NAMES_PER_LIST ? n - k : NAMES_PER_LIST, out + k) !=
            0) /* e.g. allowed DescribeSecret but not ListSecrets */
            return cp_aws_batch_fallback(c, secret_read, states, n, out);
    for (size_t i = 0; i < n; i++) {
        if (!out[i]) continue;
        int rc = read_policy(c, states[i], out[i], gone);
        if (rc < 0) return cp_aws_batch_fail(out, n);
        if (rc > 0) { /* deleted since the listing: read() says so */
            cp_release(out[i]);
            out[i] = NULL;
        }
    }
    bool *todo = cp_xcalloc(n ? n : 1, sizeof *todo);
    for (size_t i = 0; i < n; i++) todo[i] = !out[i];
    int rc = cp_aws_read_rest(c, secret_read, states, todo, n, out);
    free(todo);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

static int put_policy(cp_provider_call *c, const char *arn, const char *policy)
{
    json_t *in = policy ? json_pack("{s:s, s:s}", "SecretId", arn, "ResourcePolicy", policy)
                        : json_pack("{s:s}", "SecretId", arn);
    int rc =
        cp_aws_json(c, "secretsmanager",
                    policy ? SM("PutResourcePolicy") : SM("DeleteResourcePolicy"), in, NULL, NULL);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static int refreshed(cp_provider_call *c, int rc, const cp_value *config, const char *arn,
                     cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", arn);
    return cp_aws_finish_take(c, rc, secret_read, s, "the secret", state);
}

static int secret_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "name");
    if (!name) return cp_fail(c, "%s: no secret name to create", c->address);
    json_t *in = json_pack("{s:s}", "Name", name), *res = NULL;
    if (cp_get_str(config, "description"))
        json_object_set_new(in, "Description", json_string(cp_get_str(config, "description")));
    if (cp_get_str(config, "kms_key_id"))
        json_object_set_new(in, "KmsKeyId", json_string(cp_get_str(config, "kms_key_id")));
    const cp_value *tags = cp_get_map(config, "tags");
    if (tags && cp_len(tags))
        json_object_set_new(in, "Tags", cp_aws_tags_to_json(tags, "Key", "Value"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_json(c, "secretsmanager", SM("CreateSecret"), in, NULL, &res);
    aws_set_no_resend(false);
    json_decref(in);
    if (rc != 0) return -1;
    char *arn = jstr(res, "ARN") ? cp_xstrdup(jstr(res, "ARN")) : NULL;
    json_decref(res);
    if (!arn)
        return cp_fail(c, "%s: CreateSecret answered without an ARN; run apply again", c->address);
    const char *policy = cp_get_str(config, "policy");
    rc = policy ? put_policy(c, arn, policy) : 0;
    rc = refreshed(c, rc, config, arn, state);
    free(arn);
    return rc;
}

static int update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                       const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed)) {
        json_t *keys = json_array();
        for (size_t i = 0; i < cp_len(removed); i++)
            json_array_append_new(keys, json_string(cp_string_val(cp_list_get(removed, i))));
        json_t *in = json_pack("{s:s, s:o}", "SecretId", arn, "TagKeys", keys);
        rc = cp_aws_json(c, "secretsmanager", SM("UntagResource"), in, NULL, NULL);
        json_decref(in);
    }
    cp_release(removed);
    if (rc == 0 && new_tags && cp_len(new_tags)) {
        json_t *in = json_pack("{s:s, s:o}", "SecretId", arn, "Tags",
                               cp_aws_tags_to_json(new_tags, "Key", "Value"));
        rc = cp_aws_json(c, "secretsmanager", SM("TagResource"), in, NULL, NULL);
        json_decref(in);
    }
    return rc == 0 ? 0 : -1;
}

static int secret_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    int rc = 0;
    if (cp_changed(old, config, "description") || cp_changed(old, config, "kms_key_id")) {
        json_t *in = json_pack("{s:s}", "SecretId", arn);
        const char *desc = cp_get_str(config, "description");
        json_object_set_new(in, "Description", json_string(desc ? desc : ""));
        if (cp_get_str(config, "kms_key_id"))
            json_object_set_new(in, "KmsKeyId", json_string(cp_get_str(config, "kms_key_id")));
        rc = cp_aws_json(c, "secretsmanager", SM("UpdateSecret"), in, NULL, NULL) == 0 ? 0 : -1;
        json_decref(in);
    }
    if (rc == 0 && cp_changed(old, config, "policy"))
        rc = put_policy(c, arn, cp_get_str(config, "policy"));
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = update_tags(c, arn, cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    return refreshed(c, rc, config, arn, state);
}

static int secret_delete(cp_provider_call *c, const cp_value *state)
{
    double days = cp_get_num(state, "recovery_window_in_days", 30);
    json_t *in = days == 0 ? json_pack("{s:s, s:b}", "SecretId", cp_get_str(state, "id"),
                                       "ForceDeleteWithoutRecovery", 1)
                           : json_pack("{s:s, s:I}", "SecretId", cp_get_str(state, "id"),
                                       "RecoveryWindowInDays", (json_int_t)days);
    int rc = cp_aws_json(c, "secretsmanager", SM("DeleteSecret"), in, gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int secret_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, secret_read, id, state);
}

/* An interrupted create is found by its name: DescribeSecret takes a name as SecretId. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, secret_read, intent, "name", state);
}

const cp_resource_type cp_aws_secretsmanager_secret = {
    .name = "aws_secretsmanager_secret",
    .description =
        "A Secrets Manager secret; its value is an aws_secretsmanager_secret_version (import by "
        "ARN or name). Deliberate differences from the Terraform AWS provider: a name left out "
        "is made up as name_prefix (or cpstack-) and a random suffix (Terraform's start "
        "terraform-); no replica blocks yet.",
    .attrs = attrs,
    .create = secret_create,
    .read = secret_read,
    .update = secret_update,
    .delete = secret_delete,
    .import = secret_import,
    .read_batch = secret_read_batch,
    .validate_config = secret_validate_config,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .recovery_prefix = "name_prefix",
    .find = rec_find,
};
