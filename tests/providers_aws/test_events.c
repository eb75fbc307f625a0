/*
 * test_events.c: aws_cloudwatch_event_rule and aws_cloudwatch_event_target
 * (events_rule.c, events_target.c) on both endpoints: create, read, change
 * behind cpstack's back, update, import, delete (a rule with targets is
 * refused), a target sending to an SQS queue, bad input, and the batch
 * refresh of targets (one ListTargetsByRule a rule).
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

static char *validate_config(const char *type, const char *json)
{
    cp_value *v = cpt_val(json);
    char *msg = cpt_type(type)->validate_config(v);
    cp_release(v);
    return msg;
}

static void test_rule(void **st)
{
    cpt_env *e = *st;
    const char *T = "aws_cloudwatch_event_rule";
    cp_value *s = cpt_create_ok(e, T,
                                "{\"name\": \"nightly\", \"schedule_expression\": \"rate(1 day)\","
                                " \"description\": \"every night\", \"tags\": {\"team\": \"a\"}}");
    assert_string_equal(cpt_str(s, "id"), "nightly");
    assert_string_equal(cpt_str(s, "state"), "ENABLED");
    assert_string_equal(cpt_str(s, "event_bus_name"), "default");
    assert_non_null(strstr(cpt_str(s, "arn"), ":rule/nightly"));
    assert_string_equal(cpt_str(cp_map_get(s, "tags"), "team"), "a");
    json_t *r = cpt_aws(e, "events", "describe_rule(Name='nightly')");
    assert_string_equal(json_string_value(json_object_get(r, "ScheduleExpression")), "rate(1 day)");
    assert_string_equal(json_string_value(json_object_get(r, "Description")), "every night");
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, T, s);
    assert_true(cp_equal(rd, s));

    /* behind cpstack's back: disabled; read shows it, update enables it with a pattern */
    assert_int_equal(cpt_boto(e, "events",
                              "put_rule(Name='nightly', ScheduleExpression='rate(1 day)',"
                              " State='DISABLED')"),
                     0);
    cp_value *drift = cpt_read_ok(e, T, s);
    assert_string_equal(cpt_str(drift, "state"), "DISABLED");
    cp_value *s2 = cpt_update_ok(
        e, T, drift,
        "{\"name\": \"nightly\", \"event_pattern\": \"{\\\"source\\\": [\\\"aws.ec2\\\"]}\","
        " \"state\": \"ENABLED\", \"tags\": {\"team\": \"b\", \"env\": \"prod\"}}");
    assert_string_equal(cpt_str(s2, "state"), "ENABLED");
    assert_non_null(strstr(cpt_str(s2, "event_pattern"), "aws.ec2"));
    assert_string_equal(cpt_str(cp_map_get(s2, "tags"), "env"), "prod");
    r = cpt_aws(e, "events", "list_tags_for_resource(ResourceARN='%s')", cpt_str(s2, "arn"));
    json_t *tags = cpt_tag_map(json_object_get(r, "Tags"));
    assert_string_equal(json_string_value(json_object_get(tags, "team")), "b");
    json_decref(tags);
    json_decref(r);
    cp_value *imp = cpt_import_ok(e, T, "nightly");
    const char *same[] = { "name", "arn", "state", "event_bus_name", "tags", NULL };
    cpt_assert_same(imp, s2, same);

    cpt_delete_ok(e, T, s2);
    assert_null(cpt_read_ok(e, T, s2));
    cpt_delete_ok(e, T, s2);

    char *m = validate_config(T, "{\"name\": \"x\"}");
    assert_non_null(strstr(m, "schedule_expression or event_pattern"));
    free(m);
    m = validate_config(T, "{\"name\": \"x\", \"name_prefix\": \"y\", \"schedule_expression\":"
                           " \"rate(1 day)\"}");
    assert_non_null(strstr(m, "not both"));
    free(m);
    m = validate_config(T, "{\"name\": \"x\", \"event_bus_name\": \"orders\","
                           " \"schedule_expression\": \"rate(1 day)\"}");
    assert_non_null(strstr(m, "default event bus"));
    free(m);
    assert_non_null(cpt_validate(T, "name", "\"bad name\""));
    assert_non_null(cpt_validate(T, "schedule_expression", "\"every day\""));
    assert_non_null(cpt_validate(T, "state", "\"ON\""));
    assert_non_null(cpt_validate(T, "event_pattern", "\"{not json\""));
    cp_release(s);
    cp_release(rd);
    cp_release(drift);
    cp_release(s2);
    cp_release(imp);
}

/* A new SQS queue (made with boto3, outside cpstack): its ARN, malloc'd. */
static char *new_queue_arn(cpt_env *e, const char *name)
{
    json_t *q = cpt_aws(e, "sqs", "create_queue(QueueName='%s')", name);
    json_t *qa =
        cpt_aws(e, "sqs", "get_queue_attributes(QueueUrl='%s', AttributeNames=['QueueArn'])",
                json_string_value(json_object_get(q, "QueueUrl")));
    char *arn = strdup(json_string_value(cpt_path(qa, "Attributes/QueueArn")));
    json_decref(q);
    json_decref(qa);
    return arn;
}

static void test_target_to_queue(void **st)
{
    cpt_env *e = *st;
    const char *R = "aws_cloudwatch_event_rule", *T = "aws_cloudwatch_event_target";
    char *qarn = new_queue_arn(e, "events-in");
    cp_value *rule = cpt_create_ok(
        e, R, "{\"name\": \"orders\", \"event_pattern\": \"{\\\"source\\\": [\\\"shop\\\"]}\"}");
    cp_value *cfg = cpt_valf("{\"rule\": \"orders\", \"target_id\": \"to-queue\", \"arn\": \"%s\","
                             " \"input\": \"{\\\"k\\\": 1}\"}",
                             qarn);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, T, cfg, &s, &err) != 0) fail_msg("%s", err);
    cp_release(cfg);
    assert_string_equal(cpt_str(s, "id"), "orders-to-queue");
    assert_string_equal(cpt_str(s, "arn"), qarn);
    json_t *r = cpt_aws(e, "events", "list_targets_by_rule(Rule='orders')");
    json_t *t = json_array_get(json_object_get(r, "Targets"), 0);
    assert_string_equal(json_string_value(json_object_get(t, "Id")), "to-queue");
    assert_string_equal(json_string_value(json_object_get(t, "Arn")), qarn);
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, T, s);
    assert_true(cp_equal(rd, s));

    /* update: input_path instead of input */
    cp_value *cfg2 = cpt_valf("{\"rule\": \"orders\", \"target_id\": \"to-queue\", \"arn\": "
                              "\"%s\", \"input_path\": \"$.detail\"}",
                              qarn);
    cp_value *s2 = NULL;
    if (cpt_update(e, T, s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    cp_release(cfg2);
    assert_string_equal(cpt_str(s2, "input_path"), "$.detail");
    assert_true(cp_kind_of(cp_map_get(s2, "input")) == CP_NULL);
    /* update: an input transformer instead (read back as written) */
    cp_value *cfg3 =
        cpt_valf("{\"rule\": \"orders\", \"target_id\": \"to-queue\", \"arn\": \"%s\","
                 " \"input_transformer\": [{\"input_paths\": {\"id\": \"$.detail.id\"},"
                 " \"input_template\": \"{\\\"order\\\": <id>}\"}]}",
                 qarn);
    cp_value *s3 = NULL;
    if (cpt_update(e, T, s2, cfg3, &s3, &err) != 0) fail_msg("%s", err);
    cp_release(cfg3);
    r = cpt_aws(e, "events", "list_targets_by_rule(Rule='orders')");
    t = json_array_get(json_object_get(r, "Targets"), 0);
    assert_string_equal(json_string_value(cpt_path(t, "InputTransformer/InputPathsMap/id")),
                        "$.detail.id");
    assert_string_equal(json_string_value(cpt_path(t, "InputTransformer/InputTemplate")),
                        "{\"order\": <id>}");
    assert_null(json_object_get(t, "InputPath"));
    json_decref(r);
    cp_value *rd3 = cpt_read_ok(e, T, s3);
    assert_true(cp_equal(rd3, s3));
    cp_release(rd3);
    cp_release(s2);
    s2 = s3;
    cp_value *imp = cpt_import_ok(e, T, "orders/to-queue");
    assert_true(cp_equal(imp, s2));
    cp_value *none = NULL;
    assert_int_equal(cpt_import(e, T, "orders-to-queue", &none, &err), -1);
    assert_non_null(strstr(err, "RULE/TARGETID"));
    free(err);

    /* a rule with a target is refused, as AWS does; without it, it goes */
    assert_int_equal(cpt_delete(e, R, rule, &err), -1);
    assert_non_null(strstr(err, "targets"));
    assert_null(strchr(err, '\n'));
    free(err);
    cpt_delete_ok(e, T, s2);
    assert_null(cpt_read_ok(e, T, s2));
    cpt_delete_ok(e, R, rule);

    char *m = validate_config(T, "{\"rule\": \"r\", \"arn\": \"a\", \"input\": \"{}\","
                                 " \"input_path\": \"$.a\"}");
    assert_non_null(strstr(m, "not several"));
    free(m);
    m = validate_config(T, "{\"rule\": \"r\", \"arn\": \"a\", \"input_path\": \"$.a\","
                           " \"input_transformer\": [{\"input_template\": \"x\"}]}");
    assert_non_null(strstr(m, "not several"));
    free(m);
    assert_non_null(
        cpt_validate(T, "input_transformer/input_paths", "{\"aws.events.rule-arn\": \"$.a\"}"));
    assert_non_null(cpt_validate(T, "input_transformer/input_paths", "{\"a\": \"detail\"}"));
    assert_null(cpt_validate(T, "input_transformer/input_paths", "{\"a\": \"$.detail\"}"));
    assert_non_null(cpt_validate(T, "target_id", "\"has space\""));

    /* PutTargets failures come back in FailedEntries: one line naming the target */
    if (cpt_emulator_only(e, "moto accepts a Kinesis target without role_arn")) {
        cp_value *r2 = cpt_create_ok(e, R,
                                     "{\"name\": \"k\", \"schedule_expression\":"
                                     " \"rate(5 minutes)\"}");
        cp_value *bad = cpt_val("{\"rule\": \"k\", \"target_id\": \"kin\", \"arn\":"
                                " \"arn:aws:kinesis:us-east-1:123456789012:stream/s\"}");
        cp_value *bs = NULL;
        assert_int_equal(cpt_create(e, T, bad, &bs, &err), -1);
        assert_non_null(strstr(err, "kin"));
        assert_non_null(strstr(err, "RoleArn"));
        assert_null(strchr(err, '\n'));
        free(err);
        cp_release(bad);
        cp_release(bs);
        cp_release(r2);
    }
    free(qarn);
    cp_release(rule);
    cp_release(s);
    cp_release(rd);
    cp_release(s2);
    cp_release(imp);
}

/* Refresh of many targets: one ListTargetsByRule per rule, each target matched by its
 * target_id and equal to what read() gives (cpt_read_batch_ok checks it); a target removed
 * behind cpstack's back is gone, and so is every target of a rule deleted behind its back;
 * the same target_id in another rule is another target. */
static void test_target_read_batch(void **st)
{
    cpt_env *e = *st;
    const char *R = "aws_cloudwatch_event_rule", *T = "aws_cloudwatch_event_target";
    char *qarn = new_queue_arn(e, "batch-in");
    cp_value *rules[3];
    const char *names[3] = { "ra", "rb", "rc" };
    for (int i = 0; i < 3; i++) {
        char cfg[256];
        snprintf(cfg, sizeof cfg,
                 "{\"name\": \"%s\", \"event_pattern\": \"{\\\"source\\\": [\\\"shop\\\"]}\"}",
                 names[i]);
        rules[i] = cpt_create_ok(e, R, cfg);
    }
    enum { N = 5 };
    char cfg[N][512];
    snprintf(cfg[0], sizeof cfg[0],
             "{\"rule\": \"ra\", \"target_id\": \"t1\", \"arn\": \"%s\", \"input\": \"{\\\"k\\\": "
             "1}\"}",
             qarn);
    snprintf(cfg[1], sizeof cfg[1],
             "{\"rule\": \"ra\", \"target_id\": \"t2\", \"arn\": \"%s\", \"input_transformer\": "
             "[{\"input_paths\": {\"src\": \"$.source\"}, \"input_template\": \"\\\"<src>\\\"\"}]}",
             qarn);
    snprintf(cfg[2], sizeof cfg[2], "{\"rule\": \"ra\", \"target_id\": \"t3\", \"arn\": \"%s\"}",
             qarn);
    snprintf(cfg[3], sizeof cfg[3],
             "{\"rule\": \"rb\", \"target_id\": \"t1\", \"arn\": \"%s\", \"input_path\": "
             "\"$.detail\"}",
             qarn);
    snprintf(cfg[4], sizeof cfg[4], "{\"rule\": \"rc\", \"target_id\": \"t1\", \"arn\": \"%s\"}",
             qarn);
    cp_value *made[N], *out[N];
    const cp_value *states[N];
    for (int i = 0; i < N; i++) states[i] = made[i] = cpt_create_ok(e, T, cfg[i]);
    /* behind cpstack's back: t3 of ra removed, rc deleted with its target */
    assert_int_equal(cpt_boto(e, "events", "remove_targets(Rule='ra', Ids=['t3'])"), 0);
    assert_int_equal(cpt_boto(e, "events", "remove_targets(Rule='rc', Ids=['t1'])"), 0);
    assert_int_equal(cpt_boto(e, "events", "delete_rule(Name='rc')"), 0);
    long calls = cpt_read_batch_ok(e, T, states, N, out);
    assert_non_null(out[0]);
    assert_non_null(out[1]);
    assert_null(out[2]);
    assert_non_null(out[3]);
    assert_null(out[4]);
    assert_string_equal(cpt_str(out[0], "id"), "ra-t1");
    assert_string_equal(cpt_str(out[3], "id"), "rb-t1");
    assert_string_equal(cpt_str(out[3], "input_path"), "$.detail");
    assert_non_null(strstr(cpt_str(out[0], "input"), "\"k\""));
    assert_string_equal(
        cpt_str(cp_list_get(cp_map_get(out[1], "input_transformer"), 0), "input_template"),
        "\"<src>\"");
    if (calls >= 0) assert_int_equal(calls, 3); /* one a rule; read() of each would make 5 */
    for (int i = 0; i < N; i++) {
        if (out[i]) cpt_delete_ok(e, T, out[i]);
        cp_release(out[i]);
        cp_release(made[i]);
    }
    for (int i = 0; i < 2; i++) cpt_delete_ok(e, R, rules[i]);
    for (int i = 0; i < 3; i++) cp_release(rules[i]);
    free(qarn);
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
        cmocka_unit_test_setup(test_rule, reset),
        cmocka_unit_test_setup(test_target_to_queue, reset),
        cmocka_unit_test_setup(test_target_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
