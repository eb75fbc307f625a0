/*
 * test_sqs_ssm.c: aws_sqs_queue (src/providers/aws/sqs_queue.c) and
 * aws_ssm_parameter with its data source (ssm_parameter.c) on both
 * endpoints: create with Terraform's defaults, change behind cpstack's
 * back, update in place, import, delete, recovery of an interrupted create
 * (find), and the AWS input rules at plan time.
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
#include "providers/aws/aws_types.h"

/* The queue's attributes as GetQueueAttributes(All) shows them (new reference). */
static json_t *queue_attrs(cpt_env *e, const char *url)
{
    json_t *r =
        cpt_aws(e, "sqs", "get_queue_attributes(QueueUrl='%s', AttributeNames=['All'])", url);
    json_t *a = json_incref(json_object_get(r, "Attributes"));
    json_decref(r);
    return a;
}

static const char *jattr(json_t *a, const char *name)
{
    const char *s = json_string_value(json_object_get(a, name));
    return s ? s : "";
}

static void test_queue_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_sqs_queue",
                                "{\"name\": \"jobs\", \"visibility_timeout_seconds\": 60,"
                                " \"tags\": {\"app\": \"jobs\"}}");
    const char *url = cpt_str(s, "id");
    assert_string_equal(cpt_str(s, "url"), url);
    assert_non_null(strstr(url, "/123456789012/jobs"));
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:sqs:us-east-1:123456789012:jobs");
    /* Terraform's defaults, as AWS holds them */
    assert_int_equal((int)cp_number_val(cp_map_get(s, "message_retention_seconds")), 345600);
    assert_int_equal((int)cp_number_val(cp_map_get(s, "max_message_size")), 262144);
    assert_int_equal((int)cp_number_val(cp_map_get(s, "delay_seconds")), 0);
    assert_false(cp_bool_val(cp_map_get(s, "fifo_queue")));
    json_t *a = queue_attrs(e, url);
    assert_string_equal(jattr(a, "VisibilityTimeout"), "60");
    assert_string_equal(jattr(a, "MessageRetentionPeriod"), "345600");
    json_decref(a);
    json_t *t = cpt_aws(e, "sqs", "list_queue_tags(QueueUrl='%s')", url);
    assert_string_equal(json_string_value(cpt_path(t, "Tags/app")), "jobs");
    json_decref(t);
    cp_value *r = cpt_read_ok(e, "aws_sqs_queue", s);
    assert_true(cp_equal(r, s));

    /* changed behind cpstack's back: read shows it */
    assert_int_equal(cpt_boto(e, "sqs",
                              "set_queue_attributes(QueueUrl='%s', Attributes={'DelaySeconds': "
                              "'5'})",
                              url),
                     0);
    cp_value *drift = cpt_read_ok(e, "aws_sqs_queue", s);
    assert_int_equal((int)cp_number_val(cp_map_get(drift, "delay_seconds")), 5);

    const char *policy =
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
        "\\\"Principal\\\":{\\\"Service\\\":\\\"events.amazonaws.com\\\"},\\\"Action\\\":"
        "\\\"sqs:SendMessage\\\",\\\"Resource\\\":\\\"arn:aws:sqs:us-east-1:123456789012:jobs\\\"}]}";
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"jobs\", \"visibility_timeout_seconds\": 45, \"delay_seconds\": 0,"
             " \"receive_wait_time_seconds\": 20, \"policy\": \"%s\", \"tags\": {\"env\": \"x\"}}",
             policy);
    cp_value *s2 = cpt_update_ok(e, "aws_sqs_queue", drift, cfg);
    assert_string_equal(cpt_str(s2, "id"), url);
    a = queue_attrs(e, url);
    assert_string_equal(jattr(a, "VisibilityTimeout"), "45");
    assert_string_equal(jattr(a, "DelaySeconds"), "0");
    assert_string_equal(jattr(a, "ReceiveMessageWaitTimeSeconds"), "20");
    assert_non_null(strstr(jattr(a, "Policy"), "sqs:SendMessage"));
    json_decref(a);
    t = cpt_aws(e, "sqs", "list_queue_tags(QueueUrl='%s')", url);
    assert_null(cpt_path(t, "Tags/app"));
    assert_string_equal(json_string_value(cpt_path(t, "Tags/env")), "x");
    json_decref(t);

    cp_value *imp = cpt_import_ok(e, "aws_sqs_queue", url);
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "arn", "url", "visibility_timeout_seconds",
                                           "receive_wait_time_seconds", "fifo_queue", NULL });
    char *err = NULL;
    cp_value *bad = NULL;
    assert_int_equal(cpt_import(e, "aws_sqs_queue", "jobs", &bad, &err), -1);
    assert_non_null(strstr(err, "by its URL"));
    free(err);

    cpt_delete_ok(e, "aws_sqs_queue", s2);
    assert_null(cpt_read_ok(e, "aws_sqs_queue", s2));
    cpt_delete_ok(e, "aws_sqs_queue", s2); /* gone already: fine */
    cp_release(s);
    cp_release(r);
    cp_release(drift);
    cp_release(s2);
    cp_release(imp);
}

/* A FIFO queue whose name core made up (no ".fifo"): create appends it, find looks it up
 * the same way; a dead-letter queue through redrive_policy. */
static void test_queue_fifo_and_recovery(void **st)
{
    cpt_env *e = *st;
    cp_value *intent = cpt_val("{\"name\": \"cpstack-0123456789abcdef0123456789\","
                               " \"fifo_queue\": true, \"content_based_deduplication\": true}");
    cp_value *none = cpt_find_ok(e, "aws_sqs_queue", intent);
    assert_null(none);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_sqs_queue", intent, &s, &err) != 0) fail_msg("%s", err);
    assert_string_equal(cpt_str(s, "name"), "cpstack-0123456789abcdef0123456789.fifo");
    assert_true(cp_bool_val(cp_map_get(s, "fifo_queue")));
    assert_true(cp_bool_val(cp_map_get(s, "content_based_deduplication")));
    json_t *a = queue_attrs(e, cpt_str(s, "id"));
    assert_string_equal(jattr(a, "FifoQueue"), "true");
    assert_string_equal(jattr(a, "ContentBasedDeduplication"), "true");
    json_decref(a);
    cp_value *found = cpt_find_ok(e, "aws_sqs_queue", intent);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "id"), cpt_str(s, "id"));

    cp_value *dlq = cpt_create_ok(e, "aws_sqs_queue", "{\"name\": \"jobs-dlq\"}");
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"jobs\", \"redrive_policy\": "
             "\"{\\\"deadLetterTargetArn\\\":\\\"%s\\\",\\\"maxReceiveCount\\\":4}\"}",
             cpt_str(dlq, "arn"));
    cp_value *main_q = cpt_create_ok(e, "aws_sqs_queue", cfg);
    a = queue_attrs(e, cpt_str(main_q, "id"));
    assert_non_null(strstr(jattr(a, "RedrivePolicy"), cpt_str(dlq, "arn")));
    json_decref(a);
    cp_value *r = cpt_read_ok(e, "aws_sqs_queue", main_q);
    assert_true(cp_equal(r, main_q)); /* the policy text as written is kept */
    cp_value *cleared = cpt_update_ok(e, "aws_sqs_queue", main_q, "{\"name\": \"jobs\"}");
    a = queue_attrs(e, cpt_str(main_q, "id"));
    assert_null(json_object_get(a, "RedrivePolicy"));
    json_decref(a);
    assert_true(cp_is_null(cp_map_get(cleared, "redrive_policy")));

    if (cpt_emulator_only(e, "moto accepts a redrive policy naming a queue that does not exist")) {
        cp_value *bad = cpt_val("{\"name\": \"orphan\", \"redrive_policy\": "
                                "\"{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:us-east-1:"
                                "123456789012:nope\\\",\\\"maxReceiveCount\\\":4}\"}"),
                 *bs = NULL;
        assert_int_equal(cpt_create(e, "aws_sqs_queue", bad, &bs, &err), -1);
        assert_non_null(strstr(err, "InvalidAttributeValue"));
        assert_null(strchr(err, '\n'));
        free(err);
        cp_release(bad);
        cp_release(bs);
    }
    cpt_delete_ok(e, "aws_sqs_queue", s);
    cpt_delete_ok(e, "aws_sqs_queue", main_q);
    cpt_delete_ok(e, "aws_sqs_queue", dlq);
    cp_release(intent);
    cp_release(s);
    cp_release(found);
    cp_release(dlq);
    cp_release(main_q);
    cp_release(r);
    cp_release(cleared);
}

static char *validate_config(const char *type, const char *json)
{
    cp_value *v = cpt_val(json);
    char *msg = cpt_type(type)->validate_config(v);
    cp_release(v);
    return msg;
}

static void test_queue_rules(void **st)
{
    (void)st;
    assert_null(cpt_validate("aws_sqs_queue", "name", "\"jobs-1_a\""));
    assert_null(cpt_validate("aws_sqs_queue", "name", "\"jobs.fifo\""));
    assert_non_null(strstr(cpt_validate("aws_sqs_queue", "name", "\"bad.name\""), "80"));
    assert_non_null(cpt_validate("aws_sqs_queue", "visibility_timeout_seconds", "43201"));
    assert_non_null(cpt_validate("aws_sqs_queue", "message_retention_seconds", "59"));
    assert_non_null(cpt_validate("aws_sqs_queue", "max_message_size", "1023"));
    assert_non_null(cpt_validate("aws_sqs_queue", "delay_seconds", "901"));
    assert_non_null(cpt_validate("aws_sqs_queue", "receive_wait_time_seconds", "21"));
    assert_non_null(cpt_validate("aws_sqs_queue", "policy", "\"{not json\""));
    char *m = validate_config("aws_sqs_queue", "{\"name\": \"jobs\", \"fifo_queue\": true}");
    assert_non_null(strstr(m, ".fifo"));
    free(m);
    m = validate_config("aws_sqs_queue", "{\"name\": \"jobs.fifo\", \"fifo_queue\": false}");
    assert_non_null(strstr(m, "fifo_queue = true"));
    free(m);
    m = validate_config("aws_sqs_queue", "{\"content_based_deduplication\": true}");
    assert_non_null(strstr(m, "fifo_queue"));
    free(m);
    m = validate_config("aws_sqs_queue", "{\"name\": \"a\", \"name_prefix\": \"b\"}");
    assert_non_null(strstr(m, "not both"));
    free(m);
    m = validate_config("aws_sqs_queue",
                        "{\"kms_master_key_id\": \"alias/x\", \"sqs_managed_sse_enabled\": true}");
    assert_non_null(strstr(m, "not both"));
    free(m);
    assert_null(validate_config("aws_sqs_queue", "{\"name\": \"a.fifo\", \"fifo_queue\": true}"));
}

/* ---- aws_sqs_queue_policy ---------------------------------------------------------------- */

/* A queue policy letting EventBridge rule `rule` send to queue `queue` (a JSON text, malloc'd);
 * pretty: written with spaces, as a user may. */
static char *send_policy(const char *queue, const char *rule, bool pretty)
{
    json_t *doc =
        json_pack("{s:s, s:[{s:s, s:s, s:{s:s}, s:s, s:s, s:{s:{s:s}}}]}", "Version", "2012-10-17",
                  "Statement", "Sid", "events", "Effect", "Allow", "Principal", "Service",
                  "events.amazonaws.com", "Action", "sqs:SendMessage", "Resource", queue,
                  "Condition", "ArnEquals", "aws:SourceArn", rule);
    char *text = json_dumps(doc, pretty ? JSON_INDENT(2) : JSON_COMPACT);
    json_decref(doc);
    return text;
}

/* The config {queue_url, policy} as a value. */
static cp_value *policy_config(const char *url, const char *policy)
{
    json_t *cfg = json_pack("{s:s, s:s}", "queue_url", url, "policy", policy);
    char *text = json_dumps(cfg, JSON_COMPACT);
    cp_value *v = cpt_val(text);
    free(text);
    json_decref(cfg);
    return v;
}

/* The queue's Policy as GetQueueAttributes(Policy) shows it, parsed (NULL when it has none). */
static json_t *queue_policy_doc(cpt_env *e, const char *url)
{
    json_t *r =
        cpt_aws(e, "sqs", "get_queue_attributes(QueueUrl='%s', AttributeNames=['Policy'])", url);
    const char *text = json_string_value(cpt_path(r, "Attributes/Policy"));
    json_t *doc = text && *text ? json_loads(text, 0, NULL) : NULL;
    json_decref(r);
    return doc;
}

static void assert_policy_is(cpt_env *e, const char *url, const char *policy)
{
    json_t *have = queue_policy_doc(e, url), *want = json_loads(policy, 0, NULL);
    assert_non_null(have);
    assert_true(json_equal(have, want));
    json_decref(have);
    json_decref(want);
}

static void test_queue_policy_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *q = cpt_create_ok(e, "aws_sqs_queue", "{\"name\": \"jobs\"}");
    const char *url = cpt_str(q, "id"), *arn = cpt_str(q, "arn");
    const char *rule = "arn:aws:events:us-east-1:123456789012:rule/nightly";
    char *pretty = send_policy(arn, rule, true);
    cp_value *cfg = policy_config(url, pretty);
    assert_null(cpt_find_ok(e, "aws_sqs_queue_policy", cfg)); /* no policy yet: nothing found */

    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_sqs_queue_policy", cfg, &s, &err) != 0) fail_msg("%s", err);
    assert_string_equal(cpt_str(s, "id"), url);
    assert_string_equal(cpt_str(s, "queue_url"), url);
    assert_policy_is(e, url, pretty);
    /* read keeps the text as written while it means what the queue holds */
    cp_value *r = cpt_read_ok(e, "aws_sqs_queue_policy", s);
    assert_non_null(r);
    assert_true(cp_equal(r, s));
    assert_string_equal(cpt_str(r, "policy"), pretty);
    cp_value *found = cpt_find_ok(e, "aws_sqs_queue_policy", cfg);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "id"), url);
    /* the queue shows the policy (computed there), so it plans no change to it */
    cp_value *qr = cpt_read_ok(e, "aws_sqs_queue", q);
    json_t *qp = json_loads(cpt_str(qr, "policy"), 0, NULL), *want = json_loads(pretty, 0, NULL);
    assert_true(json_equal(qp, want));
    json_decref(qp);
    json_decref(want);

    /* a queue update whose config leaves policy out (computed there) keeps the policy */
    if (cpt_emulator_only(e, "moto drops a queue's policy on SetQueueAttributes without one")) {
        cp_value *qu =
            cpt_update_ok(e, "aws_sqs_queue", qr, "{\"name\": \"jobs\", \"delay_seconds\": 2}");
        json_t *qa = queue_attrs(e, url);
        assert_string_equal(jattr(qa, "DelaySeconds"), "2");
        json_decref(qa);
        assert_policy_is(e, url, pretty);
        assert_false(cp_is_null(cp_map_get(qu, "policy")));
        cp_release(qu);
    }

    /* changed behind cpstack's back: read shows the queue's policy */
    char *other = send_policy(arn, "arn:aws:events:us-east-1:123456789012:rule/other", false);
    json_t *call = json_pack("{s:s}", "Policy", other);
    char *attrs_json = json_dumps(call, JSON_COMPACT);
    assert_int_equal(
        cpt_boto(e, "sqs", "set_queue_attributes(QueueUrl='%s', Attributes=%s)", url, attrs_json),
        0);
    cp_value *drift = cpt_read_ok(e, "aws_sqs_queue_policy", s);
    assert_non_null(drift);
    assert_non_null(strstr(cpt_str(drift, "policy"), "rule/other"));
    assert_null(strstr(cpt_str(drift, "policy"), "rule/nightly"));

    /* update in place: back to the config's policy */
    cp_value *s2 = NULL;
    if (cpt_update(e, "aws_sqs_queue_policy", drift, cfg, &s2, &err) != 0) fail_msg("%s", err);
    assert_string_equal(cpt_str(s2, "id"), url);
    assert_policy_is(e, url, pretty);

    /* removed behind cpstack's back: the policy is gone */
    assert_int_equal(
        cpt_boto(e, "sqs", "set_queue_attributes(QueueUrl='%s', Attributes={'Policy': ''})", url),
        0);
    assert_null(cpt_read_ok(e, "aws_sqs_queue_policy", s2));
    char *ierr = NULL;
    cp_value *bad = NULL;
    assert_int_equal(cpt_import(e, "aws_sqs_queue_policy", url, &bad, &ierr), -1);
    assert_non_null(strstr(ierr, "no such object"));
    free(ierr);
    ierr = NULL;

    /* import by the queue URL */
    cp_value *s3 = NULL;
    if (cpt_update(e, "aws_sqs_queue_policy", s2, cfg, &s3, &err) != 0) fail_msg("%s", err);
    cp_value *imp = cpt_import_ok(e, "aws_sqs_queue_policy", url);
    cpt_assert_same(imp, s3, (const char *const[]){ "id", "queue_url", NULL });
    json_t *ip = json_loads(cpt_str(imp, "policy"), 0, NULL);
    want = json_loads(pretty, 0, NULL);
    assert_true(json_equal(ip, want));
    json_decref(ip);
    json_decref(want);
    assert_int_equal(cpt_import(e, "aws_sqs_queue_policy", "jobs", &bad, &ierr), -1);
    assert_non_null(strstr(ierr, "queue's URL"));
    assert_null(strchr(ierr, '\n'));
    free(ierr);

    /* delete: the queue keeps no policy, and the queue itself stays */
    cpt_delete_ok(e, "aws_sqs_queue_policy", s3);
    assert_null(queue_policy_doc(e, url));
    assert_null(cpt_read_ok(e, "aws_sqs_queue_policy", s3));
    cpt_delete_ok(e, "aws_sqs_queue_policy", s3); /* no policy: fine */
    cp_value *qr2 = cpt_read_ok(e, "aws_sqs_queue", q);
    assert_non_null(qr2);
    assert_true(cp_is_null(cp_map_get(qr2, "policy")));

    /* the queue gone: read finds no policy, delete is fine, create says what is missing */
    cpt_delete_ok(e, "aws_sqs_queue", q);
    assert_null(cpt_read_ok(e, "aws_sqs_queue_policy", s3));
    cpt_delete_ok(e, "aws_sqs_queue_policy", s3);
    cp_value *none = NULL;
    assert_int_equal(cpt_create(e, "aws_sqs_queue_policy", cfg, &none, &err), -1);
    assert_non_null(strstr(err, "no SQS queue at"));
    assert_null(strchr(err, '\n'));
    free(err);

    free(pretty);
    free(other);
    free(attrs_json);
    json_decref(call);
    cp_release(q);
    cp_release(cfg);
    cp_release(s);
    cp_release(r);
    cp_release(found);
    cp_release(qr);
    cp_release(drift);
    cp_release(s2);
    cp_release(s3);
    cp_release(imp);
    cp_release(qr2);
    cp_release(bad);
    cp_release(none);
}

/* Bad input: at plan (validate) and, for a document that is JSON but no policy, from SQS at
 * apply as one line. */
static void test_queue_policy_rules(void **st)
{
    cpt_env *e = *st;
    assert_null(cpt_validate("aws_sqs_queue_policy", "queue_url",
                             "\"https://sqs.us-east-1.amazonaws.com/123456789012/jobs\""));
    assert_non_null(strstr(cpt_validate("aws_sqs_queue_policy", "queue_url", "\"jobs\""), "URL"));
    assert_non_null(cpt_validate("aws_sqs_queue_policy", "queue_url",
                                 "\"arn:aws:sqs:us-east-1:123456789012:jobs\""));
    assert_null(cpt_validate("aws_sqs_queue_policy", "policy", "\"{\\\"Statement\\\": []}\""));
    assert_non_null(
        strstr(cpt_validate("aws_sqs_queue_policy", "policy", "\"{not json\""), "JSON"));
    const cp_resource_type *t = cpt_type("aws_sqs_queue_policy");
    for (const cp_schema_attr *a = t->attrs; a->name; a++)
        if (!strcmp(a->name, "policy"))
            assert_true(a->flags & CP_JSON);
        else if (!strcmp(a->name, "queue_url"))
            assert_true(a->flags & CP_FORCE_NEW);

    cp_value *q = cpt_create_ok(e, "aws_sqs_queue", "{\"name\": \"inbox\"}");
    if (cpt_emulator_only(e, "moto accepts a queue policy with no Statement")) {
        cp_value *cfg = policy_config(cpt_str(q, "id"), "{\"Version\": \"2012-10-17\"}"), *s = NULL;
        char *err = NULL;
        assert_int_equal(cpt_create(e, "aws_sqs_queue_policy", cfg, &s, &err), -1);
        assert_non_null(strstr(err, "InvalidAttributeValue"));
        assert_null(strchr(err, '\n'));
        assert_null(queue_policy_doc(e, cpt_str(q, "id")));
        free(err);
        cp_release(cfg);
        cp_release(s);
    }
    cpt_delete_ok(e, "aws_sqs_queue", q);
    cp_release(q);
}

/* ---- aws_ssm_parameter ------------------------------------------------------------------- */

static json_t *param_get(cpt_env *e, const char *name, bool decrypt)
{
    json_t *r = cpt_aws(e, "ssm", "get_parameter(Name='%s', WithDecryption=%s)", name,
                        decrypt ? "True" : "False");
    json_t *p = json_incref(json_object_get(r, "Parameter"));
    json_decref(r);
    return p;
}

static void test_parameter_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_ssm_parameter",
                                "{\"name\": \"/app/db/password\", \"type\": \"SecureString\","
                                " \"value\": \"hunter2\", \"description\": \"db\","
                                " \"tier\": \"Standard\", \"tags\": {\"app\": \"db\"}}");
    assert_string_equal(cpt_str(s, "id"), "/app/db/password");
    assert_string_equal(cpt_str(s, "arn"),
                        "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password");
    assert_int_equal((int)cp_number_val(cp_map_get(s, "version")), 1);
    assert_true(cp_is_sensitive(cp_map_get(s, "value")));
    assert_string_equal(cpt_str(s, "value"), "hunter2");
    assert_string_equal(cpt_str(s, "key_id"), "alias/aws/ssm");
    json_t *p = param_get(e, "/app/db/password", true);
    assert_string_equal(json_string_value(json_object_get(p, "Value")), "hunter2");
    json_decref(p);
    p = param_get(e, "/app/db/password", false);
    assert_string_not_equal(json_string_value(json_object_get(p, "Value")), "hunter2");
    json_decref(p);
    cp_value *r = cpt_read_ok(e, "aws_ssm_parameter", s);
    assert_true(cp_equal(r, s));

    /* changed behind cpstack's back: read shows the new value and version */
    assert_int_equal(cpt_boto(e, "ssm",
                              "put_parameter(Name='/app/db/password', Value='changed', "
                              "Type='SecureString', Overwrite=True)"),
                     0);
    cp_value *drift = cpt_read_ok(e, "aws_ssm_parameter", s);
    assert_string_equal(cpt_str(drift, "value"), "changed");
    assert_int_equal((int)cp_number_val(cp_map_get(drift, "version")), 2);

    cp_value *s2 = cpt_update_ok(e, "aws_ssm_parameter", drift,
                                 "{\"name\": \"/app/db/password\", \"type\": \"SecureString\","
                                 " \"value\": \"hunter3\", \"description\": \"the db\","
                                 " \"tier\": \"Standard\", \"tags\": {\"env\": \"x\"}}");
    assert_int_equal((int)cp_number_val(cp_map_get(s2, "version")), 3);
    assert_string_equal(cpt_str(s2, "description"), "the db");
    p = param_get(e, "/app/db/password", true);
    assert_string_equal(json_string_value(json_object_get(p, "Value")), "hunter3");
    json_decref(p);
    json_t *t = cpt_aws(e, "ssm",
                        "list_tags_for_resource(ResourceType='Parameter', "
                        "ResourceId='/app/db/password')");
    json_t *tm = cpt_tag_map(json_object_get(t, "TagList"));
    assert_null(json_object_get(tm, "app"));
    assert_string_equal(json_string_value(json_object_get(tm, "env")), "x");
    json_decref(tm);
    json_decref(t);

    /* tags only: no new version */
    cp_value *s3 = cpt_update_ok(e, "aws_ssm_parameter", s2,
                                 "{\"name\": \"/app/db/password\", \"type\": \"SecureString\","
                                 " \"value\": \"hunter3\", \"description\": \"the db\","
                                 " \"tier\": \"Standard\"}");
    assert_int_equal((int)cp_number_val(cp_map_get(s3, "version")), 3);

    cp_value *imp = cpt_import_ok(e, "aws_ssm_parameter", "/app/db/password");
    cpt_assert_same(imp, s3,
                    (const char *const[]){ "id", "name", "type", "value", "arn", "version",
                                           "description", "tier", "key_id", NULL });
    cpt_delete_ok(e, "aws_ssm_parameter", s3);
    assert_null(cpt_read_ok(e, "aws_ssm_parameter", s3));
    cpt_delete_ok(e, "aws_ssm_parameter", s3);
    cp_release(s);
    cp_release(r);
    cp_release(drift);
    cp_release(s2);
    cp_release(s3);
    cp_release(imp);
}

static void test_parameter_exists_find_and_data(void **st)
{
    cpt_env *e = *st;
    cp_value *intent = cpt_val("{\"name\": \"app-hosts\", \"type\": \"StringList\","
                               " \"value\": \"a,b\", \"tier\": \"Standard\"}");
    assert_null(cpt_find_ok(e, "aws_ssm_parameter", intent));
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_ssm_parameter", intent, &s, &err) != 0) fail_msg("%s", err);
    cp_value *found = cpt_find_ok(e, "aws_ssm_parameter", intent);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "value"), "a,b");

    /* a second create of the name: AWS's ParameterAlreadyExists, one line; overwrite takes it */
    cp_value *dup = NULL;
    assert_int_equal(cpt_create(e, "aws_ssm_parameter", intent, &dup, &err), -1);
    assert_non_null(strstr(err, "ParameterAlreadyExists"));
    assert_null(strchr(err, '\n'));
    free(err);
    cp_release(dup);
    cp_value *over = cpt_create_ok(e, "aws_ssm_parameter",
                                   "{\"name\": \"app-hosts\", \"type\": \"StringList\","
                                   " \"value\": \"c\", \"overwrite\": true,"
                                   " \"tags\": {\"k\": \"v\"}}");
    assert_int_equal((int)cp_number_val(cp_map_get(over, "version")), 2);
    assert_string_equal(cpt_str(cp_map_get(over, "tags"), "k"), "v");

    /* the data source */
    char addr[] = "data.aws_ssm_parameter.test";
    cp_provider_call c = { .client = cpt_client(e), .address = addr };
    cp_value *cfg = cpt_val("{\"name\": \"app-hosts\", \"with_decryption\": true}"), *d = NULL;
    const cp_resource_type *dt = NULL;
    const cp_resource_type *const *types = cp_provider_aws.types;
    for (size_t i = 0; types[i]; i++)
        if (types[i]->is_data && !strcmp(types[i]->name, "aws_ssm_parameter")) dt = types[i];
    assert_non_null(dt);
    assert_int_equal(dt->read_data(&c, cfg, &d), 0);
    assert_string_equal(cpt_str(d, "value"), "c");
    assert_true(cp_is_sensitive(cp_map_get(d, "value")));
    assert_string_equal(cpt_str(d, "type"), "StringList");
    assert_int_equal((int)cp_number_val(cp_map_get(d, "version")), 2);
    assert_string_equal(cpt_str(d, "arn"),
                        "arn:aws:ssm:us-east-1:123456789012:parameter/app-hosts");
    cp_release(cfg);
    cp_release(d);
    d = NULL;
    cfg = cpt_val("{\"name\": \"/nope\"}");
    assert_int_equal(dt->read_data(&c, cfg, &d), -1);
    assert_non_null(strstr(c.error, "no SSM parameter named \"/nope\""));
    free(c.error);
    cp_release(cfg);
    cpt_delete_ok(e, "aws_ssm_parameter", over);
    cp_release(intent);
    cp_release(s);
    cp_release(found);
    cp_release(over);
}

/* Refresh of many parameters: GetParameters (10 names a call, decrypted), one
 * DescribeParameters for their description, tier and key, one Tagging API call, and
 * ListTagsForResource only for the parameter whose tags changed behind cpstack's back.
 * One deleted behind its back and one never made are gone (InvalidParameters): 5 requests
 * for 13 parameters. Each result equals read()'s (cpt_read_batch_ok); runs on moto too
 * (results only: moto has no call counters). */
static void test_parameter_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 12 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[300];
        snprintf(cfg, sizeof cfg,
                 "{\"name\": \"/batch/p%d\", \"type\": \"%s\", \"value\": \"v%d\","
                 " \"description\": \"d%d\", \"tier\": \"%s\"%s}",
                 i, i % 3 ? "String" : "SecureString", i, i, i == 7 ? "Advanced" : "Standard",
                 i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}");
        made[i] = cpt_create_ok(e, "aws_ssm_parameter", cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"/batch/never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "ssm", "delete_parameter(Name='/batch/p3')"), 0);
    assert_int_equal(cpt_boto(e, "ssm",
                              "put_parameter(Name='/batch/p5', Value='new', Type='String', "
                              "Description='changed', Overwrite=True)"),
                     0);
    assert_int_equal(cpt_boto(e, "ssm",
                              "add_tags_to_resource(ResourceType='Parameter', "
                              "ResourceId='/batch/p4', Tags=[{'Key': 'n', 'Value': 'x'}])"),
                     0);
    long calls = cpt_read_batch_ok(e, "aws_ssm_parameter", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(out[0], "value"), "v0");
    assert_true(cp_is_sensitive(cp_map_get(out[0], "value")));
    assert_string_equal(cpt_str(out[0], "type"), "SecureString");
    assert_string_equal(cpt_str(out[0], "key_id"), "alias/aws/ssm");
    assert_string_equal(cpt_str(out[5], "value"), "new");
    assert_string_equal(cpt_str(out[5], "description"), "changed");
    assert_int_equal((int)cp_number_val(cp_map_get(out[5], "version")), 2);
    assert_string_equal(cpt_str(out[7], "tier"), "Advanced");
    assert_string_equal(cpt_str(out[11], "description"), "d11");
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_string_equal(cpt_str(cp_map_get(out[10], "tags"), "n"), "even");
    if (calls >= 0) {
        assert_int_equal(calls, 5);
        /* read() checking the batch calls GetParameter, not GetParameters */
        assert_int_equal(cpt_calls_of(e, "ssm:GetParameters"), 2);
    }
    if (!cpt_on_moto()) { /* no permission for GetParameters: read() of each, as before */
        for (int i = 0; i <= N; i++) cp_release(out[i]);
        json_decref(cpt_admin(e, "POST", "faults",
                              "{\"next\": [{\"kind\": \"error\", \"operation\": "
                              "\"ssm:GetParameters\", \"code\": \"AccessDeniedException\", "
                              "\"status\": 400}]}"));
        calls = cpt_read_batch_ok(e, "aws_ssm_parameter", states, N + 1, out);
        assert_int_equal(calls,
                         1 + 3 * (N - 1) + 2); /* GetParameters refused; 11 found: GetParameter,
                                                  DescribeParameters, ListTagsForResource; 2 gone */
        assert_string_equal(cpt_str(out[5], "description"), "changed");
    }
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_ssm_parameter", made[i]);
        cp_release(made[i]);
    }
}

static void test_parameter_rules(void **st)
{
    (void)st;
    assert_null(cpt_validate("aws_ssm_parameter", "name", "\"/app/db/host\""));
    assert_null(cpt_validate("aws_ssm_parameter", "name", "\"plain_name.1\""));
    assert_non_null(strstr(cpt_validate("aws_ssm_parameter", "name", "\"/aws/x\""), "reserve"));
    assert_non_null(strstr(cpt_validate("aws_ssm_parameter", "name", "\"SSMx\""), "reserve"));
    assert_non_null(
        strstr(cpt_validate("aws_ssm_parameter", "name", "\"app/x\""), "starts with /"));
    assert_non_null(cpt_validate("aws_ssm_parameter", "name", "\"bad name\""));
    assert_non_null(cpt_validate("aws_ssm_parameter", "type", "\"Secure\""));
    assert_non_null(cpt_validate("aws_ssm_parameter", "tier", "\"Premium\""));
    char *m = validate_config("aws_ssm_parameter",
                              "{\"type\": \"String\", \"key_id\": \"alias/x\", \"value\": \"v\"}");
    assert_non_null(strstr(m, "SecureString"));
    free(m);
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    cp_value *cfg =
        cpt_valf("{\"type\": \"String\", \"tier\": \"Standard\", \"value\": \"%s\"}", big);
    m = cpt_type("aws_ssm_parameter")->validate_config(cfg);
    assert_non_null(strstr(m, "at most 4096"));
    free(m);
    cp_release(cfg);
    cfg = cpt_valf("{\"type\": \"String\", \"tier\": \"Advanced\", \"value\": \"%s\"}", big);
    assert_null(cpt_type("aws_ssm_parameter")->validate_config(cfg));
    cp_release(cfg);
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
        cmocka_unit_test_setup(test_queue_lifecycle, reset),
        cmocka_unit_test_setup(test_queue_fifo_and_recovery, reset),
        cmocka_unit_test(test_queue_rules),
        cmocka_unit_test_setup(test_queue_policy_lifecycle, reset),
        cmocka_unit_test_setup(test_queue_policy_rules, reset),
        cmocka_unit_test_setup(test_parameter_lifecycle, reset),
        cmocka_unit_test_setup(test_parameter_exists_find_and_data, reset),
        cmocka_unit_test_setup(test_parameter_read_batch, reset),
        cmocka_unit_test(test_parameter_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
