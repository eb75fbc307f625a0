/*
 * helpers.h: shared scaffolding of the provider tests (header-only, each
 * test file includes it once): a provider call, map builders, a scratch
 * directory per test, reading files back, and the registry the tests
 * build (the builtin providers plus the test-only one).
 */
#ifndef CP_TESTS_PROVIDERS_HELPERS_H
#define CP_TESTS_PROVIDERS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lang/value.h"
#include "providers/provider.h"
#include "providers/registry.h"
#include "test_provider.h"
#include "util/xalloc.h"

/* A map from alternating key / value pairs (values consumed), NULL-ended. */
static inline cp_value *map_of(const char *key, ...)
{
    cp_value *m = cp_map_new();
    va_list ap;
    va_start(ap, key);
    for (const char *k = key; k; k = va_arg(ap, const char *))
        cp_map_set_take(m, k, va_arg(ap, cp_value *));
    va_end(ap);
    return m;
}

static inline cp_provider_call new_call(void)
{
    cp_provider_call c = { 0 };
    c.address = "test.address";
    return c;
}

static inline void clear_error(cp_provider_call *c)
{
    free(c->error);
    c->error = NULL;
}

/* The builtin providers plus the test-only one (free with cp_registry_free). */
static inline cp_registry *test_registry(void)
{
    cp_registry *r = cp_registry_builtin();
    cp_registry_add(r, &cp_provider_test);
    return r;
}

/* The type, found through a registry as core would. */
static inline const cp_resource_type *type_of(const char *name, bool is_data)
{
    const cp_provider *p = NULL;
    cp_registry *r = test_registry();
    const cp_resource_type *t = cp_registry_find(r, name, is_data, &p);
    cp_registry_free(r);
    assert_non_null(t);
    assert_non_null(p);
    return t;
}

static inline const char *sget(const cp_value *m, const char *key)
{
    const cp_value *v = cp_map_get(m, key);
    assert_non_null(v);
    return cp_string_val(v);
}

/* A fresh scratch directory (malloc'd path). */
static inline char *scratch_dir(void)
{
    char *d = cp_xstrdup("/tmp/cpstack-prov-XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static inline void remove_tree(char *dir)
{
    char *cmd = cp_xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
}

/* A whole file as a malloc'd string, or NULL when missing. */
static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = cp_xmalloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static inline void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The validator's message for a value of attribute `attr` (consumes v). */
static inline const char *rule_for(const cp_resource_type *t, const char *attr, cp_value *v)
{
    const cp_schema_attr *a = cp_schema_find(t->attrs, attr);
    assert_non_null(a);
    assert_non_null(a->validate);
    const char *msg = a->validate(v);
    cp_release(v);
    return msg;
}

#endif
