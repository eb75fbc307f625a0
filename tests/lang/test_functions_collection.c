/*
 * test_functions_collection.c: the list, map, conversion and number
 * built-ins, each with normal and edge cases and its own errors: length
 * concat merge lookup keys values contains element slice reverse zipmap
 * coalesce coalescelist compact flatten distinct sort range, tostring
 * tonumber tobool tolist tomap toset, abs ceil floor pow signum min max sum.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

#define U "(known after apply)"

static void test_length(void **state)
{
    tctx *t = *state;
    EXPECT(t, "length([1, 2, 3])", "3");
    EXPECT(t, "length([])", "0");
    EXPECT(t, "length({ a = 1, b = 2 })", "2");
    EXPECT(t, "length(\"abc\")", "3");
    EXPECT(t, "length(var.maybe)", "2");     /* unknown elements are counted */
    EXPECT(t, "length(var.secret_in)", "2"); /* element marks stay inside */
    EXPECT(t, "length(var.secret_list)", "(sensitive) 2");
    EXPECT(t, "length(null)",
           "ERROR: main.cp:1:8: length: argument 1 must be a string, a list or a map, got null");
    EXPECT(t, "length(true)",
           "ERROR: main.cp:1:8: length: argument 1 must be a string, a list or a map, got bool");
}

static void test_concat_merge(void **state)
{
    tctx *t = *state;
    EXPECT(t, "concat([1, 2], [3], [])", "[1, 2, 3]");
    EXPECT(t, "concat([])", "[]");
    EXPECT(t, "concat([[1]], [[2]])", "[[1], [2]]");
    EXPECT(t, "concat(var.maybe, [3])", "[1, " U ", 3]");
    EXPECT(t, "concat([1], var.unknown)", U);
    EXPECT(t, "concat({})", "ERROR: main.cp:1:8: concat: argument 1 must be a list, got map");
    EXPECT(t, "merge({ a = 1, b = 2 }, { b = 3, c = 4 })", "{ a = 1, b = 3, c = 4 }");
    EXPECT(t, "merge({ a = 1 }, null, { b = 2 })", "{ a = 1, b = 2 }");
    EXPECT(t, "merge()", "{}");
    EXPECT(t, "merge(var.tags, { Name = var.name })",
           "{ Env = \"prod\", Name = \"web\", Team = \"core\" }");
    EXPECT(t, "merge({ a = var.unknown }, { b = 1 })", "{ a = " U ", b = 1 }");
    EXPECT(t, "merge([1])", "ERROR: main.cp:1:7: merge: argument 1 must be a map, got list");
}

static void test_lookup_keys_values(void **state)
{
    tctx *t = *state;
    EXPECT(t, "lookup({ a = 1 }, \"a\")", "1");
    EXPECT(t, "lookup({ a = 1 }, \"b\", 0)", "0");
    EXPECT(t, "lookup({ a = 1 }, \"a\", 0)", "1");
    EXPECT(t, "lookup(var.users, \"bob\").role", "\"dev\"");
    EXPECT(t, "lookup({ a = 1 }, \"b\")",
           "ERROR: main.cp:1:19: lookup: no key \"b\" in the map, and no default was given: add a "
           "third argument for the default");
    EXPECT(t, "lookup({ a = 1 }, var.secret)",
           "ERROR: main.cp:1:19: lookup: no key (sensitive value) in the map, and no default was "
           "given: add a third argument for the default");
    EXPECT(t, "lookup([1], \"a\")",
           "ERROR: main.cp:1:8: lookup: argument 1 must be a map, got list");
    EXPECT(t, "keys({ b = 1, a = 2 })", "[\"a\", \"b\"]");
    EXPECT(t, "keys({})", "[]");
    EXPECT(t, "keys(var.users)", "[\"alice\", \"bob\"]");
    EXPECT(t, "values({ b = 1, a = 2 })", "[2, 1]");
    EXPECT(t, "values({})", "[]");
    EXPECT(t, "values({ a = var.unknown })", "[" U "]");
    EXPECT(t, "values(\"x\")",
           "ERROR: main.cp:1:8: values: argument 1 must be a map, got string \"x\"");
}

static void test_contains_element(void **state)
{
    tctx *t = *state;
    EXPECT(t, "contains([\"a\", \"b\"], \"b\")", "true");
    EXPECT(t, "contains([\"a\", \"b\"], \"c\")", "false");
    EXPECT(t, "contains([], 1)", "false");
    EXPECT(t, "contains([1, 2], \"1\")", "false"); /* no conversion */
    EXPECT(t, "contains([[1], [2]], [2])", "true");
    EXPECT(t, "contains([null], null)", "true");
    EXPECT(t, "contains(var.maybe, 1)", U);
    EXPECT(t, "contains(\"abc\", \"a\")",
           "ERROR: main.cp:1:10: contains: argument 1 must be a list, got string \"abc\"");
    EXPECT(t, "element([\"a\", \"b\", \"c\"], 1)", "\"b\"");
    EXPECT(t, "element([\"a\", \"b\", \"c\"], 3)", "\"a\""); /* wraps around */
    EXPECT(t, "element([\"a\", \"b\", \"c\"], 7)", "\"b\"");
    EXPECT(t, "element(var.maybe, 0)", "1");
    EXPECT(t, "element([], 0)",
           "ERROR: main.cp:1:9: element: cannot take an element of an empty list");
    EXPECT(t, "element([1], -1)",
           "ERROR: main.cp:1:14: element: argument 2 must not be negative, got -1");
    EXPECT(t, "element([1], 0.5)",
           "ERROR: main.cp:1:14: element: argument 2 must be a whole number, got 0.5");
}

static void test_slice_reverse_zipmap(void **state)
{
    tctx *t = *state;
    EXPECT(t, "slice([\"a\", \"b\", \"c\", \"d\"], 1, 3)", "[\"b\", \"c\"]");
    EXPECT(t, "slice([1, 2], 0, 0)", "[]");
    EXPECT(t, "slice([1, 2], 0, 2)", "[1, 2]");
    EXPECT(t, "slice([1, 2], 2, 2)", "[]");
    EXPECT(t, "slice([1, 2], 1, 3)",
           "ERROR: main.cp:1:18: slice: argument 3 must be at most 2, got 3");
    EXPECT(t, "slice([1, 2], -1, 1)",
           "ERROR: main.cp:1:15: slice: argument 2 must not be negative, got -1");
    EXPECT(t, "slice([1, 2, 3], 2, 1)",
           "ERROR: main.cp:1:18: slice: the start index 2 is after the end index 1");
    EXPECT(t, "reverse([1, 2, 3])", "[3, 2, 1]");
    EXPECT(t, "reverse([])", "[]");
    EXPECT(t, "reverse(var.maybe)", "[" U ", 1]");
    EXPECT(t, "zipmap([\"a\", \"b\"], [1, 2])", "{ a = 1, b = 2 }");
    EXPECT(t, "zipmap([], [])", "{}");
    EXPECT(t, "zipmap([\"a\", \"a\"], [1, 2])", "{ a = 2 }");
    EXPECT(
        t, "zipmap([\"a\"], var.maybe)",
        "ERROR: main.cp:1:1: zipmap: the lists of keys and values have different lengths, 1 and 2");
    EXPECT(t, "zipmap([\"a\", \"b\"], var.maybe)", "{ a = 1, b = " U " }");
    EXPECT(t, "zipmap([\"a\", var.unknown], [1, 2])", U);
    EXPECT(t, "zipmap(var.secret_in, [1, 2])", "(sensitive) { priv = 2, pub = 1 }");
    EXPECT(t, "zipmap([1, 2], [\"x\", \"y\"])", "{ \"1\" = \"x\", \"2\" = \"y\" }");
}

static void test_coalesce_compact(void **state)
{
    tctx *t = *state;
    EXPECT(t, "coalesce(\"\", \"b\", \"c\")", "\"b\"");
    EXPECT(t, "coalesce(null, 1)", "1");
    EXPECT(t, "coalesce(var.nothing, var.name)", "\"web\"");
    EXPECT(t, "coalesce(0, 1)", "0");
    EXPECT(t, "coalesce(null, \"\")",
           "ERROR: main.cp:1:1: coalesce: all 2 arguments are null or empty strings: give at least "
           "one with a value");
    EXPECT(t, "coalescelist([], [1, 2], [3])", "[1, 2]");
    EXPECT(
        t, "coalescelist([], [])",
        "ERROR: main.cp:1:1: coalescelist: all 2 lists are empty: give at least one non-empty list");
    EXPECT(t, "coalescelist(1)",
           "ERROR: main.cp:1:14: coalescelist: argument 1 must be a list, got number");
    EXPECT(t, "compact([\"a\", \"\", null, \"b\"])", "[\"a\", \"b\"]");
    EXPECT(t, "compact([])", "[]");
    EXPECT(t, "compact([1, 2])", "[\"1\", \"2\"]");
    EXPECT(
        t, "compact([\"a\", [1]])",
        "ERROR: main.cp:1:9: compact: argument 1 must be a list of strings, but element 1 is a list");
}

static void test_flatten_distinct_sort(void **state)
{
    tctx *t = *state;
    EXPECT(t, "flatten([[\"a\", \"b\"], [], [\"c\"]])", "[\"a\", \"b\", \"c\"]");
    EXPECT(t, "flatten([[1, [2, [3]]], 4])", "[1, 2, 3, 4]");
    EXPECT(t, "flatten([])", "[]");
    EXPECT(t, "flatten([{ a = 1 }])", "[{ a = 1 }]");
    EXPECT(t, "flatten([var.maybe])", U);
    EXPECT(t, "distinct([\"a\", \"b\", \"a\", \"c\", \"b\"])", "[\"a\", \"b\", \"c\"]");
    EXPECT(t, "distinct([3, 1, 3, 2, 1])", "[3, 1, 2]");
    EXPECT(t, "distinct([])", "[]");
    EXPECT(t, "distinct([[1], [1], { a = 1 }, { a = 1 }])", "[[1], { a = 1 }]");
    EXPECT(t, "distinct([1, \"1\"])", "[1, \"1\"]");
    EXPECT(t, "sort([\"c\", \"a\", \"b\"])", "[\"a\", \"b\", \"c\"]");
    EXPECT(t, "sort([\"b\", \"B\", \"a\", \"A\"])", "[\"A\", \"B\", \"a\", \"b\"]");
    EXPECT(t, "sort([10, 9, 100])", "[\"10\", \"100\", \"9\"]"); /* lexical, as strings */
    EXPECT(t, "sort([])", "[]");
    EXPECT(
        t, "sort([[1]])",
        "ERROR: main.cp:1:6: sort: argument 1 must be a list of strings, but element 0 is a list");
}

static void test_range(void **state)
{
    tctx *t = *state;
    EXPECT(t, "range(3)", "[0, 1, 2]");
    EXPECT(t, "range(0)", "[]");
    EXPECT(t, "range(1, 4)", "[1, 2, 3]");
    EXPECT(t, "range(4, 1)", "[4, 3, 2]");
    EXPECT(t, "range(0, 10, 3)", "[0, 3, 6, 9]");
    EXPECT(t, "range(10, 0, -4)", "[10, 6, 2]");
    EXPECT(t, "range(0, 1, 0.25)", "[0, 0.25, 0.5, 0.75]");
    EXPECT(t, "range(0, 5, -1)", "[]");
    EXPECT(t, "range(-2)", "[0, -1]");
    EXPECT(t, "range(1, 2, 0)", "ERROR: main.cp:1:13: range: the step must not be 0");
    EXPECT(
        t, "range(1e9)",
        "ERROR: main.cp:1:1: range: would make 1000000000 numbers, more than the limit of 1048576");
}

static void test_conversion_functions(void **state)
{
    tctx *t = *state;
    EXPECT(t, "tostring(5)", "\"5\"");
    EXPECT(t, "tostring(1.25)", "\"1.25\"");
    EXPECT(t, "tostring(true)", "\"true\"");
    EXPECT(t, "tostring(\"s\")", "\"s\"");
    EXPECT(t, "tostring(null)", "null");
    EXPECT(t, "tostring([1])",
           "ERROR: main.cp:1:10: tostring: cannot convert a list to a string: use jsonencode() or "
           "join() for lists and maps");
    EXPECT(t, "tonumber(\"42\")", "42");
    EXPECT(t, "tonumber(\"-1.5e2\")", "-150");
    EXPECT(t, "tonumber(7)", "7");
    EXPECT(t, "tonumber(null)", "null");
    EXPECT(t, "tonumber(\"12abc\")",
           "ERROR: main.cp:1:10: tonumber: cannot convert the string \"12abc\" to a number");
    EXPECT(t, "tonumber(\" 1\")",
           "ERROR: main.cp:1:10: tonumber: cannot convert the string \" 1\" to a number");
    EXPECT(t, "tonumber(\"0x10\")",
           "ERROR: main.cp:1:10: tonumber: cannot convert the string \"0x10\" to a number");
    EXPECT(t, "tonumber(\"inf\")",
           "ERROR: main.cp:1:10: tonumber: cannot convert the string \"inf\" to a number");
    EXPECT(t, "tonumber(true)", "ERROR: main.cp:1:10: tonumber: cannot convert a bool to a number");
    EXPECT(
        t, "tonumber(var.secret)",
        "ERROR: main.cp:1:10: tonumber: cannot convert the string (sensitive value) to a number");
    EXPECT(t, "tobool(\"true\")", "true");
    EXPECT(t, "tobool(false)", "false");
    EXPECT(t, "tobool(null)", "null");
    EXPECT(t, "tobool(\"yes\")",
           "ERROR: main.cp:1:8: tobool: cannot convert the string \"yes\" to a bool: only true, "
           "false, \"true\" and \"false\" convert");
    EXPECT(t, "tobool(1)",
           "ERROR: main.cp:1:8: tobool: cannot convert a number to a bool: only true, false, "
           "\"true\" and \"false\" convert");
    EXPECT(t, "tolist([1, \"a\"])", "[1, \"a\"]");
    EXPECT(t, "tolist(null)", "null");
    EXPECT(t, "tolist({ a = 1 })",
           "ERROR: main.cp:1:8: tolist: cannot convert a map to a list: use values() or keys() for "
           "a map");
    EXPECT(t, "tolist(\"a\")",
           "ERROR: main.cp:1:8: tolist: cannot convert the string \"a\" to a list");
    EXPECT(t, "tomap({ a = 1 })", "{ a = 1 }");
    EXPECT(t, "tomap(null)", "null");
    EXPECT(t, "tomap([1])",
           "ERROR: main.cp:1:7: tomap: cannot convert a list to a map: use zipmap() to pair keys "
           "with values");
    EXPECT(t, "toset([\"b\", \"a\", \"b\"])", "[\"a\", \"b\"]");
    EXPECT(t, "toset([3, 1, 3])", "[1, 3]");
    EXPECT(t, "toset([])", "[]");
    EXPECT(t, "toset(null)", "null");
    EXPECT(t, "toset(var.maybe)", U);
    EXPECT(t, "toset({})", "ERROR: main.cp:1:7: toset: cannot convert a map to a set");
}

static void test_numbers(void **state)
{
    tctx *t = *state;
    EXPECT(t, "abs(-2.5)", "2.5");
    EXPECT(t, "abs(0)", "0");
    EXPECT(t, "abs(\"-3\")", "3");
    EXPECT(t, "ceil(1.1)", "2");
    EXPECT(t, "ceil(-1.1)", "-1");
    EXPECT(t, "ceil(5)", "5");
    EXPECT(t, "floor(1.9)", "1");
    EXPECT(t, "floor(-1.1)", "-2");
    EXPECT(t, "pow(2, 10)", "1024");
    EXPECT(t, "pow(4, 0.5)", "2");
    EXPECT(t, "pow(2, -1)", "0.5");
    EXPECT(t, "pow(0, -1)", "ERROR: main.cp:1:1: pow: the result is not a finite number");
    EXPECT(t, "pow(-8, 1/3)", "ERROR: main.cp:1:1: pow: the result is not a finite number");
    EXPECT(t, "signum(-7)", "-1");
    EXPECT(t, "signum(0)", "0");
    EXPECT(t, "signum(0.1)", "1");
    EXPECT(t, "min(3, 1, 2)", "1");
    EXPECT(t, "max(3, 1, 2)", "3");
    EXPECT(t, "max(-1)", "-1");
    EXPECT(t, "min(var.nums...)", "1");
    EXPECT(t, "max(1, \"x\")",
           "ERROR: main.cp:1:8: max: argument 2 must be a number, got string \"x\"");
    EXPECT(t, "sum([1, 2, 3.5])", "6.5");
    EXPECT(t, "sum([])", "ERROR: main.cp:1:5: sum: cannot sum an empty list");
    EXPECT(t, "sum(var.ports)", "523");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_concat_merge),
        cmocka_unit_test(test_lookup_keys_values),
        cmocka_unit_test(test_contains_element),
        cmocka_unit_test(test_slice_reverse_zipmap),
        cmocka_unit_test(test_coalesce_compact),
        cmocka_unit_test(test_flatten_distinct_sort),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_conversion_functions),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
