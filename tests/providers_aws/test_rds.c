/*
 * test_rds.c: the RDS types (src/providers/aws/rds_*.c: aws_db_subnet_group,
 * aws_db_instance) against the emulator and moto, looked at through RDS's
 * Describe* calls: create (waiting until available)
 * / read / update / delete (final snapshot rules) / import, deletion behind
 * cpstack's back, validation messages, and the master password never
 * appearing in an error message or a state dump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_vpc.h"

#define PASSWORD "s3cret-Pa55word"

/* An RDS object as Describe* shows it (new reference), NULL when the endpoint
 * does not know it: kind is "group", "instance" or "snapshot". A subnet
 * group also carries its tags under "_tags" ({Key: Value}). */
static json_t *rds(cpt_env *e, const char *kind, const char *name)
{
    static const struct {
        const char *kind, *call, *param, *list;
    } d[] = {
        { "group", "describe_db_subnet_groups", "DBSubnetGroupName", "DBSubnetGroups" },
        { "instance", "describe_db_instances", "DBInstanceIdentifier", "DBInstances" },
        { "snapshot", "describe_db_snapshots", "DBSnapshotIdentifier", "DBSnapshots" },
    };
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        if (strcmp(d[i].kind, kind) != 0) continue;
        json_t *r = cpt_aws(e, "rds", "%s(%s='%s')", d[i].call, d[i].param, name);
        json_t *o = json_incref(json_array_get(json_object_get(r, d[i].list), 0));
        json_decref(r);
        if (o && !strcmp(kind, "group")) {
            json_t *t = cpt_aws(e, "rds", "list_tags_for_resource(ResourceName='%s')",
                                json_string_value(json_object_get(o, "DBSubnetGroupArn")));
            json_object_set_new(o, "_tags", cpt_tag_map(json_object_get(t, "TagList")));
            json_decref(t);
        }
        return o;
    }
    fail_msg("rds(): unknown kind %s", kind);
    return NULL;
}

/* Pending polls before an instance is available (emulator only: moto's are
 * available at once). */
static void set_polls(cpt_env *e, int n)
{
    if (cpt_on_moto()) return;
    char body[64];
    snprintf(body, sizeof body, "{\"pending_polls\": %d}", n);
    json_decref(cpt_admin(e, "POST", "settings", body));
}

static cp_value *make_group(cpt_env *e, const cpt_vpc *v, const char *name)
{
    cp_value *cfg =
        cpt_valf("{\"name\": \"%s\", \"subnet_ids\": [\"%s\", \"%s\"], \"description\": \"db\","
                 " \"tags\": {\"app\": \"calibrate\"}}",
                 name, v->subnet[0], v->subnet[1]);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_db_subnet_group", cfg, &s, &err) != 0) fail_msg("%s", err);
    cp_release(cfg);
    return s;
}

/* A db instance config; password marked sensitive as the config layer does. */
static cp_value *db_config(const cpt_vpc *v, const char *klass, bool skip, const char *extra)
{
    cp_value *raw = cpt_valf(
        "{\"identifier\": \"calibrate-db\", \"engine\": \"postgres\","
        " \"instance_class\": \"%s\", \"allocated_storage\": 20, \"db_name\": \"app\","
        " \"username\": \"django\", \"db_subnet_group_name\": \"db-group\","
        " \"vpc_security_group_ids\": [\"%s\"], \"publicly_accessible\": false,"
        " \"multi_az\": false, \"skip_final_snapshot\": %s, \"backup_retention_period\": 1,"
        " \"tags\": {\"env\": \"dev\"}%s}",
        klass, v->sg, skip ? "true" : "false", extra);
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(raw); i++)
        cp_map_set_take(out, cp_map_key_at(raw, i), cp_retain(cp_map_value_at(raw, i)));
    cp_value *pw = cp_string(PASSWORD);
    cp_map_set_take(out, "password", cp_mark_sensitive(pw));
    cp_release(pw);
    cp_release(raw);
    return out;
}

static void test_subnet_group(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *s = make_group(e, &v, "db-group");
    assert_string_equal(cpt_str(s, "id"), "db-group");
    assert_non_null(strstr(cpt_str(s, "arn"), ":subgrp:db-group"));
    json_t *g = rds(e, "group", "db-group");
    assert_non_null(g);
    assert_int_equal(json_array_size(json_object_get(g, "Subnets")), 2);
    json_decref(g);
    cp_value *r = cpt_read_ok(e, "aws_db_subnet_group", s);
    assert_true(cp_equal(r, s));

    cp_value *imp = cpt_import_ok(e, "aws_db_subnet_group", "db-group");
    cpt_assert_same(imp, s,
                    (const char *const[]){ "id", "name", "description", "arn", "tags", NULL });
    cp_release(imp);

    cp_value *cfg2 = cpt_valf(
        "{\"name\": \"db-group\", \"subnet_ids\": [\"%s\", \"%s\"], \"description\": \"db 2\","
        " \"tags\": {\"team\": \"x\"}}",
        v.subnet[1], v.subnet[0]);
    cp_value *s2 = NULL;
    char *err = NULL;
    if (cpt_emulator_only(e, "moto 5.2.1 forgets a DB subnet group on ModifyDBSubnetGroup")) {
        if (cpt_update(e, "aws_db_subnet_group", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
        g = rds(e, "group", "db-group");
        assert_string_equal(json_string_value(json_object_get(g, "DBSubnetGroupDescription")),
                            "db 2");
        json_t *tags = json_object_get(g, "_tags");
        assert_int_equal(json_object_size(tags), 1);
        assert_string_equal(json_string_value(json_object_get(tags, "team")), "x");
        json_decref(g);
        imp = cpt_import_ok(e, "aws_db_subnet_group", "db-group");
        cpt_assert_same(imp, s2,
                        (const char *const[]){ "id", "name", "description", "arn", "tags", NULL });
        cp_release(imp);
    } else
        s2 = cp_retain(s);

    cpt_delete_ok(e, "aws_db_subnet_group", s2);
    assert_null(rds(e, "group", "db-group"));
    assert_null(cpt_read_ok(e, "aws_db_subnet_group", s2));

    /* one AZ only: AWS's refusal, one line */
    if (cpt_emulator_only(e, "moto accepts a DB subnet group covering one AZ")) {
        cp_value *one = cpt_valf("{\"name\": \"one\", \"subnet_ids\": [\"%s\"]}", v.subnet[0]),
                 *bad = NULL;
        char *oerr = NULL;
        assert_int_equal(cpt_create(e, "aws_db_subnet_group", one, &bad, &oerr), -1);
        assert_non_null(strstr(oerr, "DBSubnetGroupDoesNotCoverEnoughAZs"));
        assert_null(strchr(oerr, '\n'));
        free(oerr);
        cp_release(one);
        cp_release(bad);
    }
    cp_release(s);
    cp_release(r);
    cp_release(cfg2);
    cp_release(s2);
}

static void assert_no_password(const char *text)
{
    if (text && strstr(text, PASSWORD)) fail_msg("the password leaked: %s", text);
}

static void test_instance_lifecycle(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *g = make_group(e, &v, "db-group");
    set_polls(e, 3);
    cp_value *cfg = db_config(&v, "db.t3.micro", true, ""), *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_db_instance", cfg, &s, &err) != 0) fail_msg("%s", err);
    json_t *db = rds(e, "instance", "calibrate-db");
    assert_string_equal(json_string_value(json_object_get(db, "DBInstanceStatus")),
                        "available"); /* waited */
    json_decref(db);
    assert_non_null(strstr(cpt_str(s, "address"), "calibrate-db."));
    assert_int_equal((int)cp_number_val(cp_map_get(s, "port")), 5432);
    assert_non_null(strstr(cpt_str(s, "endpoint"), ":5432"));
    /* the endpoint's default version for postgres, as it describes it */
    db = rds(e, "instance", "calibrate-db");
    assert_string_equal(cpt_str(s, "engine_version"),
                        json_string_value(json_object_get(db, "EngineVersion")));
    json_decref(db);
    if (cpt_emulator_only(e, "the emulator's postgres default is 15.4; moto's is 9.3.3"))
        assert_string_equal(cpt_str(s, "engine_version"), "15.4");
    assert_true(cp_is_sensitive(cp_map_get(s, "password")));
    cp_value *r = cpt_read_ok(e, "aws_db_instance", s);
    assert_true(cp_equal(r, s));

    cp_value *cfg2 =
        db_config(&v, "db.t3.small", true, ", \"final_snapshot_identifier\": \"calibrate-final\"");
    cp_value *s2 = NULL;
    if (cpt_update(e, "aws_db_instance", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    db = rds(e, "instance", "calibrate-db");
    assert_string_equal(json_string_value(json_object_get(db, "DBInstanceClass")), "db.t3.small");
    assert_string_equal(json_string_value(json_object_get(db, "DBInstanceStatus")), "available");
    json_decref(db);

    cp_value *imp = cpt_import_ok(e, "aws_db_instance", "calibrate-db");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "identifier", "engine", "instance_class",
                                           "address", "port", "arn", "db_subnet_group_name",
                                           "vpc_security_group_ids", "tags", NULL });
    /* what cpstack shows of the state (plan, state show) hides the password;
     * the emulator holds none either */
    char *shown = cp_value_repr(s2);
    assert_no_password(shown);
    assert_non_null(strstr(shown, "(sensitive value)"));
    free(shown);
    json_t *described = rds(e, "instance", "calibrate-db");
    char *all = json_dumps(described, 0);
    assert_no_password(all);
    free(all);
    json_decref(described);
    if (cpt_emulator_only(e, "the password is nowhere in the endpoint's whole state")) {
        json_t *everything = cpt_dump(e, NULL);
        all = json_dumps(everything, 0);
        assert_no_password(all);
        free(all);
        json_decref(everything);
    }

    cpt_delete_ok(e, "aws_db_instance", s2); /* skip_final_snapshot = true */
    assert_null(rds(e, "instance", "calibrate-db"));
    assert_null(rds(e, "snapshot", "calibrate-final"));
    assert_null(cpt_read_ok(e, "aws_db_instance", s2));
    cp_release(g);
    cp_release(cfg);
    cp_release(s);
    cp_release(r);
    cp_release(cfg2);
    cp_release(s2);
    cp_release(imp);
}

static void test_instance_final_snapshot(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *g = make_group(e, &v, "db-group");
    cp_value *cfg = db_config(&v, "db.t3.micro", false, ""), *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_db_instance", cfg, &s, &err) != 0) fail_msg("%s", err);
    /* neither skip_final_snapshot nor a snapshot name: a clear refusal */
    assert_int_equal(cpt_delete(e, "aws_db_instance", s, &err), -1);
    assert_non_null(strstr(err, "final_snapshot_identifier"));
    assert_non_null(strstr(err, "skip_final_snapshot"));
    assert_no_password(err);
    free(err);
    json_t *db = rds(e, "instance", "calibrate-db");
    assert_non_null(db);
    json_decref(db);

    cp_value *cfg2 =
        db_config(&v, "db.t3.micro", false, ", \"final_snapshot_identifier\": \"calibrate-final\"");
    cp_value *s2 = NULL;
    if (cpt_update(e, "aws_db_instance", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    cpt_delete_ok(e, "aws_db_instance", s2);
    assert_null(rds(e, "instance", "calibrate-db"));
    json_t *snap = rds(e, "snapshot", "calibrate-final");
    assert_non_null(snap);
    json_decref(snap);
    cp_release(g);
    cp_release(cfg);
    cp_release(s);
    cp_release(cfg2);
    cp_release(s2);
}

static void test_instance_gone_and_errors(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *g = make_group(e, &v, "db-group");
    cp_value *cfg = db_config(&v, "db.t3.micro", true, ""), *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_db_instance", cfg, &s, &err) != 0) fail_msg("%s", err);
    assert_int_equal(cpt_boto(e, "rds",
                              "delete_db_instance(DBInstanceIdentifier='calibrate-db', "
                              "SkipFinalSnapshot=True)"),
                     0);
    set_polls(e, 0);
    assert_null(cpt_read_ok(e, "aws_db_instance", s));
    cpt_delete_ok(e, "aws_db_instance", s); /* already gone: fine */

    /* AWS refuses (bad engine): the message is one line and has no password */
    cp_value *bad = db_config(&v, "db.t3.micro", true, ", \"engine\": \"oracle-xyz\""),
             *none = NULL;
    assert_int_equal(cpt_create(e, "aws_db_instance", bad, &none, &err), -1);
    assert_non_null(strstr(err, "CreateDBInstance"));
    assert_null(strchr(err, '\n'));
    assert_no_password(err);
    free(err);
    err = NULL;
    assert_int_equal(cpt_import(e, "aws_db_instance", "nope", &none, &err), -1);
    assert_non_null(strstr(err, "nope"));
    free(err);

    assert_null(cpt_validate("aws_db_instance", "identifier", "\"calibrate-db-1\""));
    assert_non_null(strstr(cpt_validate("aws_db_instance", "identifier", "\"1db\""), "letter"));
    assert_non_null(strstr(cpt_validate("aws_db_instance", "identifier", "\"Db\""), "lower-case"));
    assert_non_null(strstr(cpt_validate("aws_db_instance", "identifier", "\"a--b\""), "--"));
    assert_non_null(strstr(cpt_validate("aws_db_instance", "password", "\"short\""), "8 to 128"));
    const char *pw = cpt_validate("aws_db_instance", "password", "\"has@sign-long\"");
    assert_non_null(pw);
    assert_null(strstr(pw, "has@sign"));
    assert_non_null(strstr(cpt_validate("aws_db_instance", "backup_retention_period", "40"), "35"));
    assert_non_null(strstr(cpt_validate("aws_db_subnet_group", "name", "\"Upper\""), "lower-case"));
    assert_non_null(strstr(cpt_validate("aws_db_subnet_group", "name", "\"default\""), "default"));
    cp_release(g);
    cp_release(cfg);
    cp_release(s);
    cp_release(bad);
    cp_release(none);
}

/* Refresh of many DB instances: one DescribeDBInstances filtered by db-instance-id, the
 * tags read from its TagList; an instance it leaves out is gone. 1 request for 4. */
static void test_instance_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 3 };
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *g = make_group(e, &v, "db-group");
    set_polls(e, 0);
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char extra[96];
        snprintf(extra, sizeof extra,
                 ", \"identifier\": \"batch-db-%d\", \"allocated_storage\": %d", i, 20 + i);
        cp_value *cfg = db_config(&v, "db.t3.micro", true, extra);
        char *err = NULL;
        if (cpt_create(e, "aws_db_instance", cfg, &made[i], &err) != 0) fail_msg("%s", err);
        cp_release(cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"batch-db-never\"}");
    states[N] = made[N];
    assert_int_equal(cpt_boto(e, "rds",
                              "delete_db_instance(DBInstanceIdentifier='batch-db-1', "
                              "SkipFinalSnapshot=True)"),
                     0);
    long calls = cpt_read_batch_ok(e, "aws_db_instance", states, N + 1, out);
    assert_null(out[1]);
    assert_null(out[N]);
    assert_int_equal((int)cp_number_val(cp_map_get(out[2], "allocated_storage")), 22);
    assert_string_equal(cpt_str(cp_map_get(out[0], "tags"), "env"), "dev");
    if (calls >= 0) assert_int_equal(calls, 1);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 1 && i != N) cpt_delete_ok(e, "aws_db_instance", made[i]);
        cp_release(made[i]);
    }
    cpt_delete_ok(e, "aws_db_subnet_group", g);
    cp_release(g);
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
    set_polls(*st, 1);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_subnet_group, reset),
        cmocka_unit_test_setup(test_instance_lifecycle, reset),
        cmocka_unit_test_setup(test_instance_final_snapshot, reset),
        cmocka_unit_test_setup(test_instance_gone_and_errors, reset),
        cmocka_unit_test_setup(test_instance_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
