/*
 * s3_object.c: aws_s3_object — one object in a bucket (id = key; import by
 * "<bucket>/<key>"). The body comes from a local file (source), a string
 * (content) or base64 (content_base64). etag is the body's MD5: plan_known
 * computes it from the local file at plan time, so editing the file shows
 * as an in-place update (a new PutObject).
 *
 * No batch read: HeadObject is per object (a listing has no metadata or tags).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_common.h"
#include "util/xalloc.h"

#include <mbedtls/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description = "Name of the bucket to put the object in." },
    { .name = "key",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Name (key) of the object in the bucket, e.g. site/index.html." },
    { .name = "source",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description =
          "Path of a local file to upload. Set exactly one of source, content or content_base64." },
    { .name = "content",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Literal UTF-8 text to upload as the object's body." },
    { .name = "content_base64",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description =
          "Base64-encoded binary body, decoded before upload. Set exactly one of source, content or content_base64." },
    { .name = "content_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description =
          "MIME type of the object, e.g. text/html. Default: set by S3 (binary/octet-stream)." },
    { .name = "source_hash",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Any string, e.g. filemd5(source); a change uploads the object again." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description =
          "Tags to assign to the object. At most 10; letters, digits, spaces and _ . : / = + - @ only." },
    { .name = "etag",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description =
          "MD5 of the body (hex); computed from the local file at plan time, so edits show as updates." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Key of the object." },
    { .name = "version_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Version id of the object when the bucket is versioned." },
    { NULL },
};

/* The body from source / content / content_base64 (malloc'd), or NULL
 * with *why set (static text) when it cannot be read. */
static char *object_body(const cp_value *config, size_t *n, const char **why)
{
    const char *src = cp_get_str(config, "source"), *b64 = cp_get_str(config, "content_base64");
    *why = NULL;
    if (src) {
        FILE *f = fopen(src, "rb");
        if (!f) {
            *why = "cannot open the source file";
            return NULL;
        }
        cp_buf b = { 0 };
        char chunk[65536];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) cp_buf_add(&b, chunk, got);
        fclose(f);
        *n = b.len;
        return b.data ? b.data : cp_xstrdup("");
    }
    if (b64) {
        size_t len = strlen(b64), out = 0;
        unsigned char *buf = cp_xmalloc(len + 1);
        if (mbedtls_base64_decode(buf, len + 1, &out, (const unsigned char *)b64, len) != 0) {
            free(buf);
            *why = "content_base64 is not valid base64";
            return NULL;
        }
        *n = out;
        return (char *)buf;
    }
    const char *text = cp_get_str(config, "content");
    *n = text ? strlen(text) : 0;
    return cp_xstrdup(text ? text : "");
}

/* "k1=v1&k2=v2", URL-encoded, for x-amz-tagging; NULL when no tags. */
static char *tagging(const cp_value *tags)
{
    if (!tags || cp_len(tags) == 0) return NULL;
    aws_params *p = aws_params_new();
    for (size_t i = 0; i < cp_len(tags); i++)
        aws_params_add(p, cp_map_key_at(tags, i), cp_string_val(cp_map_value_at(tags, i)));
    char *s = aws_params_encode(p);
    aws_params_free(p);
    return s;
}

static cp_value *object_plan_known(const cp_value *config)
{
    cp_value *m = cp_map_new();
    const char *why;
    size_t n;
    const cp_value *set = cp_map_get(config, "etag");
    if ((set && !cp_is_null(set)) || !cp_is_wholly_known(config)) return m;
    char *body = object_body(config, &n, &why);
    if (body) {
        char md5[33];
        s3_md5_hex(body, n, md5);
        cp_set_str(m, "etag", md5);
        free(body);
    }
    return m;
}

/* The ETag header without its quotes (malloc'd). */
static char *etag_of(const aws_response *resp)
{
    const char *e = aws_response_header(resp, "ETag");
    if (!e) return NULL;
    size_t n = strlen(e);
    return n >= 2 && e[0] == '"' ? cp_xstrndup(e + 1, n - 2) : cp_xstrdup(e);
}

static const char *const gone[] = { "NoSuchKey", "NotFound", "NoSuchBucket", NULL };

/* state "id" is the key; the bucket comes from state, or "<bucket>/<key>" on import. */
static int object_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id"), *bucket = cp_get_str(state, "bucket");
    char *b = bucket ? cp_xstrdup(bucket) : NULL;
    const char *key = id;
    if (!b) {
        const char *slash = id ? strchr(id, '/') : NULL;
        if (!slash)
            return cp_fail(c, "%s: import id \"%s\" is not <bucket>/<key>", c->address,
                           id ? id : "");
        b = cp_xstrndup(id, (size_t)(slash - id));
        key = slash + 1;
    }
    s3_req r = { "HeadObject", "HEAD", b, key, NULL, NULL, 0, NULL, NULL };
    aws_response resp;
    int rc = s3_call(c, &r, gone, &resp);
    if (rc == 0) {
        cp_value *s = cp_state_complete(attrs, state);
        cp_set_str(s, "id", key);
        cp_set_str(s, "bucket", b);
        cp_set_str(s, "key", key);
        char *etag = etag_of(&resp);
        cp_set_str(s, "etag", etag);
        free(etag);
        cp_set_str(s, "content_type", aws_response_header(&resp, "Content-Type"));
        cp_set_str(s, "version_id", aws_response_header(&resp, "x-amz-version-id"));
        aws_response_free(&resp);
        *out = s;
    }
    free(b);
    return rc < 0 ? -1 : 0;
}

static int object_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *why, *bucket = cp_get_str(config, "bucket"), *key = cp_get_str(config, "key");
    size_t n = 0;
    char *body = object_body(config, &n, &why);
    if (!body)
        return cp_fail(
            c, "%s: %s (%s); fix the path or the value and run apply again", c->address, why,
            cp_get_str(config, "source") ? cp_get_str(config, "source") : "content_base64");
    char *tags = tagging(cp_get_map(config, "tags"));
    s3_req r = { "PutObject", "PUT", bucket, key, NULL, body, n, cp_get_str(config, "content_type"),
                 tags };
    aws_response resp;
    int rc = s3_call(c, &r, NULL, &resp);
    free(body);
    free(tags);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", key);
    char *etag = etag_of(&resp);
    cp_set_str(s, "etag", etag);
    cp_set_str(s, "version_id", aws_response_header(&resp, "x-amz-version-id"));
    free(etag);
    aws_response_free(&resp);
    cp_value *fresh;
    rc = object_read(c, s, &fresh); /* content_type as S3 stored it */
    if (rc == 0 && fresh) {
        cp_set_take(s, "content_type", cp_retain(cp_map_get(fresh, "content_type")));
        cp_release(fresh);
    }
    *state = s;
    return rc;
}

static int object_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    return object_put(c, config, state);
}

static int object_delete(cp_provider_call *c, const cp_value *state)
{
    s3_req r = { "DeleteObject",
                 "DELETE",
                 cp_get_str(state, "bucket"),
                 cp_get_str(state, "key"),
                 NULL,
                 NULL,
                 0,
                 NULL,
                 NULL };
    return s3_call(c, &r, gone, NULL) < 0 ? -1 : 0;
}

static int object_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, object_read, id, state);
}

/* validate_config: the body comes from exactly one place. */
static char *object_validate_config(const cp_value *config)
{
    static const char *const bodies[] = { "source", "content", "content_base64", NULL };
    return cp_prov_exactly_one(config, bodies);
}

/* An interrupted create is found by its key, read as its id (a put: the same call twice is one
 * object). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, object_read, intent, "key", state);
}

const cp_resource_type cp_aws_s3_object = {
    .name = "aws_s3_object",
    .description =
        "An object in an S3 bucket from a local file or content (import by `<bucket>/<key>`).",
    .attrs = attrs,
    .create = object_put,
    .read = object_read,
    .update = object_update,
    .delete = object_delete,
    .import = object_import,
    .plan_known = object_plan_known,
    .validate_config = object_validate_config,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
