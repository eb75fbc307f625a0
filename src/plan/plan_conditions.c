/*
 * plan_conditions.c: a resource's lifecycle conditions and
 * replace_triggered_by at plan time, and the stack's check blocks (plan and
 * apply both run them: checks.h).
 *
 * A precondition is checked before the instance is diffed, a postcondition
 * on its planned value (self); either one false stops the plan at its
 * condition, either one unknown waits for apply (apply/ checks again). A
 * trigger fires when what it names changes in this plan: any create,
 * update or replace of the resource (or of the instance its index names),
 * or for an attribute, a new value or one known only after apply (a
 * replace that keeps the attribute's value does not fire it). Check
 * asserts never stop anything: a false one is a warning.
 */
#include "plan/checks.h"
#include "config/config_eval.h"
#include "plan/plan_blocks.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool conditions(const cp_config_validation *v, size_t n, const char *what,
                       const cp_eval_ctx *ctx, const cp_value *self, const char *address,
                       cp_diags *d)
{
    if (!n) return true;
    char *msg = NULL;
    cp_loc at;
    if (cp_config_eval_conditions(v, n, ctx, self, &msg, &at) >= 0) return true;
    if (msg) cp_diag_error(d, at, "%s: %s failed: %s", address, what, msg);
    free(msg);
    return false;
}

bool cp__plan_preconditions(const cp_config_resource *r, const cp_eval_ctx *ctx,
                            const char *address, cp_diags *d)
{
    const cp_config_lifecycle *lc = &r->lifecycle;
    return conditions(lc->preconditions, lc->npreconditions, "precondition", ctx, NULL, address, d);
}

bool cp__plan_postconditions(const cp_config_resource *r, const cp_eval_ctx *ctx,
                             const cp_value *self, const char *address, cp_diags *d)
{
    const cp_config_lifecycle *lc = &r->lifecycle;
    return conditions(lc->postconditions, lc->npostconditions, "postcondition", ctx, self, address,
                      d);
}

/* --- replace_triggered_by -------------------------------------------------- */

static bool attr_changes(const cp_change *c, const char *attr)
{
    if (c->action == CP_ACTION_CREATE) return true;
    if (c->action != CP_ACTION_UPDATE && c->action != CP_ACTION_REPLACE) return false;
    const cp_value *b =
        c->before && cp_kind_of(c->before) == CP_MAP ? cp_map_get(c->before, attr) : NULL;
    const cp_value *a =
        c->after && cp_kind_of(c->after) == CP_MAP ? cp_map_get(c->after, attr) : NULL;
    if (!a || !b) return a != b;
    return cp_contains_unknown(a) || !cp_equal(a, b);
}

static bool fires(const cp_change *c, const char *attr)
{
    if (c->deposed || c->forget) return false;
    if (attr) return attr_changes(c, attr);
    return c->action == CP_ACTION_CREATE || c->action == CP_ACTION_UPDATE ||
           c->action == CP_ACTION_REPLACE;
}

/* The instance address the trigger's index names ("type.name[0]"), or
 * NULL (no index, or it cannot be told). */
static char *indexed(const cp_config_trigger *t, const cp_eval_ctx *ctx)
{
    if (!t->index) return NULL;
    cp_value *k = cp_eval(ctx, t->index);
    char *out = NULL;
    if (k && cp_kind_of(k) == CP_NUMBER && cp_number_val(k) == floor(cp_number_val(k)))
        out = cp_xasprintf("%s[%.0f]", t->resource, cp_number_val(k));
    else if (k && cp_kind_of(k) == CP_STRING)
        out = cp_xasprintf("%s[\"%s\"]", t->resource, cp_string_val(k));
    cp_release(k);
    return out;
}

static bool of_resource(const cp_change *c, const char *res)
{
    size_t n = strlen(res);
    return !strncmp(c->address, res, n) && (c->address[n] == '\0' || c->address[n] == '[');
}

static char *trigger_text(const cp_config_trigger *t, const char *inst)
{
    const char *base = inst ? inst : t->resource;
    return t->attr ? cp_xasprintf("%s.%s", base, t->attr) : cp_xstrdup(base);
}

char *cp__plan_triggered(const cp_config_resource *r, const cp_eval_ctx *ctx, const cp_plan *p)
{
    const cp_config_lifecycle *lc = &r->lifecycle;
    for (size_t i = 0; i < lc->nreplace_triggered_by; i++) {
        const cp_config_trigger *t = &lc->replace_triggered_by[i];
        char *inst = indexed(t, ctx);
        for (size_t k = 0; k < p->nchanges; k++) {
            const cp_change *c = &p->changes[k];
            bool match = inst ? !strcmp(c->address, inst) : of_resource(c, t->resource);
            if (match && fires(c, t->attr)) {
                char *s = trigger_text(t, inst);
                free(inst);
                return s;
            }
        }
        free(inst);
    }
    return NULL;
}

/* --- check blocks ------------------------------------------------------------ */

void cp_plan_checks(const cp_config *c, const cp_eval_ctx *ctx, cp_diags *d)
{
    for (size_t i = 0; i < c->nchecks; i++) {
        const cp_config_check *ck = &c->checks[i];
        cp_diags local;
        cp_diags_init(&local);
        cp_eval_ctx in = *ctx;
        in.diags = &local;
        char *msg = NULL;
        cp_loc at;
        for (size_t k = 0; k < ck->nasserts; k++) {
            if (cp_config_eval_conditions(&ck->asserts[k], 1, &in, NULL, &msg, &at) >= 0) continue;
            if (msg)
                cp_diag_warning(d, at, "check \"%s\" failed: %s", ck->name, msg);
            else
                cp_diag_warning(d, at, "check \"%s\" could not be evaluated: %s", ck->name,
                                local.len ? local.items[local.len - 1].msg : "no reason");
            free(msg);
            msg = NULL;
        }
        cp_diags_free(&local);
    }
}
