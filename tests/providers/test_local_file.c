/*
 * test_local_file.c: the local_file resource and data source through the
 * provider interface: create (content, sensitive_content, content_base64,
 * source, permissions, parent directories), read (unchanged, gone, edited
 * behind our back), update, delete, import, plan_known, and every
 * validation message.
 */
#include "helpers.h"

#define HELLO_SHA1      "f572d396fae9206628714fb2ce00f72e94f2258f"
#define HELLO_MD5       "b1946ac92492d2347c6235b4d2611184"
#define HELLO_SHA256    "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
#define HELLO_B64SHA256 "WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM="
#define HELLO_SHA512                                                                               \
    "e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931"                             \
    "f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629"
#define HELLO_B64SHA512                                                                            \
    "58IrmUxZ2c8rSOVJseJGZmNgRZMNPafBrLKZ0cO3+TH5Sq5B7dosKyB6NuEPi8uNRSI+VIePWzFufOO2vAGWKQ=="
#define BYE_SHA1 "ee9e51458f4642f48efe956962058245ee7127b1"

typedef struct fixture {
    char *dir;
    const cp_resource_type *t;
} fixture;

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = scratch_dir();
    f->t = type_of("local_file", false);
    umask(022);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    remove_tree(f->dir);
    free(f);
    return 0;
}

static char *path_in(fixture *f, const char *name) { return cp_xasprintf("%s/%s", f->dir, name); }

/* create with config; asserts success and returns the state. */
static cp_value *create_ok(fixture *f, cp_value *config)
{
    cp_provider_call c = new_call();
    cp_value *state = NULL;
    int rc = f->t->create(&c, config, &state);
    if (rc != 0) fail_msg("create failed: %s", c.error);
    cp_release(config);
    assert_non_null(state);
    return state;
}

static void assert_hello_hashes(const cp_value *s)
{
    assert_string_equal(sget(s, "id"), HELLO_SHA1);
    assert_string_equal(sget(s, "content_md5"), HELLO_MD5);
    assert_string_equal(sget(s, "content_sha1"), HELLO_SHA1);
    assert_string_equal(sget(s, "content_sha256"), HELLO_SHA256);
    assert_string_equal(sget(s, "content_base64sha256"), HELLO_B64SHA256);
    assert_string_equal(sget(s, "content_sha512"), HELLO_SHA512);
    assert_string_equal(sget(s, "content_base64sha512"), HELLO_B64SHA512);
}

static void test_create_content(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "sub/dir/hello.txt");
    cp_value *s =
        create_ok(f, map_of("filename", cp_string(path), "content", cp_string("hello\n"), NULL));
    char *text = slurp(path);
    assert_string_equal(text, "hello\n");
    assert_hello_hashes(s);
    assert_string_equal(sget(s, "filename"), path);
    assert_string_equal(sget(s, "content"), "hello\n");
    assert_string_equal(sget(s, "file_permission"), "0777"); /* Terraform's default */
    assert_string_equal(sget(s, "directory_permission"), "0777");
    assert_true(cp_is_null(cp_map_get(s, "content_base64")));
    assert_true(cp_is_null(cp_map_get(s, "source")));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0755); /* 0777 less umask 022 */
    char *sub = path_in(f, "sub/dir");
    assert_int_equal(stat(sub, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    free(sub);
    free(text);
    free(path);
    cp_release(s);
}

static void test_create_permission(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "key.pem");
    cp_value *s = create_ok(f, map_of("filename", cp_string(path), "content", cp_string("k"),
                                      "file_permission", cp_string("0600"), NULL));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_string_equal(sget(s, "file_permission"), "0600");
    free(path);
    cp_release(s);
}

static void test_create_base64_binary(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "bin");
    cp_value *s = create_ok(
        f, map_of("filename", cp_string(path), "content_base64", cp_string("AAEC/w=="), NULL));
    FILE *fp = fopen(path, "rb");
    unsigned char b[8];
    assert_int_equal(fread(b, 1, sizeof b, fp), 4);
    fclose(fp);
    assert_memory_equal(b, "\x00\x01\x02\xff", 4);
    assert_string_equal(sget(s, "content_base64"), "AAEC/w==");
    assert_true(cp_is_null(cp_map_get(s, "content")));
    free(path);
    cp_release(s);
}

static void test_create_sensitive(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "secret");
    cp_value *s = create_ok(
        f, map_of("filename", cp_string(path), "sensitive_content", cp_string("hello\n"), NULL));
    char *text = slurp(path);
    assert_string_equal(text, "hello\n");
    assert_true(cp_is_sensitive(cp_map_get(s, "sensitive_content")));
    assert_true(cp_is_sensitive(cp_map_get(s, "id")));
    assert_true(cp_is_sensitive(cp_map_get(s, "content_sha256")));
    assert_hello_hashes(s);
    free(text);
    free(path);
    cp_release(s);
}

static void test_create_marked_content_stays_marked(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "marked");
    cp_value *raw = cp_string("hello\n");
    cp_value *marked = cp_mark_sensitive(raw);
    cp_release(raw);
    cp_value *s = create_ok(f, map_of("filename", cp_string(path), "content", marked, NULL));
    assert_true(cp_is_sensitive(cp_map_get(s, "content")));
    assert_true(cp_is_sensitive(cp_map_get(s, "content_md5")));
    free(path);
    cp_release(s);
}

static void test_create_source(void **st)
{
    fixture *f = *st;
    char *src = path_in(f, "src.txt"), *dst = path_in(f, "copy.txt");
    spit(src, "hello\n");
    cp_value *s = create_ok(f, map_of("filename", cp_string(dst), "source", cp_string(src), NULL));
    char *text = slurp(dst);
    assert_string_equal(text, "hello\n");
    assert_hello_hashes(s);
    free(text);
    free(src);
    free(dst);
    cp_release(s);
}

static void expect_create_error(fixture *f, cp_value *config, const char *want)
{
    cp_provider_call c = new_call();
    cp_value *state = NULL;
    assert_int_equal(f->t->create(&c, config, &state), -1);
    assert_null(state);
    assert_non_null(c.error);
    assert_string_equal(c.error, want);
    clear_error(&c);
    cp_release(config);
}

static void test_create_errors(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "x");
    expect_create_error(
        f, map_of("filename", cp_string(path), "content", cp_null(), NULL),
        "set exactly one of content, sensitive_content, content_base64 or source (none is set)");
    expect_create_error(
        f,
        map_of("filename", cp_string(path), "content", cp_string("a"), "source",
               cp_string("/etc/hostname"), NULL),
        "set exactly one of content, sensitive_content, content_base64 or source (content and source are both set)");
    expect_create_error(
        f, map_of("filename", cp_string(path), "content_base64", cp_string("@@"), NULL),
        "content_base64 is not valid base64: encode it with base64encode() or filebase64()");
    char *missing = path_in(f, "nope");
    char *want =
        cp_xasprintf("cannot read source %s: No such file or directory; check the path", missing);
    expect_create_error(f, map_of("filename", cp_string(path), "source", cp_string(missing), NULL),
                        want);
    free(want);
    free(missing);
    spit(path, "a file, so not a directory");
    char *below = path_in(f, "x/y.txt");
    want = cp_xasprintf(
        "cannot write %s: Not a directory; check the path and its directory's permissions", below);
    expect_create_error(f, map_of("filename", cp_string(below), "content", cp_string("a"), NULL),
                        want);
    free(want);
    free(below);
    expect_create_error(f, map_of("content", cp_string("a"), NULL),
                        "filename is required: set it to the path of the file to write");
    free(path);
}

static void test_nulls_do_not_count(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "n");
    cp_value *s =
        create_ok(f, map_of("filename", cp_string(path), "content", cp_string("hello\n"),
                            "content_base64", cp_null(), "source", cp_null(), "sensitive_content",
                            cp_null(), "file_permission", cp_null(), NULL));
    assert_string_equal(sget(s, "file_permission"), "0777");
    free(path);
    cp_release(s);
}

/* --- read ------------------------------------------------------------------ */

static cp_value *read_ok(fixture *f, const cp_value *state)
{
    cp_provider_call c = new_call();
    cp_value *ns = (cp_value *)1;
    int rc = f->t->read(&c, state, &ns);
    if (rc != 0) fail_msg("read failed: %s", c.error);
    return ns;
}

static void test_read_unchanged_gone_edited(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "r.txt");
    cp_value *s =
        create_ok(f, map_of("filename", cp_string(path), "content", cp_string("hello\n"), NULL));
    cp_value *ns = read_ok(f, s);
    assert_true(cp_equal(ns, s));
    cp_release(ns);

    spit(path, "bye\n"); /* edited behind our back */
    ns = read_ok(f, s);
    assert_string_equal(sget(ns, "content"), "bye\n");
    assert_string_equal(sget(ns, "id"), BYE_SHA1);
    assert_string_equal(sget(ns, "filename"), path);
    cp_release(ns);

    unlink(path); /* deleted behind our back */
    ns = read_ok(f, s);
    assert_null(ns);
    free(path);
    cp_release(s);
}

static void test_read_edited_base64(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "b");
    cp_value *s = create_ok(
        f, map_of("filename", cp_string(path), "content_base64", cp_string("aGVsbG8K"), NULL));
    assert_string_equal(sget(s, "id"), HELLO_SHA1);
    spit(path, "bye\n");
    cp_value *ns = read_ok(f, s);
    assert_string_equal(sget(ns, "content_base64"), "YnllCg==");
    assert_true(cp_is_null(cp_map_get(ns, "content")));
    assert_string_equal(sget(ns, "id"), BYE_SHA1);
    cp_release(ns);
    free(path);
    cp_release(s);
}

static void test_read_edited_sensitive_stays_sensitive(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "s");
    cp_value *s = create_ok(
        f, map_of("filename", cp_string(path), "sensitive_content", cp_string("pw"), NULL));
    spit(path, "other");
    cp_value *ns = read_ok(f, s);
    assert_true(cp_is_sensitive(cp_map_get(ns, "sensitive_content")));
    assert_true(cp_is_sensitive(cp_map_get(ns, "id")));
    cp_release(ns);
    free(path);
    cp_release(s);
}

static void test_read_errors(void **st)
{
    fixture *f = *st;
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    cp_value *s = map_of("id", cp_string("x"), NULL);
    assert_int_equal(f->t->read(&c, s, &ns), -1);
    assert_string_equal(
        c.error,
        "state has no filename; remove it with `cpstack state rm` and import the file again");
    clear_error(&c);
    cp_release(s);
    s = map_of("id", cp_string("x"), "filename", cp_string(f->dir), NULL); /* a directory */
    assert_int_equal(f->t->read(&c, s, &ns), -1);
    assert_non_null(strstr(c.error, "cannot read"));
    clear_error(&c);
    cp_release(s);
}

/* --- update / delete ------------------------------------------------------------ */

static void test_update_rewrites(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "u.txt");
    cp_value *s =
        create_ok(f, map_of("filename", cp_string(path), "content", cp_string("hello\n"), NULL));
    cp_value *cfg = map_of("filename", cp_string(path), "content", cp_string("bye\n"),
                           "file_permission", cp_string("0640"), NULL);
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    assert_non_null(f->t->update);
    assert_int_equal(f->t->update(&c, s, cfg, &ns), 0);
    char *text = slurp(path);
    assert_string_equal(text, "bye\n");
    assert_string_equal(sget(ns, "id"), BYE_SHA1);
    assert_string_equal(sget(ns, "file_permission"), "0640");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    free(text);
    cp_release(ns);
    cp_release(cfg);
    cp_release(s);
    free(path);
}

static void test_delete(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "d.txt");
    cp_value *s =
        create_ok(f, map_of("filename", cp_string(path), "content", cp_string("x"), NULL));
    cp_provider_call c = new_call();
    assert_int_equal(f->t->delete (&c, s), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(f->t->delete (&c, s), 0); /* already gone: fine */
    assert_null(c.error);
    cp_release(s);
    free(path);
}

static void test_delete_error(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "sub");
    char *file = path_in(f, "sub/f");
    mkdir(path, 0755);
    spit(file, "x");
    chmod(path, 0555); /* cannot unlink inside */
    cp_value *s = map_of("filename", cp_string(file), NULL);
    cp_provider_call c = new_call();
    if (geteuid() == 0) { /* root ignores permissions */
        assert_int_equal(f->t->delete (&c, s), 0);
    } else {
        assert_int_equal(f->t->delete (&c, s), -1);
        char *want = cp_xasprintf(
            "cannot delete %s: Permission denied; check its directory's permissions", file);
        assert_string_equal(c.error, want);
        free(want);
        clear_error(&c);
    }
    chmod(path, 0755);
    cp_release(s);
    free(path);
    free(file);
}

/* --- import, plan_known -------------------------------------------------------------- */

static void test_import(void **st)
{
    fixture *f = *st;
    char *path = path_in(f, "i.txt");
    spit(path, "hello\n");
    chmod(path, 0640);
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    assert_int_equal(f->t->import(&c, path, &s), 0);
    assert_string_equal(sget(s, "filename"), path);
    assert_string_equal(sget(s, "content"), "hello\n");
    assert_string_equal(sget(s, "file_permission"), "0640");
    assert_string_equal(sget(s, "directory_permission"), "0777");
    assert_hello_hashes(s);
    cp_value *ns = read_ok(f, s); /* a refresh right after: no change */
    assert_true(cp_equal(ns, s));
    cp_release(ns);
    cp_release(s);

    FILE *fp = fopen(path, "wb");
    fwrite("\x00\x01\x02\xff", 1, 4, fp);
    fclose(fp);
    assert_int_equal(f->t->import(&c, path, &s), 0);
    assert_string_equal(sget(s, "content_base64"), "AAEC/w==");
    assert_true(cp_is_null(cp_map_get(s, "content")));
    cp_release(s);

    char *missing = path_in(f, "missing");
    assert_int_equal(f->t->import(&c, missing, &s), -1);
    char *want = cp_xasprintf(
        "cannot import %s: No such file or directory; give the path of an existing file", missing);
    assert_string_equal(c.error, want);
    clear_error(&c);
    free(want);
    free(missing);
    free(path);
}

static void test_plan_known(void **st)
{
    fixture *f = *st;
    assert_non_null(f->t->plan_known);
    cp_value *cfg = map_of("filename", cp_string("x"), "content", cp_string("hello\n"), NULL);
    cp_value *k = f->t->plan_known(cfg);
    assert_hello_hashes(k);
    assert_null(cp_map_get(k, "filename"));
    cp_release(k);
    cp_release(cfg);

    cfg = map_of("filename", cp_string("x"), "content", cp_unknown(), NULL);
    k = f->t->plan_known(cfg);
    assert_int_equal(cp_kind_of(k), CP_MAP);
    assert_int_equal(cp_len(k), 0); /* known after apply */
    cp_release(k);
    cp_release(cfg);

    cfg = map_of("filename", cp_string("x"), "sensitive_content", cp_string("hello\n"), NULL);
    k = f->t->plan_known(cfg);
    assert_true(cp_is_sensitive(cp_map_get(k, "id")));
    cp_release(k);
    cp_release(cfg);
}

/* --- validation ------------------------------------------------------------------------- */

static void test_validation(void **st)
{
    fixture *f = *st;
    const cp_resource_type *t = f->t;
    assert_string_equal(rule_for(t, "filename", cp_string("")), "must not be empty");
    assert_null(rule_for(t, "filename", cp_string("a.txt")));
    const char *mode_rule = "must be 3 or 4 octal digits, like \"0644\"";
    assert_string_equal(rule_for(t, "file_permission", cp_string("0999")), mode_rule);
    assert_string_equal(rule_for(t, "file_permission", cp_string("rw-r--r--")), mode_rule);
    assert_string_equal(rule_for(t, "directory_permission", cp_string("07777")), mode_rule);
    assert_null(rule_for(t, "file_permission", cp_string("644")));
    assert_null(rule_for(t, "file_permission", cp_string("0644")));
    assert_null(rule_for(t, "file_permission", cp_number(644))); /* type errors come elsewhere */
    assert_string_equal(
        rule_for(t, "content_base64", cp_string("no spaces allowed")),
        "must be base64 (A-Z, a-z, 0-9, '+', '/', padded with '='), e.g. from filebase64()");
    assert_null(rule_for(t, "content_base64", cp_string("aGVsbG8K")));
    const cp_schema_attr *fn = cp_schema_find(t->attrs, "filename");
    assert_true(fn->flags & CP_REQUIRED);
    assert_true(fn->flags & CP_FORCE_NEW);
    assert_true(cp_schema_find(t->attrs, "sensitive_content")->flags & CP_SENSITIVE);
    assert_string_equal(cp_schema_find(t->attrs, "file_permission")->default_json, "\"0777\"");
}

/* --- the data source ------------------------------------------------------------------------ */

static void test_data_source(void **st)
{
    fixture *f = *st;
    const cp_resource_type *d = type_of("local_file", true);
    assert_true(d->is_data);
    assert_non_null(d->read_data);
    char *path = path_in(f, "data.txt");
    spit(path, "hello\n");
    cp_value *cfg = map_of("filename", cp_string(path), NULL);
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    assert_int_equal(d->read_data(&c, cfg, &s), 0);
    assert_string_equal(sget(s, "content"), "hello\n");
    assert_string_equal(sget(s, "content_base64"), "aGVsbG8K");
    assert_hello_hashes(s);
    cp_release(s);
    cp_release(cfg);
    unlink(path);
    cfg = map_of("filename", cp_string(path), NULL);
    assert_int_equal(d->read_data(&c, cfg, &s), -1);
    char *want = cp_xasprintf("cannot read %s: No such file or directory; check the path", path);
    assert_string_equal(c.error, want);
    free(want);
    clear_error(&c);
    cp_release(cfg);
    free(path);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_content),
        T(test_create_permission),
        T(test_create_base64_binary),
        T(test_create_sensitive),
        T(test_create_marked_content_stays_marked),
        T(test_create_source),
        T(test_create_errors),
        T(test_nulls_do_not_count),
        T(test_read_unchanged_gone_edited),
        T(test_read_edited_base64),
        T(test_read_edited_sensitive_stays_sensitive),
        T(test_read_errors),
        T(test_update_rewrites),
        T(test_delete),
        T(test_delete_error),
        T(test_import),
        T(test_plan_known),
        T(test_validation),
        T(test_data_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
