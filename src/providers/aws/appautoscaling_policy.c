/*
 * appautoscaling_policy.c: aws_appautoscaling_policy — a target tracking
 * scaling policy on a scalable target (id = policy name; import by
 * "<service_namespace>/<resource_id>/<scalable_dimension>/<name>"), e.g.
 * keep an ECS service's average CPU at 70 %. PutScalingPolicy creates and
 * replaces the policy, so an update is the same call again. Step scaling
 * is not supported yet: policy_type is TargetTrackingScaling.
 *
 * Batch refresh: DescribeScalingPolicies names up to 50 policies of one
 * namespace a call (aas_read_batch; 10 a page, pages followed), matched back
 * by name, resource id and dimension (names are unique per target only).
 */
#include "providers/aws/appautoscaling_common.h"
#include "providers/aws/aws_types.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_type(const cp_value *v)
{
    return !strcmp(cp_string_val(v), "TargetTrackingScaling")
               ? NULL
               : "policy_type is \"TargetTrackingScaling\" (step scaling is not supported yet)";
}

static const char *validate_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    return n >= 1 && n <= 256 && !strchr(cp_string_val(v), '|')
               ? NULL
               : "policy names are 1 to 256 characters, without '|'";
}

static const cp_schema_attr metric_attrs[] = {
    { .name = "predefined_metric_type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Predefined metric to track, e.g. `ECSServiceAverageCPUUtilization`." },
    { .name = "resource_label",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Identifies the target group for `ALBRequestCountPerTarget`." },
    { NULL },
};

static const cp_schema_attr tt_attrs[] = {
    { .name = "target_value",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .description = "Value to keep the metric at." },
    { .name = "predefined_metric_specification",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED,
      .block = metric_attrs,
      .max_items = 1,
      .description = "The predefined metric tracked." },
    { .name = "scale_in_cooldown",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .description = "Seconds after a scale-in before the next one may start." },
    { .name = "scale_out_cooldown",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .description = "Seconds after a scale-out before the next one may start." },
    { .name = "disable_scale_in",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether the policy never removes capacity. Default false." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the policy." },
    { .name = "service_namespace",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = aas_validate_namespace,
      .description = "Service namespace of the scalable target, e.g. `ecs`." },
    { .name = "resource_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Resource id of the scalable target." },
    { .name = "scalable_dimension",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Scalable dimension of the target." },
    { .name = "policy_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"TargetTrackingScaling\"",
      .validate = validate_type,
      .description = "Type of the policy: `TargetTrackingScaling`." },
    { .name = "target_tracking_scaling_policy_configuration",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED,
      .block = tt_attrs,
      .max_items = 1,
      .description = "The metric to track and the value to keep it at." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the policy." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the policy." },
    { .name = "alarm_arns",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARNs of the CloudWatch alarms Auto Scaling made for the policy." },
    { NULL },
};

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* --- JSON ↔ blocks --------------------------------------------------------------------- */

static json_t *tt_json(const cp_value *tt)
{
    const cp_value *m = cp_get_block(tt, "predefined_metric_specification");
    json_t *spec =
        json_pack("{s:s}", "PredefinedMetricType", cp_get_str(m, "predefined_metric_type"));
    if (cp_get_str(m, "resource_label"))
        json_object_set_new(spec, "ResourceLabel", json_string(cp_get_str(m, "resource_label")));
    json_t *o = json_pack("{s:f, s:o, s:b}", "TargetValue", cp_get_num(tt, "target_value", 0),
                          "PredefinedMetricSpecification", spec, "DisableScaleIn",
                          cp_get_bool(tt, "disable_scale_in", false));
    const char *cool[][2] = { { "scale_in_cooldown", "ScaleInCooldown" },
                              { "scale_out_cooldown", "ScaleOutCooldown" } };
    for (size_t i = 0; i < 2; i++)
        if (cp_get_num(tt, cool[i][0], -1) >= 0)
            json_object_set_new(o, cool[i][1],
                                json_integer((json_int_t)cp_get_num(tt, cool[i][0], 0)));
    return o;
}

static void set_num_or_null(cp_value *m, const char *key, json_t *n)
{
    if (json_is_number(n))
        cp_set_num(m, key, json_number_value(n));
    else
        cp_set_take(m, key, cp_null());
}

static cp_value *tt_block(const json_t *o)
{
    json_t *spec = json_object_get(o, "PredefinedMetricSpecification");
    cp_value *m = cp_map_new(), *sm = cp_map_new(), *sl = cp_list_new(), *l = cp_list_new();
    cp_set_str(sm, "predefined_metric_type", jstr(spec, "PredefinedMetricType"));
    cp_set_str(sm, "resource_label", jstr(spec, "ResourceLabel"));
    cp_list_push_take(sl, sm);
    set_num_or_null(m, "target_value", json_object_get(o, "TargetValue"));
    cp_set_take(m, "predefined_metric_specification", sl);
    set_num_or_null(m, "scale_in_cooldown", json_object_get(o, "ScaleInCooldown"));
    set_num_or_null(m, "scale_out_cooldown", json_object_get(o, "ScaleOutCooldown"));
    cp_set_bool(m, "disable_scale_in", json_is_true(json_object_get(o, "DisableScaleIn")));
    cp_list_push_take(l, m);
    return l;
}

static cp_value *alarm_arns(const json_t *alarms)
{
    cp_value *l = cp_list_new();
    size_t i;
    json_t *a;
    json_array_foreach(alarms, i, a)
        cp_list_push_take(l, cp_string(jstr(a, "AlarmARN") ? jstr(a, "AlarmARN") : ""));
    return l;
}

/* --- read -------------------------------------------------------------------------------- */

typedef struct policy_key {
    const char *ns, *resource, *dimension, *name;
} policy_key;

/* The state of policy p (read() and the batch both build it here). */
static cp_value *policy_state(const json_t *p, const cp_value *prev)
{
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_str(s, "id", jstr(p, "PolicyName"));
    cp_set_str(s, "name", jstr(p, "PolicyName"));
    cp_set_str(s, "service_namespace", jstr(p, "ServiceNamespace"));
    cp_set_str(s, "resource_id", jstr(p, "ResourceId"));
    cp_set_str(s, "scalable_dimension", jstr(p, "ScalableDimension"));
    cp_set_str(s, "policy_type", jstr(p, "PolicyType"));
    cp_set_str(s, "arn", jstr(p, "PolicyARN"));
    cp_set_take(s, "alarm_arns", alarm_arns(json_object_get(p, "Alarms")));
    json_t *tt = json_object_get(p, "TargetTrackingScalingPolicyConfiguration");
    cp_set_take(s, "target_tracking_scaling_policy_configuration",
                tt ? tt_block(tt) : cp_list_new());
    return s;
}

static int describe(cp_provider_call *c, const policy_key *k, const cp_value *prev, cp_value **out)
{
    json_t *in = json_pack("{s:s, s:[s], s:s, s:s}", "ServiceNamespace", k->ns, "PolicyNames",
                           k->name, "ResourceId", k->resource, "ScalableDimension", k->dimension),
           *r = NULL;
    int rc = cp_aws_json(c, AAS_SERVICE, AAS("DescribeScalingPolicies"), in, NULL, &r);
    json_decref(in);
    if (rc != 0) return -1;
    json_t *p = json_array_get(json_object_get(r, "ScalingPolicies"), 0);
    if (p) *out = policy_state(p, prev);
    json_decref(r);
    return 0;
}

static int policy_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id");
    if (cp_get_str(state, "service_namespace")) {
        policy_key k = { cp_get_str(state, "service_namespace"), cp_get_str(state, "resource_id"),
                         cp_get_str(state, "scalable_dimension"), id };
        return describe(c, &k, state, out);
    }
    const char *slash =
        id ? strrchr(id, '/') : NULL; /* import: "<ns>/<resource>/<dimension>/<name>" */
    char *head = slash ? cp_xstrndup(id, (size_t)(slash - id)) : NULL, *n = NULL, *r = NULL,
         *d = NULL;
    int rc;
    if (!head || aas_split_id(head, &n, &r, &d) != 0) {
        rc = cp_fail(
            c,
            "%s: import id \"%s\" is not <service_namespace>/<resource_id>/<scalable_dimension>/<name>",
            c->address, id ? id : "");
    } else {
        policy_key k = { n, r, d, slash + 1 };
        rc = describe(c, &k, state, out);
    }
    free(head);
    free(n);
    free(r);
    free(d);
    return rc;
}

static const char *policy_name(const cp_value *state) { return cp_get_str(state, "id"); }

static bool policy_match(const json_t *p, const cp_value *state)
{
    const char *want[][2] = { { "PolicyName", "id" },
                              { "ResourceId", "resource_id" },
                              { "ScalableDimension", "scalable_dimension" } };
    for (size_t i = 0; i < 3; i++) {
        const char *got = jstr(p, want[i][0]), *have = cp_get_str(state, want[i][1]);
        if (!got || !have || strcmp(got, have) != 0) return false;
    }
    return true;
}

static int policy_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                             cp_value **out)
{
    static const aas_batch b = { AAS("DescribeScalingPolicies"),
                                 "PolicyNames",
                                 "ScalingPolicies",
                                 policy_name,
                                 policy_match,
                                 policy_state };
    return aas_read_batch(c, &b, policy_read, states, n, out);
}

/* --- put (create and update), delete -------------------------------------------------- */

static int policy_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *type = cp_get_str(config, "policy_type");
    json_t *in =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "PolicyName", cp_get_str(config, "name"),
                  "ServiceNamespace", cp_get_str(config, "service_namespace"), "ResourceId",
                  cp_get_str(config, "resource_id"), "ScalableDimension",
                  cp_get_str(config, "scalable_dimension"), "PolicyType",
                  type ? type : "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration",
                  tt_json(cp_get_block(config, "target_tracking_scaling_policy_configuration")));
    int rc = cp_aws_json(c, AAS_SERVICE, AAS("PutScalingPolicy"), in, NULL, NULL);
    json_decref(in);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "name"));
    return cp_aws_finish_take(c, 0, policy_read, s, "the scaling policy", state);
}

static int policy_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    (void)old;
    return policy_put(c, config, state);
}

static int policy_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "PolicyName", cp_get_str(state, "id"),
                           "ServiceNamespace", cp_get_str(state, "service_namespace"), "ResourceId",
                           cp_get_str(state, "resource_id"), "ScalableDimension",
                           cp_get_str(state, "scalable_dimension"));
    int rc = cp_aws_json(c, AAS_SERVICE, AAS("DeleteScalingPolicy"), in, aas_gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int policy_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, policy_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, policy_read, intent, "name", state);
}

const cp_resource_type cp_aws_appautoscaling_policy = {
    .name = "aws_appautoscaling_policy",
    .description =
        "A target tracking scaling policy of Application Auto Scaling "
        "(import by `<service_namespace>/<resource_id>/<scalable_dimension>/<name>`)."
        " Deliberate differences from the Terraform AWS provider: only target tracking is "
        "supported, so policy_type defaults to TargetTrackingScaling (Terraform: StepScaling, "
        "which a Terraform config for target tracking always overrides) and "
        "target_tracking_scaling_policy_configuration is required.",
    .attrs = attrs,
    .create = policy_put,
    .read = policy_read,
    .read_batch = policy_read_batch,
    .update = policy_update,
    .delete = policy_delete,
    .import = policy_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
