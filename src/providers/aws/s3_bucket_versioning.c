/*
 * s3_bucket_versioning.c: aws_s3_bucket_versioning — the versioning state
 * of a bucket (id = bucket name; import by it). S3 cannot turn versioning
 * off once on: delete suspends it, as Terraform does.
 *
 * No batch read: S3 answers one bucket's versioning a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_common.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_status(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "Enabled") || !strcmp(s, "Suspended") || !strcmp(s, "Disabled")
               ? NULL
               : "status is \"Enabled\", \"Suspended\" or \"Disabled\"";
}

static const cp_schema_attr config_attrs[] = {
    { .name = "status",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_status,
      .description =
          "Enabled, Suspended, or Disabled (only for a bucket that never had versioning)." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description = "Name of the bucket." },
    { .name = "versioning_configuration",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED,
      .block = config_attrs,
      .max_items = 1,
      .description = "The versioning state (one block)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { NULL },
};

static int put_status(cp_provider_call *c, const char *bucket, const char *status,
                      const char *const *gone)
{
    cp_buf b = { 0 };
    cp_buf_printf(&b,
                  "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                  "<Status>%s</Status></VersioningConfiguration>",
                  status);
    s3_req r = { "PutBucketVersioning", "PUT", bucket, NULL, "versioning", b.data, b.len,
                 "application/xml",     NULL };
    int rc = s3_call(c, &r, gone, NULL);
    cp_buf_free(&b);
    return rc;
}

static int versioning_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    s3_req r = { "GetBucketVersioning", "GET", bucket, NULL, "versioning", NULL, 0, NULL, NULL };
    aws_response resp;
    int rc = s3_call(c, &r, s3_gone, &resp);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlDocPtr doc = s3_xml(&resp);
    char *status = doc ? aws_xml_text(aws_xml_root(doc), "Status") : NULL;
    cp_value *block = cp_map_new(), *list = cp_list_new();
    cp_set_str(block, "status", status ? status : "Disabled");
    cp_list_push_take(list, block);
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", bucket);
    cp_set_take(s, "versioning_configuration", list);
    free(status);
    xmlFreeDoc(doc);
    aws_response_free(&resp);
    *out = s;
    return 0;
}

static int versioning_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *bucket = cp_get_str(config, "bucket");
    const char *status = cp_get_str(cp_get_block(config, "versioning_configuration"), "status");
    /* "Disabled" exists only for buckets that never had versioning: nothing to send */
    if (status && strcmp(status, "Disabled") != 0 && put_status(c, bucket, status, NULL) != 0)
        return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", bucket);
    *state = s;
    return 0;
}

static int versioning_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                             cp_value **state)
{
    const char *status = cp_get_str(cp_get_block(config, "versioning_configuration"), "status");
    if (status && strcmp(status, "Disabled") == 0)
        return put_status(c, cp_get_str(old, "id"), "Suspended", NULL) != 0
                   ? -1
                   : versioning_put(c, config, state);
    return versioning_put(c, config, state);
}

static int versioning_delete(cp_provider_call *c, const cp_value *state)
{
    const char *status = cp_get_str(cp_get_block(state, "versioning_configuration"), "status");
    if (status && strcmp(status, "Enabled") != 0) return 0;
    return put_status(c, cp_get_str(state, "id"), "Suspended", s3_gone) < 0 ? -1 : 0;
}

static int versioning_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, versioning_read, id, state);
}

/* An interrupted create is found by its bucket, read as its id (a put: the same call twice is one
 * object). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, versioning_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket_versioning = {
    .name = "aws_s3_bucket_versioning",
    .description = "Versioning of an S3 bucket (import by bucket name); delete suspends it.",
    .attrs = attrs,
    .create = versioning_put,
    .read = versioning_read,
    .update = versioning_update,
    .delete = versioning_delete,
    .import = versioning_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
