/*
 * log.c: formatting of debug log lines with secrets redacted (see log.h).
 */
#include "aws/log.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REDACTED "<redacted>"

bool aws_log_debug_enabled(aws_getenv_fn g)
{
    const char *v = g ? g("CPSTACK_LOG") : getenv("CPSTACK_LOG");
    return v && (strcasecmp(v, "debug") == 0 || strcasecmp(v, "trace") == 0);
}

bool aws_log_header_is_secret(const char *name)
{
    static const char *const secret[] = { "authorization",
                                          "x-amz-security-token",
                                          "proxy-authorization",
                                          "cookie",
                                          "x-aws-ec2-metadata-token",
                                          "x-amz-server-side-encryption-customer-key",
                                          "x-amz-copy-source-server-side-encryption-customer-key",
                                          NULL };
    for (size_t i = 0; secret[i]; i++)
        if (strcasecmp(name, secret[i]) == 0) return true;
    return false;
}

static bool query_param_is_secret(const char *p, size_t n)
{
    static const char *const secret[] = { "X-Amz-Signature",  "X-Amz-Security-Token",
                                          "X-Amz-Credential", "Signature",
                                          "AWSAccessKeyId",   NULL };
    for (size_t i = 0; secret[i]; i++)
        if (strlen(secret[i]) == n && strncasecmp(p, secret[i], n) == 0) return true;
    return false;
}

void aws_log_redact_url(cp_buf *out, const char *url)
{
    const char *q = strchr(url, '?');
    if (!q) {
        cp_buf_adds(out, url);
        return;
    }
    cp_buf_add(out, url, (size_t)(q - url) + 1);
    for (const char *p = q + 1; *p;) {
        size_t len = strcspn(p, "&");
        size_t klen = strcspn(p, "=&");
        if (klen < len && query_param_is_secret(p, klen)) {
            cp_buf_add(out, p, klen + 1);
            cp_buf_adds(out, REDACTED);
        } else {
            cp_buf_add(out, p, len);
        }
        p += len;
        if (*p == '&') {
            cp_buf_addc(out, '&');
            p++;
        }
    }
}

void aws_log_format_request(cp_buf *out, const char *method, const char *url, const aws_header *h,
                            size_t n)
{
    cp_buf_printf(out, "aws: > %s ", method);
    aws_log_redact_url(out, url);
    cp_buf_adds(out, "\n");
    for (size_t i = 0; i < n; i++)
        cp_buf_printf(out, "aws: > %s: %s\n", h[i].name,
                      aws_log_header_is_secret(h[i].name) ? REDACTED : h[i].value);
}

void aws_log_format_response(cp_buf *out, long status, long ms, const aws_sigv4_add *h, size_t n)
{
    cp_buf_printf(out, "aws: < HTTP %ld (%ld ms)\n", status, ms);
    for (size_t i = 0; i < n; i++)
        cp_buf_printf(out, "aws: < %s: %s\n", h[i].name,
                      aws_log_header_is_secret(h[i].name) ? REDACTED : h[i].value);
}
