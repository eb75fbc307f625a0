/*
 * eval.h: evaluating expressions.
 *
 * The evaluator knows nothing of stacks or resources. Names are resolved by
 * the caller through a lookup function that sees the static start of every
 * reference as a list of steps: for `aws_s3_bucket.logs.arn[0]` the steps
 * are {"aws_s3_bucket", "logs", "arn"}; the lookup says how many steps it
 * consumed (e.g. 2) and returns that value; the evaluator applies the rest.
 * Unknown and sensitive values flow through every operator and function:
 * any unknown operand gives an unknown result (except where the answer does
 * not depend on it, e.g. `false && x`), any sensitive operand marks the
 * result sensitive.
 *
 * STEPS (decided): a reference's steps are its root name and the `.name`
 * steps that follow it, up to the first index, splat or call. Index keys
 * are never steps, even constant ones: `aws_s3_bucket.logs[0].arn` gives
 * {"aws_s3_bucket", "logs"} and `var.tags["a"]` gives {"var", "tags"}; the
 * evaluator applies [0].arn and ["a"] to what the lookup returns. The
 * lookup sets *consumed (1..nsteps; other values are clamped) and the
 * evaluator reads the remaining steps as attributes. cp_expr_walk_refs
 * reports exactly these steps. Names bound by an enclosing `for` (and the
 * item of a splat) are resolved by the evaluator and never reach the lookup
 * nor the walk.
 *
 * Semantics, as in HCL: arithmetic and < <= > >= need numbers (a string
 * that reads as a number is converted); && || ! need bools ("true" and
 * "false" convert) and && || stop at a deciding known left operand; == and
 * != compare without conversion; `c ? a : b` evaluates the branch it takes
 * (the other only to check that both types agree; scalars of different
 * kinds unify to strings); templates convert numbers and bools to text and
 * reject null, lists and maps; splat maps a list, gives [] for null and [x]
 * for any other x; `for` iterates lists by index and maps by sorted key.
 * try() and can() evaluate their arguments lazily.
 *
 * ERRORS: one line each, at the most precise location: the operand, index
 * or argument at fault rather than the whole expression (arity errors and
 * unknown functions at the call). Independent errors are all reported
 * (both operands, every element of a constructor). No error message ever
 * contains a sensitive value.
 */
#ifndef CP_LANG_EVAL_H
#define CP_LANG_EVAL_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/value.h"

/* Return a NEW reference to the value named by steps[0..*consumed), or NULL
 * after adding an error to d (e.g. "reference to undeclared variable"). */
typedef cp_value *(*cp_lookup_fn)(void *ud, const char *const *steps, size_t nsteps,
                                  size_t *consumed, cp_loc loc, cp_diags *d);

typedef struct cp_eval_ctx {
    cp_lookup_fn lookup;
    void *lookup_ud;
    const char *base_dir; /* for file(), templatefile(): the stack directory */
    const cp_sources *sources;
    cp_diags *diags;
} cp_eval_ctx;

/* Evaluate; returns a new reference, or NULL after adding errors to ctx->diags. */
cp_value *cp_eval(const cp_eval_ctx *ctx, const cp_expr *e);

/* Walk every reference in e (not descending into function names): calls fn
 * with the static steps of each traversal (root first) and its location.
 * Names bound by `for` expressions are not references. */
typedef void (*cp_ref_fn)(void *ud, const char *const *steps, size_t nsteps, cp_loc loc);
void cp_expr_walk_refs(const cp_expr *e, cp_ref_fn fn, void *ud);

#endif
