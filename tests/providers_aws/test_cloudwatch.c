/*
 * test_cloudwatch.c: aws_cloudwatch_metric_alarm (src/providers/aws/
 * cloudwatch_metric_alarm.c) against the emulator: an alarm with an EC2
 * stop action (the webserver stack's) and an SNS one, update by a second
 * PutMetricAlarm, tags, deletion behind cpstack's back, import, validation.
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

/* The alarm as DescribeAlarms shows it, with ListTagsForResource's tags
 * under "Tags"; NULL when it does not exist. */
static json_t *alarm_dump(cpt_env *e, const char *name)
{
    json_t *r = cpt_aws(e, "cloudwatch", "describe_alarms(AlarmNames=['%s'])", name);
    json_t *a = json_incref(cpt_find(json_object_get(r, "MetricAlarms"), "AlarmName", name));
    json_decref(r);
    if (!a) return NULL;
    json_t *t = cpt_aws(e, "cloudwatch", "list_tags_for_resource(ResourceARN='%s')",
                        json_string_value(json_object_get(a, "AlarmArn")));
    json_object_set(a, "Tags", json_object_get(t, "Tags"));
    json_decref(t);
    return a;
}

#define IDLE                                                                                        \
    "{\"alarm_name\": \"web-idle\", \"comparison_operator\": \"LessThanThreshold\", "               \
    "\"evaluation_periods\": 12, \"metric_name\": \"CPUUtilization\", \"namespace\": \"AWS/EC2\", " \
    "\"period\": 300, \"statistic\": \"Average\", \"threshold\": 1, "                               \
    "\"alarm_description\": \"idle for an hour\", \"dimensions\": {\"InstanceId\": \"i-0123\"}, "

static void test_alarm_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(
        e, "aws_cloudwatch_metric_alarm",
        IDLE
        "\"alarm_actions\": [\"arn:aws:automate:us-east-1:ec2:stop\"], \"tags\": {\"env\": \"a\"}}");
    assert_string_equal(cpt_str(s, "id"), "web-idle");
    assert_string_equal(cpt_str(s, "arn"),
                        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-idle");
    assert_string_equal(cpt_str(s, "treat_missing_data"), "missing");
    json_t *a = alarm_dump(e, "web-idle");
    assert_non_null(a);
    assert_string_equal(json_string_value(json_array_get(json_object_get(a, "AlarmActions"), 0)),
                        "arn:aws:automate:us-east-1:ec2:stop");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(a, "Dimensions"), 0), "Value")),
                        "i-0123");
    json_decref(a);
    cp_value *r = cpt_read_ok(e, "aws_cloudwatch_metric_alarm", s);
    assert_true(cp_equal(r, s));

    cp_value *s2 = cpt_update_ok(
        e, "aws_cloudwatch_metric_alarm", s,
        IDLE
        "\"alarm_actions\": [\"arn:aws:automate:us-east-1:ec2:terminate\", "
        "\"arn:aws:sns:us-east-1:123456789012:ops\"], \"ok_actions\": [\"arn:aws:sns:us-east-1:123456789012:ops\"], "
        "\"treat_missing_data\": \"breaching\", \"tags\": {\"team\": \"b\"}}");
    a = alarm_dump(e, "web-idle");
    assert_int_equal(json_array_size(json_object_get(a, "AlarmActions")), 2);
    assert_string_equal(json_string_value(json_object_get(a, "TreatMissingData")), "breaching");
    assert_int_equal(json_array_size(json_object_get(a, "Tags")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(a, "Tags"), 0), "Key")),
        "team");
    json_decref(a);
    assert_int_equal(cp_len(cp_map_get(s2, "ok_actions")), 1);
    cp_value *r2 = cpt_read_ok(e, "aws_cloudwatch_metric_alarm", s2);
    assert_true(cp_equal(r2, s2));

    cp_value *imp = cpt_import_ok(e, "aws_cloudwatch_metric_alarm", "web-idle");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "alarm_name", "arn", "threshold", "period",
                                           "alarm_actions", "ok_actions", "dimensions", "tags",
                                           "treat_missing_data", NULL });
    cpt_delete_ok(e, "aws_cloudwatch_metric_alarm", s2);
    assert_null(alarm_dump(e, "web-idle"));
    assert_null(cpt_read_ok(e, "aws_cloudwatch_metric_alarm", s2));
    cpt_delete_ok(e, "aws_cloudwatch_metric_alarm", s2); /* gone already: fine */
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(r2);
    cp_release(imp);
}

static void test_alarm_gone_and_errors(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_cloudwatch_metric_alarm", IDLE "\"tags\": null}");
    assert_true(cp_is_null(cp_map_get(s, "alarm_actions")));
    assert_int_equal(cpt_boto(e, "cloudwatch", "delete_alarms(AlarmNames=['web-idle'])"), 0);
    assert_null(cpt_read_ok(e, "aws_cloudwatch_metric_alarm", s));

    cp_value *bad = cpt_val(IDLE "\"alarm_actions\": [\"stop-it\"]}"), *s2 = NULL;
    char *err = NULL;
    if (cpt_emulator_only(e, "moto accepts alarm action \"stop-it\"; AWS: ValidationError")) {
        assert_int_equal(cpt_create(e, "aws_cloudwatch_metric_alarm", bad, &s2, &err), -1);
        assert_non_null(strstr(err, "PutMetricAlarm"));
        assert_non_null(strstr(err, "stop-it"));
        assert_null(strchr(err, '\n'));
        free(err);
        err = NULL;
    }
    cp_value *none = NULL;
    assert_int_equal(cpt_import(e, "aws_cloudwatch_metric_alarm", "nope", &none, &err), -1);
    assert_non_null(strstr(err, "nope"));
    free(err);

    assert_null(cpt_validate("aws_cloudwatch_metric_alarm", "comparison_operator",
                             "\"GreaterThanThreshold\""));
    assert_non_null(
        strstr(cpt_validate("aws_cloudwatch_metric_alarm", "comparison_operator", "\">\""),
               "GreaterThanThreshold"));
    assert_non_null(
        strstr(cpt_validate("aws_cloudwatch_metric_alarm", "statistic", "\"Mean\""), "Average"));
    assert_non_null(
        strstr(cpt_validate("aws_cloudwatch_metric_alarm", "period", "90"), "multiple of 60"));
    assert_null(cpt_validate("aws_cloudwatch_metric_alarm", "period", "3600"));
    assert_non_null(
        strstr(cpt_validate("aws_cloudwatch_metric_alarm", "treat_missing_data", "\"zero\""),
               "notBreaching"));
    assert_non_null(strstr(cpt_validate("aws_cloudwatch_metric_alarm", "evaluation_periods", "0"),
                           "at least 1"));
    cp_release(s);
    cp_release(bad);
    cp_release(s2);
}

/* Refresh of many alarms: one DescribeAlarms naming them all and one Tagging API call;
 * ListTagsForResource only for the alarm whose tags changed behind cpstack's back. An
 * alarm DescribeAlarms leaves out is gone. 3 requests for 9 alarms instead of 18. */
static void test_alarm_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 8 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        cp_value *cfg = cpt_valf(
            "{\"alarm_name\": \"batch-a%d\", \"comparison_operator\": \"LessThanThreshold\", "
            "\"evaluation_periods\": 2, \"metric_name\": \"CPUUtilization\", \"namespace\": "
            "\"AWS/EC2\", \"period\": 300, \"statistic\": \"Average\", \"threshold\": %d, "
            "\"tags\": %s}",
            i, i + 1, i % 2 ? "null" : "{\"n\": \"even\"}");
        char *err = NULL;
        if (cpt_create(e, "aws_cloudwatch_metric_alarm", cfg, &made[i], &err) != 0)
            fail_msg("create: %s", err);
        cp_release(cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"batch-never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "cloudwatch", "delete_alarms(AlarmNames=['batch-a3'])"), 0);
    assert_int_equal(cpt_boto(e, "cloudwatch",
                              "tag_resource(ResourceARN='%s', Tags=[{'Key': 'n', 'Value': 'x'}])",
                              cpt_str(made[4], "arn")),
                     0);
    long calls = cpt_read_batch_ok(e, "aws_cloudwatch_metric_alarm", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_int_equal((int)cp_number_val(cp_map_get(out[6], "threshold")), 7);
    if (calls >= 0) assert_int_equal(calls, 3);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_cloudwatch_metric_alarm", made[i]);
        cp_release(made[i]);
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
        cmocka_unit_test_setup(test_alarm_lifecycle, reset),
        cmocka_unit_test_setup(test_alarm_gone_and_errors, reset),
        cmocka_unit_test_setup(test_alarm_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
