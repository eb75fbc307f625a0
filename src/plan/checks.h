/*
 * checks.h: the stack's check blocks, evaluated after a plan (against
 * planned values) and after an apply (against the new state). A false
 * assert, or one that cannot be evaluated, is a warning naming the check
 * and its error_message; an unknown one says nothing (it is known after
 * apply). Checks never stop a plan or an apply.
 */
#ifndef CP_PLAN_CHECKS_H
#define CP_PLAN_CHECKS_H

#include "config/config.h"
#include "lang/eval.h"

void cp_plan_checks(const cp_config *c, const cp_eval_ctx *ctx, cp_diags *d);

#endif
