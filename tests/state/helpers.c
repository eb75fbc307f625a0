/*
 * helpers.c: see helpers.h. The schema checker understands the keywords
 * state.schema.json uses: $ref (to #/$defs/…), type, const, enum, minimum,
 * pattern (POSIX ERE), required, properties, additionalProperties, items,
 * oneOf. An unknown keyword is ignored, like a validator would for
 * annotations; the checker's own test keeps it honest.
 */
#include "helpers.h"

#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/xalloc.h"

char *th_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = cp_xasprintf("%s/cpstate-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpl)) {
        free(tmpl);
        return NULL;
    }
    return tmpl;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void th_rmrf(const char *dir)
{
    if (dir) nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *th_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    cp_buf b;
    cp_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) cp_buf_add(&b, chunk, n);
    fclose(f);
    cp_buf_add(&b, "", 0); /* NUL-terminated even when empty */
    if (len) *len = b.len;
    return cp_buf_steal(&b);
}

void th_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* --- sample state ------------------------------------------------------------ */
static cp_instance *sample_instance(const char *addr, cp_status status)
{
    cp_instance *i = cp_instance_new_str(addr, NULL);
    assert_non_null(i);
    cp_instance_set_status(i, status);
    return i;
}

static cp_value *db_attrs(void)
{
    cp_value *tags = cp_map_new();
    cp_map_set_take(tags, "Name", cp_string("db"));
    cp_value *secret = cp_string("s3cr3t-tag");
    cp_map_set_take(tags, "Secret", cp_mark_sensitive(secret));
    cp_release(secret);
    cp_value *pw = cp_string("hunter2");
    cp_value *ports = cp_list_new();
    cp_list_push_take(ports, cp_number(5432));
    cp_list_push_take(ports, cp_number(5433));
    cp_value *a = cp_map_new();
    cp_map_set_take(a, "id", cp_string("db-123"));
    cp_map_set_take(a, "password", cp_mark_sensitive(pw));
    cp_map_set_take(a, "tags", tags);
    cp_map_set_take(a, "ports", ports);
    cp_map_set_take(a, "size", cp_number(20.5));
    cp_map_set_take(a, "enabled", cp_bool(true));
    cp_map_set_take(a, "note", cp_null());
    cp_release(pw);
    return a;
}

static void put_with_id(cp_state *s, const char *addr, cp_status st, const char *id,
                        const char *dep)
{
    cp_instance *i = sample_instance(addr, st);
    cp_value *a = cp_map_new();
    cp_map_set_take(a, "id", cp_string(id));
    cp_instance_set_attrs(i, a);
    cp_release(a);
    if (dep) assert_true(cp_instance_add_dep_str(i, dep, NULL));
    cp_state_put_take(s, i);
}

cp_state *th_sample_state(void)
{
    cp_state *s = cp_state_new("webserver", "main");
    cp_instance *db = sample_instance("aws_db_instance.main", CP_STATUS_OK);
    cp_value *a = db_attrs();
    cp_instance_set_attrs(db, a);
    cp_release(a);
    cp_instance_set_schema_version(db, 2);
    assert_true(cp_instance_add_dep_str(db, "aws_security_group.db", NULL));
    assert_true(cp_instance_add_dep_str(db, "aws_subnet.private[1]", NULL));
    cp_state_put_take(s, db);
    put_with_id(s, "aws_s3_bucket.logs[\"we \\\"quoted\\\"\\nkey\"]", CP_STATUS_OK, "b1", NULL);
    put_with_id(s, "aws_s3_bucket.logs[\"a\"]", CP_STATUS_TAINTED, "b2", "data.aws_ami.al2");
    put_with_id(s, "aws_subnet.private[0]", CP_STATUS_OK, "subnet-0", NULL);
    put_with_id(s, "aws_subnet.private[10]", CP_STATUS_PENDING_CREATE, "", NULL);
    put_with_id(s, "aws_subnet.private[2]", CP_STATUS_OK, "subnet-2", NULL);
    put_with_id(s, "data.aws_ami.al2", CP_STATUS_OK, "ami-1", NULL);
    cp_value *url = cp_string("http://example");
    cp_state_set_output(s, "url", url, false);
    cp_release(url);
    cp_value *pw = cp_string("hunter2");
    cp_state_set_output(s, "db_password", pw, true);
    cp_release(pw);
    return s;
}

cp_state *th_crash_state(const char *lineage, int64_t gen)
{
    cp_state *s = cp_state_new("crash", "main");
    cp_state_set_lineage(s, lineage);
    int n = 20 + (int)((gen * 37) % 180);
    for (int k = 0; k < n; k++) {
        char addr[48];
        snprintf(addr, sizeof addr, "local_file.f[%d]", k);
        cp_instance *i = cp_instance_new_str(addr, NULL);
        cp_value *a = cp_map_new(), *secret = cp_stringf("s-%lld", (long long)gen);
        cp_map_set_take(a, "content", cp_stringf("generation %lld of file %d", (long long)gen, k));
        cp_map_set_take(a, "gen", cp_number((double)gen));
        cp_map_set_take(a, "secret", cp_mark_sensitive(secret));
        cp_instance_set_attrs(i, a);
        if (k) cp_instance_add_dep_str(i, "local_file.f[0]", NULL);
        cp_release(secret);
        cp_release(a);
        cp_state_put_take(s, i);
    }
    cp_value *g = cp_number((double)gen);
    cp_state_set_output(s, "gen", g, false);
    cp_release(g);
    cp_state_set_serial(s, gen - 1);
    return s;
}

/* --- schema checking ------------------------------------------------------------- */
typedef struct checker {
    const json_t *root; /* the schema, for $ref */
    char *err;
} checker;

static bool violation(checker *c, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool violation(checker *c, const char *where, const char *fmt, ...)
{
    if (c->err) return false;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_printf(&b, "%s: ", where[0] ? where : "(document)");
    va_list ap;
    va_start(ap, fmt);
    cp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    c->err = cp_buf_steal(&b);
    return false;
}

static bool validate(checker *c, const json_t *schema, const json_t *v, const char *where);

static bool type_is(const char *t, const json_t *v)
{
    if (!strcmp(t, "object")) return json_is_object(v);
    if (!strcmp(t, "array")) return json_is_array(v);
    if (!strcmp(t, "string")) return json_is_string(v);
    if (!strcmp(t, "integer"))
        return json_is_integer(v) ||
               (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)));
    if (!strcmp(t, "number")) return json_is_number(v);
    if (!strcmp(t, "boolean")) return json_is_boolean(v);
    if (!strcmp(t, "null")) return json_is_null(v);
    return false;
}

static bool check_type(checker *c, const json_t *schema, const json_t *v, const char *where)
{
    json_t *t = json_object_get(schema, "type");
    if (!t) return true;
    if (json_is_string(t)) {
        if (type_is(json_string_value(t), v)) return true;
        return violation(c, where, "must be of type %s", json_string_value(t));
    }
    size_t i;
    json_t *e;
    json_array_foreach(t, i, e) if (type_is(json_string_value(e), v)) return true;
    return violation(c, where, "has none of the allowed types");
}

static bool check_scalar(checker *c, const json_t *schema, const json_t *v, const char *where)
{
    json_t *k = json_object_get(schema, "const");
    if (k && !json_equal(k, v)) return violation(c, where, "must equal the schema's const");
    json_t *en = json_object_get(schema, "enum");
    if (en) {
        size_t i;
        json_t *e;
        bool any = false;
        json_array_foreach(en, i, e) any = any || json_equal(e, v);
        if (!any) return violation(c, where, "is not one of the allowed values");
    }
    json_t *min = json_object_get(schema, "minimum");
    if (min && json_is_number(v) && json_number_value(v) < json_number_value(min))
        return violation(c, where, "is below the minimum");
    json_t *pat = json_object_get(schema, "pattern");
    if (pat && json_is_string(v)) {
        regex_t re;
        assert_int_equal(regcomp(&re, json_string_value(pat), REG_EXTENDED | REG_NOSUB), 0);
        int m = regexec(&re, json_string_value(v), 0, NULL, 0);
        regfree(&re);
        if (m != 0) return violation(c, where, "does not match %s", json_string_value(pat));
    }
    return true;
}

static bool check_object(checker *c, const json_t *schema, const json_t *v, const char *where)
{
    if (!json_is_object(v)) return true;
    size_t i;
    json_t *e;
    json_array_foreach(
        json_object_get(schema, "required"), i,
        e) if (!json_object_get(v,
                                json_string_value(e))) return violation(c, where,
                                                                        "lacks required key \"%s\"",
                                                                        json_string_value(e));
    json_t *props = json_object_get(schema, "properties");
    json_t *extra = json_object_get(schema, "additionalProperties");
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val)
    {
        char *sub = cp_xasprintf("%s.%s", where, key);
        json_t *ps = json_object_get(props, key);
        bool ok = true;
        if (ps)
            ok = validate(c, ps, val, sub);
        else if (json_is_false(extra))
            ok = violation(c, sub, "is not allowed by the schema");
        else if (json_is_object(extra))
            ok = validate(c, extra, val, sub);
        free(sub);
        if (!ok) return false;
    }
    return true;
}

static bool check_items(checker *c, const json_t *schema, const json_t *v, const char *where)
{
    json_t *items = json_object_get(schema, "items");
    if (!items || !json_is_array(v)) return true;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        char *sub = cp_xasprintf("%s[%zu]", where, i);
        bool ok = validate(c, items, e, sub);
        free(sub);
        if (!ok) return false;
    }
    return true;
}

static bool check_one_of(checker *c, const json_t *schema, const json_t *v, const char *where)
{
    json_t *alts = json_object_get(schema, "oneOf");
    if (!alts) return true;
    size_t i, matches = 0;
    json_t *e;
    char *first = NULL; /* why the first alternative failed */
    json_array_foreach(alts, i, e)
    {
        checker sub = { c->root, NULL };
        if (validate(&sub, e, v, where)) matches++;
        if (i == 0)
            first = sub.err;
        else
            free(sub.err);
    }
    /* None matched: the first alternative's reason is the useful one (the
     * usual shape comes first). */
    if (matches == 0 && first) {
        if (!c->err)
            c->err = first;
        else
            free(first);
        return false;
    }
    free(first);
    return matches == 1 ? true : violation(c, where, "matches %zu of the oneOf schemas", matches);
}

static bool validate(checker *c, const json_t *schema, const json_t *v, const char *where)
{
    json_t *ref = json_object_get(schema, "$ref");
    if (ref) {
        const char *r = json_string_value(ref);
        assert_true(strncmp(r, "#/$defs/", 8) == 0);
        json_t *target = json_object_get(json_object_get(c->root, "$defs"), r + 8);
        assert_non_null(target);
        return validate(c, target, v, where);
    }
    return check_type(c, schema, v, where) && check_scalar(c, schema, v, where) &&
           check_object(c, schema, v, where) && check_items(c, schema, v, where) &&
           check_one_of(c, schema, v, where);
}

char *th_schema_check(const json_t *doc)
{
    const char *path = getenv("CPSTACK_STATE_SCHEMA");
    assert_non_null(path);
    json_error_t je;
    json_t *schema = json_load_file(path, 0, &je);
    if (!schema) fail_msg("cannot load schema %s: %s", path, je.text);
    checker c = { schema, NULL };
    validate(&c, schema, doc, "");
    json_decref(schema);
    return c.err;
}

void th_assert_schema_file(const char *path)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) fail_msg("%s is not JSON: %s", path, je.text);
    char *err = th_schema_check(doc);
    json_decref(doc);
    if (err) fail_msg("%s violates state.schema.json: %s", path, err);
}

static bool is_state_name(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.') return false; /* temp files */
    if (n > 8 && !strcmp(name + n - 8, ".cpstate")) return true;
    return n > 15 && !strcmp(name + n - 15, ".cpstate.backup");
}

size_t th_assert_schema_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t checked = 0;
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *path = cp_xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            checked += th_assert_schema_dir(path);
        } else if (is_state_name(de->d_name)) {
            char *text = th_read_file(path, NULL);
            if (text && text[0] == '{') {
                th_assert_schema_file(path);
                checked++;
            }
            free(text);
        }
        free(path);
    }
    if (d) closedir(d);
    return checked;
}
