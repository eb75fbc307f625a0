/*
 * test_fmt.c: the formatter. Golden pairs golden/fmt/NAME.cp → NAME.expected
 * (CPSTACK_GOLDEN_UPDATE=1 rewrites them); formatting is idempotent on every
 * golden and every .cp file in examples/; formatting never changes meaning (the AST
 * of the output equals the AST of the input); files with syntax errors are
 * refused; and the -diff helper prints a unified diff.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ast_dump.h"
#include "lang/ast.h"
#include "lang/fmt.h"
#include "util/xalloc.h"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    cp_buf b = { 0 };
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) cp_buf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    if (!b.data) cp_buf_adds(&b, "");
    return cp_buf_steal(&b);
}

/* Format text; NULL on refusal. */
static char *fmt(const char *text, size_t len, size_t *olen)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_buf out = { 0 };
    int rc = cp_fmt_source("t.cp", text, len, &out, &d);
    cp_diags_free(&d);
    if (rc != 0) {
        cp_buf_free(&out);
        return NULL;
    }
    if (!out.data) cp_buf_adds(&out, "");
    *olen = out.len;
    return cp_buf_steal(&out);
}

static char *ast_of(const char *text, size_t len)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "t.cp", text, len);
    cp_file *f = cp_parse_source(&s, id, &d);
    cp_buf b = { 0 };
    ast_dump_body(&b, f->body);
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
    return cp_buf_steal(&b);
}

/* Idempotent and meaning-preserving; returns the formatted text. */
static char *check_stable(const char *name, const char *text, size_t len, size_t *olen)
{
    char *once = fmt(text, len, olen);
    if (!once) fail_msg("%s: refused", name);
    size_t tlen;
    char *twice = fmt(once, *olen, &tlen);
    assert_non_null(twice);
    if (tlen != *olen || memcmp(once, twice, tlen) != 0)
        fail_msg("%s: not idempotent\n--- once\n%s--- twice\n%s", name, once, twice);
    char *a = ast_of(text, len), *b = ast_of(once, *olen);
    if (strcmp(a, b) != 0) fail_msg("%s: meaning changed\n%s\n%s", name, a, b);
    free(a);
    free(b);
    free(twice);
    return once;
}

typedef void (*file_fn)(const char *dir, const char *name, int *count);

static void each_cp(const char *dir, file_fn fn, int *count)
{
    DIR *dp = opendir(dir);
    if (!dp) fail_msg("cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 3 && strcmp(e->d_name + n - 3, ".cp") == 0) fn(dir, e->d_name, count);
    }
    closedir(dp);
}

static void golden_one(const char *dir, const char *name, int *count)
{
    char *path = cp_xasprintf("%s/%s", dir, name);
    char *exp_path = cp_xasprintf("%.*s.expected", (int)(strlen(path) - 3), path);
    size_t len, olen, elen;
    char *text = read_all(path, &len);
    char *got = check_stable(name, text, len, &olen);
    if (getenv("CPSTACK_GOLDEN_UPDATE")) {
        FILE *o = fopen(exp_path, "wb");
        fwrite(got, 1, olen, o);
        fclose(o);
    } else {
        char *want = read_all(exp_path, &elen);
        if (!want || elen != olen || memcmp(want, got, olen) != 0)
            fail_msg("%s: golden mismatch\n--- expected\n%s--- got\n%s", name, want ? want : "",
                     got);
        free(want);
    }
    (*count)++;
    free(got);
    free(text);
    free(exp_path);
    free(path);
}

static void stable_one(const char *dir, const char *name, int *count)
{
    char *path = cp_xasprintf("%s/%s", dir, name);
    size_t len, olen;
    char *text = read_all(path, &len);
    char *got = check_stable(name, text, len, &olen);
    if (olen != len || memcmp(got, text, len) != 0)
        fail_msg("%s is not in canonical form; run cpstack fmt on it\n%s", name, got);
    (*count)++;
    free(got);
    free(text);
    free(path);
}

static void test_golden(void **st)
{
    (void)st;
    char *dir = cp_xasprintf("%s/fmt", getenv("CPSTACK_GOLDEN"));
    int n = 0;
    each_cp(dir, golden_one, &n);
    assert_true(n >= 8);
    free(dir);
}

/* Every .cp of examples/ and of each examples/<name>/ folder. */
static void test_examples_canonical(void **st)
{
    (void)st;
    int n = 0;
    const char *root = getenv("CPSTACK_EXAMPLES");
    each_cp(root, stable_one, &n);
    DIR *dp = opendir(root);
    if (!dp) fail_msg("cannot open %s", root);
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *sub = cp_xasprintf("%s/%s", root, e->d_name);
        DIR *sd = opendir(sub);
        if (sd) {
            closedir(sd);
            each_cp(sub, stable_one, &n);
        }
        free(sub);
    }
    closedir(dp);
    assert_true(n >= 10);
}

static void test_refuses_errors(void **st)
{
    (void)st;
    cp_diags d;
    cp_diags_init(&d);
    cp_buf out = { 0 };
    const char *bad = "a = = 1\nb = \"x\n";
    assert_int_equal(cp_fmt_source("bad.cp", bad, strlen(bad), &out, &d), -1);
    assert_int_equal(out.len, 0);
    assert_int_equal(d.errors, 2);
    assert_string_equal(d.items[0].msg,
                        "bad.cp:1:5: expected an expression after \"=\", got \"=\"");
    cp_diags_free(&d);

    cp_sources s;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "bad.cp", bad, strlen(bad));
    assert_int_equal(cp_fmt_file(&s, id, &out, &d), -1);
    assert_int_equal(d.items[0].loc.line, 1);
    cp_diags_free(&d);
    cp_sources_free(&s);
}

static void test_small_cases(void **st)
{
    (void)st;
    size_t n;
    char *o = fmt("", 0, &n);
    assert_string_equal(o, "");
    free(o);
    o = fmt("\n\n# c", 5, &n);
    assert_string_equal(o, "# c\n");
    free(o);
    const char *t = "a   =   1   \n";
    o = fmt(t, strlen(t), &n);
    assert_string_equal(o, "a = 1\n");
    free(o);
    /* An attribute of a number literal keeps its space: `0.z` would be
     * read back as a number (found by fuzz_frontend). */
    const char *cases[][2] = {
        { "j = x . y [ 0 . z]\n", "j = x.y[0 .z]\n" },
        { "j = x[0 . 5]\n", "j = x[0 .5]\n" },
        { "j = a.0 . b\n", "j = a.0.b\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        o = fmt(cases[i][0], strlen(cases[i][0]), &n);
        assert_string_equal(o, cases[i][1]);
        char *again = fmt(o, strlen(o), &n);
        assert_string_equal(again, o);
        free(again);
        free(o);
    }
}

static void test_diff(void **st)
{
    (void)st;
    const char *a = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n";
    const char *b = "l1\nl2\nl3\nL4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\n";
    cp_buf out = { 0 };
    cp_fmt_diff(&out, "main.cp", a, strlen(a), b, strlen(b));
    assert_string_equal(
        out.data,
        "--- old/main.cp\n+++ new/main.cp\n"
        "@@ -1,10 +1,11 @@\n l1\n l2\n l3\n-l4\n+L4\n l5\n l6\n l7\n l8\n l9\n l10\n+l11\n");
    cp_buf_reset(&out);
    const char *c = "l1\nl2\nl3\nL4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\n";
    const char *e = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nL12\n";
    cp_fmt_diff(&out, "m.cp", c, strlen(c), e, strlen(e));
    assert_string_equal(out.data, "--- old/m.cp\n+++ new/m.cp\n"
                                  "@@ -1,7 +1,7 @@\n l1\n l2\n l3\n-L4\n+l4\n l5\n l6\n l7\n"
                                  "@@ -9,4 +9,4 @@\n l9\n l10\n l11\n-l12\n+L12\n");
    cp_buf_reset(&out);
    cp_fmt_diff(&out, "main.cp", a, strlen(a), a, strlen(a));
    assert_int_equal(out.len, 0);
    cp_fmt_diff(&out, "x.cp", "a", 1, "a\n", 2);
    assert_string_equal(
        out.data,
        "--- old/x.cp\n+++ new/x.cp\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+a\n");
    cp_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),         cmocka_unit_test(test_examples_canonical),
        cmocka_unit_test(test_refuses_errors), cmocka_unit_test(test_small_cases),
        cmocka_unit_test(test_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
