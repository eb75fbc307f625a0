/*
 * test_address.c: the address parser and formatter (state/address.h):
 * canonical round trips, every key form, escapes, ordering, matching, and
 * an error message for each way an address can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addrs/address.h"

static void roundtrip(const char *text)
{
    cp_addr a;
    char *err = NULL;
    if (!cp_addr_parse(text, &a, &err)) fail_msg("%s: %s", text, err);
    char *back = cp_addr_str(&a);
    assert_string_equal(back, text);
    cp_addr b;
    assert_true(cp_addr_parse(back, &b, NULL));
    assert_true(cp_addr_equal(&a, &b));
    free(back);
    cp_addr_clear(&a);
    cp_addr_clear(&b);
}

static void test_roundtrips(void **state)
{
    (void)state;
    const char *ok[] = {
        "aws_s3_bucket.logs",
        "aws_s3_bucket.logs[0]",
        "aws_s3_bucket.logs[42]",
        "aws_s3_bucket.logs[\"a\"]",
        "data.aws_ami.al2",
        "data.aws_ami.al2[3]",
        "data.aws_ami.al2[\"x y\"]",
        "aws_s3_bucket.logs[\"\"]",
        "aws_s3_bucket.logs[\"say \\\"hi\\\"\"]",
        "aws_s3_bucket.logs[\"back\\\\slash\"]",
        "aws_s3_bucket.logs[\"line\\nbreak\\ttab\\rcr\"]",
        "aws_s3_bucket.logs[\"\\u0001\"]",
        "aws_s3_bucket.logs[\"caf\xc3\xa9 ]\"]",
        "local_file.a-b_c",
        "_x._y",
        "aws_s3_bucket.logs[9223372036854775807]",
        "data.data.x",
        "data.x.y",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) roundtrip(ok[i]);
}

static void test_fields(void **state)
{
    (void)state;
    cp_addr a;
    assert_true(cp_addr_parse("data.aws_ami.al2[\"k\\\"q\"]", &a, NULL));
    assert_int_equal(a.mode, CP_MODE_DATA);
    assert_string_equal(a.type, "aws_ami");
    assert_string_equal(a.name, "al2");
    assert_int_equal(a.key_kind, CP_KEY_STR);
    assert_string_equal(a.key_str, "k\"q");
    cp_addr_clear(&a);
    assert_true(cp_addr_parse("aws_instance.web[7]", &a, NULL));
    assert_int_equal(a.mode, CP_MODE_MANAGED);
    assert_int_equal(a.key_kind, CP_KEY_INT);
    assert_int_equal(a.key_int, 7);
    cp_addr_clear(&a);
    /* A leading "data." always means a data source. */
    assert_true(cp_addr_parse("data.data.x", &a, NULL));
    assert_int_equal(a.mode, CP_MODE_DATA);
    assert_string_equal(a.type, "data");
    cp_addr_clear(&a);
    assert_false(cp_addr_parse("data.data", &a, NULL));
}

static void test_noncanonical_escapes(void **state)
{
    (void)state;
    cp_addr a;
    assert_true(cp_addr_parse("x.y[\"\\u00e9\\/\"]", &a, NULL));
    assert_string_equal(a.key_str, "\xc3\xa9/");
    char *s = cp_addr_str(&a);
    assert_string_equal(s, "x.y[\"\xc3\xa9/\"]");
    free(s);
    cp_addr_clear(&a);
}

static void expect_error(const char *text, const char *needle)
{
    cp_addr a;
    char *err = NULL;
    assert_false(cp_addr_parse(text, &a, &err));
    assert_non_null(err);
    if (!strstr(err, needle)) fail_msg("error for %s: \"%s\" lacks \"%s\"", text, err, needle);
    assert_null(strchr(err, '\n'));
    assert_null(a.type);
    free(err);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", "expected a resource type at position 1");
    expect_error("aws_s3_bucket", "expected '.' and a name at position 14");
    expect_error("aws_s3_bucket.", "expected a resource name at position 15");
    expect_error("aws_s3_bucket.logs[", "expected a number or a quoted string");
    expect_error("aws_s3_bucket.logs[01]", "leading zero");
    expect_error("aws_s3_bucket.logs[-1]", "expected a number or a quoted string");
    expect_error("aws_s3_bucket.logs[99999999999999999999]", "too large");
    expect_error("aws_s3_bucket.logs[0", "expected ']'");
    expect_error("aws_s3_bucket.logs[\"a]", "unterminated key string");
    expect_error("aws_s3_bucket.logs[\"a\\q\"]", "unknown escape");
    expect_error("aws_s3_bucket.logs[\"\\u12\"]", "bad \\u escape");
    expect_error("aws_s3_bucket.logs[\"\\u0000\"]", "NUL or a surrogate");
    expect_error("aws_s3_bucket.logs[\"a\nb\"]", "control character");
    expect_error("aws_s3_bucket.logs[0] ", "unexpected text at position 22");
    expect_error("aws_s3_bucket.logs.x", "unexpected text");
    expect_error("data.aws_ami", "expected '.' and a name");
    expect_error("data.", "expected a data source type");
    expect_error("1bucket.x", "expected a resource type");
    expect_error("module.x", "expected '.' and a resource after the module");
    expect_error("module.x[0]aws_s3_bucket.y", "expected '.' and a resource after the module");
    expect_error("module.1x.aws_s3_bucket.y", "expected a module name");
    expect_error("module.x[01].a.b", "leading zero");
    expect_error("a.b[a]", "expected a number or a quoted string");
    expect_error("a.b[\"x\ny\"]", "invalid address \"a.b[\\\"x\\ny\\\"]\": control character");
}

/* Module paths: parsed before the resource, written back canonically,
 * ordered after the root, matched segment by segment. */
static void test_modules(void **state)
{
    (void)state;
    cp_addr a;
    assert_true(cp_addr_parse("module.net[\"a\"].module.sub[2].aws_vpc.main[0]", &a, NULL));
    assert_string_equal(a.module, "module.net[\"a\"].module.sub[2]");
    assert_string_equal(a.type, "aws_vpc");
    assert_int_equal(a.key_int, 0);
    char *s = cp_addr_str(&a);
    assert_string_equal(s, "module.net[\"a\"].module.sub[2].aws_vpc.main[0]");
    free(s);
    s = cp_addr_config_str(&a);
    assert_string_equal(s, "module.net.module.sub.aws_vpc.main");
    free(s);
    cp_addr b;
    cp_addr_copy(&b, &a);
    assert_true(cp_addr_equal(&a, &b));
    cp_addr_set_module(&b, "module.net");
    assert_false(cp_addr_equal(&a, &b));
    assert_false(cp_addr_same_resource(&a, &b));
    cp_addr_clear(&b);
    assert_true(cp_addr_parse("data.x.y", &b, NULL)); /* the root sorts first */
    assert_true(cp_addr_compare(&b, &a) < 0);
    cp_addr_clear(&b);
    assert_true(cp_addr_parse("module.net.module.sub.aws_vpc.main", &b, NULL));
    assert_true(cp_addr_matches(&b, &a)); /* keyless segments select every key */
    cp_addr_clear(&b);
    assert_true(cp_addr_parse("module.net[\"b\"].module.sub.aws_vpc.main", &b, NULL));
    assert_false(cp_addr_matches(&b, &a));
    cp_addr_clear(&b);
    assert_true(cp_addr_parse("aws_vpc.main", &b, NULL));
    assert_false(cp_addr_matches(&b, &a)); /* the root's resource is another one */
    cp_addr_clear(&b);
    cp_addr_clear(&a);

    char *mod = NULL, *err = NULL;
    assert_true(cp_addr_parse_module("module.a[\"\\u0041\"].module.b", &mod, NULL));
    assert_string_equal(mod, "module.a[\"A\"].module.b");
    assert_true(cp_addr_module_matches("module.a", mod, true));
    assert_false(cp_addr_module_matches("module.a", mod, false));
    assert_true(cp_addr_module_matches("module.a[\"A\"].module.b", mod, false));
    assert_false(cp_addr_module_matches("module.a[\"B\"]", mod, true));
    assert_false(cp_addr_module_matches("module.ab", mod, true));
    assert_false(cp_addr_module_matches(NULL, mod, false));
    assert_true(cp_addr_module_matches(NULL, NULL, false));
    s = cp_addr_module_rebase(mod, "module.a", "module.z");
    assert_string_equal(s, "module.z[\"A\"].module.b");
    free(s);
    s = cp_addr_module_rebase(mod, "module.a[\"A\"]", "module.y");
    assert_string_equal(s, "module.y.module.b");
    free(s);
    s = cp_addr_module_rebase("module.a", "module.a", "module.w[\"k\"]");
    assert_string_equal(s, "module.w[\"k\"]");
    free(s);
    assert_null(cp_addr_module_rebase(mod, "module.ab", "module.z"));
    assert_null(cp_addr_module_rebase(NULL, "module.a", "module.z"));
    s = cp_addr_module_strip_keys(mod);
    assert_string_equal(s, "module.a.module.b");
    free(s);
    free(mod);
    assert_false(cp_addr_parse_module("module.a.aws_x.y", &mod, &err));
    assert_non_null(strstr(err, "unexpected text after the module path"));
    free(err);
    assert_false(cp_addr_parse_module("aws_x.y", &mod, NULL));
}

static int cmp_text(const char *x, const char *y)
{
    cp_addr a, b;
    assert_true(cp_addr_parse(x, &a, NULL));
    assert_true(cp_addr_parse(y, &b, NULL));
    int c = cp_addr_compare(&a, &b);
    cp_addr_clear(&a);
    cp_addr_clear(&b);
    return c;
}

static void test_order_and_match(void **state)
{
    (void)state;
    assert_true(cmp_text("a.b[2]", "a.b[10]") < 0);     /* numeric, not text */
    assert_true(cmp_text("a.b", "a.b[0]") < 0);         /* no key first */
    assert_true(cmp_text("a.b[99]", "a.b[\"a\"]") < 0); /* counts before strings */
    assert_true(cmp_text("z.z", "data.a.a") < 0);       /* managed before data */
    assert_true(cmp_text("a.b[\"x\"]", "a.b[\"x\"]") == 0);
    cp_addr p, x, y;
    assert_true(cp_addr_parse("a.b", &p, NULL));
    assert_true(cp_addr_parse("a.b[\"k\"]", &x, NULL));
    assert_true(cp_addr_parse("a.c[\"k\"]", &y, NULL));
    assert_true(cp_addr_matches(&p, &x));
    assert_false(cp_addr_matches(&p, &y));
    assert_false(cp_addr_matches(&x, &p));
    assert_true(cp_addr_same_resource(&p, &x));
    cp_addr_clear(&p);
    cp_addr_clear(&x);
    cp_addr_clear(&y);
}

static void test_build(void **state)
{
    (void)state;
    cp_addr a;
    cp_addr_init(&a, CP_MODE_DATA, "aws_ami", "al2", CP_KEY_STR, 0, "tab\there");
    char *s = cp_addr_str(&a);
    assert_string_equal(s, "data.aws_ami.al2[\"tab\\there\"]");
    cp_addr c;
    cp_addr_copy(&c, &a);
    assert_true(cp_addr_equal(&a, &c));
    free(s);
    cp_addr_clear(&a);
    cp_addr_clear(&c);
    assert_true(cp_addr_is_ident("a-b_1"));
    assert_false(cp_addr_is_ident("1a"));
    assert_false(cp_addr_is_ident(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrips),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_noncanonical_escapes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_modules),
        cmocka_unit_test(test_order_and_match),
        cmocka_unit_test(test_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
