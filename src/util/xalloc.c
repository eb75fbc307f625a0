/*
 * xalloc.c: allocation that never returns NULL. Out of memory is fatal, and
 * so is a broken invariant (CP_CHECK in check.h): both print one line and
 * abort.
 */
#include "util/xalloc.h"
#include "util/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "cpstack: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void cp_check_failed(const char *file, int line, const char *func, const char *msg)
{
    fprintf(stderr, "cpstack: internal error: %s:%d: %s: %s\n", file, line, func, msg);
    abort();
}

void *cp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *cp_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *cp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *cp_xstrdup(const char *s) { return cp_xstrndup(s, strlen(s)); }

char *cp_xstrndup(const char *s, size_t n)
{
    char *p = cp_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *cp_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) oom(0);
    va_end(ap);
    return s;
}

char *cp_prefixed(const char *prefix, const char *msg)
{
    size_t n = strlen(prefix);
    if (!strncmp(msg, prefix, n) && msg[n] == ':') return cp_xstrdup(msg);
    return cp_xasprintf("%s: %s", prefix, msg);
}
