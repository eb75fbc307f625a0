/*
 * buf.c: growable byte buffer (see buf.h).
 */
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cp_buf_init(cp_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void cp_buf_free(cp_buf *b)
{
    free(b->data);
    cp_buf_init(b);
}

void cp_buf_reset(cp_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void cp_buf_reserve(cp_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    b->data = cp_xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0'; /* data is always a C string (buf.h) */
}

void cp_buf_add(cp_buf *b, const void *p, size_t n)
{
    cp_buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cp_buf_adds(cp_buf *b, const char *s) { cp_buf_add(b, s, strlen(s)); }
void cp_buf_addc(cp_buf *b, char c) { cp_buf_add(b, &c, 1); }

void cp_buf_vprintf(cp_buf *b, const char *fmt, va_list ap)
{
    cp_buf_reserve(b, 64);
    va_list ap2;
    va_copy(ap2, ap);
    size_t avail = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, avail, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= avail) {
        cp_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void cp_buf_printf(cp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cp_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *cp_buf_steal(cp_buf *b)
{
    char *s = b->data ? b->data : cp_xstrdup("");
    cp_buf_init(b);
    return s;
}

/* The one escape table for quoted strings (JSON's, which HCL shares). */
void cp_buf_add_quoted(cp_buf *b, const char *s, size_t n, unsigned flags)
{
    cp_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            cp_buf_adds(b, "\\\"");
        else if (c == '\\')
            cp_buf_adds(b, "\\\\");
        else if (c == '\n')
            cp_buf_adds(b, "\\n");
        else if (c == '\r')
            cp_buf_adds(b, "\\r");
        else if (c == '\t')
            cp_buf_adds(b, "\\t");
        else if (c < 0x20)
            cp_buf_printf(b, "\\u%04x", c);
        else if ((c == '$' || c == '%') && (flags & CP_QUOTE_TEMPLATE) && i + 1 < n &&
                 s[i + 1] == '{') {
            cp_buf_addc(b, (char)c);
            cp_buf_addc(b, (char)c);
        } else
            cp_buf_addc(b, (char)c);
    }
    cp_buf_addc(b, '"');
}
