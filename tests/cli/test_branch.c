/*
 * test_branch.c: which branch a run deploys, and its AWS-safe form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/branch.h"

static const char *env_vals[16][2];

static const char *fake_getenv(const char *name)
{
    for (int i = 0; i < 16 && env_vals[i][0]; i++)
        if (!strcmp(env_vals[i][0], name)) return env_vals[i][1];
    return NULL;
}

static void set_env(int i, const char *k, const char *v)
{
    env_vals[i][0] = k;
    env_vals[i][1] = v;
    env_vals[i + 1][0] = NULL;
}

static void check_sanitize(const char *raw, const char *want)
{
    char *got = cp_branch_sanitize(raw, CP_BRANCH_MAX_LEN);
    assert_string_equal(got, want);
    free(got);
}

static void test_sanitize(void **st)
{
    (void)st;
    check_sanitize("main", "main");
    check_sanitize("Feature/JIRA-123_new login", "feature-jira-123-new-login");
    check_sanitize("--a--b--", "a-b");
    check_sanitize("", "default");
    check_sanitize("///", "default");
    check_sanitize("ÄÖ-umlaut", "umlaut");
}

static void test_sanitize_long_names_keep_apart(void **st)
{
    (void)st;
    char *a = cp_branch_sanitize("feature/a-very-long-branch-name-that-goes-on-and-on-1", 32);
    char *b = cp_branch_sanitize("feature/a-very-long-branch-name-that-goes-on-and-on-2", 32);
    assert_true(strlen(a) <= 32);
    assert_true(strlen(b) <= 32);
    assert_string_not_equal(a, b);
    assert_int_equal(strncmp(a, "feature-a-very-long-bra", 23), 0);
    char *a2 = cp_branch_sanitize("feature/a-very-long-branch-name-that-goes-on-and-on-1", 32);
    assert_string_equal(a, a2); /* stable */
    free(a);
    free(b);
    free(a2);
}

static void test_detect_order(void **st)
{
    (void)st;
    const char *src;
    set_env(0, "CPSTACK_BRANCH", "from-env");
    set_env(1, "GITHUB_HEAD_REF", "from-gh");
    char *b = cp_branch_detect("from-flag", "/nonexistent", fake_getenv, &src);
    assert_string_equal(b, "from-flag");
    assert_string_equal(src, "-branch");
    free(b);
    b = cp_branch_detect(NULL, "/nonexistent", fake_getenv, &src);
    assert_string_equal(b, "from-env");
    assert_string_equal(src, "CPSTACK_BRANCH");
    free(b);
    set_env(0, "GITHUB_HEAD_REF", "from-gh");
    b = cp_branch_detect(NULL, "/nonexistent", fake_getenv, &src);
    assert_string_equal(b, "from-gh");
    free(b);
}

static void test_detect_git(void **st)
{
    (void)st;
    char dir[] = "/tmp/cpbranchXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/.git", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/.git/HEAD", dir);
    FILE *f = fopen(path, "w");
    fputs("ref: refs/heads/feature/x\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/stacks/web", dir);
    char mid[512];
    snprintf(mid, sizeof mid, "%s/stacks", dir);
    mkdir(mid, 0700);
    mkdir(path, 0700);
    set_env(0, "UNRELATED", "x");
    const char *src;
    char *b = cp_branch_detect(NULL, path, fake_getenv, &src); /* found upwards */
    assert_string_equal(b, "feature/x");
    assert_string_equal(src, "git");
    free(b);
    /* detached HEAD: no branch → default */
    snprintf(path, sizeof path, "%s/.git/HEAD", dir);
    f = fopen(path, "w");
    fputs("0123456789abcdef0123456789abcdef01234567\n", f);
    fclose(f);
    b = cp_branch_detect(NULL, dir, fake_getenv, &src);
    assert_string_equal(b, "default");
    free(b);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_sanitize_long_names_keep_apart),
        cmocka_unit_test(test_detect_order),
        cmocka_unit_test(test_detect_git),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
