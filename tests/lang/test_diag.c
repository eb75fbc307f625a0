/*
 * test_diag.c: diagnostics printing — caret placement and range, tabs and
 * UTF-8 before the spot, sorting by file/line/column, the error cap and
 * the summary lines, colour codes, file loading errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lang/diag.h"

static char *print(const cp_diags *d, const cp_sources *s, bool color)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cp_diags_print(d, s, f, color);
    fclose(f);
    return out;
}

static cp_loc at(uint32_t file, uint32_t line, uint32_t col, uint32_t end_col, uint32_t off)
{
    return (cp_loc){ file, line, col, line, end_col, off, off + (end_col - col) };
}

static void test_caret_and_tabs(void **st)
{
    (void)st;
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    const char *text = "a = 1\n\tb = \"h\xc3\xa9llo\" x\n";
    uint32_t id = cp_sources_add(&s, "m.cp", text, strlen(text));
    cp_diag_error(&d, at(id, 2, 15, 16, 20), "bad x");
    cp_diag_error(&d, at(id, 2, 2, 3, 7), "bad b");
    cp_diag_error(&d, at(id, 1, 5, 6, 4), "bad one");
    char *out = print(&d, &s, false);
    assert_string_equal(out, "m.cp:1:5: bad one\n  a = 1\n      ^\n"
                             "m.cp:2:2: bad b\n  \tb = \"h\xc3\xa9llo\" x\n  \t^\n"
                             "m.cp:2:15: bad x\n  \tb = \"h\xc3\xa9llo\" x\n  \t            ^\n"
                             "3 errors\n");
    free(out);
    cp_diags_free(&d);
    cp_diags_init(&d);
    cp_diag_error(&d, at(id, 2, 6, 15, 11), "range");
    out = print(&d, &s, false);
    assert_string_equal(out, "m.cp:2:6: range\n  \tb = \"h\xc3\xa9llo\" x\n  \t    ^~~~~~~~\n");
    free(out);
    char *ls = cp_loc_string(&s, at(id, 2, 6, 7, 11));
    assert_string_equal(ls, "m.cp:2:6");
    free(ls);
    cp_diags_free(&d);
    cp_sources_free(&s);
}

static void test_cap_and_summary(void **st)
{
    (void)st;
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    d.limit = 2;
    for (int i = 0; i < 5; i++) cp_diag_error(&d, (cp_loc){ 0 }, "e%d", i);
    cp_diag_warning(&d, (cp_loc){ 0 }, "careful\nnow");
    assert_true(cp_diags_has_errors(&d));
    assert_int_equal(d.errors, 5);
    char *out = print(&d, &s, false);
    assert_string_equal(out,
                        "e0\ne1\nwarning: careful now\n… and 3 more errors not shown\n5 errors\n");
    free(out);
    out = print(&d, &s, true);
    assert_non_null(strstr(out, "\033["));
    free(out);
    cp_diags_free(&d);
    cp_sources_free(&s);
}

static void test_load(void **st)
{
    (void)st;
    cp_sources s;
    cp_sources_init(&s);
    char *err = NULL;
    assert_int_equal(cp_sources_load(&s, "/nonexistent/x.cp", &err), 0);
    assert_non_null(strstr(err, "cannot read /nonexistent/x.cp"));
    free(err);
    assert_int_equal(cp_sources_load(&s, "/", &err), 0);
    assert_non_null(strstr(err, "directory"));
    free(err);
    assert_null(cp_sources_get(&s, 0));
    uint32_t a = cp_sources_add(&s, "a", "x", 1), b = cp_sources_add(&s, "b", "", 0);
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_string_equal(cp_sources_get(&s, b)->text, "");
    assert_null(cp_sources_get(&s, 3));
    cp_sources_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caret_and_tabs),
        cmocka_unit_test(test_cap_and_summary),
        cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
