/*
 * test_iam.c: the IAM resource types (src/providers/aws/iam_*.c) against
 * the emulator: create / read / update / delete / import, deletion behind
 * cpstack's back, validation messages and AWS error messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"

static json_t *iam(cpt_env *e, const char *path)
{
    json_t *dump = cpt_dump(e, "iam");
    char full[256];
    snprintf(full, sizeof full, "iam/%s", path);
    json_t *j = json_incref(cpt_path(dump, full));
    json_decref(dump);
    return j;
}

static void assert_one_line_error(const char *msg, const char *address, const char *op,
                                  const char *code)
{
    assert_non_null(msg);
    assert_null(strchr(msg, '\n'));
    assert_non_null(strstr(msg, address));
    assert_non_null(strstr(msg, op));
    assert_non_null(strstr(msg, code));
    assert_non_null(strstr(msg, "request id"));
}

/* ---- aws_iam_user ---------------------------------------------------------------- */

static void test_user_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_iam_user",
                                "{\"name\": \"deploy\", \"path\": \"/ops/\", \"force_destroy\": false,"
                                " \"tags\": {\"team\": \"a\"}}");
    assert_string_equal(cpt_str(s, "id"), "deploy");
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:iam::123456789012:user/ops/deploy");
    json_t *u = iam(e, "users/deploy");
    assert_non_null(u);
    assert_string_equal(json_string_value(json_object_get(u, "Path")), "/ops/");
    assert_string_equal(cpt_str(s, "unique_id"), json_string_value(json_object_get(u, "UserId")));
    json_decref(u);

    cp_value *r = cpt_read_ok(e, "aws_iam_user", s);
    assert_true(cp_equal(r, s));
    cp_release(r);

    cp_value *s2 = cpt_update_ok(e, "aws_iam_user", s,
                                 "{\"name\": \"deploy2\", \"path\": \"/ops/\", \"force_destroy\": true,"
                                 " \"tags\": {\"team\": \"b\", \"env\": \"x\"}}");
    assert_string_equal(cpt_str(s2, "id"), "deploy2");
    assert_string_equal(cpt_str(cp_map_get(s2, "tags") ? s2 : s2, "name"), "deploy2");
    u = iam(e, "users/deploy2");
    assert_non_null(u);
    assert_int_equal(json_array_size(json_object_get(u, "Tags")), 2);
    json_decref(u);

    cp_value *imp = cpt_import_ok(e, "aws_iam_user", "deploy2");
    cpt_assert_same(imp, s2, (const char *const[]){ "id", "name", "path", "arn", "unique_id", "tags", NULL });
    cp_release(imp);

    cpt_delete_ok(e, "aws_iam_user", s2);
    assert_null(iam(e, "users/deploy2"));
    cp_release(s);
    cp_release(s2);
}

static void test_user_gone_and_errors(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_iam_user", "{\"name\": \"ghost\", \"path\": \"/\"}");
    assert_int_equal(cpt_boto(e, "iam", "delete_user(UserName='ghost')"), 0);
    assert_null(cpt_read_ok(e, "aws_iam_user", s));

    cp_value *cfg = cpt_val("{\"name\": \"dup\", \"path\": \"/\"}"), *s2 = NULL;
    cp_value *s1 = cpt_create_ok(e, "aws_iam_user", "{\"name\": \"dup\", \"path\": \"/\"}");
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_iam_user", cfg, &s2, &err), -1);
    assert_one_line_error(err, "aws_iam_user.test", "CreateUser", "EntityAlreadyExists");
    free(err);

    char *ierr = NULL;
    cp_value *none = NULL;
    assert_int_equal(cpt_import(e, "aws_iam_user", "nobody", &none, &ierr), -1);
    assert_non_null(strstr(ierr, "nobody"));
    free(ierr);

    assert_null(cpt_validate("aws_iam_user", "name", "\"ok.name@x\""));
    assert_non_null(strstr(cpt_validate("aws_iam_user", "name", "\"bad name\""), "letters"));
    assert_non_null(strstr(cpt_validate("aws_iam_user", "path", "\"ops\""), "'/'"));
    cp_release(s);
    cp_release(s1);
    cp_release(s2);
    cp_release(cfg);
}

static void test_user_force_destroy(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_iam_user", "{\"name\": \"full\", \"path\": \"/\", \"force_destroy\": true}");
    assert_int_equal(cpt_boto(e, "iam", "create_access_key(UserName='full')"), 0);
    assert_int_equal(cpt_boto(e, "iam", "put_user_policy(UserName='full', PolicyName='p', "
                              "PolicyDocument='{\"Version\": \"2012-10-17\", \"Statement\": []}')"), 0);
    assert_int_equal(cpt_boto(e, "iam", "attach_user_policy(UserName='full', "
                              "PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')"), 0);
    cpt_delete_ok(e, "aws_iam_user", s);
    assert_null(iam(e, "users/full"));
    cp_release(s);
}

/* ---- main ---------------------------------------------------------------------- */

static int setup(void **st) { *st = cpt_start(); return *st ? 0 : -1; }
static int teardown(void **st) { cpt_stop(*st); return 0; }
static int reset(void **st) { cpt_reset(*st); return 0; }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_user_lifecycle, reset),
        cmocka_unit_test_setup(test_user_gone_and_errors, reset),
        cmocka_unit_test_setup(test_user_force_destroy, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
