/*
 * test_templates.c: template directives in the front end: the AST that
 * %{ if }, %{ else }, %{ for } and their nesting give, the text the ~ strip
 * markers leave (in quoted strings, heredocs, <<- heredocs and whole
 * template files), the %%{ and $${ escapes, the exact one-line errors for
 * unbalanced or unknown directives, and `cpstack fmt` leaving every
 * template byte for byte as written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ast_dump.h"
#include "lang/ast.h"
#include "lang/fmt.h"
#include "lang/lexer.h"

/* Parses text as an expression (or, template, as a whole template file);
 * returns the dump or "ERROR: file:line:col: msg" for the first error. */
static char *parse_dump(const char *text, bool template)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "f.cp", text, strlen(text));
    cp_arena *a = cp_arena_new();
    cp_expr *e = template ? cp_parse_template(&s, id, a, &d) : cp_parse_expression(&s, id, a, &d);
    cp_buf out = { 0 };
    if (e)
        ast_dump_expr(&out, e);
    else if (d.len) {
        char *where = cp_loc_string(&s, d.items[0].loc);
        cp_buf_printf(&out, "ERROR: %s: %s", where, d.items[0].msg);
        free(where);
    } else
        cp_buf_adds(&out, "ERROR: ?");
    cp_arena_free(a);
    cp_diags_free(&d);
    cp_sources_free(&s);
    return cp_buf_steal(&out);
}

#define EXPECT_AST(text, want)                                                                     \
    do {                                                                                           \
        char *got_ = parse_dump((text), false);                                                    \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

#define EXPECT_TEMPLATE(text, want)                                                                \
    do {                                                                                           \
        char *got_ = parse_dump((text), true);                                                     \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_if_else_shapes(void **st)
{
    (void)st;
    EXPECT_AST("\"%{ if a }yes%{ endif }\"", "(tmpl (%if a (tmpl \"yes\") NULL))");
    EXPECT_AST("\"<%{ if a }${b}%{ else }no%{ endif }>\"",
               "(tmpl \"<\" (%if a (tmpl b) (tmpl \"no\")) \">\")");
    EXPECT_AST("\"%{if a == 1}x%{endif}\"", "(tmpl (%if (== a 1) (tmpl \"x\") NULL))");
    /* an empty branch is an empty template, not a missing one */
    EXPECT_AST("\"%{ if a }%{ else }z%{ endif }\"", "(tmpl (%if a (tmpl) (tmpl \"z\")))");
    /* "if" and "for" are keywords only right after %{ */
    EXPECT_AST("\"%{ if if }${for}%{ endif }\"", "(tmpl (%if if (tmpl for) NULL))");
}

static void test_for_shapes(void **st)
{
    (void)st;
    EXPECT_AST("\"%{ for x in xs }${x},%{ endfor }\"", "(tmpl (%for x xs (tmpl x \",\")))");
    EXPECT_AST("\"%{ for k, v in m }${k}=${v} %{ endfor }\"",
               "(tmpl (%for k,v m (tmpl k \"=\" v \" \")))");
    /* a for expression inside the collection keeps its own "in" */
    EXPECT_AST("\"%{ for x in [for y in ys : y] }${x}%{ endfor }\"",
               "(tmpl (%for x (for _ y ys y) (tmpl x)))");
}

static void test_nesting(void **st)
{
    (void)st;
    EXPECT_AST("\"%{ for x in xs }%{ if x > 1 }${x}%{ else }-%{ endif }%{ endfor }\"",
               "(tmpl (%for x xs (tmpl (%if (> x 1) (tmpl x) (tmpl \"-\")))))");
    EXPECT_AST("\"%{ if a }%{ if b }ab%{ endif }%{ else }%{ for x in c }${x}%{ endfor }"
               "%{ endif }\"",
               "(tmpl (%if a (tmpl (%if b (tmpl \"ab\") NULL)) (tmpl (%for x c (tmpl x)))))");
    /* a string inside an interpolation inside a directive's body */
    EXPECT_AST("\"%{ if a }${\"%{ if b }in%{ endif }\"}%{ endif }\"",
               "(tmpl (%if a (tmpl (tmpl (%if b (tmpl \"in\") NULL))) NULL))");
}

static void test_strip_markers_quoted(void **st)
{
    (void)st;
    EXPECT_AST("\"a  ${~ x ~}  b\"", "(tmpl \"a\" x \"b\")");
    EXPECT_AST("\"a \\n ${~x} b\"", "(tmpl \"a\" x \" b\")");
    EXPECT_AST("\"a %{~ if c ~} b %{~ endif ~} d\"",
               "(tmpl \"a\" (%if c (tmpl \"b\") NULL) \"d\")");
    /* only the literal right next to the marker is trimmed */
    EXPECT_AST("\"a ${x} ${~y}\"", "(tmpl \"a \" x \"\" y)");
    /* no literal between: nothing to trim, and the next literal is untouched */
    EXPECT_AST("\"${x ~}${y} b\"", "(tmpl x y \" b\")");
    /* a lone $ is a literal token of its own: the strip stops there */
    EXPECT_AST("\"${x ~}  $  ${~y}\"", "(tmpl x \"$\" y)");
    /* Unicode white space (U+00A0, U+3000) is white space too */
    EXPECT_AST("\"a\xc2\xa0${~x~}\xe3\x80\x80"
               "b\"",
               "(tmpl \"a\" x \"b\")");
}

static void test_strip_markers_heredoc(void **st)
{
    (void)st;
    /* the classic: ~} eats the newline after each directive */
    EXPECT_AST("<<EOT\n%{ for x in xs ~}\n  ${x}\n%{ endfor ~}\nEOT\n",
               "(tmpl (%for x xs (tmpl \"  \" x \"\\n\")) \"\")");
    /* without markers the directive lines keep their newlines */
    EXPECT_AST("<<EOT\n%{ for x in xs }\n${x}\n%{ endfor }\nEOT\n",
               "(tmpl (%for x xs (tmpl \"\\n\" x \"\\n\")) \"\\n\")");
    /* ~} trims one heredoc line (its literal token) only */
    EXPECT_AST("<<EOT\n${x ~}\n\n  y\nEOT\n", "(tmpl x \"\\n  y\\n\")");
    /* ${~ trims the line before it when nothing precedes it on its line */
    EXPECT_AST("<<EOT\na  \n${~ x}\nEOT\n", "(tmpl \"a\" x \"\\n\")");
    /* <<- removes the indentation first, then the markers apply */
    EXPECT_AST("<<-EOT\n    %{~ for x in xs ~}\n    [${x}]\n    %{~ endfor ~}\n  EOT\n",
               "(tmpl \"\" (%for x xs (tmpl \"[\" x \"]\\n\")) \"\")");
}

static void test_escapes(void **st)
{
    (void)st;
    EXPECT_AST("\"%%{ if x } $${y} %%{ endif }\"", "\"%{ if x } ${y} %{ endif }\"");
    EXPECT_AST("<<EOT\n%%{ for } $${x}\nEOT\n", "\"%{ for } ${x}\\n\"");
    EXPECT_AST("\"100% ${x}$\"", "(tmpl \"100% \" x \"$\")");
    /* the escape is a literal token of its own for strip markers */
    EXPECT_AST("\"${x ~}%%{\"", "(tmpl x \"%{\")");
}

static void test_template_files(void **st)
{
    (void)st;
    EXPECT_TEMPLATE("Hello ${name}!\n", "(tmpl \"Hello \" name \"!\\n\")");
    EXPECT_TEMPLATE("", "\"\"");
    EXPECT_TEMPLATE("${x}", "(tmpl x)");
    EXPECT_TEMPLATE("%{ for s in servers ~}\nserver ${s}\n%{ endfor ~}\n",
                    "(tmpl (%for s servers (tmpl \"server \" s \"\\n\")) \"\")");
    /* no heredoc marker: a line like EOT is text */
    EXPECT_TEMPLATE("EOT\n\"quoted\" ${a}", "(tmpl \"EOT\\n\\\"quoted\\\" \" a)");
    EXPECT_TEMPLATE("a\n%{ if x }\nb\n", "ERROR: f.cp:4:1: missing %{ endif } for the %{ if } at "
                                         "f.cp:2:1");
    EXPECT_TEMPLATE("x ${ a", "ERROR: f.cp:1:3: unclosed \"${\" opened at 1:3; add the matching "
                              "\"}\"");
}

static size_t file_errors(const char *src)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "f.cp", src, strlen(src));
    cp_file *f = cp_parse_source(&s, id, &d);
    size_t n = d.errors;
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
    return n;
}

static void test_errors(void **st)
{
    (void)st;
    EXPECT_AST("\"ok\n", "ERROR: f.cp:1:4: unterminated string (it started at 1:1); add the "
                         "closing \" on the same line");
    EXPECT_AST("\"%{ if a }x\"",
               "ERROR: f.cp:1:12: missing %{ endif } for the %{ if } at f.cp:1:2");
    EXPECT_AST("\"%{ for a in b }x\"",
               "ERROR: f.cp:1:18: missing %{ endfor } for the %{ for } at f.cp:1:2");
    EXPECT_AST("<<EOT\n\n  %{ if a }\nEOT\n",
               "ERROR: f.cp:4:1: missing %{ endif } for the %{ if } at f.cp:3:3");
    EXPECT_AST("\"%{ endfor }\"",
               "ERROR: f.cp:1:2: %{ endfor } without an open %{ for }; remove it "
               "or add the %{ for NAME in LIST } it closes");
    EXPECT_AST("\"%{ else }\"", "ERROR: f.cp:1:2: %{ else } without an open %{ if }; add the "
                                "%{ if COND } it belongs to");
    EXPECT_AST("\"%{if a}%{else}%{else}%{endif}\"",
               "ERROR: f.cp:1:16: a second %{ else } for the %{ if } at f.cp:1:2; an %{ if } takes "
               "one %{ else } (nest another %{ if } inside it)");
    EXPECT_AST("\"%{ if a }%{ endfor }\"",
               "ERROR: f.cp:1:11: %{ endfor } cannot close the %{ if } at f.cp:1:2; close that one "
               "with %{ endif } first");
    EXPECT_AST("\"%{ elif a }\"", "ERROR: f.cp:1:5: unknown template directive \"elif\"; a %{ … } "
                                  "directive is if, else, endif, for or endfor (write %%{ for a "
                                  "literal %{)");
    EXPECT_AST("\"%{ endfro }\"", "ERROR: f.cp:1:5: unknown template directive \"endfro\"; did you "
                                  "mean \"endfor\"? (a %{ … } directive is if, else, endif, for or "
                                  "endfor)");
    EXPECT_AST("\"%{ if a\nb }\"", "ERROR: f.cp:1:2: unclosed \"%{\" opened at 1:2; close the "
                                   "directive with \"}\" before the string ends");
    EXPECT_AST("\"%{ if a }x%{ else if b }y%{ endif }\"",
               "ERROR: f.cp:1:20: templates have no %{ else if }: write %{ else }%{ if COND }…"
               "%{ endif }%{ endif }");
    EXPECT_AST("x ~}", "ERROR: f.cp:1:3: invalid character \"~\" here; remove it or put it in a "
                       "string");
    /* a directive cannot label a block, nor "${1}" (a number, not text) */
    assert_int_equal(file_errors("b \"%{ if x }y%{ endif }\" {\n}\n"), 1);
    assert_int_equal(file_errors("b \"${1}\" {\n}\n"), 1);
    assert_int_equal(file_errors("b \"a\" {\n}\n"), 0);
}

/* The tokens of directives and strip markers, with their exact spans. */
static void test_tokens(void **st)
{
    (void)st;
    const char *src = "\"a %{~ if x ~} b${y}\"";
    cp_diags d;
    cp_diags_init(&d);
    cp_arena *a = cp_arena_new();
    cp_lexer *lx = cp_lexer_new(src, strlen(src), 1, a, &d, false);
    int want[] = { T_OQUOTE, T_TLIT,    T_TDIR,  T_IF,   T_IDENT,  T_TEND,
                   T_TLIT,   T_TINTERP, T_IDENT, T_TEND, T_CQUOTE, 0 };
    uint32_t cols[] = { 1, 2, 4, 8, 11, 13, 15, 17, 19, 20, 21 };
    CP_YYSTYPE v;
    cp_loc l;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int k = cp_lexer_next(lx, &v, &l);
        assert_int_equal(k, want[i]);
        if (!k) break;
        assert_int_equal(l.col, cols[i]);
        if (k == T_TLIT) assert_string_equal(v.tok.s, i == 1 ? "a" : "b");
        if (k == T_TDIR) assert_int_equal(l.end_col, 7); /* "%{~" */
        if (i == 5) assert_int_equal(l.end_col, 15);     /* "~}" */
    }
    assert_int_equal(d.errors, 0);
    cp_lexer_free(lx);
    cp_arena_free(a);
    cp_diags_free(&d);
}

/* fmt copies every string and heredoc as it is, directives included. */
static void test_fmt_keeps_templates(void **st)
{
    (void)st;
    const char *src = "locals {\n"
                      "a=\"%{if x}  ${ y  +1 }%{~ else ~}  z %{endif}\"\n"
                      "    b   =   <<-EOT\n"
                      "      %{ for k,v in m ~}\n"
                      "        ${k}  =  ${v}\n"
                      "      %{~ endfor }\n"
                      "  EOT\n"
                      "}\n";
    const char *want = "locals {\n"
                       "  a = \"%{if x}  ${ y  +1 }%{~ else ~}  z %{endif}\"\n"
                       "  b = <<-EOT\n"
                       "      %{ for k,v in m ~}\n"
                       "        ${k}  =  ${v}\n"
                       "      %{~ endfor }\n"
                       "  EOT\n"
                       "}\n";
    cp_diags d;
    cp_diags_init(&d);
    cp_buf out = { 0 };
    assert_int_equal(cp_fmt_source("f.cp", src, strlen(src), &out, &d), 0);
    assert_string_equal(out.data, want);
    cp_buf again = { 0 };
    assert_int_equal(cp_fmt_source("f.cp", out.data, out.len, &again, &d), 0);
    assert_string_equal(again.data, want);
    cp_buf_free(&out);
    cp_buf_free(&again);
    cp_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_if_else_shapes),
        cmocka_unit_test(test_for_shapes),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_strip_markers_quoted),
        cmocka_unit_test(test_strip_markers_heredoc),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_template_files),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_fmt_keeps_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
