/*
 * test_eval_helpers.h: shared by the evaluator, function and type tests.
 *
 * A tctx parses source strings as expressions of a file "main.cp" and
 * evaluates them against a fixed scope (see test_eval_helpers.c for what
 * var.*, local.*, each.*, count.index, aws_thing.* and data.* hold). ev_str
 * gives the result as text: the HCL rendering (sensitive values shown, a
 * top-level sensitive mark as a "(sensitive) " prefix, unknown as "(known
 * after apply)"), or "ERROR: main.cp:L:C: message" for the first error.
 */
#ifndef TEST_EVAL_HELPERS_H
#define TEST_EVAL_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/eval.h"
#include "lang/value.h"

typedef struct tctx {
    cp_sources srcs;
    cp_diags diags;
    cp_arena *arena;
    cp_value *scope; /* root name → value */
    char *dir;       /* a temporary directory, the base_dir */
    cp_eval_ctx ctx;
} tctx;

tctx *tctx_new(void);
void tctx_free(tctx *t);
/* Writes a file (relative to t->dir). */
void tctx_write(tctx *t, const char *name, const char *data, size_t len);
/* Parses src (asserting it parses); NULL never. Lives until tctx_free. */
cp_expr *tctx_parse(tctx *t, const char *src);
/* Evaluates src; a new reference or NULL (errors in t->diags, reset first). */
cp_value *ev(tctx *t, const char *src);
/* Evaluates src; the text described above (malloc'd). */
char *ev_str(tctx *t, const char *src);
/* All errors of the last evaluation, one per line (malloc'd). */
char *tctx_errors(tctx *t);
/* Renders a value as ev_str does (malloc'd). */
char *value_str(const cp_value *v);

/* cmocka fixtures: *state is a tctx. */
int tctx_setup(void **state);
int tctx_teardown(void **state);

#define EXPECT(t, src, want)                                                                       \
    do {                                                                                           \
        char *got_ = ev_str((t), (src));                                                           \
        if (strcmp(got_, (want)) != 0) print_error("  source: %s\n", (src));                       \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

#endif
