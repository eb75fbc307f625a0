/*
 * s3_bucket_ownership_controls.c: aws_s3_bucket_ownership_controls — who
 * owns the objects written to a bucket (id = bucket name; import by it).
 * The rule changes in place (PutBucketOwnershipControls); delete removes
 * the controls (DeleteBucketOwnershipControls).
 *
 * Recovery key: the bucket (a put: the same call twice is one object).
 *
 * No batch read: GetBucketOwnershipControls takes one bucket a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_config_common.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_ownership(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "BucketOwnerPreferred") || !strcmp(s, "ObjectWriter") ||
                   !strcmp(s, "BucketOwnerEnforced")
               ? NULL
               : "object_ownership is \"BucketOwnerPreferred\", \"ObjectWriter\" or "
                 "\"BucketOwnerEnforced\"";
}

static const cp_schema_attr rule_attrs[] = {
    { .name = "object_ownership",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_ownership,
      .description = "BucketOwnerEnforced (ACLs off: AWS's default for new buckets), "
                     "BucketOwnerPreferred or ObjectWriter." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description = "Name of the bucket." },
    { .name = "rule",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED,
      .block = rule_attrs,
      .max_items = 1,
      .description = "The ownership rule (one block)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { NULL },
};

static const char *const gone[] = { "NoSuchBucket", "NotFound", "OwnershipControlsNotFoundError",
                                    NULL };

static int controls_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    xmlDocPtr doc;
    int rc = s3cfg_get(c, "GetBucketOwnershipControls", bucket, "ownershipControls", gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    char *own = doc ? aws_xml_text(aws_xml_root(doc), "Rule/ObjectOwnership") : NULL;
    cp_value *s = cp_state_complete(attrs, state), *rule = cp_map_new(), *list = cp_list_new();
    cp_set_str(rule, "object_ownership", own);
    cp_list_push_take(list, rule);
    cp_set_str(s, "bucket", bucket);
    cp_set_take(s, "rule", list);
    free(own);
    xmlFreeDoc(doc);
    *out = s;
    return 0;
}

static int controls_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *bucket = cp_get_str(config, "bucket");
    cp_buf b = { 0 };
    cp_buf_adds(&b, "<OwnershipControls xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    "<Rule><ObjectOwnership>");
    s3_xml_esc(&b, cp_get_str(cp_get_block(config, "rule"), "object_ownership"));
    cp_buf_adds(&b, "</ObjectOwnership></Rule></OwnershipControls>");
    if (s3cfg_put_free(c, "PutBucketOwnershipControls", bucket, "ownershipControls", &b) != 0)
        return -1;
    return cp_aws_reread(c, controls_read, attrs, config, bucket, state);
}

static int controls_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                           cp_value **state)
{
    (void)old;
    return controls_put(c, config, state);
}

static int controls_delete(cp_provider_call *c, const cp_value *state)
{
    return s3cfg_delete(c, "DeleteBucketOwnershipControls", cp_get_str(state, "id"),
                        "ownershipControls", gone);
}

static int controls_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, controls_read, id, state);
}

static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, controls_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket_ownership_controls = {
    .name = "aws_s3_bucket_ownership_controls",
    .description = "Object ownership controls of an S3 bucket (import by bucket name).",
    .attrs = attrs,
    .create = controls_put,
    .read = controls_read,
    .update = controls_update,
    .delete = controls_delete,
    .import = controls_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
