/*
 * s3_bucket_server_side_encryption_configuration.c:
 * aws_s3_bucket_server_side_encryption_configuration — a bucket's default
 * encryption (id = bucket name; import by it). Rules change in place
 * (PutBucketEncryption). Every bucket is encrypted (SSE-S3, AES256) since
 * 2023: delete (DeleteBucketEncryption) returns it to that default.
 *
 * Recovery key: the bucket (a put: the same call twice is one object).
 *
 * No batch read: GetBucketEncryption takes one bucket a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_config_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_algorithm(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "AES256") || !strcmp(s, "aws:kms") || !strcmp(s, "aws:kms:dsse")
               ? NULL
               : "sse_algorithm is \"AES256\", \"aws:kms\" or \"aws:kms:dsse\"";
}

static const cp_schema_attr default_attrs[] = {
    { .name = "sse_algorithm",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_algorithm,
      .description = "AES256 (S3-managed keys), aws:kms or aws:kms:dsse." },
    { .name = "kms_master_key_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "KMS key (id, ARN or alias) for aws:kms; default: the aws/s3 key." },
    { NULL },
};

static const cp_schema_attr rule_attrs[] = {
    { .name = "apply_server_side_encryption_by_default",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = default_attrs,
      .max_items = 1,
      .description = "The encryption applied to new objects without their own (one block)." },
    { .name = "bucket_key_enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .description = "Use an S3 Bucket Key for aws:kms (fewer KMS calls)." },
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
      .description = "Encryption rules (S3 keeps one)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { NULL },
};

static const char *const gone[] = { "NoSuchBucket", "NotFound",
                                    "ServerSideEncryptionConfigurationNotFoundError", NULL };

/* validate_config: aws:kms alone takes a key. */
static char *sse_validate_config(const cp_value *config)
{
    const cp_value *rules = cp_prov_field(config, "rule");
    for (size_t i = 0; rules && cp_kind_of(rules) == CP_LIST && i < cp_len(rules); i++) {
        const cp_value *d =
            cp_get_block(cp_list_get(rules, i), "apply_server_side_encryption_by_default");
        const char *alg = cp_get_str(d, "sse_algorithm");
        if (alg && !strcmp(alg, "AES256") && cp_prov_presence(d, "kms_master_key_id") == 1)
            return cp_xstrdup("kms_master_key_id needs sse_algorithm = \"aws:kms\" (or "
                              "\"aws:kms:dsse\"), not AES256");
    }
    return NULL;
}

static cp_value *rule_from_xml(xmlNodePtr n)
{
    cp_value *rule = cp_map_new(), *defs = cp_list_new();
    xmlNodePtr d = aws_xml_find(n, "ApplyServerSideEncryptionByDefault");
    if (d) {
        cp_value *m = cp_map_new();
        char *alg = aws_xml_text(d, "SSEAlgorithm"), *key = aws_xml_text(d, "KMSMasterKeyID");
        cp_set_str(m, "sse_algorithm", alg);
        cp_set_str(m, "kms_master_key_id", key);
        free(alg);
        free(key);
        cp_list_push_take(defs, m);
    }
    cp_set_take(rule, "apply_server_side_encryption_by_default", defs);
    char *bk = aws_xml_text(n, "BucketKeyEnabled");
    cp_set_bool(rule, "bucket_key_enabled", bk && !strcmp(bk, "true"));
    free(bk);
    return rule;
}

static int sse_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    xmlDocPtr doc;
    int rc = s3cfg_get(c, "GetBucketEncryption", bucket, "encryption", gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *rules = cp_list_new();
    for (xmlNodePtr n = doc ? aws_xml_find(aws_xml_root(doc), "Rule") : NULL; n;
         n = aws_xml_next(n))
        cp_list_push_take(rules, rule_from_xml(n));
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", bucket);
    cp_set_take(s, "rule", rules);
    xmlFreeDoc(doc);
    *out = s;
    return 0;
}

static int sse_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, sse_validate_config, config) != 0) return -1;
    const char *bucket = cp_get_str(config, "bucket");
    cp_buf b = { 0 };
    cp_buf_adds(&b, "<ServerSideEncryptionConfiguration "
                    "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    const cp_value *rules = cp_get_list(config, "rule");
    for (size_t i = 0; rules && i < cp_len(rules); i++) {
        const cp_value *rule = cp_list_get(rules, i);
        const cp_value *d = cp_get_block(rule, "apply_server_side_encryption_by_default");
        cp_buf_adds(&b, "<Rule>");
        if (d) {
            cp_buf_adds(&b, "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>");
            s3_xml_esc(&b, cp_get_str(d, "sse_algorithm"));
            cp_buf_adds(&b, "</SSEAlgorithm>");
            if (cp_get_str(d, "kms_master_key_id")) {
                cp_buf_adds(&b, "<KMSMasterKeyID>");
                s3_xml_esc(&b, cp_get_str(d, "kms_master_key_id"));
                cp_buf_adds(&b, "</KMSMasterKeyID>");
            }
            cp_buf_adds(&b, "</ApplyServerSideEncryptionByDefault>");
        }
        if (cp_prov_is_set(rule, "bucket_key_enabled"))
            cp_buf_printf(&b, "<BucketKeyEnabled>%s</BucketKeyEnabled>",
                          cp_get_bool(rule, "bucket_key_enabled", false) ? "true" : "false");
        cp_buf_adds(&b, "</Rule>");
    }
    cp_buf_adds(&b, "</ServerSideEncryptionConfiguration>");
    if (s3cfg_put_free(c, "PutBucketEncryption", bucket, "encryption", &b) != 0) return -1;
    return cp_aws_reread(c, sse_read, attrs, config, bucket, state);
}

static int sse_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    (void)old;
    return sse_put(c, config, state);
}

static int sse_delete(cp_provider_call *c, const cp_value *state)
{
    return s3cfg_delete(c, "DeleteBucketEncryption", cp_get_str(state, "id"), "encryption", gone);
}

static int sse_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, sse_read, id, state);
}

static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, sse_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket_server_side_encryption_configuration = {
    .name = "aws_s3_bucket_server_side_encryption_configuration",
    .description = "Default encryption of an S3 bucket (import by bucket name); delete returns "
                   "the bucket to S3's default (AES256).",
    .attrs = attrs,
    .create = sse_put,
    .read = sse_read,
    .update = sse_update,
    .delete = sse_delete,
    .import = sse_import,
    .validate_config = sse_validate_config,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
