/*
 * harness.c: the test harness for AWS resource types (see harness.h).
 * Starts tests/emulator/server.py, or moto (python3 -m moto.server) when
 * CPT_ENDPOINT=moto, as a child process, talks to the emulator's
 * /_emulator/ admin API with libcurl (on moto only checks guarded by
 * cpt_emulator_only may; anything else fails the test), answers cpt_aws /
 * cpt_boto through one python3 + boto3 child fed over a pipe, and wraps the
 * provider calls so tests read as create / read / update / delete / import.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
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
    bool moto;
    int emulator_only; /* checks cpt_emulator_only kept from moto */
    pid_t boto_pid;    /* the cpt_aws python3 child, 0 before first use */
    FILE *boto_in, *boto_out;
    char ami[64]; /* cpt_ami's answer, "" before */
    char dir[64];
    char url[64];
    void *client;
};

bool cpt_on_moto(void)
{
    const char *ep = getenv("CPT_ENDPOINT");
    return ep && strcmp(ep, "moto") == 0;
}

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

/* ---- moto process ----------------------------------------------------------------- */

/* A loopback port free right now (moto binds it a moment later). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t n = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &n) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

static pid_t spawn_moto(int port, const char *log)
{
    char p[16];
    snprintf(p, sizeof p, "%d", port);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true", 1);
        /* as strict as AWS where moto can be: unknown instance types, AMIs
         * and malformed public keys are refused */
        setenv("MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION", "true", 1);
        setenv("MOTO_ENABLE_AMI_VALIDATION", "true", 1);
        setenv("MOTO_ENABLE_KEYPAIR_VALIDATION", "true", 1);
        if (!freopen(log, "w", stderr) || !freopen(log, "a", stdout)) _exit(126);
        execlp("python3", "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", p, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static bool answers(const char *url)
{
    char *u = cp_xasprintf("%s/moto-api/", url);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, u);
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 2L);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_cleanup(h);
    free(u);
    return rc == CURLE_OK;
}

static int start_moto(cpt_env *e)
{
    int port = free_port();
    char log[96];
    snprintf(log, sizeof log, "%s/moto.log", e->dir);
    if (port <= 0) return -1;
    e->pid = spawn_moto(port, log);
    snprintf(e->url, sizeof e->url, "http://127.0.0.1:%d", port);
    for (int i = 0; i < 600 && e->pid > 0; i++) {
        if (answers(e->url)) return 0;
        if (waitpid(e->pid, NULL, WNOHANG) == e->pid) break;
        struct timespec ts = { 0, 50 * 1000000L };
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "harness: moto did not start (python3 -m moto.server); see %s\n", log);
    return -1;
}

static int start_emulator(cpt_env *e)
{
    char port_file[96];
    snprintf(port_file, sizeof port_file, "%s/port", e->dir);
    int port = 0;
    e->pid = spawn_emulator(port_file);
    if (e->pid < 0 || wait_port(port_file, &port) != 0) {
        fprintf(stderr, "harness: the emulator did not start (CPSTACK_EMULATOR=%s)\n",
                getenv("CPSTACK_EMULATOR") ? getenv("CPSTACK_EMULATOR") : "unset");
        return -1;
    }
    snprintf(e->url, sizeof e->url, "http://127.0.0.1:%d", port);
    return 0;
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
    e->moto = cpt_on_moto();
    if ((e->moto ? start_moto(e) : start_emulator(e)) != 0) {
        cpt_stop(e);
        return NULL;
    }
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

static void stop_boto(cpt_env *e);

void cpt_stop(cpt_env *e)
{
    if (!e) return;
    if (e->moto)
        fprintf(stderr, "[ EMU-ONLY ] %d check(s) ran on the emulator only (tests/README.md)\n",
                e->emulator_only);
    stop_boto(e);
    if (e->client) cp_provider_aws.close(e->client);
    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, NULL, 0);
    }
    char file[96];
    snprintf(file, sizeof file, "%s/port", e->dir);
    unlink(file);
    snprintf(file, sizeof file, "%s/moto.log", e->dir);
    if (getenv("CPT_KEEP_MOTO_LOG")) {
        char keep[128];
        snprintf(keep, sizeof keep, "%s", getenv("CPT_KEEP_MOTO_LOG"));
        rename(file, keep);
    }
    unlink(file);
    rmdir(e->dir);
    free(e);
}

const char *cpt_url(const cpt_env *e) { return e->url; }
void *cpt_client(const cpt_env *e) { return e->client; }

/* ---- admin API ---------------------------------------------------------------------- */

static size_t on_discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    cp_buf_add(ud, p, size * n);
    return size * n;
}

bool cpt_emulator_only(cpt_env *e, const char *why)
{
    if (!e->moto) return true;
    e->emulator_only++;
    print_message("[ EMU-ONLY ] not checked on moto: %s (tests/README.md)\n", why);
    return false;
}

json_t *cpt_admin(cpt_env *e, const char *method, const char *path, const char *body)
{
    if (e->moto)
        fail_msg("harness: /_emulator/%s called on moto; guard the check with cpt_emulator_only",
                 path);
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

static void moto_reset(cpt_env *e)
{
    char *url = cp_xasprintf("%s/moto-api/reset", e->url);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_discard);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_cleanup(h);
    free(url);
    if (rc != CURLE_OK) fail_msg("moto reset failed");
}

void cpt_reset(cpt_env *e)
{
    if (e->moto)
        moto_reset(e);
    else
        json_decref(cpt_admin(e, "POST", "reset", NULL));
}

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

char *cpt_acm_certificate(cpt_env *e, const char *domain)
{
    char dir[] = "/tmp/cpt_acm_XXXXXX", cmd[512], path[64];
    if (!mkdtemp(dir)) fail_msg("harness: mkdtemp: %s", strerror(errno));
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=%s -keyout %s/k "
             "-out %s/c >/dev/null 2>&1",
             domain, dir, dir);
    int rc = system(cmd);
    json_t *r = rc == 0 ? cpt_aws(e, "acm",
                                  "import_certificate(Certificate=open('%s/c', 'rb').read(), "
                                  "PrivateKey=open('%s/k', 'rb').read())",
                                  dir, dir)
                        : NULL;
    const char *arn = json_string_value(json_object_get(r, "CertificateArn"));
    char *out = arn ? cp_xstrdup(arn) : NULL;
    json_decref(r);
    const char *names[] = { "c", "k" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    if (!out) fail_msg("harness: ACM ImportCertificate of a self-signed certificate failed");
    return out;
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
    return v && cp_kind_of(v) == CP_STRING ? cp_string_val(v) : "";
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
    const cp_schema_attr *a = cpt_type(type)->attrs, *hit = NULL;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", attr);
    for (char *save = NULL, *part = strtok_r(buf, "/", &save); part;
         part = strtok_r(NULL, "/", &save)) {
        hit = NULL;
        for (; a && a->name && !hit; a++)
            if (!strcmp(a->name, part)) hit = a;
        if (!hit) fail_msg("harness: %s has no attribute %s", type, attr);
        a = hit->block;
    }
    if (!hit || !hit->validate) fail_msg("harness: %s.%s has no validate rule", type, attr);
    cp_value *v = cpt_val(json);
    const char *msg = hit->validate(v);
    cp_release(v);
    return msg;
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

const cp_resource_type *cpt_data_type(const char *name)
{
    for (const cp_resource_type *const *t = cp_provider_aws.types; *t; t++)
        if ((*t)->is_data && !strcmp((*t)->name, name)) return *t;
    fail_msg("harness: no data source %s", name);
    return NULL;
}

int cpt_read_data(cpt_env *e, const char *type, const char *config_json, cp_value **state,
                  char **err)
{
    char addr[128];
    snprintf(addr, sizeof addr, "data.%s.test", type);
    cp_provider_call c = { .client = e->client, .address = addr };
    const cp_resource_type *t = cpt_data_type(type);
    cp_value *cfg = cpt_val(config_json);
    *state = NULL;
    int rc = finish(&c, t->read_data(&c, cfg, state), err);
    cp_release(cfg);
    return rc;
}

cp_value *cpt_read_data_ok(cpt_env *e, const char *type, const char *config_json)
{
    cp_value *s;
    char *err = NULL;
    if (cpt_read_data(e, type, config_json, &s, &err) != 0) fail_msg("data %s: %s", type, err);
    return s;
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

/* ---- boto3 calls through one python3 child ------------------------------------------ */

/* Reads one JSON request a line ({"s": service, "c": "method(args)"}) and
 * answers one JSON line: {"ok": response}, {"error": {Code, Message}} or
 * {"fail": "..."} (the call itself was bad). */
static const char boto_server[] =
    "import boto3, botocore.config, botocore.exceptions, json, os, sys\n"
    "cfg = botocore.config.Config(retries={'max_attempts': 2})\n"
    "clients = {}\n"
    "def enc(o):\n"
    "    if hasattr(o, 'read'): o = o.read()\n"
    "    if isinstance(o, bytes): return o.decode('utf-8', 'replace')\n"
    "    return str(o)\n"
    "for line in sys.stdin:\n"
    "    q = json.loads(line)\n"
    "    if q['s'] not in clients:\n"
    "        clients[q['s']] = boto3.client(q['s'], endpoint_url=os.environ['AWS_ENDPOINT_URL'],"
    " region_name='us-east-1', config=cfg)\n"
    "    c = clients[q['s']]\n"
    "    try:\n"
    "        r = eval('c.' + q['c'])\n"
    "        if isinstance(r, dict): r.pop('ResponseMetadata', None)\n"
    "        out = {'ok': r}\n"
    "    except botocore.exceptions.ClientError as x:\n"
    "        out = {'error': x.response.get('Error', {})}\n"
    "    except Exception as x:\n"
    "        out = {'fail': '%s: %s' % (type(x).__name__, x)}\n"
    "    sys.stdout.write(json.dumps(out, default=enc) + '\\n')\n"
    "    sys.stdout.flush()\n";

static void start_boto(cpt_env *e)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) fail_msg("harness: pipe: %s", strerror(errno));
    e->boto_pid = fork();
    if (e->boto_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl("/usr/bin/python3", "python3", "-c", boto_server, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    e->boto_in = fdopen(in[1], "w");
    e->boto_out = fdopen(out[0], "r");
}

static void stop_boto(cpt_env *e)
{
    if (e->boto_pid <= 0) return;
    fclose(e->boto_in);
    fclose(e->boto_out);
    waitpid(e->boto_pid, NULL, 0);
    e->boto_pid = 0;
}

/* The child's answer to one call (new reference), or NULL when it died. */
static json_t *boto_call(cpt_env *e, const char *service, const char *call)
{
    if (e->boto_pid <= 0) start_boto(e);
    json_t *q = json_pack("{s:s, s:s}", "s", service, "c", call);
    char *line = json_dumps(q, JSON_COMPACT);
    json_decref(q);
    fprintf(e->boto_in, "%s\n", line);
    fflush(e->boto_in);
    free(line);
    char *ans = NULL;
    size_t cap = 0;
    json_t *r = getline(&ans, &cap, e->boto_out) > 0 ? json_loads(ans, 0, NULL) : NULL;
    free(ans);
    if (!r) stop_boto(e);
    return r;
}

static json_t *boto_vcall(cpt_env *e, const char *service, const char *fmt, va_list ap)
{
    cp_buf b = { 0 };
    cp_buf_vprintf(&b, fmt, ap);
    json_t *r = boto_call(e, service, b.data);
    if (!r) fail_msg("harness: the boto3 helper died during %s.%s", service, b.data);
    const char *bad = json_string_value(json_object_get(r, "fail"));
    if (bad) fail_msg("harness: boto3 %s.%s: %s", service, b.data, bad);
    cp_buf_free(&b);
    return r;
}

json_t *cpt_aws(cpt_env *e, const char *service, const char *call_fmt, ...)
{
    va_list ap;
    va_start(ap, call_fmt);
    json_t *r = boto_vcall(e, service, call_fmt, ap);
    va_end(ap);
    json_t *err = json_object_get(r, "error");
    json_t *out = err ? json_pack("{s:O}", "Error", err) : json_incref(json_object_get(r, "ok"));
    json_decref(r);
    return out ? out : json_null();
}

const char *cpt_aws_error(const json_t *r)
{
    json_t *err = json_object_get(r, "Error");
    if (!err) return NULL;
    const char *code = json_string_value(json_object_get(err, "Code"));
    return code ? code : "?";
}

json_t *cpt_find(const json_t *list, const char *key, const char *value)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *v = json_string_value(json_object_get(item, key));
        if (v && strcmp(v, value) == 0) return item;
    }
    return NULL;
}

json_t *cpt_tag_map(const json_t *list)
{
    json_t *m = json_object();
    size_t i;
    json_t *t;
    json_array_foreach(list, i, t)
    {
        json_t *k = json_object_get(t, "Key"), *v = json_object_get(t, "Value");
        if (!k) k = json_object_get(t, "key");
        if (!v) v = json_object_get(t, "value");
        if (json_is_string(k)) json_object_set(m, json_string_value(k), v ? v : json_null());
    }
    return m;
}

static const struct {
    const char *what, *call, *ids, *list;
} ec2_describe[] = {
    { "vpcs", "describe_vpcs", "VpcIds", "Vpcs" },
    { "subnets", "describe_subnets", "SubnetIds", "Subnets" },
    { "igws", "describe_internet_gateways", "InternetGatewayIds", "InternetGateways" },
    { "route_tables", "describe_route_tables", "RouteTableIds", "RouteTables" },
    { "security_groups", "describe_security_groups", "GroupIds", "SecurityGroups" },
    { "instances", "describe_instances", "InstanceIds", "Reservations" },
    { "key_pairs", "describe_key_pairs", "KeyPairIds", "KeyPairs" },
    { "addresses", "describe_addresses", "AllocationIds", "Addresses" },
    { "nat_gateways", "describe_nat_gateways", "NatGatewayIds", "NatGateways" },
    { "launch_templates", "describe_launch_templates", "LaunchTemplateIds", "LaunchTemplates" },
};

json_t *cpt_ec2(cpt_env *e, const char *what, const char *id)
{
    for (size_t i = 0; i < sizeof ec2_describe / sizeof *ec2_describe; i++) {
        if (strcmp(ec2_describe[i].what, what) != 0) continue;
        json_t *r =
            cpt_aws(e, "ec2", "%s(%s=['%s'])", ec2_describe[i].call, ec2_describe[i].ids, id);
        json_t *item = json_array_get(json_object_get(r, ec2_describe[i].list), 0);
        if (strcmp(what, "instances") == 0)
            item = json_array_get(json_object_get(item, "Instances"), 0);
        json_incref(item);
        json_decref(r);
        return item;
    }
    fail_msg("harness: cpt_ec2 does not know %s", what);
    return NULL;
}

const char *cpt_ami(cpt_env *e)
{
    if (e->ami[0]) return e->ami;
    json_t *r = cpt_aws(e, "ec2", "describe_images(Owners=['amazon'])");
    size_t i;
    json_t *img;
    json_array_foreach(json_object_get(r, "Images"), i, img)
    {
        const char *arch = json_string_value(json_object_get(img, "Architecture"));
        const char *id = json_string_value(json_object_get(img, "ImageId"));
        if (arch && id && strcmp(arch, "x86_64") == 0) {
            snprintf(e->ami, sizeof e->ami, "%s", id);
            break;
        }
    }
    json_decref(r);
    if (!e->ami[0]) fail_msg("harness: the endpoint lists no x86_64 image owned by amazon");
    return e->ami;
}

int cpt_boto(cpt_env *e, const char *service, const char *call_fmt, ...)
{
    va_list ap;
    va_start(ap, call_fmt);
    json_t *r = boto_vcall(e, service, call_fmt, ap);
    va_end(ap);
    json_t *err = json_object_get(r, "error");
    if (err)
        print_message("[ boto3    ] %s: %s: %s\n", service,
                      json_string_value(json_object_get(err, "Code")),
                      json_string_value(json_object_get(err, "Message")));
    int rc = err ? 1 : 0;
    json_decref(r);
    return rc;
}

/* ---- batch reads ------------------------------------------------------------------------ */

long cpt_calls_of(cpt_env *e, const char *op)
{
    if (e->moto) return -1;
    json_t *c = cpt_admin(e, "GET", "calls", NULL);
    long n = op ? (long)json_integer_value(json_object_get(json_object_get(c, "calls"), op))
                : (long)json_integer_value(json_object_get(c, "total"));
    json_decref(c);
    return n;
}

long cpt_read_batch_ok(cpt_env *e, const char *type, const cp_value *const *states, size_t n,
                       cp_value **out)
{
    const cp_resource_type *t = cpt_type(type);
    if (!t->read_batch) fail_msg("harness: %s has no read_batch", type);
    char addr[128];
    cp_provider_call c = new_call(e, type, addr, sizeof addr);
    if (!e->moto) json_decref(cpt_admin(e, "DELETE", "calls", NULL));
    char *err = NULL;
    if (finish(&c, t->read_batch(&c, states, n, out), &err) != 0)
        fail_msg("%s read_batch: %s", type, err);
    long calls = cpt_calls_of(e, NULL);
    for (size_t i = 0; i < n; i++) {
        cp_value *one = cpt_read_ok(e, type, states[i]);
        if (!one != !out[i] || (one && !cp_equal(one, out[i])))
            fail_msg("%s read_batch: instance %zu (id %s) differs from read(): %s", type, i,
                     cpt_str(states[i], "id"),
                     !one      ? "read() finds it gone"
                     : !out[i] ? "the batch finds it gone"
                               : "other attributes");
        cp_release(one);
    }
    return calls;
}

cp_value *cpt_find_ok(cpt_env *e, const char *type, const cp_value *intent)
{
    char addr[128];
    snprintf(addr, sizeof addr, "%s.test", type);
    cp_provider_call c = { .client = cpt_client(e), .address = addr };
    cp_value *s = NULL;
    if (cpt_type(type)->find(&c, intent, &s) != 0) fail_msg("find: %s", c.error ? c.error : "?");
    free(c.error);
    return s;
}
