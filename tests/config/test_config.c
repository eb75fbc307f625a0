/*
 * test_config.c: the config loader on its own, handed a lookup built here
 * over a tiny fake schema table — no provider is linked into this program,
 * so the loader can only know types through the lookup it is given.
 * Each bad stack is checked for its exact diagnostic, "file:line:col:
 * message"; a good stack loads with each resource's schema attached.
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
#include "util/xalloc.h"

/* --- the fake schema ------------------------------------------------------ */

static const cp_schema_attr rule_attrs[] = {
    { .name = "days", .type = CP_AT_NUMBER, .flags = CP_REQUIRED, .description = "days" },
    { NULL },
};

static const cp_schema_attr bucket_attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "id" },
    { .name = "bucket", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "name" },
    { .name = "size", .type = CP_AT_NUMBER, .flags = CP_OPTIONAL, .description = "size" },
    { .name = "versioned", .type = CP_AT_BOOL, .flags = CP_OPTIONAL, .description = "on/off" },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "tags" },
    { .name = "rule",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = rule_attrs,
      .description = "rules" },
    { NULL },
};

static const cp_schema_attr object_attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "id" },
    { .name = "bucket", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "bucket" },
    { .name = "key", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "key" },
    { NULL },
};

static const cp_schema_attr image_attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "id" },
    { .name = "owner", .type = CP_AT_STRING, .flags = CP_OPTIONAL, .description = "owner" },
    { NULL },
};

typedef struct fake_type {
    const char *name;
    bool is_data;
    const cp_schema_attr *attrs;
} fake_type;

static const fake_type fake_types[] = {
    { "fake_bucket", false, bucket_attrs },
    { "fake_object", false, object_attrs },
    { "fake_image", true, image_attrs },
    { NULL, false, NULL },
};

typedef struct fake_lookup {
    int finds; /* calls of find, to see the loader used this lookup */
} fake_lookup;

static const cp_schema_attr *fake_find(void *ud, const char *type, bool is_data)
{
    ((fake_lookup *)ud)->finds++;
    for (const fake_type *t = fake_types; t->name; t++)
        if (t->is_data == is_data && !strcmp(t->name, type)) return t->attrs;
    return NULL;
}

static void fake_each(void *ud, bool is_data, void (*fn)(void *arg, const char *name), void *arg)
{
    (void)ud;
    for (const fake_type *t = fake_types; t->name; t++)
        if (t->is_data == is_data) fn(arg, t->name);
}

/* --- loading a stack from text ---------------------------------------------- */

typedef struct loaded {
    char *dir;
    cp_config *c;
    cp_diags d;
    fake_lookup fl;
} loaded;

static void load(loaded *L, const char *text)
{
    L->dir = cp_xstrdup("/tmp/cpstack-config-XXXXXX");
    assert_non_null(mkdtemp(L->dir));
    char *path = cp_xasprintf("%s/main.cp", L->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(path);
    L->fl.finds = 0;
    cp_schema_lookup types = { .find = fake_find, .each = fake_each, .ud = &L->fl };
    cp_diags_init(&L->d);
    L->c = cp_config_load(L->dir, &types, NULL, &L->d);
    assert_non_null(L->c);
    assert_null(L->c->types); /* the lookup is not kept past the load */
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

/* s without every "DIR/" (the scratch directory), in place. */
static void strip_dir(char *s, const char *dir)
{
    char *prefix = cp_xasprintf("%s/", dir);
    size_t n = strlen(prefix);
    for (char *p; (p = strstr(s, prefix));) memmove(p, p + n, strlen(p + n) + 1);
    free(prefix);
}

/* Diagnostic i as "main.cp:LINE:COL: message" (paths made relative). */
static char *diag_text(const loaded *L, size_t i)
{
    assert_true(i < L->d.len);
    char *where = cp_loc_string(&L->c->sources, L->d.items[i].loc);
    char *s = cp_xasprintf("%s: %s", where, L->d.items[i].msg);
    free(where);
    strip_dir(s, L->dir);
    return s;
}

/* The stack has exactly one error, and it reads `want`. */
static void expect_one_error(const char *text, const char *want)
{
    loaded L;
    load(&L, text);
    if (L.d.len != 1) {
        for (size_t i = 0; i < L.d.len; i++) {
            char *s = diag_text(&L, i);
            fprintf(stderr, "  got: %s\n", s);
            free(s);
        }
        fail_msg("want 1 diagnostic, got %zu", L.d.len);
    }
    assert_int_equal(L.d.items[0].severity, CP_DIAG_ERROR);
    char *got = diag_text(&L, 0);
    assert_string_equal(got, want);
    free(got);
    assert_true(L.fl.finds > 0);
    unload(&L);
}

/* --- tests ------------------------------------------------------------------- */

static void test_good_stack_has_attrs(void **st)
{
    (void)st;
    loaded L;
    load(&L, "resource \"fake_bucket\" \"logs\" {\n"
             "  bucket    = \"logs\"\n"
             "  size      = 3\n"
             "  versioned = true\n"
             "  tags      = { team = \"ops\" }\n"
             "  rule {\n"
             "    days = 30\n"
             "  }\n"
             "}\n"
             "data \"fake_image\" \"base\" {\n"
             "  owner = \"self\"\n"
             "}\n"
             "resource \"fake_object\" \"index\" {\n"
             "  bucket = fake_bucket.logs.id\n"
             "  key    = data.fake_image.base.id\n"
             "}\n");
    assert_int_equal(L.d.len, 0);
    assert_int_equal(L.c->nresources, 3);
    const cp_config_resource *b = cp_config_find_resource(L.c, false, "fake_bucket", "logs");
    const cp_config_resource *i = cp_config_find_resource(L.c, true, "fake_image", "base");
    const cp_config_resource *o = cp_config_find_resource(L.c, false, "fake_object", "index");
    assert_non_null(b);
    assert_non_null(i);
    assert_non_null(o);
    assert_ptr_equal(b->attrs, bucket_attrs);
    assert_ptr_equal(i->attrs, image_attrs);
    assert_ptr_equal(o->attrs, object_attrs);
    assert_true(i->is_data);
    assert_string_equal(o->address, "fake_object.index");
    assert_string_equal(i->address, "data.fake_image.base");
    unload(&L);
}

static void test_unknown_type_did_you_mean(void **st)
{
    (void)st;
    expect_one_error("resource \"fake_buckt\" \"a\" {\n  bucket = \"x\"\n}\n",
                     "main.cp:1:10: unknown resource type \"fake_buckt\"; did you mean "
                     "\"fake_bucket\"?");
    /* data sources are suggested among data sources only */
    expect_one_error("data \"fake_imag\" \"a\" {\n}\n",
                     "main.cp:1:6: unknown data source type \"fake_imag\"; did you mean "
                     "\"fake_image\"?");
    expect_one_error("data \"fake_bucket\" \"a\" {\n}\n",
                     "main.cp:1:6: unknown data source type \"fake_bucket\"; run 'cpstack "
                     "schema' for the list");
}

static void test_unknown_type_without_suggestion(void **st)
{
    (void)st;
    expect_one_error("\n\nresource \"zzz_qqq\" \"a\" {\n}\n",
                     "main.cp:3:10: unknown resource type \"zzz_qqq\"; run 'cpstack schema' "
                     "for the list");
}

static void test_unknown_argument(void **st)
{
    (void)st;
    expect_one_error("resource \"fake_bucket\" \"a\" {\n  bucket = \"x\"\n  sise = 3\n}\n",
                     "main.cp:3:3: fake_bucket.a does not take argument \"sise\"; did you mean "
                     "\"size\"?");
    expect_one_error("resource \"fake_bucket\" \"a\" {\n  bucket = \"x\"\n  rule {\n"
                     "    days = 1\n    weeks = 2\n  }\n}\n",
                     "main.cp:5:5: rule block of fake_bucket.a does not take argument "
                     "\"weeks\"; 'cpstack schema' lists the arguments of each type");
}

static void test_missing_required(void **st)
{
    (void)st;
    expect_one_error("resource \"fake_object\" \"a\" {\n  bucket = \"b\"\n}\n",
                     "main.cp:1:24: fake_object.a is missing the required argument \"key\"");
}

static void test_wrong_literal_type(void **st)
{
    (void)st;
    expect_one_error("resource \"fake_bucket\" \"a\" {\n  bucket = \"x\"\n  size   = [1]\n}\n",
                     "main.cp:3:12: fake_bucket.a: \"size\" must be a number, not a list");
    expect_one_error("resource \"fake_bucket\" \"a\" {\n  bucket    = \"x\"\n"
                     "  versioned = \"maybe\"\n}\n",
                     "main.cp:3:15: fake_bucket.a: \"versioned\" must be a bool; \"maybe\" is "
                     "not one");
    expect_one_error(
        "resource \"fake_bucket\" \"a\" {\n  bucket = \"x\"\n  id = \"i\"\n}\n",
        "main.cp:3:3: fake_bucket.a: \"id\" is computed by the provider and cannot be set; "
        "remove it");
}

static void test_duplicate_resource(void **st)
{
    (void)st;
    expect_one_error("resource \"fake_bucket\" \"a\" {\n  bucket = \"x\"\n}\n"
                     "resource \"fake_bucket\" \"a\" {\n  bucket = \"y\"\n}\n",
                     "main.cp:4:24: duplicate resource fake_bucket.a; first declared at "
                     "main.cp:1:24");
}

static void test_undeclared_reference(void **st)
{
    (void)st;
    expect_one_error("resource \"fake_bucket\" \"logs\" {\n  bucket = \"x\"\n}\n"
                     "resource \"fake_object\" \"a\" {\n  bucket = fake_bucket.lgs.id\n"
                     "  key    = \"k\"\n}\n",
                     "main.cp:5:12: reference to undeclared resource fake_bucket.lgs; did you "
                     "mean \"fake_bucket.logs\"?");
    /* a name that is no type at all */
    expect_one_error("resource \"fake_object\" \"a\" {\n  bucket = nothing.here\n"
                     "  key    = \"k\"\n}\n",
                     "main.cp:2:12: unknown name \"nothing\" in nothing.here");
}

/* Every independent problem is reported in one load. */
static void test_errors_are_collected(void **st)
{
    (void)st;
    loaded L;
    load(&L, "resource \"fake_bucket\" \"a\" {\n  size = \"big\"\n}\n"
             "resource \"fake_nope\" \"b\" {\n}\n");
    assert_int_equal(L.d.len, 3);
    assert_true(cp_diags_has_errors(&L.d));
    unload(&L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_stack_has_attrs),
        cmocka_unit_test(test_unknown_type_did_you_mean),
        cmocka_unit_test(test_unknown_type_without_suggestion),
        cmocka_unit_test(test_unknown_argument),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_wrong_literal_type),
        cmocka_unit_test(test_duplicate_resource),
        cmocka_unit_test(test_undeclared_reference),
        cmocka_unit_test(test_errors_are_collected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
