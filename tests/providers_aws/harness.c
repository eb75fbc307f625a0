/*
 * harness.c: the emulator-backed test harness for AWS resource types (see
 * harness.h). Starts tests/emulator/server.py as a child process, talks to
 * its /_emulator/ admin API with libcurl, and wraps the provider calls so
 * tests read as create / read / update / delete / import.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lang/value_json.h"
#include "providers/aws/aws_types.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct cpt_env {
    pid_t pid;
    char dir[64];
    char url[64];
    void *client;
};

/* ---- emulator process ------------------------------------------------------------- */

static int wait_port(const char *file, int *port)
{
    for (int i = 0; i < 200; i++) {
        FILE *f = fopen(file, "r");
        if (f) {
            int ok = fscanf(f, "%d", port) == 1;
            fclose(f);
            if (ok) return 0;
        }
        struct timespec ts = { 0, 50 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return -1;
}

static pid_t spawn_emulator(const char *port_file)
{
    const char *server = getenv("CPSTACK_EMULATOR");
    if (!server) server = "tests/emulator/server.py";
    char ppid[32];
    snprintf(ppid, sizeof ppid, "%d", (int)getpid());
    pid_t pid = fork();
    if (pid == 0) {
        execl("/usr/bin/python3", "python3", server, "--port", "0", "--port-file", port_file,
              "--parent-pid", ppid, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void export_env(const cpt_env *e)
{
    setenv("AWS_ENDPOINT_URL", e->url, 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDCPSTACKTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "cpstack-test-secret", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
    setenv("CPSTACK_WAIT_SCALE", "0.01", 1);
    setenv("CPSTACK_RETRY_BASE_MS", "10", 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_SESSION_TOKEN");
}

cpt_env *cpt_start(void)
{
    cpt_env *e = cp_xcalloc(1, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "/tmp/cpt-XXXXXX");
    if (!mkdtemp(e->dir)) {
        free(e);
        return NULL;
    }
    char port_file[96];
    snprintf(port_file, sizeof port_file, "%s/port", e->dir);
    int port = 0;
    e->pid = spawn_emulator(port_file);
    if (e->pid < 0 || wait_port(port_file, &port) != 0) {
        fprintf(stderr, "harness: the emulator did not start (CPSTACK_EMULATOR=%s)\n",
                getenv("CPSTACK_EMULATOR") ? getenv("CPSTACK_EMULATOR") : "unset");
        cpt_stop(e);
        return NULL;
    }
    snprintf(e->url, sizeof e->url, "http://127.0.0.1:%d", port);
    export_env(e);
    cp_value *settings = cpt_val("{\"region\": \"us-east-1\"}");
    char *err = NULL;
    int rc = cp_provider_aws.configure(settings, &e->client, &err);
    cp_release(settings);
    if (rc != 0) {
        fprintf(stderr, "harness: configure: %s\n", err ? err : "?");
        free(err);
        cpt_stop(e);
        return NULL;
    }
    return e;
}

void cpt_stop(cpt_env *e)
{
    if (!e) return;
    if (e->client) cp_provider_aws.close(e->client);
    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, NULL, 0);
    }
    char port_file[96];
    snprintf(port_file, sizeof port_file, "%s/port", e->dir);
    unlink(port_file);
    rmdir(e->dir);
    free(e);
}

const char *cpt_url(const cpt_env *e) { return e->url; }
void *cpt_client(const cpt_env *e) { return e->client; }

/* ---- admin API ---------------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    cp_buf_add(ud, p, size * n);
    return size * n;
}

json_t *cpt_admin(cpt_env *e, const char *method, const char *path, const char *body)
{
    char *url = cp_xasprintf("%s/_emulator/%s", e->url, path);
    cp_buf out = { 0 };
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body) curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_cleanup(h);
    free(url);
    json_t *j = rc == CURLE_OK && out.data ? json_loadb(out.data, out.len, 0, NULL) : NULL;
    cp_buf_free(&out);
    if (!j) fail_msg("emulator admin %s %s failed", method, path);
    return j;
}

void cpt_reset(cpt_env *e) { json_decref(cpt_admin(e, "POST", "reset", NULL)); }

json_t *cpt_dump(cpt_env *e, const char *service)
{
    char *path = service ? cp_xasprintf("state?service=%s", service) : cp_xstrdup("state");
    json_t *j = cpt_admin(e, "GET", path, NULL);
    free(path);
    return j;
}

json_t *cpt_path(json_t *j, const char *path)
{
    char *copy = cp_xstrdup(path), *save = NULL;
    for (char *k = strtok_r(copy, "/", &save); k && j; k = strtok_r(NULL, "/", &save))
        j = json_object_get(j, k);
    free(copy);
    return j;
}

int cpt_python(cpt_env *e, const char *script)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/usr/bin/python3", "python3", "-c", script, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- values ------------------------------------------------------------------------- */

cp_value *cpt_val(const char *json)
{
    json_error_t je;
    json_t *j = json_loads(json, JSON_DECODE_ANY, &je);
    if (!j) fail_msg("harness: bad JSON in test (%s): %s", je.text, json);
    cp_value *v = cp_value_from_json(j);
    json_decref(j);
    return v;
}

cp_value *cpt_valf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cp_buf b = { 0 };
    cp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cp_value *v = cpt_val(b.data);
    cp_buf_free(&b);
    return v;
}

const char *cpt_str(const cp_value *m, const char *key)
{
    const cp_value *v = m ? cp_map_get(m, key) : NULL;
    return v ? cp_string_val(v) : "";
}

const cp_resource_type *cpt_type(const char *name)
{
    for (const cp_resource_type *const *t = cp_provider_aws.types; *t; t++)
        if (strcmp((*t)->name, name) == 0 && !(*t)->is_data) return *t;
    fail_msg("harness: no resource type %s", name);
    return NULL;
}

const char *cpt_validate(const char *type, const char *attr, const char *json)
{
    const cp_resource_type *t = cpt_type(type);
    for (const cp_schema_attr *a = t->attrs; a->name; a++) {
        if (strcmp(a->name, attr) != 0) continue;
        if (!a->validate) fail_msg("harness: %s.%s has no validate rule", type, attr);
        cp_value *v = cpt_val(json);
        const char *msg = a->validate(v);
        cp_release(v);
        return msg;
    }
    fail_msg("harness: %s has no attribute %s", type, attr);
    return NULL;
}

/* ---- provider calls ------------------------------------------------------------------- */

static cp_provider_call new_call(cpt_env *e, const char *type, char *addr, size_t n)
{
    snprintf(addr, n, "%s.test", type);
    cp_provider_call c = { .client = e->client, .address = addr };
    return c;
}

static int finish(cp_provider_call *c, int rc, char **err)
{
    if (rc != 0 && !c->error) c->error = cp_xstrdup("(provider returned -1 without a message)");
    if (rc == 0 && c->error) {
        free(c->error);
        c->error = NULL;
    }
    if (err)
        *err = c->error;
    else
        free(c->error);
    return rc;
}

int cpt_create(cpt_env *e, const char *type, const cp_value *config, cp_value **state, char **err)
{
    char addr[128];
    cp_provider_call c = new_call(e, type, addr, sizeof addr);
    *state = NULL;
    return finish(&c, cpt_type(type)->create(&c, config, state), err);
}

int cpt_read(cpt_env *e, const char *type, const cp_value *state, cp_value **out, char **err)
{
    char addr[128];
    cp_provider_call c = new_call(e, type, addr, sizeof addr);
    *out = NULL;
    return finish(&c, cpt_type(type)->read(&c, state, out), err);
}

int cpt_update(cpt_env *e, const char *type, const cp_value *old_state, const cp_value *config,
               cp_value **state, char **err)
{
    char addr[128];
    cp_provider_call c = new_call(e, type, addr, sizeof addr);
    const cp_resource_type *t = cpt_type(type);
    *state = NULL;
    if (!t->update) fail_msg("harness: %s has no update", type);
    return finish(&c, t->update(&c, old_state, config, state), err);
}

int cpt_delete(cpt_env *e, const char *type, const cp_value *state, char **err)
{
    char addr[128];
    cp_provider_call c = new_call(e, type, addr, sizeof addr);
    return finish(&c, cpt_type(type)->delete (&c, state), err);
}

int cpt_import(cpt_env *e, const char *type, const char *id, cp_value **state, char **err)
{
    char addr[128];
    cp_provider_call c = new_call(e, type, addr, sizeof addr);
    const cp_resource_type *t = cpt_type(type);
    *state = NULL;
    if (!t->import) fail_msg("harness: %s is not importable", type);
    return finish(&c, t->import(&c, id, state), err);
}

cp_value *cpt_create_ok(cpt_env *e, const char *type, const char *config_json)
{
    cp_value *cfg = cpt_val(config_json), *s;
    char *err = NULL;
    int rc = cpt_create(e, type, cfg, &s, &err);
    cp_release(cfg);
    if (rc != 0) fail_msg("create %s: %s", type, err);
    if (!s || !cpt_str(s, "id")[0]) fail_msg("create %s: no id in state", type);
    return s;
}

cp_value *cpt_read_ok(cpt_env *e, const char *type, const cp_value *state)
{
    cp_value *s;
    char *err = NULL;
    if (cpt_read(e, type, state, &s, &err) != 0) fail_msg("read %s: %s", type, err);
    return s;
}

cp_value *cpt_update_ok(cpt_env *e, const char *type, const cp_value *old_state,
                        const char *config_json)
{
    cp_value *cfg = cpt_val(config_json), *s;
    char *err = NULL;
    int rc = cpt_update(e, type, old_state, cfg, &s, &err);
    cp_release(cfg);
    if (rc != 0) fail_msg("update %s: %s", type, err);
    return s;
}

void cpt_delete_ok(cpt_env *e, const char *type, const cp_value *state)
{
    char *err = NULL;
    if (cpt_delete(e, type, state, &err) != 0) fail_msg("delete %s: %s", type, err);
}

cp_value *cpt_import_ok(cpt_env *e, const char *type, const char *id)
{
    cp_value *s;
    char *err = NULL;
    if (cpt_import(e, type, id, &s, &err) != 0) fail_msg("import %s: %s", type, err);
    return s;
}

void cpt_assert_same(const cp_value *a, const cp_value *b, const char *const *attrs)
{
    for (; *attrs; attrs++) {
        const cp_value *x = cp_map_get(a, *attrs), *y = cp_map_get(b, *attrs);
        if (!x || !y || !cp_equal(x, y)) {
            char *rx = x ? cp_value_repr(x) : cp_xstrdup("(absent)");
            char *ry = y ? cp_value_repr(y) : cp_xstrdup("(absent)");
            print_error("attribute %s differs: %s vs %s\n", *attrs, rx, ry);
            free(rx);
            free(ry);
            fail();
        }
    }
}

int cpt_boto(cpt_env *e, const char *service, const char *call_fmt, ...)
{
    va_list ap;
    va_start(ap, call_fmt);
    cp_buf b = { 0 };
    cp_buf_printf(&b,
                  "import boto3, os\nc = boto3.client('%s', endpoint_url=os.environ["
                  "'AWS_ENDPOINT_URL'], region_name='us-east-1')\nc.",
                  service);
    cp_buf_vprintf(&b, call_fmt, ap);
    va_end(ap);
    cp_buf_addc(&b, '\n');
    int rc = cpt_python(e, b.data);
    cp_buf_free(&b);
    return rc;
}
