/*
 * s3_bucket_public_access_block.c: aws_s3_bucket_public_access_block —
 * the four public-access switches of a bucket (id = bucket name; import by
 * it). Changed in place; delete removes the configuration.
 *
 * No batch read: S3 answers one bucket's configuration a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_common.h"

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description = "Name of the bucket." },
    { .name = "block_public_acls",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Reject requests that set public ACLs on the bucket or its objects." },
    { .name = "block_public_policy",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Reject bucket policies that grant public access." },
    { .name = "ignore_public_acls",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Ignore public ACLs on the bucket and its objects." },
    { .name = "restrict_public_buckets",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "With a public policy, allow only AWS services and the bucket owner's account." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { NULL },
};

/* Schema attribute ↔ XML element, in the order S3 wants them. */
static const char *const fields[][2] = {
    { "block_public_acls", "BlockPublicAcls" },
    { "ignore_public_acls", "IgnorePublicAcls" },
    { "block_public_policy", "BlockPublicPolicy" },
    { "restrict_public_buckets", "RestrictPublicBuckets" },
};

static const char *const gone[] = { "NoSuchBucket", "NotFound",
                                    "NoSuchPublicAccessBlockConfiguration", NULL };

static int pab_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    s3_req r = {
        "GetPublicAccessBlock", "GET", bucket, NULL, "publicAccessBlock", NULL, 0, NULL, NULL
    };
    aws_response resp;
    int rc = s3_call(c, &r, gone, &resp);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlDocPtr doc = s3_xml(&resp);
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", bucket);
    for (size_t i = 0; i < 4; i++)
        cp_set_xml_bool(s, fields[i][0], doc ? aws_xml_root(doc) : NULL, fields[i][1], false);
    xmlFreeDoc(doc);
    aws_response_free(&resp);
    *out = s;
    return 0;
}

static int pab_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *bucket = cp_get_str(config, "bucket");
    cp_buf b = { 0 };
    cp_buf_adds(
        &b, "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (size_t i = 0; i < 4; i++)
        cp_buf_printf(&b, "<%s>%s</%s>", fields[i][1],
                      cp_get_bool(config, fields[i][0], false) ? "true" : "false", fields[i][1]);
    cp_buf_adds(&b, "</PublicAccessBlockConfiguration>");
    s3_req r = { "PutPublicAccessBlock", "PUT", bucket, NULL, "publicAccessBlock", b.data, b.len,
                 "application/xml",      NULL };
    int rc = s3_call(c, &r, NULL, NULL);
    cp_buf_free(&b);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", bucket);
    *state = s;
    return 0;
}

static int pab_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    return pab_put(c, config, state);
}

static int pab_delete(cp_provider_call *c, const cp_value *state)
{
    s3_req r = { "DeletePublicAccessBlock",
                 "DELETE",
                 cp_get_str(state, "id"),
                 NULL,
                 "publicAccessBlock",
                 NULL,
                 0,
                 NULL,
                 NULL };
    return s3_call(c, &r, gone, NULL) < 0 ? -1 : 0;
}

static int pab_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, pab_read, id, state);
}

/* An interrupted create is found by its bucket, read as its id (a put: the same call twice is one
 * object). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, pab_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket_public_access_block = {
    .name = "aws_s3_bucket_public_access_block",
    .description = "The public access block of an S3 bucket (import by bucket name).",
    .attrs = attrs,
    .create = pab_put,
    .read = pab_read,
    .update = pab_update,
    .delete = pab_delete,
    .import = pab_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
