/*
 * types.h: the type language of variables: string, number, bool, any,
 * list(T), set(T), map(T), object({ name = T, … }), tuple([T, …]).
 *
 * Types are parsed from the expression in `type = …` and used to convert
 * (and check) variable values: "5" converts to number 5, a number to a
 * string, "true" to a bool; anything else is an error naming the path.
 * null converts to every type; unknown passes; marks are kept. An object
 * attribute missing from the value is an error, extra ones are dropped; a
 * set is a list without repeats, sorted. Paths count elements from 0:
 * `attribute "ports", element 1: a number is required, got "http"`.
 */
#ifndef CP_LANG_TYPES_H
#define CP_LANG_TYPES_H

#include "lang/ast.h"
#include "lang/value.h"
#include "util/buf.h"

typedef enum cp_type_kind {
    CP_TY_ANY,
    CP_TY_STRING,
    CP_TY_NUMBER,
    CP_TY_BOOL,
    CP_TY_LIST,
    CP_TY_SET,
    CP_TY_MAP,
    CP_TY_OBJECT,
    CP_TY_TUPLE
} cp_type_kind;

typedef struct cp_type cp_type;
struct cp_type {
    cp_type_kind kind;
    cp_type *elem;     /* list, set, map */
    char **attr_names; /* object */
    cp_type **attrs;   /* object attribute types, tuple element types */
    size_t nattrs;
};

/* From a type expression; NULL after reporting to d. */
cp_type *cp_type_from_expr(const cp_expr *e, cp_diags *d);
void cp_type_free(cp_type *t);
void cp_type_render(cp_buf *out, const cp_type *t); /* "list(string)" */
/* Convert v to t. Returns a new reference, or NULL with *err (malloc'd) set,
 * e.g. "element 2: a number is required, got \"abc\"". Unknowns pass. */
cp_value *cp_type_convert(const cp_value *v, const cp_type *t, char **err);

#endif
