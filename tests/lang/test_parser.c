/*
 * test_parser.c: the parser builds the right AST shapes — precedence,
 * traversals and splats, templates, heredocs, for expressions, objects,
 * blocks and labels — and recovers from errors to report them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ast_dump.h"
#include "lang/ast.h"

/* Parse text as an expression; returns the dump (malloc'd) or "ERROR: msg". */
static char *expr_dump(const char *text)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "expr", text, strlen(text));
    cp_arena *a = cp_arena_new();
    cp_expr *e = cp_parse_expression(&s, id, a, &d);
    cp_buf out = { 0 };
    if (e)
        ast_dump_expr(&out, e);
    else
        cp_buf_printf(&out, "ERROR: %s", d.len ? d.items[0].msg : "?");
    cp_arena_free(a);
    cp_diags_free(&d);
    cp_sources_free(&s);
    return cp_buf_steal(&out);
}

static char *file_dump(const char *text, size_t *nerrors)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "main.cp", text, strlen(text));
    cp_file *f = cp_parse_source(&s, id, &d);
    cp_buf out = { 0 };
    ast_dump_body(&out, f->body);
    *nerrors = d.errors;
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
    return cp_buf_steal(&out);
}

#define EXPECT_EXPR(text, want)                                                                    \
    do {                                                                                           \
        char *got_ = expr_dump(text);                                                              \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

#define EXPECT_FILE(text, want)                                                                    \
    do {                                                                                           \
        size_t nerr_;                                                                              \
        char *got_ = file_dump(text, &nerr_);                                                      \
        assert_string_equal(got_, want);                                                           \
        assert_int_equal(nerr_, 0);                                                                \
        free(got_);                                                                                \
    } while (0)

static void test_literals(void **st)
{
    (void)st;
    EXPECT_EXPR("42", "42");
    EXPECT_EXPR("1.5e3", "1500");
    EXPECT_EXPR("true", "true");
    EXPECT_EXPR("false", "false");
    EXPECT_EXPR("null", "null");
    EXPECT_EXPR("\"a\\tb\\\"c\\\\\"", "\"a\tb\\\"c\\\"");
    EXPECT_EXPR("\"\\u00e9\\U0001F600\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"");
    EXPECT_EXPR("\"$${x} %%{y}\"", "\"${x} %{y}\"");
    EXPECT_EXPR("\"\"", "\"\"");
}

static void test_precedence(void **st)
{
    (void)st;
    EXPECT_EXPR("1 + 2 * 3", "(+ 1 (* 2 3))");
    EXPECT_EXPR("(1 + 2) * 3", "(* (paren (+ 1 2)) 3)");
    EXPECT_EXPR("1 - 2 - 3", "(- (- 1 2) 3)");
    EXPECT_EXPR("a || b && c", "(|| a (&& b c))");
    EXPECT_EXPR("a == b || c != d", "(|| (== a b) (!= c d))");
    EXPECT_EXPR("a < b == c >= d", "(== (< a b) (>= c d))");
    EXPECT_EXPR("-a.b * 2", "(* (neg (. a b)) 2)");
    EXPECT_EXPR("!a && !b", "(&& (! a) (! b))");
    EXPECT_EXPR("a % 2 + b / 3", "(+ (% a 2) (/ b 3))");
    EXPECT_EXPR("a ? b : c ? d : e", "(?: a b (?: c d e))");
    EXPECT_EXPR("a || b ? 1 : 2", "(?: (|| a b) 1 2)");
    EXPECT_EXPR("x > 0 ? x + 1 : -x", "(?: (> x 0) (+ x 1) (neg x))");
}

static void test_traversals(void **st)
{
    (void)st;
    EXPECT_EXPR("aws_s3_bucket.logs.arn", "(. (. aws_s3_bucket logs) arn)");
    EXPECT_EXPR("a[0][\"k\"]", "([] ([] a 0) \"k\")");
    EXPECT_EXPR("a.0.b", "(. ([] a 0) b)");
    EXPECT_EXPR("a.10.b.2", "([] (. ([] a 10) b) 2)");
    EXPECT_EXPR("a[*].id", "(splat a (. @ id))");
    EXPECT_EXPR("a[*].b[0].c", "(splat a (. ([] (. @ b) 0) c))");
    EXPECT_EXPR("a.*.b[0]", "([] (splat a (. @ b)) 0)");
    EXPECT_EXPR("(a[*].b).c", "(. (paren (splat a (. @ b))) c)");
    EXPECT_EXPR("each.value.name", "(. (. each value) name)");
    EXPECT_EXPR("count.index + 1", "(+ (. count index) 1)");
    EXPECT_EXPR("x.in", "(. x in)");
}

static void test_calls(void **st)
{
    (void)st;
    EXPECT_EXPR("f()", "(call f)");
    EXPECT_EXPR("join(\",\", [\"a\", \"b\"])", "(call join \",\" [ \"a\" \"b\" ])");
    EXPECT_EXPR("max(xs...)", "(call max xs...)");
    EXPECT_EXPR("f(1,\n 2,\n)", "(call f 1 2)");
    EXPECT_EXPR("lower(upper(x))", "(call lower (call upper x))");
}

static void test_collections(void **st)
{
    (void)st;
    EXPECT_EXPR("[]", "[ ]");
    EXPECT_EXPR("[1, 2, 3,]", "[ 1 2 3 ]");
    EXPECT_EXPR("[\n 1,\n 2\n]", "[ 1 2 ]");
    EXPECT_EXPR("{}", "{ }");
    EXPECT_EXPR("{a = 1, b = 2}", "{ \"a\"=1 \"b\"=2 }");
    EXPECT_EXPR("{\n a = 1\n \"b c\" = 2\n}", "{ \"a\"=1 \"b c\"=2 }");
    EXPECT_EXPR("{a: 1, (k) = 2}", "{ \"a\"=1 (paren k)=2 }");
    EXPECT_EXPR("{\"${p}-x\" = 1}", "{ (tmpl p \"-x\")=1 }");
    EXPECT_EXPR("{ a = { b = [1] } }", "{ \"a\"={ \"b\"=[ 1 ] } }");
}

static void test_for(void **st)
{
    (void)st;
    EXPECT_EXPR("[for s in var.list : upper(s)]", "(for _ s (. var list) (call upper s))");
    EXPECT_EXPR("[for i, s in xs : s if i > 0]", "(for i s xs s if (> i 0))");
    EXPECT_EXPR("{for k, v in m : k => v}", "(for k v m k => v)");
    EXPECT_EXPR("{for k, v in m : v.g => k... if v.on}", "(for k v m (. v g) => k... if (. v on))");
    EXPECT_EXPR("{\n  for k, v in m :\n  k => v\n}", "(for k v m k => v)");
    EXPECT_EXPR("[for x in a ? b : c : x]", "(for _ x (?: a b c) x)");
    EXPECT_EXPR("[for x in [for y in z : y] : x]", "(for _ x (for _ y z y) x)");
}

static void test_templates(void **st)
{
    (void)st;
    EXPECT_EXPR("\"web-${stack.branch}\"", "(tmpl \"web-\" (. stack branch))");
    EXPECT_EXPR("\"${x}\"", "(tmpl x)");
    EXPECT_EXPR("\"a${b}c${d}\"", "(tmpl \"a\" b \"c\" d)");
    EXPECT_EXPR("\"${ {a = \"}\"}.a }\"", "(tmpl (. { \"a\"=\"}\" } a))");
    EXPECT_EXPR("\"${f(\"${x}\")}!\"", "(tmpl (call f (tmpl x)) \"!\")");
    EXPECT_EXPR("\"a $ b % c\"", "\"a $ b % c\"");
}

static void test_heredocs(void **st)
{
    (void)st;
    EXPECT_EXPR("<<EOF\nhello\n  world\nEOF\n", "\"hello\\n  world\\n\"");
    EXPECT_EXPR("<<-EOF\n    hello\n      world\n\n    EOF\n", "\"hello\\n  world\\n\\n\"");
    EXPECT_EXPR("<<EOT\nx = ${var.x}!\nEOT", "(tmpl \"x = \" (. var x) \"!\\n\")");
    EXPECT_EXPR("<<-EOT\n  a ${b}\n  c\n  EOT\n", "(tmpl \"a \" b \"\\nc\\n\")");
    EXPECT_EXPR("<<EOF\nEOF\n", "\"\"");
    EXPECT_EXPR("<<EOF\nnot EOF\nEOFX\nEOF\n", "\"not EOF\\nEOFX\\n\"");
}

static void test_bodies(void **st)
{
    (void)st;
    EXPECT_FILE("a = 1\nb = \"x\"\n", "a=1; b=\"x\"; ");
    EXPECT_FILE("\n\n# c\na = 1 # trailing\n// other\n/* block\n */ b = 2", "a=1; b=2; ");
    EXPECT_FILE("resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"x\"\n}\n",
                "resource \"aws_s3_bucket\" \"logs\" { bucket=\"x\"; } ");
    EXPECT_FILE("locals { a = 1 }\n", "locals { a=1; } ");
    EXPECT_FILE("x {}\ny label {\n}\n", "x { } y \"label\" { } ");
    EXPECT_FILE("stack \"web\" {\n  backend \"s3\" {\n    key = \"k\"\n  }\n  region = \"r\"\n}\n",
                "stack \"web\" { region=\"r\"; backend \"s3\" { key=\"k\"; } } ");
    EXPECT_FILE("a = [\n  1,\n  2,\n]\nb = {\n  k = 1\n}\n", "a=[ 1 2 ]; b={ \"k\"=1 }; ");
    EXPECT_FILE("t = <<EOF\n}\nEOF\nu = 1\n", "t=\"}\\n\"; u=1; ");
    EXPECT_FILE("a = 1\r\nb = 2\r\n", "a=1; b=2; ");
}

static void test_locations(void **st)
{
    (void)st;
    const char *text = "resource \"t\" \"n\" {\n  name = var.x.y\n}\n";
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "main.cp", text, strlen(text));
    cp_file *f = cp_parse_source(&s, id, &d);
    const cp_block *b = f->body->blocks[0];
    assert_int_equal(b->type_loc.line, 1);
    assert_int_equal(b->label_locs[1].col, 14);
    assert_int_equal(b->loc.end_line, 3);
    assert_int_equal(b->loc.end_col, 2);
    const cp_attr *a = cp_body_attr(b->body, "name");
    assert_non_null(a);
    assert_int_equal(a->name_loc.line, 2);
    assert_int_equal(a->name_loc.col, 3);
    assert_int_equal(a->expr->loc.col, 10);
    assert_int_equal(a->expr->loc.end_col, 17);
    assert_int_equal(a->expr->u.getattr.name_loc.col, 16);
    assert_int_equal(a->loc.end_offset - a->loc.offset, strlen("name = var.x.y"));
    assert_null(cp_body_attr(b->body, "nope"));
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
}

static void test_recovery(void **st)
{
    (void)st;
    size_t nerr;
    char *got = file_dump("a = = 1\nb = 2\nc {\n  d = )\n  e = 3\n}\nf = 4\n", &nerr);
    assert_string_equal(got, "b=2; f=4; c { e=3; } ");
    assert_int_equal(nerr, 2);
    free(got);
    got = file_dump("a = 1\na = 2\n", &nerr);
    assert_int_equal(nerr, 1);
    free(got);
    char *e = expr_dump("1 +");
    assert_true(strncmp(e, "ERROR: ", 7) == 0);
    free(e);
}

static void test_big_body(void **st)
{
    (void)st;
    cp_buf b = { 0 };
    for (int i = 0; i < 2000; i++) cp_buf_printf(&b, "a%d = %d\n", i, i);
    size_t nerr;
    char *got = file_dump(b.data, &nerr);
    assert_int_equal(nerr, 0);
    free(got);
    cp_buf_adds(&b, "a1999 = 0\n");
    got = file_dump(b.data, &nerr);
    assert_int_equal(nerr, 1);
    free(got);
    cp_buf_free(&b);
}

/* cp_body_path_loc: where a value named by a rule's path is written. */
static void test_body_path_loc(void **st)
{
    (void)st;
    const char *text = "resource \"t\" \"x\" {\n" /* 1 */
                       "  name = \"n\"\n"         /* 2 */
                       "  hc {\n"                 /* 3 */
                       "    interval = 1\n"       /* 4 */
                       "  }\n"
                       "  hc {\n"           /* 6 */
                       "    interval = 2\n" /* 7 */
                       "  }\n"
                       "  dynamic \"rule\" {\n" /* 9 */
                       "    for_each = [1]\n"
                       "    content {\n"
                       "      port = rule.value\n"
                       "    }\n"
                       "  }\n"
                       "}\n";
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "main.cp", text, strlen(text));
    cp_file *f = cp_parse_source(&s, id, &d);
    assert_int_equal(d.errors, 0);
    const cp_body *b = f->body->blocks[0]->body;
    cp_loc none = { .line = 99 };
    assert_int_equal(cp_body_path_loc(b, "name", none).line, 2);
    assert_int_equal(cp_body_path_loc(b, "hc[1].interval", none).line, 7);
    assert_int_equal(cp_body_path_loc(b, "hc[0].interval", none).line, 4);
    assert_int_equal(cp_body_path_loc(b, "hc[0].missing", none).line, 3); /* the block */
    assert_int_equal(cp_body_path_loc(b, "hc[5].interval", none).line, 99);
    assert_int_equal(cp_body_path_loc(b, "rule[3].port", none).line, 9); /* the dynamic */
    assert_int_equal(cp_body_path_loc(b, "tags[\"k\"]", none).line, 99);
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_path_loc), cmocka_unit_test(test_literals),
        cmocka_unit_test(test_precedence),    cmocka_unit_test(test_traversals),
        cmocka_unit_test(test_calls),         cmocka_unit_test(test_collections),
        cmocka_unit_test(test_for),           cmocka_unit_test(test_templates),
        cmocka_unit_test(test_heredocs),      cmocka_unit_test(test_bodies),
        cmocka_unit_test(test_locations),     cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_big_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
