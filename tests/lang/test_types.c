/*
 * test_types.c: type expressions (parsing, rendering, their errors) and
 * conversion of values to types with HCL's rules, the error paths
 * ("attribute \"port\", element 1: …"), null and unknown passing through,
 * marks kept, and no sensitive value in an error.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

#include "lang/types.h"

/* The type's rendering, or "ERROR: main.cp:L:C: msg". */
static char *type_str(tctx *t, const char *src)
{
    cp_expr *e = tctx_parse(t, src);
    cp_diags_free(&t->diags);
    cp_diags_init(&t->diags);
    cp_type *ty = cp_type_from_expr(e, &t->diags);
    cp_buf b;
    cp_buf_init(&b);
    if (ty) {
        assert_int_equal(t->diags.errors, 0);
        cp_type_render(&b, ty);
        cp_type_free(ty);
    } else {
        char *all = tctx_errors(t);
        all[strlen(all) - 1] = '\0';
        cp_buf_printf(&b, "ERROR: %s", strtok(all, "\n"));
        free(all);
    }
    return cp_buf_steal(&b);
}

/* Converts the value of vsrc to the type tsrc: the result or "ERROR: msg". */
static char *conv_str(tctx *t, const char *tsrc, const char *vsrc)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_type *ty = cp_type_from_expr(tctx_parse(t, tsrc), &d);
    cp_diags_free(&d);
    assert_non_null(ty);
    cp_value *v = ev(t, vsrc);
    assert_non_null(v);
    char *err = NULL;
    cp_value *r = cp_type_convert(v, ty, &err);
    char *s;
    if (r) {
        assert_null(err);
        s = value_str(r);
    } else {
        assert_non_null(err);
        s = malloc(strlen(err) + 8);
        strcpy(s, "ERROR: ");
        strcat(s, err);
    }
    free(err);
    cp_release(r);
    cp_release(v);
    cp_type_free(ty);
    return s;
}

#define EXPECT_TYPE(t, src, want)                                                                  \
    do {                                                                                           \
        char *got_ = type_str((t), (src));                                                         \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

#define EXPECT_CONV(t, ty, val, want)                                                              \
    do {                                                                                           \
        char *got_ = conv_str((t), (ty), (val));                                                   \
        if (strcmp(got_, (want)) != 0) print_error("  type %s, value %s\n", (ty), (val));          \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_parse_types(void **state)
{
    tctx *t = *state;
    EXPECT_TYPE(t, "string", "string");
    EXPECT_TYPE(t, "number", "number");
    EXPECT_TYPE(t, "bool", "bool");
    EXPECT_TYPE(t, "any", "any");
    EXPECT_TYPE(t, "list(string)", "list(string)");
    EXPECT_TYPE(t, "set(number)", "set(number)");
    EXPECT_TYPE(t, "map(any)", "map(any)");
    EXPECT_TYPE(t, "list(map(list(bool)))", "list(map(list(bool)))");
    EXPECT_TYPE(t, "object({ a = string, b = list(number) })",
                "object({a = string, b = list(number)})");
    EXPECT_TYPE(t, "object({})", "object({})");
    EXPECT_TYPE(t, "object({ \"quoted\" = bool })", "object({quoted = bool})");
    EXPECT_TYPE(t, "tuple([string, number])", "tuple([string, number])");
    EXPECT_TYPE(t, "tuple([])", "tuple([])");
    EXPECT_TYPE(t, "(string)", "string");
    EXPECT_TYPE(t, "map(object({ port = number, cidrs = list(string) }))",
                "map(object({port = number, cidrs = list(string)}))");
}

static void test_type_errors(void **state)
{
    tctx *t = *state;
    EXPECT_TYPE(t, "strin", "ERROR: main.cp:1:1: unknown type \"strin\": did you mean string?");
    EXPECT_TYPE(t, "lsit(string)", "ERROR: main.cp:1:1: unknown type \"lsit\": did you mean list?");
    EXPECT_TYPE(t, "widget",
                "ERROR: main.cp:1:1: unknown type \"widget\": a type is string, number, bool, any, "
                "list(T), set(T), map(T), object({ name = T, … }) or tuple([T, …])");
    EXPECT_TYPE(t, "\"string\"",
                "ERROR: main.cp:1:1: type names are not quoted: write string, not \"string\"");
    EXPECT_TYPE(t, "5",
                "ERROR: main.cp:1:1: this is a value, not a type: a type is string, number, bool, "
                "any, list(T), set(T), map(T), object({ name = T, … }) or tuple([T, …])");
    EXPECT_TYPE(t, "list(string, number)",
                "ERROR: main.cp:1:1: list(…) takes exactly one type, like list(string)");
    EXPECT_TYPE(t, "list()",
                "ERROR: main.cp:1:1: list(…) takes exactly one type, like list(string)");
    EXPECT_TYPE(t, "object(string)",
                "ERROR: main.cp:1:8: object(…) needs { name = type, … } inside");
    EXPECT_TYPE(t, "tuple({ a = string })", "ERROR: main.cp:1:7: tuple(…) needs [type, …] inside");
    EXPECT_TYPE(
        t, "object({ (var.x) = string })",
        "ERROR: main.cp:1:10: an object type attribute must be a plain name, like port = number");
    EXPECT_TYPE(t, "map(strng)",
                "ERROR: main.cp:1:5: unknown type \"strng\": did you mean string?");
    EXPECT_TYPE(t, "object({ a = nmber, b = bol })",
                "ERROR: main.cp:1:14: unknown type \"nmber\": did you mean number?");
    EXPECT_TYPE(t, "var.x",
                "ERROR: main.cp:1:1: this is not a type: a type is string, number, bool, any, "
                "list(T), set(T), map(T), object({ name = T, … }) or tuple([T, …])");
}

static void test_convert_primitives(void **state)
{
    tctx *t = *state;
    EXPECT_CONV(t, "string", "\"a\"", "\"a\"");
    EXPECT_CONV(t, "string", "5", "\"5\"");
    EXPECT_CONV(t, "string", "1.5", "\"1.5\"");
    EXPECT_CONV(t, "string", "true", "\"true\"");
    EXPECT_CONV(t, "number", "\"5\"", "5");
    EXPECT_CONV(t, "number", "\"-2.5e1\"", "-25");
    EXPECT_CONV(t, "number", "7", "7");
    EXPECT_CONV(t, "bool", "\"true\"", "true");
    EXPECT_CONV(t, "bool", "\"false\"", "false");
    EXPECT_CONV(t, "bool", "false", "false");
    EXPECT_CONV(t, "any", "[1, \"a\"]", "[1, \"a\"]");
    EXPECT_CONV(t, "string", "null", "null");
    EXPECT_CONV(t, "list(number)", "null", "null");
    EXPECT_CONV(t, "number", "var.unknown", "(known after apply)");
    EXPECT_CONV(t, "number", "\"abc\"", "ERROR: a number is required, got \"abc\"");
    EXPECT_CONV(t, "number", "true", "ERROR: a number is required, got true");
    EXPECT_CONV(t, "bool", "\"yes\"", "ERROR: a bool is required, got \"yes\"");
    EXPECT_CONV(t, "bool", "1", "ERROR: a bool is required, got 1");
    EXPECT_CONV(t, "string", "[\"a\"]", "ERROR: a string is required, got a list");
    EXPECT_CONV(t, "string", "{ a = 1 }", "ERROR: a string is required, got a map");
    EXPECT_CONV(t, "number", "var.secret", "ERROR: a number is required, got (sensitive value)");
}

static void test_convert_collections(void **state)
{
    tctx *t = *state;
    EXPECT_CONV(t, "list(string)", "[1, true, \"x\"]", "[\"1\", \"true\", \"x\"]");
    EXPECT_CONV(t, "list(number)", "[\"1\", 2]", "[1, 2]");
    EXPECT_CONV(t, "list(number)", "[]", "[]");
    EXPECT_CONV(t, "list(number)", "[1, null]", "[1, null]");
    EXPECT_CONV(t, "list(number)", "var.maybe", "[1, (known after apply)]");
    EXPECT_CONV(t, "list(number)", "[1, 2, \"abc\"]",
                "ERROR: element 2: a number is required, got \"abc\"");
    EXPECT_CONV(t, "list(string)", "\"a\"", "ERROR: a list is required, got \"a\"");
    EXPECT_CONV(t, "list(string)", "{ a = \"x\" }", "ERROR: a list is required, got a map");
    EXPECT_CONV(t, "set(string)", "[\"b\", \"a\", \"b\"]", "[\"a\", \"b\"]");
    EXPECT_CONV(t, "set(number)", "[\"2\", 1, 2]", "[1, 2]");
    EXPECT_CONV(t, "set(number)", "[1, var.unknown]", "[1, (known after apply)]");
    EXPECT_CONV(t, "set(string)", "5", "ERROR: a set is required, got 5");
    EXPECT_CONV(t, "map(number)", "{ a = \"1\", b = 2 }", "{ a = 1, b = 2 }");
    EXPECT_CONV(t, "map(number)", "{}", "{}");
    EXPECT_CONV(t, "map(number)", "{ a = 1, b = \"x\" }",
                "ERROR: element \"b\": a number is required, got \"x\"");
    EXPECT_CONV(t, "map(string)", "[\"a\"]", "ERROR: a map is required, got a list");
    EXPECT_CONV(t, "list(list(number))", "[[1], [2, \"z\"]]",
                "ERROR: element 1, element 1: a number is required, got \"z\"");
    EXPECT_CONV(t, "map(list(string))", "{ a = [\"x\"], b = \"y\" }",
                "ERROR: element \"b\": a list is required, got \"y\"");
}

static void test_convert_objects(void **state)
{
    tctx *t = *state;
    EXPECT_CONV(t, "object({ port = number, name = string })", "{ port = \"80\", name = \"web\" }",
                "{ name = \"web\", port = 80 }");
    EXPECT_CONV(t, "object({ port = number })", "{ port = 80, extra = true }", "{ port = 80 }");
    EXPECT_CONV(t, "object({ port = number })", "{ port = null }", "{ port = null }");
    EXPECT_CONV(t, "object({ port = number, name = string })", "{ name = \"web\" }",
                "ERROR: attribute \"port\" is required");
    EXPECT_CONV(t, "object({ port = number })", "{ port = \"http\" }",
                "ERROR: attribute \"port\": a number is required, got \"http\"");
    EXPECT_CONV(t, "object({ ports = list(number) })", "{ ports = [80, \"http\"] }",
                "ERROR: attribute \"ports\", element 1: a number is required, got \"http\"");
    EXPECT_CONV(t, "list(object({ port = number }))", "[{ port = 1 }, {}]",
                "ERROR: element 1: attribute \"port\" is required");
    EXPECT_CONV(t, "map(object({ role = string, age = number }))", "var.users",
                "{ alice = { age = 30, role = \"admin\" }, bob = { age = 25, role = \"dev\" } }");
    EXPECT_CONV(t, "object({ a = string })", "[1]", "ERROR: an object is required, got a list");
    EXPECT_CONV(t, "object({ a = string })", "\"s\"", "ERROR: an object is required, got \"s\"");
}

static void test_convert_tuples(void **state)
{
    tctx *t = *state;
    EXPECT_CONV(t, "tuple([string, number])", "[1, \"2\"]", "[\"1\", 2]");
    EXPECT_CONV(t, "tuple([])", "[]", "[]");
    EXPECT_CONV(t, "tuple([string, number])", "[1]",
                "ERROR: a tuple of 2 elements is required, got a list of 1");
    EXPECT_CONV(t, "tuple([number])", "[1, 2]",
                "ERROR: a tuple of 1 element is required, got a list of 2");
    EXPECT_CONV(t, "tuple([number])", "{}", "ERROR: a tuple of 1 element is required, got a map");
    EXPECT_CONV(t, "tuple([string, bool])", "[\"a\", \"maybe\"]",
                "ERROR: element 1: a bool is required, got \"maybe\"");
    EXPECT_CONV(t, "object({ t = tuple([number]) })", "{ t = [\"x\"] }",
                "ERROR: attribute \"t\", element 0: a number is required, got \"x\"");
    EXPECT_CONV(t, "object({ t = tuple([number]) })", "{ t = [] }",
                "ERROR: attribute \"t\": a tuple of 1 element is required, got a list of 0");
}

static void test_render_round_trip(void **state)
{
    tctx *t = *state;
    static const char *const types[] = {
        "string",
        "list(number)",
        "set(bool)",
        "map(list(string))",
        "object({a = string})",
        "object({b = map(number), a = list(object({c = bool}))})",
        "tuple([string, list(any)])",
        "list(tuple([]))",
        "map(object({}))",
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        char *once = type_str(t, types[i]);
        assert_string_equal(once, types[i]);
        char *twice = type_str(t, once);
        assert_string_equal(twice, once);
        free(once);
        free(twice);
    }
    cp_type_free(NULL);
}

static void test_convert_nested(void **state)
{
    tctx *t = *state;
    EXPECT_CONV(t, "map(set(string))", "{ a = [\"y\", \"x\", \"y\"], b = [] }",
                "{ a = [\"x\", \"y\"], b = [] }");
    EXPECT_CONV(t, "set(object({ n = number }))", "[{ n = \"2\" }, { n = 1 }, { n = 2 }]",
                "[{ n = 1 }, { n = 2 }]");
    EXPECT_CONV(t, "object({ inner = object({ port = number }) })", "{ inner = { port = \"8\" } }",
                "{ inner = { port = 8 } }");
    EXPECT_CONV(t, "object({ inner = object({ port = number }) })", "{ inner = {} }",
                "ERROR: attribute \"inner\": attribute \"port\" is required");
    EXPECT_CONV(t, "object({ inner = object({ port = number }) })", "{ inner = null }",
                "{ inner = null }");
    EXPECT_CONV(t, "object({ a = any, b = list(any) })", "{ a = [1, \"x\"], b = [{}, 1] }",
                "{ a = [1, \"x\"], b = [{}, 1] }");
    EXPECT_CONV(t, "object({ id = string })", "aws_thing.pending", "{ id = (known after apply) }");
    EXPECT_CONV(t, "list(object({ id = string, ip = string }))", "aws_thing.many",
                "[{ id = \"i-a\", ip = \"10.0.0.1\" }, { id = \"i-b\", ip = \"10.0.0.2\" }]");
    EXPECT_CONV(t, "map(map(number))", "{ a = { b = \"x\" } }",
                "ERROR: element \"a\", element \"b\": a number is required, got \"x\"");
    EXPECT_CONV(t, "list(string)", "[var.unknown, \"a\"]", "[(known after apply), \"a\"]");
    EXPECT_CONV(t, "number", "\"1e3\"", "1000");
    EXPECT_CONV(t, "string", "1e20", "\"1e+20\"");
    EXPECT_CONV(t, "string", "-0.5", "\"-0.5\"");
}

static void test_convert_marks(void **state)
{
    tctx *t = *state;
    EXPECT_CONV(t, "number", "var.secret_num", "(sensitive) 42");
    EXPECT_CONV(t, "string", "var.secret_num", "(sensitive) \"42\"");
    EXPECT_CONV(t, "list(string)", "var.secret_list", "(sensitive) [\"x\", \"y\"]");
    EXPECT_CONV(t, "set(string)", "var.secret_list", "(sensitive) [\"x\", \"y\"]");
    EXPECT_CONV(t, "list(number)", "var.secret_list",
                "ERROR: element 0: a number is required, got (sensitive value)");
    EXPECT_CONV(t, "list(number)", "var.secret_in",
                "ERROR: element 0: a number is required, got \"pub\"");
    EXPECT_CONV(t, "list(string)", "sensitive([[1]])",
                "ERROR: element 0: a string is required, got a list");
    EXPECT_CONV(t, "object({ a = number })", "sensitive({ a = \"hunter2\" })",
                "ERROR: attribute \"a\": a number is required, got (sensitive value)");
    cp_diags d;
    cp_diags_init(&d);
    cp_type *ty = cp_type_from_expr(tctx_parse(t, "list(string)"), &d);
    cp_value *v = ev(t, "var.secret_in");
    char *err = NULL;
    cp_value *r = cp_type_convert(v, ty, &err);
    assert_false(cp_is_sensitive(r));
    assert_false(cp_is_sensitive(cp_list_get(r, 0)));
    assert_true(cp_is_sensitive(cp_list_get(r, 1)));
    cp_release(r);
    cp_release(v);
    cp_type_free(ty);
    cp_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_types),        cmocka_unit_test(test_type_errors),
        cmocka_unit_test(test_convert_primitives), cmocka_unit_test(test_convert_collections),
        cmocka_unit_test(test_convert_objects),    cmocka_unit_test(test_convert_tuples),
        cmocka_unit_test(test_convert_marks),      cmocka_unit_test(test_render_round_trip),
        cmocka_unit_test(test_convert_nested),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
