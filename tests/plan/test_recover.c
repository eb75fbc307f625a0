/*
 * test_recover.c: the recovery key of an interrupted create (plan/recover.c):
 * what the intent records (UUID, time, a made-up name), that no state keeps
 * the reserved keys, and the look-up: find(), read() by id, or "cannot tell"
 * with the commands to run (never "nothing there" without looking).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan/recover.h"
#include "util/xalloc.h"

static const char *str(const cp_value *m, const char *k)
{
    const cp_value *v = cp_map_get(m, k);
    return v && cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
}

static int reads; /* calls of fake_read */

static int fake_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    (void)c;
    reads++;
    *out = cp_retain(state);
    return 0;
}

static int fake_find(cp_provider_call *c, const cp_value *intent, cp_value **out)
{
    (void)c;
    *out = strcmp(str(intent, "name"), "there") ? NULL : cp_retain(intent);
    return 0;
}

static cp_value *config(const char *name, const char *prefix)
{
    cp_value *m = cp_map_new();
    cp_map_set_take(m, "name", name ? cp_string(name) : cp_null());
    if (prefix) cp_map_set_take(m, "name_prefix", cp_string(prefix));
    return m;
}

static void test_prepare_records_uuid_time_and_name(void **state)
{
    (void)state;
    cp_resource_type rt = { .name = "t",
                            .recovery = CP_RECOVER_NAME,
                            .recovery_name = "name",
                            .recovery_prefix = "name_prefix" };
    cp_value *cfg = config(NULL, "web-");
    cp_value *in = cp_recover_prepare(&rt, cfg);
    assert_int_equal(strlen(str(in, CP_INTENT_KEY)), 36);
    assert_int_equal(strlen(str(in, CP_INTENT_AT_KEY)), 20);
    const char *name = str(in, "name");
    assert_non_null(name);
    assert_int_equal(strncmp(name, "web-", 4), 0);
    assert_int_equal(strlen(name), 4 + 26);
    cp_value *again = cp_recover_prepare(&rt, cfg); /* a fresh UUID and name each time */
    assert_string_not_equal(str(in, CP_INTENT_KEY), str(again, CP_INTENT_KEY));
    assert_string_not_equal(name, str(again, "name"));
    cp_value *named = config("given", NULL), *kept = cp_recover_prepare(&rt, named);
    assert_string_equal(str(kept, "name"), "given");
    cp_value *stripped = cp_recover_strip(in);
    assert_null(cp_map_get(stripped, CP_INTENT_KEY));
    assert_null(cp_map_get(stripped, CP_INTENT_AT_KEY));
    assert_string_equal(str(stripped, "name"), name);
    rt.recovery = CP_RECOVER_NONE; /* nothing outside cpstack: no intent keys */
    cp_value *none = cp_recover_prepare(&rt, cfg);
    assert_null(cp_map_get(none, CP_INTENT_KEY));
    cp_release(none);
    cp_release(stripped);
    cp_release(kept);
    cp_release(named);
    cp_release(again);
    cp_release(in);
    cp_release(cfg);
}

static void test_find_found_not_found_and_cannot_tell(void **state)
{
    (void)state;
    cp_resource_type rt = { .name = "t",
                            .recovery = CP_RECOVER_NAME,
                            .recovery_name = "name",
                            .read = fake_read,
                            .find = fake_find };
    cp_provider_call c = { .address = "t.a" };
    cp_value *cfg = config("there", NULL), *in = cp_recover_prepare(&rt, cfg), *out = NULL;
    assert_int_equal(cp_recover_find(&rt, &c, in, &out), 0);
    assert_non_null(out);
    assert_null(cp_map_get(out, CP_INTENT_KEY)); /* stripped */
    cp_release(out);
    cp_value *cfg2 = config("gone", NULL), *in2 = cp_recover_prepare(&rt, cfg2);
    assert_int_equal(cp_recover_find(&rt, &c, in2, &out), 0);
    assert_null(out);
    /* no find() and no id: it cannot tell, and says what to look for and run */
    rt.find = NULL;
    rt.recovery = CP_RECOVER_TAG;
    reads = 0;
    assert_int_equal(cp_recover_find(&rt, &c, in2, &out), -1);
    assert_int_equal(reads, 0);
    assert_non_null(strstr(c.error, "cannot tell"));
    assert_non_null(strstr(c.error, str(in2, CP_INTENT_KEY)));
    assert_non_null(strstr(c.error, "cpstack state rm t.a"));
    free(c.error);
    c.error = NULL;
    /* no find(), an id in the intent: read() by it */
    rt.recovery = CP_RECOVER_ID;
    cp_value *with_id = cp_map_new();
    cp_map_set_take(with_id, "id", cp_string("x-1"));
    assert_int_equal(cp_recover_find(&rt, &c, with_id, &out), 0);
    assert_int_equal(reads, 1);
    assert_string_equal(str(out, "id"), "x-1");
    cp_release(out);
    cp_release(with_id);
    cp_release(in2);
    cp_release(cfg2);
    cp_release(in);
    cp_release(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepare_records_uuid_time_and_name),
        cmocka_unit_test(test_find_found_not_found_and_cannot_tell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
