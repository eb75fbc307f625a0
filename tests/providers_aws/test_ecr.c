/*
 * test_ecr.c: the ECR resource types (src/providers/aws/ecr_*.c): name
 * validation, AWS error messages, and — when the emulator implements ECR —
 * create / read / update / delete / import against it.
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

static void test_validation(void **st)
{
    (void)st;
    assert_null(cpt_validate("aws_ecr_repository", "name", "\"team/app-web\""));
    const char *bad[] = { "\"App\"", "\"a\"", "\"-ab\"", "\"a__b\"", "\"a b\"", "\"ab/\"" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *msg = cpt_validate("aws_ecr_repository", "name", bad[i]);
        assert_non_null(msg);
        assert_non_null(strstr(msg, "lower-case"));
    }
    assert_non_null(cpt_validate("aws_ecr_repository", "image_tag_mutability", "\"mutable\""));
    assert_non_null(cpt_validate("aws_ecr_lifecycle_policy", "policy", "\"{\""));
    assert_non_null(cpt_validate("aws_ecr_repository_policy", "repository", "\"Up\""));
}

static void test_error_line(void **st)
{
    cpt_env *e = *st;
    /* a rejection every endpoint makes: the name is taken */
    cp_value *first = cpt_create_ok(e, "aws_ecr_repository", "{\"name\": \"taken\"}");
    cp_value *dup = cpt_val("{\"name\": \"taken\"}"), *ds = NULL;
    char *derr = NULL;
    assert_int_equal(cpt_create(e, "aws_ecr_repository", dup, &ds, &derr), -1);
    assert_null(strchr(derr, '\n'));
    assert_non_null(strstr(derr, "aws_ecr_repository.test: CreateRepository: "
                                 "RepositoryAlreadyExistsException"));
    free(derr);
    cp_release(dup);
    cp_release(first);
    /* a server error on every attempt: retried, then one line */
    if (!cpt_emulator_only(e, "fault injection (/_emulator/faults)")) return;
    json_decref(cpt_admin(e, "POST", "faults",
                          "{\"next\": [{\"kind\": \"error\", \"service\": \"ecr\", "
                          "\"operation\": \"CreateRepository\", \"count\": 5}]}"));
    cp_value *cfg = cpt_val("{\"name\": \"web\"}"), *s = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_ecr_repository", cfg, &s, &err), -1);
    assert_null(strchr(err, '\n'));
    assert_non_null(strstr(err, "aws_ecr_repository.test: CreateRepository: "));
    assert_non_null(strstr(err, "(request id "));
    free(err);
    json_decref(cpt_admin(e, "DELETE", "faults", NULL));
    cp_release(cfg);
}

static void test_repository(void **st)
{
    cpt_env *e = *st;
    cp_value *s =
        cpt_create_ok(e, "aws_ecr_repository",
                      "{\"name\": \"jobs\", \"image_tag_mutability\": "
                      "\"MUTABLE\", \"image_scanning_configuration\": [{\"scan_on_push\": false}],"
                      " \"tags\": {\"a\": \"1\"}}");
    assert_string_equal(cpt_str(s, "registry_id"), "123456789012");
    json_t *d = cpt_aws(e, "ecr", "describe_repositories(repositoryNames=['jobs'])");
    assert_non_null(cpt_find(json_object_get(d, "repositories"), "repositoryName", "jobs"));
    json_decref(d);
    assert_non_null(strstr(cpt_str(s, "repository_url"), "/jobs"));
    cp_value *r = cpt_read_ok(e, "aws_ecr_repository", s);
    assert_true(cp_equal(r, s));
    cp_value *s2 =
        cpt_update_ok(e, "aws_ecr_repository", s,
                      "{\"name\": \"jobs\", \"image_tag_mutability\": "
                      "\"IMMUTABLE\", \"image_scanning_configuration\": [{\"scan_on_push\": true}],"
                      " \"tags\": {\"b\": \"2\"}}");
    assert_string_equal(cpt_str(s2, "image_tag_mutability"), "IMMUTABLE");
    d = cpt_aws(e, "ecr", "describe_repositories(repositoryNames=['jobs'])");
    json_t *rec = cpt_find(json_object_get(d, "repositories"), "repositoryName", "jobs");
    assert_string_equal(json_string_value(json_object_get(rec, "imageTagMutability")), "IMMUTABLE");
    assert_true(json_is_true(cpt_path(rec, "imageScanningConfiguration/scanOnPush")));
    json_decref(d);
    cp_value *imp = cpt_import_ok(e, "aws_ecr_repository", "jobs");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "arn", "repository_url",
                                           "image_tag_mutability", "tags", NULL });

    cp_value *lp = cpt_create_ok(e, "aws_ecr_lifecycle_policy",
                                 "{\"repository\": \"jobs\", \"policy\": "
                                 "\"{\\\"rules\\\": [{\\\"rulePriority\\\": 1, \\\"selection\\\": "
                                 "{\\\"tagStatus\\\": \\\"any\\\", \\\"countType\\\": "
                                 "\\\"imageCountMoreThan\\\", \\\"countNumber\\\": 10}, "
                                 "\\\"action\\\": {\\\"type\\\": \\\"expire\\\"}}]}\"}");
    cp_value *lr = cpt_read_ok(e, "aws_ecr_lifecycle_policy", lp);
    cpt_assert_same(lr, lp, (const char *const[]){ "id", "repository", "policy", NULL });
    cpt_delete_ok(e, "aws_ecr_lifecycle_policy", lp);
    assert_null(cpt_read_ok(e, "aws_ecr_lifecycle_policy", lp));

    cp_value *rp = cpt_create_ok(e, "aws_ecr_repository_policy",
                                 "{\"repository\": \"jobs\", \"policy\": "
                                 "\"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{"
                                 "\\\"Sid\\\": \\\"pull\\\", \\\"Effect\\\": \\\"Allow\\\", "
                                 "\\\"Principal\\\": {\\\"AWS\\\": "
                                 "\\\"arn:aws:iam::123456789012:root\\\"}, \\\"Action\\\": "
                                 "[\\\"ecr:BatchGetImage\\\"]}]}\"}");
    cp_value *rr = cpt_read_ok(e, "aws_ecr_repository_policy", rp);
    cpt_assert_same(rr, rp, (const char *const[]){ "id", "repository", "policy", NULL });
    cpt_delete_ok(e, "aws_ecr_repository_policy", rp);

    assert_int_equal(cpt_boto(e, "ecr", "delete_repository(repositoryName='jobs', force=True)"), 0);
    assert_null(cpt_read_ok(e, "aws_ecr_repository", s2));
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(lp);
    cp_release(lr);
    cp_release(rp);
    cp_release(rr);
}

/* Refresh of many repositories: one DescribeRepositories naming them all; as one is gone
 * (AWS then refuses the whole call) the region's repositories are listed instead, and the
 * ones missing confirmed by DescribeRepositories each. One Tagging API call for the tags,
 * ListTagsForResource only for the repository whose tags changed behind cpstack's back:
 * 6 requests for 9 repositories instead of 18. Runs on moto too (results only). */
static void test_repository_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 8 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[200];
        snprintf(cfg, sizeof cfg, "{\"name\": \"batch/r%d\"%s}", i,
                 i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}");
        made[i] = cpt_create_ok(e, "aws_ecr_repository", cfg);
        states[i] = made[i];
    }
    long calls = cpt_read_batch_ok(e, "aws_ecr_repository", states, N, out);
    if (calls >= 0) assert_int_equal(calls, 2); /* all there: DescribeRepositories, GetResources */
    for (int i = 0; i < N; i++) cp_release(out[i]);
    made[N] = cpt_val("{\"id\": \"batch/never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "ecr", "delete_repository(repositoryName='batch/r3')"), 0);
    assert_int_equal(cpt_boto(e, "ecr",
                              "tag_resource(resourceArn='%s', tags=[{'Key': 'n', 'Value': 'x'}])",
                              cpt_str(made[4], "arn")),
                     0);
    calls = cpt_read_batch_ok(e, "aws_ecr_repository", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_string_equal(cpt_str(out[5], "name"), "batch/r5");
    if (calls >= 0) assert_int_equal(calls, 6); /* named (refused), all, 2 confirmations, tags, 1 */
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_ecr_repository", made[i]);
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
        cmocka_unit_test_setup(test_validation, reset),
        cmocka_unit_test_setup(test_error_line, reset),
        cmocka_unit_test_setup(test_repository, reset),
        cmocka_unit_test_setup(test_repository_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
