/*
 * config_conditions.c: the lifecycle settings beyond the booleans —
 * replace_triggered_by = [refs], precondition { } and postcondition { }
 * blocks — decoded from a resource's (or data source's) lifecycle block,
 * and the evaluation of conditions (lifecycle conditions, check asserts)
 * that plan and apply share: cp_config_eval_conditions (config_eval.h).
 *
 * A trigger is kept as its resource address plus an optional index
 * expression (evaluated per instance, so count.index / each.key work) and
 * an optional top-level attribute. In a postcondition `self` is the
 * object as planned or as made; nothing else here binds names.
 */
#include "config/config_eval.h"
#include "config/config_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define PUSH(arr, n) (arr = cp_xrealloc(arr, ((n) + 1) * sizeof *(arr)), &(arr)[(n)++])

static char *managed_address(const cp_expr *e)
{
    char *a = cp__expr_address(e);
    if (a && !strncmp(a, "data.", 5)) {
        free(a);
        return NULL;
    }
    return a;
}

/* TYPE.NAME, TYPE.NAME[i], TYPE.NAME.attr, TYPE.NAME[i].attr. */
static bool parse_trigger(const cp_expr *e, cp_config_trigger *t)
{
    memset(t, 0, sizeof *t);
    t->loc = e->loc;
    char *whole = managed_address(e);
    if (whole) {
        t->resource = whole;
        return true;
    }
    if (e->kind == CP_E_GETATTR) {
        const cp_expr *inner = e->u.getattr.obj;
        char *res = inner->kind == CP_E_INDEX ? NULL : managed_address(inner);
        if (!res && inner->kind != CP_E_INDEX) return false;
        t->attr = e->u.getattr.name;
        e = inner;
        if (res) {
            t->resource = res;
            return true;
        }
    }
    if (e->kind == CP_E_INDEX) {
        t->index = e->u.index.key;
        e = e->u.index.obj;
    }
    t->resource = managed_address(e);
    return t->resource != NULL;
}

static void decode_triggers(cp_config_lifecycle *lc, const cp_expr *e, cp_diags *d)
{
    if (e->kind != CP_E_LIST) {
        cp_diag_error(d, e->loc,
                      "replace_triggered_by takes a list of resources or their attributes, "
                      "e.g. [aws_s3_bucket.logs, aws_iam_role.x.arn]");
        return;
    }
    for (size_t i = 0; i < e->u.list.len; i++) {
        cp_config_trigger t;
        if (!parse_trigger(e->u.list.items[i], &t)) {
            cp_diag_error(d, e->u.list.items[i]->loc,
                          "replace_triggered_by entries must name a managed resource or one of "
                          "its attributes, like aws_s3_bucket.logs or aws_s3_bucket.logs.arn");
            continue;
        }
        *PUSH(lc->replace_triggered_by, lc->nreplace_triggered_by) = t;
    }
}

static void decode_condition(cp_config_lifecycle *lc, const cp_block *b, cp_diags *d)
{
    static const char *const names[] = { "condition", "error_message", NULL };
    for (size_t i = 0; i < b->body->nattrs; i++) {
        const char *n = b->body->attrs[i].name;
        if (!strcmp(n, names[0]) || !strcmp(n, names[1])) continue;
        const char *s = cp_suggest(n, names);
        cp_diag_error(d, b->body->attrs[i].name_loc, "unknown argument \"%s\" in a %s block%s%s%s",
                      n, b->type, s ? "; did you mean \"" : "", s ? s : "", s ? "\"?" : "");
    }
    const cp_attr *cond = cp_body_attr(b->body, "condition");
    const cp_attr *msg = cp_body_attr(b->body, "error_message");
    if (!cond || !msg) {
        cp_diag_error(d, b->type_loc, "a %s block needs both condition and error_message", b->type);
        return;
    }
    bool pre = !strcmp(b->type, "precondition");
    cp_config_validation *v = pre ? PUSH(lc->preconditions, lc->npreconditions)
                                  : PUSH(lc->postconditions, lc->npostconditions);
    *v = (cp_config_validation){ cond->expr, msg->expr, cond->expr->loc };
}

void cp__config_decode_lifecycle_more(cp_config_lifecycle *lc, const cp_block *b, cp_diags *d)
{
    static const char *const blocks[] = { "precondition", "postcondition", NULL };
    const cp_attr *a = cp_body_attr(b->body, "replace_triggered_by");
    if (a) decode_triggers(lc, a->expr, d);
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *blk = b->body->blocks[i];
        if (!strcmp(blk->type, blocks[0]) || !strcmp(blk->type, blocks[1])) {
            decode_condition(lc, blk, d);
            continue;
        }
        const char *s = cp_suggest(blk->type, blocks);
        cp_diag_error(d, blk->type_loc, "unexpected block \"%s\" in lifecycle%s%s%s", blk->type,
                      s ? "; did you mean \"" : "", s ? s : "", s ? "\"?" : "");
    }
}

void cp__config_free_lifecycle_more(cp_config_lifecycle *lc)
{
    for (size_t i = 0; i < lc->nreplace_triggered_by; i++)
        free(lc->replace_triggered_by[i].resource);
    free(lc->replace_triggered_by);
    free(lc->preconditions);
    free(lc->postconditions);
}

/* --- evaluation ---------------------------------------------------------- */

typedef struct self_scope {
    const cp_eval_ctx *parent;
    const cp_value *self;
} self_scope;

static cp_value *self_lookup(void *ud, const char *const *steps, size_t nsteps, size_t *consumed,
                             cp_loc loc, cp_diags *d)
{
    self_scope *ss = ud;
    if (strcmp(steps[0], "self"))
        return ss->parent->lookup(ss->parent->lookup_ud, steps, nsteps, consumed, loc, d);
    *consumed = 1;
    return cp_retain(ss->self);
}

/* 1 true, 0 unknown, -1 false (*msg) or an error (*msg NULL). */
static int eval_one(const cp_config_validation *v, const cp_eval_ctx *ctx, char **msg)
{
    cp_value *c = cp_eval(ctx, v->condition);
    if (!c) return -1;
    int rc = 1;
    if (cp_is_unknown(c))
        rc = 0;
    else if (cp_kind_of(c) != CP_BOOL) {
        cp_diag_error(ctx->diags, v->condition->loc, "condition must be true or false, not %s",
                      cp_kind_name(cp_kind_of(c)));
        rc = -1;
    } else if (!cp_bool_val(c)) {
        rc = -1;
        cp_value *m = cp_eval(ctx, v->error_message);
        if (m && cp_kind_of(m) == CP_STRING && !cp_contains_sensitive(m))
            *msg = cp_xstrdup(cp_string_val(m));
        else if (m)
            *msg = cp_xstrdup(cp_is_unknown(m) ? "(error message known only after apply)"
                                               : "(the error message is not a plain string)");
        cp_release(m);
    }
    cp_release(c);
    return rc;
}

int cp_config_eval_conditions(const cp_config_validation *v, size_t n, const cp_eval_ctx *ctx,
                              const cp_value *self, char **msg, cp_loc *at)
{
    self_scope ss = { ctx, self };
    cp_eval_ctx inner = *ctx;
    if (self) {
        inner.lookup = self_lookup;
        inner.lookup_ud = &ss;
    }
    int all = 1;
    *msg = NULL;
    for (size_t i = 0; i < n; i++) {
        int rc = eval_one(&v[i], &inner, msg);
        if (rc < 0) {
            *at = v[i].condition->loc;
            return -1;
        }
        if (rc == 0) all = 0;
    }
    return all;
}
