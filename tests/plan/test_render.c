/*
 * test_render.c: golden outputs of the plan renderer for create / update /
 * replace / delete / no-op / unknowns / sensitive, colour and -json, and
 * the delete of a deposed object, and the drift section.
 * Regenerate the golden files with CP_UPDATE_GOLDEN=1 after an intended
 * change, and read the diff before committing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "plan/render.h"
#include "plan_fixtures.h"

#include <stdlib.h>
#include <string.h>

#define PRIOR                                                                                          \
    "{\"id\":\"b-1\",\"arn\":\"arn:b-1\",\"bucket\":\"logs\",\"acl\":\"private\","                     \
    "\"versioning\":true,\"sg_ids\":[\"sg-1\",\"sg-2\"],\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"}," \
    "\"ingress\":[{\"from_port\":80,\"to_port\":80,\"protocol\":\"tcp\",\"cidr_blocks\":[\"0.0.0.0/0\"]}]}"

/* Diff prior × config and add the change to p under test_bucket.<name>. */
static void add(cp_plan *p, const char *name, const char *prior, const char *config,
                bool can_update)
{
    cp_value *pv = prior ? fx_value(prior) : NULL, *cv = config ? fx_value(config) : NULL;
    cp_diff_input in = {
        .attrs = fx_bucket_type.attrs, .prior = pv, .config = cv, .can_update = can_update
    };
    cp_diff d;
    cp_diff_compute(&in, &d);
    char addr[128];
    snprintf(addr, sizeof addr, "test_bucket.%s", name);
    cp_change *c = cp_plan_add(p, addr, "test_bucket", name, d.action, pv, d.planned);
    c->rtype = &fx_bucket_type;
    cp_change_set_causes(c, d.replace_paths, d.nreplace);
    if (d.action == CP_ACTION_DELETE) c->reason = "because test_bucket.old is not in configuration";
    cp_diff_clear(&d);
    cp_release(pv);
    cp_release(cv);
}

static void check(cp_plan *p, const char *golden, bool color)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_render_plan(&b, p, color);
    assert_true(fx_golden(golden, b.data));
    cp_buf_free(&b);
    cp_plan_free(p);
}

static void test_create(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "logs", NULL,
        "{\"bucket\":\"logs\",\"versioning\":true,\"tags\":{\"Name\":\"logs\"},"
        "\"sg_ids\":[\"sg-1\"],\"ingress\":[{\"from_port\":80,\"to_port\":80,"
        "\"protocol\":\"tcp\",\"cidr_blocks\":[\"0.0.0.0/0\"]}]}",
        true);
    check(p, "create.txt", false);
}

static void test_update(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "logs", PRIOR,
        "{\"bucket\":\"logs\",\"versioning\":false,\"sg_ids\":[\"sg-2\",\"sg-3\"],"
        "\"tags\":{\"Name\":\"logs\",\"Env\":\"prod\",\"Team\":\"ops\"},"
        "\"ingress\":[{\"from_port\":80,\"to_port\":80,\"protocol\":\"tcp\","
        "\"cidr_blocks\":[\"0.0.0.0/0\"]}]}",
        true);
    check(p, "update.txt", false);
}

static void test_replace(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "logs", PRIOR,
        "{\"bucket\":\"logs-v2\",\"versioning\":true,\"sg_ids\":[\"sg-1\",\"sg-2\"],"
        "\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"},"
        "\"ingress\":[{\"from_port\":80,\"to_port\":80,\"protocol\":\"tcp\","
        "\"cidr_blocks\":[\"0.0.0.0/0\"]}]}",
        true);
    check(p, "replace.txt", false);
}

static void test_delete(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "old", PRIOR, NULL, true);
    check(p, "delete.txt", false);
}

static void test_noop(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "logs", PRIOR,
        "{\"bucket\":\"logs\",\"versioning\":true,\"sg_ids\":[\"sg-2\",\"sg-1\"],"
        "\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"},"
        "\"ingress\":[{\"from_port\":80,\"to_port\":80,\"protocol\":\"tcp\","
        "\"cidr_blocks\":[\"0.0.0.0/0\"]}]}",
        true);
    check(p, "noop.txt", false);
}

static void test_unknowns(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "a", NULL, "{\"bucket\":\"(unknown)\",\"tags\":{\"Name\":\"(unknown)\"}}", true);
    add(p, "b", PRIOR,
        "{\"bucket\":\"logs\",\"versioning\":true,\"sg_ids\":[\"(unknown)\"],"
        "\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"}}",
        true);
    cp_value *u = cp_unknown();
    cp_plan_add_output(p, "bucket_arn", NULL, u, false);
    cp_release(u);
    check(p, "unknowns.txt", false);
}

static void test_sensitive(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "a", NULL,
        "{\"bucket\":\"a\",\"password\":\"hunter2\",\"tags\":{\"Secret\":\"(sensitive)s3cr3t\"}}",
        true);
    add(p, "b", "{\"id\":\"b\",\"bucket\":\"b\",\"password\":\"old-pass\"}",
        "{\"bucket\":\"b\",\"password\":\"new-pass\"}", true);
    cp_value *s = fx_value("\"(sensitive)topsecret\"");
    cp_plan_add_output(p, "pw", NULL, s, true);
    cp_release(s);
    cp_buf b;
    cp_buf_init(&b);
    cp_render_plan(&b, p, false);
    assert_null(strstr(b.data, "hunter2"));
    assert_null(strstr(b.data, "s3cr3t"));
    assert_null(strstr(b.data, "-pass"));
    assert_non_null(strstr(b.data, "+ pw = (sensitive value)"));
    assert_null(strstr(b.data, "topsecret"));
    json_t *j = cp_plan_render_json(p, NULL);
    char *js = json_dumps(j, JSON_SORT_KEYS);
    assert_null(strstr(js, "hunter2"));
    assert_null(strstr(js, "s3cr3t"));
    assert_null(strstr(js, "topsecret"));
    free(js);
    json_decref(j);
    cp_buf_free(&b);
    check(p, "sensitive.txt", false);
}

static void test_color(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "logs", PRIOR,
        "{\"bucket\":\"logs\",\"versioning\":false,\"sg_ids\":[\"sg-1\",\"sg-2\"],"
        "\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"}}",
        true);
    check(p, "color.txt", true);
}

static void test_json(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "new", NULL, "{\"bucket\":\"n\",\"password\":\"pw\"}", true);
    add(p, "logs", PRIOR, "{\"bucket\":\"logs-v2\"}", true);
    add(p, "old", PRIOR, NULL, true);
    json_t *j = cp_plan_render_json(p, NULL);
    /* planned_values: what stays, attributes unknown until apply left out */
    json_t *res = json_object_get(
        json_object_get(json_object_get(j, "planned_values"), "root_module"), "resources");
    assert_int_equal(json_array_size(res), 2);
    json_t *nv = json_object_get(json_array_get(res, 0), "values");
    assert_string_equal(json_string_value(json_object_get(json_array_get(res, 0), "address")),
                        "test_bucket.new");
    assert_string_equal(json_string_value(json_object_get(nv, "bucket")), "n");
    assert_null(json_object_get(nv, "arn")); /* computed: unknown, so absent */
    assert_true(json_is_null(json_object_get(nv, "password")));
    assert_true(json_is_true(
        json_object_get(json_object_get(json_array_get(res, 0), "sensitive_values"), "password")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(res, 1), "address")),
                        "test_bucket.logs");
    assert_null(json_object_get(j, "prior_state"));
    char *s = json_dumps(j, JSON_SORT_KEYS | JSON_INDENT(2));
    size_t n = strlen(s);
    s = realloc(s, n + 2);
    s[n] = '\n';
    s[n + 1] = '\0';
    assert_true(fx_golden("plan.json", s));
    free(s);
    json_decref(j);
    cp_plan_free(p);
}

/* Drift: an object changed outside cpstack (a tag and a secret) and one
 * deleted, shown before the update that undoes the change; the same as
 * resource_drift in JSON, with the secret never in clear. */
static void test_drift(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    cp_value *before = fx_value("{\"id\":\"b-1\",\"bucket\":\"logs\",\"password\":\"old-pw\","
                                "\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"}}");
    cp_value *after = fx_value("{\"id\":\"b-1\",\"bucket\":\"logs\",\"password\":\"new-pw\","
                               "\"tags\":{\"Name\":\"logs\",\"Env\":\"prod\",\"By\":\"hand\"}}");
    cp_plan_add_drift(p, "test_bucket.logs", "test_bucket", "logs", &fx_bucket_type, before, after);
    cp_plan_add_drift(p, "test_bucket.gone", "test_bucket", "gone", &fx_bucket_type, before, NULL);
    add(p, "logs",
        "{\"id\":\"b-1\",\"bucket\":\"logs\",\"tags\":{\"Name\":\"logs\",\"Env\":\"prod\"}}",
        "{\"bucket\":\"logs\",\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"}}", true);
    json_t *j = cp_plan_render_json(p, NULL);
    char *s = json_dumps(json_object_get(j, "resource_drift"), JSON_SORT_KEYS | JSON_INDENT(2));
    assert_null(strstr(s, "new-pw"));
    assert_null(strstr(s, "old-pw"));
    assert_non_null(strstr(s, "\"actions\": [\n        \"delete\""));
    free(s);
    json_decref(j);
    cp_release(before);
    cp_release(after);
    check(p, "drift.txt", false);
}

/* A deposed object left by an interrupted create_before_destroy
 * replacement, beside its instance's own (no-op) change. */
static void test_deposed(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "logs", PRIOR,
        "{\"bucket\":\"logs\",\"versioning\":true,\"sg_ids\":[\"sg-2\",\"sg-1\"],"
        "\"tags\":{\"Name\":\"logs\",\"Env\":\"dev\"},"
        "\"ingress\":[{\"from_port\":80,\"to_port\":80,\"protocol\":\"tcp\","
        "\"cidr_blocks\":[\"0.0.0.0/0\"]}]}",
        true);
    cp_addr a;
    assert_true(cp_addr_parse("test_bucket.logs", &a, NULL));
    cp_value *old = fx_value("{\"id\":\"b-0\",\"arn\":\"arn:b-0\",\"bucket\":\"logs-old\","
                             "\"password\":\"(sensitive)hunter2\",\"tags\":{\"Name\":\"logs\"}}");
    cp_change *c = cp_plan_add_deposed(p, &a, "1a2b3c4d", old);
    c->rtype = &fx_bucket_type;
    assert_string_equal(c->address, "test_bucket.logs (deposed object 1a2b3c4d)");
    assert_true(cp_addr_equal(&c->addr, &a));
    assert_int_equal(c->action, CP_ACTION_DELETE);
    assert_ptr_equal(cp_plan_find(p, "test_bucket.logs"), &p->changes[0]);
    cp_release(old);
    cp_addr_clear(&a);
    cp_plan_sort(p);
    json_t *j = cp_plan_render_json(p, NULL);
    json_t *rc = json_array_get(json_object_get(j, "resource_changes"), 1);
    assert_string_equal(json_string_value(json_object_get(rc, "address")), "test_bucket.logs");
    assert_string_equal(json_string_value(json_object_get(rc, "deposed")), "1a2b3c4d");
    assert_string_equal(json_string_value(json_object_get(rc, "action")), "delete");
    assert_null(
        json_object_get(json_array_get(json_object_get(j, "resource_changes"), 0), "deposed"));
    json_decref(j);
    cp_buf b;
    cp_buf_init(&b);
    cp_render_summary(&b, p);
    assert_string_equal(b.data, "Plan: 0 to add, 0 to change, 1 to destroy.\n");
    cp_buf_free(&b);
    check(p, "deposed.txt", false);
}

static void test_summary_counts(void **st)
{
    (void)st;
    cp_plan *p = cp_plan_new();
    add(p, "new", NULL, "{\"bucket\":\"n\"}", true);
    add(p, "logs", PRIOR, "{\"bucket\":\"logs-v2\"}", true);
    add(p, "old", PRIOR, NULL, true);
    cp_buf b;
    cp_buf_init(&b);
    cp_render_summary(&b, p);
    assert_string_equal(b.data, "Plan: 2 to add, 0 to change, 2 to destroy.\n");
    cp_buf_free(&b);
    cp_plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),    cmocka_unit_test(test_update),
        cmocka_unit_test(test_replace),   cmocka_unit_test(test_delete),
        cmocka_unit_test(test_noop),      cmocka_unit_test(test_unknowns),
        cmocka_unit_test(test_sensitive), cmocka_unit_test(test_color),
        cmocka_unit_test(test_json),      cmocka_unit_test(test_summary_counts),
        cmocka_unit_test(test_deposed),   cmocka_unit_test(test_drift),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
