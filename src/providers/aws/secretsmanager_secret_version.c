/*
 * secretsmanager_secret_version.c: aws_secretsmanager_secret_version — one
 * value of a Secrets Manager secret (id = "<secret ARN>|<version id>", as
 * Terraform composes it; import by that). A new value is a new version
 * (secret_string / secret_binary force a replacement); version_stages
 * change in place (UpdateSecretVersionStage). Delete takes the version's
 * stages off it, except AWSCURRENT (a secret always has a current value;
 * AWS drops versions without stages itself), as Terraform does.
 *
 * Recovery key: the idempotency token. The intent UUID goes as
 * PutSecretValue's ClientRequestToken, which becomes the version id, so an
 * interrupted create is found with GetSecretValue(VersionId = UUID), and a
 * resent call makes no second version.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SM(op) "secretsmanager." op

static const cp_schema_attr attrs[] = {
    { .name = "secret_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "ARN or name of the secret." },
    { .name = "secret_string",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW | CP_SENSITIVE,
      .description = "The value as text (sensitive), e.g. jsonencode({password = …})." },
    { .name = "secret_binary",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW | CP_SENSITIVE,
      .description = "The value as base64-encoded bytes (sensitive)." },
    { .name = "version_stages",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .description = "Staging labels of the version. Default: [\"AWSCURRENT\"]." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "<secret ARN>|<version id>." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the secret." },
    { .name = "version_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the version." },
    { NULL },
};

static const char *const gone[] = { "ResourceNotFoundException", NULL };

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static char *version_validate_config(const cp_value *config)
{
    return cp_prov_exactly_one(config,
                               (const char *const[]){ "secret_string", "secret_binary", NULL });
}

/* Splits "<arn>|<version>" into malloc'd parts; -1 when it is not that. */
static int split_id(const char *id, char **arn, char **version)
{
    const char *bar = id ? strrchr(id, '|') : NULL;
    if (!bar || bar == id || !bar[1]) return -1;
    *arn = cp_xstrndup(id, (size_t)(bar - id));
    *version = cp_xstrdup(bar + 1);
    return 0;
}

/* The state from res, a GetSecretValue answer or a BatchGetSecretValue item. */
static cp_value *version_state(const json_t *res, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    char *id = cp_xasprintf("%s|%s", jstr(res, "ARN"), jstr(res, "VersionId"));
    cp_set_str(s, "id", id);
    free(id);
    cp_set_str(s, "arn", jstr(res, "ARN"));
    cp_set_str(s, "version_id", jstr(res, "VersionId"));
    if (!cp_prov_is_set(s, "secret_id")) cp_set_str(s, "secret_id", jstr(res, "ARN"));
    if (jstr(res, "SecretString"))
        cp_prov_set_marked_take(s, "secret_string", cp_string(jstr(res, "SecretString")), true);
    if (jstr(res, "SecretBinary"))
        cp_prov_set_marked_take(s, "secret_binary", cp_string(jstr(res, "SecretBinary")), true);
    cp_value *stages = cp_list_new();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(res, "VersionStages"), i, v)
        cp_list_push_take(stages, cp_string(json_string_value(v)));
    cp_set_take(s, "version_stages", stages);
    return s;
}

/* The version's state from GetSecretValue (0, *out NULL when gone). */
static int read_version(cp_provider_call *c, const cp_value *state, const char *secret,
                        const char *version, cp_value **out)
{
    *out = NULL;
    json_t *in = json_pack("{s:s, s:s}", "SecretId", secret, "VersionId", version), *res = NULL;
    int rc = cp_aws_json(c, "secretsmanager", SM("GetSecretValue"), in, gone, &res);
    json_decref(in);
    if (rc != 0) return rc < 0 ? -1 : 0;
    *out = version_state(res, state);
    json_decref(res);
    return 0;
}

static int version_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    char *arn, *version;
    *out = NULL;
    if (split_id(cp_get_str(state, "id"), &arn, &version) != 0)
        return cp_fail(c, "%s: the id is not <secret ARN>|<version id>", c->address);
    int rc = read_version(c, state, arn, version, out);
    free(arn);
    free(version);
    /* a version without stages is deprecated: AWS deletes it when it likes */
    if (rc == 0 && *out && cp_len(cp_map_get(*out, "version_stages")) == 0) {
        cp_release(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * BatchGetSecretValue takes up to 20 secrets a call but gives each one's AWSCURRENT
 * version only: a version in state that is that one (the usual case) is read from it, the
 * same fields GetSecretValue gives; any other (a version moved off AWSCURRENT, a secret
 * gone or in error) is read by read(). */
#define SECRETS_PER_BATCH 20

typedef struct values_page {
    const cp_value *const *states;
    size_t n;
    char **arns, **versions; /* of states[i] */
    cp_value **out;
} values_page;

/* One page of BatchGetSecretValue: each state whose version is the one answered. */
static int values_on_page(void *ud, const json_t *res)
{
    values_page *vp = ud;
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(res, "SecretValues"), k, v)
    {
        const char *arn = jstr(v, "ARN"), *vid = jstr(v, "VersionId");
        for (size_t i = 0; arn && vid && i < vp->n; i++)
            if (!vp->out[i] && vp->arns[i] && !strcmp(vp->arns[i], arn) &&
                !strcmp(vp->versions[i], vid))
                vp->out[i] = version_state(v, vp->states[i]);
    }
    return 0;
}

/* One BatchGetSecretValue conversation for the secrets of states[0..n) (n <= 20). */
static int batch_chunk(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out)
{
    char **arns = cp_xcalloc(n ? n : 1, sizeof *arns),
         **versions = cp_xcalloc(n ? n : 1, sizeof *versions);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        if (split_id(cp_get_str(states[i], "id"), &arns[i], &versions[i]) != 0) continue;
        bool dup = false;
        for (size_t k = 0; k < i; k++) dup = dup || (arns[k] && !strcmp(arns[k], arns[i]));
        if (!dup) json_array_append_new(list, json_string(arns[i]));
    }
    int rc = 0;
    if (json_array_size(list) > 0) {
        json_t *in = json_pack("{s:O}", "SecretIdList", list);
        values_page vp = { states, n, arns, versions, out };
        rc = cp_aws_json_pages(c, "secretsmanager", SM("BatchGetSecretValue"), in, NULL,
                               values_on_page, &vp);
        json_decref(in);
    }
    json_decref(list);
    for (size_t i = 0; i < n; i++) {
        free(arns[i]);
        free(versions[i]);
    }
    free(arns);
    free(versions);
    return rc == 0 ? 0 : -1;
}

static int version_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                              cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += SECRETS_PER_BATCH)
        if (batch_chunk(c, states + k, n - k < SECRETS_PER_BATCH ? n - k : SECRETS_PER_BATCH,
                        out + k) != 0) /* e.g. no secretsmanager:BatchGetSecretValue */
            return cp_aws_batch_fallback(c, version_read, states, n, out);
    bool *todo = cp_xcalloc(n ? n : 1, sizeof *todo);
    for (size_t i = 0; i < n; i++) todo[i] = !out[i];
    int rc = cp_aws_read_rest(c, version_read, states, todo, n, out);
    free(todo);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

static int version_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, version_validate_config, config) != 0) return -1;
    const char *secret = cp_get_str(config, "secret_id"), *token = cp_intent_uuid(config);
    json_t *in = json_pack("{s:s}", "SecretId", secret), *res = NULL;
    if (token) json_object_set_new(in, "ClientRequestToken", json_string(token));
    if (cp_get_str(config, "secret_string"))
        json_object_set_new(in, "SecretString", json_string(cp_get_str(config, "secret_string")));
    if (cp_get_str(config, "secret_binary"))
        json_object_set_new(in, "SecretBinary", json_string(cp_get_str(config, "secret_binary")));
    const cp_value *stages = cp_get_list(config, "version_stages");
    if (stages && cp_len(stages)) {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(stages); i++)
            json_array_append_new(a, json_string(cp_string_val(cp_list_get(stages, i))));
        json_object_set_new(in, "VersionStages", a);
    }
    int rc = cp_aws_json(c, "secretsmanager", SM("PutSecretValue"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    char *id = cp_xasprintf("%s|%s", jstr(res, "ARN") ? jstr(res, "ARN") : "",
                            jstr(res, "VersionId") ? jstr(res, "VersionId") : "");
    json_decref(res);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", id);
    free(id);
    return cp_aws_finish_take(c, 0, version_read, s, "the secret version", state);
}

/* Moves (add) or takes off (remove) one stage of the version. */
static int move_stage(cp_provider_call *c, const char *secret, const char *stage,
                      const char *version, bool add)
{
    json_t *in = json_pack("{s:s, s:s, s:s}", "SecretId", secret, "VersionStage", stage,
                           add ? "MoveToVersionId" : "RemoveFromVersionId", version);
    int rc = cp_aws_json(c, "secretsmanager", SM("UpdateSecretVersionStage"), in, NULL, NULL);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static bool has(const cp_value *list, const char *s)
{
    for (size_t i = 0; list && i < cp_len(list); i++)
        if (!strcmp(cp_string_val(cp_list_get(list, i)), s)) return true;
    return false;
}

static int version_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                          cp_value **state)
{
    const cp_value *was = cp_get_list(old, "version_stages"),
                   *want = cp_get_list(config, "version_stages");
    const char *arn = cp_get_str(old, "arn"), *version = cp_get_str(old, "version_id");
    int rc = 0;
    for (size_t i = 0; rc == 0 && want && i < cp_len(want); i++)
        if (!has(was, cp_string_val(cp_list_get(want, i))))
            rc = move_stage(c, arn, cp_string_val(cp_list_get(want, i)), version, true);
    for (size_t i = 0; rc == 0 && want && was && i < cp_len(was); i++)
        if (!has(want, cp_string_val(cp_list_get(was, i))))
            rc = move_stage(c, arn, cp_string_val(cp_list_get(was, i)), version, false);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(old, "id"));
    return cp_aws_finish_take(c, rc, version_read, s, "the secret version", state);
}

static int version_delete(cp_provider_call *c, const cp_value *state)
{
    const cp_value *stages = cp_get_list(state, "version_stages");
    for (size_t i = 0; stages && i < cp_len(stages); i++) {
        const char *stage = cp_string_val(cp_list_get(stages, i));
        if (strcmp(stage, "AWSCURRENT") != 0) {
            json_t *in =
                json_pack("{s:s, s:s, s:s}", "SecretId", cp_get_str(state, "arn"), "VersionStage",
                          stage, "RemoveFromVersionId", cp_get_str(state, "version_id"));
            int rc =
                cp_aws_json(c, "secretsmanager", SM("UpdateSecretVersionStage"), in, gone, NULL);
            json_decref(in);
            if (rc < 0) return -1;
        }
    }
    return 0;
}

static int version_import(cp_provider_call *c, const char *id, cp_value **state)
{
    if (!strchr(id, '|'))
        return cp_fail(c, "%s: import a secret version as <secret ARN>|<version id>, not \"%s\"",
                       c->address, id);
    return cp_aws_import_via_read(c, version_read, id, state);
}

/* An interrupted create is found by its token: the version whose id is the intent UUID. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    const char *token = cp_intent_uuid(intent), *secret = cp_get_str(intent, "secret_id");
    if (!token || !secret)
        return cp_fail(c, "%s: the interrupted create recorded no token or secret", c->address);
    int rc = read_version(c, intent, secret, token, state);
    if (rc == 0 && !*state) return 0;
    return rc;
}

const cp_resource_type cp_aws_secretsmanager_secret_version = {
    .name = "aws_secretsmanager_secret_version",
    .description = "One value of a Secrets Manager secret (import by <secret ARN>|<version id>).",
    .attrs = attrs,
    .create = version_create,
    .read = version_read,
    .update = version_update,
    .delete = version_delete,
    .import = version_import,
    .read_batch = version_read_batch,
    .validate_config = version_validate_config,
    .recovery = CP_RECOVER_TOKEN,
    .find = rec_find,
};
