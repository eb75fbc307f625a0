/*
 * test_dynamodb.c: aws_dynamodb_table (src/providers/aws/dynamodb_table.c)
 * on both endpoints: create (waiting ACTIVE) with keys, capacity, TTL,
 * point-in-time recovery and tags; read after a change behind cpstack's
 * back; update in place (capacity, billing mode, TTL, PITR, stream, tags,
 * deletion protection); what forces a new table; delete (waiting until
 * gone); import; a second table of the same name; the plan-time rules.
 * Secondary indexes: a table made with a global and a local index, a
 * global index added, its capacity changed, changed behind cpstack's back,
 * remade (new projection: delete then create), removed; index capacity on
 * an on-demand table and when it turns PROVISIONED; the rules on index
 * keys and attributes, at plan time and at create.
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
    const char *force[] = { "name", "hash_key", "range_key", "local_secondary_index" };
    for (size_t i = 0; i < 4; i++)
        assert_true(cp_schema_find(cpt_type(T)->attrs, force[i])->flags & CP_FORCE_NEW);
    const char *inplace[] = { "billing_mode",
                              "read_capacity",
                              "ttl",
                              "point_in_time_recovery",
                              "stream_enabled",
                              "tags",
                              "deletion_protection_enabled",
                              "attribute",
                              "global_secondary_index" };
    for (size_t i = 0; i < 9; i++)
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

/* The global index `name` as the endpoint describes it (borrowed from t), or NULL. */
static json_t *gsi(json_t *t, const char *name)
{
    return cpt_find(json_object_get(t, "GlobalSecondaryIndexes"), "IndexName", name);
}

/* The block `name` of a state's global_secondary_index, or NULL. */
static const cp_value *gsi_block(const cp_value *s, const char *name)
{
    const cp_value *l = cp_map_get(s, "global_secondary_index");
    for (size_t i = 0; l && i < cp_len(l); i++)
        if (!strcmp(cpt_str(cp_list_get(l, i), "name"), name)) return cp_list_get(l, i);
    return NULL;
}

#define IDX_ATTRS(extra)                                                                           \
    "\"attribute\": [{\"name\": \"pk\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"S\"},"    \
    " {\"name\": \"email\", \"type\": \"S\"}, {\"name\": \"at\", \"type\": \"N\"}" extra "]"
#define BY_EMAIL(proj, rc)                                                                         \
    "{\"name\": \"by_email\", \"hash_key\": \"email\", \"range_key\": \"at\", " proj               \
    ", \"read_capacity\": " rc ", \"write_capacity\": 1}"
#define INCLUDE "\"projection_type\": \"INCLUDE\", \"non_key_attributes\": [\"total\", \"state\"]"
#define BY_STATUS(rc)                                                                              \
    "{\"name\": \"by_status\", \"hash_key\": \"status\", \"projection_type\": \"ALL\","            \
    " \"read_capacity\": " rc ", \"write_capacity\": 2}"
#define LSI                                                                                        \
    "\"local_secondary_index\": [{\"name\": \"by_at\", \"range_key\": \"at\","                     \
    " \"projection_type\": \"KEYS_ONLY\"}]"
#define IDX_TABLE(attrs, gsis)                                                                     \
    "{\"name\": \"idx\", \"billing_mode\": \"PROVISIONED\", \"read_capacity\": 2,"                 \
    " \"write_capacity\": 2, \"hash_key\": \"pk\", \"range_key\": \"sk\", " attrs ", " LSI         \
    ", \"global_secondary_index\": [" gsis "]}"

static void test_secondary_indexes(void **st)
{
    cpt_env *e = *st;
    /* made with a global and a local index: both ACTIVE when create returns */
    cp_value *s = cpt_create_ok(e, T, IDX_TABLE(IDX_ATTRS(""), BY_EMAIL(INCLUDE, "1")));
    json_t *t = describe(e, "idx");
    json_t *g = gsi(t, "by_email");
    assert_non_null(g);
    assert_string_equal(json_string_value(json_object_get(g, "IndexStatus")), "ACTIVE");
    assert_string_equal(json_string_value(cpt_path(g, "Projection/ProjectionType")), "INCLUDE");
    assert_int_equal(json_array_size(cpt_path(g, "Projection/NonKeyAttributes")), 2);
    assert_int_equal(jint(g, "ProvisionedThroughput/ReadCapacityUnits"), 1);
    json_t *l = cpt_find(json_object_get(t, "LocalSecondaryIndexes"), "IndexName", "by_at");
    assert_non_null(l);
    json_t *lk = json_object_get(l, "KeySchema");
    assert_string_equal(json_string_value(cpt_path(json_array_get(lk, 0), "AttributeName")), "pk");
    assert_string_equal(json_string_value(cpt_path(json_array_get(lk, 1), "AttributeName")), "at");
    json_decref(t);
    assert_int_equal(cp_len(cp_map_get(s, "local_secondary_index")), 1);
    assert_string_equal(
        cpt_str(cp_list_get(cp_map_get(s, "local_secondary_index"), 0), "range_key"), "at");
    const cp_value *b = gsi_block(s, "by_email");
    assert_non_null(b);
    assert_string_equal(cpt_str(b, "range_key"), "at");
    assert_int_equal(cp_len(cp_map_get(b, "non_key_attributes")), 2);
    cp_value *r = cpt_read_ok(e, T, s);
    assert_true(cp_equal(r, s));
    cp_release(r);

    /* another global index, with the attribute of its key: ACTIVE when update returns */
    long calls = cpt_calls_of(e, "dynamodb:UpdateTable");
    cp_value *s2 = cpt_update_ok(e, T, s,
                                 IDX_TABLE(IDX_ATTRS(", {\"name\": \"status\", \"type\": \"S\"}"),
                                           BY_EMAIL(INCLUDE, "1") ", " BY_STATUS("1")));
    if (calls >= 0) assert_int_equal(cpt_calls_of(e, "dynamodb:UpdateTable") - calls, 1);
    t = describe(e, "idx");
    assert_int_equal(json_array_size(json_object_get(t, "GlobalSecondaryIndexes")), 2);
    assert_string_equal(json_string_value(json_object_get(gsi(t, "by_status"), "IndexStatus")),
                        "ACTIVE");
    assert_non_null(
        cpt_find(json_object_get(t, "AttributeDefinitions"), "AttributeName", "status"));
    json_decref(t);
    assert_non_null(gsi_block(s2, "by_status"));
    assert_int_equal(cp_len(cp_map_get(s2, "attribute")), 5);

    /* its capacity: an Update of that index only */
    cp_value *s3 = cpt_update_ok(e, T, s2,
                                 IDX_TABLE(IDX_ATTRS(", {\"name\": \"status\", \"type\": \"S\"}"),
                                           BY_EMAIL(INCLUDE, "1") ", " BY_STATUS("3")));
    t = describe(e, "idx");
    assert_int_equal(jint(gsi(t, "by_status"), "ProvisionedThroughput/ReadCapacityUnits"), 3);
    assert_int_equal(jint(gsi(t, "by_email"), "ProvisionedThroughput/ReadCapacityUnits"), 1);
    assert_int_equal(jint(t, "ProvisionedThroughput/ReadCapacityUnits"), 2);
    json_decref(t);
    assert_int_equal((int)cp_get_num(gsi_block(s3, "by_status"), "read_capacity", 0), 3);

    /* behind cpstack's back: the drift shows in the index's block */
    assert_int_equal(
        cpt_boto(e, "dynamodb",
                 "update_table(TableName='idx', GlobalSecondaryIndexUpdates=[{'Update':"
                 " {'IndexName': 'by_email', 'ProvisionedThroughput':"
                 " {'ReadCapacityUnits': 5, 'WriteCapacityUnits': 1}}}])"),
        0);
    cp_value *drift = cpt_read_ok(e, T, s3);
    assert_int_equal((int)cp_get_num(gsi_block(drift, "by_email"), "read_capacity", 0), 5);
    assert_int_equal((int)cp_get_num(gsi_block(drift, "by_status"), "read_capacity", 0), 3);

    /* a new projection: the index is deleted, then made again (one UpdateTable each) */
    calls = cpt_calls_of(e, "dynamodb:UpdateTable");
    cp_value *s4 = cpt_update_ok(
        e, T, drift,
        IDX_TABLE(IDX_ATTRS(", {\"name\": \"status\", \"type\": \"S\"}"),
                  BY_EMAIL("\"projection_type\": \"KEYS_ONLY\"", "1") ", " BY_STATUS("3")));
    if (calls >= 0) assert_int_equal(cpt_calls_of(e, "dynamodb:UpdateTable") - calls, 2);
    t = describe(e, "idx");
    g = gsi(t, "by_email");
    assert_string_equal(json_string_value(cpt_path(g, "Projection/ProjectionType")), "KEYS_ONLY");
    assert_null(cpt_path(g, "Projection/NonKeyAttributes"));
    assert_int_equal(jint(g, "ProvisionedThroughput/ReadCapacityUnits"), 1);
    json_decref(t);
    assert_true(cp_is_null(cp_map_get(gsi_block(s4, "by_email"), "non_key_attributes")));
    assert_string_equal(cpt_str(gsi_block(s4, "by_email"), "projection_type"), "KEYS_ONLY");

    /* removed with its attribute */
    cp_value *s5 = cpt_update_ok(
        e, T, s4, IDX_TABLE(IDX_ATTRS(""), BY_EMAIL("\"projection_type\": \"KEYS_ONLY\"", "1")));
    t = describe(e, "idx");
    assert_int_equal(json_array_size(json_object_get(t, "GlobalSecondaryIndexes")), 1);
    assert_null(gsi(t, "by_status"));
    if (cpt_emulator_only(e, "moto keeps the attribute definition of a deleted index"))
        assert_null(
            cpt_find(json_object_get(t, "AttributeDefinitions"), "AttributeName", "status"));
    json_decref(t);
    assert_null(gsi_block(s5, "by_status"));
    assert_int_equal(cp_len(cp_map_get(s5, "global_secondary_index")), 1);
    cpt_delete_ok(e, T, s5);
    cp_release(s);
    cp_release(s2);
    cp_release(s3);
    cp_release(drift);
    cp_release(s4);
    cp_release(s5);
}

#define OD_TABLE(billing)                                                                          \
    "{\"name\": \"ondemand\", " billing                                                            \
    ", \"hash_key\": \"id\", \"attribute\": [{\"name\": \"id\","                                   \
    " \"type\": \"S\"}, {\"name\": \"email\", \"type\": \"S\"}], \"global_secondary_index\":"      \
    " [{\"name\": \"by_email\", \"hash_key\": \"email\", \"projection_type\": \"ALL\","            \
    " \"read_capacity\": 4, \"write_capacity\": 3}]}"

static void test_index_on_demand(void **st)
{
    cpt_env *e = *st;
    /* on demand: the index capacity is not sent (ignored, as by Terraform) and stays as set */
    cp_value *s = cpt_create_ok(e, T, OD_TABLE("\"billing_mode\": \"PAY_PER_REQUEST\""));
    json_t *t = describe(e, "ondemand");
    assert_non_null(gsi(t, "by_email"));
    assert_int_equal(jint(gsi(t, "by_email"), "ProvisionedThroughput/ReadCapacityUnits"), 0);
    json_decref(t);
    assert_int_equal((int)cp_get_num(gsi_block(s, "by_email"), "read_capacity", 0), 4);
    cp_value *r = cpt_read_ok(e, T, s);
    assert_true(cp_equal(r, s));
    cp_release(r);

    /* to PROVISIONED: the index gets its capacity in the same UpdateTable (AWS's rule) */
    long calls = cpt_calls_of(e, "dynamodb:UpdateTable");
    cp_value *s2 = cpt_update_ok(e, T, s,
                                 OD_TABLE("\"billing_mode\": \"PROVISIONED\", \"read_capacity\": 1,"
                                          " \"write_capacity\": 1"));
    if (calls >= 0) assert_int_equal(cpt_calls_of(e, "dynamodb:UpdateTable") - calls, 1);
    t = describe(e, "ondemand");
    assert_string_equal(json_string_value(cpt_path(t, "BillingModeSummary/BillingMode")),
                        "PROVISIONED");
    assert_int_equal(jint(gsi(t, "by_email"), "ProvisionedThroughput/ReadCapacityUnits"), 4);
    assert_int_equal(jint(gsi(t, "by_email"), "ProvisionedThroughput/WriteCapacityUnits"), 3);
    json_decref(t);
    assert_int_equal((int)cp_get_num(gsi_block(s2, "by_email"), "write_capacity", 0), 3);
    cpt_delete_ok(e, T, s2);
    cp_release(s);
    cp_release(s2);
}

static void test_index_rules(void **st)
{
    cpt_env *e = *st;
    const char *base = "\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\", \"range_key\":"
                       " \"sk\"";
    struct {
        const char *rest, *want;
    } cases[] = {
        /* an index key not declared */
        { "\"attribute\": [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"S\"}],"
          " \"global_secondary_index\": [{\"name\": \"by_x\", \"hash_key\": \"x\","
          " \"projection_type\": \"ALL\"}]",
          "global_secondary_index \"by_x\": hash_key \"x\" is not declared" },
        { "\"attribute\": [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"S\"}],"
          " \"local_secondary_index\": [{\"name\": \"by_y\", \"range_key\": \"y\","
          " \"projection_type\": \"ALL\"}]",
          "local_secondary_index \"by_y\": range_key \"y\" is not declared" },
        /* an attribute no key uses */
        { "\"attribute\": [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"S\"},"
          " {\"name\": \"extra\", \"type\": \"S\"}], \"global_secondary_index\": [{\"name\":"
          " \"by_sk\", \"hash_key\": \"sk\", \"projection_type\": \"ALL\"}]",
          "attribute \"extra\" is not used by hash_key, range_key or an index" },
        /* projections */
        { "\"attribute\": [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"S\"}],"
          " \"global_secondary_index\": [{\"name\": \"by_sk\", \"hash_key\": \"sk\","
          " \"projection_type\": \"INCLUDE\"}]",
          "global_secondary_index \"by_sk\" has projection_type INCLUDE" },
        { "\"attribute\": [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"S\"}],"
          " \"global_secondary_index\": [{\"name\": \"by_sk\", \"hash_key\": \"sk\","
          " \"projection_type\": \"ALL\", \"non_key_attributes\": [\"a\"]}]",
          "non_key_attributes is only for projection_type INCLUDE" },
        /* one name for two indexes */
        { "\"attribute\": [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"sk\", \"type\": \"S\"}],"
          " \"global_secondary_index\": [{\"name\": \"same\", \"hash_key\": \"sk\","
          " \"projection_type\": \"ALL\"}], \"local_secondary_index\": [{\"name\": \"same\","
          " \"range_key\": \"sk\", \"projection_type\": \"ALL\"}]",
          "index name \"same\" is used twice" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cp_value *c = cpt_valf("{%s, %s}", base, cases[i].rest);
        char *m = cpt_type(T)->validate_config(c);
        if (!m || !strstr(m, cases[i].want))
            fail_msg("case %zu: want \"%s\", got \"%s\"", i, cases[i].want, m ? m : "(none)");
        assert_null(strchr(m, '\n'));
        free(m);
        cp_release(c);
    }
    /* capacity: required with PROVISIONED, ignored with PAY_PER_REQUEST */
    char *m =
        rule("{\"billing_mode\": \"PROVISIONED\", \"read_capacity\": 1, \"write_capacity\": 1,"
             " \"hash_key\": \"id\", \"attribute\": [{\"name\": \"id\", \"type\": \"S\"},"
             " {\"name\": \"e\", \"type\": \"S\"}], \"global_secondary_index\": [{\"name\":"
             " \"by_e\", \"hash_key\": \"e\", \"projection_type\": \"ALL\","
             " \"read_capacity\": 1}]}");
    assert_non_null(m);
    assert_non_null(strstr(m, "global_secondary_index \"by_e\" needs read_capacity and "
                              "write_capacity"));
    free(m);
    assert_null(rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\", \"attribute\":"
                     " [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"e\", \"type\": \"S\"}],"
                     " \"global_secondary_index\": [{\"name\": \"by_e\", \"hash_key\": \"e\","
                     " \"projection_type\": \"ALL\", \"read_capacity\": 1}]}"));
    /* a local index needs the table's range key */
    m = rule("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\", \"attribute\":"
             " [{\"name\": \"id\", \"type\": \"S\"}, {\"name\": \"e\", \"type\": \"S\"}],"
             " \"local_secondary_index\": [{\"name\": \"by_e\", \"range_key\": \"e\","
             " \"projection_type\": \"ALL\"}]}");
    assert_non_null(m);
    assert_non_null(strstr(m, "needs the table's range_key"));
    free(m);
    /* a key still unknown at plan time passes */
    cp_value *c = cpt_val("{\"billing_mode\": \"PAY_PER_REQUEST\", \"hash_key\": \"id\","
                          " \"attribute\": [{\"name\": \"id\", \"type\": \"S\"},"
                          " {\"name\": \"e\", \"type\": \"S\"}]}");
    cp_value *blk = cpt_val("{\"name\": \"by_e\", \"projection_type\": \"ALL\"}");
    cp_map_set_take(blk, "hash_key", cp_unknown());
    cp_value *gl = cp_list_new();
    cp_list_push_take(gl, blk);
    cp_map_set_take(c, "global_secondary_index", gl);
    assert_null(cpt_type(T)->validate_config(c));
    cp_release(c);
    const cp_schema_attr *gs = cp_schema_find(cpt_type(T)->attrs, "global_secondary_index")->block;
    cp_value *v = cpt_val("\"ab\"");
    assert_non_null(cp_schema_find(gs, "name")->validate(v));
    cp_release(v);
    v = cpt_val("\"SOME\"");
    assert_non_null(cp_schema_find(gs, "projection_type")->validate(v));
    cp_release(v);

    /* at create, before any call: one line naming the resource and the attribute */
    cp_value *bad = cpt_valf("{\"name\": \"bad\", %s, %s}", base, cases[0].rest);
    cp_value *out = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, T, bad, &out, &err), -1);
    assert_non_null(strstr(err, T));
    assert_non_null(strstr(err, "\"x\""));
    assert_null(strchr(err, '\n'));
    free(err);
    cp_release(out);
    cp_release(bad);
    json_t *d = cpt_aws(e, "dynamodb", "describe_table(TableName='bad')");
    assert_string_equal(cpt_aws_error(d), "ResourceNotFoundException");
    json_decref(d);
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
        cmocka_unit_test_setup(test_secondary_indexes, reset),
        cmocka_unit_test_setup(test_index_on_demand, reset),
        cmocka_unit_test_setup(test_index_rules, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
