/*
 * provider_test.c: the test-only "test" provider and its one type,
 * `test_thing` (resource and data source), which the engine's tests use to
 * make operations fail, stall or change behind cpstack's back on demand.
 *
 * Arguments: name (required; it is also the id), value (updatable; echoed
 * as the computed `echo`), force (force-new), secret (sensitive), tags,
 * items and `rule` blocks (for diff tests), and the behaviour switches
 * fail_on_create / fail_on_update / fail_on_delete (fail before doing
 * anything), fail_after_create (create, then fail: the state is returned
 * with the error, as a provider must) and sleep_ms (stall, honouring
 * cancellation; a create sleeps half before and half after the object
 * exists, so a kill can land on either side).
 *
 * Environment, read at each call:
 *   CPSTACK_TEST_WORLD  directory holding the "real world": one JSON file
 *                       per object, named by its id. Refresh sees edits and
 *                       deletions made there. Create fails if the id is
 *                       taken, like a named AWS resource. Unset: objects
 *                       live in state only.
 *   CPSTACK_TEST_LOG    file to which every call appends one line:
 *                       "create test_thing NAME" (also read, update, delete,
 *                       import, read_data; "read_batch test_thing N").
 *   CPSTACK_TEST_FAIL   comma-separated NAME (fail create/update/delete of
 *                       NAME) or OP:NAME (fail just that op; OP is create,
 *                       read, update, delete or import).
 */
#include "providers/attrs.h"
#include "providers/builtin.h"
#include "test_provider.h"
#include "lang/value_json.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The attributes that exist "in the world" (the rest is behaviour). */
static const char *const real_attrs[] = { "name", "value", "force", "secret",
                                          "tags", "items", "rule",  NULL };

/* --- the call log and injected failures ------------------------------------ */

static void log_call(const char *op, const char *what)
{
    const char *path = getenv("CPSTACK_TEST_LOG");
    if (!path || !*path) return;
    char *line = cp_xasprintf("%s test_thing %s\n", op, what);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, line, strlen(line)); /* one write: lines never interleave */
        (void)w;
        close(fd);
    }
    free(line);
}

/* Whether CPSTACK_TEST_FAIL names this operation on this object. */
static bool env_fails(const char *op, const char *name)
{
    const char *list = getenv("CPSTACK_TEST_FAIL");
    size_t nl = strlen(name), ol = strlen(op);
    bool mutating = strcmp(op, "read") != 0 && strcmp(op, "import") != 0;
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (mutating && len == nl && !strncmp(p, name, nl)) return true;
        if (len == ol + 1 + nl && !strncmp(p, op, ol) && p[ol] == ':' &&
            !strncmp(p + ol + 1, name, nl))
            return true;
        p = end ? end + 1 : p + len;
    }
    return false;
}

/* Fail on demand (flag in m, or the environment). */
static int maybe_fail(cp_provider_call *c, const char *op, const cp_value *m, const char *flag,
                      const char *name)
{
    if (flag && cp_get_bool(m, flag, false))
        return cp_fail(c, "test_thing \"%s\": %s failed on purpose (%s = true); set it to false",
                       name, op, flag);
    if (env_fails(op, name))
        return cp_fail(c, "test_thing \"%s\": %s failed on purpose (CPSTACK_TEST_FAIL); unset it",
                       name, op);
    return 0;
}

/* --- the world directory ---------------------------------------------------------- */

static const char *world_dir(void)
{
    const char *w = getenv("CPSTACK_TEST_WORLD");
    return w && *w ? w : NULL;
}

/* The object with this id, or NULL with errno set (ENOENT: there is none). */
static cp_value *world_load(const char *id)
{
    char *path = cp_xasprintf("%s/%s", world_dir(), id);
    json_t *j = NULL;
    if (access(path, F_OK) == 0) {
        j = json_load_file(path, JSON_DECODE_ANY, NULL);
        if (!j) errno = EIO; /* there, but not JSON */
    }
    free(path);
    if (!j) return NULL;
    cp_value *v = cp_value_from_json(j);
    json_decref(j);
    return v;
}

/* Write obj as id's file, atomically. exclusive: fail with EEXIST if taken. */
static int world_store(const char *id, const cp_value *obj, bool exclusive)
{
    const char *dir = world_dir();
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) return -1;
    json_t *j = cp_value_to_json(obj, true);
    unsigned char rnd[6];
    cp_prov_random(rnd, sizeof rnd);
    char *hex = cp_prov_hex(rnd, sizeof rnd);
    char *tmp = cp_xasprintf("%s/.tmp-%s", dir, hex), *path = cp_xasprintf("%s/%s", dir, id);
    int rc = json_dump_file(j, tmp, JSON_SORT_KEYS | JSON_COMPACT);
    if (rc == 0) rc = exclusive ? link(tmp, path) : rename(tmp, path);
    int saved = errno;
    unlink(tmp);
    json_decref(j);
    free(hex);
    free(tmp);
    free(path);
    errno = saved;
    return rc == 0 ? 0 : -1;
}

/* The world's view of a config or state. */
static cp_value *real_part(const cp_value *m)
{
    cp_value *o = cp_map_new();
    for (const char *const *a = real_attrs; *a; a++) {
        const cp_value *v = cp_prov_get(m, *a);
        cp_map_set_take(o, *a, v ? cp_unmark(v) : cp_null());
    }
    return o;
}

/* state with the world's object laid over it; id and echo set. */
static cp_value *with_world(const cp_value *state, const cp_value *obj, const char *id)
{
    cp_value *m = cp_prov_map_copy(state);
    for (const char *const *a = real_attrs; *a; a++) {
        const cp_value *v = cp_map_get(obj, *a);
        cp_value *nv = v && !cp_is_null(v)       ? cp_retain(v)
                       : strcmp(*a, "rule") == 0 ? cp_list_new()
                                                 : cp_null();
        cp_prov_set_marked_take(m, *a, nv, strcmp(*a, "secret") == 0);
    }
    cp_set_str(m, "id", id);
    cp_map_set_take(m, "echo", cp_retain(cp_map_get(m, "value")));
    return m;
}

/* --- the resource -------------------------------------------------------------------- */

static cp_value *thing_state(const cp_value *config, const char *id)
{
    cp_value *m = cp_prov_state(cp_type_test_thing.attrs, config);
    cp_set_str(m, "id", id);
    cp_map_set_take(m, "echo", cp_retain(cp_map_get(m, "value")));
    return m;
}

/* Record the object of state st in the world, if there is one. */
static int store_object(cp_provider_call *c, const cp_value *st, const char *id, bool create)
{
    if (!world_dir()) return 0;
    cp_value *obj = real_part(st);
    int rc = world_store(id, obj, create);
    int err = errno;
    cp_release(obj);
    if (rc == 0) return 0;
    if (err == EEXIST)
        return cp_fail(c,
                       "test_thing \"%s\" already exists in %s: import it or choose another name",
                       id, world_dir());
    return cp_fail(c, "cannot write to %s: %s; check CPSTACK_TEST_WORLD", world_dir(),
                   strerror(err));
}

static long half_sleep(const cp_value *m, int half)
{
    long ms = (long)cp_get_num(m, "sleep_ms", 0);
    return half == 0 ? ms / 2 : ms - ms / 2;
}

static int tt_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str_or(config, "name", "");
    log_call("create", name);
    if (maybe_fail(c, "create", config, "fail_on_create", name) != 0) return -1;
    if (cp_prov_sleep_ms(c, half_sleep(config, 0)) != 0) return -1;
    cp_value *st = thing_state(config, name);
    if (store_object(c, st, name, true) != 0) {
        cp_release(st);
        return -1;
    }
    if (cp_prov_sleep_ms(c, half_sleep(config, 1)) != 0 ||
        maybe_fail(c, "create", config, "fail_after_create", name) != 0) {
        *state = st; /* it exists: never orphan it */
        return -1;
    }
    *state = st;
    return 0;
}

static int read_one(cp_provider_call *c, const cp_value *state, cp_value **new_state)
{
    const char *id = cp_get_str_or(state, "id", "");
    if (maybe_fail(c, "read", state, NULL, cp_get_str_or(state, "name", id)) != 0) return -1;
    if (!world_dir()) {
        *new_state = cp_retain(state);
        return 0;
    }
    cp_value *obj = world_load(id);
    if (!obj && errno == ENOENT) {
        *new_state = NULL;
        return 0;
    }
    if (!obj)
        return cp_fail(c, "cannot read %s/%s: %s; check CPSTACK_TEST_WORLD", world_dir(), id,
                       strerror(errno));
    *new_state = with_world(state, obj, id);
    cp_release(obj);
    return 0;
}

static int tt_read(cp_provider_call *c, const cp_value *state, cp_value **new_state)
{
    log_call("read", cp_get_str_or(state, "name", ""));
    return read_one(c, state, new_state);
}

static int tt_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    char count[32];
    snprintf(count, sizeof count, "%zu", n);
    log_call("read_batch", count);
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t i = 0; i < n; i++) {
        if (read_one(c, states[i], &out[i]) == 0) continue;
        for (size_t k = 0; k < i; k++) {
            cp_release(out[k]);
            out[k] = NULL;
        }
        return -1;
    }
    return 0;
}

static int tt_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    const char *name = cp_get_str_or(config, "name", "");
    const char *id = cp_get_str_or(old, "id", name);
    log_call("update", name);
    if (maybe_fail(c, "update", config, "fail_on_update", name) != 0) return -1;
    if (cp_prov_sleep_ms(c, (long)cp_get_num(config, "sleep_ms", 0)) != 0) return -1;
    cp_value *st = thing_state(config, id);
    if (store_object(c, st, id, false) != 0) {
        cp_release(st);
        return -1;
    }
    *state = st;
    return 0;
}

static int tt_delete(cp_provider_call *c, const cp_value *state)
{
    const char *name = cp_get_str_or(state, "name", "");
    const char *id = cp_get_str_or(state, "id", name);
    log_call("delete", name);
    if (maybe_fail(c, "delete", state, "fail_on_delete", name) != 0) return -1;
    if (cp_prov_sleep_ms(c, (long)cp_get_num(state, "sleep_ms", 0)) != 0) return -1;
    if (!world_dir()) return 0;
    char *path = cp_xasprintf("%s/%s", world_dir(), id);
    int err = unlink(path) == 0 || errno == ENOENT ? 0 : errno;
    free(path);
    if (err)
        return cp_fail(c, "cannot delete %s/%s: %s; check CPSTACK_TEST_WORLD", world_dir(), id,
                       strerror(err));
    return 0;
}

static int tt_import(cp_provider_call *c, const char *id, cp_value **state)
{
    log_call("import", id);
    if (maybe_fail(c, "import", NULL, NULL, id) != 0) return -1;
    if (!world_dir())
        return cp_fail(
            c,
            "cannot import test_thing \"%s\": set CPSTACK_TEST_WORLD to the directory of test objects",
            id);
    cp_value *obj = world_load(id);
    if (!obj)
        return cp_fail(c, "no test_thing with id \"%s\" in %s: check the id", id, world_dir());
    cp_value *base = cp_prov_state(cp_type_test_thing.attrs, obj);
    *state = with_world(base, obj, id);
    cp_release(base);
    cp_release(obj);
    return 0;
}

/* --- the data source --------------------------------------------------------------------- */

static int ttd_read(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str_or(config, "name", "");
    log_call("read_data", name);
    if (maybe_fail(c, "read", config, NULL, name) != 0) return -1;
    cp_value *obj = world_dir() ? world_load(name) : real_part(config);
    if (!obj)
        return cp_fail(c, "no test_thing named \"%s\" in %s: create it first", name, world_dir());
    cp_value *m = cp_prov_state(cp_type_test_thing_data.attrs, config);
    const cp_value *value = cp_map_get(obj, "value");
    cp_set_str(m, "id", name);
    cp_map_set_take(m, "value", value ? cp_retain(value) : cp_null());
    cp_map_set_take(m, "echo", value ? cp_retain(value) : cp_null());
    cp_release(obj);
    *state = m;
    return 0;
}

/* --- tables ------------------------------------------------------------------------------- */

static const char *validate_name(const cp_value *v)
{
    static const char rule[] =
        "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-', not starting with '.'";
    if (cp_kind_of(v) != CP_STRING) return NULL;
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n < 1 || n > 64 || s[0] == '.' || n != cp_string_len(v)) return rule;
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n
               ? NULL
               : rule;
}

static const char *validate_sleep(const cp_value *v)
{
    if (cp_kind_of(v) != CP_NUMBER) return NULL;
    double d = cp_number_val(v);
    return d >= 0 && d <= 600000 && floor(d) == d
               ? NULL
               : "must be a whole number of milliseconds from 0 to 600000";
}

static const cp_schema_attr rule_attrs[] = {
    { .name = "port", .type = CP_AT_NUMBER, .flags = CP_REQUIRED, .description = "a port" },
    { .name = "cidr", .type = CP_AT_STRING, .flags = CP_OPTIONAL, .description = "a CIDR block" },
    { .name = NULL },
};

#define FLAG(nm, what)                                                                             \
    {                                                                                              \
        .name = nm, .type = CP_AT_BOOL, .flags = CP_OPTIONAL, .default_json = "false",             \
        .description = what                                                                        \
    }

static const cp_schema_attr test_thing_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_name,
      .description = "the object's name, also its id" },
    { .name = "value",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "updated in place" },
    { .name = "force",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "changing it replaces the object" },
    { .name = "secret",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_SENSITIVE,
      .description = "never shown" },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "a map" },
    { .name = "items",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "a list" },
    { .name = "rule",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = rule_attrs,
      .description = "nested blocks" },
    FLAG("fail_on_create", "create fails before doing anything"),
    FLAG("fail_after_create", "create makes the object, then fails"),
    FLAG("fail_on_update", "update fails before doing anything"),
    FLAG("fail_on_delete", "delete fails before doing anything"),
    { .name = "sleep_ms",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "0",
      .validate = validate_sleep,
      .description = "create/update/delete stall this long" },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "the name" },
    { .name = "echo", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "= value" },
    { .name = NULL },
};

/* The id is the name, known at plan time: the engine records it in the
 * create intent, so a create cut off by a crash is found again on refresh. */
static cp_value *tt_plan_known(const cp_value *config)
{
    cp_value *m = cp_map_new();
    const cp_value *name = cp_map_get(config, "name");
    cp_map_set_take(m, "id", name ? cp_retain(name) : cp_unknown());
    return m;
}

const cp_resource_type cp_type_test_thing = {
    .name = "test_thing",
    .description = "test-only object that fails or stalls on demand",
    .attrs = test_thing_attrs,
    .create = tt_create,
    .read = tt_read,
    .update = tt_update,
    .delete = tt_delete,
    .import = tt_import,
    .read_batch = tt_read_batch,
    .plan_known = tt_plan_known,
    .recovery = CP_RECOVER_ID,
};

static const cp_schema_attr test_thing_data_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_name,
      .description = "the object to read" },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "the name" },
    { .name = "value", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "its value" },
    { .name = "echo", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "= value" },
    { .name = NULL },
};

const cp_resource_type cp_type_test_thing_data = {
    .name = "test_thing",
    .description = "reads a test_thing from CPSTACK_TEST_WORLD",
    .attrs = test_thing_data_attrs,
    .is_data = true,
    .read_data = ttd_read,
};

static const cp_resource_type *const test_types[] = {
    &cp_type_test_thing,
    &cp_type_test_thing_data,
    NULL,
};

const cp_provider cp_provider_test = {
    .name = "test",
    .types = test_types,
    .configure = cp_prov_configure_none,
    .close = cp_prov_close_none,
};
