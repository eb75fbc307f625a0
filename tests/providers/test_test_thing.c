/*
 * test_test_thing.c: the test-only test_thing type through the provider
 * interface: its world directory (create, read seeing edits and deletions,
 * update, delete, import, read_batch, the data source), its call log (exact
 * lines, and whole lines under concurrent calls), failures on demand
 * (attributes and CPSTACK_TEST_FAIL), stalls and cancellation (a create
 * cancelled after the object exists still returns its state), validation.
 */
#include "helpers.h"

#include <pthread.h>
#include <time.h>

typedef struct fixture {
    char *world, *log, *dir;
    const cp_resource_type *t;
} fixture;

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = scratch_dir();
    f->world = cp_xasprintf("%s/world", f->dir);
    f->log = cp_xasprintf("%s/calls.log", f->dir);
    setenv("CPSTACK_TEST_WORLD", f->world, 1);
    setenv("CPSTACK_TEST_LOG", f->log, 1);
    unsetenv("CPSTACK_TEST_FAIL");
    f->t = type_of("test_thing", false);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    unsetenv("CPSTACK_TEST_WORLD");
    unsetenv("CPSTACK_TEST_LOG");
    unsetenv("CPSTACK_TEST_FAIL");
    free(f->world);
    free(f->log);
    remove_tree(f->dir);
    free(f);
    return 0;
}

static cp_value *thing(const char *name, const char *value)
{
    return map_of("name", cp_string(name), "value", value ? cp_string(value) : cp_null(), NULL);
}

static cp_value *create_ok(fixture *f, cp_value *config)
{
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    if (f->t->create(&c, config, &s) != 0) fail_msg("create failed: %s", c.error);
    cp_release(config);
    assert_non_null(s);
    return s;
}

static char *world_file(fixture *f, const char *id)
{
    char *p = cp_xasprintf("%s/%s", f->world, id);
    char *text = slurp(p);
    free(p);
    return text;
}

static void assert_log(fixture *f, const char *want)
{
    char *text = slurp(f->log);
    assert_string_equal(text ? text : "", want);
    free(text);
}

static void test_create_world_and_log(void **st)
{
    fixture *f = *st;
    cp_value *s = create_ok(f, thing("a", "v1"));
    assert_string_equal(sget(s, "id"), "a");
    assert_string_equal(sget(s, "echo"), "v1");
    assert_false(cp_bool_val(cp_map_get(s, "fail_on_create")));
    assert_int_equal(cp_number_val(cp_map_get(s, "sleep_ms")), 0);
    assert_int_equal(cp_kind_of(cp_map_get(s, "rule")), CP_LIST);
    char *obj = world_file(f, "a");
    assert_non_null(obj);
    assert_non_null(strstr(obj, "\"value\":\"v1\""));
    assert_non_null(strstr(obj, "\"name\":\"a\""));
    free(obj);
    assert_log(f, "create test_thing a\n");
    cp_release(s);
}

static void test_create_duplicate(void **st)
{
    fixture *f = *st;
    cp_release(create_ok(f, thing("dup", NULL)));
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    cp_value *cfg = thing("dup", NULL);
    assert_int_equal(f->t->create(&c, cfg, &s), -1);
    assert_null(s);
    char *want = cp_xasprintf(
        "test_thing \"dup\" already exists in %s: import it or choose another name", f->world);
    assert_string_equal(c.error, want);
    free(want);
    clear_error(&c);
    cp_release(cfg);
}

static void test_no_world(void **st)
{
    fixture *f = *st;
    unsetenv("CPSTACK_TEST_WORLD");
    cp_value *s = create_ok(f, thing("free", "x"));
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    assert_int_equal(f->t->read(&c, s, &ns), 0);
    assert_true(cp_equal(ns, s));
    cp_release(ns);
    assert_int_equal(f->t->delete (&c, s), 0);
    assert_int_equal(f->t->import(&c, "free", &ns), -1);
    assert_string_equal(
        c.error,
        "cannot import test_thing \"free\": set CPSTACK_TEST_WORLD to the directory of test objects");
    clear_error(&c);
    cp_release(s);
}

static void expect_fail(fixture *f, cp_value *cfg, const char *want, bool want_state)
{
    cp_provider_call c = new_call();
    cp_value *s = NULL;
    assert_int_equal(f->t->create(&c, cfg, &s), -1);
    assert_string_equal(c.error, want);
    if (want_state)
        assert_non_null(s);
    else
        assert_null(s);
    cp_release(s);
    clear_error(&c);
    cp_release(cfg);
}

static void test_fail_on_create_and_after(void **st)
{
    fixture *f = *st;
    cp_value *cfg = thing("bad", NULL);
    cp_map_set_take(cfg, "fail_on_create", cp_bool(true));
    expect_fail(
        f, cfg,
        "test_thing \"bad\": create failed on purpose (fail_on_create = true); set it to false",
        false);
    char *obj = world_file(f, "bad");
    assert_null(obj);
    cfg = thing("half", NULL);
    cp_map_set_take(cfg, "fail_after_create", cp_bool(true));
    expect_fail(
        f, cfg,
        "test_thing \"half\": create failed on purpose (fail_after_create = true); set it to false",
        true);
    obj = world_file(f, "half");
    assert_non_null(obj); /* it exists, and state says so */
    free(obj);
    assert_log(f, "create test_thing bad\ncreate test_thing half\n");
}

static void test_env_fail(void **st)
{
    fixture *f = *st;
    setenv("CPSTACK_TEST_FAIL", "b,update:a,read:c", 1);
    expect_fail(f, thing("b", NULL),
                "test_thing \"b\": create failed on purpose (CPSTACK_TEST_FAIL); unset it", false);
    cp_value *a = create_ok(f, thing("a", "1"));
    cp_value *c_state = create_ok(f, thing("c", "1"));
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    cp_value *cfg = thing("a", "2");
    assert_int_equal(f->t->update(&c, a, cfg, &ns), -1);
    assert_string_equal(c.error,
                        "test_thing \"a\": update failed on purpose (CPSTACK_TEST_FAIL); unset it");
    clear_error(&c);
    assert_int_equal(f->t->read(&c, a, &ns), 0); /* read of a is fine */
    cp_release(ns);
    assert_int_equal(f->t->read(&c, c_state, &ns), -1);
    assert_string_equal(c.error,
                        "test_thing \"c\": read failed on purpose (CPSTACK_TEST_FAIL); unset it");
    clear_error(&c);
    unsetenv("CPSTACK_TEST_FAIL");
    assert_int_equal(f->t->update(&c, a, cfg, &ns), 0);
    cp_release(ns);
    cp_release(cfg);
    cp_release(a);
    cp_release(c_state);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_sleep(void **st)
{
    fixture *f = *st;
    cp_value *cfg = thing("slow", NULL);
    cp_map_set_take(cfg, "sleep_ms", cp_number(200));
    long long t0 = now_ms();
    cp_value *s = create_ok(f, cfg);
    assert_true(now_ms() - t0 >= 200);
    cp_release(s);
}

typedef struct canceller {
    volatile sig_atomic_t *flag;
    int after_ms;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *k = arg;
    struct timespec ts = { k->after_ms / 1000, (k->after_ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
    __atomic_store_n(k->flag, 1, __ATOMIC_RELAXED);
    return NULL;
}

/* Cancel while create stalls: at `after_ms` into a 2 x 300 ms sleep. */
static void cancel_create(fixture *f, const char *name, int after_ms, bool exists)
{
    volatile sig_atomic_t flag = 0;
    canceller k = { &flag, after_ms };
    pthread_t tid;
    pthread_create(&tid, NULL, cancel_later, &k);
    cp_value *cfg = thing(name, NULL);
    cp_map_set_take(cfg, "sleep_ms", cp_number(600));
    cp_provider_call c = new_call();
    c.cancel = &flag;
    cp_value *s = NULL;
    long long t0 = now_ms();
    assert_int_equal(f->t->create(&c, cfg, &s), -1);
    assert_true(now_ms() - t0 < 550); /* it did not sleep it out */
    assert_string_equal(c.error, "interrupted while waiting; run apply again to finish");
    if (exists)
        assert_string_equal(sget(s, "id"), name);
    else
        assert_null(s);
    char *obj = world_file(f, name);
    assert_int_equal(obj != NULL, exists);
    free(obj);
    pthread_join(tid, NULL);
    clear_error(&c);
    cp_release(s);
    cp_release(cfg);
}

static void test_cancel(void **st)
{
    fixture *f = *st;
    cancel_create(f, "early", 100, false); /* before the object exists */
    cancel_create(f, "late", 400, true);   /* after: state comes back */
}

static void test_read_sees_world(void **st)
{
    fixture *f = *st;
    cp_value *cfg = thing("r", "v1");
    cp_map_set_take(cfg, "secret", cp_string("pw"));
    cp_value *s = create_ok(f, cfg);
    assert_true(cp_is_sensitive(cp_map_get(s, "secret")));
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    assert_int_equal(f->t->read(&c, s, &ns), 0);
    assert_true(cp_equal(ns, s));
    cp_release(ns);
    char *p = cp_xasprintf("%s/r", f->world);
    spit(p, "{\"name\":\"r\",\"value\":\"edited\",\"secret\":\"pw\"}");
    assert_int_equal(f->t->read(&c, s, &ns), 0);
    assert_string_equal(sget(ns, "value"), "edited");
    assert_string_equal(sget(ns, "echo"), "edited");
    assert_true(cp_is_sensitive(cp_map_get(ns, "secret")));
    cp_release(ns);
    spit(p, "not json");
    assert_int_equal(f->t->read(&c, s, &ns), -1);
    assert_non_null(strstr(c.error, "cannot read"));
    clear_error(&c);
    unlink(p);
    assert_int_equal(f->t->read(&c, s, &ns), 0);
    assert_null(ns); /* gone behind our back */
    free(p);
    cp_release(s);
    assert_log(
        f,
        "create test_thing r\nread test_thing r\nread test_thing r\nread test_thing r\nread test_thing r\n");
}

static void test_update(void **st)
{
    fixture *f = *st;
    cp_value *s = create_ok(f, thing("u", "v1"));
    cp_value *cfg = thing("u", "v2");
    cp_value *tags = map_of("env", cp_string("dev"), NULL);
    cp_map_set_take(cfg, "tags", tags);
    cp_provider_call c = new_call();
    cp_value *ns = NULL;
    assert_int_equal(f->t->update(&c, s, cfg, &ns), 0);
    assert_string_equal(sget(ns, "id"), "u");
    assert_string_equal(sget(ns, "echo"), "v2");
    char *obj = world_file(f, "u");
    assert_non_null(strstr(obj, "\"value\":\"v2\""));
    assert_non_null(strstr(obj, "\"env\":\"dev\""));
    free(obj);
    cp_release(ns);
    cp_map_set_take(cfg, "fail_on_update", cp_bool(true)); /* cfg is still ours alone */
    assert_int_equal(f->t->update(&c, s, cfg, &ns), -1);
    assert_string_equal(
        c.error,
        "test_thing \"u\": update failed on purpose (fail_on_update = true); set it to false");
    clear_error(&c);
    cp_release(cfg);
    cp_release(s);
    assert_log(f, "create test_thing u\nupdate test_thing u\nupdate test_thing u\n");
}

static void test_delete(void **st)
{
    fixture *f = *st;
    cp_value *cfg = thing("d", NULL);
    cp_map_set_take(cfg, "fail_on_delete", cp_bool(true));
    cp_value *s = create_ok(f, cfg);
    cp_provider_call c = new_call();
    assert_int_equal(f->t->delete (&c, s), -1);
    assert_string_equal(
        c.error,
        "test_thing \"d\": delete failed on purpose (fail_on_delete = true); set it to false");
    clear_error(&c);
    char *obj = world_file(f, "d");
    assert_non_null(obj);
    free(obj);
    cp_release(s);
    s = create_ok(f, thing("e", NULL));
    assert_int_equal(f->t->delete (&c, s), 0);
    obj = world_file(f, "e");
    assert_null(obj);
    assert_int_equal(f->t->delete (&c, s), 0); /* already gone */
    cp_release(s);
}

static void test_import(void **st)
{
    fixture *f = *st;
    cp_value *cfg = thing("imp", "v");
    cp_map_set_take(cfg, "force", cp_string("f1"));
    cp_value *s = create_ok(f, cfg);
    cp_provider_call c = new_call();
    cp_value *is = NULL;
    assert_int_equal(f->t->import(&c, "imp", &is), 0);
    assert_string_equal(sget(is, "id"), "imp");
    assert_string_equal(sget(is, "value"), "v");
    assert_string_equal(sget(is, "force"), "f1");
    assert_string_equal(sget(is, "echo"), "v");
    assert_false(cp_bool_val(cp_map_get(is, "fail_on_delete")));
    assert_true(cp_equal(is, s));
    cp_release(is);
    assert_int_equal(f->t->import(&c, "nope", &is), -1);
    char *want = cp_xasprintf("no test_thing with id \"nope\" in %s: check the id", f->world);
    assert_string_equal(c.error, want);
    free(want);
    clear_error(&c);
    cp_release(s);
}

static void test_read_batch(void **st)
{
    fixture *f = *st;
    assert_non_null(f->t->read_batch);
    cp_value *s[3] = { create_ok(f, thing("b0", "0")), create_ok(f, thing("b1", "1")),
                       create_ok(f, thing("b2", "2")) };
    char *p = cp_xasprintf("%s/b1", f->world);
    unlink(p);
    free(p);
    cp_value *out[3];
    cp_provider_call c = new_call();
    assert_int_equal(f->t->read_batch(&c, (const cp_value *const *)s, 3, out), 0);
    assert_true(cp_equal(out[0], s[0]));
    assert_null(out[1]);
    assert_true(cp_equal(out[2], s[2]));
    assert_log(
        f,
        "create test_thing b0\ncreate test_thing b1\ncreate test_thing b2\nread_batch test_thing 3\n");
    for (int i = 0; i < 3; i++) {
        cp_release(out[i]);
        cp_release(s[i]);
    }
}

static void test_data_source(void **st)
{
    fixture *f = *st;
    const cp_resource_type *d = type_of("test_thing", true);
    cp_value *s = create_ok(f, thing("src", "hello"));
    cp_value *cfg = map_of("name", cp_string("src"), NULL);
    cp_provider_call c = new_call();
    cp_value *ds = NULL;
    assert_int_equal(d->read_data(&c, cfg, &ds), 0);
    assert_string_equal(sget(ds, "id"), "src");
    assert_string_equal(sget(ds, "value"), "hello");
    assert_string_equal(sget(ds, "echo"), "hello");
    cp_release(ds);
    cp_release(cfg);
    cfg = map_of("name", cp_string("missing"), NULL);
    assert_int_equal(d->read_data(&c, cfg, &ds), -1);
    char *want = cp_xasprintf("no test_thing named \"missing\" in %s: create it first", f->world);
    assert_string_equal(c.error, want);
    free(want);
    clear_error(&c);
    cp_release(cfg);
    cp_release(s);
}

typedef struct worker_arg {
    fixture *f;
    int id;
} worker_arg;

static void *creator(void *arg)
{
    worker_arg *w = arg;
    for (int i = 0; i < 50; i++) {
        char name[32];
        snprintf(name, sizeof name, "w%d-%d", w->id, i);
        cp_value *cfg = thing(name, NULL);
        cp_provider_call c = new_call();
        cp_value *s = NULL;
        if (w->f->t->create(&c, cfg, &s) != 0) abort();
        cp_release(s);
        cp_release(cfg);
    }
    return NULL;
}

static void test_concurrent_log(void **st)
{
    fixture *f = *st;
    pthread_t tids[8];
    worker_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (worker_arg){ f, i };
        pthread_create(&tids[i], NULL, creator, &args[i]);
    }
    for (int i = 0; i < 8; i++) pthread_join(tids[i], NULL);
    char *text = slurp(f->log);
    int lines = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        assert_memory_equal(line, "create test_thing w", 19);
        lines++;
    }
    assert_int_equal(lines, 400);
    free(text);
}

static void test_validation(void **st)
{
    fixture *f = *st;
    const char *rule =
        "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-', not starting with '.'";
    assert_string_equal(rule_for(f->t, "name", cp_string("")), rule);
    assert_string_equal(rule_for(f->t, "name", cp_string("a/b")), rule);
    assert_string_equal(rule_for(f->t, "name", cp_string("..")), rule);
    assert_string_equal(rule_for(f->t, "name", cp_string("x y")), rule);
    assert_null(rule_for(f->t, "name", cp_string("web-1.a_b")));
    const char *srule = "must be a whole number of milliseconds from 0 to 600000";
    assert_string_equal(rule_for(f->t, "sleep_ms", cp_number(-1)), srule);
    assert_string_equal(rule_for(f->t, "sleep_ms", cp_number(0.5)), srule);
    assert_null(rule_for(f->t, "sleep_ms", cp_number(500)));
    assert_true(cp_schema_find(f->t->attrs, "force")->flags & CP_FORCE_NEW);
    assert_false(cp_schema_find(f->t->attrs, "value")->flags & CP_FORCE_NEW);
    assert_true(cp_schema_find(f->t->attrs, "secret")->flags & CP_SENSITIVE);
    assert_true(cp_schema_find(f->t->attrs, "echo")->flags & CP_COMPUTED);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_world_and_log),
        T(test_create_duplicate),
        T(test_no_world),
        T(test_fail_on_create_and_after),
        T(test_env_fail),
        T(test_sleep),
        T(test_cancel),
        T(test_read_sees_world),
        T(test_update),
        T(test_delete),
        T(test_import),
        T(test_read_batch),
        T(test_data_source),
        T(test_concurrent_log),
        T(test_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
