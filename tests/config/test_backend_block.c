/*
 * test_backend_block.c: config checks a stack's backend block only against
 * the backend types it is handed (cp_config_backends), never against names
 * of its own: a made-up backend list is accepted as given, "local" and
 * "s3" are unknown unless listed, settings are checked with "did you mean",
 * errors point at the label, and no block leaves the choice to the caller.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

static const char *const gcs_settings[] = { "bucket", "prefix", NULL };
static const char *const names[] = { "gcs", "memory", NULL };
static const char *const none[] = { NULL };

static const char *const *fake_settings(const void *ud, const char *name)
{
    int *calls = (int *)ud;
    (*calls)++;
    if (!strcmp(name, "gcs")) return gcs_settings;
    if (!strcmp(name, "memory")) return none;
    return NULL;
}

/* No resource types: these stacks hold only a stack block. */
static const cp_schema_attr *no_find(void *ud, const char *type, bool is_data)
{
    (void)ud;
    (void)type;
    (void)is_data;
    return NULL;
}

static void no_each(void *ud, bool is_data, void (*fn)(void *arg, const char *name), void *arg)
{
    (void)ud;
    (void)is_data;
    (void)fn;
    (void)arg;
}

static const cp_schema_lookup no_types = { .find = no_find, .each = no_each };

/* Load text as a one-file stack; returns the config, diags in *d. */
static cp_config *load(const char *text, const cp_config_backends *bk, cp_diags *d)
{
    char path[] = "/tmp/cp_backend_block_XXXXXX.cp";
    int fd = mkstemps(path, 3);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    cp_diags_init(d);
    cp_config *c = cp_config_load(path, &no_types, bk, d);
    unlink(path);
    return c;
}

static const char *first_error(const cp_diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].severity == CP_DIAG_ERROR) return d->items[i].msg;
    return NULL;
}

static void test_listed_backend_accepted(void **state)
{
    int calls = 0;
    cp_config_backends bk = { names, fake_settings, &calls };
    cp_diags d;
    cp_config *c =
        load("stack \"x\" {\n  backend \"gcs\" {\n    bucket = \"b\"\n  }\n}\n", &bk, &d);
    assert_null(first_error(&d));
    assert_string_equal(c->backend.type, "gcs");
    assert_non_null(c->backend.body);
    assert_int_equal(c->backend.label_loc.line, 2);
    assert_int_equal(c->backend.label_loc.col, 11);
    assert_true(calls > 0);
    cp_diags_free(&d);
    cp_config_free(c);
}

static void test_unlisted_names_unknown(void **state)
{
    int calls = 0;
    cp_config_backends bk = { names, fake_settings, &calls };
    cp_diags d;
    cp_config *c = load("stack \"x\" {\n  backend \"s3\" {\n  }\n}\n", &bk, &d);
    assert_int_equal(d.errors, 1);
    assert_string_equal(first_error(&d), "unknown backend \"s3\"; use \"gcs\" or \"memory\"");
    assert_int_equal(d.items[0].loc.line, 2);
    assert_int_equal(d.items[0].loc.col, 11);
    assert_null(c->backend.type); /* dropped */
    cp_diags_free(&d);
    cp_config_free(c);
}

static void test_did_you_mean(void **state)
{
    int calls = 0;
    cp_config_backends bk = { names, fake_settings, &calls };
    cp_diags d;
    cp_config *c = load("stack \"x\" {\n  backend \"gsc\" {\n  }\n}\n", &bk, &d);
    assert_string_equal(first_error(&d), "unknown backend \"gsc\"; did you mean \"gcs\"?");
    cp_diags_free(&d);
    cp_config_free(c);
}

static void test_settings_checked(void **state)
{
    int calls = 0;
    cp_config_backends bk = { names, fake_settings, &calls };
    cp_diags d;
    cp_config *c = load("stack \"x\" {\n  backend \"gcs\" {\n    buckt = \"b\"\n  }\n}\n", &bk, &d);
    assert_int_equal(d.errors, 1);
    assert_string_equal(first_error(&d),
                        "unknown argument \"buckt\" in the backend \"gcs\" block; did you mean "
                        "\"bucket\"?");
    assert_int_equal(d.items[0].loc.line, 3);
    cp_diags_free(&d);
    cp_config_free(c);
}

static void test_no_lookup_no_backends(void **state)
{
    cp_diags d;
    cp_config *c = load("stack \"x\" {\n  backend \"local\" {\n  }\n}\n", NULL, &d);
    assert_string_equal(first_error(&d), "unknown backend \"local\"; this cpstack has no backends");
    cp_diags_free(&d);
    cp_config_free(c);
}

static void test_no_block_leaves_default_to_caller(void **state)
{
    int calls = 0;
    cp_config_backends bk = { names, fake_settings, &calls };
    cp_diags d;
    cp_config *c = load("stack \"x\" {\n  region = \"eu-west-1\"\n}\n", &bk, &d);
    assert_null(first_error(&d));
    assert_null(c->backend.type);
    assert_null(c->backend.body);
    assert_int_equal(calls, 0);
    cp_diags_free(&d);
    cp_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listed_backend_accepted),
        cmocka_unit_test(test_unlisted_names_unknown),
        cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test(test_settings_checked),
        cmocka_unit_test(test_no_lookup_no_backends),
        cmocka_unit_test(test_no_block_leaves_default_to_caller),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
