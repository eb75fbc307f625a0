/*
 * s3_common.c: helpers shared by the S3 resource types (see s3_common.h).
 */
#include "providers/aws/s3_common.h"

#include <ctype.h>
#include <mbedtls/base64.h>
#include <mbedtls/md5.h>
#include <stdio.h>
#include <string.h>

const char *const s3_gone[] = { "NoSuchBucket", "NotFound", NULL };

int s3_call(cp_provider_call *c, const s3_req *r, const char *const *gone, aws_response *resp)
{
    aws_header h[3];
    size_t nh = 0;
    char md5[25];
    if (!r->bucket || !*r->bucket) /* never a request on the service root by mistake */
        return cp_fail(c, "%s: %s: no bucket name to send it to", c->address, r->op);
    if (r->body) {
        s3_md5_b64(r->body, r->body_len, md5);
        h[nh++] = (aws_header){ "Content-MD5", md5 };
    }
    if (r->content_type) h[nh++] = (aws_header){ "Content-Type", r->content_type };
    if (r->tagging) h[nh++] = (aws_header){ "x-amz-tagging", r->tagging };
    aws_params *q = NULL;
    if (r->sub) {
        q = aws_params_new();
        aws_params_add(q, r->sub, "");
    }
    aws_rest_request req = { .method = r->method,
                             .path = NULL,
                             .bucket = r->bucket,
                             .key = r->key,
                             .query = q,
                             .headers = h,
                             .n_headers = nh,
                             .body = r->body,
                             .body_len = r->body_len };
    int rc = cp_aws_rest(c, "s3", r->op, &req, gone, resp);
    aws_params_free(q);
    return rc;
}

xmlDocPtr s3_xml(const aws_response *resp)
{
    return resp->body.len ? aws_xml_parse(resp->body.data, resp->body.len) : NULL;
}

void s3_xml_esc(cp_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            cp_buf_adds(b, "&amp;");
            break;
        case '<':
            cp_buf_adds(b, "&lt;");
            break;
        case '>':
            cp_buf_adds(b, "&gt;");
            break;
        case '"':
            cp_buf_adds(b, "&quot;");
            break;
        default:
            cp_buf_addc(b, *s);
        }
    }
}

void s3_md5_hex(const void *data, size_t n, char out[33])
{
    unsigned char d[16];
    mbedtls_md5_ret(data, n, d);
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

void s3_md5_b64(const void *data, size_t n, char out[25])
{
    unsigned char d[16];
    size_t olen = 0;
    mbedtls_md5_ret(data, n, d);
    mbedtls_base64_encode((unsigned char *)out, 25, &olen, d, 16);
    out[olen] = '\0';
}

static bool looks_like_ip(const char *s)
{
    int a, b, c, d;
    char end;
    return sscanf(s, "%d.%d.%d.%d%c", &a, &b, &c, &d, &end) == 4;
}

const char *s3_validate_bucket(const cp_value *v)
{
    static const char *rule =
        "bucket names are 3-63 characters of a-z, 0-9, '.' and '-', start "
        "and end with a letter or digit, have no \"..\" and are not an IP address";
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n < 3 || n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]) ||
        strstr(s, "..") || looks_like_ip(s))
        return rule;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '.' || *s == '-'))
            return rule;
    return NULL;
}
