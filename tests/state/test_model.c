/*
 * test_model.c: the in-memory state (state/state.h): find/put/remove, the
 * stable order, resource ranges, copies, frozen instances, outputs, the
 * dirty flag, sensitive marks <-> paths, and a randomised check of the hash
 * index against a plain list at 10,000+ instances.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "state/state.h"
#include "util/xalloc.h"

static const char *const sample_order[] = {
    "aws_db_instance.main",
    "aws_s3_bucket.logs[\"a\"]",
    "aws_s3_bucket.logs[\"we \\\"quoted\\\"\\nkey\"]",
    "aws_subnet.private[0]",
    "aws_subnet.private[2]",
    "aws_subnet.private[10]",
    "data.aws_ami.al2",
};

static void test_order(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    assert_int_equal(cp_state_count(s), 7);
    for (size_t i = 0; i < cp_state_count(s); i++)
        assert_string_equal(cp_instance_addr_str(cp_state_at(s, i)), sample_order[i]);
    assert_null(cp_state_at(s, 7));
    cp_state_free(s);
}

static void test_find_put_remove(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    const cp_instance *i = cp_state_find_str(s, "aws_subnet.private[2]");
    assert_non_null(i);
    assert_string_equal(cp_string_val(cp_map_get(cp_instance_attrs(i), "id")), "subnet-2");
    assert_null(cp_state_find_str(s, "aws_subnet.private[3]"));
    assert_null(cp_state_find_str(s, "not an address"));
    /* Replace: same count, new content. */
    cp_instance *c = cp_instance_copy(i);
    cp_instance_set_status(c, CP_STATUS_TAINTED);
    cp_state_put_take(s, c);
    assert_int_equal(cp_state_count(s), 7);
    assert_int_equal(cp_instance_status(cp_state_find_str(s, "aws_subnet.private[2]")),
                     CP_STATUS_TAINTED);
    /* Remove. */
    cp_addr a;
    assert_true(cp_addr_parse("aws_subnet.private[2]", &a, NULL));
    assert_true(cp_state_remove(s, &a));
    assert_false(cp_state_remove(s, &a));
    assert_null(cp_state_find(s, &a));
    assert_int_equal(cp_state_count(s), 6);
    cp_addr_clear(&a);
    cp_state_free(s);
}

static void test_resource_range(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    cp_addr r;
    size_t first = 99;
    assert_true(cp_addr_parse("aws_subnet.private", &r, NULL));
    assert_int_equal(cp_state_resource_range(s, &r, &first), 3);
    assert_int_equal(first, 3);
    cp_addr_clear(&r);
    assert_true(cp_addr_parse("aws_s3_bucket.logs[5]", &r, NULL)); /* key ignored */
    assert_int_equal(cp_state_resource_range(s, &r, &first), 2);
    assert_int_equal(first, 1);
    cp_addr_clear(&r);
    assert_true(cp_addr_parse("aws_vpc.main", &r, NULL));
    assert_int_equal(cp_state_resource_range(s, &r, &first), 0);
    cp_addr_clear(&r);
    cp_state_free(s);
}

static void test_copy_is_independent(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    cp_state *c = cp_state_copy(s);
    assert_string_equal(cp_state_lineage(c), cp_state_lineage(s));
    cp_addr a;
    assert_true(cp_addr_parse("aws_db_instance.main", &a, NULL));
    assert_true(cp_state_remove(c, &a));
    cp_state_set_output(c, "extra", cp_null(), false);
    assert_non_null(cp_state_find(s, &a));
    assert_null(cp_state_output(s, "extra", NULL));
    assert_int_equal(cp_state_count(c), 6);
    assert_non_null(cp_state_find_str(c, "aws_subnet.private[10]"));
    cp_addr_clear(&a);
    cp_state_free(s);
    assert_non_null(cp_state_find_str(c, "data.aws_ami.al2")); /* outlives the original */
    cp_state_free(c);
}

static void test_frozen_instance_aborts(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    pid_t pid = fork();
    if (pid == 0) {
        fclose(stderr); /* keep the test log quiet */
        cp_instance_set_status((cp_instance *)cp_state_at(s, 0), CP_STATUS_TAINTED);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    cp_state_free(s);
}

static void test_outputs(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    bool sens = false;
    assert_int_equal(cp_state_output_count(s), 2);
    assert_string_equal(cp_state_output_name(s, 0), "db_password"); /* sorted */
    const cp_value *v = cp_state_output(s, "db_password", &sens);
    assert_true(sens);
    assert_true(cp_is_sensitive(v));
    assert_false(cp_state_output_sensitive(s, 1));
    /* A value containing a secret makes the output sensitive. */
    cp_value *m = cp_map_new(), *pw = cp_string("x");
    cp_map_set_take(m, "pw", cp_mark_sensitive(pw));
    cp_state_set_output(s, "url", m, false);
    assert_true(cp_state_output_sensitive(s, 1));
    assert_true(cp_state_remove_output(s, "url"));
    assert_false(cp_state_remove_output(s, "url"));
    assert_null(cp_state_output(s, "url", NULL));
    cp_release(m);
    cp_release(pw);
    cp_state_free(s);
}

static void test_dirty(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    assert_true(cp_state_dirty(s));
    cp_state_mark_clean(s);
    cp_state_set_serial(s, 5);
    assert_false(cp_state_dirty(s));
    cp_state_put_take(s, cp_instance_new_str("a.b", NULL));
    assert_true(cp_state_dirty(s));
    cp_state_free(s);
    s = cp_state_new("x", "y");
    assert_int_equal(strlen(cp_state_lineage(s)), 36);
    assert_int_equal(cp_state_lineage(s)[14], '4');
    cp_state *t = cp_state_new("x", "y");
    assert_string_not_equal(cp_state_lineage(s), cp_state_lineage(t));
    cp_state_free(s);
    cp_state_free(t);
}

static void test_deps_sorted_unique(void **state)
{
    (void)state;
    cp_instance *i = cp_instance_new_str("a.b", NULL);
    char *err = NULL;
    assert_true(cp_instance_add_dep_str(i, "z.z", NULL));
    assert_true(cp_instance_add_dep_str(i, "c.d[1]", NULL));
    assert_true(cp_instance_add_dep_str(i, "z.z", NULL));
    assert_false(cp_instance_add_dep_str(i, "z.", &err));
    assert_non_null(strstr(err, "invalid address \"z.\""));
    free(err);
    assert_int_equal(cp_instance_dep_count(i), 2);
    assert_string_equal(cp_instance_dep(i, 0), "c.d[1]");
    assert_string_equal(cp_instance_dep(i, 1), "z.z");
    assert_null(cp_instance_dep(i, 2));
    cp_instance_clear_deps(i);
    assert_int_equal(cp_instance_dep_count(i), 0);
    assert_null(cp_instance_new_str("bad", &err));
    free(err);
    cp_instance_release(i);
}

/* --- sensitive paths ------------------------------------------------------ */
static void test_sensitive_paths_roundtrip(void **state)
{
    (void)state;
    cp_state *s = th_sample_state();
    const cp_value *attrs = cp_instance_attrs(cp_state_find_str(s, "aws_db_instance.main"));
    cp_value *paths = cp_sensitive_paths(attrs);
    char *text = cp_value_repr(paths);
    assert_string_equal(text, "[[\"password\"], [\"tags\", \"Secret\"]]");
    free(text);
    cp_value *plain = cp_map_new(), *back = NULL;
    for (size_t i = 0; i < cp_len(attrs); i++) {
        cp_value *u = cp_unmark(cp_map_value_at(attrs, i));
        if (cp_kind_of(u) == CP_MAP) { /* unmark nested tags too */
            cp_value *m = cp_map_new();
            for (size_t j = 0; j < cp_len(u); j++)
                cp_map_set_take(m, cp_map_key_at(u, j), cp_unmark(cp_map_value_at(u, j)));
            cp_release(u);
            u = m;
        }
        cp_map_set_take(plain, cp_map_key_at(attrs, i), u);
    }
    assert_false(cp_contains_sensitive(plain));
    assert_true(cp_apply_sensitive_paths(plain, paths, &back, NULL));
    assert_true(cp_equal(back, attrs));
    assert_true(cp_is_sensitive(cp_map_get(back, "password")));
    assert_true(cp_is_sensitive(cp_map_get(cp_map_get(back, "tags"), "Secret")));
    assert_false(cp_is_sensitive(cp_map_get(cp_map_get(back, "tags"), "Name")));
    assert_false(cp_is_sensitive(cp_map_get(back, "id")));
    cp_release(back);
    cp_release(plain);
    cp_release(paths);
    cp_state_free(s);
}

static void test_sensitive_paths_lists_and_root(void **state)
{
    (void)state;
    cp_value *l = cp_list_new(), *x = cp_string("k"), *root;
    cp_list_push_take(l, cp_string("a"));
    cp_list_push_take(l, cp_mark_sensitive(x));
    root = cp_mark_sensitive(l);
    cp_value *paths = cp_sensitive_paths(root);
    char *text = cp_value_repr(paths);
    assert_string_equal(text, "[[], [1]]");
    free(text);
    cp_value *plain = cp_list_new(), *back = NULL;
    cp_list_push_take(plain, cp_string("a"));
    cp_list_push_take(plain, cp_string("k"));
    assert_true(cp_apply_sensitive_paths(plain, paths, &back, NULL));
    assert_true(cp_is_sensitive(back));
    assert_true(cp_is_sensitive(cp_list_get(back, 1)));
    assert_false(cp_is_sensitive(cp_list_get(back, 0)));
    cp_release(back);
    /* Paths naming nothing are ignored; malformed ones are refused. */
    cp_value *odd = cp_list_new(), *p = cp_list_new();
    cp_list_push_take(p, cp_number(7));
    cp_list_push_take(odd, p);
    assert_true(cp_apply_sensitive_paths(plain, odd, &back, NULL));
    assert_false(cp_contains_sensitive(back));
    cp_release(back);
    cp_value *bad = cp_list_new(), *q = cp_list_new();
    cp_list_push_take(q, cp_bool(true));
    cp_list_push_take(bad, q);
    char *err = NULL;
    assert_false(cp_apply_sensitive_paths(plain, bad, &back, &err));
    assert_non_null(strstr(err, "not a list of keys and indexes"));
    free(err);
    cp_release(bad);
    cp_release(odd);
    cp_release(plain);
    cp_release(paths);
    cp_release(root);
    cp_release(l);
    cp_release(x);
}

/* --- the hash index at scale, against a plain reference --------------------- */
static void test_index_randomised(void **state)
{
    (void)state;
    enum { N = 12000 };
    bool *present = cp_xcalloc(N, sizeof *present);
    cp_state *s = cp_state_new("big", "main");
    srand(12345);
    for (int round = 0; round < 4 * N; round++) {
        int k = rand() % N;
        char addr[64];
        snprintf(addr, sizeof addr, k % 3 ? "t%d.r[%d]" : "t%d.r[\"%d\"]", k % 7, k);
        cp_addr a;
        assert_true(cp_addr_parse(addr, &a, NULL));
        if (rand() % 4 == 0) {
            assert_int_equal(cp_state_remove(s, &a), present[k]);
            present[k] = false;
        } else {
            cp_state_put_take(s, cp_instance_new(&a));
            present[k] = true;
        }
        cp_addr_clear(&a);
    }
    size_t expect = 0;
    for (int k = 0; k < N; k++) {
        char addr[64];
        snprintf(addr, sizeof addr, k % 3 ? "t%d.r[%d]" : "t%d.r[\"%d\"]", k % 7, k);
        assert_int_equal(cp_state_find_str(s, addr) != NULL, present[k]);
        expect += present[k];
    }
    assert_int_equal(cp_state_count(s), expect);
    for (size_t i = 1; i < cp_state_count(s); i++)
        assert_true(cp_addr_compare(cp_instance_addr(cp_state_at(s, i - 1)),
                                    cp_instance_addr(cp_state_at(s, i))) < 0);
    cp_state_free(s);
    free(present);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_find_put_remove),
        cmocka_unit_test(test_resource_range),
        cmocka_unit_test(test_copy_is_independent),
        cmocka_unit_test(test_frozen_instance_aborts),
        cmocka_unit_test(test_outputs),
        cmocka_unit_test(test_dirty),
        cmocka_unit_test(test_deps_sorted_unique),
        cmocka_unit_test(test_sensitive_paths_roundtrip),
        cmocka_unit_test(test_sensitive_paths_lists_and_root),
        cmocka_unit_test(test_index_randomised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
