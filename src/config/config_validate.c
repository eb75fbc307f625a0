/*
 * config_validate.c: validate's evaluation of every expression with all
 * references unknown (see config_validate.h). Evaluates into a private
 * cp_diags and passes on only errors at a location without one already.
 * Reads the config; changes nothing.
 */
#include "config/config_validate.h"
#include "config/config_eval.h"
#include "config/config_internal.h"
#include "lang/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every name is a value not known before plan. */
static cp_value *unknown_lookup(void *ud, const char *const *steps, size_t nsteps, size_t *consumed,
                                cp_loc loc, cp_diags *d)
{
    (void)ud, (void)steps, (void)loc, (void)d;
    *consumed = nsteps;
    return cp_unknown();
}

typedef struct checker {
    const cp_config *c;
    cp_eval_ctx ctx;
} checker;

/* The value of e (a new reference), or NULL after an error. */
static cp_value *eval(checker *k, const cp_expr *e) { return e ? cp_eval(&k->ctx, e) : NULL; }

static void eval_drop(checker *k, const cp_expr *e) { cp_release(eval(k, e)); }

static void check_variable(checker *k, const cp_config_variable *v)
{
    cp_value *def = eval(k, v->default_expr);
    if (def && v->type && !cp_is_null(def)) {
        char *err = NULL;
        cp_value *conv = cp_type_convert(def, v->type, &err);
        if (!conv && v->sensitive) /* err may quote the value */
            cp_diag_error(k->ctx.diags, v->default_expr->loc,
                          "variable \"%s\": the default does not fit its type (the value of a "
                          "sensitive variable is not shown)",
                          v->name);
        else if (!conv)
            cp_diag_error(k->ctx.diags, v->default_expr->loc,
                          "variable \"%s\": the default does not fit its type: %s", v->name,
                          err ? err : "wrong type");
        free(err);
        cp_release(conv);
    }
    cp_release(def);
    for (size_t i = 0; i < v->nvalidations; i++) {
        eval_drop(k, v->validations[i].condition);
        eval_drop(k, v->validations[i].error_message);
    }
}

static void check_count(checker *k, const cp_config_resource *r)
{
    cp_value *v = eval(k, r->count);
    if (!v || cp_contains_unknown(v)) {
        cp_release(v);
        return;
    }
    cp_value *n = cp_to_number(v); /* "3" counts as 3, as in plan */
    double d = n ? cp_number_val(n) : -1;
    if (d < 0 || d != floor(d)) {
        char *got = cp_value_repr(v); /* "(sensitive value)" when it is one */
        cp_diag_error(k->ctx.diags, r->count->loc,
                      "count of %s must be a whole number >= 0, got %s", r->address, got);
        free(got);
    }
    cp_release(n);
    cp_release(v);
}

static void check_for_each(checker *k, const cp_config_resource *r)
{
    cp_value *v = eval(k, r->for_each);
    if (!v || cp_is_unknown(v)) {
        cp_release(v);
        return;
    }
    bool ok = cp_kind_of(v) == CP_MAP;
    if (cp_kind_of(v) == CP_LIST) {
        ok = true;
        for (size_t i = 0; ok && i < cp_len(v); i++) {
            cp_kind e = cp_kind_of(cp_list_get(v, i));
            ok = e == CP_STRING || e == CP_NUMBER || e == CP_BOOL || e == CP_UNKNOWN;
        }
    }
    if (!ok)
        cp_diag_error(k->ctx.diags, r->for_each->loc,
                      "for_each of %s must be a map or a set of strings, not %s", r->address,
                      cp_kind_article(cp_kind_of(v)));
    cp_release(v);
}

/* The body against its schema; an argument's conversion error ("\"x\" a
 * number is required…") gets the resource's address in front. */
static void check_body(checker *k, const cp_config_resource *r)
{
    cp_diags mine;
    cp_diags_init(&mine);
    cp_eval_ctx ctx = k->ctx;
    ctx.diags = &mine;
    cp_release(cp_config_eval_body(r, &ctx));
    for (size_t i = 0; i < mine.len; i++) {
        const cp_diag *x = &mine.items[i];
        if (x->msg[0] == '"')
            cp_diag_error(k->ctx.diags, x->loc, "%s: %s", r->address, x->msg);
        else
            cp_diag_error(k->ctx.diags, x->loc, "%s", x->msg);
    }
    cp_diags_free(&mine);
}

static void check_resource(checker *k, const cp_config_resource *r)
{
    check_count(k, r);
    check_for_each(k, r);
    if (r->attrs) check_body(k, r); /* an unknown type was reported by the loader */
}

static bool reported_at(const cp_diags *d, cp_loc loc)
{
    for (size_t i = 0; i < d->len; i++) {
        const cp_loc *l = &d->items[i].loc;
        if (d->items[i].severity == CP_DIAG_ERROR && l->file == loc.file && l->line == loc.line &&
            l->col == loc.col)
            return true;
    }
    return false;
}

void cp_config_check_expressions(const cp_config *c, cp_diags *d)
{
    if (c->had_syntax_errors) return; /* parts may be missing: errors would only cascade */
    cp_diags found;
    cp_diags_init(&found);
    checker k = { c, { unknown_lookup, NULL, c->dir, &c->sources, &found } };
    for (size_t i = 0; i < c->nvariables; i++) check_variable(&k, &c->variables[i]);
    for (size_t i = 0; i < c->nlocals; i++) eval_drop(&k, c->locals[i].expr);
    for (size_t i = 0; i < c->nresources; i++) check_resource(&k, &c->resources[i]);
    for (size_t i = 0; i < c->noutputs; i++) eval_drop(&k, c->outputs[i].value);
    eval_drop(&k, c->region);
    for (size_t i = 0; i < found.len; i++) {
        const cp_diag *x = &found.items[i];
        if (x->severity != CP_DIAG_ERROR || reported_at(d, x->loc)) continue;
        cp_diag_error(d, x->loc, "%s", x->msg);
    }
    cp_diags_free(&found);
}
