/*
 * test_secrets.c: aws_secretsmanager_secret and
 * aws_secretsmanager_secret_version (src/providers/aws/secretsmanager_*.c)
 * on both endpoints: create, change behind cpstack's back, update, import,
 * delete with a recovery window or at once, a new value as a new version,
 * staging labels, and recovery of an interrupted create (by name; by the
 * ClientRequestToken = intent UUID).
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
#include "providers/provider.h"

static const char *POLICY =
    "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
    "\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::123456789012:root\\\"},\\\"Action\\\":"
    "\\\"secretsmanager:GetSecretValue\\\",\\\"Resource\\\":\\\"*\\\"}]}";

static void test_secret_lifecycle(void **st)
{
    cpt_env *e = *st;
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"prod/db\", \"description\": \"db\", \"policy\": \"%s\","
             " \"recovery_window_in_days\": 7, \"tags\": {\"app\": \"db\"}}",
             POLICY);
    cp_value *s = cpt_create_ok(e, "aws_secretsmanager_secret", cfg);
    const char *arn = cpt_str(s, "id");
    assert_non_null(strstr(arn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-"));
    assert_string_equal(cpt_str(s, "arn"), arn);
    json_t *d = cpt_aws(e, "secretsmanager", "describe_secret(SecretId='prod/db')");
    assert_string_equal(json_string_value(json_object_get(d, "Description")), "db");
    json_decref(d);
    json_t *p = cpt_aws(e, "secretsmanager", "get_resource_policy(SecretId='prod/db')");
    assert_non_null(
        strstr(json_string_value(json_object_get(p, "ResourcePolicy")), "GetSecretValue"));
    json_decref(p);
    cp_value *r = cpt_read_ok(e, "aws_secretsmanager_secret", s);
    assert_true(cp_equal(r, s));

    /* behind cpstack's back, then back to the config in place */
    assert_int_equal(
        cpt_boto(e, "secretsmanager", "update_secret(SecretId='prod/db', Description='other')"), 0);
    cp_value *drift = cpt_read_ok(e, "aws_secretsmanager_secret", s);
    assert_string_equal(cpt_str(drift, "description"), "other");
    /* moto answers UpdateSecret on a secret without a value with ResourceExistsException */
    bool desc = cpt_emulator_only(e, "moto refuses UpdateSecret of a secret that has no value");
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"prod/db\", \"description\": \"%s\","
             " \"recovery_window_in_days\": 7, \"tags\": {\"env\": \"x\"}}",
             desc ? "the db" : "other");
    cp_value *s2 = cpt_update_ok(e, "aws_secretsmanager_secret", drift, cfg);
    if (desc) {
        d = cpt_aws(e, "secretsmanager", "describe_secret(SecretId='prod/db')");
        assert_string_equal(json_string_value(json_object_get(d, "Description")), "the db");
        json_decref(d);
    }
    assert_string_equal(cpt_str(s2, "id"), arn);
    assert_true(cp_is_null(cp_map_get(s2, "policy")));
    d = cpt_aws(e, "secretsmanager", "describe_secret(SecretId='prod/db')");
    json_t *tags = cpt_tag_map(json_object_get(d, "Tags"));
    assert_null(json_object_get(tags, "app"));
    assert_string_equal(json_string_value(json_object_get(tags, "env")), "x");
    json_decref(tags);
    json_decref(d);

    cp_value *imp = cpt_import_ok(e, "aws_secretsmanager_secret", "prod/db");
    cpt_assert_same(imp, s2, (const char *const[]){ "id", "arn", "name", "description", NULL });

    /* delete with the 7-day window: scheduled, read as gone, the name still taken */
    cpt_delete_ok(e, "aws_secretsmanager_secret", s2);
    d = cpt_aws(e, "secretsmanager", "describe_secret(SecretId='prod/db')");
    assert_non_null(json_object_get(d, "DeletedDate"));
    json_decref(d);
    assert_null(cpt_read_ok(e, "aws_secretsmanager_secret", s2));
    cp_value *again = cpt_val("{\"name\": \"prod/db\"}"), *as = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_secretsmanager_secret", again, &as, &err), -1);
    /* AWS: InvalidRequestException (scheduled for deletion); moto: ResourceExistsException */
    assert_true(strstr(err, "InvalidRequestException") || strstr(err, "ResourceExistsException"));
    assert_null(strchr(err, '\n'));
    free(err);
    cp_release(again);
    cp_release(as);
    cp_release(s);
    cp_release(r);
    cp_release(drift);
    cp_release(s2);
    cp_release(imp);
}

static void test_versions_and_recovery(void **st)
{
    cpt_env *e = *st;
    /* the secret, as after an interrupted create: found by its name */
    cp_value *intent = cpt_val("{\"name\": \"cpstack-0123456789abcdef0123456789\","
                               " \"recovery_window_in_days\": 0}");
    assert_null(cpt_find_ok(e, "aws_secretsmanager_secret", intent));
    cp_value *sec = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_secretsmanager_secret", intent, &sec, &err) != 0) fail_msg("%s", err);
    cp_value *found = cpt_find_ok(e, "aws_secretsmanager_secret", intent);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "id"), cpt_str(sec, "id"));
    const char *arn = cpt_str(sec, "arn");

    /* a version made with the intent UUID as ClientRequestToken */
    const char *uuid = "5b5f8e3c-9a55-4c1e-9d0f-3c2d1b0a9f8e";
    cp_value *vi = cpt_valf("{\"secret_id\": \"%s\", \"secret_string\": \"s3cret\","
                            " \"" CP_INTENT_KEY "\": \"%s\"}",
                            arn, uuid);
    assert_null(cpt_find_ok(e, "aws_secretsmanager_secret_version", vi));
    cp_value *v1 = NULL;
    if (cpt_create(e, "aws_secretsmanager_secret_version", vi, &v1, &err) != 0) fail_msg("%s", err);
    assert_string_equal(cpt_str(v1, "version_id"), uuid);
    char want[512];
    snprintf(want, sizeof want, "%s|%s", arn, uuid);
    assert_string_equal(cpt_str(v1, "id"), want);
    assert_true(cp_is_sensitive(cp_map_get(v1, "secret_string")));
    assert_int_equal(cp_len(cp_map_get(v1, "version_stages")), 1);
    assert_string_equal(cp_string_val(cp_list_get(cp_map_get(v1, "version_stages"), 0)),
                        "AWSCURRENT");
    json_t *g = cpt_aws(e, "secretsmanager", "get_secret_value(SecretId='%s')", arn);
    assert_string_equal(json_string_value(json_object_get(g, "SecretString")), "s3cret");
    assert_string_equal(json_string_value(json_object_get(g, "VersionId")), uuid);
    json_decref(g);
    cp_value *fv = cpt_find_ok(e, "aws_secretsmanager_secret_version", vi);
    assert_non_null(fv);
    assert_string_equal(cpt_str(fv, "id"), want);
    /* the same call again (a resent request): the same version, no second one */
    cp_value *v1b = NULL;
    if (cpt_create(e, "aws_secretsmanager_secret_version", vi, &v1b, &err) != 0)
        fail_msg("%s", err);
    assert_string_equal(cpt_str(v1b, "id"), want);

    /* a second value: AWSCURRENT moves to it, the first becomes AWSPREVIOUS */
    cp_value *v2 = cpt_create_ok(e, "aws_secretsmanager_secret_version",
                                 "{\"secret_id\": \"cpstack-0123456789abcdef0123456789\","
                                 " \"secret_string\": \"n3w\"}");
    cp_value *old = cpt_read_ok(e, "aws_secretsmanager_secret_version", v1);
    assert_non_null(old);
    const cp_value *stages = cp_map_get(old, "version_stages");
    assert_int_equal(cp_len(stages), 1);
    assert_string_equal(cp_string_val(cp_list_get(stages, 0)), "AWSPREVIOUS");

    /* a staging label added in place */
    cp_value *v2b = cpt_update_ok(e, "aws_secretsmanager_secret_version", v2,
                                  "{\"secret_id\": \"cpstack-0123456789abcdef0123456789\","
                                  " \"secret_string\": \"n3w\","
                                  " \"version_stages\": [\"AWSCURRENT\", \"blue\"]}");
    assert_int_equal(cp_len(cp_map_get(v2b, "version_stages")), 2);
    cp_value *imp = cpt_import_ok(e, "aws_secretsmanager_secret_version", cpt_str(v2b, "id"));
    assert_string_equal(cpt_str(imp, "secret_string"), "n3w");
    /* delete: "blue" comes off, AWSCURRENT stays (a secret always has a current value) */
    cpt_delete_ok(e, "aws_secretsmanager_secret_version", v2b);
    cp_value *left = cpt_read_ok(e, "aws_secretsmanager_secret_version", v2b);
    assert_int_equal(cp_len(cp_map_get(left, "version_stages")), 1);

    assert_non_null(strstr(
        cpt_validate("aws_secretsmanager_secret", "recovery_window_in_days", "3"), "7 to 30"));
    assert_non_null(cpt_validate("aws_secretsmanager_secret", "name", "\"bad name\""));
    cp_value *both = cpt_val("{\"secret_id\": \"x\", \"secret_string\": \"a\","
                             " \"secret_binary\": \"YQ==\"}");
    char *m = cpt_type("aws_secretsmanager_secret_version")->validate_config(both);
    assert_non_null(strstr(m, "exactly one"));
    free(m);
    cp_release(both);

    /* recovery window 0: gone at once */
    cpt_delete_ok(e, "aws_secretsmanager_secret", sec);
    json_t *d = cpt_aws(e, "secretsmanager", "describe_secret(SecretId='%s')", arn);
    assert_string_equal(cpt_aws_error(d), "ResourceNotFoundException");
    json_decref(d);
    cp_release(intent);
    cp_release(sec);
    cp_release(found);
    cp_release(vi);
    cp_release(v1);
    cp_release(fv);
    cp_release(v1b);
    cp_release(v2);
    cp_release(old);
    cp_release(v2b);
    cp_release(imp);
    cp_release(left);
}

/* Refresh of many secrets: ListSecrets by 10 names a call (s1 also matches s10 and s11 as
 * a prefix: matched back by ARN), GetResourcePolicy for each listed secret that agrees with
 * its state, read() for the rest: s3 deleted at once and s6 scheduled for deletion behind
 * cpstack's back (gone), s4 and s5 retagged and (emulator) s7 described otherwise (read
 * again: the listing may lag), one never made (gone). Each result equals read()'s. */
static void test_secret_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 12 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[1024];
        snprintf(cfg, sizeof cfg,
                 "{\"name\": \"batch/s%d\", \"description\": \"d%d\","
                 " \"recovery_window_in_days\": 0%s%s%s%s}",
                 i, i, i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}",
                 i == 2 ? ", \"policy\": \"" : "", i == 2 ? POLICY : "", i == 2 ? "\"" : "");
        made[i] = cpt_create_ok(e, "aws_secretsmanager_secret", cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                      "batch/never-AbCdEf\", \"name\": \"batch/never\"}");
    states[N] = made[N];
    assert_int_equal(
        cpt_boto(e, "secretsmanager",
                 "delete_secret(SecretId='batch/s3', ForceDeleteWithoutRecovery=True)"),
        0);
    assert_int_equal(
        cpt_boto(e, "secretsmanager", "delete_secret(SecretId='batch/s6', RecoveryWindowInDays=7)"),
        0);
    assert_int_equal(cpt_boto(e, "secretsmanager",
                              "tag_resource(SecretId='batch/s4', Tags=[{'Key': 'n', 'Value': "
                              "'x'}])"),
                     0);
    assert_int_equal(cpt_boto(e, "secretsmanager",
                              "tag_resource(SecretId='batch/s5', Tags=[{'Key': 'k', 'Value': "
                              "'v'}])"),
                     0);
    bool desc = cpt_emulator_only(e, "moto refuses UpdateSecret of a secret that has no value");
    if (desc)
        assert_int_equal(cpt_boto(e, "secretsmanager",
                                  "update_secret(SecretId='batch/s7', Description='changed')"),
                         0);
    long calls = cpt_read_batch_ok(e, "aws_secretsmanager_secret", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[6]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(out[1], "name"), "batch/s1");
    assert_string_equal(cpt_str(out[11], "description"), "d11");
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_string_equal(cpt_str(cp_map_get(out[5], "tags"), "k"), "v");
    assert_string_equal(cpt_str(cp_map_get(out[10], "tags"), "n"), "even");
    assert_non_null(strstr(cpt_str(out[2], "policy"), "GetSecretValue"));
    if (desc) assert_string_equal(cpt_str(out[7], "description"), "changed");
    /* 2 ListSecrets, 7 GetResourcePolicy, read() of s3, s6, never (1 each), s4, s5, s7 (2) */
    if (calls >= 0) {
        assert_int_equal(calls, 18);
        assert_int_equal(cpt_calls_of(e, "secretsmanager:ListSecrets"), 2);
    }
    if (!cpt_on_moto()) { /* no permission for ListSecrets: read() of each, as before */
        for (int i = 0; i <= N; i++) cp_release(out[i]);
        json_decref(
            cpt_admin(e, "POST", "faults",
                      "{\"next\": [{\"kind\": \"error\", \"operation\": "
                      "\"secretsmanager:ListSecrets\", \"code\": \"AccessDeniedException\", "
                      "\"status\": 400}]}"));
        calls = cpt_read_batch_ok(e, "aws_secretsmanager_secret", states, N + 1, out);
        assert_int_equal(calls, 1 + 2 * (N - 2) +
                                    3); /* ListSecrets refused; 10 live: DescribeSecret,
                                           GetResourcePolicy; s3, s6, never: DescribeSecret */
        assert_null(out[6]);
    }
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        cp_release(made[i]);
    }
}

/* Refresh of many versions: BatchGetSecretValue (20 secrets a call) gives each secret's
 * AWSCURRENT version; the first version of secret 0, now AWSPREVIOUS, and the version of
 * secret 3, deleted behind cpstack's back (gone), are read by read(). 4 requests for 23
 * versions; each result equals read()'s. */
static void test_version_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 22 };
    const cp_value *states[N + 1];
    cp_value *secrets[N], *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[256];
        snprintf(cfg, sizeof cfg, "{\"name\": \"batch/v%d\", \"recovery_window_in_days\": 0}", i);
        secrets[i] = cpt_create_ok(e, "aws_secretsmanager_secret", cfg);
        char value[32];
        snprintf(value, sizeof value, "value%d", i);
        snprintf(cfg, sizeof cfg, "{\"secret_id\": \"%s\", \"secret_%s\": \"%s\"}",
                 cpt_str(secrets[i], "arn"), i == 8 ? "binary" : "string",
                 i == 8 ? "YmluYXJ5" : value);
        made[i] = cpt_create_ok(e, "aws_secretsmanager_secret_version", cfg);
        states[i] = made[i];
    }
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{\"secret_id\": \"%s\", \"secret_string\": \"second\"}",
             cpt_str(secrets[0], "arn"));
    made[N] = cpt_create_ok(e, "aws_secretsmanager_secret_version", cfg);
    states[N] = made[N];
    assert_int_equal(
        cpt_boto(e, "secretsmanager",
                 "delete_secret(SecretId='batch/v3', ForceDeleteWithoutRecovery=True)"),
        0);
    long calls = cpt_read_batch_ok(e, "aws_secretsmanager_secret_version", states, N + 1, out);
    assert_null(out[3]);
    assert_string_equal(cpt_str(out[0], "secret_string"), "value0");
    assert_string_equal(cp_string_val(cp_list_get(cp_map_get(out[0], "version_stages"), 0)),
                        "AWSPREVIOUS");
    assert_string_equal(cpt_str(out[N], "secret_string"), "second");
    assert_true(cp_is_sensitive(cp_map_get(out[N], "secret_string")));
    assert_string_equal(cpt_str(out[21], "secret_string"), "value21");
    assert_string_equal(cpt_str(out[8], "secret_binary"), "YmluYXJ5");
    if (calls >= 0) {
        assert_int_equal(calls, 4);
        assert_int_equal(cpt_calls_of(e, "secretsmanager:BatchGetSecretValue"), 2);
    }
    if (!cpt_on_moto()) { /* no permission for BatchGetSecretValue: read() of each, as before */
        for (int i = 0; i <= N; i++) cp_release(out[i]);
        json_decref(cpt_admin(
            e, "POST", "faults",
            "{\"next\": [{\"kind\": \"error\", \"operation\": "
            "\"secretsmanager:BatchGetSecretValue\", \"code\": \"AccessDeniedException\", "
            "\"status\": 400}]}"));
        calls = cpt_read_batch_ok(e, "aws_secretsmanager_secret_version", states, N + 1, out);
        assert_int_equal(calls,
                         1 + N + 1); /* BatchGetSecretValue refused, one GetSecretValue each */
        assert_string_equal(cpt_str(out[N], "secret_string"), "second");
    }
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        cp_release(made[i]);
        if (i < N) cp_release(secrets[i]);
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
        cmocka_unit_test_setup(test_secret_lifecycle, reset),
        cmocka_unit_test_setup(test_versions_and_recovery, reset),
        cmocka_unit_test_setup(test_secret_read_batch, reset),
        cmocka_unit_test_setup(test_version_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
