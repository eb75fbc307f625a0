/*
 * credentials_imds.c: EC2 instance metadata, IMDSv2 only: PUT
 * /latest/api/token, then GET the role name and the role's credentials
 * with that token. AWS_EC2_METADATA_DISABLED=true skips it;
 * AWS_EC2_METADATA_SERVICE_ENDPOINT moves it (tests use loopback). Short
 * timeouts: off EC2 the address does not answer and the chain must fail fast.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/credentials.h"
#include "aws/http.h"
#include "util/xalloc.h"

#define IMDS_DEFAULT "http://169.254.169.254"

typedef struct imds_impl {
    aws_getenv_fn g;
    aws_http *http;
} imds_impl;

/* One request; returns the body (malloc'd) on HTTP 200, else NULL with why. */
static char *imds_request(imds_impl *m, const char *method, const char *url, const aws_header *h,
                          size_t nh, cp_buf *why)
{
    aws_http_request req = { method, url, h, nh, NULL, 0, 2000, 1000, false };
    aws_http_response resp;
    cp_buf terr = { 0 };
    char *body = NULL;
    if (aws_http_send(m->http, &req, &resp, &terr) != 0)
        cp_buf_printf(why, "EC2 instance metadata (no answer: %s)", terr.data);
    else if (resp.status != 200)
        cp_buf_printf(why, "EC2 instance metadata (%s %s answered HTTP %ld)", method, url,
                      resp.status);
    else
        body = cp_buf_steal(&resp.body);
    aws_http_response_free(&resp);
    cp_buf_free(&terr);
    return body;
}

static int imds_fetch(imds_impl *m, const char *base, aws_credentials *out, cp_buf *why)
{
    char *url = cp_xasprintf("%s/latest/api/token", base);
    aws_header ttl[] = { { "X-aws-ec2-metadata-token-ttl-seconds", "21600" } };
    char *token = imds_request(m, "PUT", url, ttl, 1, why);
    free(url);
    if (!token) return AWS_CREDS_NONE;
    aws_header th[] = { { "X-aws-ec2-metadata-token", token } };
    url = cp_xasprintf("%s/latest/meta-data/iam/security-credentials/", base);
    char *role = imds_request(m, "GET", url, th, 1, why);
    free(url);
    int rc = AWS_CREDS_NONE;
    if (role) {
        role[strcspn(role, "\r\n")] = '\0';
        url = cp_xasprintf("%s/latest/meta-data/iam/security-credentials/%s", base, role);
        char *doc = *role ? imds_request(m, "GET", url, th, 1, why) : NULL;
        if (!*role) cp_buf_adds(why, "EC2 instance metadata (no instance profile attached)");
        free(url);
        if (doc) rc = aws_creds_from_json(doc, out, why) ? AWS_CREDS_OK : AWS_CREDS_ERROR;
        if (doc) {
            memset(doc, 0, strlen(doc));
            free(doc);
        }
        free(role);
    }
    free(token);
    return rc;
}

static int imds_get(aws_creds_provider *self, aws_credentials *out, cp_buf *why)
{
    imds_impl *m = self->impl;
    const char *off = m->g("AWS_EC2_METADATA_DISABLED");
    if (off && strcasecmp(off, "true") == 0) {
        cp_buf_adds(why, "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
        return AWS_CREDS_NONE;
    }
    if (!m->http) {
        cp_buf_adds(why, "EC2 instance metadata (no transport)");
        return AWS_CREDS_NONE;
    }
    const char *ep = m->g("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    char *base = cp_xstrdup(ep && *ep ? ep : IMDS_DEFAULT);
    size_t n = strlen(base);
    while (n && base[n - 1] == '/') base[--n] = '\0';
    int rc = imds_fetch(m, base, out, why);
    free(base);
    return rc;
}

static void imds_destroy(aws_creds_provider *self)
{
    free(self->impl);
    free(self);
}

aws_creds_provider *aws_creds_imds_provider(const aws_creds_env *env)
{
    aws_creds_provider *p = cp_xcalloc(1, sizeof *p);
    imds_impl *m = cp_xcalloc(1, sizeof *m);
    m->g = env->getenv_fn;
    m->http = env->http;
    p->name = "imds";
    p->get = imds_get;
    p->destroy = imds_destroy;
    p->impl = m;
    return p;
}
