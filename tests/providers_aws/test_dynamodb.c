/*
 * test_dynamodb.c: aws_dynamodb_table (src/providers/aws/dynamodb_table.c)
 * on both endpoints: create (waiting ACTIVE) with keys, capacity, TTL,
 * point-in-time recovery and tags; read after a change behind cpstack's
 * back; update in place (capacity, billing mode, TTL, PITR, stream, tags,
 * deletion protection); what forces a new table; delete (waiting until
 * gone); import; a second table of the same name; the plan-time rules.
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
#include "providers/provider.h"

#define T "aws_dynamodb_table"

static const char *KEYS =
    "\"hash_key\": \"pk\", \"range_key\": \"sk\","
    " \"attribute\": [{\"name\": \"pk\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"N\"}]";

static json_t *describe(cpt_env *e, const char *name)
{
    json_t *d = cpt_aws(e, "dynamodb", "describe_table(TableName='%s')", name);
    json_t *t = json_incref(json_object_get(d, "Table"));
    json_decref(d);
    return t;
}

static long long jint(json_t *o, const char *path) { return json_integer_value(cpt_path(o, path)); }

static void test_table_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *cfg = cpt_valf("{\"name\": \"orders\", \"billing_mode\": \"PROVISIONED\","
                             " \"read_capacity\": 5, \"write_capacity\": 5, %s,"
                             " \"ttl\": [{\"attribute_name\": \"expires\", \"enabled\": true}],"
                             " \"point_in_time_recovery\": [{\"enabled\": true}],"
                             " \"tags\": {\"app\": \"shop\"}}",
                             KEYS);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, T, cfg, &s, &err) != 0) fail_msg("create: %s", err);
    assert_string_equal(cpt_str(s, "id"), "orders");
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:dynamodb:us-east-1:123456789012:table/orders");
    json_t *t = describe(e, "orders");
    assert_string_equal(json_string_value(json_object_get(t, "TableStatus")), "ACTIVE");
    assert_int_equal(jint(t, "ProvisionedThroughput/ReadCapacityUnits"), 5);
    assert_int_equal(json_array_size(json_object_get(t, "KeySchema")), 2);
    json_decref(t);
    json_t *ttl = cpt_aws(e, "dynamodb", "describe_time_to_live(TableName='orders')");
    assert_string_equal(json_string_value(cpt_path(ttl, "TimeToLiveDescription/AttributeName")),
                        "expires");
    json_decref(ttl);
    json_t *pitr = cpt_aws(e, "dynamodb", "describe_continuous_backups(TableName='orders')");
    assert_string_equal(json_string_value(cpt_path(
                            pitr, "ContinuousBackupsDescription/PointInTimeRecoveryDescription/"
                                  "PointInTimeRecoveryStatus")),
                        "ENABLED");
    json_decref(pitr);
    cp_value *r = cpt_read_ok(e, T, s);
    assert_true(cp_equal(r, s));
    assert_int_equal(cp_len(cp_map_get(s, "attribute")), 2);
    assert_true(cp_get_bool(cp_get_block(s, "ttl"), "enabled", false));

    /* behind cpstack's back: the capacity and a tag */
    assert_int_equal(cpt_boto(e, "dynamodb",
                              "update_table(TableName='orders', ProvisionedThroughput="
                              "{'ReadCapacityUnits': 7, 'WriteCapacityUnits': 7})"),
                     0);
    assert_int_equal(cpt_boto(e, "dynamodb",
                              "tag_resource(ResourceArn='%s', Tags=[{'Key': 'x', 'Value': 'y'}])",
                              cpt_str(s, "arn")),
                     0);
    cp_value *drift = cpt_read_ok(e, T, s);
    assert_int_equal((int)cp_get_num(drift, "read_capacity", 0), 7);
    assert_string_equal(cpt_str(cp_map_get(drift, "tags"), "x"), "y");

    /* in place: capacity, TTL and PITR off, other tags; the ARN stays */
    cp_value *cfg2 = cpt_valf("{\"name\": \"orders\", \"billing_mode\": \"PROVISIONED\","
                              " \"read_capacity\": 10, \"write_capacity\": 4, %s,"
                              " \"ttl\": [{\"attribute_name\": \"expires\", \"enabled\": false}],"
                              " \"point_in_time_recovery\": [{\"enabled\": false}],"
                              " \"tags\": {\"env\": \"prod\"}}",
                              KEYS);
    cp_value *s2 = NULL;
    if (cpt_update(e, T, drift, cfg2, &s2, &err) != 0) fail_msg("update: %s", err);
    assert_string_equal(cpt_str(s2, "arn"), cpt_str(s, "arn"));
    t = describe(e, "orders");
    assert_int_equal(jint(t, "ProvisionedThroughput/ReadCapacityUnits"), 10);
    assert_int_equal(jint(t, "ProvisionedThroughput/WriteCapacityUnits"), 4);
    assert_string_equal(json_string_value(json_object_get(t, "TableStatus")), "ACTIVE");
    json_decref(t);
    ttl = cpt_aws(e, "dynamodb", "describe_time_to_live(TableName='orders')");
    assert_string_equal(json_string_value(cpt_path(ttl, "TimeToLiveDescription/TimeToLiveStatus")),
                        "DISABLED");
    json_decref(ttl);
    assert_false(cp_get_bool(cp_get_block(s2, "point_in_time_recovery"), "enabled", true));
    json_t *tags =
        cpt_aws(e, "dynamodb", "list_tags_of_resource(ResourceArn='%s')", cpt_str(s, "arn"));
    json_t *tm = cpt_tag_map(json_object_get(tags, "Tags"));
    assert_null(json_object_get(tm, "app"));
    assert_null(json_object_get(tm, "x"));
    assert_string_equal(json_string_value(json_object_get(tm, "env")), "prod");
    json_decref(tm);
    json_decref(tags);

    /* import by name gives what the update left */
    cp_value *imp = cpt_import_ok(e, T, "orders");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "arn", "name", "billing_mode", "read_capacity",
                                           "write_capacity", "hash_key", "range_key", "attribute",
                                           "table_class", NULL });

    /* a second table of the same name: AWS's ResourceInUseException, one line */
    cp_value *dup = NULL;
    char *derr = NULL;
    assert_int_equal(cpt_create(e, T, cfg, &dup, &derr), -1);
    assert_non_null(strstr(derr, "ResourceInUseException"));
    assert_non_null(strstr(derr, T));
    assert_null(strchr(derr, '\n'));
    free(derr);
    cp_release(dup);

    /* delete waits until the table is gone */
    cpt_delete_ok(e, T, s2);
    json_t *d = cpt_aws(e, "dynamodb", "describe_table(TableName='orders')");
    assert_string_equal(cpt_aws_error(d), "ResourceNotFoundException");
    json_decref(d);
    assert_null(cpt_read_ok(e, T, s2));
    cp_release(cfg);
    cp_release(cfg2);
    cp_release(s);
    cp_release(r);
    cp_release(drift);
    cp_release(s2);
    cp_release(imp);
}

static void test_on_demand_stream_protection(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, T,
                                "{\"name\": \"events\", \"billing_mode\": \"PAY_PER_REQUEST\","
                                " \"hash_key\": \"id\", \"attribute\": [{\"name\": \"id\","
                                " \"type\": \"S\"}], \"stream_enabled\": true,"
                                " \"stream_view_type\": \"NEW_IMAGE\"}");
    assert_string_equal(cpt_str(s, "billing_mode"), "PAY_PER_REQUEST");
    assert_true(cp_get_bool(s, "stream_enabled", false));
    assert_string_equal(cpt_str(s, "stream_view_type"), "NEW_IMAGE");
    assert_non_null(strstr(cpt_str(s, "stream_arn"), "table/events/stream/"));
    assert_true(cpt_str(s, "stream_label")[0] != '\0');
    assert_int_equal(cp_len(cp_map_get(s, "ttl")), 0);

    /* to provisioned capacity, another stream view (a new stream: off, then on again),
     * deletion protection on */
    bool view = cpt_emulator_only(e, "moto refuses to enable a stream on a table that had one");
    cp_value *s2 = cpt_update_ok(e, T, s,
                                 view ? "{\"name\": \"events\", \"billing_mode\": \"PROVISIONED\","
                                        " \"read_capacity\": 2, \"write_capacity\": 3,"
                                        " \"hash_key\": \"id\", \"attribute\": [{\"name\": \"id\","
                                        " \"type\": \"S\"}], \"stream_enabled\": true,"
                                        " \"stream_view_type\": \"KEYS_ONLY\","
                                        " \"deletion_protection_enabled\": true}"
                                      : "{\"name\": \"events\", \"billing_mode\": \"PROVISIONED\","
                                        " \"read_capacity\": 2, \"write_capacity\": 3,"
                                        " \"hash_key\": \"id\", \"attribute\": [{\"name\": \"id\","
                                        " \"type\": \"S\"}], \"stream_enabled\": true,"
                                        " \"stream_view_type\": \"NEW_IMAGE\","
                                        " \"deletion_protection_enabled\": true}");
    json_t *t = describe(e, "events");
    assert_string_equal(json_string_value(cpt_path(t, "BillingModeSummary/BillingMode")),
                        "PROVISIONED");
    assert_string_equal(json_string_value(cpt_path(t, "StreamSpecification/StreamViewType")),
                        view ? "KEYS_ONLY" : "NEW_IMAGE");
    json_decref(t);
    assert_int_equal((int)cp_get_num(s2, "write_capacity", 0), 3);
    /* read back by cpstack (the tests' boto3, botocore 1.29, does not parse the member) */
    assert_true(cp_get_bool(s2, "deletion_protection_enabled", false));

    /* a protected table is not deleted: one line naming the resource */
    char *err = NULL;
    assert_int_equal(cpt_delete(e, T, s2, &err), -1);
    assert_non_null(strstr(err, T));
    assert_null(strchr(err, '\n'));
    free(err);
    cp_value *s3 = cpt_update_ok(e, T, s2,
                                 "{\"name\": \"events\", \"billing_mode\": \"PROVISIONED\","
                                 " \"read_capacity\": 2, \"write_capacity\": 3,"
                                 " \"hash_key\": \"id\", \"attribute\": [{\"name\": \"id\","
                                 " \"type\": \"S\"}], \"stream_enabled\": false}");
    assert_false(cp_get_bool(s3, "stream_enabled", true));
    /* changed behind cpstack's back just before the delete (still UPDATING on the emulator):
     * the delete waits for ACTIVE rather than failing with ResourceInUseException */
    assert_int_equal(
        cpt_boto(e, "dynamodb", "update_table(TableName='events', BillingMode='PAY_PER_REQUEST')"),
        0);
    cpt_delete_ok(e, T, s3);
    assert_null(cpt_read_ok(e, T, s3));
    cp_release(s);
    cp_release(s2);
    cp_release(s3);
}

static char *rule(const char *json)
{
    cp_value *c = cpt_val(json);
    char *m = cpt_type(T)->validate_config(c);
    cp_release(c);
    return m;
}

static void test_rules_and_replacement(void **st)
{
    cpt_env *e = *st;
    /* what forces a new table */
    const char *force[] = { "name", "hash_key", "range_key", "attribute" };
    for (size_t i = 0; i < 4; i++)
        assert_true(cp_schema_find(cpt_type(T)->attrs, force[i])->flags & CP_FORCE_NEW);
    const char *inplace[] = { "billing_mode",
                              "read_capacity",
                              "ttl",
                              "point_in_time_recovery",
                              "stream_enabled",
                              "tags",
                              "deletion_protection_enabled" };
    for (size_t i = 0; i < 7; i++)
        assert_false(cp_schema_find(cpt_type(T)->attrs, inplace[i])->flags & CP_FORCE_NEW);

    char *m = rule("{\"billing_mode\": \"PROVISIONED\", \"hash_key\": \"id\","
                   " \"attribute\": [{\"name\": \"id\", \"type\": \"S\"}]}");
    assert_non_null(strstr(m, "read_capacity and write_capacity"));
    free(m);
    m = rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"read_capacity\": 1, \"hash_key\": \"id\","
             " \"attribute\": [{\"name\": \"id\", \"type\": \"S\"}]}");
    assert_non_null(strstr(m, "only for billing_mode PROVISIONED"));
    free(m);
    m = rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\", \"range_key\": \"sk\","
             " \"attribute\": [{\"name\": \"id\", \"type\": \"S\"}]}");
    assert_non_null(strstr(m, "range_key \"sk\" is not declared"));
    free(m);
    m = rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\", \"attribute\":"
             " [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"extra\", \"type\": \"N\"}]}");
    assert_non_null(strstr(m, "attribute \"extra\" is not used"));
    free(m);
    m = rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\","
             " \"attribute\": [{\"name\": \"id\", \"type\": \"S\"}], \"stream_enabled\": true}");
    assert_non_null(strstr(m, "stream_view_type"));
    free(m);
    m = rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\","
             " \"attribute\": [{\"name\": \"id\", \"type\": \"S\"}], \"stream_enabled\": false,"
             " \"stream_view_type\": \"KEYS_ONLY\"}");
    assert_non_null(strstr(m, "only for stream_enabled = true"));
    free(m);
    assert_null(rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\","
                     " \"attribute\": [{\"name\": \"id\", \"type\": \"S\"}]}"));
    assert_non_null(cpt_validate(T, "name", "\"a b\""));
    assert_non_null(cpt_validate(T, "billing_mode", "\"ON_DEMAND\""));
    assert_non_null(cpt_validate(T, "table_class", "\"COLD\""));

    /* the endpoint's own rule, past the plan: an undeclared key attribute */
    json_t *r = cpt_aws(e, "dynamodb",
                        "create_table(TableName='bad', KeySchema=[{'AttributeName': 'id',"
                        " 'KeyType': 'HASH'}], AttributeDefinitions=[{'AttributeName': 'x',"
                        " 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')");
    assert_string_equal(cpt_aws_error(r), "ValidationException");
    json_decref(r);

    /* an interrupted create is found again by its name */
    cp_value *intent = cpt_val("{\"name\": \"found\", \"billing_mode\": \"PAY_PER_REQUEST\","
                               " \"hash_key\": \"id\", \"attribute\": [{\"name\": \"id\","
                               " \"type\": \"S\"}]}");
    cp_provider_call c = { .client = cpt_client(e), .address = T ".test" };
    cp_value *f = NULL;
    assert_int_equal(cpt_type(T)->find(&c, intent, &f), 0);
    assert_null(f);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, T, intent, &s, &err) != 0) fail_msg("%s", err);
    assert_int_equal(cpt_type(T)->find(&c, intent, &f), 0);
    assert_non_null(f);
    assert_string_equal(cpt_str(f, "id"), "found");
    free(c.error);
    cpt_delete_ok(e, T, s);
    cp_release(intent);
    cp_release(f);
    cp_release(s);
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
        cmocka_unit_test_setup(test_table_lifecycle, reset),
        cmocka_unit_test_setup(test_on_demand_stream_protection, reset),
        cmocka_unit_test_setup(test_rules_and_replacement, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
