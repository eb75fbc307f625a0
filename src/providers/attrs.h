/*
 * attrs.h: the value helpers every provider shares — typed reads of config
 * and state maps, setting state attributes, one-line errors (cp_get_str,
 * cp_set_str, cp_fail …; the AWS provider adds its own in
 * aws/aws_common.h) — and, for the built-in providers that need no network
 * (local, random, test; prefixed cp_prov_): complete states with schema
 * defaults, cancellable sleeps, random bytes, hex / base64 encodings.
 *
 * Values follow lang/value.h: getters return borrowed data; builders that
 * return cp_value* return a new reference.
 */
#ifndef CP_PROVIDERS_ATTRS_H
#define CP_PROVIDERS_ATTRS_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/value.h"
#include "providers/provider.h"

/* --- reading config / state maps -------------------------------------------- */
/* m and every getter below may be NULL, unknown or any other non-map (a
 * whole-unknown config, an unknown block): then each acts as if key were
 * absent. */
/* The attribute as it is (null and unknown too), or NULL. Borrowed. */
const cp_value *cp_prov_field(const cp_value *m, const char *key);
/* String attribute, or NULL when null/absent/unknown. Borrowed. */
const char *cp_get_str(const cp_value *m, const char *key);
/* The same, or def when null/absent/unknown. */
const char *cp_get_str_or(const cp_value *m, const char *key, const char *def);
/* Number (def when null/absent), bool (def when null/absent). */
double cp_get_num(const cp_value *m, const char *key, double def);
bool cp_get_bool(const cp_value *m, const char *key, bool def);
/* List / map / block list, or NULL when null/absent. Borrowed. */
const cp_value *cp_get_list(const cp_value *m, const char *key);
const cp_value *cp_get_map(const cp_value *m, const char *key);
/* The first nested block (max_items = 1 blocks), or NULL. */
const cp_value *cp_get_block(const cp_value *m, const char *key);
/* True when old and new differ at key (for update functions). */
bool cp_changed(const cp_value *old_state, const cp_value *config, const char *key);
bool cp_prov_is_set(const cp_value *m, const char *key); /* present and not null */
/* The value at key if set (borrowed), else NULL. */
const cp_value *cp_prov_get(const cp_value *m, const char *key);
/* For validate_config rules, which may see unknown values: 1 when key is
 * set (a non-empty list for block lists), 0 when it is null, absent or an
 * empty list, -1 when it (or m itself) is not known yet. */
int cp_prov_presence(const cp_value *m, const char *key);
/* The rule "exactly one of keys (NULL-terminated) is set", for
 * validate_config: NULL when it holds or cannot be told yet (some key is
 * unknown and at most one is set), else a malloc'd message:
 * "set exactly one of a, b or c (none is set)" / "(a and b are both set)". */
char *cp_prov_exactly_one(const cp_value *m, const char *const *keys);

/* --- building states -------------------------------------------------------- */
/* A fresh map with every schema attribute: the value from `from` when set
 * (unknowns become null), else the schema default for arguments, else null
 * (blocks: an empty list). CP_SENSITIVE attributes are marked sensitive.
 * Add the computed attributes with cp_map_set_take before sharing it. */
cp_value *cp_prov_state(const cp_schema_attr *attrs, const cp_value *from);
/* A fresh (unshared, modifiable) shallow copy of a map. */
cp_value *cp_prov_map_copy(const cp_value *m);
void cp_set_str(cp_value *m, const char *key, const char *s); /* NULL → null */
void cp_set_num(cp_value *m, const char *key, double n);
void cp_set_bool(cp_value *m, const char *key, bool b);
/* Consumes v. */
void cp_set_take(cp_value *m, const char *key, cp_value *v);
/* Consumes v; marks it sensitive when `sensitive`. */
void cp_prov_set_marked_take(cp_value *m, const char *key, cp_value *v, bool sensitive);

/* --- errors, waits, randomness --------------------------------------------------- */
/* Sets c->error to a formatted one-line message; returns -1. */
int cp_fail(cp_provider_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A type's validate_config run again at create / update (defense in
 * depth): 0 when fine, else -1 with c->error "ADDRESS: message". */
int cp_prov_check_config(cp_provider_call *c, char *(*rule)(const cp_value *config),
                         const cp_value *config);
bool cp_prov_cancelled(const cp_provider_call *c);
/* Sleep ms, waking every 10 ms to honour c->cancel: 0, or -1 with c->error. */
int cp_prov_sleep_ms(cp_provider_call *c, long ms);
/* Fill buf with n bytes from the kernel's CSPRNG (getrandom). 0 or -1. */
int cp_prov_random(void *buf, size_t n);

/* --- encodings ------------------------------------------------------------------------ */
char *cp_prov_hex(const unsigned char *p, size_t n); /* malloc'd, lowercase */
/* Standard alphabet with '=' padding, or (url) RFC 4648 §5 without padding. */
char *cp_prov_base64(const unsigned char *p, size_t n, bool url); /* malloc'd */
/* Decode either alphabet, padding optional; whitespace is not allowed.
 * Returns 0 and *out (malloc'd, NUL-terminated beyond *n), or -1. */
int cp_prov_base64_decode(const char *s, unsigned char **out, size_t *n);

/* --- validators shared by several types ------------------------------------------------- */
/* A whole number >= 1 (and at most 65536, to keep allocations sane). */
const char *cp_prov_validate_positive_int(const cp_value *v);
const char *cp_prov_validate_nonneg_int(const cp_value *v); /* 0..65536 */
const char *cp_prov_validate_nonempty(const cp_value *v);

#endif
