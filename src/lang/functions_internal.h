/*
 * functions_internal.h: what the built-in functions share. functions.c
 * owns the table (functions_list.h) and the checks every call goes
 * through: arity, parameter types (with HCL's conversions: a number where a
 * string is wanted becomes its canonical text, "5" where a number is wanted
 * becomes 5), unknown arguments giving an unknown result and sensitive ones
 * a sensitive result. So each cp_fn_<name> in functions_<family>.c sees its
 * arguments already converted to its parameter types, and known.
 *
 * Not for use outside src/lang/ (eval_call.c calls cp__call).
 */
#ifndef CP_LANG_FUNCTIONS_INTERNAL_H
#define CP_LANG_FUNCTIONS_INTERNAL_H

#include "lang/functions.h"

/* Parameter types. */
enum {
    A_ANY,         /* anything, null included */
    A_STR,         /* string; number and bool are converted */
    A_NUM,         /* number; a numeric string is converted */
    A_BOOL,        /* bool; "true"/"false" converted */
    A_LIST,        /* list of anything */
    A_LIST_STR,    /* list whose elements are (converted to) strings */
    A_LIST_NUM,    /* list whose elements are (converted to) numbers */
    A_MAP,         /* map */
    A_MAP_OR_NULL, /* map, or null (skipped by merge) */
    A_LENGTHY      /* string, list or map */
};

enum { FN_STRUCT = 1, FN_SEES_UNKNOWN = 2, FN_UNMARKS = 4 };
#define CP_FN_VARIADIC 255

typedef struct cp_fn_call {
    const cp_eval_ctx *ctx;
    const char *name;
    cp_loc loc;            /* the whole call */
    cp_value *const *args; /* converted to the parameter types */
    const cp_loc *locs;    /* each argument's location */
    size_t nargs;
} cp_fn_call;

typedef cp_value *(*cp_fn_impl)(const cp_fn_call *c);

/* Every built-in, declared from the table. */
#define CP_FN(name, min, max, flags, ...) cp_value *cp_fn_##name(const cp_fn_call *c);
#include "lang/functions_list.h"
#undef CP_FN

/* Errors, prefixed "name: ": at the call, or under argument i (0-based). */
cp_value *cp__fn_error(const cp_fn_call *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
cp_value *cp__fn_arg_error(const cp_fn_call *c, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The full call, with each argument's location (locs may be NULL). */
cp_value *cp__call(const cp_eval_ctx *ctx, const char *name, cp_loc loc, cp_value *const *args,
                   const cp_loc *locs, size_t nargs);
/* Reports `unknown function "x"` with a "did you mean" when one is near. */
cp_value *cp__unknown_function(const cp_eval_ctx *ctx, const char *name, cp_loc loc);

/* UTF-8 (functions_string.c): bytes of the character at s (1 for a broken
 * sequence), the number of characters, and whether s[0..n) is valid. */
size_t cp__utf8_step(const char *s, size_t n);
size_t cp__utf8_count(const char *s, size_t n);
bool cp__utf8_valid(const char *s, size_t n);

/* A whole number argument as an integer in [lo, hi]; false after an error
 * naming argument i ("argument 2 must be a whole number"). */
bool cp__fn_int_arg(const cp_fn_call *c, size_t i, double lo, double hi, long long *out);

/* Formats like format() (functions_format.c); NULL after an error. */
cp_value *cp__format(const cp_fn_call *c, const char *fmt, cp_value *const *args, size_t nargs);

/* The bytes of the file named by argument 0, resolved against
 * ctx->base_dir (functions_file.c); NULL after reporting. Caller frees. */
char *cp__fn_read_file(const cp_fn_call *c, size_t *len);

/* The distinct elements of list l, sorted (functions_sequence.c): the
 * form sets take, as lists. */
cp_value *cp__set_of(const cp_value *l);

/* Hex of a digest (functions_crypto.c): md is an mbedtls_md_type_t. */
cp_value *cp__digest_hex(int md, const void *data, size_t len);
cp_value *cp__digest_base64(int md, const void *data, size_t len);
cp_value *cp__base64(const void *data, size_t len);

#endif
