/*
 * credentials_ecs.c: the ECS/EKS container credentials endpoint.
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is fetched from 169.254.170.2;
 * AWS_CONTAINER_CREDENTIALS_FULL_URI as given (plain http only to loopback
 * or the ECS/EKS link-local hosts), with AWS_CONTAINER_AUTHORIZATION_TOKEN
 * (or _TOKEN_FILE) sent as the Authorization header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/http.h"
#include "util/xalloc.h"

typedef struct ecs_impl {
    aws_getenv_fn g;
    aws_http *http;
} ecs_impl;

static const char *val(aws_getenv_fn g, const char *n)
{
    const char *v = g(n);
    return v && *v ? v : NULL;
}

static bool allowed_http_host(const char *url)
{
    if (strncmp(url, "https://", 8) == 0) return true;
    if (strncmp(url, "http://", 7) != 0) return false;
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)strcspn(url + 7, "/?"), url + 7);
    return strncmp(host, "169.254.170.2", 13) == 0 || strncmp(host, "169.254.170.23", 14) == 0 ||
           strncmp(host, "[fd00:ec2::23]", 14) == 0 || strncmp(host, "127.", 4) == 0 ||
           strncmp(host, "localhost", 9) == 0 || strncmp(host, "[::1]", 5) == 0;
}

static char *read_token_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return cp_xstrdup(buf);
}

static int fetch(ecs_impl *e, const char *url, aws_credentials *out, cp_buf *why)
{
    const char *tok = val(e->g, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *tok_file = val(e->g, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    char *token = tok ? cp_xstrdup(tok) : tok_file ? read_token_file(tok_file) : NULL;
    aws_header h[1] = { { "Authorization", token } };
    aws_http_request req = { "GET", url, h, token ? 1 : 0, NULL, 0, 5000, 2000, false };
    aws_http_response resp;
    cp_buf terr = { 0 };
    int rc = AWS_CREDS_ERROR;
    if (aws_http_send(e->http, &req, &resp, &terr) != 0)
        cp_buf_printf(why, "ECS container endpoint: %s", terr.data);
    else if (resp.status != 200)
        cp_buf_printf(why, "ECS container endpoint %s answered HTTP %ld", url, resp.status);
    else if (aws_creds_from_json(resp.body.data, out, why))
        rc = AWS_CREDS_OK;
    aws_http_response_free(&resp);
    cp_buf_free(&terr);
    if (token) {
        memset(token, 0, strlen(token));
        free(token);
    }
    return rc;
}

static int ecs_get(aws_creds_provider *self, aws_credentials *out, cp_buf *why)
{
    ecs_impl *e = self->impl;
    const char *rel = val(e->g, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = val(e->g, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!rel && !full) {
        cp_buf_adds(
            why,
            "ECS container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI not set)");
        return AWS_CREDS_NONE;
    }
    char *url = rel ? cp_xasprintf("http://169.254.170.2%s", rel) : cp_xstrdup(full);
    int rc;
    if (!rel && !allowed_http_host(url)) {
        cp_buf_printf(
            why, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback/ECS host, not %s",
            url);
        rc = AWS_CREDS_ERROR;
    } else if (!e->http) {
        cp_buf_adds(why, "ECS container endpoint (no transport)");
        rc = AWS_CREDS_ERROR;
    } else {
        rc = fetch(e, url, out, why);
    }
    free(url);
    return rc;
}

static void ecs_destroy(aws_creds_provider *self)
{
    free(self->impl);
    free(self);
}

aws_creds_provider *aws_creds_ecs_provider(const aws_creds_env *env)
{
    aws_creds_provider *p = cp_xcalloc(1, sizeof *p);
    ecs_impl *e = cp_xcalloc(1, sizeof *e);
    e->g = env->getenv_fn;
    e->http = env->http;
    p->name = "ecs";
    p->get = ecs_get;
    p->destroy = ecs_destroy;
    p->impl = e;
    return p;
}
