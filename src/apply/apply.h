/*
 * apply.h: executing a plan.
 *
 * cp_apply_run turns the plan's changes into an instance-level action
 * graph (create / update / read in dependency order; delete in reverse
 * dependency order; a replace is delete-then-create, or create-then-delete
 * with create_before_destroy) and walks it in parallel with at most
 * `parallelism` provider calls at once. Each resource's body is evaluated
 * again just before its operation, when the real values of its
 * dependencies exist. The state is updated and persisted (through the
 * store's group commit, within its lag) after every completed operation; a
 * create first records a pending_create intent and, unless its type says
 * no_durable_intent, waits until it is durable, so a crash mid-create is
 * visible in state and the next plan finds the object (apply_ops.c says
 * why completions need not wait). A failure skips
 * its dependents while independent branches finish. `stop` (Ctrl-C once)
 * starts nothing new; `cancel` (twice) makes providers abandon their waits.
 *
 * The working state is borrowed and changed in place (the caller owns it
 * and writes it once more at the end through the store).
 */
#ifndef CP_APPLY_APPLY_H
#define CP_APPLY_APPLY_H

#include <stdio.h>

#include "plan/plan.h"
#include "backend/store.h"

typedef struct cp_apply_opts {
    const cp_config *config;
    const cp_value *variables;
    const char *stack_name, *branch, *region;
    int parallelism; /* default 10 */
    cp_client_fn client;
    void *client_ud;
    const volatile sig_atomic_t *stop;   /* start nothing new when non-zero */
    const volatile sig_atomic_t *cancel; /* providers abandon waits when non-zero */
    cp_store *store;                     /* NULL: keep state in memory only */
    FILE *out;                           /* progress lines; NULL = quiet */
    int progress_seconds;                /* "Still creating..." period; default 10 */
    const cp_observer *observer;         /* apply_start … apply_errored events, or NULL */
} cp_apply_opts;

typedef struct cp_apply_result {
    size_t added, changed, destroyed;
    size_t failed, skipped, not_run;
    char **errors; /* one line each, "ADDR: cause" */
    size_t nerrors;
    bool interrupted;
} cp_apply_result;

/* 0 when every action succeeded, else -1 (res says why). */
int cp_apply_run(const cp_apply_opts *o, const cp_plan *plan, cp_state *state,
                 cp_apply_result *res);
void cp_apply_result_free(cp_apply_result *res);

/* Evaluate the stack's outputs against state and store them there
 * (removing outputs no longer in config; all of them when destroying).
 * Errors go to d. */
void cp_apply_outputs(const cp_apply_opts *o, cp_state *state, bool destroy, cp_diags *d);

/* Evaluate the stack's check blocks against state (after an apply): a
 * failed assert is a warning in d, never an error. */
void cp_apply_checks(const cp_apply_opts *o, cp_state *state, cp_diags *d);

/* Evaluate e as an output would be (variables, locals, stack.*, resources
 * from state, functions): a new value, or NULL after errors in d. For
 * `cpstack console`. */
cp_value *cp_apply_eval_expr(const cp_apply_opts *o, const cp_state *state, const cp_expr *e,
                             cp_diags *d);

#endif
