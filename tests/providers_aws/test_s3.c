/*
 * test_s3.c: the S3 resource types (src/providers/aws/s3_*.c) against the
 * emulator: create / read / update / delete / import, deletion behind
 * cpstack's back, force_destroy, plan-time etag, validation and errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* What S3's API says about bucket `name`: field NULL: HeadBucket (non-NULL
 * when it exists); "Tags": GetBucketTagging's TagSet; "Policy": the policy
 * text; "PublicAccessBlock": its configuration; "Versioning": the status.
 * NULL when S3 answers with an error (NoSuchTagSet …) or has no value. */
static json_t *bucket(cpt_env *e, const char *name, const char *field)
{
    static const struct {
        const char *field, *call, *member;
    } reads[] = {
        { "Tags", "get_bucket_tagging", "TagSet" },
        { "Policy", "get_bucket_policy", "Policy" },
        { "PublicAccessBlock", "get_public_access_block", "PublicAccessBlockConfiguration" },
        { "Versioning", "get_bucket_versioning", "Status" },
    };
    if (!field) {
        json_t *r = cpt_aws(e, "s3", "head_bucket(Bucket='%s')", name);
        if (!cpt_aws_error(r)) return r;
        json_decref(r);
        return NULL;
    }
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        if (strcmp(reads[i].field, field) != 0) continue;
        json_t *r = cpt_aws(e, "s3", "%s(Bucket='%s')", reads[i].call, name);
        json_t *j = json_incref(json_object_get(r, reads[i].member));
        json_decref(r);
        return j;
    }
    fail_msg("bucket(): no read for %s", field);
    return NULL;
}

static void test_bucket(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_s3_bucket",
                                "{\"bucket\": \"logs-a\", \"force_destroy\": false,"
                                " \"tags\": {\"team\": \"a\"}}");
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:s3:::logs-a");
    assert_string_equal(cpt_str(s, "region"), "us-east-1");
    assert_string_equal(cpt_str(s, "bucket_domain_name"), "logs-a.s3.amazonaws.com");
    assert_string_equal(cpt_str(s, "bucket_regional_domain_name"),
                        "logs-a.s3.us-east-1.amazonaws.com");
    json_t *tags = bucket(e, "logs-a", "Tags");
    assert_string_equal(json_string_value(json_object_get(json_array_get(tags, 0), "Value")), "a");
    json_decref(tags);
    cp_value *r = cpt_read_ok(e, "aws_s3_bucket", s);
    assert_true(cp_equal(r, s));
    cp_value *s2 = cpt_update_ok(e, "aws_s3_bucket", s,
                                 "{\"bucket\": \"logs-a\", \"force_destroy\": false,"
                                 " \"tags\": {\"team\": \"b\"}}");
    tags = bucket(e, "logs-a", "Tags");
    assert_string_equal(json_string_value(json_object_get(json_array_get(tags, 0), "Value")), "b");
    json_decref(tags);
    cp_value *imp = cpt_import_ok(e, "aws_s3_bucket", "logs-a");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "bucket", "arn", "region", "tags",
                                           "bucket_regional_domain_name", NULL });

    /* not empty: a clear message; with force_destroy it is emptied first */
    assert_int_equal(cpt_boto(e, "s3", "put_object(Bucket='logs-a', Key='k/1', Body=b'x')"), 0);
    char *err = NULL;
    assert_int_equal(cpt_delete(e, "aws_s3_bucket", s2, &err), -1);
    assert_non_null(strstr(err, "BucketNotEmpty"));
    assert_non_null(strstr(err, "force_destroy"));
    assert_null(strchr(err, '\n'));
    free(err);
    cp_value *s3 =
        cpt_update_ok(e, "aws_s3_bucket", s2, "{\"bucket\": \"logs-a\", \"force_destroy\": true}");
    assert_true(cp_is_null(cp_map_get(s3, "tags")));
    cpt_delete_ok(e, "aws_s3_bucket", s3);
    assert_null(bucket(e, "logs-a", NULL));
    assert_null(cpt_read_ok(e, "aws_s3_bucket", s3));
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(s3);
}

static void test_bucket_validation_and_errors(void **st)
{
    cpt_env *e = *st;
    assert_null(cpt_validate("aws_s3_bucket", "bucket", "\"my-bucket.1\""));
    const char *bad[] = {
        "\"ab\"", "\"Upper\"", "\"a..b\"", "\"-ab\"", "\"192.168.1.1\"", "\"a_b\""
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *msg = cpt_validate("aws_s3_bucket", "bucket", bad[i]);
        assert_non_null(msg);
        assert_non_null(strstr(msg, "3-63 characters"));
    }
    /* an AWS error: one line with address, operation, code, message, request id */
    if (cpt_emulator_only(e, "moto creates bucket Bad_Name; AWS: InvalidBucketName")) {
        cp_value *cfg = cpt_val("{\"bucket\": \"Bad_Name\"}"), *s = NULL;
        char *err = NULL;
        assert_int_equal(cpt_create(e, "aws_s3_bucket", cfg, &s, &err), -1);
        assert_null(strchr(err, '\n'));
        assert_non_null(strstr(err, "aws_s3_bucket.test: CreateBucket: InvalidBucketName: "));
        assert_non_null(strstr(err, "(request id "));
        free(err);
        cp_release(cfg);
    }

    cp_value *b = cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"gone-b\"}");
    assert_int_equal(cpt_boto(e, "s3", "delete_bucket(Bucket='gone-b')"), 0);
    assert_null(cpt_read_ok(e, "aws_s3_bucket", b));
    cp_release(b);
}

/* force_destroy on a versioned bucket removes every version and delete
 * marker (ListObjectVersions + DeleteObjects), as Terraform's does. */
static void test_force_destroy_versioned(void **st)
{
    cpt_env *e = *st;
    cp_value *s =
        cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"ver-a\", \"force_destroy\": true}");
    /* put before versioning: its version is "null", which must be named to go */
    assert_int_equal(cpt_boto(e, "s3", "put_object(Bucket='ver-a', Key='early', Body=b'0')"), 0);
    assert_int_equal(cpt_boto(e, "s3",
                              "put_bucket_versioning(Bucket='ver-a', VersioningConfiguration="
                              "{'Status': 'Enabled'})"),
                     0);
    assert_int_equal(
        cpt_python(e, "import boto3, os\n"
                      "c = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL'])\n"
                      "for i in range(3): c.put_object(Bucket='ver-a', Key='k', Body=b'%d' % i)\n"
                      "c.put_object(Bucket='ver-a', Key='gone', Body=b'x')\n"
                      "c.delete_object(Bucket='ver-a', Key='gone')\n"
                      "c.delete_object(Bucket='ver-a', Key='early')\n"
                      "v = c.list_object_versions(Bucket='ver-a')\n"
                      "assert len(v['Versions']) == 5, v\n"
                      "assert len(v['DeleteMarkers']) == 2, v\n"),
        0);
    cpt_delete_ok(e, "aws_s3_bucket", s);
    assert_null(cpt_read_ok(e, "aws_s3_bucket", s));
    cp_release(s);
}

static void test_bucket_policy_and_pab(void **st)
{
    cpt_env *e = *st;
    cp_value *b = cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"site\"}");
    const char *pol =
        "{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", "
        "\\\"Principal\\\": \\\"*\\\", \\\"Action\\\": \\\"s3:GetObject\\\", "
        "\\\"Resource\\\": \\\"arn:aws:s3:::site/*\\\"}]}";
    cp_value *p = cpt_valf("{\"bucket\": \"site\", \"policy\": \"%s\"}", pol), *ps = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_s3_bucket_policy", p, &ps, &err), 0);
    json_t *doc = bucket(e, "site", "Policy");
    assert_non_null(strstr(json_string_value(doc), "s3:GetObject"));
    json_decref(doc);
    cp_value *r = cpt_read_ok(e, "aws_s3_bucket_policy", ps);
    assert_true(cp_equal(r, ps));
    /* another statement (AWS refuses a policy without one) */
    cp_value *ps2 = cpt_update_ok(
        e, "aws_s3_bucket_policy", ps,
        "{\"bucket\": \"site\", \"policy\": "
        "\"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": "
        "\\\"Allow\\\", \\\"Principal\\\": \\\"*\\\", \\\"Action\\\": \\\"s3:ListBucket\\\", "
        "\\\"Resource\\\": \\\"arn:aws:s3:::site\\\"}]}\"}");
    doc = bucket(e, "site", "Policy");
    assert_null(strstr(json_string_value(doc), "s3:GetObject"));
    assert_non_null(strstr(json_string_value(doc), "s3:ListBucket"));
    json_decref(doc);
    cp_value *imp = cpt_import_ok(e, "aws_s3_bucket_policy", "site");
    cpt_assert_same(imp, ps2, (const char *const[]){ "id", "bucket", "policy", NULL });
    cpt_delete_ok(e, "aws_s3_bucket_policy", ps2);
    assert_null(bucket(e, "site", "Policy"));
    assert_null(cpt_read_ok(e, "aws_s3_bucket_policy", ps2));

    cp_value *a =
        cpt_create_ok(e, "aws_s3_bucket_public_access_block",
                      "{\"bucket\": \"site\", "
                      "\"block_public_acls\": true, \"block_public_policy\": false, "
                      "\"ignore_public_acls\": true, \"restrict_public_buckets\": false}");
    json_t *pab = bucket(e, "site", "PublicAccessBlock");
    assert_true(json_is_true(json_object_get(pab, "BlockPublicAcls")));
    assert_true(json_is_false(json_object_get(pab, "BlockPublicPolicy")));
    json_decref(pab);
    cp_value *ar = cpt_read_ok(e, "aws_s3_bucket_public_access_block", a);
    assert_true(cp_equal(ar, a));
    cp_value *a2 =
        cpt_update_ok(e, "aws_s3_bucket_public_access_block", a,
                      "{\"bucket\": \"site\", "
                      "\"block_public_acls\": true, \"block_public_policy\": true, "
                      "\"ignore_public_acls\": true, \"restrict_public_buckets\": true}");
    pab = bucket(e, "site", "PublicAccessBlock");
    assert_true(json_is_true(json_object_get(pab, "RestrictPublicBuckets")));
    json_decref(pab);
    cp_value *aimp = cpt_import_ok(e, "aws_s3_bucket_public_access_block", "site");
    assert_true(cp_equal(aimp, a2));
    cpt_delete_ok(e, "aws_s3_bucket_public_access_block", a2);
    assert_null(bucket(e, "site", "PublicAccessBlock"));
    assert_null(cpt_read_ok(e, "aws_s3_bucket_public_access_block", a2));
    cp_release(b);
    cp_release(p);
    cp_release(ps);
    cp_release(r);
    cp_release(ps2);
    cp_release(imp);
    cp_release(a);
    cp_release(ar);
    cp_release(a2);
    cp_release(aimp);
}

static void test_versioning(void **st)
{
    cpt_env *e = *st;
    cp_value *b = cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"ver\"}");
    cp_value *v = cpt_create_ok(e, "aws_s3_bucket_versioning",
                                "{\"bucket\": \"ver\", "
                                "\"versioning_configuration\": [{\"status\": \"Enabled\"}]}");
    json_t *st1 = bucket(e, "ver", "Versioning");
    assert_string_equal(json_string_value(st1), "Enabled");
    json_decref(st1);
    cp_value *r = cpt_read_ok(e, "aws_s3_bucket_versioning", v);
    assert_true(cp_equal(r, v));
    cp_value *v2 = cpt_update_ok(e, "aws_s3_bucket_versioning", v,
                                 "{\"bucket\": \"ver\", "
                                 "\"versioning_configuration\": [{\"status\": \"Suspended\"}]}");
    st1 = bucket(e, "ver", "Versioning");
    assert_string_equal(json_string_value(st1), "Suspended");
    json_decref(st1);
    cp_value *imp = cpt_import_ok(e, "aws_s3_bucket_versioning", "ver");
    assert_true(cp_equal(imp, v2));
    cpt_delete_ok(e, "aws_s3_bucket_versioning", v); /* Enabled → suspended */
    st1 = bucket(e, "ver", "Versioning");
    assert_string_equal(json_string_value(st1), "Suspended");
    json_decref(st1);
    assert_non_null(cpt_validate("aws_s3_bucket_versioning", "bucket", "\"A\""));
    assert_int_equal(cpt_boto(e, "s3", "delete_bucket(Bucket='ver')"), 0);
    assert_null(cpt_read_ok(e, "aws_s3_bucket_versioning", v2));
    cp_release(b);
    cp_release(v);
    cp_release(r);
    cp_release(v2);
    cp_release(imp);
}

static void test_object(void **st)
{
    cpt_env *e = *st;
    cp_value *b = cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"code\"}");
    char path[] = "/tmp/cpt-obj-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "hello", 5), 5);
    close(fd);
    const cp_resource_type *t = cpt_type("aws_s3_object");
    cp_value *cfg = cpt_valf("{\"bucket\": \"code\", \"key\": \"jobs/a.py\", \"source\": \"%s\", "
                             "\"content_type\": \"text/x-python\"}",
                             path);
    cp_value *known = t->plan_known(cfg);
    assert_string_equal(cpt_str(known, "etag"),
                        "5d41402abc4b2a76b9719d911017c592"); /* md5("hello") */
    cp_value *s = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_s3_object", cfg, &s, &err), 0);
    assert_string_equal(cpt_str(s, "etag"), "5d41402abc4b2a76b9719d911017c592");
    assert_string_equal(cpt_str(s, "content_type"), "text/x-python");
    json_t *obj = cpt_aws(e, "s3", "head_object(Bucket='code', Key='jobs/a.py')");
    assert_int_equal(json_integer_value(json_object_get(obj, "ContentLength")), 5);
    assert_string_equal(json_string_value(json_object_get(obj, "ContentType")), "text/x-python");
    json_decref(obj);
    cp_value *r = cpt_read_ok(e, "aws_s3_object", s);
    cpt_assert_same(r, s,
                    (const char *const[]){ "id", "bucket", "key", "etag", "content_type", NULL });

    /* the local file changes: plan_known shows a new etag, update uploads it */
    FILE *f = fopen(path, "w");
    fputs("hello, world", f);
    fclose(f);
    cp_value *known2 = t->plan_known(cfg);
    assert_string_not_equal(cpt_str(known2, "etag"), cpt_str(s, "etag"));
    cp_value *s2 = NULL;
    assert_int_equal(cpt_update(e, "aws_s3_object", s, cfg, &s2, &err), 0);
    assert_string_equal(cpt_str(s2, "etag"), cpt_str(known2, "etag"));
    cp_value *imp = cpt_import_ok(e, "aws_s3_object", "code/jobs/a.py");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "bucket", "key", "etag", "content_type", NULL });

    cp_value *c2 = cpt_create_ok(e, "aws_s3_object",
                                 "{\"bucket\": \"code\", \"key\": \"b64\", "
                                 "\"content_base64\": \"aGVsbG8=\"}");
    assert_string_equal(cpt_str(c2, "etag"), "5d41402abc4b2a76b9719d911017c592");
    cpt_delete_ok(e, "aws_s3_object", c2);
    assert_int_equal(cpt_boto(e, "s3", "delete_object(Bucket='code', Key='jobs/a.py')"), 0);
    assert_null(cpt_read_ok(e, "aws_s3_object", s2));

    cp_value *missing = cpt_val(
                 "{\"bucket\": \"code\", \"key\": \"x\", \"source\": \"/nonexistent/file\"}"),
             *ms = NULL;
    assert_int_equal(cpt_create(e, "aws_s3_object", missing, &ms, &err), -1);
    assert_non_null(strstr(err, "/nonexistent/file"));
    free(err);
    unlink(path);
    cp_release(b);
    cp_release(cfg);
    cp_release(known);
    cp_release(known2);
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(c2);
    cp_release(missing);
}

/* The empty notification configuration (a Lambda target is tested in
 * test_lambda.c, which has the function and permission it needs). */
static void test_notification(void **st)
{
    cpt_env *e = *st;
    cp_value *b = cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"data\"}");
    cp_value *n = cpt_create_ok(e, "aws_s3_bucket_notification",
                                "{\"bucket\": \"data\", \"lambda_function\": []}");
    assert_int_equal(cp_len(cp_map_get(n, "lambda_function")), 0);
    cp_value *r = cpt_read_ok(e, "aws_s3_bucket_notification", n);
    assert_true(cp_equal(r, n));
    cp_value *imp = cpt_import_ok(e, "aws_s3_bucket_notification", "data");
    assert_true(cp_equal(imp, n));
    cpt_delete_ok(e, "aws_s3_bucket_notification", n);
    assert_int_equal(cpt_boto(e, "s3", "delete_bucket(Bucket='data')"), 0);
    assert_null(cpt_read_ok(e, "aws_s3_bucket_notification", n));
    cp_release(b);
    cp_release(n);
    cp_release(r);
    cp_release(imp);
}

/* Refresh of many buckets: ListBuckets and one Tagging API call; a bucket whose tags
 * changed behind cpstack's back is confirmed by its own GetBucketTagging, one gone (or
 * never made) by HeadBucket. 5 requests for 11 buckets instead of 22. */
static void test_bucket_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 10 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[200];
        snprintf(cfg, sizeof cfg, "{\"bucket\": \"batch-b-%d\"%s}", i,
                 i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}");
        made[i] = cpt_create_ok(e, "aws_s3_bucket", cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"batch-never\", \"region\": \"us-east-1\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "s3", "delete_bucket(Bucket='batch-b-3')"), 0);
    assert_int_equal(cpt_boto(e, "s3",
                              "put_bucket_tagging(Bucket='batch-b-4', Tagging={'TagSet': "
                              "[{'Key': 'n', 'Value': 'changed'}]})"),
                     0);
    long calls = cpt_read_batch_ok(e, "aws_s3_bucket", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "changed");
    assert_string_equal(cpt_str(cp_map_get(out[0], "tags"), "n"), "even");
    assert_true(cp_is_null(cp_map_get(out[1], "tags")));
    assert_string_equal(cpt_str(out[1], "region"), "us-east-1");
    if (calls >= 0) assert_int_equal(calls, 5); /* ListBuckets, GetResources, 1 + 2 reads */
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_s3_bucket", made[i]);
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
        cmocka_unit_test_setup(test_bucket, reset),
        cmocka_unit_test_setup(test_bucket_validation_and_errors, reset),
        cmocka_unit_test_setup(test_force_destroy_versioned, reset),
        cmocka_unit_test_setup(test_bucket_policy_and_pab, reset),
        cmocka_unit_test_setup(test_versioning, reset),
        cmocka_unit_test_setup(test_object, reset),
        cmocka_unit_test_setup(test_notification, reset),
        cmocka_unit_test_setup(test_bucket_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
