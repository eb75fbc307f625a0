/*
 * s3_common.h: what the S3 resource types (s3_*.c) share: one REST-XML call
 * on a bucket sub-resource (?policy, ?versioning …), XML building and
 * reading, MD5 digests, and the "gone" error codes.
 */
#ifndef CP_PROVIDERS_AWS_S3_COMMON_H
#define CP_PROVIDERS_AWS_S3_COMMON_H

#include "providers/aws/aws_common.h"
#include "util/buf.h"

/* {"NoSuchBucket", "NotFound", NULL}: the bucket does not exist. */
extern const char *const s3_gone[];

typedef struct s3_req {
    const char *op; /* "PutBucketPolicy": named in messages */
    const char *method;
    const char *bucket;
    const char *key; /* object key, or NULL */
    const char *sub; /* sub-resource ("policy"), or NULL */
    const void *body;
    size_t body_len;
    const char *content_type; /* NULL: none */
    const char *tagging;      /* x-amz-tagging header, or NULL */
} s3_req;

/* One call (Content-MD5 is sent with every body). Returns 0, 1 when it
 * failed with one of the `gone` codes, -1 with c->error set. resp may be
 * NULL; else the caller frees it on success. */
int s3_call(cp_provider_call *c, const s3_req *r, const char *const *gone, aws_response *resp);
/* The response body parsed as XML (NULL when empty or malformed). */
xmlDocPtr s3_xml(const aws_response *resp);
/* Appends s escaped for XML text. */
void s3_xml_esc(cp_buf *b, const char *s);
/* MD5 of data as 32 hex digits / as base64 (Content-MD5), into out. */
void s3_md5_hex(const void *data, size_t n, char out[33]);
void s3_md5_b64(const void *data, size_t n, char out[25]);
/* The bucket naming rule (validate-time check of aws_s3_bucket.bucket). */
const char *s3_validate_bucket(const cp_value *v);

#endif
