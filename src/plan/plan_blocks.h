/*
 * plan_blocks.h: what the planner (plan.c) asks of the files that carry out
 * the stack's moved, removed and import blocks and its conditions. Not for
 * use outside src/plan.
 *
 * moved / removed / import work on the refreshed state before the config is
 * walked: a moved object is renamed there (so it is diffed at its new
 * address, never re-created), a forgotten one is dropped (so it is not
 * planned for deletion), an imported one is added (so it is diffed against
 * its config). Apply saves that state, which is how these take effect;
 * plan alone saves nothing. Afterwards the changes are annotated
 * (moved_from, import_id) for the renderer.
 */
#ifndef CP_PLAN_PLAN_BLOCKS_H
#define CP_PLAN_PLAN_BLOCKS_H

#include "lang/eval.h"
#include "plan/plan.h"

/* Pairs of addresses: moves (from -> to), imports (to -> id). */
typedef struct cp_plan_pairs {
    char **a, **b;
    size_t n;
} cp_plan_pairs;

void cp__plan_pairs_free(cp_plan_pairs *p);

/* plan_moved.c: carry out the moved blocks on st (warnings for a move onto
 * an address already in state); *done gets each instance moved. */
void cp__plan_moves(const cp_config *c, cp_state *st, cp_plan_pairs *done, cp_diags *d);
/* plan_moved.c: removed blocks with destroy = false: each instance is
 * dropped from st and recorded in p as a change with forget set. */
void cp__plan_forget(const cp_plan_opts *o, cp_state *st, cp_plan *p);
/* After the walk: set moved_from (from moves) / import_id (from imports)
 * on the change at each address; an import the plan would delete (its key
 * is not in config) is an error in d. */
void cp__plan_note(const cp_config *c, cp_plan *p, const cp_plan_pairs *moves,
                   const cp_plan_pairs *imports, cp_diags *d);

/* plan_import.c: import blocks (each element of a for_each one) whose
 * address st does not hold yet: the id evaluated in scope (each.key and
 * each.value bound), the object read through its type's import function
 * and put into st; *done gets (address, id). -1 after errors in d. */
struct cp_scope;
int cp__plan_imports(const cp_plan_opts *o, struct cp_scope *scope, cp_state *st,
                     cp_plan_pairs *done, cp_diags *d);

/* plan_conditions.c: an instance's preconditions (before its diff) and
 * postconditions (self = planned value; skipped while unknown); false after
 * reporting the failed one at its condition. */
bool cp__plan_preconditions(const cp_config_resource *r, const cp_eval_ctx *ctx,
                            const char *address, cp_diags *d);
bool cp__plan_postconditions(const cp_config_resource *r, const cp_eval_ctx *ctx,
                             const cp_value *self, const char *address, cp_diags *d);
/* plan_conditions.c: the first replace_triggered_by entry of r whose
 * resource (or attribute) changes in p, as text (malloc'd), or NULL. */
char *cp__plan_triggered(const cp_config_resource *r, const cp_eval_ctx *ctx, const cp_plan *p);

#endif
