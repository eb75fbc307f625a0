/*
 * plan_fixtures.c: see plan_fixtures.h.
 */
#include "plan_fixtures.h"
#include "lang/value_json.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GOLDEN_DIR
#define GOLDEN_DIR "."
#endif

static const cp_schema_attr ingress_attrs[] = {
    { .name = "from_port", .type = CP_AT_NUMBER, .flags = CP_REQUIRED },
    { .name = "to_port", .type = CP_AT_NUMBER, .flags = CP_REQUIRED },
    { .name = "protocol", .type = CP_AT_STRING, .flags = CP_REQUIRED | CP_FORCE_NEW },
    { .name = "cidr_blocks", .type = CP_AT_LIST, .elem = CP_AT_STRING, .flags = CP_OPTIONAL },
    { .name = NULL },
};

static const cp_schema_attr bucket_attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED },
    { .name = "arn", .type = CP_AT_STRING, .flags = CP_COMPUTED },
    { .name = "bucket", .type = CP_AT_STRING, .flags = CP_REQUIRED | CP_FORCE_NEW },
    { .name = "acl", .type = CP_AT_STRING, .flags = CP_OPTIONAL | CP_COMPUTED },
    { .name = "versioning", .type = CP_AT_BOOL, .flags = CP_OPTIONAL },
    { .name = "policy", .type = CP_AT_STRING, .flags = CP_OPTIONAL | CP_JSON },
    { .name = "password", .type = CP_AT_STRING, .flags = CP_OPTIONAL | CP_SENSITIVE },
    { .name = "sg_ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED },
    { .name = "tags", .type = CP_AT_MAP, .elem = CP_AT_STRING, .flags = CP_OPTIONAL },
    { .name = "ingress",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = ingress_attrs },
    { .name = NULL },
};

static int fx_update(cp_provider_call *c, const cp_value *old, const cp_value *cfg, cp_value **st)
{
    (void)c;
    (void)old;
    *st = cp_retain(cfg);
    return 0;
}

const cp_resource_type fx_bucket_type = {
    .name = "test_bucket",
    .attrs = bucket_attrs,
    .update = fx_update,
};

const cp_resource_type fx_nocrud_type = { .name = "test_bucket", .attrs = bucket_attrs };

static cp_value *convert(const cp_value *v)
{
    if (cp_kind_of(v) == CP_STRING) {
        const char *s = cp_string_val(v);
        if (!strcmp(s, "(unknown)")) return cp_unknown();
        if (!strncmp(s, "(sensitive)", 11)) {
            cp_value *x = cp_string(s + 11), *m = cp_mark_sensitive(x);
            cp_release(x);
            return m;
        }
        return cp_retain(v);
    }
    if (cp_kind_of(v) == CP_LIST) {
        cp_value *out = cp_list_new();
        for (size_t i = 0; i < cp_len(v); i++) cp_list_push_take(out, convert(cp_list_get(v, i)));
        return out;
    }
    if (cp_kind_of(v) == CP_MAP) {
        cp_value *out = cp_map_new();
        for (size_t i = 0; i < cp_len(v); i++)
            cp_map_set_take(out, cp_map_key_at(v, i), convert(cp_map_value_at(v, i)));
        return out;
    }
    return cp_retain(v);
}

cp_value *fx_value(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
    if (!j) {
        fprintf(stderr, "bad fixture JSON: %s: %s\n", err.text, text);
        abort();
    }
    cp_value *raw = cp_value_from_json(j), *v = convert(raw);
    json_decref(j);
    cp_release(raw);
    return v;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = cp_xmalloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

bool fx_golden(const char *name, const char *text)
{
    char *path = cp_xasprintf("%s/%s", GOLDEN_DIR, name);
    const char *upd = getenv("CP_UPDATE_GOLDEN");
    if (upd && *upd == '1') {
        FILE *f = fopen(path, "wb");
        if (f) {
            fputs(text, f);
            fclose(f);
        }
        free(path);
        return true;
    }
    char *want = slurp(path);
    bool ok = want && !strcmp(want, text);
    if (!ok)
        fprintf(stderr, "golden %s differs; got:\n%s\n--- want:\n%s\n", path, text,
                want ? want : "(missing)");
    free(want);
    free(path);
    return ok;
}
