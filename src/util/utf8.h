/*
 * utf8.h: strict UTF-8 validation (RFC 3629): no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF. Text that is not
 * UTF-8 is refused where it enters (the lexer, file(), -var values) because
 * JSON, AWS and the state file cannot hold it: a string with a bad byte
 * would come back as U+FFFD and plan an update forever.
 */
#ifndef CP_UTIL_UTF8_H
#define CP_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Byte offset of the first byte that does not start a valid sequence, or n
 * when s[0..n) is all valid UTF-8. */
size_t cp_utf8_check(const char *s, size_t n);

static inline bool cp_utf8_valid(const char *s, size_t n) { return cp_utf8_check(s, n) == n; }

#endif
