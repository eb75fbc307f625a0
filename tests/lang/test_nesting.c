/*
 * test_nesting.c: very deep and very long expressions and blocks through
 * the whole front end (parse, reference walk, evaluation, fmt, free).
 *
 * Up to CP_MAX_NESTING levels every shape works; past it the parser reports
 * "nested too deeply" at the right file:line:col and nothing recurses into
 * the tree. A 100,000-term `1 + 1 + …` used to overflow the stack; the
 * sanitizer build (with its bigger frames) runs the same cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ast.h"
#include "lang/eval.h"
#include "lang/fmt.h"
#include "util/buf.h"
#include "util/xalloc.h"

enum { HUGE_N = 100000, OK_N = CP_MAX_NESTING - 10, OVER_N = CP_MAX_NESTING + 5 };

static void count_ref(void *ud, const char *const *steps, size_t nsteps, cp_loc loc)
{
    (void)steps;
    (void)nsteps;
    (void)loc;
    (*(size_t *)ud)++;
}

/* `x = <expr>` through parse, refs, eval and fmt. Returns the value's
 * rendering, or "ERROR: L:C: message" for the first error (malloc'd). */
static char *run(const char *expr)
{
    cp_buf src;
    cp_buf_init(&src);
    cp_buf_printf(&src, "x = %s\n", expr);
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "main.cp", src.data, src.len);
    cp_file *f = cp_parse_source(&s, id, &d);
    char *out = NULL;
    if (!cp_diags_has_errors(&d)) {
        assert_int_equal(f->body->nattrs, 1);
        size_t refs = 0;
        cp_expr_walk_refs(f->body->attrs[0].expr, count_ref, &refs);
        cp_eval_ctx ctx = { NULL, NULL, ".", &s, &d };
        cp_value *v = cp_eval(&ctx, f->body->attrs[0].expr);
        if (v) {
            cp_buf r;
            cp_buf_init(&r);
            cp_value_render(&r, v, true);
            out = cp_buf_steal(&r);
            cp_release(v);
        }
        cp_buf fmt = { 0 };
        assert_int_equal(cp_fmt_file(&s, id, &fmt, &d), 0);
        cp_buf_free(&fmt);
    }
    if (!out) {
        assert_true(d.len > 0);
        out = cp_xasprintf("ERROR: %u:%u: %s", d.items[0].loc.line, d.items[0].loc.col,
                           d.items[0].msg);
    }
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
    cp_buf_free(&src);
    return out;
}

/* open^n mid close^n (open/close may be empty). */
static char *nest(const char *open, const char *mid, const char *close, int n)
{
    cp_buf b;
    cp_buf_init(&b);
    for (int i = 0; i < n; i++) cp_buf_adds(&b, open);
    cp_buf_adds(&b, mid);
    for (int i = 0; i < n; i++) cp_buf_adds(&b, close);
    return cp_buf_steal(&b);
}

#define TOO_DEEP "expression nested too deeply (more than 1000 levels); split it with locals"

static void expect_run(char *expr, const char *want)
{
    char *got = run(expr);
    if (strncmp(got, want, strlen(want)) != 0) print_error("got %.200s\n", got);
    assert_true(strncmp(got, want, strlen(want)) == 0);
    free(got);
    free(expr);
}

static void test_long_sum(void **st)
{
    (void)st;
    expect_run(nest("1 + ", "1", "", OK_N - 1), "990");
    /* the error is at the start of the expression, where the sum begins */
    expect_run(nest("1 + ", "1", "", HUGE_N), "ERROR: 1:5: " TOO_DEEP);
    expect_run(nest("true && ", "true", "", HUGE_N), "ERROR: 1:5: " TOO_DEEP);
    expect_run(nest("", "\"a\"", " == \"a\"", HUGE_N), "ERROR: 1:5: " TOO_DEEP);
}

static void test_deep_brackets(void **st)
{
    (void)st;
    expect_run(nest("[", "1", "]", OK_N), "[");
    expect_run(nest("(", "7", ")", OK_N), "7");
    expect_run(nest("-", "1", "", OK_N), "1"); /* an even count */
    expect_run(nest("abs(", "-3", ")", OK_N), "3");
    expect_run(nest("{a = ", "1", "}", OK_N), "{");
    /* the 1001st bracket is reported (col 5 is the first) */
    expect_run(nest("[", "1", "]", OVER_N), "ERROR: 1:1005: " TOO_DEEP);
    expect_run(nest("(", "1", ")", OVER_N), "ERROR: 1:1005: " TOO_DEEP);
    expect_run(nest("[", "1", "]", HUGE_N), "ERROR: 1:");
    expect_run(nest("(", "1", ")", HUGE_N), "ERROR: 1:");
    expect_run(nest("-", "1", "", HUGE_N), "ERROR: 1:");
    expect_run(nest("abs(", "1", ")", HUGE_N), "ERROR: 1:");
    expect_run(nest("{a = ", "1", "}", HUGE_N), "ERROR: 1:");
    expect_run(nest("{a = ", "1", "}", OVER_N), "ERROR: 1:");
    expect_run(nest("\"${", "1", "}\"", HUGE_N), "ERROR: 1:");
    expect_run(nest("[for x in ", "[1]", " : x]", HUGE_N), "ERROR: 1:");
}

static void test_long_conditionals(void **st)
{
    (void)st;
    expect_run(nest("false ? 0 : ", "5", "", OK_N), "5");
    expect_run(nest("false ? 0 : ", "5", "", OVER_N), "ERROR: 1:");
    expect_run(nest("false ? 0 : ", "5", "", HUGE_N), "ERROR: 1:");
    char *e = nest("false ? 0 : ", "5", "", OVER_N);
    char *got = run(e);
    assert_non_null(strstr(got, TOO_DEEP));
    free(got);
    free(e);
}

static void test_long_traversals(void **st)
{
    (void)st;
    char *e = nest("", "{a = 1}", "", 0);
    expect_run(e, "{");
    expect_run(nest("", "x", ".a", HUGE_N), "ERROR: 1:5: " TOO_DEEP);
    expect_run(nest("", "x", "[0]", HUGE_N), "ERROR: 1:5: " TOO_DEEP);
    expect_run(nest("", "[1]", "[*]", HUGE_N), "ERROR: 1:");
}

/* A chain of locals: `local.next` is itself `local.next + 1`, evaluated
 * inside the lookup, as src/plan/scope.c evaluates a local on first use. */
typedef struct chain {
    cp_eval_ctx ctx;
    const cp_expr *expr;
    long left;
} chain;

static cp_value *chain_lookup(void *ud, const char *const *steps, size_t n, size_t *consumed,
                              cp_loc loc, cp_diags *d)
{
    (void)steps;
    (void)n;
    (void)loc;
    (void)d;
    chain *c = ud;
    *consumed = 2;
    if (c->left-- <= 0) return cp_number(0);
    return cp_eval(&c->ctx, c->expr);
}

static char *eval_chain(long len)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    cp_arena *arena = cp_arena_new();
    const char *src = "local.next + 1";
    uint32_t id = cp_sources_add(&s, "main.cp", src, strlen(src));
    chain c = { { chain_lookup, NULL, ".", &s, &d }, NULL, len };
    c.ctx.lookup_ud = &c;
    c.expr = cp_parse_expression(&s, id, arena, &d);
    assert_non_null(c.expr);
    cp_value *v = cp_eval(&c.ctx, c.expr);
    char *out = NULL;
    if (v) {
        assert_int_equal(d.errors, 0);
        out = cp_xasprintf("%.0f", cp_number_val(v));
        cp_release(v);
    } else {
        assert_true(d.len > 0);
        out = cp_xstrdup(d.items[0].msg);
    }
    cp_arena_free(arena);
    cp_diags_free(&d);
    cp_sources_free(&s);
    return out;
}

static void test_chain_of_locals(void **st)
{
    (void)st;
    char *got = eval_chain(1500);
    assert_string_equal(got, "1501");
    free(got);
    got = eval_chain(100000);
    assert_non_null(strstr(got, "evaluation nested too deeply (more than 4000 levels"));
    free(got);
}

/* Blocks: a { a { … } } */
static char *parse_file_error(const char *text)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "main.cp", text, strlen(text));
    cp_file *f = cp_parse_source(&s, id, &d);
    char *out =
        d.len ? cp_xasprintf("%u:%u: %s", d.items[0].loc.line, d.items[0].loc.col, d.items[0].msg)
              : cp_xstrdup("ok");
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
    return out;
}

static void test_deep_blocks(void **st)
{
    (void)st;
    char *ok = nest("a {\n", "x = 1\n", "}\n", OK_N);
    char *got = parse_file_error(ok);
    assert_string_equal(got, "ok");
    free(got);
    free(ok);
    char *deep = nest("a {\n", "x = 1\n", "}\n", OVER_N);
    got = parse_file_error(deep);
    assert_string_equal(got, "5:1: blocks nested too deeply (more than 1000 levels); flatten them");
    free(got);
    free(deep);
    deep = nest("a {\n", "x = 1\n", "}\n", HUGE_N);
    got = parse_file_error(deep);
    assert_non_null(strstr(got, "nested too deeply (more than 1000 levels)"));
    free(got);
    free(deep);
}

/* Many attributes, each short: no false alarm from the node count. */
static void test_many_small_attributes(void **st)
{
    (void)st;
    cp_buf b;
    cp_buf_init(&b);
    for (int i = 0; i < 5000; i++) cp_buf_printf(&b, "a%d = [1 + 2, (3)]\n", i);
    char *got = parse_file_error(b.data);
    assert_string_equal(got, "ok");
    free(got);
    cp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_sum),
        cmocka_unit_test(test_deep_brackets),
        cmocka_unit_test(test_long_conditionals),
        cmocka_unit_test(test_long_traversals),
        cmocka_unit_test(test_chain_of_locals),
        cmocka_unit_test(test_deep_blocks),
        cmocka_unit_test(test_many_small_attributes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
