/*
 * stub_server.c: loopback HTTP server for tests (see stub_server.h).
 * One accept thread; one thread per connection; everything joined on stop.
 */
#include "stub_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/xalloc.h"

#define STUB_MAX_CONN 64

struct stub_server {
    int lfd;
    int port;
    stub_handler handler;
    void *ud;
    pthread_t acceptor;
    pthread_mutex_t mu;
    int calls;
    int nconn;
    int fds[STUB_MAX_CONN];
    pthread_t threads[STUB_MAX_CONN];
    bool stopping;
};

typedef struct conn {
    stub_server *s;
    int fd;
} conn;

/* Read one request; returns false on EOF/error. `pending` carries extra bytes. */
static bool read_request(int fd, cp_buf *pending, stub_request *r)
{
    char tmp[4096];
    char *end;
    while (!(pending->data && (end = strstr(pending->data, "\r\n\r\n")))) {
        ssize_t k = recv(fd, tmp, sizeof tmp, 0);
        if (k <= 0) return false;
        cp_buf_add(pending, tmp, (size_t)k);
    }
    size_t head_len = (size_t)(end - pending->data) + 4;
    char *line_end = strstr(pending->data, "\r\n");
    sscanf(pending->data, "%15s %2047s", r->method, r->target);
    cp_buf_add(&r->headers, line_end + 2, head_len - (size_t)(line_end + 2 - pending->data));
    char cl[32];
    size_t want = stub_header(r, "Content-Length", cl, sizeof cl) ? strtoul(cl, NULL, 10) : 0;
    while (pending->len < head_len + want) {
        ssize_t k = recv(fd, tmp, sizeof tmp, 0);
        if (k <= 0) return false;
        cp_buf_add(pending, tmp, (size_t)k);
    }
    cp_buf_add(&r->body, pending->data + head_len, want);
    if (!r->body.data) cp_buf_adds(&r->body, "");
    size_t rest = pending->len - head_len - want;
    memmove(pending->data, pending->data + head_len + want, rest);
    pending->len = rest;
    pending->data[rest] = '\0';
    return true;
}

static void *serve(void *arg)
{
    conn *c = arg;
    cp_buf pending = { 0 };
    for (;;) {
        stub_request r;
        memset(&r, 0, sizeof r);
        if (!read_request(c->fd, &pending, &r)) {
            cp_buf_free(&r.headers);
            cp_buf_free(&r.body);
            break;
        }
        pthread_mutex_lock(&c->s->mu);
        int n = c->s->calls++;
        pthread_mutex_unlock(&c->s->mu);
        cp_buf resp = { 0 };
        c->s->handler(c->s->ud, &r, n, &resp);
        bool drop = resp.len == 0;
        if (!drop) (void)!send(c->fd, resp.data, resp.len, MSG_NOSIGNAL);
        cp_buf_free(&resp);
        cp_buf_free(&r.headers);
        cp_buf_free(&r.body);
        if (drop) break;
    }
    shutdown(c->fd, SHUT_RDWR);
    cp_buf_free(&pending);
    free(c);
    return NULL;
}

static void *acceptor(void *arg)
{
    stub_server *s = arg;
    for (;;) {
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0) return NULL;
        pthread_mutex_lock(&s->mu);
        if (s->stopping || s->nconn >= STUB_MAX_CONN) {
            pthread_mutex_unlock(&s->mu);
            close(fd);
            if (s->stopping) return NULL;
            continue;
        }
        conn *c = cp_xmalloc(sizeof *c);
        c->s = s;
        c->fd = fd;
        s->fds[s->nconn] = fd;
        pthread_create(&s->threads[s->nconn], NULL, serve, c);
        s->nconn++;
        pthread_mutex_unlock(&s->mu);
    }
}

stub_server *stub_start(stub_handler h, void *ud)
{
    stub_server *s = cp_xcalloc(1, sizeof *s);
    s->handler = h;
    s->ud = ud;
    pthread_mutex_init(&s->mu, NULL);
    s->lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (bind(s->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->lfd, 64) != 0) {
        perror("stub_server");
        abort();
    }
    getsockname(s->lfd, (struct sockaddr *)&a, &len);
    s->port = ntohs(a.sin_port);
    pthread_create(&s->acceptor, NULL, acceptor, s);
    return s;
}

int stub_port(const stub_server *s) { return s->port; }

int stub_calls(stub_server *s)
{
    pthread_mutex_lock(&s->mu);
    int n = s->calls;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int stub_connections(stub_server *s)
{
    pthread_mutex_lock(&s->mu);
    int n = s->nconn;
    pthread_mutex_unlock(&s->mu);
    return n;
}

void stub_stop(stub_server *s)
{
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_mutex_unlock(&s->mu);
    shutdown(s->lfd, SHUT_RDWR);
    pthread_join(s->acceptor, NULL);
    close(s->lfd);
    for (int i = 0; i < s->nconn; i++) {
        shutdown(s->fds[i], SHUT_RDWR);
        pthread_join(s->threads[i], NULL);
        close(s->fds[i]);
    }
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int stub_header(const stub_request *r, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = r->headers.data; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        if (!eol) break;
        if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ') v++;
            snprintf(out, n, "%.*s", (int)(eol - v), v);
            return 1;
        }
        p = eol + 2;
    }
    return 0;
}

void stub_respond(cp_buf *resp, int status, const char *extra_headers, const char *body)
{
    if (!body) body = "";
    cp_buf_printf(resp, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n%s\r\n%s", status, strlen(body),
                  extra_headers ? extra_headers : "", body);
}
