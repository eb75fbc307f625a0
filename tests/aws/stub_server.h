/*
 * stub_server.h: a tiny loopback HTTP/1.1 server for the aws tests.
 *
 * It listens on 127.0.0.1 on a free port, serves each connection on its own
 * thread (keep-alive supported), and hands every request to a handler that
 * writes the full raw response. A handler that writes nothing makes the
 * server drop the connection without answering (a "broken connection").
 * Calls are counted so tests can assert how many attempts were made.
 */
#ifndef CP_TESTS_AWS_STUB_SERVER_H
#define CP_TESTS_AWS_STUB_SERVER_H

#include <stddef.h>

#include "util/buf.h"

typedef struct stub_request {
    char method[16];
    char target[2048]; /* path and query as sent */
    cp_buf headers;    /* raw header block, "Name: value\r\n"... */
    cp_buf body;
} stub_request;

/* `n` is the 0-based index of this call on the server. */
typedef void (*stub_handler)(void *ud, const stub_request *req, int n, cp_buf *resp);

typedef struct stub_server stub_server;

stub_server *stub_start(stub_handler h, void *ud);
int stub_port(const stub_server *s);
int stub_calls(stub_server *s);
int stub_connections(stub_server *s);
void stub_stop(stub_server *s);

/* Header value of a request (case-insensitive name), copied into out; 0 if absent. */
int stub_header(const stub_request *r, const char *name, char *out, size_t n);
/* Convenience: a full response with Content-Length. */
void stub_respond(cp_buf *resp, int status, const char *extra_headers, const char *body);

#endif
