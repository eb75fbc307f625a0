/*
 * test_logs.c: aws_cloudwatch_log_group (src/providers/aws/logs_log_group.c)
 * against the emulator: retention set, changed and removed, tags, deletion
 * behind cpstack's back, import, and the retention rule at validate time.
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

/* The log group as DescribeLogGroups shows it, with its tags (from
 * ListTagsLogGroup) under "_tags"; NULL when it does not exist. */
static json_t *group_dump(cpt_env *e, const char *name)
{
    json_t *r = cpt_aws(e, "logs", "describe_log_groups(logGroupNamePrefix='%s')", name);
    json_t *g = json_incref(cpt_find(json_object_get(r, "logGroups"), "logGroupName", name));
    json_decref(r);
    if (!g) return NULL;
    json_t *t = cpt_aws(e, "logs", "list_tags_log_group(logGroupName='%s')", name);
    json_object_set(g, "_tags", json_object_get(t, "tags"));
    json_decref(t);
    return g;
}

static void test_log_group_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(
        e, "aws_cloudwatch_log_group",
        "{\"name\": \"/ecs/web\", \"retention_in_days\": 14, \"tags\": {\"app\": \"web\"}}");
    assert_string_equal(cpt_str(s, "id"), "/ecs/web");
    assert_string_equal(cpt_str(s, "arn"),
                        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web");
    json_t *g = group_dump(e, "/ecs/web");
    assert_non_null(g);
    assert_int_equal(json_integer_value(json_object_get(g, "retentionInDays")), 14);
    assert_string_equal(json_string_value(cpt_path(g, "_tags/app")), "web");
    json_decref(g);
    cp_value *r = cpt_read_ok(e, "aws_cloudwatch_log_group", s);
    assert_true(cp_equal(r, s));

    cp_value *s2 = cpt_update_ok(
        e, "aws_cloudwatch_log_group", s,
        "{\"name\": \"/ecs/web\", \"retention_in_days\": 30, \"tags\": {\"env\": \"x\"}}");
    g = group_dump(e, "/ecs/web");
    assert_int_equal(json_integer_value(json_object_get(g, "retentionInDays")), 30);
    assert_null(cpt_path(g, "_tags/app"));
    assert_string_equal(json_string_value(cpt_path(g, "_tags/env")), "x");
    json_decref(g);
    cp_value *s3 = cpt_update_ok(e, "aws_cloudwatch_log_group", s2,
                                 "{\"name\": \"/ecs/web\", \"retention_in_days\": 0}");
    g = group_dump(e, "/ecs/web");
    assert_null(json_object_get(g, "retentionInDays"));
    json_decref(g);
    assert_int_equal((int)cp_number_val(cp_map_get(s3, "retention_in_days")), 0);
    assert_true(cp_is_null(cp_map_get(s3, "tags")));

    cp_value *imp = cpt_import_ok(e, "aws_cloudwatch_log_group", "/ecs/web");
    cpt_assert_same(imp, s3,
                    (const char *const[]){ "id", "name", "arn", "retention_in_days", NULL });
    cpt_delete_ok(e, "aws_cloudwatch_log_group", s3);
    assert_null(group_dump(e, "/ecs/web"));
    assert_null(cpt_read_ok(e, "aws_cloudwatch_log_group", s3));
    cpt_delete_ok(e, "aws_cloudwatch_log_group", s3);
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(s3);
    cp_release(imp);
}

static void test_log_group_gone_and_errors(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_cloudwatch_log_group", "{\"name\": \"/ecs/web-2\"}");
    cp_value *other = cpt_create_ok(e, "aws_cloudwatch_log_group", "{\"name\": \"/ecs/web\"}");
    assert_int_equal(cpt_boto(e, "logs", "delete_log_group(logGroupName='/ecs/web')"), 0);
    assert_null(cpt_read_ok(e, "aws_cloudwatch_log_group", other)); /* a prefix match is not it */
    cp_value *r = cpt_read_ok(e, "aws_cloudwatch_log_group", s);
    assert_non_null(r);

    cp_value *dup = cpt_val("{\"name\": \"/ecs/web-2\"}"), *s2 = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_cloudwatch_log_group", dup, &s2, &err), -1);
    assert_non_null(strstr(err, "ResourceAlreadyExistsException"));
    assert_null(strchr(err, '\n'));
    free(err);

    assert_null(cpt_validate("aws_cloudwatch_log_group", "retention_in_days", "365"));
    assert_non_null(strstr(cpt_validate("aws_cloudwatch_log_group", "retention_in_days", "10"),
                           "1, 3, 5, 7, 14"));
    assert_non_null(
        strstr(cpt_validate("aws_cloudwatch_log_group", "name", "\"bad name\""), "512"));
    cp_release(s);
    cp_release(other);
    cp_release(r);
    cp_release(dup);
    cp_release(s2);
}

/* Refresh of many log groups: DescribeLogGroups by their common prefix and one Tagging
 * API call; ListTagsForResource only for the group whose tags changed behind cpstack's
 * back, DescribeLogGroups again for each group gone. 5 requests for 11 groups. Runs on
 * moto too (results only: moto has no call counters). */
static void test_log_group_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 10 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[200];
        snprintf(cfg, sizeof cfg, "{\"name\": \"/batch/g%d\", \"retention_in_days\": 7%s}", i,
                 i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}");
        made[i] = cpt_create_ok(e, "aws_cloudwatch_log_group", cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"/batch/never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "logs", "delete_log_group(logGroupName='/batch/g3')"), 0);
    assert_int_equal(
        cpt_boto(e, "logs", "put_retention_policy(logGroupName='/batch/g5', retentionInDays=30)"),
        0);
    assert_int_equal(
        cpt_boto(e, "logs", "tag_log_group(logGroupName='/batch/g4', tags={'n': 'x'})"), 0);
    long calls = cpt_read_batch_ok(e, "aws_cloudwatch_log_group", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_string_equal(cpt_str(cp_map_get(out[0], "tags"), "n"), "even");
    assert_int_equal((int)cp_number_val(cp_map_get(out[5], "retention_in_days")), 30);
    if (calls >= 0) assert_int_equal(calls, 5);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_cloudwatch_log_group", made[i]);
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
        cmocka_unit_test_setup(test_log_group_lifecycle, reset),
        cmocka_unit_test_setup(test_log_group_gone_and_errors, reset),
        cmocka_unit_test_setup(test_log_group_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
