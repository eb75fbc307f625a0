/*
 * s3_bucket.c: aws_s3_bucket — an S3 bucket (id = bucket name). Created
 * with a LocationConstraint outside us-east-1; tags change in place. Delete
 * of a non-empty bucket fails with a clear message unless force_destroy is
 * set, in which case its objects are deleted first (1000 per call).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/s3_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description =
          "Name of the bucket. Must be globally unique; 3-63 lowercase letters, digits, dots and hyphens. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "force_destroy",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "On delete, first delete every object so a non-empty bucket can be destroyed." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description =
          "Tags to assign to the bucket. At most 50; letters, digits, spaces and _ . : / = + - @ only." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the bucket: `arn:aws:s3:::<name>`." },
    { .name = "bucket_domain_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Domain name of the bucket: `<name>.s3.amazonaws.com`." },
    { .name = "bucket_regional_domain_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Region-specific domain name: `<name>.s3.<region>.amazonaws.com`." },
    { .name = "region",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "AWS region the bucket lives in." },
    { NULL },
};

static int put_tags(cp_provider_call *c, const char *bucket, const cp_value *tags)
{
    if (!tags || cp_len(tags) == 0) {
        s3_req r = {
            "DeleteBucketTagging", "DELETE", bucket, NULL, "tagging", NULL, 0, NULL, NULL
        };
        return s3_call(c, &r, NULL, NULL);
    }
    cp_buf b = { 0 };
    cp_buf_adds(&b, "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>");
    for (size_t i = 0; i < cp_len(tags); i++) {
        cp_buf_adds(&b, "<Tag><Key>");
        s3_xml_esc(&b, cp_map_key_at(tags, i));
        cp_buf_adds(&b, "</Key><Value>");
        s3_xml_esc(&b, cp_string_val(cp_map_value_at(tags, i)));
        cp_buf_adds(&b, "</Value></Tag>");
    }
    cp_buf_adds(&b, "</TagSet></Tagging>");
    s3_req r = { "PutBucketTagging", "PUT", bucket, NULL, "tagging", b.data, b.len,
                 "application/xml",  NULL };
    int rc = s3_call(c, &r, NULL, NULL);
    cp_buf_free(&b);
    return rc;
}

static cp_value *read_tags(cp_provider_call *c, const char *bucket, const cp_value *prev, int *rc)
{
    static const char *const none[] = { "NoSuchTagSet", NULL };
    s3_req r = { "GetBucketTagging", "GET", bucket, NULL, "tagging", NULL, 0, NULL, NULL };
    aws_response resp;
    *rc = s3_call(c, &r, none, &resp);
    if (*rc < 0) return NULL;
    cp_value *m = cp_map_new();
    if (*rc == 0) {
        xmlDocPtr doc = s3_xml(&resp);
        cp_release(m);
        m = cp_aws_tags_from_xml(doc ? aws_xml_find(aws_xml_root(doc), "TagSet") : NULL, "Tag");
        xmlFreeDoc(doc);
        aws_response_free(&resp);
    }
    *rc = 0;
    return cp_tags_keep_take(m, prev);
}

/* The state of bucket name in region, tags not yet read. */
static cp_value *bucket_state(const cp_value *state, const char *name, const char *region)
{
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", name);
    cp_set_str(s, "region", region);
    cp_set_take(s, "arn", cp_stringf("arn:aws:s3:::%s", name));
    cp_set_take(s, "bucket_domain_name", cp_stringf("%s.s3.amazonaws.com", name));
    cp_set_take(s, "bucket_regional_domain_name",
                cp_stringf("%s.s3.%s.amazonaws.com", name, region));
    cp_set_bool(s, "force_destroy", cp_get_bool(state, "force_destroy", false));
    return s;
}

static int bucket_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *name = cp_get_str(state, "id");
    s3_req r = { "HeadBucket", "HEAD", name, NULL, NULL, NULL, 0, NULL, NULL };
    aws_response resp;
    int rc = s3_call(c, &r, s3_gone, &resp);
    if (rc != 0) return rc < 0 ? -1 : 0;
    const char *hdr = aws_response_header(&resp, "x-amz-bucket-region");
    cp_value *s = bucket_state(state, name, hdr ? hdr : aws_client_region(cp_aws_client(c)));
    aws_response_free(&resp);
    cp_value *tags = read_tags(c, name, cp_map_get(state, "tags"), &rc);
    if (rc != 0) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * ListBuckets (the account's buckets, pages followed) tells which still exist; a bucket's
 * region never changes, so the state's is kept. Tags: one Tagging API call for the buckets
 * of the client's region, GetBucketTagging only where it disagrees with the state
 * (batch.h). S3 has no call that describes many buckets, so a bucket not listed, one of
 * another region or one whose state has no region is read as read() does (HeadBucket and
 * GetBucketTagging). Attributes other buckets types keep (policy, versioning …) are
 * separate types with their own per-bucket reads. */
static int list_buckets(cp_provider_call *c, cp_value **names)
{
    *names = cp_map_new();
    char *token = NULL;
    do {
        aws_params *q = NULL;
        if (token) {
            q = aws_params_new();
            aws_params_add(q, "continuation-token", token);
        }
        aws_rest_request req = { .method = "GET", .path = "/", .query = q };
        aws_response resp;
        int rc = cp_aws_rest(c, "s3", "ListBuckets", &req, NULL, &resp);
        aws_params_free(q);
        free(token);
        token = NULL;
        if (rc != 0) return -1;
        xmlDocPtr doc = s3_xml(&resp);
        xmlNodePtr root = doc ? aws_xml_root(doc) : NULL;
        for (xmlNodePtr b = root ? aws_xml_find(root, "Buckets/Bucket") : NULL; b;
             b = aws_xml_next(b)) {
            char *name = aws_xml_text(b, "Name");
            if (name) cp_set_bool(*names, name, true);
            free(name);
        }
        token = root ? aws_xml_text(root, "ContinuationToken") : NULL;
        if (token && !*token) {
            free(token);
            token = NULL;
        }
        xmlFreeDoc(doc);
        aws_response_free(&resp);
    } while (token);
    return 0;
}

static int bucket_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                             cp_value **out)
{
    cp_value *names;
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    if (list_buckets(c, &names) != 0) {
        cp_release(names);
        return cp_aws_batch_fallback(c, bucket_read, states, n, out);
    }
    const char *here = aws_client_region(cp_aws_client(c));
    const char **arns = cp_xcalloc(n, sizeof *arns);
    cp_value **tags = cp_xcalloc(n, sizeof *tags), **arn_vals = cp_xcalloc(n, sizeof *arn_vals);
    for (size_t i = 0; i < n; i++) {
        const char *name = cp_get_str(states[i], "id"), *region = cp_get_str(states[i], "region");
        if (!name || !cp_map_get(names, name) || !region || strcmp(region, here) != 0) continue;
        arn_vals[i] = cp_stringf("arn:aws:s3:::%s", name);
        arns[i] = cp_string_val(arn_vals[i]);
    }
    cp_aws_tags_many(c, arns, n, tags);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        cp_value *keep;
        if (!arns[i]) continue;
        const char *name = cp_get_str(states[i], "id");
        if (!cp_aws_tags_agree(tags[i], cp_map_get(states[i], "tags"), &keep))
            keep = read_tags(c, name, cp_map_get(states[i], "tags"), &rc);
        if (rc != 0) break;
        out[i] = bucket_state(states[i], name, here);
        cp_set_take(out[i], "tags", keep);
    }
    for (size_t i = 0; i < n; i++) {
        cp_release(tags[i]);
        cp_release(arn_vals[i]);
    }
    free(tags);
    free(arn_vals);
    free(arns);
    cp_release(names);
    if (rc == 0) rc = cp_aws_read_rest(c, bucket_read, states, NULL, n, out);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

static int bucket_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "bucket");
    const char *region = aws_client_region(cp_aws_client(c));
    char *body =
        strcmp(region, "us-east-1") == 0
            ? NULL
            : cp_xasprintf(
                  "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                  "<LocationConstraint>%s</LocationConstraint></CreateBucketConfiguration>",
                  region);
    s3_req r = { "CreateBucket",
                 "PUT",
                 name,
                 NULL,
                 NULL,
                 body,
                 body ? strlen(body) : 0,
                 body ? "application/xml" : NULL,
                 NULL };
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = s3_call(c, &r, NULL, NULL);
    aws_set_no_resend(false);
    free(body);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", name);
    if (cp_get_map(config, "tags") && cp_len(cp_get_map(config, "tags")) &&
        put_tags(c, name, cp_get_map(config, "tags")) != 0) {
        *state = s; /* the bucket exists: keep it in state */
        return -1;
    }
    rc = bucket_read(c, s, state);
    cp_release(s);
    return rc;
}

static int bucket_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    if (cp_changed(old, config, "tags") && put_tags(c, name, cp_get_map(config, "tags")) != 0)
        return -1;
    return cp_aws_reread(c, bucket_read, attrs, config, name, state);
}

/* Appends <Object> entries for each Version / DeleteMarker item of a
 * ListObjectVersions answer; returns how many. */
static size_t add_versions(cp_buf *b, xmlDocPtr doc, const char *item)
{
    size_t n = 0;
    for (xmlNodePtr it = doc ? aws_xml_find(aws_xml_root(doc), item) : NULL; it;
         it = aws_xml_next(it), n++) {
        char *key = aws_xml_text(it, "Key");
        char *version = aws_xml_text(it, "VersionId");
        cp_buf_adds(b, "<Object><Key>");
        s3_xml_esc(b, key);
        cp_buf_adds(b, "</Key>");
        if (version) { /* "null" too: without it a versioned bucket adds a delete marker */
            cp_buf_adds(b, "<VersionId>");
            s3_xml_esc(b, version);
            cp_buf_adds(b, "</VersionId>");
        }
        cp_buf_adds(b, "</Object>");
        free(key);
        free(version);
    }
    return n;
}

/* Deletes one page (up to 1000) of object versions and delete markers, as
 * Terraform's force_destroy does; *more when some remain. Every entry names
 * its VersionId, "null" included (an object put before versioning, or any
 * object of an unversioned bucket): an entry without one would only add a
 * delete marker on a versioned bucket, and the loop would never end. */
static int delete_page(cp_provider_call *c, const char *bucket, bool *more)
{
    aws_response resp;
    aws_params *q = aws_params_new();
    aws_params_add(q, "versions", "");
    aws_params_add(q, "max-keys", "1000");
    aws_rest_request req = { .method = "GET", .path = NULL, .bucket = bucket, .query = q };
    int rc = cp_aws_rest(c, "s3", "ListObjectVersions", &req, s3_gone, &resp);
    aws_params_free(q);
    *more = false;
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlDocPtr doc = s3_xml(&resp);
    aws_response_free(&resp);
    cp_buf b = { 0 };
    cp_buf_adds(&b,
                "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>");
    size_t n = add_versions(&b, doc, "Version");
    n += add_versions(&b, doc, "DeleteMarker");
    cp_buf_adds(&b, "</Delete>");
    xmlFreeDoc(doc);
    s3_req d = { "DeleteObjects",   "POST", bucket, NULL, "delete", b.data, b.len,
                 "application/xml", NULL };
    rc = n ? s3_call(c, &d, s3_gone, NULL) : 0;
    cp_buf_free(&b);
    *more = n > 0 && rc == 0;
    return rc < 0 ? -1 : 0;
}

static int bucket_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const not_empty[] = { "NoSuchBucket", "NotFound", "BucketNotEmpty", NULL };
    const char *name = cp_get_str(state, "id");
    bool force = cp_get_bool(state, "force_destroy", false), more = force;
    while (more)
        if (delete_page(c, name, &more) != 0) return -1;
    aws_error err = { 0 };
    aws_rest_request req = { .method = "DELETE", .path = NULL, .bucket = name };
    aws_response resp;
    if (aws_rest_call(cp_aws_client(c), "s3", "DeleteBucket", &req, &resp, &err) == 0) {
        aws_response_free(&resp);
        return 0;
    }
    bool full = aws_error_is(&err, "BucketNotEmpty");
    if (!full && cp_aws_error_in(&err, not_empty)) {
        aws_error_clear(&err);
        return 0;
    }
    if (!full) return cp_aws_fail(c, &err, "DeleteBucket");
    aws_error_clear(&err);
    return cp_fail(c,
                   "%s: DeleteBucket: BucketNotEmpty: bucket \"%s\" still holds objects; delete "
                   "them, or set force_destroy = true and apply before destroying",
                   c->address, name);
}

static int bucket_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, bucket_read, id, state);
}

/* An interrupted create is found by its bucket, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, bucket_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket = {
    .name = "aws_s3_bucket",
    .description =
        "An S3 bucket (import by bucket name)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = bucket_create,
    .read = bucket_read,
    .update = bucket_update,
    .delete = bucket_delete,
    .import = bucket_import,
    .read_batch = bucket_read_batch,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "bucket",
    .find = rec_find,
};
