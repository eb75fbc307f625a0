/*
 * s3_bucket_policy.c: aws_s3_bucket_policy — the policy document of a
 * bucket (id = bucket name; import by it). The policy changes in place;
 * delete removes it.
 *
 * No batch read: S3 answers one bucket's policy a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_common.h"

#include <string.h>

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description = "Name of the bucket." },
    { .name = "policy",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_JSON,
      .validate = cp_validate_json,
      .description =
          "The bucket policy document (JSON, e.g. from jsonencode()). Changes in place." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { NULL },
};

static const char *const gone[] = { "NoSuchBucket", "NotFound", "NoSuchBucketPolicy", NULL };

static int policy_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    s3_req r = { "GetBucketPolicy", "GET", bucket, NULL, "policy", NULL, 0, NULL, NULL };
    aws_response resp;
    int rc = s3_call(c, &r, gone, &resp);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_buf_addc(&resp.body, '\0');
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", bucket);
    cp_set_take(s, "policy", cp_json_keep(cp_get_str(state, "policy"), resp.body.data));
    aws_response_free(&resp);
    *out = s;
    return 0;
}

static int put_policy(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *bucket = cp_get_str(config, "bucket"), *doc = cp_get_str(config, "policy");
    s3_req r = { "PutBucketPolicy",  "PUT", bucket, NULL, "policy", doc, strlen(doc),
                 "application/json", NULL };
    if (s3_call(c, &r, NULL, NULL) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", bucket);
    *state = s;
    return 0;
}

static int policy_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    return put_policy(c, config, state);
}

static int policy_delete(cp_provider_call *c, const cp_value *state)
{
    s3_req r = {
        "DeleteBucketPolicy", "DELETE", cp_get_str(state, "id"), NULL, "policy", NULL, 0, NULL, NULL
    };
    return s3_call(c, &r, gone, NULL) < 0 ? -1 : 0;
}

static int policy_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, policy_read, id, state);
}

/* An interrupted create is found by its bucket, read as its id (a put: the same call twice is one
 * object). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, policy_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket_policy = {
    .name = "aws_s3_bucket_policy",
    .description = "The policy of an S3 bucket (import by bucket name).",
    .attrs = attrs,
    .create = put_policy,
    .read = policy_read,
    .update = policy_update,
    .delete = policy_delete,
    .import = policy_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
