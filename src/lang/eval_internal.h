/*
 * eval_internal.h: what the pieces of the evaluator share (eval.c walks the
 * tree and resolves names; eval_ops.c does operators and conditionals;
 * eval_for.c does `for` expressions and splats; eval_template.c does
 * templates and their directives; eval_call.c does function calls,
 * including the lazy try() and can()). Not for use outside
 * src/lang/eval*.c.
 *
 * An ev_state is the evaluator's position: the caller's context plus the
 * names bound by enclosing `for` expressions (a linked chain on the C stack,
 * innermost first) and the current splat item. It is passed down by
 * pointer and copied (never mutated) to bind a new name.
 */
#ifndef CP_LANG_EVAL_INTERNAL_H
#define CP_LANG_EVAL_INTERNAL_H

#include "lang/eval.h"

typedef struct ev_binding {
    const char *name;
    const cp_value *val; /* borrowed from the iteration */
    const struct ev_binding *next;
} ev_binding;

typedef struct ev_state {
    const cp_eval_ctx *ctx;
    const ev_binding *scope;
    const cp_value *splat_item; /* borrowed; NULL outside a splat */
    bool quiet;                 /* evaluating a branch not taken, for its
                                   type only: do not look further */
} ev_state;

/* eval.c */
cp_value *ev_expr(const ev_state *st, const cp_expr *e);
/* Index coll by key (a number for lists, a string for maps); errors at
 * key_loc. Consumes nothing; returns a new reference or NULL. */
cp_value *ev_index_value(const ev_state *st, const cp_value *coll, const cp_value *key,
                         cp_loc coll_loc, cp_loc key_loc);
/* Reports an error at loc through the context's diagnostics; returns NULL. */
cp_value *ev_error(const ev_state *st, cp_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* eval_ops.c */
cp_value *ev_unary(const ev_state *st, const cp_expr *e);
cp_value *ev_binary(const ev_state *st, const cp_expr *e);
cp_value *ev_cond(const ev_state *st, const cp_expr *e);

/* eval_for.c */
cp_value *ev_for(const ev_state *st, const cp_expr *e);
cp_value *ev_splat(const ev_state *st, const cp_expr *e);

/* eval_template.c: a template (one ${ } alone gives its value unchanged),
 * and the %{ if } and %{ for } directives (strings). */
cp_value *ev_template(const ev_state *st, const cp_expr *e);
cp_value *ev_tmpl_if(const ev_state *st, const cp_expr *e);
cp_value *ev_tmpl_for(const ev_state *st, const cp_expr *e);

/* eval_call.c */
cp_value *ev_call(const ev_state *st, const cp_expr *e);

/* Consumes r; returns it marked sensitive. */
cp_value *ev_sensitive_take(cp_value *r);
/* Marks result sensitive if any of the n values contains a sensitive part. */
cp_value *ev_mark_deep_take(cp_value *result, const cp_value *const *vals, size_t n);

#endif
