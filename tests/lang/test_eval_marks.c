/*
 * test_eval_marks.c: unknown ("known after apply") and sensitive values
 * through every kind of expression: unknown operands give unknown results
 * unless the answer does not depend on them; any sensitive part marks the
 * result; and no error message ever shows a sensitive value.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define U "(known after apply)"

static void test_unknown_operators(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.unknown", U);
    EXPECT(t, "var.unknown + 1", U);
    EXPECT(t, "2 * var.unknown", U);
    EXPECT(t, "-var.unknown", U);
    EXPECT(t, "!var.unknown", U);
    EXPECT(t, "var.unknown == 1", U);
    EXPECT(t, "var.maybe == [1, 2]", U);
    EXPECT(t, "var.unknown < 3", U);
    EXPECT(t, "aws_thing.pending.id", U);
    EXPECT(t, "aws_thing.pending.arn", "\"arn:aws:thing:1\"");
    EXPECT(t, "\"id-${aws_thing.pending.id}\"", U);
    /* type errors are still found beside an unknown */
    EXPECT(t, "[1] + var.unknown",
           "ERROR: main.cp:1:1: cannot add a list and an unknown value: \"+\" needs two numbers");
}

static void test_unknown_logic(void **state)
{
    tctx *t = *state;
    EXPECT(t, "false && var.unknown", "false");
    EXPECT(t, "var.unknown && false", "false");
    EXPECT(t, "true || var.unknown", "true");
    EXPECT(t, "var.unknown || true", "true");
    EXPECT(t, "var.unknown && true", U);
    EXPECT(t, "true && var.unknown", U);
    EXPECT(t, "var.unknown || false", U);
    EXPECT(t, "var.unknown ? 1 : 2", U);
    EXPECT(t, "var.unknown ? var.nope : 2", "ERROR: main.cp:1:15: undeclared var \"nope\"");
    EXPECT(t, "true ? var.unknown : 2", U);
    EXPECT(t, "false ? var.unknown : 2", "2");
}

static void test_unknown_access(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.unknown[0]", U);
    EXPECT(t, "var.unknown[\"k\"]", U);
    EXPECT(t, "var.unknown.attr", U);
    EXPECT(t, "var.list[var.unknown]", U);
    EXPECT(t, "var.tags[var.unknown]", U);
    EXPECT(t, "var.maybe[1]", U);
    EXPECT(t, "var.maybe[0]", "1");
    EXPECT(t, "var.unknown[*].id", U);
    EXPECT(t, "[var.unknown, 1]", "[" U ", 1]");
    EXPECT(t, "{ a = var.unknown }", "{ a = " U " }");
    EXPECT(t, "{ (var.unknown) = 1 }", U);
    EXPECT(t, "[for x in var.unknown : x]", U);
    EXPECT(t, "[for x in var.list : x if var.unknown]", U);
    EXPECT(t, "[for x in var.maybe : x]", "[1, " U "]");
    EXPECT(t, "{for x in var.list : var.unknown => x}", U);
    EXPECT(t, "{for x in var.list : x => var.unknown}", "{ a = " U ", b = " U ", c = " U " }");
    EXPECT(t, "max(var.unknown...)", U);
}

static void test_unknown_try_can(void **state)
{
    tctx *t = *state;
    EXPECT(t, "can(var.unknown)", U);
    EXPECT(t, "can(var.maybe)", U);
    EXPECT(t, "try(var.unknown, 1)", U);
    EXPECT(t, "try(var.maybe, 1)", U);
    EXPECT(t, "try(var.nope, var.unknown)", U);
}

/* Every binary operator, with an unknown or a sensitive operand on either
 * side, against the result with two plain operands. */
static void test_operator_matrix(void **state)
{
    tctx *t = *state;
    static const char *const ops[] = { "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=" };
    static const char *const plain[] = { "9",    "3",     "18",    "2",    "0",   "false",
                                         "true", "false", "false", "true", "true" };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        char *src = cp_xasprintf("6 %s 3", ops[i]), *got = ev_str(t, src);
        assert_string_equal(got, plain[i]);
        free(got);
        free(src);
        const char *forms[4] = { "var.unknown %s 3", "6 %s var.unknown", "sensitive(6) %s 3",
                                 "6 %s sensitive(3)" };
        for (int f = 0; f < 4; f++) {
            src = cp_xasprintf(forms[f], ops[i]);
            got = ev_str(t, src);
            char *want = f < 2 ? cp_xstrdup(U) : cp_xasprintf("(sensitive) %s", plain[i]);
            if (strcmp(got, want) != 0) print_error("  source: %s\n", src);
            assert_string_equal(got, want);
            free(want);
            free(got);
            free(src);
        }
    }
    EXPECT(t, "-sensitive(2)", "(sensitive) -2");
    EXPECT(t, "!sensitive(true)", "(sensitive) false");
    EXPECT(t, "sensitive(true) && true", "(sensitive) true");
    EXPECT(t, "true || sensitive(false)", "true");
    EXPECT(t, "false || sensitive(false)", "(sensitive) false");
    EXPECT(t, "sensitive(false) && var.nope", "(sensitive) false");
    EXPECT(t, "var.unknown && sensitive(false)", "(sensitive) false");
}

static void expect_deep(tctx *t, const char *src, bool top, bool deep)
{
    cp_value *v = ev(t, src);
    assert_non_null(v);
    if (cp_is_sensitive(v) != top || cp_contains_sensitive(v) != deep)
        print_error("  source: %s\n", src);
    assert_int_equal(cp_is_sensitive(v), top);
    assert_int_equal(cp_contains_sensitive(v), deep);
    cp_release(v);
}

static void test_sensitive_operators(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.secret", "(sensitive) \"hunter2\"");
    EXPECT(t, "var.secret_num + 1", "(sensitive) 43");
    EXPECT(t, "1 + var.secret_num", "(sensitive) 43");
    EXPECT(t, "-var.secret_num", "(sensitive) -42");
    EXPECT(t, "var.secret == \"x\"", "(sensitive) false");
    EXPECT(t, "var.secret != \"x\"", "(sensitive) true");
    EXPECT(t, "var.secret_num > 40 && true", "(sensitive) true");
    EXPECT(t, "false && var.secret_num > 1", "false");
    EXPECT(t, "!(var.secret == \"\")", "(sensitive) true");
    EXPECT(t, "\"pw=${var.secret}\"", "(sensitive) \"pw=hunter2\"");
    EXPECT(t, "\"${var.secret}\"", "(sensitive) \"hunter2\"");
    EXPECT(t, "var.secret_in == [\"pub\", \"priv\"]", "(sensitive) true");
}

static void test_sensitive_structure(void **state)
{
    tctx *t = *state;
    EXPECT(t, "true ? var.secret : \"x\"", "(sensitive) \"hunter2\"");
    EXPECT(t, "false ? var.secret : \"x\"", "\"x\"");
    EXPECT(t, "var.secret == \"hunter2\" ? \"a\" : \"b\"", "(sensitive) \"a\"");
    EXPECT(t, "var.secret_list[0]", "(sensitive) \"x\"");
    EXPECT(t, "var.secret_list[*]", "(sensitive) [\"x\", \"y\"]");
    EXPECT(t, "var.list[var.secret_num - 41]", "(sensitive) \"b\"");
    EXPECT(t, "{ (var.secret) = 1 }", "(sensitive) { hunter2 = 1 }");
    EXPECT(t, "[for x in var.secret_list : x]", "(sensitive) [\"x\", \"y\"]");
    EXPECT(t, "[for x in var.secret_list : \"v\"][0]", "(sensitive) \"v\"");
    EXPECT(t, "{for x in var.list : x => var.secret}.b", "(sensitive) \"hunter2\"");
    expect_deep(t, "{for x in var.list : x => var.secret}", false, true);
    expect_deep(t, "[var.secret, 1]", false, true);
    expect_deep(t, "{ a = var.secret }", false, true);
    expect_deep(t, "var.secret_in", false, true);
    expect_deep(t, "var.secret_in[0]", false, false);
    expect_deep(t, "var.secret_in[1]", true, true);
    expect_deep(t, "[for x in var.secret_in : x][1]", true, true);
    expect_deep(t, "{for x in var.secret_in : x => 1}", true, true); /* a sensitive key */
    expect_deep(t, "{for i, x in var.secret_in : i => 1}", false, false);
    expect_deep(t, "{for x in var.list : var.secret => x...}", true, true);
    expect_deep(t, "var.secret_list[*]", true, true);
}

static void test_no_secret_in_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.tags[var.secret]",
           "ERROR: main.cp:1:10: no such key in this map (the key or the map is sensitive)");
    EXPECT(t, "var.list[var.secret_num]",
           "ERROR: main.cp:1:10: index (sensitive value) out of range for list of 3 elements");
    EXPECT(t, "var.list[var.secret]",
           "ERROR: main.cp:1:10: a list index must be a number, got a string ((sensitive value))");
    EXPECT(t, "{ (var.secret) = 1, (var.secret) = 2 }",
           "ERROR: main.cp:1:21: duplicate key (sensitive value) in this object: each key may "
           "appear once");
    EXPECT(t, "{for x in var.list : var.secret => x}",
           "ERROR: main.cp:1:22: duplicate key (sensitive value) in for expression: add \"...\" "
           "after the value to group values with the same key");
    EXPECT(t, "var.secret * 2",
           "ERROR: main.cp:1:1: cannot multiply a string and a number: \"*\" needs two numbers and "
           "(sensitive value) is not one");
    EXPECT(t, "{ hunter = 1 }[var.secret]",
           "ERROR: main.cp:1:16: no such key in this map (the key or the map is sensitive)");
    char *all;
    assert_null(ev(t, "[for x in var.secret_list : tonumber(x)]"));
    all = tctx_errors(t);
    assert_null(strstr(all, "\"x\""));
    free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_operators),   cmocka_unit_test(test_unknown_logic),
        cmocka_unit_test(test_unknown_access),      cmocka_unit_test(test_unknown_try_can),
        cmocka_unit_test(test_operator_matrix),     cmocka_unit_test(test_sensitive_operators),
        cmocka_unit_test(test_sensitive_structure), cmocka_unit_test(test_no_secret_in_errors),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
