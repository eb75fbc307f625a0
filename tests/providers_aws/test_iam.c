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
    cp_value *s =
        cpt_create_ok(e, "aws_iam_user",
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

    cp_value *s2 =
        cpt_update_ok(e, "aws_iam_user", s,
                      "{\"name\": \"deploy2\", \"path\": \"/ops/\", \"force_destroy\": true,"
                      " \"tags\": {\"team\": \"b\", \"env\": \"x\"}}");
    assert_string_equal(cpt_str(s2, "id"), "deploy2");
    assert_string_equal(cpt_str(cp_map_get(s2, "tags") ? s2 : s2, "name"), "deploy2");
    u = iam(e, "users/deploy2");
    assert_non_null(u);
    assert_int_equal(json_array_size(json_object_get(u, "Tags")), 2);
    json_decref(u);

    cp_value *imp = cpt_import_ok(e, "aws_iam_user", "deploy2");
    cpt_assert_same(
        imp, s2, (const char *const[]){ "id", "name", "path", "arn", "unique_id", "tags", NULL });
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
    cp_value *s = cpt_create_ok(e, "aws_iam_user",
                                "{\"name\": \"full\", \"path\": \"/\", \"force_destroy\": true}");
    assert_int_equal(cpt_boto(e, "iam", "create_access_key(UserName='full')"), 0);
    assert_int_equal(cpt_boto(e, "iam",
                              "put_user_policy(UserName='full', PolicyName='p', "
                              "PolicyDocument='{\"Version\": \"2012-10-17\", \"Statement\": []}')"),
                     0);
    assert_int_equal(cpt_boto(e, "iam",
                              "attach_user_policy(UserName='full', "
                              "PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')"),
                     0);
    cpt_delete_ok(e, "aws_iam_user", s);
    assert_null(iam(e, "users/full"));
    cp_release(s);
}

#define TRUST                                                                                      \
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "                       \
    "\"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}"
#define DOC(action)                                                                                \
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "                       \
    "\"Action\": \"" action "\", \"Resource\": \"*\"}]}"

/* JSON-escapes a policy for embedding in a config's JSON text. */
static char *q(const char *doc)
{
    json_t *s = json_string(doc);
    char *out = json_dumps(s, JSON_ENCODE_ANY);
    json_decref(s);
    return out;
}

/* ---- aws_iam_access_key ------------------------------------------------------------ */

static void test_access_key(void **st)
{
    cpt_env *e = *st;
    cp_value *u = cpt_create_ok(e, "aws_iam_user", "{\"name\": \"ci\", \"path\": \"/\"}");
    cp_value *k =
        cpt_create_ok(e, "aws_iam_access_key", "{\"user\": \"ci\", \"status\": \"Active\"}");
    const char *id = cpt_str(k, "id");
    assert_true(cp_is_sensitive(cp_map_get(k, "secret")));
    assert_true(strlen(cpt_str(k, "secret")) >= 20);
    char path[128];
    snprintf(path, sizeof path, "users/ci/_keys/%s/Status", id);
    json_t *st1 = iam(e, path);
    assert_string_equal(json_string_value(st1), "Active");
    json_decref(st1);

    cp_value *r = cpt_read_ok(e, "aws_iam_access_key", k);
    assert_true(cp_equal(r, k));
    cp_value *k2 =
        cpt_update_ok(e, "aws_iam_access_key", k, "{\"user\": \"ci\", \"status\": \"Inactive\"}");
    st1 = iam(e, path);
    assert_string_equal(json_string_value(st1), "Inactive");
    json_decref(st1);

    cp_value *imp = cpt_import_ok(e, "aws_iam_access_key", id);
    cpt_assert_same(imp, k2, (const char *const[]){ "id", "user", "status", NULL });

    assert_non_null(strstr(cpt_validate("aws_iam_access_key", "status", "\"On\""), "Inactive"));
    cpt_delete_ok(e, "aws_iam_access_key", k2);
    assert_null(iam(e, path));
    assert_null(cpt_read_ok(e, "aws_iam_access_key", k2));
    cp_release(imp);
    cp_release(r);
    cp_release(k);
    cp_release(k2);
    cp_release(u);
}

/* ---- inline policies and attachments, for users and roles ---------------------------- */

static void inline_policy(cpt_env *e, const char *type, const char *owner_attr, const char *owner,
                          const char *table)
{
    char *d1 = q(DOC("s3:GetObject")), *d2 = q(DOC("s3:*"));
    char cfg[1024], path[256];
    snprintf(cfg, sizeof cfg, "{\"%s\": \"%s\", \"name\": \"p1\", \"policy\": %s}", owner_attr,
             owner, d1);
    cp_value *s = cpt_create_ok(e, type, cfg);
    char id[128];
    snprintf(id, sizeof id, "%s:p1", owner);
    assert_string_equal(cpt_str(s, "id"), id);
    snprintf(path, sizeof path, "%s/%s/_policies/p1", table, owner);
    json_t *doc = iam(e, path);
    assert_non_null(strstr(json_string_value(doc), "s3:GetObject"));
    json_decref(doc);

    cp_value *r = cpt_read_ok(e, type, s);
    assert_true(cp_equal(r, s)); /* same text kept: no spurious diff */
    snprintf(cfg, sizeof cfg, "{\"%s\": \"%s\", \"name\": \"p1\", \"policy\": %s}", owner_attr,
             owner, d2);
    cp_value *s2 = cpt_update_ok(e, type, s, cfg);
    doc = iam(e, path);
    assert_non_null(strstr(json_string_value(doc), "s3:*"));
    json_decref(doc);
    cp_value *imp = cpt_import_ok(e, type, id);
    cpt_assert_same(imp, s2, (const char *const[]){ "id", "name", "policy", NULL });
    assert_non_null(strstr(cpt_validate(type, "policy", "\"{not json\""), "JSON"));
    cpt_delete_ok(e, type, s2);
    assert_null(iam(e, path));
    assert_null(cpt_read_ok(e, type, s2));
    free(d1);
    free(d2);
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
}

static void attachment(cpt_env *e, const char *type, const char *owner_attr, const char *owner,
                       const char *table)
{
    const char *arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    char cfg[512], path[256], id[256];
    snprintf(cfg, sizeof cfg, "{\"%s\": \"%s\", \"policy_arn\": \"%s\"}", owner_attr, owner, arn);
    cp_value *s = cpt_create_ok(e, type, cfg);
    snprintf(id, sizeof id, "%s/%s", owner, arn);
    assert_string_equal(cpt_str(s, "id"), id);
    snprintf(path, sizeof path, "%s/%s/_attached", table, owner);
    json_t *att = iam(e, path);
    assert_string_equal(json_string_value(json_array_get(att, 0)), arn);
    json_decref(att);
    cp_value *r = cpt_read_ok(e, type, s);
    assert_true(cp_equal(r, s));
    cp_value *imp = cpt_import_ok(e, type, id);
    cpt_assert_same(imp, s, (const char *const[]){ "id", owner_attr, "policy_arn", NULL });
    assert_non_null(cpt_validate(type, "policy_arn", "\"ReadOnlyAccess\""));
    cpt_delete_ok(e, type, s);
    att = iam(e, path);
    assert_int_equal(json_array_size(att), 0);
    json_decref(att);
    assert_null(cpt_read_ok(e, type, s));
    cp_release(s);
    cp_release(r);
    cp_release(imp);
}

static void test_user_policies(void **st)
{
    cpt_env *e = *st;
    cp_value *u = cpt_create_ok(e, "aws_iam_user", "{\"name\": \"ops\", \"path\": \"/\"}");
    inline_policy(e, "aws_iam_user_policy", "user", "ops", "users");
    attachment(e, "aws_iam_user_policy_attachment", "user", "ops", "users");
    cp_release(u);
}

static void test_role_policies(void **st)
{
    cpt_env *e = *st;
    char *trust = q(TRUST), cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"name\": \"runner\", \"assume_role_policy\": %s}", trust);
    cp_value *r = cpt_create_ok(e, "aws_iam_role", cfg);
    inline_policy(e, "aws_iam_role_policy", "role", "runner", "roles");
    attachment(e, "aws_iam_role_policy_attachment", "role", "runner", "roles");
    free(trust);
    cp_release(r);
}

/* ---- aws_iam_role ---------------------------------------------------------------------- */

static void test_role(void **st)
{
    cpt_env *e = *st;
    char *trust = q(TRUST), cfg[2048];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"app\", \"path\": \"/svc/\", \"assume_role_policy\": %s,"
             " \"description\": \"d1\", \"max_session_duration\": 3600, \"tags\": {\"a\": \"1\"}}",
             trust);
    cp_value *s = cpt_create_ok(e, "aws_iam_role", cfg);
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:iam::123456789012:role/svc/app");
    json_t *rec = iam(e, "roles/app");
    assert_string_equal(json_string_value(json_object_get(rec, "Description")), "d1");
    assert_string_equal(cpt_str(s, "unique_id"), json_string_value(json_object_get(rec, "RoleId")));
    json_decref(rec);
    cp_value *r = cpt_read_ok(e, "aws_iam_role", s);
    assert_true(cp_equal(r, s));

    snprintf(cfg, sizeof cfg,
             "{\"name\": \"app\", \"path\": \"/svc/\", \"assume_role_policy\": %s,"
             " \"description\": \"d2\", \"max_session_duration\": 7200, \"tags\": {\"b\": \"2\"}}",
             trust);
    cp_value *s2 = cpt_update_ok(e, "aws_iam_role", s, cfg);
    rec = iam(e, "roles/app");
    assert_string_equal(json_string_value(json_object_get(rec, "Description")), "d2");
    assert_int_equal(json_integer_value(json_object_get(rec, "MaxSessionDuration")), 7200);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(rec, "Tags"), 0), "Key")),
        "b");
    json_decref(rec);
    cp_value *imp = cpt_import_ok(e, "aws_iam_role", "app");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "path", "arn", "description",
                                           "max_session_duration", "tags", NULL });
    assert_non_null(cpt_validate("aws_iam_role", "max_session_duration", "60"));

    /* force_detach_policies lets delete remove what IAM would refuse to orphan */
    assert_int_equal(cpt_boto(e, "iam",
                              "attach_role_policy(RoleName='app', "
                              "PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')"),
                     0);
    char *err = NULL;
    assert_int_equal(cpt_delete(e, "aws_iam_role", s2, &err), -1);
    assert_one_line_error(err, "aws_iam_role.test", "DeleteRole", "DeleteConflict");
    free(err);
    cp_value *s3 =
        cpt_update_ok(e, "aws_iam_role", s2,
                      "{\"name\": \"app\", \"path\": \"/svc/\", "
                      "\"assume_role_policy\": \"{}\", \"force_detach_policies\": true}");
    cpt_delete_ok(e, "aws_iam_role", s3);
    assert_null(iam(e, "roles/app"));
    assert_null(cpt_read_ok(e, "aws_iam_role", s3));
    free(trust);
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(s3);
}

/* ---- aws_iam_policy ---------------------------------------------------------------------- */

static void test_policy(void **st)
{
    cpt_env *e = *st;
    char *d1 = q(DOC("ecr:*")), cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"ecr-push\", \"path\": \"/\", \"description\": \"push\","
             " \"policy\": %s}",
             d1);
    cp_value *s = cpt_create_ok(e, "aws_iam_policy", cfg);
    const char *arn = "arn:aws:iam::123456789012:policy/ecr-push";
    assert_string_equal(cpt_str(s, "id"), arn);
    assert_string_equal(cpt_str(s, "arn"), arn);
    assert_true(strncmp(cpt_str(s, "policy_id"), "ANPA", 4) == 0);
    cp_value *r = cpt_read_ok(e, "aws_iam_policy", s);
    assert_true(cp_equal(r, s));
    cp_value *cur = s;
    for (int i = 0; i < 6; i++) { /* past the limit of 5 versions */
        char doc[160], *qd;
        snprintf(doc, sizeof doc, DOC("ecr:Get%d"), i);
        qd = q(doc);
        snprintf(cfg, sizeof cfg,
                 "{\"name\": \"ecr-push\", \"path\": \"/\", \"description\": \"push\","
                 " \"policy\": %s}",
                 qd);
        free(qd);
        cp_value *next = cpt_update_ok(e, "aws_iam_policy", cur, cfg);
        if (cur != s) cp_release(cur);
        cur = next;
    }
    assert_non_null(strstr(cpt_str(cur, "policy"), "ecr:Get5"));
    char path[256];
    snprintf(path, sizeof path, "policies/%s/_versions", arn);
    json_t *versions = iam(e, path);
    assert_true(json_object_size(versions) <= 5);
    json_decref(versions);
    cp_value *imp = cpt_import_ok(e, "aws_iam_policy", arn);
    cpt_assert_same(imp, cur,
                    (const char *const[]){ "id", "name", "arn", "policy", "policy_id", NULL });
    cpt_delete_ok(e, "aws_iam_policy", cur);
    snprintf(path, sizeof path, "policies/%s", arn);
    assert_null(iam(e, path));
    assert_null(cpt_read_ok(e, "aws_iam_policy", cur));
    assert_non_null(strstr(cpt_validate("aws_iam_policy", "name", "\"a b\""), "letters"));
    free(d1);
    cp_release(s);
    cp_release(r);
    cp_release(cur);
    cp_release(imp);
}

/* ---- aws_iam_instance_profile ---------------------------------------------------------------- */

static void test_instance_profile(void **st)
{
    cpt_env *e = *st;
    char *trust = q(TRUST), cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"name\": \"r1\", \"assume_role_policy\": %s}", trust);
    cp_value *r1 = cpt_create_ok(e, "aws_iam_role", cfg);
    snprintf(cfg, sizeof cfg, "{\"name\": \"r2\", \"assume_role_policy\": %s}", trust);
    cp_value *r2 = cpt_create_ok(e, "aws_iam_role", cfg);

    cp_value *s = cpt_create_ok(e, "aws_iam_instance_profile",
                                "{\"name\": \"home\", \"path\": \"/\", \"role\": \"r1\"}");
    assert_string_equal(cpt_str(s, "role"), "r1");
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:iam::123456789012:instance-profile/home");
    json_t *roles = iam(e, "profiles/home/_roles");
    assert_string_equal(json_string_value(json_array_get(roles, 0)), "r1");
    json_decref(roles);
    cp_value *r = cpt_read_ok(e, "aws_iam_instance_profile", s);
    assert_true(cp_equal(r, s));
    cp_value *s2 = cpt_update_ok(e, "aws_iam_instance_profile", s,
                                 "{\"name\": \"home\", \"path\": \"/\", \"role\": \"r2\"}");
    roles = iam(e, "profiles/home/_roles");
    assert_string_equal(json_string_value(json_array_get(roles, 0)), "r2");
    json_decref(roles);
    cp_value *imp = cpt_import_ok(e, "aws_iam_instance_profile", "home");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "role", "arn", "unique_id", NULL });
    cpt_delete_ok(e, "aws_iam_instance_profile", s2);
    assert_null(iam(e, "profiles/home"));
    assert_null(cpt_read_ok(e, "aws_iam_instance_profile", s2));
    free(trust);
    cp_release(r1);
    cp_release(r2);
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
}

/* ---- main ---------------------------------------------------------------------- */

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
        cmocka_unit_test_setup(test_user_lifecycle, reset),
        cmocka_unit_test_setup(test_user_gone_and_errors, reset),
        cmocka_unit_test_setup(test_user_force_destroy, reset),
        cmocka_unit_test_setup(test_access_key, reset),
        cmocka_unit_test_setup(test_user_policies, reset),
        cmocka_unit_test_setup(test_role_policies, reset),
        cmocka_unit_test_setup(test_role, reset),
        cmocka_unit_test_setup(test_policy, reset),
        cmocka_unit_test_setup(test_instance_profile, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
