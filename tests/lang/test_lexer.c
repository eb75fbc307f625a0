/*
 * test_lexer.c: tokens and their exact locations, newline significance,
 * nested interpolation, heredocs, comments in keep-comments mode, and the
 * keyword rules for for/in/if, and UTF-8 checks of string text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lang/lexer.h"

typedef struct tok {
    int kind;
    cp_loc loc;
    char text[32];
} tok;

static size_t lex_all(const char *src, tok *out, size_t max, bool comments, size_t *errors)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_arena *a = cp_arena_new();
    cp_lexer *lx = cp_lexer_new(src, strlen(src), 1, a, &d, comments);
    CP_YYSTYPE v;
    cp_loc l;
    int k;
    size_t n = 0;
    while ((k = cp_lexer_next(lx, &v, &l)) != 0 && n < max) {
        out[n].kind = k;
        out[n].loc = l;
        out[n].text[0] = 0;
        if (k == T_IDENT || k == T_TLIT) snprintf(out[n].text, sizeof out[n].text, "%s", v.tok.s);
        n++;
    }
    *errors = d.errors;
    cp_lexer_free(lx);
    cp_arena_free(a);
    cp_diags_free(&d);
    return n;
}

static void test_tokens_and_locations(void **st)
{
    (void)st;
    tok t[64];
    size_t errs, n = lex_all("a = 1.5\n  bb_c-d >= \"x\"", t, 64, false, &errs);
    assert_int_equal(errs, 0);
    assert_int_equal(n, 9);
    int kinds[] = { T_IDENT, '=', T_NUMBER, T_NEWLINE, T_IDENT, T_GE, T_OQUOTE, T_TLIT, T_CQUOTE };
    for (size_t i = 0; i < 8; i++) assert_int_equal(t[i].kind, kinds[i]);
    assert_string_equal(t[4].text, "bb_c-d");
    assert_int_equal(t[4].loc.line, 2);
    assert_int_equal(t[4].loc.col, 3);
    assert_int_equal(t[4].loc.end_col, 9);
    assert_int_equal(t[4].loc.offset, 10);
    assert_int_equal(t[5].loc.col, 10);
    assert_int_equal(t[2].loc.end_offset - t[2].loc.offset, 3);
}

static void test_newlines_in_brackets(void **st)
{
    (void)st;
    tok t[64];
    size_t errs, n = lex_all("a = [\n1,\n2\n]\nb = {\nc = 1\n}\n", t, 64, false, &errs);
    size_t newlines = 0;
    for (size_t i = 0; i < n; i++) newlines += t[i].kind == T_NEWLINE;
    assert_int_equal(newlines, 4); /* after ], after {, after c = 1, after }, none inside [ ] */
    n = lex_all("x = {for k, v in m :\n k => v}\n", t, 64, false, &errs);
    newlines = 0;
    for (size_t i = 0; i < n; i++) newlines += t[i].kind == T_NEWLINE;
    assert_int_equal(newlines, 1);
    assert_int_equal(t[3].kind, T_FOR);
    assert_int_equal(t[7].kind, T_IN);
}

static void test_interpolation_nesting(void **st)
{
    (void)st;
    tok t[64];
    size_t errs, n = lex_all("\"a${ {b = \"}\"}[\"b\"] }c\"", t, 64, false, &errs);
    assert_int_equal(errs, 0);
    int kinds[] = {
        T_OQUOTE, T_TLIT, T_TINTERP, '{',    T_IDENT,  '=', T_OQUOTE, T_TLIT, T_CQUOTE,
        '}',      '[',    T_OQUOTE,  T_TLIT, T_CQUOTE, ']', T_TEND,   T_TLIT, T_CQUOTE
    };
    assert_int_equal(n, sizeof kinds / sizeof kinds[0]);
    for (size_t i = 0; i < n; i++) assert_int_equal(t[i].kind, kinds[i]);
    assert_string_equal(t[7].text, "}");
}

static void test_heredoc_tokens(void **st)
{
    (void)st;
    tok t[64];
    size_t errs, n = lex_all("x = <<-EOT\n    a ${b}\n    EOT\ny = 1\n", t, 64, false, &errs);
    assert_int_equal(errs, 0);
    assert_int_equal(t[2].kind, T_OHEREDOC);
    assert_int_equal(t[3].kind, T_TLIT);
    assert_string_equal(t[3].text, "a ");
    assert_int_equal(t[3].loc.line, 2);
    assert_int_equal(t[4].kind, T_TINTERP);
    assert_string_equal(t[7].text, "\n");
    assert_int_equal(t[8].kind, T_CHEREDOC);
    assert_int_equal(t[8].loc.line, 3);
    assert_int_equal(t[9].kind, T_NEWLINE);
    assert_string_equal(t[10].text, "y");
    assert_int_equal(n, 14);
}

static void test_comments(void **st)
{
    (void)st;
    tok t[64];
    size_t errs, n = lex_all("# one\na = 1 // two\n/* three\n */ b", t, 64, true, &errs);
    size_t comments = 0;
    for (size_t i = 0; i < n; i++) comments += t[i].kind == T_COMMENT;
    assert_int_equal(comments, 3);
    assert_int_equal(t[0].loc.end_col, 6);
    n = lex_all("# one\na = 1 // two\n", t, 64, false, &errs);
    for (size_t i = 0; i < n; i++) assert_int_not_equal(t[i].kind, T_COMMENT);
}

static void test_legacy_index_and_errors(void **st)
{
    (void)st;
    tok t[64];
    size_t errs, n = lex_all("a.0.1", t, 64, false, &errs);
    assert_int_equal(errs, 0);
    assert_int_equal(n, 5);
    assert_int_equal(t[2].kind, T_NUMBER);
    assert_int_equal(t[4].kind, T_NUMBER);
    lex_all("\"abc", t, 64, false, &errs);
    assert_int_equal(errs, 1);
    lex_all("x = 1e", t, 64, false, &errs);
    assert_int_equal(errs, 1);
    lex_all("x = \"\\z\" @", t, 64, false, &errs);
    assert_int_equal(errs, 2);
}

/* Text of strings and heredocs must be UTF-8 (strictly: no overlong forms,
 * surrogates or code points past U+10FFFF); the error is at the bad byte. */
static void test_utf8_in_strings(void **st)
{
    (void)st;
    static const struct {
        const char *src;
        size_t errors;
        uint32_t col; /* of the first error */
    } cases[] = {
        { "x = \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 0, 0 },
        { "x = \"caf\xe9\"", 1, 9 },
        { "x = \"\xc0\xaf\"", 1, 6 },         /* overlong "/" */
        { "x = \"ab\xed\xa0\x80\"", 1, 8 },   /* surrogate */
        { "x = \"\xf4\x90\x80\x80\"", 1, 6 }, /* past U+10FFFF */
        { "x = \"\xe2\x82\"", 1, 6 },         /* cut short */
        { "x = \"${a}\xff\"", 1, 10 },        /* after an interpolation */
        { "x = <<-EOT\n    ok\n    \xff\n    EOT\n", 1, 5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cp_diags d;
        cp_diags_init(&d);
        cp_arena *a = cp_arena_new();
        cp_lexer *lx = cp_lexer_new(cases[i].src, strlen(cases[i].src), 1, a, &d, false);
        CP_YYSTYPE v;
        cp_loc l;
        while (cp_lexer_next(lx, &v, &l) != 0) {
        }
        if (d.errors != cases[i].errors) print_error("case %zu\n", i);
        assert_int_equal(d.errors, cases[i].errors);
        if (cases[i].errors) {
            assert_non_null(strstr(d.items[0].msg, "invalid UTF-8 in a string"));
            assert_int_equal(d.items[0].loc.col, cases[i].col);
        }
        cp_lexer_free(lx);
        cp_arena_free(a);
        cp_diags_free(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_and_locations),
        cmocka_unit_test(test_newlines_in_brackets),
        cmocka_unit_test(test_interpolation_nesting),
        cmocka_unit_test(test_heredoc_tokens),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_legacy_index_and_errors),
        cmocka_unit_test(test_utf8_in_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
