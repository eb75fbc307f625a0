/*
 * test_eval_values.c: the small value helpers the evaluator added to
 * value.h (cp_parse_number, cp_to_string / cp_to_number / cp_to_bool,
 * cp_kind_article) and the canonical number text they rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lang/value.h"

static char *num_text(double d)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_number_format(&b, d);
    return cp_buf_steal(&b);
}

#define EXPECT_NUM(d, want)                                                                        \
    do {                                                                                           \
        char *got_ = num_text(d);                                                                  \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_number_text(void **state)
{
    (void)state;
    EXPECT_NUM(0, "0");
    EXPECT_NUM(-0.0, "0");
    EXPECT_NUM(42, "42");
    EXPECT_NUM(-7, "-7");
    EXPECT_NUM(1.5, "1.5");
    EXPECT_NUM(0.1, "0.1");
    EXPECT_NUM(0.1 + 0.2, "0.30000000000000004");
    EXPECT_NUM(1.0 / 3, "0.3333333333333333");
    EXPECT_NUM(2.0 / 3, "0.6666666666666666");
    EXPECT_NUM(1e15, "1e+15");
    EXPECT_NUM(999999999999999, "999999999999999");
    EXPECT_NUM(1e-7, "1e-07");
    EXPECT_NUM(123456.789, "123456.789");
    EXPECT_NUM(NAN, "NaN");
    EXPECT_NUM(INFINITY, "Infinity");
    EXPECT_NUM(-INFINITY, "-Infinity");
}

static void test_parse_number(void **state)
{
    (void)state;
    double d = -1;
    assert_true(cp_parse_number("5", 1, &d));
    assert_true(d == 5);
    assert_true(cp_parse_number("-1.5e2", 6, &d));
    assert_true(d == -150);
    assert_true(cp_parse_number("+3", 2, &d));
    assert_true(d == 3);
    assert_true(cp_parse_number(".5", 2, &d));
    assert_true(d == 0.5);
    assert_true(cp_parse_number("12x", 2, &d)); /* only n bytes are read */
    assert_true(d == 12);
    assert_false(cp_parse_number("", 0, &d));
    assert_false(cp_parse_number(" 5", 2, &d));
    assert_false(cp_parse_number("5 ", 2, &d));
    assert_false(cp_parse_number("0x10", 4, &d));
    assert_false(cp_parse_number("inf", 3, &d));
    assert_false(cp_parse_number("nan", 3, &d));
    assert_false(cp_parse_number("1e999", 5, &d));
    assert_false(cp_parse_number("-", 1, &d));
    assert_false(cp_parse_number("e5", 2, &d));
    assert_false(cp_parse_number("1,5", 3, &d));
    char big[500];
    memset(big, '1', sizeof big);
    assert_false(cp_parse_number(big, sizeof big, &d));
}

static void test_to_string(void **state)
{
    (void)state;
    cp_value *v = cp_number(2.5), *s = cp_to_string(v);
    assert_string_equal(cp_string_val(s), "2.5");
    cp_release(s);
    cp_release(v);
    s = cp_to_string(cp_bool(false));
    assert_string_equal(cp_string_val(s), "false");
    cp_release(s);
    v = cp_string("x");
    s = cp_to_string(v);
    assert_ptr_equal(s, v); /* a string is returned as it is */
    cp_release(s);
    cp_release(v);
    assert_null(cp_to_string(cp_null()));
    assert_null(cp_to_string(cp_unknown()));
    v = cp_list_new();
    assert_null(cp_to_string(v));
    cp_release(v);
    cp_value *n = cp_number(7);
    v = cp_mark_sensitive(n);
    s = cp_to_string(v);
    assert_true(cp_is_sensitive(s));
    assert_string_equal(cp_string_val(s), "7");
    cp_release(s);
    cp_release(v);
    cp_release(n);
}

static void test_to_number_and_bool(void **state)
{
    (void)state;
    cp_value *v = cp_string("12.5"), *n = cp_to_number(v);
    assert_true(cp_number_val(n) == 12.5);
    cp_release(n);
    cp_release(v);
    v = cp_string("12abc");
    assert_null(cp_to_number(v));
    cp_release(v);
    assert_null(cp_to_number(cp_bool(true)));
    assert_null(cp_to_number(cp_null()));
    cp_value *raw = cp_string("true");
    v = cp_mark_sensitive(raw);
    cp_value *b = cp_to_bool(v);
    assert_true(cp_bool_val(b));
    assert_true(cp_is_sensitive(b));
    cp_release(b);
    cp_release(v);
    cp_release(raw);
    v = cp_string("false");
    b = cp_to_bool(v);
    assert_false(cp_bool_val(b));
    assert_int_equal(cp_kind_of(b), CP_BOOL);
    cp_release(b);
    cp_release(v);
    v = cp_string("True");
    assert_null(cp_to_bool(v));
    cp_release(v);
    assert_null(cp_to_bool(cp_unknown()));
    v = cp_number(1);
    assert_null(cp_to_bool(v));
    cp_release(v);
}

static void test_kind_article(void **state)
{
    (void)state;
    assert_string_equal(cp_kind_article(CP_NULL), "null");
    assert_string_equal(cp_kind_article(CP_BOOL), "a bool");
    assert_string_equal(cp_kind_article(CP_NUMBER), "a number");
    assert_string_equal(cp_kind_article(CP_STRING), "a string");
    assert_string_equal(cp_kind_article(CP_LIST), "a list");
    assert_string_equal(cp_kind_article(CP_MAP), "a map");
    assert_string_equal(cp_kind_article(CP_UNKNOWN), "an unknown value");
    assert_string_equal(cp_kind_article((cp_kind)42), "?");
}

/* The one quoting (util/buf.h) as rendering, JSON and addresses use it. */
static void test_quoted(void **state)
{
    (void)state;
    cp_buf b;
    cp_buf_init(&b);
    const char raw[] = "a\"b\\c\n\r\t\x01${x}$y\xc3\xa9";
    cp_buf_add_quoted(&b, raw, sizeof raw - 1, CP_QUOTE_JSON);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\r\\t\\u0001${x}$y\xc3\xa9\"");
    cp_buf_reset(&b);
    cp_buf_add_quoted(&b, raw, sizeof raw - 1, CP_QUOTE_TEMPLATE);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\r\\t\\u0001$${x}$y\xc3\xa9\"");
    cp_buf_reset(&b);
    cp_buf_add_quoted(&b, "$", 1, CP_QUOTE_TEMPLATE); /* a lone $ at the end */
    assert_string_equal(b.data, "\"$\"");
    cp_buf_reset(&b);
    cp_buf_add_quoted(&b, "a\0b", 3, CP_QUOTE_JSON); /* length, not NUL, ends it */
    assert_string_equal(b.data, "\"a\\u0000b\"");
    cp_buf_free(&b);
    cp_value *v = cp_string("${x}\n");
    char *r = cp_value_repr(v);
    assert_string_equal(r, "\"$${x}\\n\"");
    free(r);
    cp_release(v);
}

/* cp_map_overlay: base's entries, top's winning, inputs untouched. */
static void test_map_overlay(void **state)
{
    (void)state;
    cp_value *a = cp_map_new(), *b = cp_map_new();
    cp_map_set_take(a, "x", cp_number(1));
    cp_map_set_take(a, "y", cp_number(2));
    cp_map_set_take(b, "y", cp_string("top"));
    cp_map_set_take(b, "z", cp_bool(true));
    cp_value *o = cp_map_overlay(a, b);
    char *r = cp_value_repr(o);
    assert_string_equal(r, "{ x = 1, y = \"top\", z = true }");
    free(r);
    assert_int_equal(cp_len(a), 2);
    assert_true(cp_number_val(cp_map_get(a, "y")) == 2);
    cp_release(o);
    cp_release(a);
    cp_release(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_text),  cmocka_unit_test(test_parse_number),
        cmocka_unit_test(test_to_string),    cmocka_unit_test(test_to_number_and_bool),
        cmocka_unit_test(test_kind_article), cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_map_overlay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
