/*
 * test_blocks.c: what the loader makes of the blocks of issue 12, read
 * through the config API: moved / removed / import addresses in canonical
 * form, lifecycle triggers split into resource, index and attribute,
 * conditions kept, check asserts; and dynamic blocks evaluated by
 * cp_config_eval_body (list and map for_each, iterator names, nested
 * dynamics, an unknown for_each making the blocks unknown), through a
 * lookup built here. No provider is linked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "config/config_eval.h"
#include "util/xalloc.h"

static const cp_schema_attr inner_attrs[] = {
    { .name = "v", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "v" },
    { NULL },
};

static const cp_schema_attr rule_attrs[] = {
    { .name = "port", .type = CP_AT_NUMBER, .flags = CP_REQUIRED, .description = "port" },
    { .name = "note", .type = CP_AT_STRING, .flags = CP_OPTIONAL, .description = "note" },
    { .name = "inner",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = inner_attrs,
      .description = "inner" },
    { NULL },
};

static const cp_schema_attr thing_attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "id" },
    { .name = "name", .type = CP_AT_STRING, .flags = CP_OPTIONAL, .description = "name" },
    { .name = "rule",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = rule_attrs,
      .description = "rules" },
    { NULL },
};

static const cp_schema_attr *fake_find(void *ud, const char *type, bool is_data)
{
    (void)ud;
    return !is_data && !strcmp(type, "fake_thing") ? thing_attrs : NULL;
}

static void fake_each(void *ud, bool is_data, void (*fn)(void *arg, const char *name), void *arg)
{
    (void)ud;
    if (!is_data) fn(arg, "fake_thing");
}

typedef struct loaded {
    char *dir;
    cp_config *c;
    cp_diags d;
} loaded;

static void load(loaded *L, const char *text)
{
    L->dir = cp_xstrdup("/tmp/cpstack-blocks-XXXXXX");
    assert_non_null(mkdtemp(L->dir));
    char *path = cp_xasprintf("%s/main.cp", L->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(path);
    cp_schema_lookup types = { .find = fake_find, .each = fake_each, .ud = NULL };
    cp_diags_init(&L->d);
    L->c = cp_config_load(L->dir, &types, NULL, &L->d);
    assert_non_null(L->c);
    for (size_t i = 0; i < L->d.len; i++) fprintf(stderr, "  diag: %s\n", L->d.items[i].msg);
    assert_false(cp_diags_has_errors(&L->d));
}

static void unload(loaded *L)
{
    char *path = cp_xasprintf("%s/main.cp", L->dir);
    unlink(path);
    free(path);
    rmdir(L->dir);
    free(L->dir);
    cp_config_free(L->c);
    cp_diags_free(&L->d);
}

/* --- moved, removed, import, check ---------------------------------------- */

static void test_state_blocks_decoded(void **st)
{
    (void)st;
    loaded L;
    load(&L, "resource \"fake_thing\" \"b\" {\n  count = 2\n}\n"
             "resource \"fake_thing\" \"c\" {\n  for_each = toset([\"k\"])\n}\n"
             "moved {\n  from = fake_thing.a\n  to   = fake_thing.b[1]\n}\n"
             "moved {\n  from = fake_thing.c[0]\n  to   = fake_thing.c[\"k\"]\n}\n"
             "removed {\n  from = fake_thing.gone\n  lifecycle {\n    destroy = false\n  }\n}\n"
             "removed {\n  from = fake_thing.old\n}\n"
             "import {\n  to = fake_thing.c[\"k\"]\n  id = \"x-1\"\n}\n"
             "check \"ok\" {\n  assert {\n    condition = true\n    error_message = \"m\"\n  }\n"
             "  assert {\n    condition = 1 == 1\n    error_message = \"n\"\n  }\n}\n");
    const cp_config *c = L.c;
    assert_int_equal(c->nmoved, 2);
    assert_string_equal(c->moved[0].from, "fake_thing.a");
    assert_string_equal(c->moved[0].to, "fake_thing.b[1]");
    assert_string_equal(c->moved[1].to, "fake_thing.c[\"k\"]");
    assert_int_equal(c->nremoved, 2);
    assert_false(c->removed[0].destroy);
    assert_true(c->removed[1].destroy); /* the default */
    assert_int_equal(c->nimports, 1);
    assert_string_equal(c->imports[0].to, "fake_thing.c[\"k\"]");
    assert_int_equal(c->nchecks, 1);
    assert_string_equal(c->checks[0].name, "ok");
    assert_int_equal(c->checks[0].nasserts, 2);
    unload(&L);
}

static void test_import_for_each_decoded(void **st)
{
    (void)st;
    loaded L;
    load(&L, "variable \"k\" {\n  default = \"k\"\n}\n"
             "resource \"fake_thing\" \"c\" {\n  for_each = toset([\"k\"])\n}\n"
             "import {\n  for_each = { k = \"x-1\" }\n  to = fake_thing.c[each.key]\n"
             "  id = each.value\n}\n"
             "import {\n  to = fake_thing.c[var.k]\n  id = \"x-2\"\n}\n"
             "import {\n  to = fake_thing.c[\"k\"]\n  id = \"x-3\"\n}\n");
    const cp_config *c = L.c;
    assert_int_equal(c->nimports, 3);
    /* keyed: to is the resource, its instances are known at plan */
    assert_true(c->imports[0].keyed);
    assert_non_null(c->imports[0].for_each);
    assert_string_equal(c->imports[0].to, "fake_thing.c");
    assert_true(c->imports[1].keyed);
    assert_null(c->imports[1].for_each);
    assert_string_equal(c->imports[1].to, "fake_thing.c");
    /* literal keys: the instance address itself */
    assert_false(c->imports[2].keyed);
    assert_string_equal(c->imports[2].to, "fake_thing.c[\"k\"]");
    unload(&L);
}

static void test_lifecycle_decoded(void **st)
{
    (void)st;
    loaded L;
    load(&L, "resource \"fake_thing\" \"a\" {\n  count = 2\n}\n"
             "resource \"fake_thing\" \"b\" {\n  count = 2\n  lifecycle {\n"
             "    replace_triggered_by = [fake_thing.a, fake_thing.a.name,\n"
             "      fake_thing.a[count.index], fake_thing.a[0].id]\n"
             "    precondition {\n      condition = true\n      error_message = \"p\"\n    }\n"
             "    postcondition {\n      condition = self.name != \"\"\n"
             "      error_message = \"q\"\n    }\n  }\n}\n");
    const cp_config_lifecycle *lc = &L.c->resources[1].lifecycle;
    assert_int_equal(lc->nreplace_triggered_by, 4);
    const cp_config_trigger *t = lc->replace_triggered_by;
    assert_string_equal(t[0].resource, "fake_thing.a");
    assert_null(t[0].index);
    assert_null(t[0].attr);
    assert_string_equal(t[1].attr, "name");
    assert_null(t[1].index);
    assert_non_null(t[2].index);
    assert_null(t[2].attr);
    assert_non_null(t[3].index);
    assert_string_equal(t[3].attr, "id");
    assert_int_equal(lc->npreconditions, 1);
    assert_int_equal(lc->npostconditions, 1);
    unload(&L);
}

/* --- dynamic blocks -------------------------------------------------------- */

/* var.ports = [80, 443]; var.rules = { a = 1, b = 2 }; var.later unknown. */
static cp_value *lookup(void *ud, const char *const *steps, size_t n, size_t *consumed, cp_loc loc,
                        cp_diags *d)
{
    (void)ud;
    if (n < 2 || strcmp(steps[0], "var")) {
        cp_diag_error(d, loc, "unexpected reference %s", steps[0]);
        return NULL;
    }
    *consumed = 2;
    if (!strcmp(steps[1], "later")) return cp_unknown();
    if (!strcmp(steps[1], "ports")) {
        cp_value *l = cp_list_new();
        cp_list_push_take(l, cp_number(80));
        cp_list_push_take(l, cp_number(443));
        return l;
    }
    cp_value *m = cp_map_new();
    cp_map_set_take(m, "a", cp_number(1));
    cp_map_set_take(m, "b", cp_number(2));
    return m;
}

static cp_value *eval_first(loaded *L)
{
    cp_eval_ctx ctx = {
        .lookup = lookup, .base_dir = L->dir, .sources = &L->c->sources, .diags = &L->d
    };
    return cp_config_eval_body(&L->c->resources[0], &ctx);
}

static void test_dynamic_list_and_map(void **st)
{
    (void)st;
    loaded L;
    load(&L, "variable \"ports\" {}\nvariable \"rules\" {}\n"
             "resource \"fake_thing\" \"a\" {\n"
             "  rule {\n    port = 1\n  }\n"
             "  dynamic \"rule\" {\n    for_each = var.ports\n    content {\n"
             "      port = rule.value\n      note = \"#${rule.key}\"\n    }\n  }\n"
             "  dynamic \"rule\" {\n    for_each = var.rules\n    iterator = r\n    content {\n"
             "      port = r.value\n      note = r.key\n"
             "      dynamic \"inner\" {\n        for_each = [r.key, \"z\"]\n        content {\n"
             "          v = \"${r.key}-${inner.value}\"\n        }\n      }\n    }\n  }\n}\n");
    cp_value *v = eval_first(&L);
    assert_non_null(v);
    const cp_value *rules = cp_map_get(v, "rule");
    assert_int_equal(cp_len(rules), 5); /* the written one first, then in order */
    assert_int_equal(cp_number_val(cp_map_get(cp_list_get(rules, 0), "port")), 1);
    assert_int_equal(cp_number_val(cp_map_get(cp_list_get(rules, 2), "port")), 443);
    assert_string_equal(cp_string_val(cp_map_get(cp_list_get(rules, 2), "note")), "#1");
    const cp_value *b = cp_list_get(rules, 4);
    assert_string_equal(cp_string_val(cp_map_get(b, "note")), "b");
    const cp_value *inner = cp_map_get(b, "inner");
    assert_int_equal(cp_len(inner), 2);
    assert_string_equal(cp_string_val(cp_map_get(cp_list_get(inner, 0), "v")), "b-b");
    assert_string_equal(cp_string_val(cp_map_get(cp_list_get(inner, 1), "v")), "b-z");
    cp_release(v);
    unload(&L);
}

static void test_dynamic_unknown_for_each(void **st)
{
    (void)st;
    loaded L;
    load(&L, "variable \"later\" {}\nresource \"fake_thing\" \"a\" {\n"
             "  dynamic \"rule\" {\n    for_each = var.later\n    content {\n"
             "      port = rule.value\n    }\n  }\n}\n");
    cp_value *v = eval_first(&L);
    assert_non_null(v);
    assert_true(cp_is_unknown(cp_map_get(v, "rule")));
    cp_release(v);
    unload(&L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_blocks_decoded),
        cmocka_unit_test(test_import_for_each_decoded),
        cmocka_unit_test(test_lifecycle_decoded),
        cmocka_unit_test(test_dynamic_list_and_map),
        cmocka_unit_test(test_dynamic_unknown_for_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
