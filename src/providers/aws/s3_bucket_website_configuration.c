/*
 * s3_bucket_website_configuration.c: aws_s3_bucket_website_configuration —
 * static website hosting of a bucket (id = bucket name; import by it):
 * index and error documents, or a redirect of every request to another
 * host. Changes in place (PutBucketWebsite); delete turns hosting off
 * (DeleteBucketWebsite). website_endpoint / website_domain follow the
 * region's S3 website host (s3-website-<region> or s3-website.<region>).
 *
 * Recovery key: the bucket (a put: the same call twice is one object).
 *
 * No batch read: GetBucketWebsite takes one bucket a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_config_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_protocol(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "http") || !strcmp(s, "https") ? NULL : "protocol is \"http\" or \"https\"";
}

static const char *validate_suffix(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return *s && !strchr(s, '/') ? NULL
                                 : "the index document suffix is a non-empty name without '/' "
                                   "(e.g. index.html)";
}

static const cp_schema_attr index_attrs[] = {
    { .name = "suffix",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_suffix,
      .description = "Served for requests to a folder, e.g. index.html." },
    { NULL },
};

static const cp_schema_attr error_attrs[] = {
    { .name = "key",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Object served on a 4XX error, e.g. error.html." },
    { NULL },
};

static const cp_schema_attr redirect_attrs[] = {
    { .name = "host_name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Host every request is redirected to." },
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_protocol,
      .description = "http or https (default: the request's)." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description = "Name of the bucket." },
    { .name = "index_document",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = index_attrs,
      .max_items = 1,
      .description = "The index document (one block)." },
    { .name = "error_document",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = error_attrs,
      .max_items = 1,
      .description = "The error document (one block)." },
    { .name = "redirect_all_requests_to",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = redirect_attrs,
      .max_items = 1,
      .description = "Redirect every request to another host (conflicts with the documents)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { .name = "website_endpoint",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The website's host, e.g. b.s3-website-us-east-1.amazonaws.com." },
    { .name = "website_domain",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The region's website domain (for Route 53 alias records)." },
    { NULL },
};

static const char *const gone[] = { "NoSuchBucket", "NotFound", "NoSuchWebsiteConfiguration",
                                    NULL };

/* validate_config: an index document or a redirect, not both. */
static char *website_validate_config(const cp_value *config)
{
    int idx = cp_prov_presence(config, "index_document"),
        redir = cp_prov_presence(config, "redirect_all_requests_to"),
        err = cp_prov_presence(config, "error_document");
    if (redir == 1 && (idx == 1 || err == 1))
        return cp_xstrdup("redirect_all_requests_to goes alone: drop index_document and "
                          "error_document, or the redirect");
    if (idx == 0 && redir == 0) return cp_xstrdup("set index_document or redirect_all_requests_to");
    return NULL;
}

/* The S3 website domain of a region: the dash form in the regions that had it first. */
static char *website_domain(const char *region)
{
    static const char *const dash[] = {
        "us-east-1",      "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2",
        "ap-northeast-1", "eu-west-1", "sa-east-1", "us-gov-west-1",  NULL
    };
    for (const char *const *r = dash; *r; r++)
        if (!strcmp(*r, region)) return cp_xasprintf("s3-website-%s.amazonaws.com", region);
    return cp_xasprintf("s3-website.%s.amazonaws.com", region);
}

static void one_block(cp_value *s, const char *key, const char *k1, char *v1, const char *k2,
                      char *v2)
{
    cp_value *list = cp_list_new();
    if (v1) {
        cp_value *m = cp_map_new();
        cp_set_str(m, k1, v1);
        if (k2) cp_set_str(m, k2, v2);
        cp_list_push_take(list, m);
    }
    cp_set_take(s, key, list);
    free(v1);
    free(v2);
}

static int website_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    xmlDocPtr doc;
    int rc = s3cfg_get(c, "GetBucketWebsite", bucket, "website", gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr root = doc ? aws_xml_root(doc) : NULL;
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", bucket);
    one_block(s, "index_document", "suffix", aws_xml_text(root, "IndexDocument/Suffix"), NULL,
              NULL);
    one_block(s, "error_document", "key", aws_xml_text(root, "ErrorDocument/Key"), NULL, NULL);
    one_block(s, "redirect_all_requests_to", "host_name",
              aws_xml_text(root, "RedirectAllRequestsTo/HostName"), "protocol",
              aws_xml_text(root, "RedirectAllRequestsTo/Protocol"));
    char *domain = website_domain(aws_client_region(cp_aws_client(c)));
    char *endpoint = cp_xasprintf("%s.%s", bucket, domain);
    cp_set_str(s, "website_domain", domain);
    cp_set_str(s, "website_endpoint", endpoint);
    free(domain);
    free(endpoint);
    xmlFreeDoc(doc);
    *out = s;
    return 0;
}

static int website_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, website_validate_config, config) != 0) return -1;
    const char *bucket = cp_get_str(config, "bucket");
    const cp_value *idx = cp_get_block(config, "index_document"),
                   *err = cp_get_block(config, "error_document"),
                   *redir = cp_get_block(config, "redirect_all_requests_to");
    cp_buf b = { 0 };
    cp_buf_adds(&b, "<WebsiteConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    if (redir) {
        cp_buf_adds(&b, "<RedirectAllRequestsTo>");
        s3cfg_xml_elem(&b, "HostName", cp_get_str(redir, "host_name"));
        s3cfg_xml_elem(&b, "Protocol", cp_get_str(redir, "protocol"));
        cp_buf_adds(&b, "</RedirectAllRequestsTo>");
    }
    if (idx) {
        cp_buf_adds(&b, "<IndexDocument>");
        s3cfg_xml_elem(&b, "Suffix", cp_get_str(idx, "suffix"));
        cp_buf_adds(&b, "</IndexDocument>");
    }
    if (err) {
        cp_buf_adds(&b, "<ErrorDocument>");
        s3cfg_xml_elem(&b, "Key", cp_get_str(err, "key"));
        cp_buf_adds(&b, "</ErrorDocument>");
    }
    cp_buf_adds(&b, "</WebsiteConfiguration>");
    if (s3cfg_put_free(c, "PutBucketWebsite", bucket, "website", &b) != 0) return -1;
    return cp_aws_reread(c, website_read, attrs, config, bucket, state);
}

static int website_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                          cp_value **state)
{
    (void)old;
    return website_put(c, config, state);
}

static int website_delete(cp_provider_call *c, const cp_value *state)
{
    return s3cfg_delete(c, "DeleteBucketWebsite", cp_get_str(state, "id"), "website", gone);
}

static int website_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, website_read, id, state);
}

static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, website_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket_website_configuration = {
    .name = "aws_s3_bucket_website_configuration",
    .description = "Static website hosting of an S3 bucket (import by bucket name). Deliberate "
                   "differences from the Terraform AWS provider: no routing_rule yet.",
    .attrs = attrs,
    .create = website_put,
    .read = website_read,
    .update = website_update,
    .delete = website_delete,
    .import = website_import,
    .validate_config = website_validate_config,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
