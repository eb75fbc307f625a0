/*
 * test_lambda.c: the Lambda types (src/providers/aws/lambda_*.c) against
 * the emulator: functions from a zip file and from a source folder (with
 * the deterministic zip and the plan-time source_code_hash), code and
 * configuration updates, the retry while a new role is not yet assumable,
 * permissions, and the cronproj wiring S3 bucket → notification → Lambda.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "providers/aws/lambda_common.h"

#define TRUST(svc)                                                                                 \
    "{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", "   \
    "\\\"Principal\\\": {\\\"Service\\\": \\\"" svc                                                \
    "\\\"}, \\\"Action\\\": \\\"sts:AssumeRole\\\"}]}"
#define ROLE_ARN "arn:aws:iam::123456789012:role/fn-role"

/* --- small helpers ------------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A fresh folder under /tmp with main.py (and lib/util.py). Caller frees. */
static char *make_src(const char *main_py)
{
    char *dir = strdup("/tmp/cpt-lambda-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/main.py", dir);
    write_file(path, main_py);
    snprintf(path, sizeof path, "%s/lib", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/lib/util.py", dir);
    write_file(path, "X = 1\n");
    return dir;
}

static void rm_src(char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static void hash_dir(const char *dir, char out[45])
{
    cp_buf b = { 0 };
    char *why = NULL;
    assert_int_equal(lambda_zip_dir(dir, &b, &why), 0);
    lambda_sha256_b64(b.data, b.len, out);
    cp_buf_free(&b);
}

/* The function as GetFunction's Configuration shows it, with ListTags's
 * tags under "_tags" and its resource policy's statements (GetPolicy)
 * under "_policy"; NULL when Lambda does not know it. */
static json_t *fn_dump(cpt_env *e, const char *name)
{
    json_t *r = cpt_aws(e, "lambda", "get_function(FunctionName='%s')", name);
    json_t *f = cpt_aws_error(r) ? NULL : json_incref(json_object_get(r, "Configuration"));
    json_decref(r);
    if (!f) return NULL;
    json_t *t = cpt_aws(e, "lambda", "list_tags(Resource='%s')",
                        json_string_value(json_object_get(f, "FunctionArn")));
    json_object_set(f, "_tags", json_object_get(t, "Tags"));
    json_decref(t);
    json_t *p = cpt_aws(e, "lambda", "get_policy(FunctionName='%s')", name);
    const char *text = json_string_value(json_object_get(p, "Policy"));
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    json_object_set(f, "_policy", doc ? json_object_get(doc, "Statement") : json_null());
    json_decref(doc);
    json_decref(p);
    return f;
}

static cp_value *make_role(cpt_env *e, const char *svc)
{
    char cfg[600];
    snprintf(
        cfg, sizeof cfg, "{\"name\": \"fn-role\", \"path\": \"/\", \"assume_role_policy\": \"%s\"}",
        strcmp(svc, "lambda") == 0 ? TRUST("lambda.amazonaws.com") : TRUST("ec2.amazonaws.com"));
    return cpt_create_ok(e, "aws_iam_role", cfg);
}

static char *fn_config(const char *dir, const char *extra)
{
    char *s = NULL;
    assert_true(
        asprintf(
            &s,
            "{\"function_name\": \"jobs-stop\", \"role\": \"" ROLE_ARN "\", "
            "\"handler\": \"main.handler\", \"runtime\": \"python3.12\", \"source_dir\": \"%s\"%s}",
            dir, extra ? extra : "") > 0);
    return s;
}

/* --- deterministic zip --------------------------------------------------------------- */

static void test_zip_deterministic(void **st)
{
    (void)st;
    char *a = make_src("def handler(e, c):\n    return 1\n"),
         *b = make_src("def handler(e, c):\n    return 1\n");
    char ha[45], ha2[45], hb[45], hc[45];
    hash_dir(a, ha);
    sleep(1); /* different mtimes must not matter */
    hash_dir(a, ha2);
    hash_dir(b, hb); /* same content, other folder */
    assert_string_equal(ha, ha2);
    assert_string_equal(ha, hb);
    setenv("TZ", "Asia/Tokyo", 1); /* nor the time zone */
    hash_dir(a, hc);
    unsetenv("TZ");
    assert_string_equal(ha, hc);
    char path[256];
    snprintf(path, sizeof path, "%s/main.py", b);
    write_file(path, "def handler(e, c):\n    return 2\n");
    hash_dir(b, hb);
    assert_string_not_equal(ha, hb);

    cp_buf z = { 0 };
    char *why = NULL;
    assert_int_equal(lambda_zip_dir("/nonexistent/cpt", &z, &why), -1);
    assert_non_null(strstr(why, "/nonexistent/cpt"));
    free(why);
    cp_buf_free(&z);
    rm_src(a);
    rm_src(b);
}

/* --- aws_lambda_function ----------------------------------------------------------------- */

static void test_function_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *role = make_role(e, "lambda");
    char *dir = make_src("def handler(e, c):\n    return 1\n");
    char *cfg = fn_config(dir, ", \"timeout\": 10, \"tags\": {\"team\": \"a\"}");
    cp_value *conf = cpt_val(cfg);
    cp_value *known = cpt_type("aws_lambda_function")->plan_known(conf);
    char want[45];
    hash_dir(dir, want);
    assert_string_equal(cpt_str(known, "source_code_hash"), want);

    cp_value *s = cpt_create_ok(e, "aws_lambda_function", cfg);
    assert_string_equal(cpt_str(s, "id"), "jobs-stop");
    assert_string_equal(cpt_str(s, "arn"),
                        "arn:aws:lambda:us-east-1:123456789012:function:jobs-stop");
    assert_string_equal(cpt_str(s, "qualified_arn"),
                        "arn:aws:lambda:us-east-1:123456789012:function:jobs-stop:$LATEST");
    assert_non_null(strstr(cpt_str(s, "invoke_arn"),
                           "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"));
    assert_string_equal(cpt_str(s, "source_code_hash"), want);
    assert_string_equal(cpt_str(s, "source_dir"), dir);
    json_t *f = fn_dump(e, "jobs-stop");
    assert_non_null(f);
    assert_string_equal(json_string_value(json_object_get(f, "CodeSha256")), want);
    assert_int_equal(json_integer_value(json_object_get(f, "Timeout")), 10);
    json_decref(f);

    cp_value *r = cpt_read_ok(e, "aws_lambda_function", s);
    cpt_assert_same(r, s,
                    (const char *const[]){ "id", "arn", "role", "handler", "runtime", "timeout",
                                           "memory_size", "description", "environment",
                                           "source_code_hash", "tags", "source_dir", NULL });
    assert_true(cp_equal(r, s));

    char path[256]; /* a changed source: new hash at plan time */
    snprintf(path, sizeof path, "%s/main.py", dir);
    write_file(path, "def handler(e, c):\n    return 2\n");
    cp_value *known2 = cpt_type("aws_lambda_function")->plan_known(conf);
    assert_string_not_equal(cpt_str(known2, "source_code_hash"), want);
    char *cfg2 = fn_config(
        dir,
        ", \"timeout\": 20, \"memory_size\": 256, \"description\": \"stops\", "
        "\"environment\": [{\"variables\": {\"BUCKET\": \"b\"}}], \"tags\": {\"team\": \"b\"}");
    cp_value *s2 = cpt_update_ok(e, "aws_lambda_function", s, cfg2);
    assert_string_equal(cpt_str(s2, "source_code_hash"), cpt_str(known2, "source_code_hash"));
    f = fn_dump(e, "jobs-stop");
    assert_string_equal(json_string_value(json_object_get(f, "CodeSha256")),
                        cpt_str(known2, "source_code_hash"));
    assert_int_equal(json_integer_value(json_object_get(f, "MemorySize")), 256);
    assert_string_equal(json_string_value(cpt_path(f, "Environment/Variables/BUCKET")), "b");
    assert_string_equal(json_string_value(cpt_path(f, "_tags/team")), "b");
    json_decref(f);
    cp_value *r2 = cpt_read_ok(e, "aws_lambda_function", s2);
    assert_true(cp_equal(r2, s2));

    cp_value *imp = cpt_import_ok(e, "aws_lambda_function", "jobs-stop");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "function_name", "arn", "role", "handler",
                                           "timeout", "memory_size", "description", "environment",
                                           "source_code_hash", "tags", NULL });
    cpt_delete_ok(e, "aws_lambda_function", s2);
    assert_null(fn_dump(e, "jobs-stop"));
    assert_null(cpt_read_ok(e, "aws_lambda_function", s2));
    cpt_delete_ok(e, "aws_lambda_function", s2); /* already gone: fine */
    free(cfg);
    free(cfg2);
    rm_src(dir);
    cp_release(conf);
    cp_release(known);
    cp_release(known2);
    cp_release(role);
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(r2);
    cp_release(imp);
}

static void test_function_from_zip_and_gone(void **st)
{
    cpt_env *e = *st;
    cp_value *role = make_role(e, "lambda");
    char *dir = make_src("def handler(e, c):\n    return 1\n");
    cp_buf z = { 0 };
    char *why = NULL, zip[] = "/tmp/cpt-lambda-zip-XXXXXX";
    assert_int_equal(lambda_zip_dir(dir, &z, &why), 0);
    int fd = mkstemp(zip);
    assert_int_equal(write(fd, z.data, z.len), (ssize_t)z.len);
    close(fd);
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"function_name\": \"zipped\", \"role\": \"" ROLE_ARN "\", "
             "\"handler\": \"main.handler\", \"runtime\": \"python3.12\", \"filename\": \"%s\"}",
             zip);
    cp_value *s = cpt_create_ok(e, "aws_lambda_function", cfg);
    char want[45];
    lambda_sha256_b64(z.data, z.len, want);
    assert_string_equal(cpt_str(s, "source_code_hash"), want);
    assert_int_equal(cpt_boto(e, "lambda", "delete_function(FunctionName='zipped')"), 0);
    assert_null(cpt_read_ok(e, "aws_lambda_function", s));

    write_file(zip, "not a zip"); /* a bad package fails at once, not retried */
    cp_value *c2 = cpt_val(cfg), *s2 = NULL;
    char *err = NULL;
    if (cpt_emulator_only(e, "moto stores a package that is not a zip; AWS: InvalidParameterValue"
                             "Exception, Could not unzip")) {
        assert_int_equal(cpt_create(e, "aws_lambda_function", c2, &s2, &err), -1);
        assert_non_null(strstr(err, "unzip"));
        assert_null(strchr(err, '\n'));
        free(err);
        err = NULL;
    }
    cp_value *c3 = cpt_val("{\"function_name\": \"nocode\", \"role\": \"" ROLE_ARN "\"}");
    assert_int_equal(cpt_create(e, "aws_lambda_function", c3, &s2, &err), -1);
    assert_non_null(strstr(err, "source_dir"));
    free(err);
    unlink(zip);
    cp_buf_free(&z);
    rm_src(dir);
    cp_release(s);
    cp_release(c2);
    cp_release(c3);
    cp_release(s2);
    cp_release(role);
}

/* A role that trusts only EC2 is never assumable: create retries, then
 * fails clearly (the retry window is scaled down by CPSTACK_WAIT_SCALE). */
static void test_role_not_assumable(void **st)
{
    cpt_env *e = *st;
    if (!cpt_emulator_only(e, "a role Lambda cannot assume (moto does not check the trust policy)"))
        return;
    cp_value *role = make_role(e, "ec2");
    char *dir = make_src("x = 1\n"), *cfg = fn_config(dir, NULL);
    cp_value *conf = cpt_val(cfg), *s = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_lambda_function", conf, &s, &err), -1);
    assert_non_null(strstr(err, "cannot be assumed"));
    assert_non_null(strstr(err, "CreateFunction"));
    free(err);
    free(cfg);
    rm_src(dir);
    cp_release(conf);
    cp_release(s);
    cp_release(role);
}

typedef struct fix_ud {
    cpt_env *e;
} fix_ud;

static void *fix_trust(void *ud)
{
    cpt_env *e = ((fix_ud *)ud)->e;
    usleep(100 * 1000);
    cpt_boto(
        e, "iam",
        "update_assume_role_policy(RoleName='fn-role', PolicyDocument='{\"Version\": \"2012-10-17\", "
        "\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, "
        "\"Action\": \"sts:AssumeRole\"}]}')");
    return NULL;
}

/* The role becomes assumable while create is retrying: create succeeds. */
static void test_role_becomes_assumable(void **st)
{
    cpt_env *e = *st;
    cp_value *role = make_role(e, "ec2");
    char *dir = make_src("x = 1\n"), *cfg = fn_config(dir, NULL);
    setenv("CPSTACK_WAIT_SCALE", "0.1", 1); /* a 12 s window: enough for boto to start */
    fix_ud ud = { e };
    pthread_t t;
    pthread_create(&t, NULL, fix_trust, &ud);
    cp_value *s = cpt_create_ok(e, "aws_lambda_function", cfg);
    pthread_join(t, NULL);
    setenv("CPSTACK_WAIT_SCALE", "0.01", 1);
    assert_string_equal(cpt_str(s, "id"), "jobs-stop");
    free(cfg);
    rm_src(dir);
    cp_release(s);
    cp_release(role);
}

static void test_function_validation(void **st)
{
    (void)st;
    assert_null(cpt_validate("aws_lambda_function", "function_name", "\"jobs-stop_1\""));
    assert_non_null(
        strstr(cpt_validate("aws_lambda_function", "function_name", "\"bad name\""), "1 to 64"));
    assert_non_null(strstr(cpt_validate("aws_lambda_function", "timeout", "901"), "900"));
    assert_non_null(strstr(cpt_validate("aws_lambda_function", "memory_size", "64"), "128"));
    /* the range botocore (CreateFunction MemorySize) and Terraform give: 128-32768 */
    assert_null(cpt_validate("aws_lambda_function", "memory_size", "16384"));
    assert_null(cpt_validate("aws_lambda_function", "memory_size", "32768"));
    assert_non_null(strstr(cpt_validate("aws_lambda_function", "memory_size", "32769"), "32768"));
    assert_non_null(strstr(cpt_validate("aws_lambda_function", "role", "\"fn-role\""), "ARN"));
    assert_non_null(
        strstr(cpt_validate("aws_lambda_permission", "action", "\"InvokeFunction\""), "lambda:"));
    assert_non_null(
        strstr(cpt_validate("aws_lambda_permission", "statement_id", "\"a b\""), "statement_id"));
}

/* --- aws_lambda_permission and the cronproj wiring ------------------------------------- */

static cp_value *make_fn(cpt_env *e, char **dir)
{
    *dir = make_src("def handler(e, c):\n    return 1\n");
    char *cfg = fn_config(*dir, NULL);
    cp_value *s = cpt_create_ok(e, "aws_lambda_function", cfg);
    free(cfg);
    return s;
}

static void test_permission_and_s3_wiring(void **st)
{
    cpt_env *e = *st;
    cp_value *role = make_role(e, "lambda"),
             *bucket = cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"job-data\"}");
    char *dir;
    cp_value *fn = make_fn(e, &dir);
    const char *arn = cpt_str(fn, "arn");
    cp_value *p = cpt_create_ok(
        e, "aws_lambda_permission",
        "{\"statement_id\": \"AllowS3\", \"action\": \"lambda:InvokeFunction\", \"function_name\": \"jobs-stop\", "
        "\"principal\": \"s3.amazonaws.com\", \"source_arn\": \"arn:aws:s3:::job-data\", "
        "\"source_account\": \"123456789012\"}");
    assert_string_equal(cpt_str(p, "id"), "AllowS3");
    json_t *f = fn_dump(e, "jobs-stop");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(f, "_policy"), 0), "Sid")),
        "AllowS3");
    json_decref(f);
    cp_value *r = cpt_read_ok(e, "aws_lambda_permission", p);
    assert_true(cp_equal(r, p));

    char ncfg[512];
    snprintf(ncfg, sizeof ncfg,
             "{\"bucket\": \"job-data\", \"lambda_function\": [{\"lambda_function_arn\": \"%s\", "
             "\"events\": [\"s3:ObjectCreated:*\"], \"filter_prefix\": \"in/\"}]}",
             arn);
    cp_value *n = cpt_create_ok(e, "aws_s3_bucket_notification", ncfg);
    json_t *nc = cpt_aws(e, "s3", "get_bucket_notification_configuration(Bucket='job-data')");
    json_t *lc = json_array_get(json_object_get(nc, "LambdaFunctionConfigurations"), 0);
    assert_non_null(lc);
    assert_string_equal(json_string_value(json_object_get(lc, "LambdaFunctionArn")), arn);
    json_decref(nc);
    if (cpt_emulator_only(e, "an S3 upload invokes the function (/_emulator/state invocations; "
                             "moto runs Lambda code only in Docker)")) {
        assert_int_equal(
            cpt_boto(e, "s3", "put_object(Bucket='job-data', Key='in/i-123', Body=b'x')"), 0);
        json_t *dump = cpt_dump(e, "lambda");
        json_t *fd = cpt_path(dump, "lambda/us-east-1/functions/jobs-stop");
        assert_int_equal(json_array_size(json_object_get(fd, "_invocations")), 1);
        json_decref(dump);
    }

    cp_value *imp = cpt_import_ok(e, "aws_lambda_permission", "jobs-stop/AllowS3");
    assert_true(cp_equal(imp, p));
    cp_value *none = NULL;
    char *err = NULL;
    assert_int_equal(cpt_import(e, "aws_lambda_permission", "AllowS3", &none, &err), -1);
    assert_non_null(strstr(err, "<function_name>/<statement_id>"));
    free(err);

    cpt_delete_ok(e, "aws_s3_bucket_notification", n);
    cpt_delete_ok(e, "aws_lambda_permission", p);
    assert_null(cpt_read_ok(e, "aws_lambda_permission", p));
    cp_value *p2 = cpt_create_ok(
        e, "aws_lambda_permission",
        "{\"statement_id\": \"Acct\", \"action\": \"lambda:InvokeFunction\", \"function_name\": \"jobs-stop\", "
        "\"principal\": \"111122223333\"}");
    cp_value *r2 = cpt_read_ok(e, "aws_lambda_permission", p2);
    assert_string_equal(cpt_str(r2, "principal"), "111122223333");
    assert_int_equal(
        cpt_boto(e, "lambda", "remove_permission(FunctionName='jobs-stop', StatementId='Acct')"),
        0);
    assert_null(cpt_read_ok(e, "aws_lambda_permission", p2));
    cpt_delete_ok(e, "aws_lambda_function", fn);
    assert_null(cpt_read_ok(e, "aws_lambda_permission", p2)); /* function gone too */
    rm_src(dir);
    cp_release(role);
    cp_release(bucket);
    cp_release(fn);
    cp_release(p);
    cp_release(r);
    cp_release(n);
    cp_release(imp);
    cp_release(p2);
    cp_release(r2);
}

/* Refresh of many functions: ListFunctions (50 a page) and one Tagging API call;
 * GetFunction only for the function whose tags changed behind cpstack's back and to
 * confirm the ones gone: 5 requests for 7 functions. */
static void test_function_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 6 };
    cp_value *role = make_role(e, "lambda");
    char *dir = make_src("def handler(e, c):\n    return 1\n");
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char extra[120], *cfg, *name;
        snprintf(extra, sizeof extra, ", \"timeout\": %d%s", 3 + i,
                 i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}");
        cfg = fn_config(dir, extra);
        assert_true(asprintf(&name, "batch-fn-%d", i) > 0);
        cp_value *v = cpt_val(cfg), *named = cp_map_new();
        for (size_t k = 0; k < cp_len(v); k++)
            cp_map_set_take(named, cp_map_key_at(v, k), cp_retain(cp_map_value_at(v, k)));
        cp_set_str(named, "function_name", name);
        char *err = NULL;
        if (cpt_create(e, "aws_lambda_function", named, &made[i], &err) != 0) fail_msg("%s", err);
        states[i] = made[i];
        cp_release(v);
        cp_release(named);
        free(cfg);
        free(name);
    }
    made[N] = cpt_val("{\"id\": \"batch-fn-never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "lambda", "delete_function(FunctionName='batch-fn-3')"), 0);
    assert_int_equal(cpt_boto(e, "lambda", "tag_resource(Resource='%s', Tags={'n': 'x'})",
                              cpt_str(made[4], "arn")),
                     0);
    long calls = cpt_read_batch_ok(e, "aws_lambda_function", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_int_equal((int)cp_number_val(cp_map_get(out[5], "timeout")), 8);
    /* ListFunctions, GetResources, GetFunction for the changed tags and the 2 gone */
    if (calls >= 0) assert_int_equal(calls, 5);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_lambda_function", made[i]);
        cp_release(made[i]);
    }
    rm_src(dir);
    cpt_delete_ok(e, "aws_iam_role", role);
    cp_release(role);
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
        cmocka_unit_test(test_zip_deterministic),
        cmocka_unit_test_setup(test_function_lifecycle, reset),
        cmocka_unit_test_setup(test_function_from_zip_and_gone, reset),
        cmocka_unit_test_setup(test_role_not_assumable, reset),
        cmocka_unit_test_setup(test_role_becomes_assumable, reset),
        cmocka_unit_test(test_function_validation),
        cmocka_unit_test_setup(test_permission_and_s3_wiring, reset),
        cmocka_unit_test_setup(test_function_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
