/*
 * value.h: cp_value, the one value type of cpstack.
 *
 * Every value the language computes, every attribute a provider reads or
 * returns, and every attribute kept in state is a cp_value: null, bool,
 * number, string, list, map (string keys, kept sorted), or unknown ("known
 * after apply"). Any value may carry the *sensitive* mark, which output code
 * honours by printing "(sensitive value)".
 *
 * OWNERSHIP RULE (the only one):
 *   - cp_value* is reference counted and immutable once shared.
 *   - Functions BORROW their cp_value* arguments and RETURN A NEW REFERENCE
 *     that the caller must give back with cp_release().
 *   - Exception: a function whose name ends in _take CONSUMES the argument
 *     named in its doc (e.g. cp_list_push_take consumes the item).
 *   - Accessors that return `const cp_value *` (cp_list_get, cp_map_get…)
 *     return a BORROWED pointer valid while the container lives; cp_retain
 *     it to keep it.
 *   - A list or map you just created (refcount 1, not yet shared) may be
 *     filled with the *_take builders; after it is shared, never mutate it.
 *   - NULL is never a valid value: use cp_null(). cp_release(NULL) is a no-op.
 * Reference counts are atomic, so values may be shared between threads.
 *
 * CHECKS (util/check.h): breaking the rule is a bug in the caller, and fails
 * loudly instead of being papered over.
 *   - Always, release builds too (CP_CHECK: one "cpstack: internal error"
 *     line, then abort): a builder on the wrong kind (cp_list_push_take on a
 *     non-list, cp_map_set_take on a non-map), a _take argument that is NULL
 *     or already released, a container pushed into itself, a NULL key or
 *     string, cp_release past zero. Going on would lose or corrupt data.
 *   - Debug builds (assert; the default build and every test build): a typed
 *     accessor on the wrong kind — cp_string_val / cp_string_len on a
 *     non-string, cp_number_val on a non-number, cp_bool_val on a non-bool,
 *     cp_len on a non-collection, cp_list_get on a non-list, cp_map_get /
 *     cp_map_key_at / cp_map_value_at on a non-map (or _at past the end),
 *     a builder on a shared (refcount > 1) container, any value not live.
 *     Release builds keep the fallback written next to each accessor ("",
 *     0, false, NULL), so a user never sees a crash there. Check the kind
 *     (cp_kind_of) before you read.
 */
#ifndef CP_LANG_VALUE_H
#define CP_LANG_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct cp_value cp_value;

typedef enum cp_kind {
    CP_NULL,
    CP_BOOL,
    CP_NUMBER,
    CP_STRING,
    CP_LIST,
    CP_MAP,
    CP_UNKNOWN
} cp_kind;

/* --- construction ------------------------------------------------------ */
cp_value *cp_null(void);
cp_value *cp_bool(bool b);
cp_value *cp_number(double n);
cp_value *cp_string(const char *s);             /* copies s */
cp_value *cp_string_n(const char *s, size_t n); /* copies n bytes */
cp_value *cp_string_take(char *s);              /* takes a malloc'd string */
cp_value *cp_stringf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
cp_value *cp_unknown(void);
cp_value *cp_list_new(void);
cp_value *cp_map_new(void);

/* Builders, only on a fresh (unshared) list or map. */
void cp_list_push_take(cp_value *list, cp_value *item);            /* consumes item */
void cp_map_set_take(cp_value *map, const char *key, cp_value *v); /* consumes v; replaces */

/* --- reference counting ------------------------------------------------- */
cp_value *cp_retain(const cp_value *v);
void cp_release(cp_value *v);

/* --- inspection ---------------------------------------------------------- */
cp_kind cp_kind_of(const cp_value *v);
const char *cp_kind_name(cp_kind k); /* "string", "list", … */
bool cp_is_null(const cp_value *v);
bool cp_is_unknown(const cp_value *v);
/* Each asserts its kind; release builds give the fallback named. */
bool cp_bool_val(const cp_value *v);          /* CP_BOOL; else false */
double cp_number_val(const cp_value *v);      /* CP_NUMBER; else 0 */
const char *cp_string_val(const cp_value *v); /* CP_STRING; else "" */
size_t cp_string_len(const cp_value *v);      /* CP_STRING; else 0 */

size_t cp_len(const cp_value *v); /* list/map element count; else 0 */
/* Borrowed, NULL past the end; CP_LIST, else NULL. */
const cp_value *cp_list_get(const cp_value *list, size_t i);
/* Borrowed or NULL when absent; CP_MAP, else NULL. */
const cp_value *cp_map_get(const cp_value *map, const char *key);
const char *cp_map_key_at(const cp_value *map, size_t i);       /* sorted order; i < len */
const cp_value *cp_map_value_at(const cp_value *map, size_t i); /* borrowed; i < len */

/* A new map: base's entries with top's put over them (both maps). */
cp_value *cp_map_overlay(const cp_value *base, const cp_value *top);

/* --- marks ---------------------------------------------------------------- */
bool cp_is_sensitive(const cp_value *v);        /* this value's own mark */
cp_value *cp_mark_sensitive(const cp_value *v); /* new ref, marked */
cp_value *cp_unmark(const cp_value *v);         /* new ref, own mark removed */
/* Consumes result; returns it marked sensitive if `from` is. */
cp_value *cp_mark_like_take(cp_value *result, const cp_value *from);
bool cp_contains_unknown(const cp_value *v);   /* deep */
bool cp_contains_sensitive(const cp_value *v); /* deep */
bool cp_is_wholly_known(const cp_value *v);    /* !cp_contains_unknown */

/* --- comparison ------------------------------------------------------------ */
bool cp_equal(const cp_value *a, const cp_value *b);  /* deep, ignores marks */
int cp_compare(const cp_value *a, const cp_value *b); /* total order for sorting */

/* --- primitive conversions (HCL's) ------------------------------------------ */
/* Parse the whole of s[0..n) as a decimal number ("5", "-1.5", "1e3"; no
 * spaces, hex, inf or nan). */
bool cp_parse_number(const char *s, size_t n, double *out);
/* Each returns a new reference keeping v's sensitive mark, or NULL when v
 * has no such conversion (callers report the error). null and unknown are
 * never converted: they give NULL too. */
cp_value *cp_to_string(const cp_value *v); /* string; number canonical; bool */
cp_value *cp_to_number(const cp_value *v); /* number; numeric string */
cp_value *cp_to_bool(const cp_value *v);   /* bool; "true" / "false" */
/* "a string", "a number", "a list", "null", "an unknown value"… for messages. */
const char *cp_kind_article(cp_kind k);

/* --- text --------------------------------------------------------------------- */
/* Append a number in canonical form (integers without ".0"). */
void cp_number_format(cp_buf *out, double n);
/* HCL-style rendering for plans and `output`: "str", 1, true, null,
 * ["a", "b"], { k = v }; unknown as "(known after apply)"; sensitive values
 * as "(sensitive value)" unless show_sensitive. */
void cp_value_render(cp_buf *out, const cp_value *v, bool show_sensitive);
/* Convenience: malloc'd rendering (show_sensitive = false). */
char *cp_value_repr(const cp_value *v);

#endif
