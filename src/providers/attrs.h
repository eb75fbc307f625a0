/*
 * attrs.h: small helpers shared by the built-in providers that need no
 * network (local, random, test): typed reads of config and state maps with
 * defaults, building complete state maps, one-line errors, cancellable
 * sleeps, random bytes, and hex / base64 encodings.
 *
 * Values follow lang/value.h: getters return borrowed data; builders that
 * return cp_value* return a new reference. Everything is prefixed cp_prov_
 * so it cannot collide with the AWS provider's helpers.
 */
#ifndef CP_PROVIDERS_ATTRS_H
#define CP_PROVIDERS_ATTRS_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/value.h"
#include "providers/provider.h"

/* --- reading config / state maps (null, absent or unknown → def) --------- */
const char *cp_prov_str(const cp_value *m, const char *key, const char *def);
bool        cp_prov_bool(const cp_value *m, const char *key, bool def);
double      cp_prov_num(const cp_value *m, const char *key, double def);
bool        cp_prov_is_set(const cp_value *m, const char *key);   /* present and not null */
/* The value at key if set (borrowed), else NULL. */
const cp_value *cp_prov_get(const cp_value *m, const char *key);

/* --- building states -------------------------------------------------------- */
/* A fresh map with every schema attribute: the value from `from` when set
 * (unknowns become null), else the schema default for arguments, else null
 * (blocks: an empty list). CP_SENSITIVE attributes are marked sensitive.
 * Add the computed attributes with cp_map_set_take before sharing it. */
cp_value *cp_prov_state(const cp_schema_attr *attrs, const cp_value *from);
/* A fresh (unshared, modifiable) shallow copy of a map. */
cp_value *cp_prov_map_copy(const cp_value *m);
void      cp_prov_set_str(cp_value *m, const char *key, const char *s);  /* NULL → null */
/* Consumes v; marks it sensitive when `sensitive`. */
void      cp_prov_set_marked(cp_value *m, const char *key, cp_value *v, bool sensitive);

/* --- errors, waits, randomness --------------------------------------------------- */
/* Sets c->error to a formatted one-line message; returns -1. */
int  cp_prov_fail(cp_provider_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool cp_prov_cancelled(const cp_provider_call *c);
/* Sleep ms, waking every 10 ms to honour c->cancel: 0, or -1 with c->error. */
int  cp_prov_sleep_ms(cp_provider_call *c, long ms);
/* Fill buf with n bytes from the kernel's CSPRNG (getrandom). 0 or -1. */
int  cp_prov_random(void *buf, size_t n);

/* --- encodings ------------------------------------------------------------------------ */
char *cp_prov_hex(const unsigned char *p, size_t n);                  /* malloc'd, lowercase */
/* Standard alphabet with '=' padding, or (url) RFC 4648 §5 without padding. */
char *cp_prov_base64(const unsigned char *p, size_t n, bool url);    /* malloc'd */
/* Decode either alphabet, padding optional; whitespace is not allowed.
 * Returns 0 and *out (malloc'd, NUL-terminated beyond *n), or -1. */
int   cp_prov_base64_decode(const char *s, unsigned char **out, size_t *n);

/* --- validators shared by several types ------------------------------------------------- */
/* A whole number >= 1 (and at most 65536, to keep allocations sane). */
const char *cp_prov_validate_positive_int(const cp_value *v);
const char *cp_prov_validate_nonneg_int(const cp_value *v);           /* 0..65536 */
const char *cp_prov_validate_nonempty(const cp_value *v);

#endif
