/*
 * s3.c: state in S3, shared by a team.
 *
 * One object per branch, `<key>/<branch>.cpstate`, and one lock object per
 * branch, `<key>/<branch>.cpstate.lock`. Locking is an S3 conditional write:
 * PUT of the lock object with `If-None-Match: *` succeeds for exactly one
 * writer (412 PreconditionFailed for the others, who then read the lock to
 * name its holder). State writes are conditional too: `If-Match: <ETag read>`
 * (or `If-None-Match: *` for a branch's first state), so a lost update is
 * impossible even for someone who bypasses the lock. Optional server-side
 * encryption (`encrypt = true`) asks S3 for AES256 at rest.
 */
#include "backend/s3.h"
#include "aws/aws.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct s3_backend {
    aws_client *client;
    char *bucket;
    char *prefix; /* key without trailing '/' */
    bool encrypt;
} s3_backend;

static s3_backend *impl(cp_backend *b) { return b->impl; }

static char *object_key(const s3_backend *s, const char *branch, bool lock)
{
    return cp_xasprintf("%s/%s.cpstate%s", s->prefix, branch, lock ? ".lock" : "");
}

static int fail(char **err, aws_error *e, const char *what, const char *key)
{
    char *line = aws_error_format(e, NULL, what);
    *err = cp_xasprintf("S3 state %s: %s", key, line);
    free(line);
    aws_error_clear(e);
    return -1;
}

/* GET key → out; *found false on 404. */
static int get_object(s3_backend *s, const char *key, cp_buf *out, bool *found, char *etag,
                      char **err)
{
    aws_rest_request r = { .method = "GET", .bucket = s->bucket, .key = key };
    aws_response resp;
    aws_error e = { 0 };
    *found = false;
    if (etag) etag[0] = '\0';
    if (aws_rest_call(s->client, "s3", "GetObject", &r, &resp, &e) != 0) {
        if (e.http_status == 404 || aws_error_is(&e, "NoSuchKey")) {
            aws_error_clear(&e);
            return 0;
        }
        return fail(err, &e, "GetObject", key);
    }
    *found = true;
    cp_buf_add(out, resp.body.data ? resp.body.data : "", resp.body.len);
    const char *tag = aws_response_header(&resp, "ETag");
    if (etag && tag) snprintf(etag, CP_TOKEN_MAX, "%s", tag);
    aws_response_free(&resp);
    return 0;
}

/* PUT key conditionally: if_match NULL = unconditional, "" = must not exist.
 * Returns 1 when the condition failed (412). */
static int put_object(s3_backend *s, const char *key, const char *data, size_t len,
                      const char *if_match, char *etag_out, char **err)
{
    aws_header h[3];
    size_t nh = 0;
    h[nh++] = (aws_header){ "Content-Type", "application/json" };
    if (if_match)
        h[nh++] =
            *if_match ? (aws_header){ "If-Match", if_match } : (aws_header){ "If-None-Match", "*" };
    if (s->encrypt) h[nh++] = (aws_header){ "x-amz-server-side-encryption", "AES256" };
    aws_rest_request r = { .method = "PUT",
                           .bucket = s->bucket,
                           .key = key,
                           .headers = h,
                           .n_headers = nh,
                           .body = data,
                           .body_len = len };
    aws_response resp;
    aws_error e = { 0 };
    if (aws_rest_call(s->client, "s3", "PutObject", &r, &resp, &e) != 0) {
        if (e.http_status == 412 || aws_error_is(&e, "PreconditionFailed") ||
            aws_error_is(&e, "ConditionalRequestConflict")) {
            aws_error_clear(&e);
            return 1;
        }
        return fail(err, &e, "PutObject", key);
    }
    const char *tag = aws_response_header(&resp, "ETag");
    if (etag_out) snprintf(etag_out, CP_TOKEN_MAX, "%s", tag ? tag : "");
    aws_response_free(&resp);
    return 0;
}

static int delete_object(s3_backend *s, const char *key, char **err)
{
    aws_rest_request r = { .method = "DELETE", .bucket = s->bucket, .key = key };
    aws_response resp;
    aws_error e = { 0 };
    if (aws_rest_call(s->client, "s3", "DeleteObject", &r, &resp, &e) != 0)
        return fail(err, &e, "DeleteObject", key);
    aws_response_free(&resp);
    return 0;
}

static int s3_read(cp_backend *b, const char *branch, cp_buf *out, bool *found,
                   char token[CP_TOKEN_MAX], char **err)
{
    char *key = object_key(impl(b), branch, false);
    int rc = get_object(impl(b), key, out, found, token, err);
    free(key);
    return rc;
}

static int s3_write(cp_backend *b, const char *branch, const char *data, size_t len,
                    const char *if_token, char new_token[CP_TOKEN_MAX], char **err)
{
    char *key = object_key(impl(b), branch, false);
    int rc = put_object(impl(b), key, data, len, if_token, new_token, err);
    if (rc == 1) {
        *err = cp_xasprintf(
            "state s3://%s/%s changed since this run read it (someone else wrote it); "
            "nothing was overwritten: run the command again to start from the new state",
            impl(b)->bucket, key);
        rc = -1;
    }
    free(key);
    return rc;
}

static int read_holder(s3_backend *s, const char *key, cp_lock_info *holder, char **err)
{
    cp_buf body;
    cp_buf_init(&body);
    bool found = false;
    int rc = get_object(s, key, &body, &found, NULL, err);
    if (rc == 0 && found && !cp_lock_info_from_json(body.data ? body.data : "", body.len, holder)) {
        *err =
            cp_xasprintf("lock object s3://%s/%s is not a cpstack lock; inspect it, then delete it "
                         "if no run is in progress",
                         s->bucket, key);
        rc = -1;
    }
    cp_buf_free(&body);
    return rc < 0 ? -1 : found ? 1 : 0;
}

static int s3_lock(cp_backend *b, const char *branch, const cp_lock_info *mine,
                   cp_lock_info *holder, char **err)
{
    char *key = object_key(impl(b), branch, true);
    char *json = cp_lock_info_to_json(mine);
    int rc = put_object(impl(b), key, json, strlen(json), "", NULL, err);
    if (rc == 1) {
        int h = read_holder(impl(b), key, holder, err);
        /* h == 0: released in between; report it as held so the caller retries. */
        if (h == 0) cp_lock_info_init(holder, "unknown");
        rc = h < 0 ? -1 : 1;
    }
    free(json);
    free(key);
    return rc;
}

static int s3_unlock(cp_backend *b, const char *branch, const char *id, cp_lock_info *holder,
                     char **err)
{
    char *key = object_key(impl(b), branch, true);
    int h = read_holder(impl(b), key, holder, err);
    int rc = h < 0                    ? -1
             : h == 0                 ? 1
             : strcmp(holder->id, id) ? 2
                                      : delete_object(impl(b), key, err);
    free(key);
    return rc;
}

static int64_t parse_time(const char *iso)
{
    struct tm tm = { 0 };
    if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
    return (int64_t)timegm(&tm);
}

typedef struct list_acc {
    const char *prefix;
    cp_branch_info *items;
    size_t n, cap;
} list_acc;

static int on_list_page(void *ud, xmlNodePtr root)
{
    list_acc *acc = ud;
    size_t plen = strlen(acc->prefix);
    for (xmlNodePtr c = aws_xml_find(root, "Contents"); c; c = aws_xml_next(c)) {
        char *key = aws_xml_text(c, "Key");
        size_t klen = key ? strlen(key) : 0;
        if (key && klen > plen + 9 && !strcmp(key + klen - 8, ".cpstate") &&
            !strncmp(key, acc->prefix, plen)) {
            char *mod = aws_xml_text(c, "LastModified"), *size = aws_xml_text(c, "Size");
            CP_GROW(acc->items, acc->n + 1, acc->cap);
            acc->items[acc->n++] =
                (cp_branch_info){ cp_xstrndup(key + plen + 1, klen - plen - 9), parse_time(mod),
                                  size ? strtoull(size, NULL, 10) : 0 };
            free(mod);
            free(size);
        }
        free(key);
    }
    return 0;
}

static int cmp_branch(const void *a, const void *b)
{
    return strcmp(((const cp_branch_info *)a)->name, ((const cp_branch_info *)b)->name);
}

static int s3_list(cp_backend *b, cp_branch_info **out, size_t *n, char **err)
{
    s3_backend *s = impl(b);
    list_acc acc = { s->prefix, NULL, 0, 0 };
    char *token = NULL;
    int rc = 0;
    do {
        aws_params *q = aws_params_new();
        aws_params_add(q, "list-type", "2");
        char *pfx = cp_xasprintf("%s/", s->prefix);
        aws_params_add(q, "prefix", pfx);
        if (token) aws_params_add(q, "continuation-token", token);
        aws_rest_request r = { .method = "GET", .bucket = s->bucket, .query = q };
        aws_response resp;
        aws_error e = { 0 };
        free(token);
        token = NULL;
        if (aws_rest_call(s->client, "s3", "ListObjectsV2", &r, &resp, &e) != 0)
            rc = fail(err, &e, "ListObjectsV2", pfx);
        else {
            xmlDocPtr doc = aws_xml_parse(resp.body.data ? resp.body.data : "", resp.body.len);
            if (doc) {
                on_list_page(&acc, aws_xml_root(doc));
                token = aws_xml_text(aws_xml_root(doc), "NextContinuationToken");
                xmlFreeDoc(doc);
            }
            aws_response_free(&resp);
        }
        free(pfx);
        aws_params_free(q);
    } while (rc == 0 && token);
    free(token);
    if (acc.n) qsort(acc.items, acc.n, sizeof *acc.items, cmp_branch);
    *out = acc.items;
    *n = acc.n;
    return rc;
}

static int s3_remove(cp_backend *b, const char *branch, char **err)
{
    char *key = object_key(impl(b), branch, false);
    int rc = delete_object(impl(b), key, err);
    free(key);
    return rc;
}

static char *s3_describe(cp_backend *b, const char *branch)
{
    return cp_xasprintf("s3://%s/%s/%s.cpstate", impl(b)->bucket, impl(b)->prefix, branch);
}

static void s3_close(cp_backend *b)
{
    s3_backend *s = impl(b);
    aws_client_free(s->client);
    free(s->bucket);
    free(s->prefix);
    free(s);
    free(b);
}

static const cp_backend_ops s3_ops = {
    "s3", s3_read, s3_write, s3_lock, s3_unlock, s3_list, s3_remove, s3_describe, s3_close,
};

int cp_backend_s3_open(const cp_s3_options *o, cp_backend **out, char **err)
{
    if (!o->bucket || !*o->bucket || !o->key || !*o->key) {
        *err = cp_xstrdup(
            "backend \"s3\" needs bucket and key, e.g. bucket = \"acme-cpstack-state\", key = \"webserver\"");
        return -1;
    }
    aws_client_options co = { .stack_region = o->region, .cli_region = o->cli_region };
    aws_client *client = aws_client_new(&co, err);
    if (!client) return -1;
    s3_backend *s = cp_xcalloc(1, sizeof *s);
    s->client = client;
    s->bucket = cp_xstrdup(o->bucket);
    size_t klen = strlen(o->key);
    while (klen && o->key[klen - 1] == '/') klen--;
    s->prefix = cp_xstrndup(o->key, klen);
    s->encrypt = o->encrypt;
    cp_backend *b = cp_xcalloc(1, sizeof *b);
    b->ops = &s3_ops;
    b->impl = s;
    *out = b;
    return 0;
}

/* The registered type: backend "s3" { bucket, key, region, encrypt }; the
 * region defaults to the run's. */
static const char *const s3_settings[] = { "bucket", "key", "region", "encrypt", NULL };

static int s3_type_open(const cp_value *settings, const cp_backend_env *env, cp_backend **out,
                        char **err)
{
    const char *region = cp_backend_setting_str(settings, "region");
    cp_s3_options so = { .bucket = cp_backend_setting_str(settings, "bucket"),
                         .key = cp_backend_setting_str(settings, "key"),
                         .region = region ? region : env->region,
                         .encrypt = cp_backend_setting_bool(settings, "encrypt", false) };
    return cp_backend_s3_open(&so, out, err);
}

const cp_backend_type cp_backend_type_s3 = { "s3", s3_settings, s3_type_open };
