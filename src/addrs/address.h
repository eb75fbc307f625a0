/*
 * address.h: resource instance addresses, the one parser and formatter.
 *
 * An address names a resource or one instance of it, the way users type it
 * on the command line (-target, state rm, import) and the way state files
 * store dependencies:
 *
 *     aws_s3_bucket.logs            a resource (or its single instance)
 *     aws_s3_bucket.logs[0]         instance 0 of a counted resource
 *     aws_s3_bucket.logs["a b"]     instance "a b" of a for_each resource
 *     data.aws_ami.al2              a data source
 *     module.net["a"].aws_vpc.main  a resource inside an instance of module "net"
 *     module.a.module.b.aws_x.y[0]  inside module b, called by module a
 *
 * A leading "data." always means a data source. Type and name are identifiers: a letter or '_',
 * then letters, digits, '_' or '-'. A count key is a decimal integer >= 0 without leading zeros. A
 * for_each key is a double-quoted string with JSON escapes (\" \\ \n \r \t
 * \uXXXX); cp_addr_format writes exactly those escapes back, so
 * format(parse(s)) == s for every canonical s, and parse(format(a)) == a.
 *
 * A cp_addr owns its strings: release with cp_addr_clear. Everything here
 * is reentrant and keeps no global state.
 */
#ifndef CP_ADDRS_ADDRESS_H
#define CP_ADDRS_ADDRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

typedef enum cp_mode {
    CP_MODE_MANAGED, /* resource "type" "name" */
    CP_MODE_DATA     /* data "type" "name" */
} cp_mode;

typedef enum cp_key_kind {
    CP_KEY_NONE, /* no count / for_each */
    CP_KEY_INT,  /* count index */
    CP_KEY_STR   /* for_each key */
} cp_key_kind;

typedef struct cp_addr {
    char *module; /* owned; NULL = the root module, else the canonical module instance
                     path: "module.a", "module.a[0].module.b", "module.a[\"k\"]" */
    cp_mode mode;
    char *type; /* owned */
    char *name; /* owned */
    cp_key_kind key_kind;
    int64_t key_int; /* CP_KEY_INT */
    char *key_str;   /* CP_KEY_STR, owned; NULL otherwise */
} cp_addr;

/* Parse text into *out (which needs no prior init). On failure returns false,
 * leaves *out zeroed and sets *err (malloc'd, one line naming the text and
 * the position) when err is not NULL. */
bool cp_addr_parse(const char *text, cp_addr *out, char **err);

/* Fill *out from parts (strings copied), in the root module (set another
 * with cp_addr_set_module). key_str is used for CP_KEY_STR. */
void cp_addr_init(cp_addr *out, cp_mode mode, const char *type, const char *name,
                  cp_key_kind key_kind, int64_t key_int, const char *key_str);
void cp_addr_copy(cp_addr *dst, const cp_addr *src);
/* Set (a copy of) the module path; NULL or "" is the root module. */
void cp_addr_set_module(cp_addr *a, const char *module);
void cp_addr_clear(cp_addr *a); /* frees strings; a becomes zeroed */

/* Append the canonical text of a to out. */
void cp_addr_format(cp_buf *out, const cp_addr *a);
char *cp_addr_str(const cp_addr *a); /* malloc'd canonical text */
/* Append only the instance key as written after the name: "", "[0]", "[\"a\"]". */
void cp_addr_format_key(cp_buf *out, const cp_addr *a);

/* Total order used for listing: mode (managed first), type, name, then key
 * (none < count keys in numeric order < for_each keys in byte order). */
int cp_addr_compare(const cp_addr *a, const cp_addr *b);
bool cp_addr_equal(const cp_addr *a, const cp_addr *b);
/* Same resource (mode, type, name), whatever the keys. */
bool cp_addr_same_resource(const cp_addr *a, const cp_addr *b);
/* True if `pattern` selects `a`: equal, or pattern has no key and names a's
 * resource (how -target aws_s3_bucket.logs selects every instance). */
bool cp_addr_matches(const cp_addr *pattern, const cp_addr *a);

/* A module path alone ("module.a", "module.a[0].module.b", as -target and
 * state commands take it), canonical, into *module (malloc'd). On failure
 * false and *err (malloc'd, when err is not NULL). */
bool cp_addr_parse_module(const char *text, char **module, char **err);
/* True if module path `pattern` selects `module` (NULL = root): the same
 * segments, a pattern segment without a key matching every key; with prefix,
 * `module` may go deeper (module.a selects module.a[0].module.b). */
bool cp_addr_module_matches(const char *pattern, const char *module, bool prefix);
/* Module path `mod` with the prefix that `from` selects replaced by `to`
 * (malloc'd), or NULL when mod is not inside from (moved { from = module.a
 * to = module.b }): module.a[0].module.c -> module.b[0].module.c;
 * from module.a[0] the key goes with it. */
char *cp_addr_module_rebase(const char *mod, const char *from, const char *to);
/* "module.a.module.b" from "module.a[0].module.b[\"k\"]" (malloc'd; NULL for NULL). */
char *cp_addr_module_strip_keys(const char *module);
/* The configuration address of a's resource: module keys and instance key
 * dropped ("module.a.aws_x.y"), as the config and dependencies name it. */
char *cp_addr_config_str(const cp_addr *a);

/* True if s is a valid type or name identifier. */
bool cp_addr_is_ident(const char *s);

#endif
