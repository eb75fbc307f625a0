/*
 * test_appautoscaling.c: aws_appautoscaling_target and
 * aws_appautoscaling_policy (src/providers/aws/appautoscaling_*.c) against
 * the emulator: register, change capacities, a target tracking policy
 * created and changed, deletion behind cpstack's back, import by the
 * composite ids, and validation. A DynamoDB table stands for the scaled
 * resource (the emulator checks ECS targets against real ECS services).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "providers/attrs.h"

#define TARGET(min, max)                                                                           \
    "{\"service_namespace\": \"dynamodb\", \"resource_id\": \"table/jobs\", "                      \
    "\"scalable_dimension\": \"dynamodb:table:ReadCapacityUnits\", \"min_capacity\": " #min        \
    ", \"max_capacity\": " #max "}"
#define POLICY(target, cool)                                                                                     \
    "{\"name\": \"read-70\", \"service_namespace\": \"dynamodb\", \"resource_id\": \"table/jobs\", "             \
    "\"scalable_dimension\": \"dynamodb:table:ReadCapacityUnits\", \"policy_type\": \"TargetTrackingScaling\", " \
    "\"target_tracking_scaling_policy_configuration\": [{\"target_value\": " #target                             \
    ", \"scale_in_cooldown\": " #cool ", "                                                                       \
    "\"predefined_metric_specification\": [{\"predefined_metric_type\": \"DynamoDBReadCapacityUtilization\"}]}]}"

/* The table/jobs read-capacity target ("targets") or its policy read-70
 * ("policies") as DescribeScalableTargets / DescribeScalingPolicies show
 * it; NULL when there is none. */
static json_t *aas_dump(cpt_env *e, const char *table)
{
    bool targets = strcmp(table, "targets") == 0;
    json_t *r = cpt_aws(e, "application-autoscaling",
                        "%s(ServiceNamespace='dynamodb', %s, "
                        "ScalableDimension='dynamodb:table:ReadCapacityUnits')",
                        targets ? "describe_scalable_targets" : "describe_scaling_policies",
                        targets ? "ResourceIds=['table/jobs']"
                                : "ResourceId='table/jobs', PolicyNames=['read-70']");
    json_t *j = json_incref(
        json_array_get(json_object_get(r, targets ? "ScalableTargets" : "ScalingPolicies"), 0));
    json_decref(r);
    return j;
}

static void test_target(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_appautoscaling_target", TARGET(1, 4));
    assert_string_equal(cpt_str(s, "id"), "table/jobs");
    /* arn: null here — the emulator's botocore 1.29 model has no ScalableTargetARN */
    assert_true(cp_is_null(cp_map_get(s, "arn")) || strncmp(cpt_str(s, "arn"), "arn:", 4) == 0);
    if (cpt_emulator_only(e, "the service-linked role ARN AWS fills in (moto leaves RoleARN out)"))
        assert_true(strlen(cpt_str(s, "role_arn")) > 0);
    json_t *t = aas_dump(e, "targets");
    assert_int_equal(json_integer_value(json_object_get(t, "MaxCapacity")), 4);
    json_decref(t);
    cp_value *r = cpt_read_ok(e, "aws_appautoscaling_target", s);
    assert_true(cp_equal(r, s));
    cp_value *s2 = cpt_update_ok(e, "aws_appautoscaling_target", s, TARGET(2, 8));
    t = aas_dump(e, "targets");
    assert_int_equal(json_integer_value(json_object_get(t, "MinCapacity")), 2);
    assert_int_equal(json_integer_value(json_object_get(t, "MaxCapacity")), 8);
    json_decref(t);
    cp_value *imp = cpt_import_ok(e, "aws_appautoscaling_target",
                                  "dynamodb/table/jobs/dynamodb:table:ReadCapacityUnits");
    assert_true(cp_equal(imp, s2));
    cpt_delete_ok(e, "aws_appautoscaling_target", s2);
    assert_null(aas_dump(e, "targets"));
    assert_null(cpt_read_ok(e, "aws_appautoscaling_target", s2));
    /* gone already: fine (AWS: ObjectNotFoundException) */
    if (cpt_emulator_only(e, "deregistering a target twice: moto answers ValidationException, "
                             "AWS ObjectNotFoundException"))
        cpt_delete_ok(e, "aws_appautoscaling_target", s2);

    cp_value *none = NULL;
    char *err = NULL;
    assert_int_equal(cpt_import(e, "aws_appautoscaling_target", "table-jobs", &none, &err), -1);
    assert_non_null(strstr(err, "<service_namespace>/<resource_id>/<scalable_dimension>"));
    free(err);
    err = NULL;
    cp_value *ecs = cpt_val(
        "{\"service_namespace\": \"ecs\", \"resource_id\": \"service/c/missing\", "
        "\"scalable_dimension\": \"ecs:service:DesiredCount\", \"min_capacity\": 1, \"max_capacity\": 2}");
    assert_int_equal(cpt_create(e, "aws_appautoscaling_target", ecs, &none, &err), -1);
    assert_non_null(strstr(err, "RegisterScalableTarget"));
    assert_null(strchr(err, '\n'));
    free(err);
    assert_non_null(
        strstr(cpt_validate("aws_appautoscaling_target", "service_namespace", "\"ECS\""), "ecs"));
    assert_non_null(
        strstr(cpt_validate("aws_appautoscaling_target", "min_capacity", "-1"), "0 or more"));
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(ecs);
    cp_release(none);
}

static void test_policy(void **st)
{
    cpt_env *e = *st;
    cp_value *t = cpt_create_ok(e, "aws_appautoscaling_target", TARGET(1, 4));
    cp_value *s = cpt_create_ok(e, "aws_appautoscaling_policy", POLICY(70, 300));
    assert_string_equal(cpt_str(s, "id"), "read-70");
    assert_non_null(strstr(cpt_str(s, "arn"), "policyName/read-70"));
    json_t *p = aas_dump(e, "policies");
    assert_non_null(p);
    /* the alarms the endpoint made (AWS: 4 for a DynamoDB table, 2 elsewhere) */
    assert_true(cp_len(cp_map_get(s, "alarm_arns")) >= 2);
    assert_int_equal(cp_len(cp_map_get(s, "alarm_arns")),
                     json_array_size(json_object_get(p, "Alarms")));
    assert_int_equal(
        (int)json_number_value(cpt_path(p, "TargetTrackingScalingPolicyConfiguration/TargetValue")),
        70);
    json_decref(p);
    cp_value *r = cpt_read_ok(e, "aws_appautoscaling_policy", s);
    assert_true(cp_equal(r, s));
    cp_value *s2 = cpt_update_ok(e, "aws_appautoscaling_policy", s, POLICY(50, 60));
    p = aas_dump(e, "policies");
    assert_int_equal(
        (int)json_number_value(cpt_path(p, "TargetTrackingScalingPolicyConfiguration/TargetValue")),
        50);
    assert_int_equal(
        json_integer_value(cpt_path(p, "TargetTrackingScalingPolicyConfiguration/ScaleInCooldown")),
        60);
    json_decref(p);
    if (cpt_emulator_only(e, "the policy ARN kept by PutScalingPolicy on update (moto makes a "
                             "new one)"))
        assert_string_equal(cpt_str(s2, "arn"), cpt_str(s, "arn"));
    cp_value *imp = cpt_import_ok(e, "aws_appautoscaling_policy",
                                  "dynamodb/table/jobs/dynamodb:table:ReadCapacityUnits/read-70");
    assert_true(cp_equal(imp, s2));
    cpt_delete_ok(e, "aws_appautoscaling_policy", s2);
    assert_null(aas_dump(e, "policies"));
    assert_null(cpt_read_ok(e, "aws_appautoscaling_policy", s2));

    cp_value *s3 = cpt_create_ok(e, "aws_appautoscaling_policy", POLICY(70, 300));
    assert_int_equal(cpt_boto(e, "application-autoscaling",
                              "delete_scaling_policy(PolicyName='read-70', "
                              "ServiceNamespace='dynamodb', ResourceId='table/jobs', "
                              "ScalableDimension='dynamodb:table:ReadCapacityUnits')"),
                     0);
    assert_null(cpt_read_ok(e, "aws_appautoscaling_policy", s3));
    assert_non_null(
        strstr(cpt_validate("aws_appautoscaling_policy", "policy_type", "\"StepScaling\""),
               "TargetTrackingScaling"));
    cp_release(t);
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(s3);
}

/* --- batch refresh ----------------------------------------------------------------------- */

#define READ_DIM  "dynamodb:table:ReadCapacityUnits"
#define WRITE_DIM "dynamodb:table:WriteCapacityUnits"
enum { NT = 52, NP = 12 }; /* more ids than one call names (50), more policies than a page (10) */

static cp_value *make_target(cpt_env *e, const char *ns, const char *res, const char *dim)
{
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"service_namespace\": \"%s\", \"resource_id\": \"%s\", "
             "\"scalable_dimension\": \"%s\", \"min_capacity\": 1, \"max_capacity\": 3}",
             ns, res, dim);
    return cpt_create_ok(e, "aws_appautoscaling_target", cfg);
}

static cp_value *make_policy(cpt_env *e, const char *name, const char *res, const char *dim,
                             int target)
{
    char cfg[768];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"%s\", \"service_namespace\": \"dynamodb\", \"resource_id\": \"%s\", "
             "\"scalable_dimension\": \"%s\", \"target_tracking_scaling_policy_configuration\": "
             "[{\"target_value\": %d, \"predefined_metric_specification\": "
             "[{\"predefined_metric_type\": \"%s\"}]}]}",
             name, res, dim, target,
             strcmp(dim, READ_DIM) ? "DynamoDBWriteCapacityUtilization"
                                   : "DynamoDBReadCapacityUtilization");
    return cpt_create_ok(e, "aws_appautoscaling_policy", cfg);
}

/* 52 read targets (two calls of ids; the first with 51 targets, two pages), a write target on
 * the first table (same resource id, other dimension), a Lambda one (another namespace) and an
 * import's state (read alone); one target (t50) deregistered behind cpstack's back is gone. */
static void test_target_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = NT + 3 };
    cp_value *s[N], *out[N];
    char res[64];
    for (int i = 0; i < NT; i++) {
        snprintf(res, sizeof res, "table/t%02d", i);
        s[i] = make_target(e, "dynamodb", res, READ_DIM);
    }
    s[NT] = make_target(e, "dynamodb", "table/t00", WRITE_DIM);
    s[NT + 1] =
        make_target(e, "lambda", "function:f:live", "lambda:function:ProvisionedConcurrency");
    s[NT + 2] = cpt_val("{\"id\": \"dynamodb/table/t51/" READ_DIM "\"}");
    assert_int_equal(cpt_boto(e, "application-autoscaling",
                              "deregister_scalable_target(ServiceNamespace='dynamodb', "
                              "ResourceId='table/t50', ScalableDimension='" READ_DIM "')"),
                     0);
    long calls =
        cpt_read_batch_ok(e, "aws_appautoscaling_target", (const cp_value *const *)s, N, out);
    for (int i = 0; i < NT + 2; i++) {
        if (i == 50) {
            assert_null(out[i]);
            continue;
        }
        assert_true(cp_equal(out[i], s[i]));
    }
    assert_string_equal(cpt_str(out[NT], "scalable_dimension"), WRITE_DIM);
    assert_string_equal(cpt_str(out[NT + 1], "service_namespace"), "lambda");
    assert_true(cp_equal(out[NT + 2], s[NT - 1]));
    /* dynamodb: 50 ids (51 targets: 2 pages) + 2 ids; lambda: 1; the import's read: 1 */
    if (calls >= 0) assert_int_equal(calls, 5);
    for (int i = 0; i < N; i++) {
        cp_release(out[i]);
        cp_release(s[i]);
    }
}

/* 12 policies on 12 targets plus one of the same name on another dimension of the first
 * (names are unique per target only): pages of 10 followed; one deleted behind cpstack's back. */
static void test_policy_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = NP + 1 };
    cp_value *t[N], *s[N], *out[N];
    char res[64], name[32];
    for (int i = 0; i < N; i++) {
        snprintf(res, sizeof res, "table/p%02d", i < NP ? i : 0);
        snprintf(name, sizeof name, "keep-%02d", i < NP ? i : 0);
        const char *dim = i < NP ? READ_DIM : WRITE_DIM;
        t[i] = make_target(e, "dynamodb", res, dim);
        s[i] = make_policy(e, name, res, dim, 40 + i);
    }
    assert_int_equal(cpt_boto(e, "application-autoscaling",
                              "delete_scaling_policy(PolicyName='keep-05', "
                              "ServiceNamespace='dynamodb', ResourceId='table/p05', "
                              "ScalableDimension='" READ_DIM "')"),
                     0);
    long calls =
        cpt_read_batch_ok(e, "aws_appautoscaling_policy", (const cp_value *const *)s, N, out);
    for (int i = 0; i < N; i++) {
        if (i == 5) {
            assert_null(out[i]);
            continue;
        }
        assert_true(cp_equal(out[i], s[i]));
    }
    assert_string_equal(cpt_str(out[NP], "scalable_dimension"), WRITE_DIM);
    assert_int_equal(
        (int)cp_get_num(cp_get_block(out[NP], "target_tracking_scaling_policy_configuration"),
                        "target_value", 0),
        40 + NP);
    if (calls >= 0) assert_int_equal(calls, 2); /* 13 policies: pages of 10 */
    for (int i = 0; i < N; i++) {
        cp_release(out[i]);
        cp_release(s[i]);
        cp_release(t[i]);
    }
}

static int setup(void **st)
{
    *st = cpt_start();
    return *st ? 0 : -1;
}
static int teardown(void **st)
{
    cpt_stop(*st);
    return 0;
}
static int reset(void **st)
{
    cpt_reset(*st);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_target, reset),
        cmocka_unit_test_setup(test_policy, reset),
        cmocka_unit_test_setup(test_target_batch, reset),
        cmocka_unit_test_setup(test_policy_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
