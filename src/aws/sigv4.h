/*
 * sigv4.h: AWS Signature Version 4, as a pure function.
 *
 * The signer takes a description of one HTTP request (method, wire path, raw
 * query, headers, payload hash) plus the signing context (service, region,
 * time, credentials) and returns what must be added to the request: either
 * headers (X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256,
 * Authorization) or query parameters (X-Amz-Algorithm ... X-Amz-Signature).
 * It never opens a socket and keeps no state, so it is safe from any thread
 * and is checked case by case against shared/conformance/sigv4-suite.
 *
 * Paths: `path` is the path as it goes on the wire. For every service but
 * S3 the canonical path is that path normalised (dot segments, duplicate
 * slashes) and URI-encoded once more ("double encoding"); for S3
 * (`s3_path_rules`) it is used exactly as given, so the caller must have
 * encoded it with aws_uri_encode(.., keep_slash = true).
 */
#ifndef CP_AWS_SIGV4_H
#define CP_AWS_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aws/credentials.h"
#include "util/buf.h"

#define AWS_SHA256_HEX_LEN   64
#define AWS_EMPTY_SHA256     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define AWS_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

typedef struct aws_header {
    const char *name;
    const char *value;
} aws_header;

typedef struct aws_sigv4_request {
    const char *method;        /* "GET", "POST", ... */
    const char *path;          /* wire path, "/" if empty */
    const char *query;         /* raw query without '?', or NULL */
    const aws_header *headers; /* must include Host */
    size_t n_headers;
    const char *payload_hash; /* hex SHA-256, UNSIGNED-PAYLOAD, NULL = empty body */
} aws_sigv4_request;

typedef struct aws_sigv4_params {
    const char *service; /* credential-scope service, e.g. "ec2" */
    const char *region;  /* signing region, e.g. "us-east-1" */
    time_t when;         /* signing time (UTC seconds) */
    const aws_credentials *creds;
    bool s3_path_rules;         /* S3: no path normalisation, no double encoding */
    bool keep_dot_segments;     /* encode the path but do not normalise it */
    bool content_sha256_header; /* add a signed x-amz-content-sha256 header */
    bool omit_session_token;    /* add the token but do not sign it (legacy) */
    bool query_signing;         /* presign: result is query params, not headers */
    int expires;                /* query signing: X-Amz-Expires seconds */
} aws_sigv4_params;

/* One header or query parameter to add; value is NOT URI-encoded. */
typedef struct aws_sigv4_add {
    char *name;
    char *value;
} aws_sigv4_add;

typedef struct aws_sigv4_result {
    cp_buf canonical_request;
    cp_buf string_to_sign;
    char signature[AWS_SHA256_HEX_LEN + 1];
    aws_sigv4_add add[8]; /* in the order they should be appended */
    size_t n_add;
} aws_sigv4_result;

/* Sign; always succeeds (inputs are trusted). Free the result afterwards. */
void aws_sigv4_sign(const aws_sigv4_request *req, const aws_sigv4_params *p, aws_sigv4_result *out);
void aws_sigv4_result_free(aws_sigv4_result *r);

/* Helpers shared with the protocols. */
void aws_sha256_hex(const void *data, size_t len, char out[AWS_SHA256_HEX_LEN + 1]);
/* RFC 3986 encoding of everything but A-Z a-z 0-9 - . _ ~ (and '/' if keep_slash). */
void aws_uri_encode(cp_buf *out, const char *s, size_t len, bool keep_slash);
/* "20150830T123600Z" (buf >= 17) and "20150830" (buf >= 9). */
void aws_format_amz_date(time_t t, char *buf, size_t n);

#endif
