/*
 * test_s3_config.c: the S3 bucket configuration types split out of
 * aws_s3_bucket (s3_bucket_server_side_encryption_configuration.c,
 * s3_bucket_ownership_controls.c, s3_bucket_website_configuration.c,
 * s3_bucket_lifecycle_configuration.c) on
 * both endpoints: put, read, change behind cpstack's back, update, import,
 * delete, and the rules checked at plan time.
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

static void make_bucket(cpt_env *e, const char *name)
{
    assert_int_equal(cpt_boto(e, "s3", "create_bucket(Bucket='%s')", name), 0);
}

static const cp_value *first(const cp_value *s, const char *block)
{
    const cp_value *l = cp_map_get(s, block);
    assert_non_null(l);
    assert_true(cp_len(l) >= 1);
    return cp_list_get(l, 0);
}

static char *validate_config(const char *type, const char *json)
{
    cp_value *v = cpt_val(json);
    char *msg = cpt_type(type)->validate_config(v);
    cp_release(v);
    return msg;
}

static void test_encryption(void **st)
{
    cpt_env *e = *st;
    const char *T = "aws_s3_bucket_server_side_encryption_configuration";
    make_bucket(e, "cfg-enc");
    cp_value *s = cpt_create_ok(
        e, T,
        "{\"bucket\": \"cfg-enc\", \"rule\": [{\"apply_server_side_encryption_by_default\":"
        " [{\"sse_algorithm\": \"aws:kms\", \"kms_master_key_id\": \"alias/app\"}],"
        " \"bucket_key_enabled\": true}]}");
    assert_string_equal(cpt_str(s, "id"), "cfg-enc");
    json_t *r = cpt_aws(e, "s3", "get_bucket_encryption(Bucket='cfg-enc')");
    json_t *rule = json_array_get(cpt_path(r, "ServerSideEncryptionConfiguration/Rules"), 0);
    assert_string_equal(
        json_string_value(cpt_path(rule, "ApplyServerSideEncryptionByDefault/SSEAlgorithm")),
        "aws:kms");
    assert_string_equal(
        json_string_value(cpt_path(rule, "ApplyServerSideEncryptionByDefault/KMSMasterKeyID")),
        "alias/app");
    assert_true(json_is_true(json_object_get(rule, "BucketKeyEnabled")));
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, T, s);
    assert_true(cp_equal(rd, s));

    /* behind cpstack's back: AES256; read shows it, update puts aws:kms back */
    assert_int_equal(
        cpt_boto(
            e, "s3",
            "put_bucket_encryption(Bucket='cfg-enc', ServerSideEncryptionConfiguration="
            "{'Rules': [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'AES256'}}]})"),
        0);
    cp_value *drift = cpt_read_ok(e, T, s);
    const cp_value *d = first(first(drift, "rule"), "apply_server_side_encryption_by_default");
    assert_string_equal(cpt_str(d, "sse_algorithm"), "AES256");
    cp_value *s2 = cpt_update_ok(e, T, drift,
                                 "{\"bucket\": \"cfg-enc\", \"rule\": "
                                 "[{\"apply_server_side_encryption_by_default\":"
                                 " [{\"sse_algorithm\": \"aws:kms\"}]}]}");
    d = first(first(s2, "rule"), "apply_server_side_encryption_by_default");
    assert_string_equal(cpt_str(d, "sse_algorithm"), "aws:kms");
    cp_value *imp = cpt_import_ok(e, T, "cfg-enc");
    assert_true(cp_equal(cp_map_get(imp, "rule"), cp_map_get(s2, "rule")));

    /* delete: back to S3's default, AES256 */
    cpt_delete_ok(e, T, s2);
    if (cpt_emulator_only(e, "moto has no default bucket encryption (AWS: AES256 since 2023)")) {
        r = cpt_aws(e, "s3", "get_bucket_encryption(Bucket='cfg-enc')");
        rule = json_array_get(cpt_path(r, "ServerSideEncryptionConfiguration/Rules"), 0);
        assert_string_equal(
            json_string_value(cpt_path(rule, "ApplyServerSideEncryptionByDefault/SSEAlgorithm")),
            "AES256");
        json_decref(r);
    }
    char *m =
        validate_config(T, "{\"bucket\": \"b\", \"rule\": "
                           "[{\"apply_server_side_encryption_by_default\":"
                           " [{\"sse_algorithm\": \"AES256\", \"kms_master_key_id\": \"k\"}]}]}");
    assert_non_null(strstr(m, "aws:kms"));
    free(m);
    assert_non_null(
        cpt_validate(T, "rule/apply_server_side_encryption_by_default/sse_algorithm", "\"DES\""));
    cp_release(s);
    cp_release(rd);
    cp_release(drift);
    cp_release(s2);
    cp_release(imp);
}

static void test_ownership(void **st)
{
    cpt_env *e = *st;
    const char *T = "aws_s3_bucket_ownership_controls";
    make_bucket(e, "cfg-own");
    cp_value *s = cpt_create_ok(
        e, T, "{\"bucket\": \"cfg-own\", \"rule\": [{\"object_ownership\": \"ObjectWriter\"}]}");
    json_t *r = cpt_aws(e, "s3", "get_bucket_ownership_controls(Bucket='cfg-own')");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(cpt_path(r, "OwnershipControls/Rules"), 0),
                                          "ObjectOwnership")),
        "ObjectWriter");
    json_decref(r);
    cp_value *s2 = cpt_update_ok(
        e, T, s,
        "{\"bucket\": \"cfg-own\", \"rule\": [{\"object_ownership\": \"BucketOwnerPreferred\"}]}");
    assert_string_equal(cpt_str(first(s2, "rule"), "object_ownership"), "BucketOwnerPreferred");
    cp_value *imp = cpt_import_ok(e, T, "cfg-own");
    assert_true(cp_equal(imp, s2));
    cpt_delete_ok(e, T, s2);
    assert_null(cpt_read_ok(e, T, s2));
    cpt_delete_ok(e, T, s2);
    assert_non_null(cpt_validate(T, "rule/object_ownership", "\"Owner\""));
    cp_release(s);
    cp_release(s2);
    cp_release(imp);
}

static void test_website(void **st)
{
    cpt_env *e = *st;
    const char *T = "aws_s3_bucket_website_configuration";
    make_bucket(e, "cfg-web");
    cp_value *s =
        cpt_create_ok(e, T,
                      "{\"bucket\": \"cfg-web\", \"index_document\": [{\"suffix\":"
                      " \"index.html\"}], \"error_document\": [{\"key\": \"404.html\"}]}");
    assert_string_equal(cpt_str(s, "website_endpoint"),
                        "cfg-web.s3-website-us-east-1.amazonaws.com");
    assert_string_equal(cpt_str(s, "website_domain"), "s3-website-us-east-1.amazonaws.com");
    json_t *r = cpt_aws(e, "s3", "get_bucket_website(Bucket='cfg-web')");
    assert_string_equal(json_string_value(cpt_path(r, "IndexDocument/Suffix")), "index.html");
    assert_string_equal(json_string_value(cpt_path(r, "ErrorDocument/Key")), "404.html");
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, T, s);
    assert_true(cp_equal(rd, s));

    cp_value *s2 = cpt_update_ok(e, T, s,
                                 "{\"bucket\": \"cfg-web\", \"redirect_all_requests_to\":"
                                 " [{\"host_name\": \"example.com\", \"protocol\": \"https\"}]}");
    r = cpt_aws(e, "s3", "get_bucket_website(Bucket='cfg-web')");
    assert_string_equal(json_string_value(cpt_path(r, "RedirectAllRequestsTo/HostName")),
                        "example.com");
    assert_null(json_object_get(r, "IndexDocument"));
    json_decref(r);
    assert_int_equal((int)cp_len(cp_map_get(s2, "index_document")), 0);
    cp_value *imp = cpt_import_ok(e, T, "cfg-web");
    assert_true(cp_equal(imp, s2));
    cpt_delete_ok(e, T, s2);
    assert_null(cpt_read_ok(e, T, s2));
    r = cpt_aws(e, "s3", "get_bucket_website(Bucket='cfg-web')");
    assert_string_equal(cpt_aws_error(r), "NoSuchWebsiteConfiguration");
    json_decref(r);

    char *m = validate_config(T, "{\"bucket\": \"b\", \"index_document\": [{\"suffix\": \"i\"}],"
                                 " \"redirect_all_requests_to\": [{\"host_name\": \"h\"}]}");
    assert_non_null(strstr(m, "alone"));
    free(m);
    m = validate_config(T, "{\"bucket\": \"b\"}");
    assert_non_null(strstr(m, "index_document or redirect"));
    free(m);
    assert_non_null(cpt_validate(T, "index_document/suffix", "\"a/index.html\""));
    assert_non_null(cpt_validate(T, "redirect_all_requests_to/protocol", "\"ftp\""));
    cp_release(s);
    cp_release(rd);
    cp_release(s2);
    cp_release(imp);
}

static void test_lifecycle(void **st)
{
    cpt_env *e = *st;
    const char *T = "aws_s3_bucket_lifecycle_configuration";
    make_bucket(e, "cfg-lc");
    cp_value *s = cpt_create_ok(
        e, T,
        "{\"bucket\": \"cfg-lc\", \"rule\": ["
        " {\"id\": \"logs\", \"status\": \"Enabled\", \"filter\": [{\"prefix\": \"logs/\"}],"
        "  \"expiration\": [{\"days\": 90}],"
        "  \"transition\": [{\"days\": 30, \"storage_class\": \"STANDARD_IA\"}]},"
        " {\"id\": \"tmp\", \"status\": \"Disabled\", \"filter\": [{\"tag\": [{\"key\": \"kind\","
        "  \"value\": \"tmp\"}]}], \"abort_incomplete_multipart_upload\":"
        "  [{\"days_after_initiation\": 7}], \"noncurrent_version_expiration\":"
        "  [{\"noncurrent_days\": 3}],"
        "  \"noncurrent_version_transition\": [{\"noncurrent_days\": 1, \"storage_class\":"
        "  \"GLACIER\", \"newer_noncurrent_versions\": 5}, {\"noncurrent_days\": 2,"
        "  \"storage_class\": \"DEEP_ARCHIVE\"}]},"
        " {\"id\": \"all\", \"status\": \"Enabled\", \"expiration\":"
        "  [{\"expired_object_delete_marker\": true}]}]}");
    assert_string_equal(cpt_str(s, "id"), "cfg-lc");
    json_t *r = cpt_aws(e, "s3", "get_bucket_lifecycle_configuration(Bucket='cfg-lc')");
    json_t *rules = cpt_path(r, "Rules");
    assert_int_equal((int)json_array_size(rules), 3);
    json_t *logs = cpt_find(rules, "ID", "logs");
    assert_non_null(logs);
    assert_string_equal(json_string_value(cpt_path(logs, "Filter/Prefix")), "logs/");
    assert_int_equal((int)json_integer_value(cpt_path(logs, "Expiration/Days")), 90);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(cpt_path(logs, "Transitions"), 0), "StorageClass")),
                        "STANDARD_IA");
    json_t *tmp = cpt_find(rules, "ID", "tmp");
    assert_string_equal(json_string_value(cpt_path(tmp, "Filter/Tag/Key")), "kind");
    assert_int_equal((int)json_integer_value(
                         cpt_path(tmp, "AbortIncompleteMultipartUpload/DaysAfterInitiation")),
                     7);
    json_t *nvt = cpt_path(tmp, "NoncurrentVersionTransitions");
    assert_int_equal((int)json_array_size(nvt), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(nvt, 0), "StorageClass")),
                        "GLACIER");
    assert_int_equal(
        (int)json_integer_value(json_object_get(json_array_get(nvt, 0), "NewerNoncurrentVersions")),
        5);
    assert_int_equal(
        (int)json_integer_value(json_object_get(json_array_get(nvt, 1), "NoncurrentDays")), 2);
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, T, s);
    assert_true(cp_equal(rd, s));
    const cp_value *r0 = first(rd, "rule");
    assert_string_equal(cpt_str(r0, "id"), "logs");
    assert_int_equal((int)cp_number_val(cp_map_get(first(r0, "expiration"), "days")), 90);

    /* behind cpstack's back: one rule left; read shows it, update puts them back */
    assert_int_equal(
        cpt_boto(e, "s3",
                 "put_bucket_lifecycle_configuration(Bucket='cfg-lc', "
                 "LifecycleConfiguration={'Rules': [{'ID': 'other', 'Status': "
                 "'Enabled', 'Filter': {'Prefix': 'x/'}, 'Expiration': {'Days': 1}}]})"),
        0);
    cp_value *drift = cpt_read_ok(e, T, s);
    assert_int_equal((int)cp_len(cp_map_get(drift, "rule")), 1);
    assert_string_equal(cpt_str(first(drift, "rule"), "id"), "other");
    cp_value *s2 = cpt_update_ok(
        e, T, drift,
        "{\"bucket\": \"cfg-lc\", \"rule\": [{\"id\": \"logs\", \"status\": \"Enabled\","
        " \"filter\": [{\"and\": [{\"prefix\": \"logs/\", \"tags\": {\"a\": \"1\", \"b\": \"2\"}}]}],"
        " \"expiration\": [{\"days\": 60}]}]}");
    const cp_value *and = first(first(first(s2, "rule"), "filter"), "and");
    assert_string_equal(cpt_str(and, "prefix"), "logs/");
    assert_string_equal(cpt_str(cp_map_get(and, "tags"), "b"), "2");
    cp_value *imp = cpt_import_ok(e, T, "cfg-lc");
    assert_true(cp_equal(cp_map_get(imp, "rule"), cp_map_get(s2, "rule")));

    if (cpt_emulator_only(e, "moto drops NewerNoncurrentVersions of NoncurrentVersionExpiration")) {
        cp_value *s3 = cpt_update_ok(
            e, T, s2,
            "{\"bucket\": \"cfg-lc\", \"rule\": [{\"id\": \"nv\", \"status\": \"Enabled\","
            " \"noncurrent_version_expiration\": [{\"noncurrent_days\": 30,"
            " \"newer_noncurrent_versions\": 2}]}]}");
        r = cpt_aws(e, "s3", "get_bucket_lifecycle_configuration(Bucket='cfg-lc')");
        assert_int_equal((int)json_integer_value(
                             cpt_path(json_array_get(cpt_path(r, "Rules"), 0),
                                      "NoncurrentVersionExpiration/NewerNoncurrentVersions")),
                         2);
        json_decref(r);
        cp_value *rd3 = cpt_read_ok(e, T, s3);
        assert_true(cp_equal(rd3, s3));
        cp_release(rd3);
        cp_release(s3);
    }
    cpt_delete_ok(e, T, s2);
    assert_null(cpt_read_ok(e, T, s2));
    r = cpt_aws(e, "s3", "get_bucket_lifecycle_configuration(Bucket='cfg-lc')");
    assert_string_equal(cpt_aws_error(r), "NoSuchLifecycleConfiguration");
    json_decref(r);
    cpt_delete_ok(e, T, s2);

    /* bad input, at plan time */
    char *m = validate_config(T, "{\"bucket\": \"b\", \"rule\": [{\"id\": \"a\", \"status\":"
                                 " \"Enabled\"}]}");
    assert_non_null(strstr(m, "needs an action"));
    free(m);
    m = validate_config(T, "{\"bucket\": \"b\", \"rule\": [{\"id\": \"a\", \"status\": \"Enabled\","
                           " \"expiration\": [{\"days\": 1}]}, {\"id\": \"a\", \"status\":"
                           " \"Enabled\", \"expiration\": [{\"days\": 2}]}]}");
    assert_non_null(strstr(m, "used twice"));
    free(m);
    m = validate_config(T, "{\"bucket\": \"b\", \"rule\": [{\"id\": \"a\", \"status\": \"Enabled\","
                           " \"expiration\": [{\"days\": 1, \"expired_object_delete_marker\":"
                           " true}]}]}");
    assert_non_null(strstr(m, "exactly one"));
    free(m);
    m = validate_config(T, "{\"bucket\": \"b\", \"rule\": [{\"id\": \"a\", \"status\": \"Enabled\","
                           " \"transition\": [{\"storage_class\": \"GLACIER\"}]}]}");
    assert_non_null(strstr(m, "days or date"));
    free(m);
    assert_non_null(cpt_validate(T, "rule/status", "\"enabled\""));
    assert_non_null(cpt_validate(T, "rule/expiration/days", "0"));
    assert_non_null(cpt_validate(T, "rule/transition/storage_class", "\"COLD\""));
    assert_non_null(
        cpt_validate(T, "rule/noncurrent_version_transition/newer_noncurrent_versions", "101"));
    assert_non_null(cpt_validate(T, "rule/noncurrent_version_transition/storage_class", "\"X\""));
    assert_null(
        cpt_validate(T, "rule/noncurrent_version_expiration/newer_noncurrent_versions", "100"));
    char id[300];
    memset(id, 'x', 256);
    id[256] = 0;
    char json[320];
    snprintf(json, sizeof json, "\"%s\"", id);
    assert_non_null(cpt_validate(T, "rule/id", json));

    /* the emulator refuses what AWS refuses */
    if (cpt_emulator_only(e, "moto accepts Days = 0 and a rule without an action")) {
        r = cpt_aws(e, "s3",
                    "put_bucket_lifecycle_configuration(Bucket='cfg-lc', LifecycleConfiguration="
                    "{'Rules': [{'ID': 'z', 'Status': 'Enabled', 'Filter': {'Prefix': ''},"
                    " 'Expiration': {'Days': 0}}]})");
        assert_string_equal(cpt_aws_error(r), "InvalidArgument");
        json_decref(r);
        r = cpt_aws(e, "s3",
                    "put_bucket_lifecycle_configuration(Bucket='cfg-lc', LifecycleConfiguration="
                    "{'Rules': [{'ID': 'z', 'Status': 'Enabled', 'Filter': {'Prefix': ''}}]})");
        assert_string_equal(cpt_aws_error(r), "InvalidRequest");
        json_decref(r);
        r = cpt_aws(e, "s3",
                    "put_bucket_lifecycle_configuration(Bucket='cfg-lc', LifecycleConfiguration="
                    "{'Rules': [{'ID': 'z'*256, 'Status': 'Enabled', 'Filter': {'Prefix': ''},"
                    " 'Expiration': {'Days': 1}}]})");
        assert_string_equal(cpt_aws_error(r), "InvalidArgument");
        json_decref(r);
    }
    cp_release(s);
    cp_release(rd);
    cp_release(drift);
    cp_release(s2);
    cp_release(imp);
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
        cmocka_unit_test_setup(test_encryption, reset),
        cmocka_unit_test_setup(test_ownership, reset),
        cmocka_unit_test_setup(test_website, reset),
        cmocka_unit_test_setup(test_lifecycle, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
