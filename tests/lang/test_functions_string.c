/*
 * test_functions_string.c: the string built-ins, one test each with the
 * normal case, edge cases (empty strings, UTF-8, no match) and their own
 * errors: lower upper title trimspace trim trimprefix trimsuffix startswith
 * endswith substr split join replace regex regexall format formatlist.
 * (Arity, unknown and sensitive handling of every function are covered by
 * test_functions_core.c.)
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

static void test_case(void **state)
{
    tctx *t = *state;
    EXPECT(t, "lower(\"HeLLo 123\")", "\"hello 123\"");
    EXPECT(t, "upper(\"HeLLo 123\")", "\"HELLO 123\"");
    EXPECT(t, "lower(\"\")", "\"\"");
    EXPECT(t, "upper(\"\xc3\xa9t\xc3\xa9\")", "\"\xc3\xa9T\xc3\xa9\""); /* ASCII only */
    EXPECT(t, "upper(var.name)", "\"WEB\"");
    EXPECT(t, "title(\"hello world\")", "\"Hello World\"");
    EXPECT(t, "title(\"hello-world foo_bar\")", "\"Hello-World Foo_bar\"");
    EXPECT(t, "title(\"ALREADY up\")", "\"ALREADY Up\"");
    EXPECT(t, "title(\"\")", "\"\"");
    EXPECT(t, "title(\"  x\")", "\"  X\"");
}

static void test_trimming(void **state)
{
    tctx *t = *state;
    EXPECT(t, "trimspace(\"  a b \\n\\t\")", "\"a b\"");
    EXPECT(t, "trimspace(\"\")", "\"\"");
    EXPECT(t, "trimspace(\"   \")", "\"\"");
    EXPECT(t, "trim(\"?!hello?!\", \"!?\")", "\"hello\"");
    EXPECT(t, "trim(\"aaa\", \"a\")", "\"\"");
    EXPECT(t, "trim(\"abc\", \"\")", "\"abc\"");
    EXPECT(t, "trim(\"\xc3\xa9x\xc3\xa9\", \"\xc3\xa9\")", "\"x\""); /* UTF-8 cutset */
    EXPECT(t, "trim(\"\xc3\xa9x\xc3\xa8\", \"\xc3\xa9\")", "\"x\xc3\xa8\"");
    EXPECT(t, "trimprefix(\"helloworld\", \"hello\")", "\"world\"");
    EXPECT(t, "trimprefix(\"helloworld\", \"world\")", "\"helloworld\"");
    EXPECT(t, "trimprefix(\"hello\", \"hello\")", "\"\"");
    EXPECT(t, "trimprefix(\"hi\", \"hello\")", "\"hi\"");
    EXPECT(t, "trimprefix(\"hi\", \"\")", "\"hi\"");
    EXPECT(t, "trimsuffix(\"helloworld\", \"world\")", "\"hello\"");
    EXPECT(t, "trimsuffix(\"helloworld\", \"hello\")", "\"helloworld\"");
    EXPECT(t, "trimsuffix(\"a.cp\", \".cp\")", "\"a\"");
    EXPECT(t, "trimsuffix(\"x\", \"xx\")", "\"x\"");
}

static void test_prefix_suffix_tests(void **state)
{
    tctx *t = *state;
    EXPECT(t, "startswith(\"hello world\", \"hello\")", "true");
    EXPECT(t, "startswith(\"hello world\", \"world\")", "false");
    EXPECT(t, "startswith(\"\", \"\")", "true");
    EXPECT(t, "startswith(\"a\", \"ab\")", "false");
    EXPECT(t, "endswith(\"hello world\", \"world\")", "true");
    EXPECT(t, "endswith(\"hello world\", \"hello\")", "false");
    EXPECT(t, "endswith(\"abc\", \"\")", "true");
    EXPECT(t, "startswith(123, 1)", "true");
}

static void test_substr(void **state)
{
    tctx *t = *state;
    EXPECT(t, "substr(\"hello world\", 1, 4)", "\"ello\"");
    EXPECT(t, "substr(\"hello world\", -5, -1)", "\"world\"");
    EXPECT(t, "substr(\"hello world\", -5, 3)", "\"wor\"");
    EXPECT(t, "substr(\"hello\", 0, 100)", "\"hello\"");
    EXPECT(t, "substr(\"hello\", 10, 2)", "\"\"");
    EXPECT(t, "substr(\"hello\", -10, 2)", "\"he\"");
    EXPECT(t, "substr(\"hello\", 2, 0)", "\"\"");
    EXPECT(t, "substr(\"\", 0, 1)", "\"\"");
    EXPECT(t, "substr(\"\xc3\xa9t\xc3\xa9\", 1, 2)", "\"t\xc3\xa9\""); /* characters, not bytes */
    EXPECT(t, "substr(\"abc\", 0.5, 1)",
           "ERROR: main.cp:1:15: substr: argument 2 must be a whole number, got 0.5");
    EXPECT(t, "substr(\"abc\", 0, 1.5)",
           "ERROR: main.cp:1:18: substr: argument 3 must be a whole number, got 1.5");
    EXPECT(t, "length(\"\xc3\xa9t\xc3\xa9\")", "3");
    EXPECT(t, "length(\"\")", "0");
    EXPECT(t, "length(\"\xf0\x9f\x98\x80!\")", "2");
}

static void test_split_join(void **state)
{
    tctx *t = *state;
    EXPECT(t, "split(\",\", \"a,b,c\")", "[\"a\", \"b\", \"c\"]");
    EXPECT(t, "split(\",\", \"a,,b,\")", "[\"a\", \"\", \"b\", \"\"]");
    EXPECT(t, "split(\",\", \"\")", "[\"\"]");
    EXPECT(t, "split(\", \", \"a, b\")", "[\"a\", \"b\"]");
    EXPECT(t, "split(\"x\", \"abc\")", "[\"abc\"]");
    EXPECT(t, "split(\"\", \"ab\xc3\xa9\")", "[\"a\", \"b\", \"\xc3\xa9\"]");
    EXPECT(t, "split(\"aa\", \"aaa\")", "[\"\", \"a\"]");
    EXPECT(t, "join(\", \", [\"a\", \"b\"])", "\"a, b\"");
    EXPECT(t, "join(\",\", [])", "\"\"");
    EXPECT(t, "join(\",\", [\"only\"])", "\"only\"");
    EXPECT(t, "join(\"\", var.list)", "\"abc\"");
    EXPECT(t, "join(\"-\", split(\".\", \"1.2.3\"))", "\"1-2-3\"");
    EXPECT(t, "join(\",\", var.tags)",
           "ERROR: main.cp:1:11: join: argument 2 must be a list of strings, got map");
    EXPECT(t, "join([], [])", "ERROR: main.cp:1:6: join: argument 1 must be a string, got list");
}

static void test_replace(void **state)
{
    tctx *t = *state;
    EXPECT(t, "replace(\"hello world\", \"o\", \"0\")", "\"hell0 w0rld\"");
    EXPECT(t, "replace(\"aaa\", \"aa\", \"b\")", "\"ba\"");
    EXPECT(t, "replace(\"abc\", \"x\", \"y\")", "\"abc\"");
    EXPECT(t, "replace(\"ab\", \"\", \"-\")", "\"-a-b-\"");
    EXPECT(t, "replace(\"\", \"a\", \"b\")", "\"\"");
    EXPECT(t, "replace(\"a.b.c\", \".\", \"\")", "\"abc\"");
    EXPECT(t, "replace(\"/\", \"/\", \"x\")", "\"x\""); /* one slash: plain */
    /* regular expressions */
    EXPECT(t, "replace(\"hello world\", \"/o+/\", \"0\")", "\"hell0 w0rld\"");
    EXPECT(t, "replace(\"a1b22c333\", \"/[0-9]+/\", \"#\")", "\"a#b#c#\"");
    EXPECT(t, "replace(\"a1b22\", \"/\\\\d/\", \"#\")", "\"a#b##\"");
    EXPECT(t, "replace(\"john smith\", \"/(\\\\w+) (\\\\w+)/\", \"$2, $1\")", "\"smith, john\"");
    EXPECT(t, "replace(\"ab\", \"/(a)/\", \"$${1}x\")", "\"axb\"");
    EXPECT(t, "replace(\"ab\", \"/(a)/\", \"[$1]\")", "\"[a]b\"");
    EXPECT(t, "replace(\"cost\", \"/c/\", \"$$\")", "\"$ost\"");
    EXPECT(t, "replace(\"a\", \"/x*/\", \"-\")", "\"-a-\"");
    EXPECT(t, "replace(\"abc\", \"/^/\", \">\")", "\">abc\"");
    EXPECT(t, "replace(\"abc\", \"/$/\", \"<\")", "\"abc<\"");
    EXPECT(t, "replace(\"ABC\", \"/(?i)b/\", \"x\")", "\"AxC\"");
    EXPECT(t, "replace(\"a b\\tc\", \"/\\\\s/\", \"_\")", "\"a_b_c\"");
    EXPECT(t, "replace(\"a-b_c\", \"/[\\\\w]/\", \"x\")", "\"x-xxx\"");
    EXPECT(t, "replace(\"x\", \"/[/\", \"y\")",
           "ERROR: main.cp:1:14: replace: invalid regular expression \"/[/\": Invalid regular "
           "expression");
}

static void test_regex(void **state)
{
    tctx *t = *state;
    EXPECT(t, "regex(\"[a-z]+\", \"123abc456\")", "\"abc\"");
    EXPECT(t, "regex(\"^([a-z]+)-([0-9]+)$\", \"web-42\")", "[\"web\", \"42\"]");
    EXPECT(t, "regex(\"(a)|(b)\", \"b\")", "[null, \"b\"]");
    EXPECT(t, "regex(\"\\\\d+\", \"v12\")", "\"12\"");
    EXPECT(t, "regex(\"^ami-[0-9a-f]+$\", data.aws_ami.al2.id)", "\"ami-123\"");
    EXPECT(t, "regex(\"x\", \"abc\")",
           "ERROR: main.cp:1:1: regex: the pattern did not match any part of the string: use "
           "regexall() or can(regex(…)) where no match is fine");
    EXPECT(t, "regex(\"(\", \"abc\")",
           "ERROR: main.cp:1:7: regex: invalid regular expression \"(\": Unmatched ( or \\(");
    EXPECT(t, "regexall(\"[0-9]+\", \"a1b22c333\")", "[\"1\", \"22\", \"333\"]");
    EXPECT(t, "regexall(\"x\", \"abc\")", "[]");
    EXPECT(t, "regexall(\"([a-z])([0-9])\", \"a1 b2\")", "[[\"a\", \"1\"], [\"b\", \"2\"]]");
    EXPECT(t, "length(regexall(\"a*\", \"baaa\"))", "3");
    EXPECT(t, "regexall(\"^a\", \"aaa\")", "[\"a\"]"); /* ^ only at the start */
}

static void test_format_flags(void **state)
{
    tctx *t = *state;
    EXPECT(t, "format(\"% d|% d\", 5, -5)", "\" 5|-5\"");
    EXPECT(t, "format(\"%#x|%#o\", 255, 8)", "\"0xff|010\"");
    EXPECT(t, "format(\"%-8s|\", \"\xc3\xa9t\xc3\xa9\")", "\"\xc3\xa9t\xc3\xa9     |\"");
    EXPECT(t, "format(\"%08.3f\", -3.14159)", "\"-003.142\"");
    EXPECT(t, "format(\"%.0f\", 2.5)", "\"2\"");
    EXPECT(t, "format(\"%5t|\", true)", "\" true|\"");
    EXPECT(t, "format(\"%10q|\", \"a\")", "\"       \\\"a\\\"|\"");
    EXPECT(t, "format(\"%12v|\", [1, 2])", "\"       [1,2]|\"");
    EXPECT(t, "format(\"%s and %s\", var.list...)",
           "ERROR: main.cp:1:21: format: argument 4 is not used by the format: remove it or add "
           "a verb for it");
    EXPECT(t, "format(\"%s %s %s\", var.list...)", "\"a b c\"");
    EXPECT(t, "format(\"%d%%\", 50)", "\"50%\"");
    EXPECT(t, "format(\"%%d\")", "\"%d\"");
    EXPECT(t, "format(\"%v\", var.users.alice)", "\"{\\\"age\\\":30,\\\"role\\\":\\\"admin\\\"}\"");
    EXPECT(t, "format(\"%s\", var.unknown)", "(known after apply)");
    EXPECT(t, "format(\"%s\", var.secret)", "(sensitive) \"hunter2\"");
}

static void test_regex_shorthands(void **state)
{
    tctx *t = *state;
    EXPECT(t, "regexall(\"\\\\D+\", \"ab12cd\")", "[\"ab\", \"cd\"]");
    EXPECT(t, "regexall(\"\\\\S+\", \" a  bc \")", "[\"a\", \"bc\"]");
    EXPECT(t, "regexall(\"\\\\W\", \"a-b.c\")", "[\"-\", \".\"]");
    EXPECT(t, "regexall(\"[\\\\d.]+\", \"v1.25 and 3\")", "[\"1.25\", \"3\"]");
    EXPECT(t, "regexall(\"[^\\\\s]+\", \"x y\")", "[\"x\", \"y\"]");
    EXPECT(t, "regex(\"a\\\\.b\", \"xa.by\")", "\"a.b\"");
    EXPECT(t, "regex(\"(?i)HELLO\", \"say hello\")", "\"hello\"");
    EXPECT(t, "regex(\"[]a]+\", \"x]a]\")", "\"]a]\"");
    EXPECT(t, "regex(\"^(\\\\w+)@(\\\\w+)\\\\.com$\", \"ann@example.com\")",
           "[\"ann\", \"example\"]");
    EXPECT(t, "regex(\"(x)?y\", \"y\")", "[null]");
    EXPECT(t, "replace(\"2024-01-02\", \"/(\\\\d+)-(\\\\d+)-(\\\\d+)/\", \"$3/$2/$1\")",
           "\"02/01/2024\"");
    EXPECT(t, "replace(\"aaa\", \"/a/\", \"$0$0\")", "\"aaaaaa\"");
    EXPECT(t, "replace(\"ab\", \"/(a)/\", \"$9\")", "\"b\""); /* no such group */
    EXPECT(t, "replace(\"a$b\", \"$\", \"S\")", "\"aSb\"");   /* plain: $ is literal */
    EXPECT(t, "replace(\"//\", \"//\", \"x\")", "\"x/x/x\""); /* empty pattern: everywhere */
}

static void test_format(void **state)
{
    tctx *t = *state;
    EXPECT(t, "format(\"Hello, %s!\", \"Ander\")", "\"Hello, Ander!\"");
    EXPECT(t, "format(\"%d items\", 3)", "\"3 items\"");
    EXPECT(t, "format(\"%5d|%-5d|%05d\", 42, 42, 42)", "\"   42|42   |00042\"");
    EXPECT(t, "format(\"%+d %+d\", 5, -5)", "\"+5 -5\"");
    EXPECT(t, "format(\"%.2f\", 3.14159)", "\"3.14\"");
    EXPECT(t, "format(\"%8.3f|\", 2.5)", "\"   2.500|\"");
    EXPECT(t, "format(\"%e\", 1500)", "\"1.500000e+03\"");
    EXPECT(t, "format(\"%g\", 0.5)", "\"0.5\"");
    EXPECT(t, "format(\"%x %X %o\", 255, 255, 8)", "\"ff FF 10\"");
    EXPECT(t, "format(\"%x\", -255)", "\"-ff\"");
    EXPECT(t, "format(\"%s|%5s|%-5s|%.2s\", \"ab\", \"ab\", \"ab\", \"abc\")",
           "\"ab|   ab|ab   |ab\"");
    EXPECT(t, "format(\"%.1s\", \"\xc3\xa9t\xc3\xa9\")", "\"\xc3\xa9\"");
    EXPECT(t, "format(\"%q\", \"say \\\"hi\\\"\\n\")", "\"\\\"say \\\\\\\"hi\\\\\\\"\\\\n\\\"\"");
    EXPECT(t, "format(\"%t %t\", true, \"false\")", "\"true false\"");
    EXPECT(t, "format(\"%v %v %v\", \"s\", 1.5, true)", "\"s 1.5 true\"");
    EXPECT(t, "format(\"%v\", [1, \"a\"])", "\"[1,\\\"a\\\"]\"");
    EXPECT(t, "format(\"%v\", { b = 1, a = null })", "\"{\\\"a\\\":null,\\\"b\\\":1}\"");
    EXPECT(t, "format(\"%#v\", \"s\")", "\"\\\"s\\\"\"");
    EXPECT(t, "format(\"%v\", null)", "\"null\"");
    EXPECT(t, "format(\"100%%\")", "\"100%\"");
    EXPECT(t, "format(\"%s\", 42)", "\"42\"");
    EXPECT(t, "format(\"%d\", \"42\")", "\"42\"");
    EXPECT(t, "format(\"%[2]s %[1]s\", \"a\", \"b\")", "\"b a\"");
    EXPECT(t, "format(\"%[2]s %s %[1]s\", \"a\", \"b\", \"c\")", "\"b c a\"");
    EXPECT(t, "format(\"no verbs\")", "\"no verbs\"");
    EXPECT(t, "format(\"\")", "\"\"");
}

static void test_format_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "format(\"%s %s\", \"a\")",
           "ERROR: main.cp:1:8: format: the format needs more arguments than the 1 given (\"%s\" "
           "at offset 3)");
    EXPECT(t, "format(\"%s\", \"a\", \"b\")",
           "ERROR: main.cp:1:19: format: argument 3 is not used by the format: remove it or add a "
           "verb for it");
    EXPECT(t, "format(\"%z\", 1)",
           "ERROR: main.cp:1:8: format: unknown verb \"%z\" in the format at offset 0: use one of "
           "%s %d %f %q %v %t %%");
    EXPECT(t, "format(\"abc%\")",
           "ERROR: main.cp:1:8: format: unknown verb \"%\" in the format at offset 3: use one of "
           "%s %d %f %q %v %t %%");
    EXPECT(t, "format(\"%d\", 1.5)",
           "ERROR: main.cp:1:14: format: %d needs a whole number, got 1.5 (argument 2)");
    EXPECT(t, "format(\"%d\", \"x\")",
           "ERROR: main.cp:1:14: format: %d needs a number, got a string (argument 2)");
    EXPECT(t, "format(\"%s\", [1])",
           "ERROR: main.cp:1:14: format: %s needs a string, got a list (argument 2)");
    EXPECT(t, "format(\"%t\", 1)",
           "ERROR: main.cp:1:14: format: %t needs a bool, got a number (argument 2)");
    EXPECT(t, "format(\"%s\", null)",
           "ERROR: main.cp:1:14: format: %s cannot format null (argument 2)");
    EXPECT(t, "format(\"%[3]s\", 1)",
           "ERROR: main.cp:1:8: format: bad argument index in the format at offset 0: %[n] needs "
           "1 <= n <= 1");
    EXPECT(t, "format(\"%d\", var.secret)",
           "ERROR: main.cp:1:14: format: %d needs a number, got a string (argument 2)");
    EXPECT(t, "format(\"%d\", var.secret_num / 100)",
           "ERROR: main.cp:1:14: format: %d needs a whole number, got (sensitive value) "
           "(argument 2)");
}

static void test_formatlist(void **state)
{
    tctx *t = *state;
    EXPECT(t, "formatlist(\"Hello, %s!\", [\"a\", \"b\"])", "[\"Hello, a!\", \"Hello, b!\"]");
    EXPECT(t, "formatlist(\"%s=%s\", [\"a\", \"b\"], [1, 2])", "[\"a=1\", \"b=2\"]");
    EXPECT(t, "formatlist(\"%s-%s\", \"x\", [\"a\", \"b\"])", "[\"x-a\", \"x-b\"]");
    EXPECT(t, "formatlist(\"%s\", [])", "[]");
    EXPECT(t, "formatlist(\"%s\", \"x\")", "[\"x\"]");
    EXPECT(t, "formatlist(\"%s/%d\", aws_thing.many[*].id, range(2))", "[\"i-a/0\", \"i-b/1\"]");
    EXPECT(t, "formatlist(\"%s %s\", [\"a\"], [\"b\", \"c\"])",
           "ERROR: main.cp:1:28: formatlist: argument 3 has 2 elements but an earlier list has 1: "
           "all lists must have the same length");
    EXPECT(t, "formatlist(\"%d\", [\"x\"])",
           "ERROR: main.cp:1:18: formatlist: %d needs a number, got a string (argument 2)");
}

/* templatestring: a template held in a value (here a literal with $${ },
 * so the template text keeps its ${ }), with errors at their place in it. */
static void test_templatestring(void **state)
{
    tctx *t = *state;
    EXPECT(t, "templatestring(\"Hi $${n}!\", { n = \"web\" })", "\"Hi web!\"");
    EXPECT(t, "templatestring(\"%%{ for x in xs }<$${x}>%%{ endfor }\", { xs = [1, 2] })",
           "\"<1><2>\"");
    EXPECT(t, "templatestring(\"$${n}\", { n = 5 })", "\"5\""); /* always a string */
    EXPECT(t, "templatestring(\"a $${zz}\", {})",
           "ERROR: main.cp:1:16: templatestring: 1:5 of the template: unknown variable \"zz\": "
           "pass it in the map of templatestring's second argument");
    EXPECT(t, "templatestring(\"$${\", {})",
           "ERROR: main.cp:1:16: templatestring: 1:1 of the template: unclosed \"${\" opened at "
           "1:1; add the matching \"}\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templatestring),   cmocka_unit_test(test_case),
        cmocka_unit_test(test_trimming),         cmocka_unit_test(test_prefix_suffix_tests),
        cmocka_unit_test(test_substr),           cmocka_unit_test(test_split_join),
        cmocka_unit_test(test_replace),          cmocka_unit_test(test_regex),
        cmocka_unit_test(test_regex_shorthands), cmocka_unit_test(test_format_flags),
        cmocka_unit_test(test_format),           cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_formatlist),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
