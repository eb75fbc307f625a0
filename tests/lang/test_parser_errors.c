/*
 * test_parser_errors.c: golden error messages. Every golden/errors/NAME.cp
 * is parsed and its diagnostics printed exactly as cpstack prints them;
 * the text must equal NAME.expected byte for byte. With
 * CPSTACK_GOLDEN_UPDATE=1 the .expected files are (re)written instead, to
 * be reviewed by hand.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lang/ast.h"
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

static int check_one(const char *dir, const char *name)
{
    char *path = cp_xasprintf("%s/%s", dir, name);
    size_t len;
    char *text = read_all(path, &len);
    assert_non_null(text);
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, name, text, len);
    cp_file *f = cp_parse_source(&s, id, &d);
    char *got = NULL;
    size_t glen = 0;
    FILE *mem = open_memstream(&got, &glen);
    cp_diags_print(&d, &s, mem, false);
    fclose(mem);
    char *exp_path = cp_xasprintf("%.*s.expected", (int)(strlen(path) - 3), path);
    int bad = 0;
    if (getenv("CPSTACK_GOLDEN_UPDATE")) {
        FILE *o = fopen(exp_path, "wb");
        assert_non_null(o);
        fwrite(got, 1, glen, o);
        fclose(o);
    } else {
        size_t elen;
        char *want = read_all(exp_path, &elen);
        if (!want || elen != glen || memcmp(want, got, glen) != 0) {
            fprintf(stderr, "golden mismatch for %s\n--- expected\n%s--- got\n%s", name,
                    want ? want : "(missing)\n", got);
            bad = 1;
        }
        free(want);
    }
    if (d.errors == 0) {
        fprintf(stderr, "%s: expected at least one error\n", name);
        bad = 1;
    }
    free(got);
    free(exp_path);
    cp_file_free(f);
    cp_diags_free(&d);
    cp_sources_free(&s);
    free(text);
    free(path);
    return bad;
}

static void test_golden_errors(void **st)
{
    (void)st;
    const char *root = getenv("CPSTACK_GOLDEN");
    assert_non_null(root);
    char *dir = cp_xasprintf("%s/errors", root);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    int cases = 0, bad = 0;
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".cp") != 0) continue;
        bad += check_one(dir, e->d_name);
        cases++;
    }
    closedir(dp);
    free(dir);
    assert_true(cases >= 20);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_golden_errors) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
