/*
 * log.h: CPSTACK_LOG=debug request/response logging with secrets redacted.
 *
 * Only request lines, status lines and headers are logged, never bodies.
 * The Authorization header, X-Amz-Security-Token, SSE customer keys and
 * the signature/credential/token query parameters of presigned URLs are
 * replaced by "<redacted>". The formatting functions are pure, so tests
 * check the redaction on their output.
 */
#ifndef CP_AWS_LOG_H
#define CP_AWS_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/credentials.h"
#include "aws/sigv4.h"
#include "util/buf.h"

/* True when CPSTACK_LOG is "debug" (or "trace"). */
bool aws_log_debug_enabled(aws_getenv_fn getenv_fn);

/* Is this header's value secret? */
bool aws_log_header_is_secret(const char *name);

/* "aws: > POST https://host/path?q HTTP/1.1" then "aws: > Name: value" lines. */
void aws_log_format_request(cp_buf *out, const char *method, const char *url, const aws_header *h,
                            size_t n);
/* "aws: < HTTP 200 (12 ms)" then "aws: < Name: value" lines. */
void aws_log_format_response(cp_buf *out, long status, long ms, const aws_sigv4_add *h, size_t n);
/* URL with presign secrets (X-Amz-Signature, -Credential, -Security-Token) redacted. */
void aws_log_redact_url(cp_buf *out, const char *url);

#endif
