/*
 * logs_log_group.c: aws_cloudwatch_log_group — a CloudWatch Logs group (id
 * = name), e.g. for ECS container logs. Retention changes in place
 * (PutRetentionPolicy; 0 = never expire, DeleteRetentionPolicy); tags
 * through TagResource / UntagResource on the group's ARN. The ARN kept in
 * state is the group's, without the ":*" Logs appends for its streams.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define LOGS(op) "Logs_20140328." op

static const int retention_days[] = { 0,    1,    3,    5,    7,    14,   30,  60,
                                      90,   120,  150,  180,  365,  400,  545, 731,
                                      1096, 1827, 2192, 2557, 2922, 3288, 3653 };

static const char *validate_retention(const cp_value *v)
{
    double n = cp_number_val(v);
    for (size_t i = 0; i < sizeof retention_days / sizeof *retention_days; i++)
        if (n == retention_days[i]) return NULL;
    return "retention_in_days is 0 (never expire) or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, "
           "400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
}

static const char *validate_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    const char *s = cp_string_val(v);
    if (n < 1 || n > 512 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/#") != n)
        return "log group names are 1 to 512 letters, digits and . _ - / #";
    return NULL;
}

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_name,
      .description =
          "Name of the log group, e.g. `/ecs/web`. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "retention_in_days",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "0",
      .validate = validate_retention,
      .description = "Days to keep events (0: never expire)." },
    { .name = "kms_key_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "ARN of a KMS key encrypting the logs." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the log group." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the log group." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the log group." },
    { NULL },
};

static const char *const gone[] = { "ResourceNotFoundException", NULL };

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The group named name from DescribeLogGroups (a new reference), NULL when
 * absent; -1 on error. */
static int find_group(cp_provider_call *c, const char *name, json_t **group)
{
    *group = NULL;
    if (!name || !*name) return cp_fail(c, "%s: no log group name to look up", c->address);
    json_t *in = json_pack("{s:s}", "logGroupNamePrefix", name), *res = NULL;
    *group = NULL;
    int rc = cp_aws_json(c, "logs", LOGS("DescribeLogGroups"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(res, "logGroups"), i,
                       g) if (jstr(g, "logGroupName") &&
                              !strcmp(jstr(g, "logGroupName"), name)) *group = json_incref(g);
    json_decref(res);
    return 0;
}

static cp_value *read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    json_t *in = json_pack("{s:s}", "resourceArn", arn), *res = NULL;
    int rc = cp_aws_json(c, "logs", LOGS("ListTagsForResource"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return NULL;
    cp_value *m = cp_map_new();
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(res, "tags"), k, v)
        cp_set_str(m, k, json_string_value(v) ? json_string_value(v) : "");
    json_decref(res);
    return cp_tags_keep_take(m, cp_map_get(prev, "tags"));
}

/* The state of group g (a DescribeLogGroups item), tags not yet read. */
static cp_value *group_state(const json_t *g, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    const char *arn = jstr(g, "arn");
    size_t n = arn ? strlen(arn) : 0;
    cp_set_take(s, "arn",
                n > 2 && !strcmp(arn + n - 2, ":*") ? cp_string_n(arn, n - 2)
                : arn                               ? cp_string(arn)
                                                    : cp_null());
    cp_set_str(s, "name", jstr(g, "logGroupName"));
    cp_set_str(s, "id", jstr(g, "logGroupName"));
    cp_set_num(s, "retention_in_days",
               (double)json_integer_value(json_object_get(g, "retentionInDays")));
    cp_set_str(s, "kms_key_id", jstr(g, "kmsKeyId"));
    return s;
}

static int group_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    json_t *g;
    *out = NULL;
    if (find_group(c, cp_get_str(state, "id"), &g) != 0) return -1;
    if (!g) return 0;
    cp_value *s = group_state(g, state);
    json_decref(g);
    cp_value *tags = cp_get_str(s, "arn") ? read_tags(c, cp_get_str(s, "arn"), state) : cp_null();
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeLogGroups with the names' longest common prefix (pages of 50 followed), matched
 * back by name; tags from one Tagging API call, ListTagsForResource only where it
 * disagrees with the state (batch.h). A group not listed is confirmed gone by read(). */
static char *common_prefix(const cp_value *const *states, size_t n)
{
    const char *first = NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = cp_get_str(states[i], "id");
        if (!id) continue;
        if (!first) {
            first = id;
            len = strlen(id);
        }
        size_t k = 0;
        while (k < len && id[k] == first[k]) k++;
        len = k;
    }
    return first && len ? cp_xstrndup(first, len) : NULL;
}

/* Every group whose name starts with prefix (NULL: all), name -> item, in *groups. */
static int describe_all(cp_provider_call *c, const char *prefix, json_t **groups)
{
    *groups = json_object();
    char *token = NULL;
    do {
        json_t *in = json_pack("{s:i}", "limit", 50), *res = NULL;
        if (prefix) json_object_set_new(in, "logGroupNamePrefix", json_string(prefix));
        if (token) json_object_set_new(in, "nextToken", json_string(token));
        free(token);
        token = NULL;
        int rc = cp_aws_json(c, "logs", LOGS("DescribeLogGroups"), in, NULL, &res);
        json_decref(in);
        if (rc != 0) return -1;
        size_t i;
        json_t *g;
        json_array_foreach(json_object_get(res, "logGroups"), i, g) if (jstr(g, "logGroupName"))
            json_object_set(*groups, jstr(g, "logGroupName"), g);
        if (jstr(res, "nextToken")) token = cp_xstrdup(jstr(res, "nextToken"));
        json_decref(res);
    } while (token);
    return 0;
}

static int group_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                            cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    char *prefix = common_prefix(states, n);
    json_t *groups;
    int rc = describe_all(c, prefix, &groups);
    free(prefix);
    if (rc != 0) {
        json_decref(groups);
        return cp_aws_batch_fallback(c, group_read, states, n, out);
    }
    const char **arns = cp_xcalloc(n, sizeof *arns);
    cp_value **tags = cp_xcalloc(n, sizeof *tags);
    for (size_t i = 0; i < n; i++) {
        const char *id = cp_get_str(states[i], "id");
        json_t *g = id ? json_object_get(groups, id) : NULL;
        if (!g) continue;
        out[i] = group_state(g, states[i]);
        arns[i] = cp_get_str(out[i], "arn");
    }
    cp_aws_tags_many(c, arns, n, tags);
    bool *todo = cp_xcalloc(n, sizeof *todo);
    for (size_t i = 0; i < n; i++) {
        cp_value *keep;
        if (out[i] && cp_aws_tags_agree(tags[i], cp_map_get(states[i], "tags"), &keep)) {
            cp_set_take(out[i], "tags", keep);
        } else if (out[i] && arns[i]) {
            keep = read_tags(c, arns[i], states[i]);
            if (!keep)
                rc = -1;
            else
                cp_set_take(out[i], "tags", keep);
        } else if (out[i]) {
            cp_set_take(out[i], "tags", cp_null());
        } else {
            todo[i] = true;
        }
        cp_release(tags[i]);
    }
    free(tags);
    free(arns);
    json_decref(groups);
    if (rc == 0) rc = cp_aws_read_rest(c, group_read, states, todo, n, out);
    free(todo);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

static int set_retention(cp_provider_call *c, const char *name, double days)
{
    json_t *in = days > 0 ? json_pack("{s:s, s:I}", "logGroupName", name, "retentionInDays",
                                      (json_int_t)days)
                          : json_pack("{s:s}", "logGroupName", name);
    int rc = cp_aws_json(c, "logs",
                         days > 0 ? LOGS("PutRetentionPolicy") : LOGS("DeleteRetentionPolicy"), in,
                         NULL, NULL);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static int refreshed(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "name"));
    return cp_aws_finish_take(c, 0, group_read, s, "the log group", state);
}

static int group_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "name");
    json_t *in = json_pack("{s:s}", "logGroupName", name);
    if (cp_get_str(config, "kms_key_id"))
        json_object_set_new(in, "kmsKeyId", json_string(cp_get_str(config, "kms_key_id")));
    const cp_value *tags = cp_get_map(config, "tags");
    if (tags && cp_len(tags))
        json_object_set_new(in, "tags", cp_aws_tags_to_json(tags, NULL, NULL));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_json(c, "logs", LOGS("CreateLogGroup"), in, NULL, NULL);
    aws_set_no_resend(false);
    json_decref(in);
    if (rc != 0) return -1;
    double days = cp_get_num(config, "retention_in_days", 0);
    if (days > 0 && set_retention(c, name, days) != 0) {
        cp_value *s = cp_state_start(attrs, config); /* it exists: keep it in state */
        cp_set_str(s, "id", name);
        *state = s;
        return -1;
    }
    return refreshed(c, config, state);
}

static const cp_aws_json_tagging tagging = { "logs", LOGS("UntagResource"), LOGS("TagResource"),
                                             NULL, NULL };

static int group_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                        cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    if (cp_changed(old, config, "retention_in_days") &&
        set_retention(c, name, cp_get_num(config, "retention_in_days", 0)) != 0)
        return -1;
    if (cp_changed(old, config, "tags") &&
        cp_aws_json_tags_update(c, &tagging, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                                cp_get_map(config, "tags")) != 0)
        return -1;
    return refreshed(c, config, state);
}

static int group_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *in = json_pack("{s:s}", "logGroupName", cp_get_str(state, "id"));
    int rc = cp_aws_json(c, "logs", LOGS("DeleteLogGroup"), in, gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int group_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, group_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, group_read, intent, "name", state);
}

const cp_resource_type cp_aws_cloudwatch_log_group = {
    .name = "aws_cloudwatch_log_group",
    .description =
        "A CloudWatch Logs log group with its retention (import by name)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-); a new kms_key_id replaces "
        "the log group (Terraform associates the key in place).",
    .attrs = attrs,
    .create = group_create,
    .read = group_read,
    .update = group_update,
    .delete = group_delete,
    .import = group_import,
    .read_batch = group_read_batch,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
