/*
 * test_registry.c: the provider registry (registry.h: built from a list,
 * the builtin one, finding types, the lookups core is handed),
 * cp_schema_find, and schema sanity rules checked over EVERY registered type,
 * so a type added later is held to them too: unique attribute names, a
 * consistent required / optional / computed choice, defaults that parse and
 * pass their own validator, force-new only on arguments, a computed id, the
 * functions the interface promises, names prefixed by their provider, and
 * a validate_config that passes while the arguments are unknown.
 */
#include "helpers.h"

#include <jansson.h>

#include "lang/value_json.h"
#include "providers/builtin.h"

static void test_providers_listed(void **st)
{
    (void)st;
    const char *want[] = { "aws", "local", "random", "terraform", "null", "cpstack", "test" };
    cp_registry *r = test_registry();
    const cp_provider *const *p = cp_registry_providers(r);
    for (size_t i = 0; i < 7; i++) {
        assert_non_null(p[i]);
        assert_string_equal(p[i]->name, want[i]);
        assert_non_null(p[i]->configure);
        assert_non_null(p[i]->close);
    }
    assert_null(p[7]);
    cp_registry_free(r);
}

/* The builtin registry has no test-only provider: cpstack never shows it. */
static void test_builtin_has_no_test_provider(void **st)
{
    (void)st;
    cp_registry *r = cp_registry_builtin();
    size_t n = 0;
    for (const cp_provider *const *p = cp_registry_providers(r); *p; p++, n++)
        assert_string_not_equal((*p)->name, "test");
    assert_int_equal(n, 6);
    assert_null(cp_registry_find(r, "test_thing", false, NULL));
    assert_non_null(cp_registry_find(r, "cpstack_stack", true, NULL));
    assert_non_null(cp_registry_find(r, "random_id", false, NULL));
    assert_non_null(cp_registry_find(r, "terraform_data", false, NULL));
    assert_non_null(cp_registry_find(r, "null_resource", false, NULL));
    cp_registry_free(r);
}

static void test_new_from_list(void **st)
{
    (void)st;
    const cp_provider *const only[] = { &cp_provider_test, NULL };
    cp_registry *r = cp_registry_new(only);
    const cp_provider *p = (void *)1;
    assert_ptr_equal(cp_registry_find(r, "test_thing", false, &p), &cp_type_test_thing);
    assert_ptr_equal(p, &cp_provider_test);
    assert_null(cp_registry_find(r, "random_id", false, &p));
    assert_null(p);
    cp_registry_free(r);
    cp_registry *empty = cp_registry_new(NULL);
    assert_null(cp_registry_providers(empty)[0]);
    assert_null(cp_registry_find(empty, "test_thing", false, NULL));
    cp_registry_free(empty);
}

static void count_name(void *arg, const char *name)
{
    size_t *n = arg;
    assert_non_null(name);
    (*n)++;
}

/* The lookups handed to config and plan answer as the registry does. */
static void test_lookups(void **st)
{
    (void)st;
    cp_registry *r = test_registry();
    cp_schema_lookup s = cp_registry_schemas(r);
    assert_ptr_equal(s.find(s.ud, "test_thing", false), cp_type_test_thing.attrs);
    assert_ptr_equal(s.find(s.ud, "test_thing", true), cp_type_test_thing_data.attrs);
    assert_null(s.find(s.ud, "test_thin", false));
    size_t nres = 0, ndata = 0, want_res = 0, want_data = 0;
    s.each(s.ud, false, count_name, &nres);
    s.each(s.ud, true, count_name, &ndata);
    for (const cp_provider *const *p = cp_registry_providers(r); *p; p++)
        for (const cp_resource_type *const *t = (*p)->types; *t; t++)
            (*t)->is_data ? want_data++ : want_res++;
    assert_int_equal(nres, want_res);
    assert_int_equal(ndata, want_data);
    cp_type_lookup t = cp_registry_types(r);
    const cp_provider *p = NULL;
    assert_ptr_equal(t.find(t.ud, "local_file", true, &p), &cp_type_local_file_data);
    assert_string_equal(p->name, "local");
    assert_null(t.find(t.ud, "local_fil", true, &p));
    assert_null(p);
    cp_registry_free(r);
}

static void test_configure_none(void **st)
{
    (void)st;
    const cp_provider *p = NULL;
    cp_registry *r = test_registry();
    cp_registry_find(r, "random_id", false, &p);
    cp_registry_free(r);
    void *client = (void *)1;
    char *err = NULL;
    cp_value *settings = map_of("region", cp_string("eu-west-1"), NULL);
    assert_int_equal(p->configure(settings, &client, &err), 0);
    assert_null(client);
    assert_null(err);
    p->close(client);
    cp_release(settings);
}

static void test_find(void **st)
{
    (void)st;
    const cp_provider *p = NULL;
    cp_registry *reg = test_registry();
    const cp_resource_type *r = cp_registry_find(reg, "local_file", false, &p);
    assert_non_null(r);
    assert_string_equal(p->name, "local");
    assert_false(r->is_data);
    const cp_resource_type *d = cp_registry_find(reg, "local_file", true, &p);
    assert_non_null(d);
    assert_true(d->is_data);
    assert_ptr_not_equal(r, d);
    assert_string_equal(cp_registry_find(reg, "random_password", false, &p)->name,
                        "random_password");
    assert_string_equal(p->name, "random");
    assert_null(cp_registry_find(reg, "random_password", true, &p));
    assert_null(p);
    assert_null(cp_registry_find(reg, "aws_nope", false, NULL));
    assert_non_null(cp_registry_find(reg, "test_thing", false, NULL));
    assert_non_null(cp_schema_find(r->attrs, "filename"));
    assert_null(cp_schema_find(r->attrs, "filenam"));
    assert_null(cp_schema_find(NULL, "x"));
    cp_registry_free(reg);
}

/* Every rule violation is printed and counted, so one run lists them all. */
static int problems;
#define problem(...) (fprintf(stderr, "schema: " __VA_ARGS__), fputc('\n', stderr), problems++)

/* --- schema rules over every type ------------------------------------------------- */

static bool kind_fits(cp_attr_type t, const cp_value *v)
{
    switch (t) {
    case CP_AT_STRING:
        return cp_kind_of(v) == CP_STRING;
    case CP_AT_NUMBER:
        return cp_kind_of(v) == CP_NUMBER;
    case CP_AT_BOOL:
        return cp_kind_of(v) == CP_BOOL;
    case CP_AT_LIST:
    case CP_AT_BLOCKS:
        return cp_kind_of(v) == CP_LIST;
    case CP_AT_MAP:
        return cp_kind_of(v) == CP_MAP;
    default:
        return true;
    }
}

static void check_default(const char *type, const cp_schema_attr *a)
{
    json_t *j = json_loads(a->default_json, JSON_DECODE_ANY, NULL);
    if (!j) {
        problem("%s.%s: default %s is not JSON", type, a->name, a->default_json);
        return;
    }
    cp_value *v = cp_value_from_json(j);
    json_decref(j);
    if (!kind_fits(a->type, v)) problem("%s.%s: default does not fit the type", type, a->name);
    if (a->validate && a->validate(v)) problem("%s.%s: default fails its own rule", type, a->name);
    if (!(a->flags & CP_OPTIONAL))
        problem("%s.%s: only optional arguments take defaults", type, a->name);
    cp_release(v);
}

static void check_attrs(const char *type, const cp_schema_attr *attrs, bool top)
{
    for (const cp_schema_attr *a = attrs; a->name; a++) {
        for (const cp_schema_attr *b = attrs; b < a; b++)
            if (!strcmp(a->name, b->name)) problem("%s: attribute %s twice", type, a->name);
        unsigned f = a->flags;
        bool req = f & CP_REQUIRED, opt = f & CP_OPTIONAL, comp = f & CP_COMPUTED;
        if (!req && !opt && !comp)
            problem("%s.%s: neither required, optional nor computed", type, a->name);
        if (req && (opt || comp))
            problem("%s.%s: required excludes optional and computed", type, a->name);
        if ((f & CP_FORCE_NEW) && !req && !opt)
            problem("%s.%s: force-new on a computed attribute", type, a->name);
        if (a->default_json) check_default(type, a);
        if (a->type == CP_AT_BLOCKS && !a->block)
            problem("%s.%s: blocks without a schema", type, a->name);
        if (a->block) check_attrs(type, a->block, false);
        if (!a->description || !*a->description) problem("%s.%s: no description", type, a->name);
    }
    if (top) {
        const cp_schema_attr *id = cp_schema_find(attrs, "id");
        if (!id || !(id->flags & CP_COMPUTED)) problem("%s: no computed id", type);
    }
}

static bool all_args_force_new(const cp_schema_attr *attrs)
{
    for (const cp_schema_attr *a = attrs; a->name; a++)
        if ((a->flags & (CP_REQUIRED | CP_OPTIONAL)) && !(a->flags & CP_FORCE_NEW)) return false;
    return true;
}

/* validate_config cannot tell anything from a config whose every argument
 * is unknown (plan must go on), nor crash on a whole-unknown config. */
static void check_validate_config(const cp_resource_type *t)
{
    if (!t->validate_config) return;
    cp_value *m = cp_map_new(), *u = cp_unknown();
    for (const cp_schema_attr *a = t->attrs; a->name; a++)
        cp_map_set_take(m, a->name, cp_unknown());
    char *why = t->validate_config(m);
    if (why) problem("%s: validate_config fails a config of unknowns: %s", t->name, why);
    free(why);
    why = t->validate_config(u);
    if (why) problem("%s: validate_config fails an unknown config: %s", t->name, why);
    free(why);
    cp_release(m);
    cp_release(u);
}

static void check_type(const cp_provider *p, const cp_resource_type *t)
{
    check_validate_config(t);
    size_t n = strlen(p->name);
    if (strncmp(t->name, p->name, n) != 0 || t->name[n] != '_')
        problem("%s: type names start with \"%s_\"", t->name, p->name);
    if (!t->description) problem("%s: no description", t->name);
    check_attrs(t->name, t->attrs, true);
    if (t->is_data) {
        if (!t->read_data) problem("data %s: no read_data", t->name);
        return;
    }
    if (!t->create || !t->read || !t->delete)
        problem("%s: create, read and delete are required", t->name);
    if ((t->update == NULL) != all_args_force_new(t->attrs))
        problem("%s: update must be NULL exactly when every argument is force-new", t->name);
}

static void test_every_schema(void **st)
{
    (void)st;
    size_t types = 0;
    cp_registry *reg = test_registry();
    for (const cp_provider *const *p = cp_registry_providers(reg); *p; p++)
        for (const cp_resource_type *const *t = (*p)->types; *t; t++, types++) {
            check_type(*p, *t);
            const cp_provider *found = NULL;
            assert_ptr_equal(cp_registry_find(reg, (*t)->name, (*t)->is_data, &found), *t);
            assert_ptr_equal(found, *p);
        }
    cp_registry_free(reg);
    assert_true(types >= 6);
    if (problems) fail_msg("%d schema rule violations (listed above)", problems);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_providers_listed),
        cmocka_unit_test(test_builtin_has_no_test_provider),
        cmocka_unit_test(test_new_from_list),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_configure_none),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_every_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
