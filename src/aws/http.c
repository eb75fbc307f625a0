/*
 * http.c: the libcurl transport (see http.h).
 *
 * Thread safety: the pool of easy handles is guarded by `mu`; each handle is
 * used by one thread at a time and keeps its live connections for the next
 * request. All handles share one CURLSH (DNS, TLS sessions) whose lock
 * callbacks use one mutex per data kind.
 */
#include "aws/http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include <curl/curl.h>

#include "aws/log.h"
#include "util/xalloc.h"

#define POOL_MAX 64

struct aws_http {
    pthread_mutex_t mu;
    CURL *pool[POOL_MAX];
    size_t n_pool;
    CURLSH *share;
    pthread_mutex_t share_mu[CURL_LOCK_DATA_LAST];
    char *ca_bundle;
    aws_http_options opt;
};

static void share_lock(CURL *h, curl_lock_data d, curl_lock_access a, void *ud)
{
    aws_http *x = ud;
    pthread_mutex_lock(&x->share_mu[d]);
}

static void share_unlock(CURL *h, curl_lock_data d, void *ud)
{
    aws_http *x = ud;
    pthread_mutex_unlock(&x->share_mu[d]);
}

aws_http *aws_http_new(const aws_http_options *o)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    aws_http *h = cp_xcalloc(1, sizeof *h);
    if (o) h->opt = *o;
    if (!h->opt.timeout_ms) h->opt.timeout_ms = 300000;
    if (!h->opt.connect_timeout_ms) h->opt.connect_timeout_ms = 10000;
    pthread_mutex_init(&h->mu, NULL);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&h->share_mu[i], NULL);
    h->share = curl_share_init();
    curl_share_setopt(h->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(h->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(h->share, CURLSHOPT_USERDATA, h);
    /* CURL_LOCK_DATA_CONNECT is not shared: each pooled handle keeps its own
     * live connections, which survive curl_easy_reset. */
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    const char *ca = h->opt.getenv_fn ? h->opt.getenv_fn("AWS_CA_BUNDLE") : getenv("AWS_CA_BUNDLE");
    h->ca_bundle = ca && *ca ? cp_xstrdup(ca) : NULL;
    return h;
}

void aws_http_free(aws_http *h)
{
    if (!h) return;
    for (size_t i = 0; i < h->n_pool; i++) curl_easy_cleanup(h->pool[i]);
    curl_share_cleanup(h->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&h->share_mu[i]);
    pthread_mutex_destroy(&h->mu);
    free(h->ca_bundle);
    free(h);
}

static CURL *take_handle(aws_http *h)
{
    pthread_mutex_lock(&h->mu);
    CURL *c = h->n_pool ? h->pool[--h->n_pool] : NULL;
    pthread_mutex_unlock(&h->mu);
    if (!c) {
        c = curl_easy_init();
        if (!c) {
            fprintf(stderr, "cpstack: out of memory (curl_easy_init)\n");
            abort();
        }
    }
    return c;
}

static void give_handle(aws_http *h, CURL *c)
{
    pthread_mutex_lock(&h->mu);
    if (h->n_pool < POOL_MAX) {
        h->pool[h->n_pool++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&h->mu);
    if (c) curl_easy_cleanup(c);
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    cp_buf_add(ud, p, sz * n);
    return sz * n;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    aws_http_response *r = ud;
    size_t len = sz * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) { /* new response (e.g. after 100) */
        for (size_t i = 0; i < r->n_headers; i++) {
            free(r->headers[i].name);
            free(r->headers[i].value);
        }
        r->n_headers = 0;
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || r->n_headers >= sizeof r->headers / sizeof r->headers[0]) return len;
    const char *v = colon + 1, *e = p + len;
    while (v < e && (*v == ' ' || *v == '\t')) v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ')) e--;
    r->headers[r->n_headers].name = cp_xstrndup(p, (size_t)(colon - p));
    r->headers[r->n_headers].value = cp_xstrndup(v, (size_t)(e - v));
    r->n_headers++;
    return len;
}

static void log_line(aws_http *h, const char *text)
{
    if (h->opt.log_sink)
        h->opt.log_sink(h->opt.log_ud, text);
    else
        fputs(text, stderr);
}

static struct curl_slist *build_headers(const aws_http_request *req)
{
    struct curl_slist *l = NULL;
    bool has_type = false;
    for (size_t i = 0; i < req->n_headers; i++) {
        has_type |= strcasecmp(req->headers[i].name, "Content-Type") == 0;
        char *line = cp_xasprintf("%s: %s", req->headers[i].name, req->headers[i].value);
        l = curl_slist_append(l, line);
        free(line);
    }
    l = curl_slist_append(l, "Expect:"); /* no 100-continue round trip */
    l = curl_slist_append(l, "Accept:");
    if (!has_type) l = curl_slist_append(l, "Content-Type:"); /* no form default */
    return l;
}

static void setup(aws_http *h, CURL *c, const aws_http_request *req, aws_http_response *resp,
                  struct curl_slist *hl, char *errbuf)
{
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_SHARE, h->share);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->ca_bundle) curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_bundle);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms ? req->timeout_ms : h->opt.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     req->connect_timeout_ms ? req->connect_timeout_ms : h->opt.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "cpstack/0.1");
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    /* libcurl silently re-sends a request whose reused connection died
     * before any answer: a call that must not be sent twice takes a new one */
    if (req->fresh_connect) curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
    if (strcmp(req->method, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(req->method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? (const char *)req->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        if (strcmp(req->method, "POST") != 0)
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    }
}

static long now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

int aws_http_send(aws_http *h, const aws_http_request *req, aws_http_response *resp, cp_buf *why)
{
    memset(resp, 0, sizeof *resp);
    CURL *c = take_handle(h);
    struct curl_slist *hl = build_headers(req);
    char errbuf[CURL_ERROR_SIZE] = "";
    setup(h, c, req, resp, hl, errbuf);
    if (h->opt.log_debug) {
        cp_buf line = { 0 };
        aws_log_format_request(&line, req->method, req->url, req->headers, req->n_headers);
        log_line(h, line.data);
        cp_buf_free(&line);
    }
    long t0 = now_ms();
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    curl_slist_free_all(hl);
    give_handle(h, c);
    if (!resp->body.data) cp_buf_adds(&resp->body, "");
    if (rc != CURLE_OK) {
        cp_buf_printf(why, "%s %s: %s", req->method, req->url,
                      errbuf[0] ? errbuf : curl_easy_strerror(rc));
        if (h->opt.log_debug) {
            char *l = cp_xasprintf("aws: < transport error: %s\n", why->data);
            log_line(h, l);
            free(l);
        }
        return -1;
    }
    if (h->opt.log_debug) {
        cp_buf line = { 0 };
        aws_log_format_response(&line, resp->status, now_ms() - t0, resp->headers, resp->n_headers);
        log_line(h, line.data);
        cp_buf_free(&line);
    }
    return 0;
}

void aws_http_response_free(aws_http_response *r)
{
    cp_buf_free(&r->body);
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    r->n_headers = 0;
}

const char *aws_http_header(const aws_http_response *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0) return r->headers[i].value;
    return NULL;
}
