/*
 * http.h: the HTTP transport, on libcurl.
 *
 * One aws_http per process run. aws_http_send may be called from many
 * threads at once: easy handles come from a mutex-guarded pool; each handle
 * keeps its own keep-alive connections between requests (so N workers use
 * about N connections), and all share the DNS and TLS session caches. TLS peer
 * and host verification are always on; AWS_CA_BUNDLE names a CA file;
 * proxies come from libcurl's own handling of https_proxy/no_proxy.
 */
#ifndef CP_AWS_HTTP_H
#define CP_AWS_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/credentials.h"
#include "aws/sigv4.h"
#include "util/buf.h"

typedef struct aws_http_request {
    const char *method;
    const char *url; /* full URL, already encoded */
    const aws_header *headers;
    size_t n_headers;
    const void *body;
    size_t body_len;
    long timeout_ms; /* 0: the transport's default */
    long connect_timeout_ms;
    bool fresh_connect; /* a new connection: libcurl never re-sends it by itself */
} aws_http_request;

typedef struct aws_http_response {
    long status;
    cp_buf body;
    aws_sigv4_add headers[64]; /* owned name/value pairs, names as sent */
    size_t n_headers;
} aws_http_response;

typedef struct aws_http_options {
    aws_getenv_fn getenv_fn;                      /* for AWS_CA_BUNDLE; NULL = getenv */
    long timeout_ms;                              /* whole request; default 300000 */
    long connect_timeout_ms;                      /* default 10000 */
    bool log_debug;                               /* log request/response lines to log_sink */
    void (*log_sink)(void *ud, const char *line); /* NULL: stderr */
    void *log_ud;
} aws_http_options;

aws_http *aws_http_new(const aws_http_options *o);
void aws_http_free(aws_http *h);

/*
 * Send one request. Returns 0 when an HTTP response arrived (any status),
 * -1 on a transport failure (connect error, timeout, connection dropped)
 * with a one-line reason in `why`. Free the response afterwards.
 */
int aws_http_send(aws_http *h, const aws_http_request *req, aws_http_response *resp, cp_buf *why);
void aws_http_response_free(aws_http_response *r);
/* Case-insensitive header lookup; NULL when absent. */
const char *aws_http_header(const aws_http_response *r, const char *name);

#endif
