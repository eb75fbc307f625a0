/*
 * test_eval_access.c: indexing lists and maps (with conversion of the key
 * and the exact out-of-range and missing-key errors), splats, `for`
 * expressions over lists and maps with filters and grouping, and function
 * calls with `...`.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

static void test_index_list(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.list[0]", "\"a\"");
    EXPECT(t, "var.list[2]", "\"c\"");
    EXPECT(t, "var.list[\"1\"]", "\"b\"");
    EXPECT(t, "var.list[count.index]", "\"b\"");
    EXPECT(t, "[10, 20, 30][1 + 1]", "30");
    EXPECT(t, "var.nested.a.b[1][\"c\"]", "\"deep\"");
    EXPECT(t, "[[1, 2], [3, 4]][1][0]", "3");
    EXPECT(t, "var.zones[0]", "\"eu-west-1a\"");
}

static void test_index_list_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.list[3]", "ERROR: main.cp:1:10: index 3 out of range for list of 3 elements");
    EXPECT(t, "[1, 2][3]", "ERROR: main.cp:1:8: index 3 out of range for list of 2 elements");
    EXPECT(t, "[1][5]", "ERROR: main.cp:1:5: index 5 out of range for list of 1 element");
    EXPECT(t, "var.empty[0]", "ERROR: main.cp:1:11: index 0 out of range for list of 0 elements");
    EXPECT(t, "var.list[-1]", "ERROR: main.cp:1:10: index -1 out of range for list of 3 elements");
    EXPECT(t, "var.list[1.5]",
           "ERROR: main.cp:1:10: index 1.5 is not a whole number: list indexes count 0, 1, 2…");
    EXPECT(t, "var.list[\"x\"]",
           "ERROR: main.cp:1:10: a list index must be a number, got a string (\"x\")");
    EXPECT(t, "var.list[true]", "ERROR: main.cp:1:10: a list index must be a number, got a bool");
    EXPECT(t, "var.list[[0]]", "ERROR: main.cp:1:10: a list index must be a number, got a list");
    EXPECT(t, "var.list[null]", "ERROR: main.cp:1:10: an index must not be null");
    EXPECT(t, "var.list.5", "ERROR: main.cp:1:10: index 5 out of range for list of 3 elements");
}

static void test_index_map(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.tags[\"Env\"]", "\"prod\"");
    EXPECT(t, "var.tags[\"T${\"eam\"}\"]", "\"core\"");
    EXPECT(t, "{ \"1\" = \"one\" }[1]", "\"one\"");
    EXPECT(t, "{ \"true\" = 1 }[true]", "1");
    EXPECT(t, "var.users[\"alice\"].role", "\"admin\"");
    EXPECT(t, "var.users[each.key == \"k1\" ? \"bob\" : \"alice\"].age", "25");
}

static void test_index_map_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.tags[\"env\"]",
           "ERROR: main.cp:1:10: no key \"env\" in this map; did you mean \"Env\"?");
    EXPECT(t, "var.tags[\"Region\"]",
           "ERROR: main.cp:1:10: no key \"Region\" in this map; its keys are \"Env\" and \"Team\"");
    EXPECT(t, "{ a = 1, b = 2, c = 3 }[\"zzz\"]",
           "ERROR: main.cp:1:25: no key \"zzz\" in this map; its keys are \"a\", \"b\" and \"c\"");
    EXPECT(t,
           "{ a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7, a8 = 8, a9 = 9, "
           "b1 = 10, b2 = 11 }[\"zzz\"]",
           "ERROR: main.cp:1:94: no key \"zzz\" in this map of 11 keys");
    EXPECT(t, "var.tags[[1]]", "ERROR: main.cp:1:10: a map key must be a string, got a list");
    EXPECT(t, "var.tags[null]", "ERROR: main.cp:1:10: an index must not be null");
    EXPECT(t, "var.name[0]",
           "ERROR: main.cp:1:1: cannot index a string: only lists and maps have elements");
    EXPECT(t, "var.nothing[0]", "ERROR: main.cp:1:1: cannot index null: this value is null");
    EXPECT(t, "(1 + 2)[0]",
           "ERROR: main.cp:1:1: cannot index a number: only lists and maps have elements");
}

static void test_splat(void **state)
{
    tctx *t = *state;
    EXPECT(t, "aws_thing.many[*].id", "[\"i-a\", \"i-b\"]");
    EXPECT(t, "aws_thing.many.*.ip", "[\"10.0.0.1\", \"10.0.0.2\"]");
    EXPECT(t, "aws_thing.many[*]",
           "[{ id = \"i-a\", ip = \"10.0.0.1\" }, { id = \"i-b\", ip = \"10.0.0.2\" }]");
    EXPECT(t, "var.empty[*].id", "[]");
    EXPECT(t, "var.nothing[*].id", "[]");          /* null → empty list */
    EXPECT(t, "aws_thing.one[*].id", "[\"i-1\"]"); /* one value → [value] */
    EXPECT(t, "var.name[*]", "[\"web\"]");
    EXPECT(t, "var.nested.a.b[*]", "[1, { c = \"deep\" }]");
    EXPECT(t, "[[1, 2], [3, 4]][*][0]", "[1, 3]");
    EXPECT(t, "[{ a = { b = 1 } }, { a = { b = 2 } }][*].a.b", "[1, 2]");
    EXPECT(t, "length(aws_thing.many[*].id)", "2");
    EXPECT(t, "[{ a = 1 }, { b = 2 }][*].a",
           "ERROR: main.cp:1:27: no key \"a\" in this map; its only key is \"b\"");
}

static void test_for_list(void **state)
{
    tctx *t = *state;
    EXPECT(t, "[for s in var.list : upper(s)]", "[\"A\", \"B\", \"C\"]");
    EXPECT(t, "[for i, s in var.list : \"${i}=${s}\"]", "[\"0=a\", \"1=b\", \"2=c\"]");
    EXPECT(t, "[for n in var.nums : n * 2 if n > 1]", "[6, 4]");
    EXPECT(t, "[for i, n in var.nums : i if n != 1]", "[0, 2]");
    EXPECT(t, "[for s in var.empty : s]", "[]");
    EXPECT(t, "[for k, v in var.tags : \"${k}:${v}\"]", "[\"Env:prod\", \"Team:core\"]");
    EXPECT(t, "[for v in var.tags : v]", "[\"prod\", \"core\"]");
    EXPECT(t, "[for x in [1, 2] : [for y in [10, 20] : x * y]]", "[[10, 20], [20, 40]]");
    EXPECT(t, "[for x in [1, 2] : [for x in [5] : x]]", "[[5], [5]]"); /* inner shadows */
    EXPECT(t, "[for var in [1] : var]", "[1]"); /* bound names shadow roots */
    EXPECT(t, "[for s in var.list : s if s != \"b\"]", "[\"a\", \"c\"]");
    EXPECT(t, "[for s in var.list : s if \"true\"]", "[\"a\", \"b\", \"c\"]");
}

static void test_for_map(void **state)
{
    tctx *t = *state;
    EXPECT(t, "{for k, v in var.tags : lower(k) => upper(v)}",
           "{ env = \"PROD\", team = \"CORE\" }");
    EXPECT(t, "{for s in var.list : s => length(s)}", "{ a = 1, b = 1, c = 1 }");
    EXPECT(t, "{for i, s in var.list : s => i if i > 0}", "{ b = 1, c = 2 }");
    EXPECT(t, "{for name, u in var.users : name => u.role}",
           "{ alice = \"admin\", bob = \"dev\" }");
    EXPECT(t, "{for n in var.nums : n => n * n}", "{ \"1\" = 1, \"2\" = 4, \"3\" = 9 }");
    EXPECT(t, "{for s in [\"a\", \"bb\", \"cc\", \"d\"] : length(s) => s...}",
           "{ \"1\" = [\"a\", \"d\"], \"2\" = [\"bb\", \"cc\"] }");
    EXPECT(t, "{for u in var.users : u.role => u.age...}", "{ admin = [30], dev = [25] }");
    EXPECT(t, "{for s in var.empty : s => s}", "{}");
    EXPECT(t, "{for s in [\"a\", \"a\"] : s => 1}",
           "ERROR: main.cp:1:24: duplicate key \"a\" in for expression: add \"...\" after the "
           "value to group values with the same key");
}

static void test_for_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "[for s in var.nothing : s]",
           "ERROR: main.cp:1:11: cannot iterate over null: the value after \"in\" is null");
    EXPECT(t, "[for s in var.name : s]",
           "ERROR: main.cp:1:11: cannot iterate over a string: a for expression needs a list or a "
           "map after \"in\"");
    EXPECT(t, "[for s in var.list : s if 1]",
           "ERROR: main.cp:1:27: the \"if\" condition of a for expression must be a bool, got a "
           "number");
    EXPECT(t, "{for s in var.list : [s] => s}",
           "ERROR: main.cp:1:22: a for expression key must be a string, got a list");
    EXPECT(t, "[for s in var.list : s.x]",
           "ERROR: main.cp:1:24: cannot read attribute \"x\" of a string: only maps and objects "
           "have attributes");
    EXPECT(t, "[for s in var.nope : s]", "ERROR: main.cp:1:11: undeclared var \"nope\"");
}

static void test_calls(void **state)
{
    tctx *t = *state;
    EXPECT(t, "max(var.nums...)", "3");
    EXPECT(t, "min(5, var.nums...)", "1");
    EXPECT(t, "max([]...)", "ERROR: main.cp:1:1: max: needs at least 1 argument, got 0");
    EXPECT(t, "concat([\"x\"], [var.list]...)", "[\"x\", \"a\", \"b\", \"c\"]");
    EXPECT(t, "max(var.tags...)",
           "ERROR: main.cp:1:5: cannot expand a map with \"...\": only a list can be spread into "
           "arguments");
    EXPECT(t, "max(var.nothing...)",
           "ERROR: main.cp:1:5: cannot expand null with \"...\": only a list can be spread into "
           "arguments");
    EXPECT(t, "lenght(var.list)",
           "ERROR: main.cp:1:1: unknown function \"lenght\": did you mean \"length\"?");
    EXPECT(t, "jion(\",\", var.list)",
           "ERROR: main.cp:1:1: unknown function \"jion\": did you mean \"join\"?");
    EXPECT(t, "frobnicate(1)",
           "ERROR: main.cp:1:1: unknown function \"frobnicate\": there is no built-in function of "
           "that name");
    EXPECT(t, "upper(var.nope)", "ERROR: main.cp:1:7: undeclared var \"nope\"");
    EXPECT(t, "join(\",\", 1)",
           "ERROR: main.cp:1:11: join: argument 2 must be a list of strings, got number");
}

/* --- references ----------------------------------------------------------------- */

static void collect(void *ud, const char *const *steps, size_t n, cp_loc loc)
{
    cp_buf *b = ud;
    for (size_t i = 0; i < n; i++) cp_buf_printf(b, "%s%s", i ? "." : "", steps[i]);
    cp_buf_printf(b, "@%u:%u-%u ", loc.line, loc.col, loc.end_col);
}

static char *refs(tctx *t, const char *src)
{
    cp_expr *e = tctx_parse(t, src);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    cp_expr_walk_refs(e, collect, &b);
    if (b.len) b.data[--b.len] = '\0';
    return cp_buf_steal(&b);
}

#define EXPECT_REFS(t, src, want)                                                                  \
    do {                                                                                           \
        char *got_ = refs((t), (src));                                                             \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_walk_refs(void **state)
{
    tctx *t = *state;
    EXPECT_REFS(t, "1 + 2", "");
    EXPECT_REFS(t, "var.name", "var.name@1:1-9");
    EXPECT_REFS(t, "aws_s3_bucket.logs.arn", "aws_s3_bucket.logs.arn@1:1-23");
    EXPECT_REFS(t, "aws_s3_bucket.logs[0].arn", "aws_s3_bucket.logs@1:1-19");
    EXPECT_REFS(t, "var.tags[\"a\"]", "var.tags@1:1-9");
    EXPECT_REFS(t, "data.aws_ami.al2.id", "data.aws_ami.al2.id@1:1-20");
    EXPECT_REFS(t, "aws_instance.web[*].id", "aws_instance.web@1:1-17");
    EXPECT_REFS(t, "\"${var.a}-${local.b}\"", "var.a@1:4-9 local.b@1:13-20");
    EXPECT_REFS(t, "[for s in var.list : s.id if s.ok]", "var.list@1:11-19");
    EXPECT_REFS(t, "{for k, v in var.m : k => v...}", "var.m@1:14-19");
    EXPECT_REFS(t, "[for s in var.l : [for x in s : x + var.n]]", "var.l@1:11-16 var.n@1:37-42");
    EXPECT_REFS(t, "[for s in var.l : local.s]", "var.l@1:11-16 local.s@1:19-26");
    EXPECT_REFS(t, "length(var.l) > 0 ? var.l[count.index] : each.value",
                "var.l@1:8-13 var.l@1:21-26 count.index@1:27-38 each.value@1:42-52");
    EXPECT_REFS(t, "{ (var.k) = var.v, plain = 1 }", "var.k@1:4-9 var.v@1:13-18");
    EXPECT_REFS(t, "upper(var.x)[0]", "var.x@1:7-12");
    EXPECT_REFS(t, "-var.n * !var.b", "var.n@1:2-7 var.b@1:11-16");
    EXPECT_REFS(t, "try(var.a.b, \"x\")", "var.a.b@1:5-12");
    EXPECT_REFS(t, "self.id", "self.id@1:1-8");
    EXPECT_REFS(t, "(var.p).q", "var.p@1:2-7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_list), cmocka_unit_test(test_index_list_errors),
        cmocka_unit_test(test_index_map),  cmocka_unit_test(test_index_map_errors),
        cmocka_unit_test(test_splat),      cmocka_unit_test(test_for_list),
        cmocka_unit_test(test_for_map),    cmocka_unit_test(test_for_errors),
        cmocka_unit_test(test_calls),      cmocka_unit_test(test_walk_refs),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
