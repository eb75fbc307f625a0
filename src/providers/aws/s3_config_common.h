/*
 * s3_config_common.h: what the split S3 bucket configuration types
 * (s3_bucket_server_side_encryption_configuration.c, _ownership_controls.c,
 * _website_configuration.c) share: GET / PUT / DELETE of one bucket
 * sub-resource ("?encryption") with its XML document.
 */
#ifndef CP_PROVIDERS_AWS_S3_CONFIG_COMMON_H
#define CP_PROVIDERS_AWS_S3_CONFIG_COMMON_H

#include "providers/aws/s3_common.h"

/* GET bucket?sub: 0 with *doc (the caller frees it; NULL for an empty body), 1 when it
 * failed with a `gone` code, -1 with c->error set. */
int s3cfg_get(cp_provider_call *c, const char *op, const char *bucket, const char *sub,
              const char *const *gone, xmlDocPtr *doc);
/* PUT bucket?sub with the XML in body (freed here): 0 or -1. */
int s3cfg_put_free(cp_provider_call *c, const char *op, const char *bucket, const char *sub,
                   cp_buf *body);
/* DELETE bucket?sub; a `gone` answer counts as done: 0 or -1. */
int s3cfg_delete(cp_provider_call *c, const char *op, const char *bucket, const char *sub,
                 const char *const *gone);
/* <name>text</name> (escaped) appended to b; nothing when text is NULL. */
void s3cfg_xml_elem(cp_buf *b, const char *name, const char *text);

#endif
