/*
 * s3_config_common.c: one bucket sub-resource call for the split S3 bucket
 * configuration types (see s3_config_common.h).
 */
#include "providers/aws/s3_config_common.h"

int s3cfg_get(cp_provider_call *c, const char *op, const char *bucket, const char *sub,
              const char *const *gone, xmlDocPtr *doc)
{
    *doc = NULL;
    s3_req r = { op, "GET", bucket, NULL, sub, NULL, 0, NULL, NULL };
    aws_response resp;
    int rc = s3_call(c, &r, gone, &resp);
    if (rc != 0) return rc;
    *doc = s3_xml(&resp);
    aws_response_free(&resp);
    return 0;
}

int s3cfg_put_free(cp_provider_call *c, const char *op, const char *bucket, const char *sub,
                   cp_buf *body)
{
    s3_req r = { op, "PUT", bucket, NULL, sub, body->data, body->len, "application/xml", NULL };
    int rc = s3_call(c, &r, NULL, NULL);
    cp_buf_free(body);
    return rc == 0 ? 0 : -1;
}

int s3cfg_delete(cp_provider_call *c, const char *op, const char *bucket, const char *sub,
                 const char *const *gone)
{
    s3_req r = { op, "DELETE", bucket, NULL, sub, NULL, 0, NULL, NULL };
    return s3_call(c, &r, gone, NULL) < 0 ? -1 : 0;
}

void s3cfg_xml_elem(cp_buf *b, const char *name, const char *text)
{
    if (!text) return;
    cp_buf_printf(b, "<%s>", name);
    s3_xml_esc(b, text);
    cp_buf_printf(b, "</%s>", name);
}
