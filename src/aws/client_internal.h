/*
 * client_internal.h: the one send loop every protocol goes through
 * (sign → send → classify → back off → retry). Private to src/aws.
 */
#ifndef CP_AWS_CLIENT_INTERNAL_H
#define CP_AWS_CLIENT_INTERNAL_H

#include "aws/aws.h"
#include "aws/endpoints.h"

typedef struct aws_send_req {
    const aws_service *svc;
    const char *method;
    const char *path;   /* encoded wire path (S3: without bucket) */
    const char *query;  /* encoded query string, or NULL */
    const char *bucket; /* S3 bucket, or NULL */
    const aws_header *headers;
    size_t n_headers;
    const void *body;
    size_t body_len;
    bool unsigned_payload;
} aws_send_req;

/* 0 on a 2xx response (out filled; caller frees), -1 with err filled. */
int aws_client_send(aws_client *c, const aws_send_req *r, aws_http_response *out, aws_error *err);

/* Parse an RFC 1123 HTTP date; -1 on error. */
time_t aws_parse_http_date(const char *s);

#endif
