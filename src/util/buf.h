/*
 * buf.h: a growable byte buffer, the one string builder used everywhere.
 *
 * A cp_buf owns its bytes; data is always NUL-terminated (so it can be used
 * as a C string) and len never counts that NUL. A zeroed cp_buf is a valid
 * empty buffer. Allocation failure aborts (see xalloc.h): cpstack treats
 * out-of-memory as fatal, like git and jq.
 */
#ifndef CP_UTIL_BUF_H
#define CP_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct cp_buf {
    char *data;
    size_t len;
    size_t cap;
} cp_buf;

void cp_buf_init(cp_buf *b);
void cp_buf_free(cp_buf *b);
void cp_buf_reset(cp_buf *b); /* len = 0, keep capacity */
void cp_buf_reserve(cp_buf *b, size_t extra);
void cp_buf_add(cp_buf *b, const void *p, size_t n);
void cp_buf_adds(cp_buf *b, const char *s);
void cp_buf_addc(cp_buf *b, char c);
void cp_buf_printf(cp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cp_buf_vprintf(cp_buf *b, const char *fmt, va_list ap);
char *cp_buf_steal(cp_buf *b); /* caller frees; b becomes empty */

/* Append s[0..n) double-quoted with JSON's escapes (\" \\ \n \r \t, \u00XX
 * for other control bytes; other bytes as they are): the one quoting of
 * strings for display, JSON text and addresses. CP_QUOTE_TEMPLATE also
 * writes "${" as "$${" and "%{" as "%%{", so HCL reads the text back as a
 * literal. */
#define CP_QUOTE_JSON     0u
#define CP_QUOTE_TEMPLATE 1u
void cp_buf_add_quoted(cp_buf *b, const char *s, size_t n, unsigned flags);

#endif
