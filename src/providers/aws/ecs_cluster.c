/*
 * ecs_cluster.c: aws_ecs_cluster — an ECS cluster (id = its ARN, as in
 * Terraform; import by name). Settings (containerInsights) and tags change
 * in place; the name forces a new cluster. A cluster whose services are
 * still draining refuses deletion for a moment: delete retries that.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/ecs_common.h"

#include <string.h>

static const char *validate_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    if (n < 1 || n > 255) return "cluster names are 1 to 255 letters, digits, '-' and '_'";
    for (const char *s = cp_string_val(v); *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", *s))
            return "cluster names are 1 to 255 letters, digits, '-' and '_'";
    return NULL;
}

static const char *validate_setting(const cp_value *v)
{
    return !strcmp(cp_string_val(v), "containerInsights")
               ? NULL
               : "the only cluster setting is \"containerInsights\"";
}

static const cp_schema_attr setting_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_setting,
      .description = "Name of the setting: `containerInsights`." },
    { .name = "value",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Value of the setting: enabled or disabled." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the cluster." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the cluster." },
    { .name = "setting",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .block = setting_attrs,
      .description = "Settings of the cluster (`containerInsights`)." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the cluster." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the cluster." },
    { NULL },
};

static const char *const cluster_gone[] = { "ClusterNotFoundException", NULL };

static cp_value *settings_read(const json_t *list)
{
    cp_value *l = cp_list_new();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        cp_value *m = cp_map_new();
        cp_set_str(m, "name", json_string_value(json_object_get(e, "name")));
        cp_set_str(m, "value", json_string_value(json_object_get(e, "value")));
        cp_list_push_take(l, m);
    }
    return l;
}

static json_t *settings_json(const cp_value *blocks)
{
    json_t *a = json_array();
    for (size_t i = 0; blocks && i < cp_len(blocks); i++) {
        const cp_value *b = cp_list_get(blocks, i);
        json_array_append_new(a, json_pack("{s:s, s:s}", "name", cp_get_str(b, "name"), "value",
                                           cp_get_str(b, "value")));
    }
    return a;
}

/* The state of cluster cl (a DescribeClusters item, tags and settings included). */
static cp_value *cluster_state(const json_t *cl, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    const char *arn = json_string_value(json_object_get(cl, "clusterArn"));
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_str(s, "name", json_string_value(json_object_get(cl, "clusterName")));
    /* an unset setting block stays unset: AWS's default is not a change */
    const cp_value *prev = cp_map_get(state, "setting");
    if (!prev || cp_len(prev))
        cp_set_take(s, "setting", settings_read(json_object_get(cl, "settings")));
    cp_set_take(s, "tags", ecs_tags_read(json_object_get(cl, "tags"), cp_map_get(state, "tags")));
    return s;
}

/* DescribeClusters of ids (a JSON array, consumed) matched into out[0..n) by ARN or name;
 * INACTIVE and unknown clusters stay NULL (gone). 0 / -1. */
static int describe_into(cp_provider_call *c, json_t *ids, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    json_t *in = json_pack("{s:o, s:[s,s]}", "clusters", ids, "include", "TAGS", "SETTINGS"), *res;
    int rc = ecs_call(c, "DescribeClusters", in, cluster_gone, &res);
    json_decref(in);
    if (rc != 0) return rc < 0 ? -1 : 0;
    size_t k;
    json_t *cl;
    json_array_foreach(json_object_get(res, "clusters"), k, cl)
    {
        const char *arn = json_string_value(json_object_get(cl, "clusterArn"));
        const char *name = json_string_value(json_object_get(cl, "clusterName"));
        const char *status = json_string_value(json_object_get(cl, "status"));
        if (!arn || !name || !status || !strcmp(status, "INACTIVE")) continue;
        for (size_t i = 0; i < n; i++) {
            const char *id = cp_get_str(states[i], "id");
            if (!out[i] && id && (!strcmp(id, arn) || !strcmp(ecs_short_name(id), name)))
                out[i] = cluster_state(cl, states[i]);
        }
    }
    json_decref(res);
    return 0;
}

static int cluster_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    return describe_into(c, json_pack("[s]", cp_get_str(state, "id")), &state, 1, out);
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeClusters names up to 100 clusters a call (tags and settings included); one it
 * does not know is listed under failures, so what it leaves out is gone, as for read(). */
#define CLUSTERS_PER_CALL 100

static int cluster_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                              cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += CLUSTERS_PER_CALL) {
        size_t m = n - k < CLUSTERS_PER_CALL ? n - k : CLUSTERS_PER_CALL;
        json_t *ids = json_array();
        for (size_t i = k; i < k + m; i++)
            if (cp_get_str(states[i], "id"))
                json_array_append_new(ids, json_string(cp_get_str(states[i], "id")));
        if (describe_into(c, ids, states + k, m, out + k) != 0) return cp_aws_batch_fail(out, n);
    }
    return 0;
}

static int cluster_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    json_t *in = json_pack("{s:s}", "clusterName", cp_get_str(config, "name")), *res;
    const cp_value *settings = cp_get_list(config, "setting");
    if (settings && cp_len(settings)) json_object_set_new(in, "settings", settings_json(settings));
    json_t *tags = ecs_tags_json(cp_get_map(config, "tags"));
    if (tags) json_object_set_new(in, "tags", tags);
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = ecs_call(c, "CreateCluster", in, NULL, &res);
    aws_set_no_resend(false);
    json_decref(in);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id",
               json_string_value(json_object_get(json_object_get(res, "cluster"), "clusterArn")));
    json_decref(res);
    return cp_aws_finish_take(c, 0, cluster_read, s, "the cluster", state);
}

static int cluster_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                          cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    int rc = 0;
    const cp_value *settings = cp_get_list(config, "setting");
    if (settings && cp_len(settings) && cp_changed(old, config, "setting")) {
        json_t *in = json_pack("{s:s, s:o}", "cluster", arn, "settings", settings_json(settings));
        rc = ecs_call(c, "UpdateCluster", in, NULL, NULL);
        json_decref(in);
    }
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = ecs_update_tags(c, arn, cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, cluster_read, attrs, config, arn, state);
}

static int delete_op(cp_provider_call *c, void *ud, aws_error *err)
{
    json_t *out = NULL;
    int rc = aws_json_call(cp_aws_client(c), "ecs", ECS_TARGET "DeleteCluster", ud, &out, err);
    json_decref(out);
    return rc;
}

static int cluster_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const busy[] = { "ClusterContainsServicesException",
                                        "ClusterContainsTasksException",
                                        "UpdateInProgressException", NULL };
    json_t *in = json_pack("{s:s}", "cluster", cp_get_str(state, "id"));
    aws_error err = { 0 };
    int rc = cp_aws_retry_codes(c, busy, 300, delete_op, in, &err);
    json_decref(in);
    if (rc == 0 || cp_aws_error_in(&err, cluster_gone)) {
        aws_error_clear(&err);
        return 0;
    }
    return cp_aws_fail(c, &err, "DeleteCluster");
}

static int cluster_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, cluster_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, cluster_read, intent, "name", state);
}

const cp_resource_type cp_aws_ecs_cluster = {
    .name = "aws_ecs_cluster",
    .description = "An ECS cluster (import by name or ARN).",
    .attrs = attrs,
    .create = cluster_create,
    .read = cluster_read,
    .read_batch = cluster_read_batch,
    .update = cluster_update,
    .delete = cluster_delete,
    .import = cluster_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
