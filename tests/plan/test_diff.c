/*
 * test_diff.c: the per-instance diff (plan/diff.c): every action, planned
 * state rules for computed / optional+computed attributes, set and JSON
 * comparison, lifecycle settings and nested blocks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "plan/diff.h"
#include "plan_fixtures.h"

#include <string.h>

#define PRIOR                                                                                      \
    "{\"id\":\"b-1\",\"arn\":\"arn:b-1\",\"bucket\":\"logs\",\"acl\":\"private\","                 \
    "\"versioning\":true,\"policy\":\"{\\\"a\\\":1,\\\"b\\\":[1,2]}\","                            \
    "\"sg_ids\":[\"sg-1\",\"sg-2\"],\"tags\":{\"Name\":\"logs\"},\"ingress\":[]}"
#define CONFIG                                                                                     \
    "{\"bucket\":\"logs\",\"versioning\":true,\"policy\":\"{ \\\"b\\\": [1, 2], \\\"a\\\": 1 }\"," \
    "\"sg_ids\":[\"sg-2\",\"sg-1\"],\"tags\":{\"Name\":\"logs\"}}"

typedef struct fx {
    cp_value *prior, *config;
    cp_diff_input in;
    cp_diff d;
} fx;

static void setup_fx(fx *f, const char *prior, const char *config)
{
    memset(f, 0, sizeof *f);
    f->prior = prior ? fx_value(prior) : NULL;
    f->config = config ? fx_value(config) : NULL;
    f->in.attrs = fx_bucket_type.attrs;
    f->in.prior = f->prior;
    f->in.config = f->config;
    f->in.can_update = true;
}

static void run(fx *f) { cp_diff_compute(&f->in, &f->d); }

static void done(fx *f)
{
    cp_diff_clear(&f->d);
    cp_release(f->prior);
    cp_release(f->config);
}

static const cp_value *planned(fx *f, const char *k) { return cp_map_get(f->d.planned, k); }

static void test_create(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, NULL, "{\"bucket\":\"logs\"}");
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_CREATE);
    assert_true(cp_is_unknown(planned(&f, "id")));
    assert_true(cp_is_unknown(planned(&f, "arn")));
    assert_true(cp_is_unknown(planned(&f, "acl")));
    assert_string_equal(cp_string_val(planned(&f, "bucket")), "logs");
    assert_true(cp_is_null(planned(&f, "versioning")));
    done(&f);
}

static void test_noop_semantic(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, CONFIG);
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_NOOP);
    /* prior forms are kept: JSON text and set order, and acl (optional+computed) */
    assert_string_equal(cp_string_val(planned(&f, "acl")), "private");
    assert_string_equal(cp_string_val(planned(&f, "policy")), "{\"a\":1,\"b\":[1,2]}");
    assert_string_equal(cp_string_val(cp_list_get(planned(&f, "sg_ids"), 0)), "sg-1");
    assert_string_equal(cp_string_val(planned(&f, "arn")), "arn:b-1");
    done(&f);
}

static void test_update(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, "{\"bucket\":\"logs\",\"versioning\":false,\"tags\":{\"Name\":\"x\"}}");
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_UPDATE);
    assert_int_equal(f.d.nreplace, 0);
    assert_string_equal(cp_string_val(planned(&f, "arn")), "arn:b-1");
    assert_false(cp_bool_val(planned(&f, "versioning")));
    done(&f);
}

/* update_unknown: the listed computed attributes become unknown in the plan
 * of an update (terraform_data's output), the others keep the prior value;
 * a no-op leaves them all as they were. */
static void test_update_unknown(void **st)
{
    (void)st;
    static const char *const arn_only[] = { "arn", NULL };
    fx f;
    setup_fx(&f, PRIOR, "{\"bucket\":\"logs\",\"versioning\":false,\"tags\":{\"Name\":\"x\"}}");
    f.in.update_unknown = arn_only;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_UPDATE);
    assert_true(cp_is_unknown(planned(&f, "arn")));
    assert_string_equal(cp_string_val(planned(&f, "id")), "b-1");
    done(&f);
    setup_fx(&f, PRIOR, CONFIG);
    f.in.update_unknown = arn_only;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_NOOP);
    assert_string_equal(cp_string_val(planned(&f, "arn")), "arn:b-1");
    done(&f);
}

static void test_replace_force_new(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, "{\"bucket\":\"logs2\"}");
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_REPLACE);
    assert_true(cp_diff_forces(&f.d, "bucket"));
    assert_false(cp_diff_forces(&f.d, "versioning"));
    assert_true(cp_is_unknown(planned(&f, "arn")));
    assert_true(cp_is_unknown(planned(&f, "id")));
    done(&f);
}

static void test_replace_no_update_fn(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, "{\"bucket\":\"logs\",\"versioning\":false}");
    f.in.can_update = false;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_REPLACE);
    assert_true(cp_diff_forces(&f.d, "versioning"));
    done(&f);
}

static void test_delete(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, NULL);
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_DELETE);
    assert_null(f.d.planned);
    done(&f);
}

static void test_unknown_force_new(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, "{\"bucket\":\"(unknown)\"}");
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_REPLACE);
    assert_true(cp_diff_forces(&f.d, "bucket"));
    done(&f);
}

static void test_unknown_update(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, "{\"bucket\":\"logs\",\"tags\":{\"Name\":\"(unknown)\"}}");
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_UPDATE);
    assert_true(cp_contains_unknown(planned(&f, "tags")));
    done(&f);
}

static void test_ignore_changes(void **st)
{
    (void)st;
    fx f;
    setup_fx(
        &f, PRIOR,
        "{\"bucket\":\"logs\",\"versioning\":true,\"policy\":\"{\\\"a\\\":1,\\\"b\\\":[1,2]}\","
        "\"sg_ids\":[\"sg-1\",\"sg-2\"],\"tags\":{\"Name\":\"other\"}}");
    char *ign[] = { "tags" };
    f.in.ignore_changes = ign;
    f.in.nignore_changes = 1;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_NOOP);
    done(&f);
}

static void test_ignore_all(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, "{\"bucket\":\"logs\",\"versioning\":false}");
    f.in.ignore_all_changes = true;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_NOOP);
    done(&f);
}

static void test_force_replace_and_cbd(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, PRIOR, CONFIG);
    f.in.force_replace = true;
    f.in.create_before_destroy = true;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_REPLACE);
    assert_true(f.d.create_before_destroy);
    assert_int_equal(f.d.nreplace, 0);
    done(&f);
}

#define INGRESS(p)                                                                                 \
    "{\"from_port\":80,\"to_port\":80,\"protocol\":\"" p "\",\"cidr_blocks\":[\"0.0.0.0/0\"]}"

static void test_block_force_new(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, "{\"id\":\"b\",\"bucket\":\"x\",\"ingress\":[" INGRESS("tcp") "]}",
             "{\"bucket\":\"x\",\"ingress\":[" INGRESS("udp") "]}");
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_REPLACE);
    assert_true(cp_diff_forces(&f.d, "ingress"));
    done(&f);
    setup_fx(&f, "{\"id\":\"b\",\"bucket\":\"x\",\"ingress\":[" INGRESS("tcp") "]}",
             "{\"bucket\":\"x\",\"ingress\":[" INGRESS("tcp") "]}");
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_NOOP);
    done(&f);
}

static void test_sensitive_marked(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, NULL, "{\"bucket\":\"x\",\"password\":\"hunter2\"}");
    run(&f);
    assert_true(cp_is_sensitive(planned(&f, "password")));
    done(&f);
}

static cp_value *known_etag(const cp_value *config)
{
    (void)config;
    cp_value *m = cp_map_new();
    cp_map_set_take(m, "arn", cp_string("arn:known"));
    return m;
}

static void test_plan_known(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, NULL, "{\"bucket\":\"x\"}");
    f.in.plan_known = known_etag;
    run(&f);
    assert_string_equal(cp_string_val(planned(&f, "arn")), "arn:known");
    done(&f);
}

/* versioning turned on from off replaces; other changes do not (a rule on
 * both values, as a zone turning private) */
static const char *versioning_on(const cp_value *prior, const cp_value *planned)
{
    const cp_value *a = cp_map_get(prior, "versioning"), *b = cp_map_get(planned, "versioning");
    bool was = a && cp_kind_of(a) == CP_BOOL && cp_bool_val(a);
    bool is = b && cp_kind_of(b) == CP_BOOL && cp_bool_val(b);
    return !was && is ? "versioning" : NULL;
}

static void test_replace_if(void **st)
{
    (void)st;
    fx f;
    setup_fx(&f, "{\"id\":\"b\",\"bucket\":\"x\",\"versioning\":false}",
             "{\"bucket\":\"x\",\"versioning\":true}");
    f.in.replace_if = versioning_on;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_REPLACE);
    assert_true(cp_diff_forces(&f.d, "versioning"));
    assert_int_equal(f.d.nreplace, 1);
    assert_true(cp_is_unknown(planned(&f, "id")));
    done(&f);
    setup_fx(&f, "{\"id\":\"b\",\"bucket\":\"x\",\"versioning\":true}",
             "{\"bucket\":\"x\",\"versioning\":false}");
    f.in.replace_if = versioning_on;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_UPDATE);
    assert_int_equal(f.d.nreplace, 0);
    done(&f);
    /* named once, even when a force-new attribute names it too */
    setup_fx(&f, "{\"id\":\"b\",\"bucket\":\"x\",\"versioning\":false}",
             "{\"bucket\":\"y\",\"versioning\":true}");
    f.in.replace_if = versioning_on;
    run(&f);
    assert_int_equal(f.d.action, CP_ACTION_REPLACE);
    assert_true(cp_diff_forces(&f.d, "bucket"));
    assert_true(cp_diff_forces(&f.d, "versioning"));
    assert_int_equal(f.d.nreplace, 2);
    done(&f);
}

static void test_equal_rules(void **st)
{
    (void)st;
    const cp_schema_attr *tags = cp_diff_schema_find(fx_bucket_type.attrs, "tags");
    cp_value *n = cp_null(), *e = cp_map_new(), *u = cp_unknown();
    assert_true(cp_attr_equal(tags, n, e));
    assert_false(cp_attr_equal(tags, u, u));
    cp_release(n);
    cp_release(e);
    cp_release(u);
}

/* CP_DNS_NAME: a record name Terraform stored without its final dot and in
 * lower case equals the config's; another name does not. */
static void test_dns_name_equal(void **st)
{
    (void)st;
    const cp_schema_attr a = { .name = "name", .type = CP_AT_STRING, .flags = CP_DNS_NAME };
    cp_value *cfg = cp_string("_ab12.WWW.example.com."), *tf = cp_string("_ab12.www.example.com");
    cp_value *other = cp_string("_ab12.www.example.co"), *dot = cp_string("."),
             *empty = cp_string("");
    assert_true(cp_attr_equal(&a, cfg, tf));
    assert_true(cp_attr_equal(&a, tf, cfg));
    assert_false(cp_attr_equal(&a, cfg, other));
    assert_true(cp_attr_equal(&a, dot, empty));
    const cp_schema_attr plain = { .name = "name", .type = CP_AT_STRING };
    assert_false(cp_attr_equal(&plain, cfg, tf));
    cp_release(cfg);
    cp_release(tf);
    cp_release(other);
    cp_release(dot);
    cp_release(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_noop_semantic),
        cmocka_unit_test(test_update),
        cmocka_unit_test(test_replace_force_new),
        cmocka_unit_test(test_replace_no_update_fn),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_unknown_force_new),
        cmocka_unit_test(test_unknown_update),
        cmocka_unit_test(test_ignore_changes),
        cmocka_unit_test(test_ignore_all),
        cmocka_unit_test(test_force_replace_and_cbd),
        cmocka_unit_test(test_block_force_new),
        cmocka_unit_test(test_sensitive_marked),
        cmocka_unit_test(test_plan_known),
        cmocka_unit_test(test_update_unknown),
        cmocka_unit_test(test_replace_if),
        cmocka_unit_test(test_equal_rules),
        cmocka_unit_test(test_dns_name_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
