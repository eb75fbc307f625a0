/*
 * appautoscaling_target.c: aws_appautoscaling_target — a scalable target of
 * Application Auto Scaling, e.g. an ECS service's desired count (id =
 * resource id, as Terraform's; import by
 * "<service_namespace>/<resource_id>/<scalable_dimension>"). Min and max
 * capacity change in place: RegisterScalableTarget again.
 *
 * Batch refresh: DescribeScalableTargets names up to 50 resource ids of one
 * namespace a call (aas_read_batch), matched back by resource id and dimension.
 * Targets carry no tags here, so no further calls.
 */
#include "providers/aws/appautoscaling_common.h"
#include "providers/aws/aws_types.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_capacity(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 0 && n == (long)n ? NULL : "capacities are whole numbers, 0 or more";
}

static const cp_schema_attr attrs[] = {
    { .name = "service_namespace",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = aas_validate_namespace,
      .description = "Service namespace of the target, e.g. `ecs`." },
    { .name = "resource_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Resource id of the target, e.g. `service/<cluster>/<service>`." },
    { .name = "scalable_dimension",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Scalable dimension of the target, e.g. `ecs:service:DesiredCount`." },
    { .name = "min_capacity",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = validate_capacity,
      .description = "Lowest capacity scaling may set." },
    { .name = "max_capacity",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = validate_capacity,
      .description = "Highest capacity scaling may set." },
    { .name = "role_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "ARN of the role Auto Scaling uses. Default: its service-linked role." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Resource id of the target." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the scalable target." },
    { NULL },
};

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The state of target t (read() and the batch both build it here). */
static cp_value *target_state(const json_t *t, const cp_value *prev)
{
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_str(s, "id", jstr(t, "ResourceId"));
    cp_set_str(s, "service_namespace", jstr(t, "ServiceNamespace"));
    cp_set_str(s, "resource_id", jstr(t, "ResourceId"));
    cp_set_str(s, "scalable_dimension", jstr(t, "ScalableDimension"));
    cp_set_num(s, "min_capacity", json_number_value(json_object_get(t, "MinCapacity")));
    cp_set_num(s, "max_capacity", json_number_value(json_object_get(t, "MaxCapacity")));
    cp_set_str(s, "role_arn", jstr(t, "RoleARN"));
    cp_set_str(s, "arn", jstr(t, "ScalableTargetARN"));
    return s;
}

static int describe(cp_provider_call *c, const char *ns, const char *res, const char *dim,
                    const cp_value *prev, cp_value **out)
{
    json_t *in = json_pack("{s:s, s:[s], s:s}", "ServiceNamespace", ns, "ResourceIds", res,
                           "ScalableDimension", dim),
           *r = NULL;
    int rc = cp_aws_json(c, AAS_SERVICE, AAS("DescribeScalableTargets"), in, NULL, &r);
    json_decref(in);
    if (rc != 0) return -1;
    json_t *t = json_array_get(json_object_get(r, "ScalableTargets"), 0);
    if (t) *out = target_state(t, prev);
    json_decref(r);
    return 0;
}

static int target_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *ns = cp_get_str(state, "service_namespace");
    if (ns)
        return describe(c, ns, cp_get_str(state, "id"), cp_get_str(state, "scalable_dimension"),
                        state, out);
    char *n, *r, *d; /* import id */
    if (aas_split_id(cp_get_str(state, "id"), &n, &r, &d) != 0)
        return cp_fail(
            c, "%s: import id \"%s\" is not <service_namespace>/<resource_id>/<scalable_dimension>",
            c->address, cp_get_str(state, "id") ? cp_get_str(state, "id") : "");
    int rc = describe(c, n, r, d, state, out);
    free(n);
    free(r);
    free(d);
    return rc;
}

static const char *target_name(const cp_value *state) { return cp_get_str(state, "id"); }

static bool target_match(const json_t *t, const cp_value *state)
{
    const char *res = jstr(t, "ResourceId"), *dim = jstr(t, "ScalableDimension");
    return res && dim && cp_get_str(state, "scalable_dimension") &&
           !strcmp(res, cp_get_str(state, "id")) &&
           !strcmp(dim, cp_get_str(state, "scalable_dimension"));
}

static int target_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                             cp_value **out)
{
    static const aas_batch b = { AAS("DescribeScalableTargets"),
                                 "ResourceIds",
                                 "ScalableTargets",
                                 target_name,
                                 target_match,
                                 target_state };
    return aas_read_batch(c, &b, target_read, states, n, out);
}

static int register_target(cp_provider_call *c, const cp_value *config)
{
    json_t *in = json_pack("{s:s, s:s, s:s, s:I, s:I}", "ServiceNamespace",
                           cp_get_str(config, "service_namespace"), "ResourceId",
                           cp_get_str(config, "resource_id"), "ScalableDimension",
                           cp_get_str(config, "scalable_dimension"), "MinCapacity",
                           (json_int_t)cp_get_num(config, "min_capacity", 0), "MaxCapacity",
                           (json_int_t)cp_get_num(config, "max_capacity", 0));
    if (cp_get_str(config, "role_arn"))
        json_object_set_new(in, "RoleARN", json_string(cp_get_str(config, "role_arn")));
    int rc = cp_aws_json(c, AAS_SERVICE, AAS("RegisterScalableTarget"), in, NULL, NULL);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static int target_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (register_target(c, config) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "resource_id"));
    return cp_aws_finish_take(c, 0, target_read, s, "the scalable target", state);
}

static int target_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    (void)old;
    return target_put(c, config, state);
}

static int target_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *in = json_pack(
        "{s:s, s:s, s:s}", "ServiceNamespace", cp_get_str(state, "service_namespace"), "ResourceId",
        cp_get_str(state, "id"), "ScalableDimension", cp_get_str(state, "scalable_dimension"));
    int rc = cp_aws_json(c, AAS_SERVICE, AAS("DeregisterScalableTarget"), in, aas_gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int target_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, target_read, id, state);
}

/* An interrupted create is found by its resource_id, read as its id (a put: the same call twice is
 * one object). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, target_read, intent, "resource_id", state);
}

const cp_resource_type cp_aws_appautoscaling_target = {
    .name = "aws_appautoscaling_target",
    .description = "An Application Auto Scaling target, e.g. an ECS service's desired count "
                   "(import by `<service_namespace>/<resource_id>/<scalable_dimension>`).",
    .attrs = attrs,
    .create = target_put,
    .read = target_read,
    .read_batch = target_read_batch,
    .update = target_update,
    .delete = target_delete,
    .import = target_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
