/*
 * test_cpstack.c: the cpstack provider's data source cpstack_stack through
 * the provider interface, with a fake host (tests/cli/stack_data.sh runs it
 * for real against local and S3 state): what it asks the host for (the
 * branch defaulting to this run's), outputs and their sensitive marks kept,
 * and one-line errors for a stack with no state and a host that fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "providers/attrs.h"
#include "providers/builtin.h"
#include "util/xalloc.h"

typedef struct fake {
    cp_value *last_ref; /* what the provider asked for */
    bool found, fail;
} fake;

static int fake_read(void *ud, const cp_value *ref, cp_value **outputs, bool *found, char **where,
                     char **err)
{
    fake *f = ud;
    cp_release(f->last_ref);
    f->last_ref = cp_retain(ref);
    if (f->fail) {
        *err = cp_xstrdup("S3 state network/main.cpstate: GetObject: AccessDenied");
        return -1;
    }
    *found = f->found;
    *where = cp_xstrdup("./../network/.cpstack/main.cpstate");
    *outputs = NULL;
    if (!f->found) return 0;
    cp_value *m = cp_map_new(), *pw = cp_string("hidden");
    cp_map_set_take(m, "vpc_id", cp_string("vpc-1"));
    cp_map_set_take(m, "password", cp_mark_sensitive(pw));
    cp_release(pw);
    *outputs = m;
    return 0;
}

static const cp_resource_type *stack_type(void) { return cp_provider_cpstack.types[0]; }

static int read_stack(fake *f, const char *branch_setting, const char *stack, const char *branch,
                      cp_value **out, char **err)
{
    cp_provider_host host = { fake_read, f };
    cp_value *settings = cp_map_new(), *cfg = cp_map_new();
    cp_set_str(settings, "branch", branch_setting);
    cp_set_str(cfg, "stack", stack);
    if (branch) cp_set_str(cfg, "branch", branch);
    void *client = NULL;
    char *cerr = NULL;
    assert_int_equal(cp_provider_cpstack.configure_host(settings, &host, &client, &cerr), 0);
    cp_provider_call c = { .client = client, .address = "data.cpstack_stack.net" };
    *out = NULL;
    int rc = stack_type()->read_data(&c, cfg, out);
    *err = c.error;
    cp_provider_cpstack.close(client);
    cp_release(settings);
    cp_release(cfg);
    return rc;
}

static void test_outputs_and_marks(void **st)
{
    (void)st;
    fake f = { .found = true };
    cp_value *s;
    char *err;
    assert_int_equal(read_stack(&f, "feature-x", "network", NULL, &s, &err), 0);
    /* the branch defaults to this run's */
    assert_string_equal(cp_get_str(f.last_ref, "branch"), "feature-x");
    assert_string_equal(cp_get_str(f.last_ref, "stack"), "network");
    assert_true(cp_is_null(cp_map_get(f.last_ref, "dir")));
    assert_string_equal(cp_get_str(s, "id"), "network/feature-x");
    const cp_value *outs = cp_get_map(s, "outputs");
    assert_string_equal(cp_string_val(cp_map_get(outs, "vpc_id")), "vpc-1");
    assert_true(cp_is_sensitive(cp_map_get(outs, "password")));
    assert_false(cp_is_sensitive(cp_map_get(outs, "vpc_id")));
    cp_release(s);
    assert_int_equal(read_stack(&f, "feature-x", "network", "main", &s, &err), 0);
    assert_string_equal(cp_get_str(f.last_ref, "branch"), "main");
    assert_string_equal(cp_get_str(s, "branch"), "main");
    cp_release(s);
    cp_release(f.last_ref);
}

static void test_errors(void **st)
{
    (void)st;
    fake f = { .found = false };
    cp_value *s;
    char *err;
    assert_int_equal(read_stack(&f, "main", "network", NULL, &s, &err), -1);
    assert_null(strchr(err, '\n'));
    assert_string_equal(err, "data.cpstack_stack.net: stack \"network\" has no state on branch "
                             "\"main\" (looked in ./../network/.cpstack/main.cpstate); apply it "
                             "there first, or set branch, dir or backend");
    free(err);
    f.fail = true;
    assert_int_equal(read_stack(&f, "main", "network", NULL, &s, &err), -1);
    assert_string_equal(err, "data.cpstack_stack.net: reading stack \"network\": S3 state "
                             "network/main.cpstate: GetObject: AccessDenied");
    free(err);
    cp_release(f.last_ref);
    /* without a host the provider cannot work, and says so */
    void *client = NULL;
    cp_value *settings = cp_map_new();
    assert_int_equal(cp_provider_cpstack.configure(settings, &client, &err), -1);
    assert_non_null(strstr(err, "needs a program that can read stack state"));
    free(err);
    cp_release(settings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outputs_and_marks),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
