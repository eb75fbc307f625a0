/*
 * test_random.c: random_id and random_password through the provider
 * interface: create (encodings, prefix, keepers, character sets, minimums,
 * uniformity), read, delete, import, the absence of update, the sensitive
 * mark on passwords, and every validation and error message.
 */
#include "helpers.h"

#include <ctype.h>

static cp_value *create_ok(const cp_resource_type *t, cp_value *config)
{
    cp_provider_call c = new_call();
    cp_value *state = NULL;
    if (t->create(&c, config, &state) != 0) fail_msg("create failed: %s", c.error);
    cp_release(config);
    assert_non_null(state);
    return state;
}

static void expect_create_error(const cp_resource_type *t, cp_value *config, const char *want)
{
    cp_provider_call c = new_call();
    cp_value *state = NULL;
    assert_int_equal(t->create(&c, config, &state), -1);
    assert_null(state);
    assert_string_equal(c.error, want);
    clear_error(&c);
    cp_release(config);
}

/* read returns the state unchanged; delete succeeds and changes nothing. */
static void assert_read_delete_noop(const cp_resource_type *t, const cp_value *s)
{
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    assert_int_equal(t->read(&c, s, &ns), 0);
    assert_true(cp_equal(ns, s));
    cp_release(ns);
    assert_int_equal(t->delete (&c, s), 0);
    assert_null(c.error);
}

/* --- random_id -------------------------------------------------------------- */

static void test_id_create(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_id", false);
    cp_value *s = create_ok(t, map_of("byte_length", cp_number(8), NULL));
    const char *id = sget(s, "id"), *hex = sget(s, "hex");
    assert_int_equal(strlen(id), 11); /* 8 bytes, base64url unpadded */
    assert_int_equal(strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     11);
    assert_string_equal(sget(s, "b64_url"), id);
    assert_int_equal(strlen(hex), 16);
    assert_int_equal(strlen(sget(s, "b64_std")), 12);
    assert_int_equal(sget(s, "b64_std")[11], '=');
    char dec[32];
    snprintf(dec, sizeof dec, "%llu", strtoull(hex, NULL, 16));
    assert_string_equal(sget(s, "dec"), dec);
    assert_int_equal(cp_number_val(cp_map_get(s, "byte_length")), 8);
    assert_true(cp_is_null(cp_map_get(s, "prefix")));
    cp_value *s2 = create_ok(t, map_of("byte_length", cp_number(8), NULL));
    assert_string_not_equal(sget(s2, "id"), id); /* 2^-64 odds of a false failure */
    assert_read_delete_noop(t, s);
    cp_release(s2);
    cp_release(s);
}

static void test_id_prefix_keepers(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_id", false);
    cp_value *keepers = map_of("ami", cp_string("ami-123"), NULL);
    cp_value *s = create_ok(t, map_of("byte_length", cp_number(4), "prefix", cp_string("web-"),
                                      "keepers", keepers, NULL));
    const char *id = sget(s, "id");
    assert_int_equal(strlen(id), 6);
    char *want = cp_xasprintf("web-%s", id);
    assert_string_equal(sget(s, "b64_url"), want);
    free(want);
    assert_memory_equal(sget(s, "hex"), "web-", 4);
    assert_memory_equal(sget(s, "dec"), "web-", 4);
    assert_memory_equal(sget(s, "b64_std"), "web-", 4);
    assert_string_equal(sget(cp_map_get(s, "keepers"), "ami"), "ami-123");
    cp_release(s);
}

static void test_id_import(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_id", false);
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    assert_int_equal(t->import(&c, "AAEC_w", &s), 0);
    assert_string_equal(sget(s, "id"), "AAEC_w");
    assert_string_equal(sget(s, "hex"), "000102ff");
    assert_string_equal(sget(s, "b64_std"), "AAEC/w==");
    assert_string_equal(sget(s, "dec"), "66303");
    assert_int_equal(cp_number_val(cp_map_get(s, "byte_length")), 4);
    cp_release(s);
    assert_int_equal(t->import(&c, "web-,AAEC_w", &s), 0);
    assert_string_equal(sget(s, "id"), "AAEC_w");
    assert_string_equal(sget(s, "prefix"), "web-");
    assert_string_equal(sget(s, "b64_url"), "web-AAEC_w");
    assert_string_equal(sget(s, "hex"), "web-000102ff");
    assert_string_equal(sget(s, "dec"), "web-66303");
    cp_release(s);
    assert_int_equal(t->import(&c, "_____________________w", &s), 0); /* 16 x 0xff */
    assert_string_equal(sget(s, "dec"), "340282366920938463463374607431768211455");
    assert_string_equal(sget(s, "hex"), "ffffffffffffffffffffffffffffffff");
    cp_release(s);
    assert_int_equal(t->import(&c, "AA", &s), 0); /* one zero byte */
    assert_string_equal(sget(s, "dec"), "0");
    assert_string_equal(sget(s, "hex"), "00");
    cp_release(s);
    assert_int_equal(t->import(&c, "not base64!", &s), -1);
    assert_string_equal(c.error, "cannot import random_id \"not base64!\": give the base64url id, "
                                 "optionally after a prefix and a comma (\"web-,q9Zbg1Y\")");
    clear_error(&c);
    assert_int_equal(t->import(&c, "p,", &s), -1);
    clear_error(&c);
}

static void test_id_errors_and_schema(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_id", false);
    const char *rule = "must be a whole number from 1 to 65536";
    expect_create_error(t, map_of("byte_length", cp_number(0), NULL),
                        "byte_length "
                        "must be a whole number from 1 to 65536");
    expect_create_error(t, map_of("prefix", cp_string("x"), NULL),
                        "byte_length must be a whole number from 1 to 65536");
    assert_string_equal(rule_for(t, "byte_length", cp_number(0)), rule);
    assert_string_equal(rule_for(t, "byte_length", cp_number(-3)), rule);
    assert_string_equal(rule_for(t, "byte_length", cp_number(1.5)), rule);
    assert_string_equal(rule_for(t, "byte_length", cp_number(65537)), rule);
    assert_null(rule_for(t, "byte_length", cp_number(1)));
    assert_null(t->update); /* every argument forces a new id */
    for (const cp_schema_attr *a = t->attrs; a->name; a++)
        if (a->flags & (CP_REQUIRED | CP_OPTIONAL)) assert_true(a->flags & CP_FORCE_NEW);
    assert_true(cp_schema_find(t->attrs, "hex")->flags & CP_COMPUTED);
}

/* --- random_password ---------------------------------------------------------------- */

static const char *special_default = "!@#$%&*()-_=+[]{}<>:?";

static void count_classes(const char *pw, int *up, int *lo, int *num, int *sp, int *other)
{
    *up = *lo = *num = *sp = *other = 0;
    for (const char *p = pw; *p; p++) {
        if (isupper((unsigned char)*p))
            (*up)++;
        else if (islower((unsigned char)*p))
            (*lo)++;
        else if (isdigit((unsigned char)*p))
            (*num)++;
        else if (strchr(special_default, *p))
            (*sp)++;
        else
            (*other)++;
    }
}

static void test_pw_create_defaults(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_password", false);
    cp_value *s = create_ok(t, map_of("length", cp_number(32), NULL));
    const cp_value *r = cp_map_get(s, "result");
    assert_true(cp_is_sensitive(r));
    assert_int_equal(cp_string_len(r), 32);
    assert_string_equal(sget(s, "id"), "none");
    int up, lo, num, sp, other;
    count_classes(cp_string_val(r), &up, &lo, &num, &sp, &other);
    assert_int_equal(other, 0);
    assert_true(cp_bool_val(cp_map_get(s, "special")));
    assert_int_equal(cp_number_val(cp_map_get(s, "min_upper")), 0);
    char *shown = cp_value_repr(r); /* never printed in clear */
    assert_string_equal(shown, "(sensitive value)");
    free(shown);
    assert_read_delete_noop(t, s);
    assert_null(t->update);
    cp_release(s);
}

static void test_pw_minimums(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_password", false);
    for (int i = 0; i < 300; i++) {
        cp_value *s = create_ok(t, map_of("length", cp_number(8), "min_upper", cp_number(2),
                                          "min_lower", cp_number(2), "min_numeric", cp_number(2),
                                          "min_special", cp_number(2), NULL));
        int up, lo, num, sp, other;
        count_classes(sget(s, "result"), &up, &lo, &num, &sp, &other);
        assert_int_equal(up, 2);
        assert_int_equal(lo, 2);
        assert_int_equal(num, 2);
        assert_int_equal(sp, 2);
        cp_release(s);
    }
}

static void test_pw_sets(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_password", false);
    cp_value *s = create_ok(t, map_of("length", cp_number(200), "special", cp_bool(false), NULL));
    int up, lo, num, sp, other;
    count_classes(sget(s, "result"), &up, &lo, &num, &sp, &other);
    assert_int_equal(sp + other, 0);
    assert_true(up > 0 && lo > 0 && num > 0);
    cp_release(s);
    s = create_ok(t,
                  map_of("length", cp_number(20), "upper", cp_bool(false), "lower", cp_bool(false),
                         "numeric", cp_bool(false), "override_special", cp_string("#"), NULL));
    assert_string_equal(sget(s, "result"), "####################");
    cp_release(s);
    s = create_ok(t, map_of("length", cp_number(50), "upper", cp_bool(false), "lower",
                            cp_bool(false), "special", cp_bool(false), NULL));
    count_classes(sget(s, "result"), &up, &lo, &num, &sp, &other);
    assert_int_equal(num, 50);
    cp_release(s);
}

static void test_pw_uniform(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_password", false);
    cp_value *s = create_ok(t, map_of("length", cp_number(20000), "upper", cp_bool(false), "lower",
                                      cp_bool(false), "special", cp_bool(false), NULL));
    int counts[10] = { 0 };
    for (const char *p = sget(s, "result"); *p; p++) counts[*p - '0']++;
    for (int i = 0; i < 10; i++) assert_true(counts[i] > 1700 && counts[i] < 2300); /* ~10 sigma */
    cp_release(s);
}

static void test_pw_errors(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_password", false);
    expect_create_error(
        t,
        map_of("length", cp_number(4), "min_upper", cp_number(3), "min_numeric", cp_number(3),
               NULL),
        "length (4) is less than min_upper + min_lower + min_numeric + min_special (6): raise length or lower the minimums");
    expect_create_error(
        t, map_of("length", cp_number(8), "upper", cp_bool(false), "min_upper", cp_number(1), NULL),
        "min_upper is 1 but upper is false: set upper = true or min_upper = 0");
    expect_create_error(
        t,
        map_of("length", cp_number(8), "upper", cp_bool(false), "lower", cp_bool(false), "numeric",
               cp_bool(false), "special", cp_bool(false), NULL),
        "no characters to choose from: enable at least one of upper, lower, numeric or special (with a non-empty override_special)");
    expect_create_error(
        t,
        map_of("length", cp_number(8), "override_special", cp_string(""), "min_special",
               cp_number(1), NULL),
        "min_special is 1 but override_special is empty: add characters to it or set min_special = 0");
    expect_create_error(t, map_of("length", cp_number(0), NULL),
                        "length must be a whole number from 1 to 65536");
    expect_create_error(t, map_of("length", cp_string("8"), NULL),
                        "length must be a whole number from 1 to 65536");
    expect_create_error(t, map_of("length", cp_number(8), "min_lower", cp_number(-1), NULL),
                        "min_lower must be a whole number from 0 to 65536");
}

static void test_pw_import(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_password", false);
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    assert_int_equal(t->import(&c, "s3cr3t!", &s), 0);
    assert_string_equal(sget(s, "result"), "s3cr3t!");
    assert_true(cp_is_sensitive(cp_map_get(s, "result")));
    assert_int_equal(cp_number_val(cp_map_get(s, "length")), 7);
    assert_true(cp_bool_val(cp_map_get(s, "upper")));
    assert_string_equal(sget(s, "id"), "none");
    cp_release(s);
    assert_int_equal(t->import(&c, "", &s), -1);
    assert_string_equal(
        c.error, "cannot import random_password: give the password itself (1 to 65536 characters)");
    clear_error(&c);
}

static void test_pw_schema(void **st)
{
    (void)st;
    const cp_resource_type *t = type_of("random_password", false);
    assert_string_equal(rule_for(t, "length", cp_number(0)),
                        "must be a whole number from 1 to 65536");
    assert_null(rule_for(t, "length", cp_number(16)));
    assert_string_equal(rule_for(t, "min_special", cp_number(-1)),
                        "must be a whole number from 0 to 65536");
    assert_string_equal(rule_for(t, "min_upper", cp_number(0.5)),
                        "must be a whole number from 0 to 65536");
    assert_null(rule_for(t, "min_numeric", cp_number(0)));
    const cp_schema_attr *r = cp_schema_find(t->attrs, "result");
    assert_true(r->flags & CP_SENSITIVE);
    assert_true(r->flags & CP_COMPUTED);
    assert_string_equal(cp_schema_find(t->attrs, "special")->default_json, "true");
    for (const cp_schema_attr *a = t->attrs; a->name; a++)
        if (a->flags & (CP_REQUIRED | CP_OPTIONAL)) assert_true(a->flags & CP_FORCE_NEW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_create),
        cmocka_unit_test(test_id_prefix_keepers),
        cmocka_unit_test(test_id_import),
        cmocka_unit_test(test_id_errors_and_schema),
        cmocka_unit_test(test_pw_create_defaults),
        cmocka_unit_test(test_pw_minimums),
        cmocka_unit_test(test_pw_sets),
        cmocka_unit_test(test_pw_uniform),
        cmocka_unit_test(test_pw_errors),
        cmocka_unit_test(test_pw_import),
        cmocka_unit_test(test_pw_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
