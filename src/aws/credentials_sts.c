/*
 * credentials_sts.c: STS AssumeRole over the query protocol, used by the
 * profile provider for role_arn. It signs and sends one request with the
 * bare transport (not aws_client, which itself depends on credentials).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws.h"
#include "aws/endpoints.h"
#include "aws/xml.h"
#include "util/xalloc.h"

static void form_add(cp_buf *b, const char *k, const char *v)
{
    cp_buf_printf(b, "&%s=", k);
    aws_uri_encode(b, v, strlen(v), false);
}

static int parse_result(const aws_http_response *resp, aws_credentials *out, cp_buf *why,
                        const char *role_arn)
{
    if (resp->status != 200) {
        aws_error e = { 0 };
        aws_error_from_response(AWS_PROTO_QUERY, resp, &e);
        char *line = aws_error_format(&e, NULL, "sts AssumeRole");
        cp_buf_printf(why, "%s (role %s)", line, role_arn);
        free(line);
        aws_error_clear(&e);
        return AWS_CREDS_ERROR;
    }
    xmlDocPtr doc = aws_xml_parse(resp->body.data, resp->body.len);
    xmlNodePtr c = aws_xml_find(aws_xml_root(doc), "AssumeRoleResult/Credentials");
    char *akid = aws_xml_text(c, "AccessKeyId"), *secret = aws_xml_text(c, "SecretAccessKey");
    char *token = aws_xml_text(c, "SessionToken"), *exp = aws_xml_text(c, "Expiration");
    int rc = AWS_CREDS_ERROR;
    if (akid && secret && token) {
        time_t e = exp ? aws_parse_iso8601(exp) : 0;
        aws_credentials_set(out, akid, secret, token, e > 0 ? e : time(NULL) + 900);
        rc = AWS_CREDS_OK;
    } else {
        cp_buf_printf(why, "sts AssumeRole for %s returned no credentials", role_arn);
    }
    if (secret) memset(secret, 0, strlen(secret));
    free(akid);
    free(secret);
    free(token);
    free(exp);
    xmlFreeDoc(doc);
    return rc;
}

int aws_sts_assume_role(aws_http *http, aws_getenv_fn g, const char *region,
                        const aws_credentials *source, const char *role_arn,
                        const char *session_name, const char *external_id, aws_credentials *out,
                        cp_buf *why)
{
    aws_endpoint ep;
    if (aws_endpoint_resolve(aws_service_find("sts"), region ? region : "us-east-1", g, false, &ep,
                             why) != 0)
        return AWS_CREDS_ERROR;
    cp_buf body = { 0 };
    cp_buf_adds(&body, "Action=AssumeRole&Version=2011-06-15");
    form_add(&body, "RoleArn", role_arn);
    form_add(&body, "RoleSessionName", session_name && *session_name ? session_name : "cpstack");
    if (external_id && *external_id) form_add(&body, "ExternalId", external_id);
    char hash[AWS_SHA256_HEX_LEN + 1];
    aws_sha256_hex(body.data, body.len, hash);
    const char *ctype = "application/x-www-form-urlencoded; charset=utf-8";
    aws_header hs[8] = { { "Host", ep.host }, { "Content-Type", ctype } };
    aws_sigv4_request sr = { "POST", "/", NULL, hs, 2, hash };
    aws_sigv4_params sp = {
        .service = "sts", .region = ep.signing_region, .when = time(NULL), .creds = source
    };
    aws_sigv4_result sig;
    aws_sigv4_sign(&sr, &sp, &sig);
    size_t n = 2;
    for (size_t i = 0; i < sig.n_add; i++)
        hs[n++] = (aws_header){ sig.add[i].name, sig.add[i].value };
    char *url = cp_xasprintf("%s/", ep.url);
    aws_http_request hr = { "POST", url, hs, n, body.data, body.len, 30000, 5000, false };
    aws_http_response resp;
    int rc = AWS_CREDS_ERROR;
    cp_buf terr = { 0 };
    if (aws_http_send(http, &hr, &resp, &terr) != 0)
        cp_buf_printf(why, "sts AssumeRole for %s: %s", role_arn, terr.data);
    else
        rc = parse_result(&resp, out, why, role_arn);
    aws_http_response_free(&resp);
    cp_buf_free(&terr);
    free(url);
    aws_sigv4_result_free(&sig);
    cp_buf_free(&body);
    return rc;
}
