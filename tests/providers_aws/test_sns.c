/*
 * test_sns.c: aws_sns_topic and aws_sns_topic_subscription (src/providers/
 * aws/sns_*.c) against the emulator: topic attributes and tags, an e-mail
 * subscription that stays "pending confirmation" (still read, not gone),
 * an SQS one with raw delivery changed in place, deletion behind
 * cpstack's back, import and validation.
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

#define TOPIC_ARN "arn:aws:sns:us-east-1:123456789012:alarms-main"

/* A topic ("topics") or subscription ("subscriptions") by ARN as SNS's
 * API shows it: {"Attributes": Get*Attributes, "Tags": the topic's
 * ListTagsForResource, "Endpoint": the subscription's}; NULL when SNS
 * does not know it. */
static json_t *sns_dump(cpt_env *e, const char *table, const char *arn)
{
    bool topic = strcmp(table, "topics") == 0;
    json_t *r = cpt_aws(e, "sns", "%s(%s='%s')",
                        topic ? "get_topic_attributes" : "get_subscription_attributes",
                        topic ? "TopicArn" : "SubscriptionArn", arn);
    if (cpt_aws_error(r)) {
        json_decref(r);
        return NULL;
    }
    json_object_set(r, "Endpoint", cpt_path(r, "Attributes/Endpoint"));
    if (topic) {
        json_t *t = cpt_aws(e, "sns", "list_tags_for_resource(ResourceArn='%s')", arn);
        json_object_set(r, "Tags", json_object_get(t, "Tags"));
        json_decref(t);
    }
    return r;
}

static void test_topic(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_sns_topic",
                                "{\"name\": \"alarms-main\", \"display_name\": \"Alarms\", "
                                "\"tags\": {\"branch\": \"main\"}}");
    assert_string_equal(cpt_str(s, "id"), TOPIC_ARN);
    assert_string_equal(cpt_str(s, "arn"), TOPIC_ARN);
    assert_string_equal(cpt_str(s, "owner"), "123456789012");
    json_t *t = sns_dump(e, "topics", TOPIC_ARN);
    assert_string_equal(json_string_value(cpt_path(t, "Attributes/DisplayName")), "Alarms");
    assert_int_equal(json_array_size(json_object_get(t, "Tags")), 1);
    json_decref(t);
    cp_value *r = cpt_read_ok(e, "aws_sns_topic", s);
    assert_true(cp_equal(r, s));

    cp_value *s2 = cpt_update_ok(e, "aws_sns_topic", s,
                                 "{\"name\": \"alarms-main\", \"display_name\": \"Ops\", "
                                 "\"tags\": {\"team\": \"ops\"}}");
    t = sns_dump(e, "topics", TOPIC_ARN);
    assert_string_equal(json_string_value(cpt_path(t, "Attributes/DisplayName")), "Ops");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(t, "Tags"), 0), "Key")),
        "team");
    assert_int_equal(json_array_size(json_object_get(t, "Tags")), 1);
    json_decref(t);
    cp_value *imp = cpt_import_ok(e, "aws_sns_topic", TOPIC_ARN);
    assert_true(cp_equal(imp, s2));
    cpt_delete_ok(e, "aws_sns_topic", s2);
    assert_null(sns_dump(e, "topics", TOPIC_ARN));
    assert_null(cpt_read_ok(e, "aws_sns_topic", s2));

    cp_value *s3 = cpt_create_ok(e, "aws_sns_topic", "{\"name\": \"alarms-main\"}");
    assert_true(cp_is_null(cp_map_get(s3, "display_name")));
    assert_int_equal(cpt_boto(e, "sns", "delete_topic(TopicArn='" TOPIC_ARN "')"), 0);
    assert_null(cpt_read_ok(e, "aws_sns_topic", s3));
    assert_null(cpt_validate("aws_sns_topic", "name", "\"jobs.fifo\""));
    assert_non_null(strstr(cpt_validate("aws_sns_topic", "name", "\"bad.name\""), "256"));
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(s3);
}

static void test_email_subscription_pending(void **st)
{
    cpt_env *e = *st;
    cp_value *t = cpt_create_ok(e, "aws_sns_topic", "{\"name\": \"alarms-main\"}");
    cp_value *s = cpt_create_ok(e, "aws_sns_topic_subscription",
                                "{\"topic_arn\": \"" TOPIC_ARN "\", "
                                "\"protocol\": \"email\", \"endpoint\": \"ops@example.com\"}");
    const char *arn = cpt_str(s, "arn");
    assert_true(strncmp(arn, TOPIC_ARN ":", strlen(TOPIC_ARN) + 1) == 0);
    /* AWS waits for the mail's link; moto confirms at once */
    if (cpt_emulator_only(e, "an email subscription pending confirmation (moto confirms at once)"))
        assert_true(cp_bool_val(cp_map_get(s, "pending_confirmation")));
    json_t *sub = sns_dump(e, "subscriptions", arn);
    assert_string_equal(json_string_value(json_object_get(sub, "Endpoint")), "ops@example.com");
    json_decref(sub);
    cp_value *r = cpt_read_ok(e, "aws_sns_topic_subscription", s); /* pending is not gone */
    assert_non_null(r);
    assert_true(cp_equal(r, s));
    cp_value *imp = cpt_import_ok(e, "aws_sns_topic_subscription", arn);
    assert_true(cp_equal(imp, s));
    cpt_delete_ok(e, "aws_sns_topic_subscription", s);
    assert_null(sns_dump(e, "subscriptions", arn));
    assert_null(cpt_read_ok(e, "aws_sns_topic_subscription", s));
    cp_release(t);
    cp_release(s);
    cp_release(r);
    cp_release(imp);
}

static void test_sqs_subscription(void **st)
{
    cpt_env *e = *st;
    cp_value *t = cpt_create_ok(e, "aws_sns_topic", "{\"name\": \"alarms-main\"}");
    cp_value *s = cpt_create_ok(
        e, "aws_sns_topic_subscription",
        "{\"topic_arn\": \"" TOPIC_ARN "\", "
        "\"protocol\": \"sqs\", \"endpoint\": \"arn:aws:sqs:us-east-1:123456789012:q\"}");
    assert_false(cp_bool_val(cp_map_get(s, "pending_confirmation")));
    assert_false(cp_bool_val(cp_map_get(s, "raw_message_delivery")));
    cp_value *s2 = cpt_update_ok(
        e, "aws_sns_topic_subscription", s,
        "{\"topic_arn\": \"" TOPIC_ARN "\", "
        "\"protocol\": \"sqs\", \"endpoint\": \"arn:aws:sqs:us-east-1:123456789012:q\", "
        "\"raw_message_delivery\": true}");
    json_t *sub = sns_dump(e, "subscriptions", cpt_str(s, "arn"));
    assert_string_equal(json_string_value(cpt_path(sub, "Attributes/RawMessageDelivery")), "true");
    json_decref(sub);
    assert_true(cp_bool_val(cp_map_get(s2, "raw_message_delivery")));
    assert_int_equal(cpt_boto(e, "sns", "delete_topic(TopicArn='" TOPIC_ARN "')"), 0);
    assert_null(cpt_read_ok(e, "aws_sns_topic_subscription", s2)); /* went with its topic */

    cp_value *bad = cpt_val("{\"topic_arn\": \"" TOPIC_ARN
                            "\", \"protocol\": \"email\", \"endpoint\": \"x\"}"),
             *s3 = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_sns_topic_subscription", bad, &s3, &err), -1);
    assert_non_null(strstr(err, "Subscribe"));
    assert_null(strchr(err, '\n'));
    free(err);
    assert_non_null(
        strstr(cpt_validate("aws_sns_topic_subscription", "protocol", "\"mail\""), "email"));
    assert_non_null(
        strstr(cpt_validate("aws_sns_topic_subscription", "topic_arn", "\"alarms\""), "ARN"));
    cp_release(t);
    cp_release(s);
    cp_release(s2);
    cp_release(bad);
    cp_release(s3);
}

/* Refresh of many topics: a GetTopicAttributes each (SNS describes one topic at a time)
 * but one Tagging API call for the tags, ListTagsForResource only for the topic whose tags
 * changed behind cpstack's back: 13 requests for 11 topics instead of 22. */
static void test_topic_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 10 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[200];
        snprintf(cfg, sizeof cfg, "{\"name\": \"batch-t%d\"%s}", i,
                 i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}");
        made[i] = cpt_create_ok(e, "aws_sns_topic", cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"arn:aws:sns:us-east-1:123456789012:batch-never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "sns", "delete_topic(TopicArn='%s')", cpt_str(made[3], "arn")), 0);
    assert_int_equal(cpt_boto(e, "sns",
                              "tag_resource(ResourceArn='%s', Tags=[{'Key': 'n', 'Value': 'x'}])",
                              cpt_str(made[4], "arn")),
                     0);
    long calls = cpt_read_batch_ok(e, "aws_sns_topic", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_string_equal(cpt_str(cp_map_get(out[2], "tags"), "n"), "even");
    assert_string_equal(cpt_str(out[7], "name"), "batch-t7");
    if (calls >= 0) assert_int_equal(calls, 13); /* 11 GetTopicAttributes, GetResources, 1 */
    if (!cpt_on_moto()) { /* no tag:GetResources permission: one ListTagsForResource each */
        for (int i = 0; i <= N; i++) cp_release(out[i]);
        json_decref(cpt_admin(e, "POST", "faults",
                              "{\"next\": [{\"kind\": \"error\", \"operation\": "
                              "\"GetResources\", \"code\": \"AccessDeniedException\", "
                              "\"status\": 400}]}"));
        calls = cpt_read_batch_ok(e, "aws_sns_topic", states, N + 1, out);
        assert_int_equal(calls, (N + 1) + 1 + (N - 1)); /* attributes, refused, 9 tags */
        assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    }
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_sns_topic", made[i]);
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
        cmocka_unit_test_setup(test_topic, reset),
        cmocka_unit_test_setup(test_email_subscription_pending, reset),
        cmocka_unit_test_setup(test_sqs_subscription, reset),
        cmocka_unit_test_setup(test_topic_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
