/*
 * xalloc.h: allocation wrappers that abort with a message on failure, and a
 * few string helpers. Everything in cpstack allocates through these.
 */
#ifndef CP_UTIL_XALLOC_H
#define CP_UTIL_XALLOC_H

#include <stddef.h>

void *cp_xmalloc(size_t n);
void *cp_xcalloc(size_t n, size_t size);
void *cp_xrealloc(void *p, size_t n);
char *cp_xstrdup(const char *s);
char *cp_xstrndup(const char *s, size_t n);
char *cp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prefix: msg", or a copy of msg when it already starts with "prefix:"
 * (e.g. a resource address that a provider's message already names). */
char *cp_prefixed(const char *prefix, const char *msg);

/* Grow an array so that it holds at least `need` elements. */
#define CP_GROW(ptr, need, cap)                                                                    \
    do {                                                                                           \
        if ((size_t)(need) > (cap)) {                                                              \
            size_t cp_grow_n = (cap) ? (cap)*2 : 8;                                                \
            while (cp_grow_n < (size_t)(need)) cp_grow_n *= 2;                                     \
            (ptr) = cp_xrealloc((ptr), cp_grow_n * sizeof(*(ptr)));                                \
            (cap) = cp_grow_n;                                                                     \
        }                                                                                          \
    } while (0)

#endif
