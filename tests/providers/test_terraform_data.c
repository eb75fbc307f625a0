/*
 * test_terraform_data.c: terraform_data (provider "terraform") through the
 * provider interface: create (a UUID id, output = input for values of any
 * type), update in place (the id kept, output following input), read,
 * delete, import, plan_known and the schema (any-typed input and
 * triggers_replace, triggers_replace forcing replacement, output made
 * unknown by an update); and null_resource (provider "null"): a random
 * decimal id, triggers forcing replacement, no update, no import.
 */
#include "helpers.h"

#include <ctype.h>

static const cp_resource_type *td(void) { return type_of("terraform_data", false); }

static cp_value *create_ok(cp_value *config)
{
    cp_provider_call c = new_call();
    cp_value *state = NULL;
    if (td()->create(&c, config, &state) != 0) fail_msg("create failed: %s", c.error);
    cp_release(config);
    assert_non_null(state);
    return state;
}

static bool is_uuid4(const char *s)
{
    if (strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return false;
    }
    return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

static cp_value *list2(cp_value *a, cp_value *b)
{
    cp_value *l = cp_list_new();
    cp_list_push_take(l, a);
    cp_list_push_take(l, b);
    return l;
}

static void test_provider_and_schema(void **st)
{
    (void)st;
    const cp_provider *p = NULL;
    cp_registry *r = cp_registry_builtin();
    const cp_resource_type *t = cp_registry_find(r, "terraform_data", false, &p);
    assert_non_null(t);
    assert_string_equal(p->name, "terraform"); /* the type's name before '_' */
    assert_null(cp_registry_find(r, "terraform_data", true, NULL));
    cp_registry_free(r);

    const cp_schema_attr *in = cp_schema_find(t->attrs, "input");
    const cp_schema_attr *tr = cp_schema_find(t->attrs, "triggers_replace");
    const cp_schema_attr *out = cp_schema_find(t->attrs, "output");
    const cp_schema_attr *id = cp_schema_find(t->attrs, "id");
    assert_int_equal(in->type, CP_AT_ANY);
    assert_int_equal(in->flags, CP_OPTIONAL); /* a change is an update, not a replace */
    assert_int_equal(tr->type, CP_AT_ANY);
    assert_int_equal(tr->flags, CP_OPTIONAL | CP_FORCE_NEW);
    assert_int_equal(out->type, CP_AT_ANY);
    assert_int_equal(out->flags, CP_COMPUTED);
    assert_int_equal(id->flags, CP_COMPUTED);
    assert_non_null(t->update);
    assert_non_null(t->import);
    assert_string_equal(t->update_unknown[0], "output");
    assert_null(t->update_unknown[1]);
    assert_true(t->no_durable_intent);
    assert_int_equal(t->recovery, CP_RECOVER_NONE);
}

static void test_create_any_type(void **st)
{
    (void)st;
    cp_value *obj =
        map_of("name", cp_string("web"), "ports", list2(cp_number(80), cp_number(443)), NULL);
    cp_value *s = create_ok(map_of("input", obj, "triggers_replace", cp_number(3), NULL));
    const char *id = sget(s, "id");
    assert_true(is_uuid4(id));
    const cp_value *out = cp_map_get(s, "output");
    assert_int_equal(cp_kind_of(out), CP_MAP);
    assert_true(cp_equal(out, cp_map_get(s, "input")));
    assert_string_equal(sget(out, "name"), "web");
    assert_int_equal(cp_number_val(cp_list_get(cp_map_get(out, "ports"), 1)), 443);
    assert_int_equal(cp_number_val(cp_map_get(s, "triggers_replace")), 3);

    cp_value *s2 = create_ok(map_of("input", cp_string("x"), NULL));
    assert_true(is_uuid4(sget(s2, "id")));
    assert_string_not_equal(sget(s2, "id"), id);
    assert_string_equal(sget(s2, "output"), "x");
    assert_true(cp_is_null(cp_map_get(s2, "triggers_replace")));

    /* nothing set: every attribute but id null */
    cp_value *s3 = create_ok(cp_map_new());
    assert_true(cp_is_null(cp_map_get(s3, "input")));
    assert_true(cp_is_null(cp_map_get(s3, "output")));

    /* read is the state, delete does nothing */
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    assert_int_equal(td()->read(&c, s, &ns), 0);
    assert_true(cp_equal(ns, s));
    cp_release(ns);
    assert_int_equal(td()->delete (&c, s), 0);
    assert_null(c.error);
    cp_release(s);
    cp_release(s2);
    cp_release(s3);
}

static void test_update_keeps_id(void **st)
{
    (void)st;
    cp_value *s =
        create_ok(map_of("input", cp_string("v1"), "triggers_replace", cp_string("t"), NULL));
    cp_provider_call c = new_call();
    cp_value *cfg = map_of("input", list2(cp_string("v2"), cp_bool(true)), "triggers_replace",
                           cp_string("t"), NULL);
    cp_value *ns = NULL;
    assert_int_equal(td()->update(&c, s, cfg, &ns), 0);
    assert_string_equal(sget(ns, "id"), sget(s, "id"));
    const cp_value *out = cp_map_get(ns, "output");
    assert_int_equal(cp_kind_of(out), CP_LIST);
    assert_string_equal(cp_string_val(cp_list_get(out, 0)), "v2");
    assert_true(cp_equal(out, cp_map_get(ns, "input")));
    assert_string_equal(sget(ns, "triggers_replace"), "t");
    cp_release(cfg);

    /* input removed: output null too */
    cp_value *ns2 = NULL;
    cfg = cp_map_new();
    assert_int_equal(td()->update(&c, ns, cfg, &ns2), 0);
    assert_true(cp_is_null(cp_map_get(ns2, "output")));
    assert_string_equal(sget(ns2, "id"), sget(s, "id"));
    cp_release(cfg);
    cp_release(ns2);
    cp_release(ns);
    cp_release(s);
}

static void test_sensitive_input_stays_sensitive(void **st)
{
    (void)st;
    cp_value *plain = cp_string("hunter2");
    cp_value *sec = cp_mark_sensitive(plain);
    cp_release(plain);
    cp_value *s = create_ok(map_of("input", sec, NULL));
    assert_true(cp_is_sensitive(cp_map_get(s, "output")));
    cp_release(s);
}

static void test_import_and_plan_known(void **st)
{
    (void)st;
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    assert_int_equal(td()->import(&c, "my-id", &s), 0);
    assert_string_equal(sget(s, "id"), "my-id");
    assert_true(cp_is_null(cp_map_get(s, "input")));
    assert_true(cp_is_null(cp_map_get(s, "output")));
    cp_release(s);
    s = NULL;
    assert_int_equal(td()->import(&c, "", &s), -1);
    assert_null(s);
    assert_string_equal(c.error, "cannot import terraform_data: give a non-empty id");
    clear_error(&c);

    /* output is known (null) in the plan when input is null, else left alone */
    cp_value *cfg = cp_map_new();
    cp_value *k = td()->plan_known(cfg);
    assert_non_null(k);
    assert_true(cp_is_null(cp_map_get(k, "output")));
    cp_release(k);
    cp_release(cfg);
    cfg = map_of("input", cp_string("x"), NULL);
    assert_null(td()->plan_known(cfg));
    cp_release(cfg);
}

/* --- null_resource -------------------------------------------------------- */

static void test_null_resource(void **st)
{
    (void)st;
    const cp_provider *p = NULL;
    cp_registry *r = cp_registry_builtin();
    const cp_resource_type *t = cp_registry_find(r, "null_resource", false, &p);
    assert_non_null(t);
    assert_string_equal(p->name, "null");
    cp_registry_free(r);
    const cp_schema_attr *tr = cp_schema_find(t->attrs, "triggers");
    assert_int_equal(tr->type, CP_AT_MAP);
    assert_int_equal(tr->elem, CP_AT_STRING);
    assert_int_equal(tr->flags, CP_OPTIONAL | CP_FORCE_NEW);
    assert_null(t->update); /* every argument forces a new instance */
    assert_null(t->import); /* as the null provider */
    assert_true(t->no_durable_intent);

    cp_provider_call c = new_call();
    cp_value *cfg = map_of("triggers", map_of("rev", cp_string("1"), NULL), NULL), *s1 = NULL,
             *s2 = NULL;
    assert_int_equal(t->create(&c, cfg, &s1), 0);
    assert_int_equal(t->create(&c, cfg, &s2), 0);
    const char *id = sget(s1, "id");
    assert_true(strlen(id) >= 1 && strlen(id) <= 19);
    assert_int_equal(strspn(id, "0123456789"), strlen(id));
    assert_true(strlen(id) == 1 || id[0] != '0');
    assert_string_not_equal(id, sget(s2, "id")); /* 2^-63 odds of a false failure */
    assert_string_equal(sget(cp_map_get(s1, "triggers"), "rev"), "1");
    cp_value *ns = NULL;
    assert_int_equal(t->read(&c, s1, &ns), 0);
    assert_true(cp_equal(ns, s1));
    assert_int_equal(t->delete (&c, s1), 0);
    assert_null(c.error);
    cp_release(ns);
    cp_release(s1);
    cp_release(s2);
    cp_release(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provider_and_schema),
        cmocka_unit_test(test_create_any_type),
        cmocka_unit_test(test_update_keeps_id),
        cmocka_unit_test(test_sensitive_input_stays_sensitive),
        cmocka_unit_test(test_import_and_plan_known),
        cmocka_unit_test(test_null_resource),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
