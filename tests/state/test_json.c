/*
 * test_json.c: the state file format (state_json.c, state_load.c,
 * state_upgrade.c): round trips that keep sensitive marks, count and
 * for_each keys; schema conformance of what is written; the upgrade from
 * format 0; refusal of a newer format with its exact message; one clear
 * line for each kind of corrupt or damaged file; deposed objects (with and
 * without a current object) through both writers, the schema and back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "lang/value_json.h"
#include "state/state.h"
#include "util/xalloc.h"

static void assert_same_instance(const cp_instance *a, const cp_instance *b)
{
    assert_string_equal(cp_instance_addr_str(a), cp_instance_addr_str(b));
    assert_true(cp_addr_equal(cp_instance_addr(a), cp_instance_addr(b)));
    assert_int_equal(cp_instance_status(a), cp_instance_status(b));
    assert_int_equal(cp_instance_schema_version(a), cp_instance_schema_version(b));
    assert_true(cp_equal(cp_instance_attrs(a), cp_instance_attrs(b)));
    cp_value *pa = cp_sensitive_paths(cp_instance_attrs(a));
    cp_value *pb = cp_sensitive_paths(cp_instance_attrs(b));
    assert_true(cp_equal(pa, pb));
    cp_release(pa);
    cp_release(pb);
    assert_int_equal(cp_instance_dep_count(a), cp_instance_dep_count(b));
    for (size_t i = 0; i < cp_instance_dep_count(a); i++)
        assert_string_equal(cp_instance_dep(a, i), cp_instance_dep(b, i));
}

static void assert_same_state(const cp_state *a, const cp_state *b)
{
    assert_int_equal(cp_state_serial(a), cp_state_serial(b));
    assert_string_equal(cp_state_lineage(a), cp_state_lineage(b));
    assert_string_equal(cp_state_stack(a), cp_state_stack(b));
    assert_string_equal(cp_state_branch(a), cp_state_branch(b));
    assert_int_equal(cp_state_count(a), cp_state_count(b));
    for (size_t i = 0; i < cp_state_count(a); i++)
        assert_same_instance(cp_state_at(a, i), cp_state_at(b, i));
    assert_int_equal(cp_state_deposed_count(a), cp_state_deposed_count(b));
    for (size_t i = 0; i < cp_state_deposed_count(a); i++) {
        assert_same_instance(cp_state_deposed_at(a, i), cp_state_deposed_at(b, i));
        assert_string_equal(cp_instance_deposed_key(cp_state_deposed_at(a, i)),
                            cp_instance_deposed_key(cp_state_deposed_at(b, i)));
    }
    assert_int_equal(cp_state_output_count(a), cp_state_output_count(b));
    for (size_t i = 0; i < cp_state_output_count(a); i++) {
        assert_string_equal(cp_state_output_name(a, i), cp_state_output_name(b, i));
        assert_true(cp_equal(cp_state_output_value(a, i), cp_state_output_value(b, i)));
        assert_int_equal(cp_state_output_sensitive(a, i), cp_state_output_sensitive(b, i));
        assert_int_equal(cp_is_sensitive(cp_state_output_value(a, i)),
                         cp_is_sensitive(cp_state_output_value(b, i)));
    }
}

static char *serialize(const cp_state *s)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_state_serialize(s, &b);
    return cp_buf_steal(&b);
}

static cp_state *parse_ok(const char *text)
{
    char *err = NULL;
    cp_state *s = cp_state_parse(text, strlen(text), "t.cpstate", &err);
    if (!s) fail_msg("parse failed: %s", err);
    return s;
}

static void test_roundtrip(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    cp_state_set_serial(s, 41);
    char *text = serialize(s);
    cp_state *back = parse_ok(text);
    assert_same_state(s, back);
    assert_false(cp_state_dirty(back));
    assert_string_equal(cp_state_cpstack_version(back), cp_state_writer_version());
    const cp_instance *db = cp_state_find_str(back, "aws_db_instance.main");
    assert_true(cp_is_sensitive(cp_map_get(cp_instance_attrs(db), "password")));
    assert_non_null(cp_state_find_str(back, "aws_s3_bucket.logs[\"we \\\"quoted\\\"\\nkey\"]"));
    assert_int_equal(cp_instance_addr(cp_state_find_str(back, "aws_subnet.private[10]"))->key_int,
                     10);
    char *again = serialize(back);
    assert_string_equal(text, again); /* stable text */
    free(again);
    free(text);
    cp_state_free(back);
    cp_state_free(s);
}

static void test_text_equals_json_form(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    char *text = serialize(s);
    json_t *from_text = json_loads(text, 0, NULL);
    json_t *direct = cp_state_to_json(s);
    assert_true(json_equal(from_text, direct));
    /* The secret is in the file (state must be protected), never lost. */
    assert_non_null(strstr(text, "\"password\": \"hunter2\""));
    assert_non_null(strstr(text, "\"sensitive_attributes\""));
    char *err = NULL;
    cp_state *back = cp_state_from_json(direct, "j", &err);
    assert_non_null(back);
    assert_same_state(s, back);
    cp_state_free(back);
    json_decref(from_text);
    json_decref(direct);
    free(text);
    cp_state_free(s);
}

/* An instance inside a module keeps its module path through a write and a
 * read, as a "module" field the schema allows. */
static void test_module_roundtrip(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    cp_addr a;
    assert_true(cp_addr_parse("module.net[\"a\"].module.sub.aws_vpc.main[1]", &a, NULL));
    cp_instance *inst = cp_instance_new(&a);
    cp_value *attrs = cp_map_new();
    cp_map_set_take(attrs, "id", cp_string("vpc-1"));
    cp_instance_set_attrs(inst, attrs);
    cp_release(attrs);
    cp_state_put_take(s, inst);
    char *text = serialize(s);
    assert_non_null(strstr(text, "\"module\": \"module.net[\\\"a\\\"].module.sub\""));
    cp_state *back = parse_ok(text);
    assert_same_state(s, back);
    const cp_instance *got =
        cp_state_find_str(back, "module.net[\"a\"].module.sub.aws_vpc.main[1]");
    assert_non_null(got);
    assert_string_equal(cp_instance_addr(got)->module, "module.net[\"a\"].module.sub");
    assert_null(cp_state_find_str(back, "aws_vpc.main[1]"));
    json_t *doc = json_loads(text, 0, NULL);
    char *err = th_schema_check(doc);
    if (err) fail_msg("schema: %s", err);
    json_decref(doc);
    free(text);
    cp_state_free(back);
    cp_addr_clear(&a);
    cp_state_free(s);
}

/* The provider instance of an object (provider = aws.west) survives a
 * write and a read, in the schema; the default instance writes no field. */
static void test_provider_roundtrip(void **state)
{
    (void)state;
    cp_state *s = cp_state_new("st", "dev");
    const char *addrs[] = { "aws_s3_bucket.away", "aws_s3_bucket.home" };
    for (size_t i = 0; i < 2; i++) {
        cp_instance *inst = cp_instance_new_str(addrs[i], NULL);
        cp_value *attrs = cp_map_new();
        cp_map_set_take(attrs, "id", cp_string(addrs[i]));
        cp_instance_set_attrs(inst, attrs);
        cp_release(attrs);
        if (i == 0) cp_instance_set_provider(inst, "aws.west");
        cp_state_put_take(s, inst);
    }
    char *text = serialize(s);
    const char *first = strstr(text, "\"provider\": \"aws.west\"");
    assert_non_null(first);
    assert_null(strstr(first + 1, "\"provider\""));
    cp_state *back = parse_ok(text);
    assert_string_equal(cp_instance_provider(cp_state_find_str(back, addrs[0])), "aws.west");
    assert_null(cp_instance_provider(cp_state_find_str(back, addrs[1])));
    cp_instance *copy = cp_instance_copy(cp_state_find_str(back, addrs[0]));
    assert_string_equal(cp_instance_provider(copy), "aws.west");
    cp_instance_release(copy);
    json_t *doc = json_loads(text, 0, NULL);
    char *err = th_schema_check(doc);
    if (err) fail_msg("schema: %s", err);
    json_decref(doc);
    free(text);
    cp_state_free(back);
    cp_state_free(s);
}

static void test_written_files_match_schema(void **state)
{
    (void)state;
    cp_state *states[] = { th_sample_state(), cp_state_new("empty", "dev") };
    for (size_t i = 0; i < 2; i++) {
        char *text = serialize(states[i]);
        json_t *doc = json_loads(text, 0, NULL);
        assert_non_null(doc);
        char *err = th_schema_check(doc);
        if (err) fail_msg("schema: %s", err);
        json_decref(doc);
        free(text);
        cp_state_free(states[i]);
    }
}

static void test_schema_checker_catches_problems(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    json_t *doc = cp_state_to_json(s);
    json_t *r0 = json_array_get(json_object_get(doc, "resources"), 0);
    json_object_del(r0, "status");
    char *err = th_schema_check(doc);
    assert_non_null(err);
    assert_string_equal(err, ".resources[0]: lacks required key \"status\"");
    free(err);
    json_object_set_new(r0, "status", json_string("exploded"));
    err = th_schema_check(doc);
    assert_string_equal(err, ".resources[0].status: is not one of the allowed values");
    free(err);
    json_object_set_new(doc, "lineage", json_string("nope"));
    json_object_set_new(r0, "status", json_string("ok"));
    err = th_schema_check(doc);
    assert_non_null(strstr(err, ".lineage: does not match"));
    free(err);
    json_decref(doc);
    cp_state_free(s);
}

static void test_unknown_becomes_null(void **state)
{
    (void)state;
    cp_state *s = cp_state_new("x", "y");
    cp_instance *i = cp_instance_new_str("a.b", NULL);
    cp_value *a = cp_map_new();
    cp_map_set_take(a, "arn", cp_unknown());
    cp_instance_set_attrs(i, a);
    cp_instance_set_status(i, CP_STATUS_PENDING_CREATE);
    cp_state_put_take(s, i);
    char *text = serialize(s);
    assert_non_null(strstr(text, "\"arn\": null"));
    assert_non_null(strstr(text, "\"status\": \"pending_create\""));
    free(text);
    cp_release(a);
    cp_state_free(s);
}

/* --- upgrade ----------------------------------------------------------------- */
static const char v0_text[] =
    "{ \"version\": 0, \"serial\": 3, \"stack\": \"web\", \"branch\": \"main\",\n"
    "  \"resources\": [\n"
    "    { \"type\": \"aws_db_instance\", \"name\": \"main\", \"attributes\": "
    "{ \"id\": \"db-1\", \"password\": \"pw\" }, \"sensitive_paths\": [[\"password\"]],"
    " \"depends_on\": [\"aws_subnet.a[0]\"] },\n"
    "    { \"mode\": \"data\", \"type\": \"aws_ami\", \"name\": \"al2\", \"index\": \"k\","
    " \"attributes\": { \"id\": \"ami-1\" } }\n"
    "  ],\n"
    "  \"outputs\": { \"url\": \"http://x\" } }\n";

static void test_upgrade_v0(void **state)
{
    (void)state;
    cp_state *s = parse_ok(v0_text);
    assert_int_equal(cp_state_serial(s), 3);
    assert_string_equal(cp_state_stack(s), "web");
    assert_int_equal(strlen(cp_state_lineage(s)), 36); /* a lineage was given */
    const cp_instance *db = cp_state_find_str(s, "aws_db_instance.main");
    assert_non_null(db);
    assert_int_equal(cp_instance_status(db), CP_STATUS_OK);
    assert_true(cp_is_sensitive(cp_map_get(cp_instance_attrs(db), "password")));
    assert_string_equal(cp_instance_dep(db, 0), "aws_subnet.a[0]");
    assert_non_null(cp_state_find_str(s, "data.aws_ami.al2[\"k\"]"));
    bool sens = true;
    assert_string_equal(cp_string_val(cp_state_output(s, "url", &sens)), "http://x");
    assert_false(sens);
    /* Written back, it is a valid format 1 file. */
    char *text = serialize(s);
    json_t *doc = json_loads(text, 0, NULL);
    char *err = th_schema_check(doc);
    if (err) fail_msg("schema: %s", err);
    json_decref(doc);
    free(text);
    cp_state_free(s);
}

static void test_upgrade_function(void **state)
{
    (void)state;
    json_t *doc = json_loads(v0_text, 0, NULL);
    char *err = NULL;
    assert_true(cp_state_json_upgrade(doc, "f", &err));
    assert_int_equal(json_integer_value(json_object_get(doc, "format_version")), 1);
    assert_null(json_object_get(doc, "version"));
    json_t *r0 = json_array_get(json_object_get(doc, "resources"), 0);
    assert_string_equal(json_string_value(json_object_get(r0, "mode")), "managed");
    assert_string_equal(json_string_value(json_object_get(r0, "status")), "ok");
    assert_non_null(json_object_get(r0, "sensitive_attributes"));
    assert_null(json_object_get(r0, "sensitive_paths"));
    json_t *url = json_object_get(json_object_get(doc, "outputs"), "url");
    assert_true(json_is_false(json_object_get(url, "sensitive")));
    json_decref(doc);
}

static void expect_parse_error(const char *text, size_t len, const char *expected)
{
    char *err = NULL;
    assert_null(cp_state_parse(text, len, "/x/main.cpstate", &err));
    assert_non_null(err);
    if (strcmp(err, expected) != 0) fail_msg("got:\n%s\nwant:\n%s", err, expected);
    free(err);
}

static void test_newer_refused(void **state)
{
    (void)state;
    const char *t = "{\"format_version\": 2, \"whatever\": [1,2,3]}";
    expect_parse_error(t, strlen(t),
                       "state file /x/main.cpstate was written by a newer cpstack (format 2); "
                       "this cpstack reads up to format 1: upgrade cpstack");
}

static void test_not_a_state(void **state)
{
    (void)state;
    const char *t = "{\"hello\": 1}";
    expect_parse_error(t, strlen(t),
                       "/x/main.cpstate is not a cpstack state file (no valid \"format_version\"); "
                       "check the path, or restore the state from its backup");
    t = "[1, 2]";
    expect_parse_error(t, strlen(t),
                       "/x/main.cpstate is not a cpstack state file (no valid \"format_version\"); "
                       "check the path, or restore the state from its backup");
}

static void test_corrupt_json(void **state)
{
    (void)state;
    const char *t = "{\n  \"format_version\": 1,\n  \"serial\": ";
    expect_parse_error(
        t, strlen(t),
        "state file /x/main.cpstate is not valid JSON: unexpected token near end of file "
        "at line 3, column 12 (byte 37); restore the previous version from its backup");
    t = "{\n  \"format_version\": 1,\n  \"serial\": 1,,\n}";
    expect_parse_error(
        t, strlen(t),
        "state file /x/main.cpstate is not valid JSON: string or '}' expected near ',' "
        "at line 3, column 15 (byte 40); restore the previous version from its backup");
    expect_parse_error(
        "", 0,
        "state file /x/main.cpstate is not valid JSON: '[' or '{' expected near end of file "
        "at line 1, column 0 (byte 0); restore the previous version from its backup");
}

static void test_truncated_everywhere(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    char *text = serialize(s);
    size_t len = strlen(text);
    for (size_t cut = 0; cut + 2 < len; cut += 7) { /* ends in "}\n": cut before it */
        char *err = NULL;
        assert_null(cp_state_parse(text, cut, "f", &err));
        assert_non_null(strstr(err, "state file f is not valid JSON: "));
        assert_null(strchr(err, '\n'));
        free(err);
    }
    free(text);
    cp_state_free(s);
}

/* Damage one field of a good document; check the one-line message. */
static void expect_damage(const char *path_key, json_t *value, int resource, const char *expected)
{
    cp_state *s = th_sample_state();
    json_t *doc = cp_state_to_json(s);
    json_t *target =
        resource >= 0 ? json_array_get(json_object_get(doc, "resources"), (size_t)resource) : doc;
    if (value)
        json_object_set_new(target, path_key, value);
    else
        json_object_del(target, path_key);
    char *err = NULL;
    assert_null(cp_state_from_json(doc, "/x/main.cpstate", &err));
    if (!err || strcmp(err, expected) != 0) fail_msg("got:\n%s\nwant:\n%s", err, expected);
    free(err);
    json_decref(doc);
    cp_state_free(s);
}

#define DAMAGED "state file /x/main.cpstate is damaged: "
#define RESTORE "; restore the previous version from its backup"

static void test_damaged_fields(void **state)
{
    (void)state;
    expect_damage("type", json_integer(3), 1, DAMAGED "resources[1].type must be a string" RESTORE);
    expect_damage("module", json_string("module.a.x"), 1,
                  DAMAGED "resources[1].module \"module.a.x\" is not a module path such as "
                          "module.NAME[0]" RESTORE);
    expect_damage("module", json_integer(1), 0,
                  DAMAGED "resources[0].module must be a string" RESTORE);
    expect_damage("mode", json_string("other"), 0,
                  DAMAGED "resources[0].mode must be \"managed\" or \"data\"" RESTORE);
    expect_damage("name", json_string("no spaces"), 2,
                  DAMAGED "resources[2].name \"no spaces\" is not a valid name" RESTORE);
    expect_damage(
        "status", json_string("exploded"), 0,
        DAMAGED
        "resources[0].status \"exploded\" is not one of ok, pending_create, tainted, unsettled" RESTORE);
    expect_damage("index_key", json_real(1.5), 3,
                  DAMAGED "resources[3].index_key must be an integer >= 0 or a string" RESTORE);
    expect_damage("attributes", NULL, 0,
                  DAMAGED "resources[0].attributes must be an object" RESTORE);
    expect_damage(
        "dependencies", json_pack("[s]", "nope"), 0,
        DAMAGED
        "resources[0].dependencies[0] is not an address (invalid address \"nope\": expected '.' "
        "and a name at position 5; expected type.name, type.name[0], type.name[\"key\"] or "
        "data.type.name)" RESTORE);
    expect_damage(
        "sensitive_attributes", json_pack("[[b]]", 1), 0,
        DAMAGED "resources[0].sensitive_attributes is not valid (sensitive path 0 is not a list of "
                "keys and indexes)" RESTORE);
    expect_damage("serial", json_string("7"), -1, DAMAGED "serial must be an integer >= 0" RESTORE);
    expect_damage("lineage", NULL, -1, DAMAGED "lineage must be a string" RESTORE);
    expect_damage("resources", json_object(), -1, DAMAGED "resources must be an array" RESTORE);
    expect_damage("outputs", json_pack("{s:i}", "url", 1), -1,
                  DAMAGED "outputs.url must be an object with a value" RESTORE);
}

static void test_duplicate_instance(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    json_t *doc = cp_state_to_json(s);
    json_t *res = json_object_get(doc, "resources");
    json_array_append(res, json_array_get(res, 2));
    char *err = NULL;
    assert_null(cp_state_from_json(doc, "f", &err));
    assert_string_equal(err,
                        "state file f is damaged: resources[7] repeats aws_s3_bucket.logs[\"we "
                        "\\\"quoted\\\"\\nkey\"]" RESTORE);
    free(err);
    json_decref(doc);
    cp_state_free(s);
}

/* A state with deposed objects: the db replaced once (its old object
 * deposed, with a secret), the subnet's current object gone with two
 * deposed objects left, a deposed object put back by key. */
static cp_state *deposed_state(char dbkey[9])
{
    cp_state *s = th_sample_state();
    cp_addr db, sub;
    assert_true(cp_addr_parse("aws_db_instance.main", &db, NULL));
    assert_true(cp_addr_parse("aws_subnet.private[2]", &sub, NULL));
    assert_true(cp_state_depose(s, &db, dbkey));
    assert_null(cp_state_find(s, &db));
    cp_instance *nw = cp_instance_new(&db); /* the replacement */
    cp_instance_set_status(nw, CP_STATUS_PENDING_CREATE);
    cp_state_put_take(s, nw);
    char k1[9], k2[9];
    assert_true(cp_state_depose(s, &sub, k1));
    cp_instance *again = cp_instance_copy(cp_state_find_deposed(s, &sub, k1));
    cp_instance_set_deposed_key(again, "00ff00ff");
    cp_state_put_take(s, again); /* goes among the deposed */
    assert_null(cp_state_find(s, &sub));
    assert_true(cp_state_depose(s, &sub, k2) == false); /* nothing current to depose */
    assert_int_equal(cp_state_deposed_count(s), 3);
    cp_addr_clear(&db);
    cp_addr_clear(&sub);
    return s;
}

static void test_deposed_roundtrip(void **state)
{
    (void)state;
    char key[9];
    cp_state *s = deposed_state(key);
    assert_int_equal(strlen(key), 8);
    assert_int_equal(strspn(key, "0123456789abcdef"), 8);
    char *text = serialize(s);
    json_t *from_text = json_loads(text, 0, NULL), *direct = cp_state_to_json(s);
    assert_true(json_equal(from_text, direct)); /* both writers agree */
    char *err = th_schema_check(from_text);
    if (err) fail_msg("schema: %s", err);
    json_t *res = json_object_get(from_text, "resources");
    json_t *dbj = json_array_get(res, 0), *subj = json_array_get(res, 4);
    assert_string_equal(json_string_value(json_object_get(dbj, "status")), "pending_create");
    json_t *d0 = json_array_get(json_object_get(dbj, "deposed"), 0);
    assert_string_equal(json_string_value(json_object_get(d0, "key")), key);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(d0, "attributes"), "password")),
        "hunter2");
    assert_non_null(json_object_get(d0, "sensitive_attributes"));
    assert_null(json_object_get(subj, "status")); /* only deposed objects left */
    assert_null(json_object_get(subj, "attributes"));
    assert_int_equal(json_array_size(json_object_get(subj, "deposed")), 2);
    cp_state *back = parse_ok(text);
    assert_same_state(s, back);
    cp_addr db;
    assert_true(cp_addr_parse("aws_db_instance.main", &db, NULL));
    const cp_instance *old = cp_state_find_deposed(back, &db, key);
    assert_non_null(old);
    assert_true(cp_is_sensitive(cp_map_get(cp_instance_attrs(old), "password")));
    size_t first, n = cp_state_deposed_range(back, &db, &first);
    assert_int_equal(n, 1);
    assert_int_equal(first, 0);
    char *again = serialize(back);
    assert_string_equal(text, again);     /* stable text */
    cp_state *copy = cp_state_copy(back); /* copies share them */
    assert_same_state(back, copy);
    assert_true(cp_state_remove_deposed(back, &db, key));
    assert_false(cp_state_remove_deposed(back, &db, key));
    assert_int_equal(cp_state_deposed_count(back), 2);
    assert_int_equal(cp_state_deposed_count(copy), 3);
    cp_addr_clear(&db);
    cp_state_free(copy);
    free(again);
    json_decref(from_text);
    json_decref(direct);
    free(text);
    cp_state_free(back);
    cp_state_free(s);
}

static void test_deposed_restore(void **state)
{
    (void)state;
    char key[9];
    cp_state *s = deposed_state(key);
    cp_addr db;
    assert_true(cp_addr_parse("aws_db_instance.main", &db, NULL));
    assert_false(cp_state_restore_deposed(s, &db, key)); /* a current object is there */
    cp_state_remove(s, &db);                             /* the replacement made nothing */
    assert_true(cp_state_restore_deposed(s, &db, key));
    const cp_instance *cur = cp_state_find(s, &db);
    assert_non_null(cur);
    assert_null(cp_instance_deposed_key(cur));
    assert_string_equal(cp_string_val(cp_map_get(cp_instance_attrs(cur), "id")), "db-123");
    assert_null(cp_state_find_deposed(s, &db, key));
    cp_addr_clear(&db);
    cp_state_free(s);
}

/* A file written before deposed objects existed reads as before; damaged
 * deposed objects get one clear line. */
static void test_deposed_damage(void **state)
{
    (void)state;
    char key[9];
    cp_state *s = deposed_state(key);
    json_t *doc = cp_state_to_json(s);
    json_t *d0 = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "resources"), 0), "deposed"), 0);
    json_object_set_new(d0, "key", json_string("not hex!"));
    char *err = NULL;
    assert_null(cp_state_from_json(doc, "/x/main.cpstate", &err));
    assert_string_equal(err, DAMAGED
                        "resources[0].deposed[0].key \"not hex!\" is not 1-32 hex digits" RESTORE);
    free(err);
    json_object_set_new(d0, "key", json_string(key));
    json_object_set_new(d0, "attributes", json_integer(1));
    assert_null(cp_state_from_json(doc, "/x/main.cpstate", &err));
    assert_string_equal(err,
                        DAMAGED "resources[0].deposed[0].attributes must be an object" RESTORE);
    free(err);
    json_object_set_new(json_array_get(json_object_get(doc, "resources"), 0), "deposed",
                        json_object());
    assert_null(cp_state_from_json(doc, "/x/main.cpstate", &err));
    assert_string_equal(err, DAMAGED "resources[0].deposed must be an array" RESTORE);
    free(err);
    json_decref(doc);
    cp_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_module_roundtrip),
        cmocka_unit_test(test_provider_roundtrip),
        cmocka_unit_test(test_text_equals_json_form),
        cmocka_unit_test(test_written_files_match_schema),
        cmocka_unit_test(test_schema_checker_catches_problems),
        cmocka_unit_test(test_unknown_becomes_null),
        cmocka_unit_test(test_upgrade_v0),
        cmocka_unit_test(test_upgrade_function),
        cmocka_unit_test(test_newer_refused),
        cmocka_unit_test(test_not_a_state),
        cmocka_unit_test(test_corrupt_json),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_damaged_fields),
        cmocka_unit_test(test_duplicate_instance),
        cmocka_unit_test(test_deposed_roundtrip),
        cmocka_unit_test(test_deposed_restore),
        cmocka_unit_test(test_deposed_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
