/*
 * protocols.c: the four wire protocols on top of aws_client_send: query
 * (form-encoded Action/Version + params, XML out), JSON 1.0/1.1
 * (X-Amz-Target), REST-JSON and REST-XML, and pagination loops.
 */
#include "client_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct aws_params {
    char **keys;
    char **values;
    size_t n, cap;
};

aws_params *aws_params_new(void) { return cp_xcalloc(1, sizeof(aws_params)); }

void aws_params_add(aws_params *p, const char *key, const char *value)
{
    CP_GROW(p->keys, p->n + 1, p->cap);
    p->values = cp_xrealloc(p->values, p->cap * sizeof(char *));
    p->keys[p->n] = cp_xstrdup(key);
    p->values[p->n] = cp_xstrdup(value ? value : "");
    p->n++;
}

void aws_params_addf(aws_params *p, const char *value, const char *key_fmt, ...)
{
    va_list ap;
    va_start(ap, key_fmt);
    cp_buf k = { 0 };
    cp_buf_vprintf(&k, key_fmt, ap);
    va_end(ap);
    aws_params_add(p, k.data, value);
    cp_buf_free(&k);
}

void aws_params_add_list(aws_params *p, const char *prefix, const char *const *values, size_t n)
{
    for (size_t i = 0; i < n; i++) aws_params_addf(p, values[i], "%s.%zu", prefix, i + 1);
}

static void encode_into(cp_buf *b, const aws_params *p)
{
    for (size_t i = 0; p && i < p->n; i++) {
        if (i) cp_buf_addc(b, '&');
        aws_uri_encode(b, p->keys[i], strlen(p->keys[i]), false);
        cp_buf_addc(b, '=');
        aws_uri_encode(b, p->values[i], strlen(p->values[i]), false);
    }
}

char *aws_params_encode(const aws_params *p)
{
    cp_buf b = { 0 };
    encode_into(&b, p);
    if (!b.data) return cp_xstrdup("");
    return cp_buf_steal(&b);
}

void aws_params_free(aws_params *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->keys[i]);
        free(p->values[i]);
    }
    free(p->keys);
    free(p->values);
    free(p);
}

static const aws_service *service_or_error(const char *name, aws_error *err)
{
    memset(err, 0, sizeof *err);
    const aws_service *s = aws_service_find(name);
    if (!s) {
        err->code = cp_xstrdup("UnknownService");
        err->message = cp_xasprintf("service \"%s\" is not in src/aws/endpoints.c", name);
    }
    return s;
}

static int bad_response(aws_error *err, long status, const char *what)
{
    err->http_status = status;
    err->code = cp_xstrdup("InvalidResponse");
    err->message = cp_xasprintf("the response is not valid %s", what);
    return -1;
}

/* ---- query ------------------------------------------------------------ */

int aws_query_call(aws_client *c, const char *service, const char *action, const aws_params *params,
                   xmlDocPtr *doc, aws_error *err)
{
    *doc = NULL;
    const aws_service *svc = service_or_error(service, err);
    if (!svc) return -1;
    cp_buf body = { 0 };
    cp_buf_adds(&body, "Action=");
    aws_uri_encode(&body, action, strlen(action), false);
    cp_buf_printf(&body, "&Version=%s", svc->api_version ? svc->api_version : "");
    if (params && params->n) cp_buf_addc(&body, '&');
    encode_into(&body, params);
    aws_header h[] = { { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" } };
    aws_send_req r = { .svc = svc,
                       .method = "POST",
                       .path = "/",
                       .headers = h,
                       .n_headers = 1,
                       .body = body.data,
                       .body_len = body.len };
    aws_http_response resp;
    int rc = aws_client_send(c, &r, &resp, err);
    cp_buf_free(&body);
    if (rc != 0) return -1;
    *doc = aws_xml_parse(resp.body.data, resp.body.len);
    long status = resp.status;
    aws_http_response_free(&resp);
    return *doc ? 0 : bad_response(err, status, "XML");
}

int aws_query_paginate(aws_client *c, const char *service, const char *action,
                       const aws_params *params, const char *token_param, const char *token_path,
                       aws_xml_page_fn page, void *ud, aws_error *err)
{
    char *token = NULL;
    for (;;) {
        aws_params *p = aws_params_new();
        for (size_t i = 0; params && i < params->n; i++)
            aws_params_add(p, params->keys[i], params->values[i]);
        if (token) aws_params_add(p, token_param, token);
        free(token);
        token = NULL;
        xmlDocPtr doc;
        int rc = aws_query_call(c, service, action, p, &doc, err);
        aws_params_free(p);
        if (rc != 0) return -1;
        xmlNodePtr root = aws_xml_root(doc);
        int stop = page(ud, root);
        token = aws_xml_text(root, token_path);
        xmlFreeDoc(doc);
        if (stop || !token || !*token) {
            free(token);
            return 0;
        }
    }
}

/* ---- JSON 1.0 / 1.1 ---------------------------------------------------- */

static int parse_json_out(aws_http_response *resp, json_t **out, aws_error *err)
{
    long status = resp->status;
    bool empty = resp->body.len == 0;
    *out = empty ? json_object() : json_loadb(resp->body.data, resp->body.len, 0, NULL);
    aws_http_response_free(resp);
    return *out ? 0 : bad_response(err, status, "JSON");
}

int aws_json_call(aws_client *c, const char *service, const char *target, json_t *body,
                  json_t **out, aws_error *err)
{
    *out = NULL;
    const aws_service *svc = service_or_error(service, err);
    if (!svc) return -1;
    char *text = body ? json_dumps(body, JSON_COMPACT) : cp_xstrdup("{}");
    char *ctype =
        cp_xasprintf("application/x-amz-json-%s", svc->json_version ? svc->json_version : "1.1");
    aws_header h[] = { { "Content-Type", ctype }, { "X-Amz-Target", target } };
    aws_send_req r = { .svc = svc,
                       .method = "POST",
                       .path = "/",
                       .headers = h,
                       .n_headers = 2,
                       .body = text,
                       .body_len = strlen(text) };
    aws_http_response resp;
    int rc = aws_client_send(c, &r, &resp, err);
    free(text);
    free(ctype);
    return rc != 0 ? -1 : parse_json_out(&resp, out, err);
}

int aws_json_paginate(aws_client *c, const char *service, const char *target, json_t *body,
                      const char *in_key, const char *out_key, aws_json_page_fn page, void *ud,
                      aws_error *err)
{
    json_t *req = body ? json_deep_copy(body) : json_object();
    for (;;) {
        json_t *out;
        if (aws_json_call(c, service, target, req, &out, err) != 0) {
            json_decref(req);
            return -1;
        }
        int stop = page(ud, out);
        json_t *tok = json_object_get(out, out_key);
        bool more = !stop && json_is_string(tok) && *json_string_value(tok);
        if (more) json_object_set(req, in_key, tok);
        json_decref(out);
        if (!more) {
            json_decref(req);
            return 0;
        }
    }
}

/* ---- REST ------------------------------------------------------------- */

int aws_rest_call(aws_client *c, const char *service, const char *operation,
                  const aws_rest_request *req, aws_response *out, aws_error *err)
{
    memset(out, 0, sizeof *out);
    const aws_service *svc = service_or_error(service, err);
    if (!svc) return -1;
    cp_buf path = { 0 }, query = { 0 };
    if (req->key) {
        cp_buf_addc(&path, '/');
        aws_uri_encode(&path, req->key, strlen(req->key), true);
    } else if (req->path) {
        cp_buf_adds(&path, req->path);
    }
    encode_into(&query, req->query);
    aws_send_req r = { .svc = svc,
                       .method = req->method,
                       .path = path.data,
                       .query = query.data,
                       .bucket = req->bucket,
                       .headers = req->headers,
                       .n_headers = req->n_headers,
                       .body = req->body,
                       .body_len = req->body_len,
                       .unsigned_payload = req->unsigned_payload };
    int rc = aws_client_send(c, &r, out, err);
    cp_buf_free(&path);
    cp_buf_free(&query);
    return rc;
}

int aws_rest_json_call(aws_client *c, const char *service, const char *operation,
                       const char *method, const char *path, const aws_params *query, json_t *body,
                       json_t **out, aws_error *err)
{
    *out = NULL;
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    aws_header h[] = { { "Content-Type", "application/json" } };
    aws_rest_request r = { .method = method,
                           .path = path,
                           .query = query,
                           .headers = h,
                           .n_headers = text ? 1 : 0,
                           .body = text,
                           .body_len = text ? strlen(text) : 0 };
    aws_response resp;
    int rc = aws_rest_call(c, service, operation, &r, &resp, err);
    free(text);
    if (rc != 0) return -1;
    if (resp.body.len == 0) {
        aws_http_response_free(&resp);
        return 0;
    }
    return parse_json_out(&resp, out, err);
}
