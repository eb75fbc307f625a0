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

/* IAM's answer to one call, `member` of it (new reference), or NULL when
 * IAM answers with an error (NoSuchEntity …). */
static json_t *iam_get(cpt_env *e, const char *member, const char *fmt, const char *a,
                       const char *b)
{
    json_t *r = cpt_aws(e, "iam", fmt, a, b);
    json_t *j = cpt_aws_error(r) ? NULL : json_incref(cpt_path(r, member));
    json_decref(r);
    return j;
}

/* A user or role ("users" / "roles") as GetUser / GetRole show it, with
 * List*Tags's tags under "Tags"; NULL when IAM does not know it. */
static json_t *iam_entity(cpt_env *e, const char *table, const char *name)
{
    bool user = strcmp(table, "users") == 0;
    json_t *j = iam_get(e, user ? "User" : "Role",
                        user ? "get_user(UserName='%s')%s" : "get_role(RoleName='%s')%s", name, "");
    if (!j) return NULL;
    json_t *t = iam_get(
        e, "Tags", user ? "list_user_tags(UserName='%s')%s" : "list_role_tags(RoleName='%s')%s",
        name, "");
    json_object_set_new(j, "Tags", t ? t : json_array());
    return j;
}

/* The status of access key id of user, or NULL when IAM does not list it. */
static json_t *key_status(cpt_env *e, const char *user, const char *id)
{
    json_t *keys = iam_get(e, "AccessKeyMetadata", "list_access_keys(UserName='%s')%s", user, "");
    json_t *st = json_incref(json_object_get(cpt_find(keys, "AccessKeyId", id), "Status"));
    json_decref(keys);
    return st;
}

/* Inline policy p1 of a user or role, its document as JSON text; NULL when none. */
static char *inline_doc(cpt_env *e, const char *table, const char *owner)
{
    bool user = strcmp(table, "users") == 0;
    json_t *d = iam_get(e, "PolicyDocument",
                        user ? "get_user_policy(UserName='%s', PolicyName='%s')"
                             : "get_role_policy(RoleName='%s', PolicyName='%s')",
                        owner, "p1");
    char *text = d ? (json_is_string(d) ? strdup(json_string_value(d)) : json_dumps(d, 0)) : NULL;
    json_decref(d);
    return text;
}

/* The ARNs of the managed policies attached to a user or role (new array). */
static json_t *attached(cpt_env *e, const char *table, const char *owner)
{
    bool user = strcmp(table, "users") == 0;
    json_t *l = iam_get(e, "AttachedPolicies",
                        user ? "list_attached_user_policies(UserName='%s')%s"
                             : "list_attached_role_policies(RoleName='%s')%s",
                        owner, "");
    json_t *arns = json_array(), *p;
    size_t i;
    json_array_foreach(l, i, p) json_array_append(arns, json_object_get(p, "PolicyArn"));
    json_decref(l);
    return arns;
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
    json_t *u = iam_entity(e, "users", "deploy");
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
    u = iam_entity(e, "users", "deploy2");
    assert_non_null(u);
    assert_int_equal(json_array_size(json_object_get(u, "Tags")), 2);
    json_decref(u);

    cp_value *imp = cpt_import_ok(e, "aws_iam_user", "deploy2");
    cpt_assert_same(
        imp, s2, (const char *const[]){ "id", "name", "path", "arn", "unique_id", "tags", NULL });
    cp_release(imp);

    cpt_delete_ok(e, "aws_iam_user", s2);
    assert_null(iam_entity(e, "users", "deploy2"));
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
                              "PolicyDocument='{\"Version\": \"2012-10-17\", \"Statement\": "
                              "[{\"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", "
                              "\"Resource\": \"*\"}]}')"),
                     0);
    assert_int_equal(cpt_boto(e, "iam",
                              "attach_user_policy(UserName='full', "
                              "PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')"),
                     0);
    cpt_delete_ok(e, "aws_iam_user", s);
    assert_null(iam_entity(e, "users", "full"));
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
    json_t *st1 = key_status(e, "ci", id);
    assert_string_equal(json_string_value(st1), "Active");
    json_decref(st1);

    cp_value *r = cpt_read_ok(e, "aws_iam_access_key", k);
    assert_true(cp_equal(r, k));
    cp_value *k2 =
        cpt_update_ok(e, "aws_iam_access_key", k, "{\"user\": \"ci\", \"status\": \"Inactive\"}");
    st1 = key_status(e, "ci", id);
    assert_string_equal(json_string_value(st1), "Inactive");
    json_decref(st1);

    cp_value *imp = cpt_import_ok(e, "aws_iam_access_key", id);
    cpt_assert_same(imp, k2, (const char *const[]){ "id", "user", "status", NULL });

    assert_non_null(strstr(cpt_validate("aws_iam_access_key", "status", "\"On\""), "Inactive"));
    cpt_delete_ok(e, "aws_iam_access_key", k2);
    assert_null(key_status(e, "ci", id));
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
    char cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"%s\": \"%s\", \"name\": \"p1\", \"policy\": %s}", owner_attr,
             owner, d1);
    cp_value *s = cpt_create_ok(e, type, cfg);
    char id[128];
    snprintf(id, sizeof id, "%s:p1", owner);
    assert_string_equal(cpt_str(s, "id"), id);
    char *doc = inline_doc(e, table, owner);
    assert_non_null(doc);
    assert_non_null(strstr(doc, "s3:GetObject"));
    free(doc);

    cp_value *r = cpt_read_ok(e, type, s);
    assert_true(cp_equal(r, s)); /* same text kept: no spurious diff */
    snprintf(cfg, sizeof cfg, "{\"%s\": \"%s\", \"name\": \"p1\", \"policy\": %s}", owner_attr,
             owner, d2);
    cp_value *s2 = cpt_update_ok(e, type, s, cfg);
    doc = inline_doc(e, table, owner);
    assert_non_null(doc);
    assert_non_null(strstr(doc, "s3:*"));
    free(doc);
    cp_value *imp = cpt_import_ok(e, type, id);
    cpt_assert_same(imp, s2, (const char *const[]){ "id", "name", "policy", NULL });
    assert_non_null(strstr(cpt_validate(type, "policy", "\"{not json\""), "JSON"));
    cpt_delete_ok(e, type, s2);
    assert_null(inline_doc(e, table, owner));
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
    char cfg[512], id[256];
    snprintf(cfg, sizeof cfg, "{\"%s\": \"%s\", \"policy_arn\": \"%s\"}", owner_attr, owner, arn);
    cp_value *s = cpt_create_ok(e, type, cfg);
    snprintf(id, sizeof id, "%s/%s", owner, arn);
    assert_string_equal(cpt_str(s, "id"), id);
    json_t *att = attached(e, table, owner);
    assert_string_equal(json_string_value(json_array_get(att, 0)), arn);
    json_decref(att);
    cp_value *r = cpt_read_ok(e, type, s);
    assert_true(cp_equal(r, s));
    cp_value *imp = cpt_import_ok(e, type, id);
    cpt_assert_same(imp, s, (const char *const[]){ "id", owner_attr, "policy_arn", NULL });
    assert_non_null(cpt_validate(type, "policy_arn", "\"ReadOnlyAccess\""));
    cpt_delete_ok(e, type, s);
    att = attached(e, table, owner);
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
    json_t *rec = iam_entity(e, "roles", "app");
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
    rec = iam_entity(e, "roles", "app");
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
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"app\", \"path\": \"/svc/\", \"assume_role_policy\": %s, "
             "\"force_detach_policies\": true}",
             trust);
    cp_value *s3 = cpt_update_ok(e, "aws_iam_role", s2, cfg);
    cpt_delete_ok(e, "aws_iam_role", s3);
    assert_null(iam_entity(e, "roles", "app"));
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
    /* the id IAM gave it (ANPA… on AWS and the emulator; moto's ids are random) */
    json_t *pol = iam_get(e, "Policy", "get_policy(PolicyArn='%s')%s", arn, "");
    assert_string_equal(cpt_str(s, "policy_id"),
                        json_string_value(json_object_get(pol, "PolicyId")));
    json_decref(pol);
    if (cpt_emulator_only(e, "AWS's ANPA prefix of a policy id (moto's ids are random)"))
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
    json_t *versions = iam_get(e, "Versions", "list_policy_versions(PolicyArn='%s')%s", arn, "");
    assert_true(json_array_size(versions) >= 2 && json_array_size(versions) <= 5);
    json_decref(versions);
    cp_value *imp = cpt_import_ok(e, "aws_iam_policy", arn);
    cpt_assert_same(imp, cur,
                    (const char *const[]){ "id", "name", "arn", "policy", "policy_id", NULL });
    cpt_delete_ok(e, "aws_iam_policy", cur);
    assert_null(iam_get(e, "Policy", "get_policy(PolicyArn='%s')%s", arn, ""));
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
    json_t *roles = iam_get(e, "InstanceProfile/Roles",
                            "get_instance_profile(InstanceProfileName='%s')%s", "home", "");
    assert_int_equal(json_array_size(roles), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(roles, 0), "RoleName")),
                        "r1");
    json_decref(roles);
    cp_value *r = cpt_read_ok(e, "aws_iam_instance_profile", s);
    assert_true(cp_equal(r, s));
    cp_value *s2 = cpt_update_ok(e, "aws_iam_instance_profile", s,
                                 "{\"name\": \"home\", \"path\": \"/\", \"role\": \"r2\"}");
    roles = iam_get(e, "InstanceProfile/Roles", "get_instance_profile(InstanceProfileName='%s')%s",
                    "home", "");
    assert_int_equal(json_array_size(roles), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(roles, 0), "RoleName")),
                        "r2");
    json_decref(roles);
    cp_value *imp = cpt_import_ok(e, "aws_iam_instance_profile", "home");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "role", "arn", "unique_id", NULL });
    cpt_delete_ok(e, "aws_iam_instance_profile", s2);
    assert_null(iam_get(e, "InstanceProfile", "get_instance_profile(InstanceProfileName='%s')%s",
                        "home", ""));
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

/* Refresh of many roles: ListRoles and GetAccountAuthorizationDetails (the tags), GetRole
 * only for the roles neither lists (gone). 4 requests for 11 roles. */
static void test_role_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 10 };
    char *trust = q(TRUST), cfg[1024];
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        snprintf(cfg, sizeof cfg,
                 "{\"name\": \"batch-r%d\", \"assume_role_policy\": %s, \"description\": "
                 "\"r%d\"%s}",
                 i, trust, i, i % 2 ? "" : ", \"tags\": {\"n\": \"even\"}");
        made[i] = cpt_create_ok(e, "aws_iam_role", cfg);
        states[i] = made[i];
    }
    free(trust);
    made[N] = cpt_val("{\"id\": \"batch-never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "iam", "delete_role(RoleName='batch-r3')"), 0);
    assert_int_equal(
        cpt_boto(e, "iam", "tag_role(RoleName='batch-r4', Tags=[{'Key': 'n', 'Value': 'x'}])"), 0);
    long calls = cpt_read_batch_ok(e, "aws_iam_role", states, N + 1, out);
    assert_null(out[3]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    assert_string_equal(cpt_str(out[5], "description"), "r5");
    if (calls >= 0) assert_int_equal(calls, 4); /* ListRoles, GAAD, 2 GetRole */
    if (!cpt_on_moto()) { /* no permission for the listing: one GetRole each, as before */
        for (int i = 0; i <= N; i++) cp_release(out[i]);
        json_decref(cpt_admin(e, "POST", "faults",
                              "{\"next\": [{\"kind\": \"error\", \"operation\": "
                              "\"iam:GetAccountAuthorizationDetails\", \"code\": \"AccessDenied\", "
                              "\"status\": 403}]}"));
        calls = cpt_read_batch_ok(e, "aws_iam_role", states, N + 1, out);
        assert_int_equal(calls, 2 + N + 1); /* ListRoles, GAAD refused, 11 GetRole */
        assert_string_equal(cpt_str(cp_map_get(out[4], "tags"), "n"), "x");
    }
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 3 && i != N) cpt_delete_ok(e, "aws_iam_role", made[i]);
        cp_release(made[i]);
    }
}

/* Refresh of many inline role policies: one GetAccountAuthorizationDetails has every
 * document; GetRolePolicy only for the policies it does not list. 3 requests for 7. */
static void test_role_policy_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 6 };
    char *trust = q(TRUST), *doc = q(DOC("s3:GetObject")), cfg[2048];
    const cp_value *states[N + 1];
    cp_value *roles[N], *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        snprintf(cfg, sizeof cfg, "{\"name\": \"batch-p%d\", \"assume_role_policy\": %s}", i,
                 trust);
        roles[i] = cpt_create_ok(e, "aws_iam_role", cfg);
        snprintf(cfg, sizeof cfg, "{\"role\": \"batch-p%d\", \"name\": \"inline\", \"policy\": %s}",
                 i, doc);
        made[i] = cpt_create_ok(e, "aws_iam_role_policy", cfg);
        states[i] = made[i];
    }
    free(trust);
    free(doc);
    made[N] = cpt_val("{\"id\": \"batch-p0:never\", \"role\": \"batch-p0\"}");
    states[N] = made[N];
    assert_int_equal(
        cpt_boto(e, "iam", "delete_role_policy(RoleName='batch-p2', PolicyName='inline')"), 0);
    assert_int_equal(
        cpt_boto(e, "iam",
                 "put_role_policy(RoleName='batch-p1', PolicyName='inline', "
                 "PolicyDocument='{\"Version\": \"2012-10-17\", \"Statement\": "
                 "[{\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}')"),
        0);
    long calls = cpt_read_batch_ok(e, "aws_iam_role_policy", states, N + 1, out);
    assert_null(out[2]);
    assert_null(out[N]);
    assert_non_null(strstr(cpt_str(out[1], "policy"), "Deny"));
    assert_string_equal(cpt_str(out[0], "role"), "batch-p0");
    if (calls >= 0) assert_int_equal(calls, 3); /* GAAD, 2 GetRolePolicy */
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i < N && i != 2) cpt_delete_ok(e, "aws_iam_role_policy", made[i]);
        cp_release(made[i]);
        if (i < N) {
            cpt_delete_ok(e, "aws_iam_role", roles[i]);
            cp_release(roles[i]);
        }
    }
}

/* Refresh of many managed policy attachments: one GetAccountAuthorizationDetails lists
 * every role's attached policies; ListAttachedRolePolicies only for the ones it does not
 * show (gone). 3 requests for 5 attachments. */
static void test_role_attachment_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 4 };
    const char *arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    char *trust = q(TRUST), cfg[1024];
    const cp_value *states[N + 1];
    cp_value *roles[N], *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        snprintf(cfg, sizeof cfg, "{\"name\": \"batch-at%d\", \"assume_role_policy\": %s}", i,
                 trust);
        roles[i] = cpt_create_ok(e, "aws_iam_role", cfg);
        snprintf(cfg, sizeof cfg, "{\"role\": \"batch-at%d\", \"policy_arn\": \"%s\"}", i, arn);
        made[i] = cpt_create_ok(e, "aws_iam_role_policy_attachment", cfg);
        states[i] = made[i];
    }
    free(trust);
    made[N] = cpt_valf("{\"id\": \"batch-at0/arn:aws:iam::aws:policy/AdministratorAccess\"}");
    states[N] = made[N];
    assert_int_equal(
        cpt_boto(e, "iam", "detach_role_policy(RoleName='batch-at1', PolicyArn='%s')", arn), 0);
    long calls = cpt_read_batch_ok(e, "aws_iam_role_policy_attachment", states, N + 1, out);
    assert_null(out[1]);
    assert_null(out[N]);
    assert_string_equal(cpt_str(out[2], "role"), "batch-at2");
    if (calls >= 0) assert_int_equal(calls, 3); /* GAAD, 2 ListAttachedRolePolicies */
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i < N && i != 1) cpt_delete_ok(e, "aws_iam_role_policy_attachment", made[i]);
        cp_release(made[i]);
        if (i < N) {
            cpt_delete_ok(e, "aws_iam_role", roles[i]);
            cp_release(roles[i]);
        }
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
        cmocka_unit_test_setup(test_user_lifecycle, reset),
        cmocka_unit_test_setup(test_user_gone_and_errors, reset),
        cmocka_unit_test_setup(test_user_force_destroy, reset),
        cmocka_unit_test_setup(test_access_key, reset),
        cmocka_unit_test_setup(test_user_policies, reset),
        cmocka_unit_test_setup(test_role_policies, reset),
        cmocka_unit_test_setup(test_role, reset),
        cmocka_unit_test_setup(test_policy, reset),
        cmocka_unit_test_setup(test_instance_profile, reset),
        cmocka_unit_test_setup(test_role_read_batch, reset),
        cmocka_unit_test_setup(test_role_policy_read_batch, reset),
        cmocka_unit_test_setup(test_role_attachment_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
