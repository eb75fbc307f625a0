/*
 * test_eval.c: the evaluator on source strings: literals, references and
 * the lookup protocol, arithmetic, comparison and logic with precedence,
 * string conversions, conditionals, templates, and the exact wording and
 * location of their errors. Indexing, splats and `for` are in
 * test_eval_access.c; unknown and sensitive propagation in
 * test_eval_marks.c.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

static void test_literals(void **state)
{
    tctx *t = *state;
    EXPECT(t, "42", "42");
    EXPECT(t, "1.5", "1.5");
    EXPECT(t, "\"hi\"", "\"hi\"");
    EXPECT(t, "true", "true");
    EXPECT(t, "null", "null");
    EXPECT(t, "[]", "[]");
    EXPECT(t, "{}", "{}");
    EXPECT(t, "[1, \"a\", true, null]", "[1, \"a\", true, null]");
    EXPECT(t, "{ b = 2, a = 1 }", "{ a = 1, b = 2 }");
    EXPECT(t, "{ \"x y\" = 1 }", "{ \"x y\" = 1 }");
    EXPECT(t, "{ (var.name) = 1 }", "{ web = 1 }");
    EXPECT(t, "{ (var.count) = 1 }", "{ \"3\" = 1 }");
    EXPECT(t, "((1))", "1");
}

static void test_references(void **state)
{
    tctx *t = *state;
    EXPECT(t, "var.name", "\"web\"");
    EXPECT(t, "var.tags.Env", "\"prod\"");
    EXPECT(t, "var.nested.a.b", "[1, { c = \"deep\" }]");
    EXPECT(t, "var.nested.a.b[1].c", "\"deep\"");
    EXPECT(t, "local.prefix", "\"web-main\"");
    EXPECT(t, "each.key", "\"k1\"");
    EXPECT(t, "each.value", "\"v1\"");
    EXPECT(t, "count.index", "1");
    EXPECT(t, "aws_thing.one.arn", "\"arn:aws:thing:1\"");
    EXPECT(t, "aws_thing.one.tags.Name", "\"one\"");
    EXPECT(t, "aws_thing.many[0].id", "\"i-a\"");
    EXPECT(t, "aws_thing.many.1.id", "\"i-b\"");
    EXPECT(t, "data.aws_ami.al2.id", "\"ami-123\"");
}

static void test_reference_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "foo.bar", "ERROR: main.cp:1:1: unknown name \"foo\"");
    EXPECT(t, "var.nope", "ERROR: main.cp:1:1: undeclared var \"nope\"");
    EXPECT(t, "var", "ERROR: main.cp:1:1: \"var\" needs a name after it, like var.NAME");
    EXPECT(t, "var.tags.Envv",
           "ERROR: main.cp:1:10: no key \"Envv\" in this map; did you mean \"Env\"?");
    EXPECT(t, "var.tags.Zone",
           "ERROR: main.cp:1:10: no key \"Zone\" in this map; its keys are \"Env\" and \"Team\"");
    EXPECT(t, "aws_thing.one.tags.nope",
           "ERROR: main.cp:1:20: no key \"nope\" in this map; its only key is \"Name\"");
    EXPECT(t, "var.empty_map.x", "ERROR: main.cp:1:15: no key \"x\" in this map: the map is empty");
    EXPECT(t, "var.name.length",
           "ERROR: main.cp:1:10: cannot read attribute \"length\" of a string: only maps and "
           "objects have attributes");
    EXPECT(t, "var.list.first",
           "ERROR: main.cp:1:10: cannot read attribute \"first\" of a list: use [N] for one "
           "element or [*].first for every element");
    EXPECT(t, "var.nothing.x",
           "ERROR: main.cp:1:13: cannot read attribute \"x\" of null: the value before \".x\" is "
           "null");
    EXPECT(t, "var.count.x",
           "ERROR: main.cp:1:11: cannot read attribute \"x\" of a number: only maps and objects "
           "have attributes");
}

/* A lookup that records its steps and consumes only the root. */
typedef struct rec {
    char steps[256];
    size_t calls;
} rec;

static cp_value *root_only(void *ud, const char *const *steps, size_t n, size_t *consumed,
                           cp_loc loc, cp_diags *d)
{
    rec *r = ud;
    (void)loc;
    (void)d;
    r->calls++;
    for (size_t i = 0; i < n; i++) {
        strcat(r->steps, steps[i]);
        strcat(r->steps, i + 1 < n ? "." : ";");
    }
    *consumed = 1;
    cp_value *m = cp_map_new(), *inner = cp_map_new();
    cp_map_set_take(inner, "c", cp_number(7));
    cp_map_set_take(m, "b", inner);
    return m;
}

static void test_lookup_protocol(void **state)
{
    tctx *t = *state;
    rec r = { "", 0 };
    cp_eval_ctx saved = t->ctx;
    t->ctx.lookup = root_only;
    t->ctx.lookup_ud = &r;
    EXPECT(t, "a.b.c", "7");
    assert_string_equal(r.steps, "a.b.c;");
    r.steps[0] = '\0';
    EXPECT(t, "a.b[\"c\"]", "7");
    assert_string_equal(r.steps, "a.b;");
    r.steps[0] = '\0';
    EXPECT(t, "[for x in [1] : x]", "[1]"); /* bound names never reach the lookup */
    assert_string_equal(r.steps, "");
    t->ctx = saved;
    t->ctx.lookup = NULL;
    EXPECT(t, "var.x",
           "ERROR: main.cp:1:1: cannot use \"var\" here: no names can be referred to in this "
           "expression");
    t->ctx = saved;
}

static cp_value *silent_fail(void *ud, const char *const *steps, size_t n, size_t *consumed,
                             cp_loc loc, cp_diags *d)
{
    (void)ud;
    (void)steps;
    (void)n;
    (void)consumed;
    (void)loc;
    (void)d;
    return NULL;
}

static void test_lookup_without_message(void **state)
{
    tctx *t = *state;
    cp_eval_ctx saved = t->ctx;
    t->ctx.lookup = silent_fail;
    EXPECT(t, "zz.top", "ERROR: main.cp:1:1: unknown name \"zz\"");
    t->ctx = saved;
}

static void test_arithmetic(void **state)
{
    tctx *t = *state;
    EXPECT(t, "1 + 2", "3");
    EXPECT(t, "5 - 7", "-2");
    EXPECT(t, "6 * 7", "42");
    EXPECT(t, "7 / 2", "3.5");
    EXPECT(t, "7 % 3", "1");
    EXPECT(t, "-7 % 3", "-1");
    EXPECT(t, "7.5 % 2", "1.5");
    EXPECT(t, "-5", "-5");
    EXPECT(t, "--5", "5");
    EXPECT(t, "-var.count", "-3");
    EXPECT(t, "0.1 + 0.2", "0.30000000000000004");
    EXPECT(t, "1e3 * 2", "2000");
    EXPECT(t, "var.count * 2", "6");
    EXPECT(t, "count.index + 1", "2");
}

static void test_precedence(void **state)
{
    tctx *t = *state;
    EXPECT(t, "1 + 2 * 3", "7");
    EXPECT(t, "(1 + 2) * 3", "9");
    EXPECT(t, "10 - 4 - 3", "3"); /* left associative */
    EXPECT(t, "100 / 10 / 5", "2");
    EXPECT(t, "2 * 3 % 4", "2");
    EXPECT(t, "1 + 6 / 2 - 1", "3");
    EXPECT(t, "-2 * 3", "-6");
    EXPECT(t, "1 + 1 == 2", "true");
    EXPECT(t, "1 < 2 == true", "true");
    EXPECT(t, "2 > 1 && 3 > 2", "true");
    EXPECT(t, "true || false && false", "true"); /* && binds tighter */
    EXPECT(t, "(true || false) && false", "false");
    EXPECT(t, "!true || true", "true");
    EXPECT(t, "!(true || true)", "false");
    EXPECT(t, "1 + 2 > 2 ? \"big\" : \"small\"", "\"big\"");
    EXPECT(t, "false ? 1 : true ? 2 : 3", "2");
    EXPECT(t, "1 == 1 != false", "true");
}

static void test_numeric_strings(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"5\" + 1", "6");
    EXPECT(t, "var.num_str * 2", "10");
    EXPECT(t, "\"1.5\" + \"2.5\"", "4");
    EXPECT(t, "-\"3\"", "-3");
    EXPECT(t, "\"10\" > 9", "true");
    EXPECT(t, "\"1e2\" / 4", "25");
}

static void test_arithmetic_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"a\" + [1]",
           "ERROR: main.cp:1:1: cannot add a string and a list: \"+\" needs two numbers and "
           "\"a\" is not one");
    EXPECT(t, "1 + [1]",
           "ERROR: main.cp:1:5: cannot add a number and a list: \"+\" needs two numbers");
    EXPECT(t, "var.count - var.tags",
           "ERROR: main.cp:1:13: cannot subtract a number and a map: \"-\" needs two numbers");
    EXPECT(t, "true * 2",
           "ERROR: main.cp:1:1: cannot multiply a bool and a number: \"*\" needs two numbers");
    EXPECT(t, "null / 2",
           "ERROR: main.cp:1:1: cannot divide null and a number: \"/\" needs two numbers");
    EXPECT(t, "5 % \"x\"",
           "ERROR: main.cp:1:5: cannot take the remainder of a number and a string: \"%\" needs "
           "two numbers and \"x\" is not one");
    EXPECT(t, "1 / 0", "ERROR: main.cp:1:5: division by zero: the right operand of \"/\" is 0");
    EXPECT(t, "1 % (2 - 2)",
           "ERROR: main.cp:1:5: division by zero: the right operand of \"%\" is 0");
    EXPECT(t, "1 < \"b\"",
           "ERROR: main.cp:1:5: cannot compare a number and a string: \"<\" needs two numbers and "
           "\"b\" is not one");
    EXPECT(t, "[1] >= 2",
           "ERROR: main.cp:1:1: cannot compare a list and a number: \">=\" needs two numbers");
    EXPECT(t, "-\"x\"", "ERROR: main.cp:1:2: cannot negate a string: \"-\" needs a number");
    EXPECT(t, "!1", "ERROR: main.cp:1:2: cannot invert a number: \"!\" needs a bool");
    EXPECT(t, "1 + var.secret",
           "ERROR: main.cp:1:5: cannot add a number and a string: \"+\" needs two numbers and "
           "(sensitive value) is not one");
}

static void test_errors_in_both_operands(void **state)
{
    tctx *t = *state;
    cp_value *v = ev(t, "var.nope + local.nope");
    assert_null(v);
    char *all = tctx_errors(t);
    assert_string_equal(all, "main.cp:1:1: undeclared var \"nope\"\n"
                             "main.cp:1:12: undeclared local \"nope\"\n");
    free(all);
}

static void test_comparison(void **state)
{
    tctx *t = *state;
    EXPECT(t, "1 < 2", "true");
    EXPECT(t, "2 <= 2", "true");
    EXPECT(t, "3 > 4", "false");
    EXPECT(t, "4 >= 5", "false");
    EXPECT(t, "1 == 1", "true");
    EXPECT(t, "1 == \"1\"", "false"); /* no conversion for equality */
    EXPECT(t, "\"a\" == \"a\"", "true");
    EXPECT(t, "\"a\" != \"b\"", "true");
    EXPECT(t, "null == null", "true");
    EXPECT(t, "var.nothing == null", "true");
    EXPECT(t, "var.name != null", "true");
    EXPECT(t, "[1, 2] == [1, 2]", "true");
    EXPECT(t, "[1, 2] == [2, 1]", "false");
    EXPECT(t, "{ a = 1 } == { a = 1 }", "true");
    EXPECT(t, "var.tags == { Env = \"prod\", Team = \"core\" }", "true");
    EXPECT(t, "true == true", "true");
    EXPECT(t, "true != false", "true");
}

static void test_logic(void **state)
{
    tctx *t = *state;
    EXPECT(t, "true && true", "true");
    EXPECT(t, "true && false", "false");
    EXPECT(t, "false || true", "true");
    EXPECT(t, "false || false", "false");
    EXPECT(t, "!false", "true");
    EXPECT(t, "\"true\" && true", "true");
    EXPECT(t, "!\"false\"", "true");
    /* short circuit: the right side is not evaluated */
    EXPECT(t, "false && var.nope", "false");
    EXPECT(t, "true || var.nope", "true");
    EXPECT(t, "var.nothing != null && var.nothing.x == 1", "false");
    EXPECT(t, "1 && true", "ERROR: main.cp:1:1: \"&&\" needs two bools, got a number on the left");
    EXPECT(t, "true && \"yes\"",
           "ERROR: main.cp:1:9: \"&&\" needs two bools, got a string on the right");
    EXPECT(t, "false || null",
           "ERROR: main.cp:1:10: \"||\" needs two bools, got null on the right");
    EXPECT(t, "true && var.nope", "ERROR: main.cp:1:9: undeclared var \"nope\"");
}

static void test_conditional(void **state)
{
    tctx *t = *state;
    EXPECT(t, "true ? 1 : 2", "1");
    EXPECT(t, "false ? 1 : 2", "2");
    EXPECT(t, "var.flag ? \"on\" : \"off\"", "\"on\"");
    EXPECT(t, "\"false\" ? 1 : 2", "2");
    EXPECT(t, "var.count > 2 ? [1] : []", "[1]");
    EXPECT(t, "true ? null : \"x\"", "null");
    EXPECT(t, "false ? null : { a = 1 }", "{ a = 1 }");
    /* scalars of different kinds unify to strings, as in HCL */
    EXPECT(t, "true ? 1 : \"x\"", "\"1\"");
    EXPECT(t, "false ? 1 : \"x\"", "\"x\"");
    EXPECT(t, "true ? true : 0", "\"true\"");
    /* only the chosen branch may fail */
    EXPECT(t, "var.nothing == null ? \"none\" : var.nothing.x", "\"none\"");
    EXPECT(t, "length(var.empty) > 0 ? var.empty[0] : \"default\"", "\"default\"");
    EXPECT(t, "true ? [1] : \"x\"",
           "ERROR: main.cp:1:1: the two results of this conditional have different types, a "
           "list and a string: make both the same type");
    EXPECT(t, "false ? [1] : { a = 1 }",
           "ERROR: main.cp:1:1: the two results of this conditional have different types, a "
           "map and a list: make both the same type");
    EXPECT(t, "1 ? 2 : 3",
           "ERROR: main.cp:1:1: the condition before \"?\" must be a bool, got a number");
    EXPECT(t, "null ? 2 : 3",
           "ERROR: main.cp:1:1: the condition before \"?\" must be a bool, got null");
    EXPECT(t, "true ? var.nope : 3", "ERROR: main.cp:1:8: undeclared var \"nope\"");
}

static void test_templates(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"plain\"", "\"plain\"");
    EXPECT(t, "\"${var.name}-sg\"", "\"web-sg\"");
    EXPECT(t, "\"n=${var.count}\"", "\"n=3\"");
    EXPECT(t, "\"${1.5}|${2}|${-0}\"", "\"1.5|2|0\"");
    EXPECT(t, "\"${true} ${false}\"", "\"true false\"");
    EXPECT(t, "\"${var.count}\"", "3"); /* a lone interpolation keeps its type */
    EXPECT(t, "\"${var.list}\"", "[\"a\", \"b\", \"c\"]");
    EXPECT(t, "\"a${\"b${\"c\"}\"}d\"", "\"abcd\"");
    EXPECT(t, "\"${var.count + 1} items\"", "\"4 items\"");
    EXPECT(t, "\"$${literal}\"", "\"$${literal}\""); /* rendered as source */
    EXPECT(t, "length(\"$${x}\")", "4");
    EXPECT(t, "\"x${local.prefix}y${each.key}\"", "\"xweb-mainyk1\"");
    EXPECT(t, "<<EOT\nhello ${var.name}\nEOT\n", "\"hello web\\n\"");
}

static void test_template_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"a ${var.nothing} b\"",
           "ERROR: main.cp:1:6: cannot use null in a string template: an interpolated value must "
           "be a string, number or bool");
    EXPECT(t, "\"list: ${var.list}\"",
           "ERROR: main.cp:1:10: cannot use a list in a string template: use join() or "
           "jsonencode() to make a string of it");
    EXPECT(t, "\"map: ${var.tags}!\"",
           "ERROR: main.cp:1:9: cannot use a map in a string template: use join() or "
           "jsonencode() to make a string of it");
    cp_value *v = ev(t, "\"${var.list} and ${var.nothing}\"");
    assert_null(v);
    assert_int_equal(t->diags.errors, 2);
}

static void test_heredocs_and_escapes(void **state)
{
    tctx *t = *state;
    EXPECT(t, "<<-EOT\n    a ${var.name}\n      b\n    EOT\n", "\"a web\\n  b\\n\"");
    EXPECT(t, "<<EOT\nx=${var.count * 2}\ny=${var.flag ? \"on\" : \"off\"}\nEOT\n",
           "\"x=6\\ny=on\\n\"");
    EXPECT(t, "<<EOT\n${var.list}\nEOT\n",
           "ERROR: main.cp:2:3: cannot use a list in a string template: use join() or jsonencode() "
           "to make a string of it");
    EXPECT(t, "\"tab\\there\"", "\"tab\\there\"");
    EXPECT(t, "length(\"\\u00e9\")", "1");
    EXPECT(t, "\"\\\"quoted\\\"\" == \"\\\"quoted\\\"\"", "true");
    EXPECT(t, "\"${\"${\"${var.name}\"}\"}\"", "\"web\"");
    EXPECT(t, "\"${var.count > 2 ? \"many\" : \"few\"} ${[for s in var.list : upper(s)][0]}\"",
           "\"many A\"");
}

static void test_nested_expressions(void **state)
{
    tctx *t = *state;
    EXPECT(t, "{ for k, u in var.users : k => u.age if u.age > 26 }", "{ alice = 30 }");
    EXPECT(t, "[for k, u in var.users : \"${k}:${u.role}\" if contains([\"dev\"], u.role)]",
           "[\"bob:dev\"]");
    EXPECT(t, "sum([for u in values(var.users) : u.age])", "55");
    EXPECT(t, "keys({ for z in var.zones : substr(z, -2, -1) => z })", "[\"1a\", \"1b\"]");
    EXPECT(t, "[for i in range(3) : i * i][var.count - 1]", "4");
    EXPECT(t, "length([for x in var.nested.a.b : x if can(x.c)])", "1");
    EXPECT(t, "{ a = { b = { c = [1, 2, { d = \"deep\" }] } } }.a.b.c[2].d", "\"deep\"");
    EXPECT(t, "[[1, 2], [3]][*][0]", "[1, 3]");
    EXPECT(t, "merge([for u in keys(var.users) : { (u) = length(u) }]...)",
           "{ alice = 5, bob = 3 }");
    EXPECT(t, "(var.count + 1) * (var.count - 1) / 2 % 3", "1");
    EXPECT(t, "!(var.count > 1) || var.name == \"web\" && !var.flag", "false");
}

static void test_objects(void **state)
{
    tctx *t = *state;
    EXPECT(t, "{ a = 1, b = { c = [var.name] } }", "{ a = 1, b = { c = [\"web\"] } }");
    EXPECT(t, "{ \"${var.name}-x\" = 1 }", "{ web-x = 1 }");
    EXPECT(t, "{ (true) = 1 }", "{ true = 1 }");
    EXPECT(t, "{ a = 1, a = 2 }",
           "ERROR: main.cp:1:10: duplicate key \"a\" in this object: each key may appear once");
    EXPECT(t, "{ (var.list) = 1 }",
           "ERROR: main.cp:1:3: an object key must be a string, got a list");
    EXPECT(t, "{ (var.nothing) = 1 }",
           "ERROR: main.cp:1:3: an object key must be a string, got null");
    EXPECT(t, "{ a = var.nope, b = local.nope }", "ERROR: main.cp:1:7: undeclared var \"nope\"");
    assert_int_equal(t->diags.errors, 2);
    EXPECT(t, "[var.nope, 1, local.nope]", "ERROR: main.cp:1:2: undeclared var \"nope\"");
    assert_int_equal(t->diags.errors, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_reference_errors),
        cmocka_unit_test(test_lookup_protocol),
        cmocka_unit_test(test_lookup_without_message),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_numeric_strings),
        cmocka_unit_test(test_arithmetic_errors),
        cmocka_unit_test(test_errors_in_both_operands),
        cmocka_unit_test(test_comparison),
        cmocka_unit_test(test_logic),
        cmocka_unit_test(test_conditional),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_template_errors),
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_heredocs_and_escapes),
        cmocka_unit_test(test_nested_expressions),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
