/*
 * test_value_checks.c: breaking value.h's rules fails loudly (death tests).
 *
 * Each case runs in a forked child with stderr captured; the parent asserts
 * the child died of SIGABRT and said why. CP_CHECK cases hold in every
 * build; the assert cases hold where asserts are on (the default build), and
 * in an NDEBUG build the same calls must give the documented fallback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/value.h"

/* Runs fn in a child; returns its wait status and what it wrote to stderr. */
static int run_child(void (*fn)(void), char *err, size_t errsz)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none); /* no core files from the aborts */
        dup2(fds[1], 2);
        close(fds[0]);
        fn();
        _exit(0); /* not reached when the check fires */
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < errsz && (r = read(fds[0], err + n, errsz - 1 - n)) > 0) n += (size_t)r;
    err[n] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void expect_abort(void (*fn)(void), const char *want)
{
    char err[4096];
    int status = run_child(fn, err, sizeof err);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
        fail_msg("child did not abort (status 0x%x), stderr: %s", status, err);
    if (!strstr(err, want)) fail_msg("stderr lacks \"%s\": %s", want, err);
}

/* --- always checked (CP_CHECK) -------------------------------------------- */

static void push_onto_map(void) { cp_list_push_take(cp_map_new(), cp_number(1)); }
static void push_onto_string(void) { cp_list_push_take(cp_string("x"), cp_number(1)); }
static void push_onto_null(void) { cp_list_push_take(cp_null(), cp_string("x")); }
static void push_null_item(void) { cp_list_push_take(cp_list_new(), NULL); }

static void push_into_itself(void)
{
    cp_value *l = cp_list_new();
    cp_list_push_take(l, l);
}

static void set_into_list(void) { cp_map_set_take(cp_list_new(), "k", cp_number(1)); }
static void set_into_unknown(void) { cp_map_set_take(cp_unknown(), "k", cp_number(1)); }
static void set_null_key(void) { cp_map_set_take(cp_map_new(), NULL, cp_number(1)); }
static void set_null_value(void) { cp_map_set_take(cp_map_new(), "k", NULL); }
static void string_take_null(void) { cp_string_take(NULL); }
static void mark_like_take_null(void) { cp_mark_like_take(NULL, cp_null()); }

static void test_builders_refuse_wrong_kind(void **state)
{
    (void)state;
    const char *why = "cp_list_push_take onto a non-list";
    expect_abort(push_onto_map, "cpstack: internal error: ");
    expect_abort(push_onto_map, why);
    expect_abort(push_onto_string, why);
    expect_abort(push_onto_null, why);
    expect_abort(set_into_list, "cp_map_set_take into a non-map");
    expect_abort(set_into_unknown, "cp_map_set_take into a non-map");
}

static void test_take_arguments_must_be_live(void **state)
{
    (void)state;
    expect_abort(push_null_item, "cp_list_push_take of a released or NULL item");
    expect_abort(set_null_value, "cp_map_set_take of a released or NULL value");
    expect_abort(mark_like_take_null, "cp_mark_like_take of a released or NULL value");
    expect_abort(string_take_null, "cp_string_take of NULL");
    expect_abort(set_null_key, "cp_map_set_take with a NULL key");
    expect_abort(push_into_itself, "cp_list_push_take of a list into itself");
}

/* The message is one line naming the source place and the function. */
static void test_message_is_one_line(void **state)
{
    (void)state;
    char err[4096];
    int status = run_child(push_onto_map, err, sizeof err);
    assert_true(WIFSIGNALED(status));
    assert_true(strncmp(err, "cpstack: internal error: ", 25) == 0);
    assert_non_null(strstr(err, "value.c:"));
    assert_non_null(strstr(err, ": cp_list_push_take: "));
    char *nl = strchr(err, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[1], '\0');
}

/* --- debug builds (assert) -------------------------------------------------- */

static void string_val_of_number(void) { cp_string_val(cp_number(1)); }
static void string_len_of_null(void) { cp_string_len(cp_null()); }
static void number_val_of_string(void) { cp_number_val(cp_string("1")); }
static void bool_val_of_unknown(void) { cp_bool_val(cp_unknown()); }
static void len_of_string(void) { cp_len(cp_string("abc")); }
static void list_get_of_map(void) { cp_list_get(cp_map_new(), 0); }
static void map_get_of_list(void) { cp_map_get(cp_list_new(), "k"); }
static void map_key_past_end(void) { cp_map_key_at(cp_map_new(), 0); }

static void push_onto_shared(void)
{
    cp_value *l = cp_list_new();
    cp_retain(l);
    cp_list_push_take(l, cp_null());
}

static void test_accessors_assert_kind(void **state)
{
    (void)state;
#ifdef NDEBUG
    skip();
#else
    const char *a = "Assertion";
    expect_abort(string_val_of_number, a);
    expect_abort(string_val_of_number, "cp_string_val");
    expect_abort(string_len_of_null, "cp_string_len");
    expect_abort(number_val_of_string, "cp_number_val");
    expect_abort(bool_val_of_unknown, "cp_bool_val");
    expect_abort(len_of_string, "cp_len");
    expect_abort(list_get_of_map, "cp_list_get");
    expect_abort(map_get_of_list, "cp_map_get");
    expect_abort(map_key_past_end, "cp_map_key_at");
    expect_abort(push_onto_shared, "refs == 1");
#endif
}

/* Release builds keep the documented fallbacks (run in an NDEBUG build). */
static void test_release_fallbacks(void **state)
{
    (void)state;
#ifndef NDEBUG
    skip();
#else
    cp_value *n = cp_number(1), *s = cp_string("abc"), *m = cp_map_new(), *l = cp_list_new();
    assert_string_equal(cp_string_val(n), "");
    assert_int_equal(cp_string_len(cp_null()), 0);
    assert_true(cp_number_val(s) == 0);
    assert_false(cp_bool_val(cp_unknown()));
    assert_int_equal(cp_len(s), 0);
    assert_null(cp_list_get(m, 0));
    assert_null(cp_map_get(l, "k"));
    assert_null(cp_map_key_at(m, 0));
    cp_release(n);
    cp_release(s);
    cp_release(m);
    cp_release(l);
#endif
}

/* The right kinds pass every check, singletons included. */
static void test_right_kinds_pass(void **state)
{
    (void)state;
    cp_value *l = cp_list_new(), *m = cp_map_new();
    cp_list_push_take(l, cp_null());
    cp_list_push_take(l, cp_unknown());
    cp_list_push_take(l, cp_bool(true));
    cp_map_set_take(m, "b", cp_string("x"));
    cp_map_set_take(m, "a", cp_retain(l));
    cp_map_set_take(m, "b", cp_number(2)); /* replaces */
    assert_int_equal(cp_len(l), 3);
    assert_true(cp_bool_val(cp_list_get(l, 2)));
    assert_null(cp_list_get(l, 3));
    assert_int_equal(cp_len(m), 2);
    assert_string_equal(cp_map_key_at(m, 0), "a");
    assert_true(cp_number_val(cp_map_get(m, "b")) == 2);
    assert_null(cp_map_get(m, "zz"));
    cp_release(l);
    cp_release(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builders_refuse_wrong_kind),
        cmocka_unit_test(test_take_arguments_must_be_live),
        cmocka_unit_test(test_message_is_one_line),
        cmocka_unit_test(test_accessors_assert_kind),
        cmocka_unit_test(test_release_fallbacks),
        cmocka_unit_test(test_right_kinds_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
