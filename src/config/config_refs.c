/*
 * config_refs.c: every reference in a stack must name something declared:
 * var.NAME, local.NAME, TYPE.NAME, data.TYPE.NAME, each.key/value (only with
 * for_each, in a resource, module call or import block), count.index (only with count),
 * stack.name/branch/region, path.root/cwd. Each bad reference is reported where it is written, with
 * a "did you mean" among the names that are declared.
 */
#include "config/config_internal.h"
#include "lang/eval.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ref_check {
    const cp_config *c;
    const cp_config_resource *in;      /* the resource being checked, or NULL */
    const cp_config_module *in_module; /* the module call being checked, or NULL */
    const cp_config_import *in_import; /* the import block being checked, or NULL */
    bool in_import_for_each;           /* in the for_each of an import block */
    const char *context;               /* "variable validation" etc., for messages */
    const char *self_var;              /* in a validation: the only var allowed */
    cp_diags *d;
    const char *iters[16]; /* iterator names of the enclosing dynamic blocks */
    size_t niters;
    bool allow_self; /* in a postcondition */
} ref_check;

static bool is_iterator(const ref_check *rc, const char *root)
{
    for (size_t i = rc->niters; i-- > 0;)
        if (!strcmp(rc->iters[i], root)) return true;
    return false;
}

static const char **names_of(const cp_config *c, char kind)
{
    size_t n = kind == 'v' ? c->nvariables : kind == 'l' ? c->nlocals : c->nresources;
    const char **out = cp_xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = kind == 'v'   ? c->variables[i].name
                 : kind == 'l' ? c->locals[i].name
                               : c->resources[i].address;
    return out;
}

/* msg, then "; did you mean X?" when one of the names of this kind ('v'
 * variables, 'l' locals, 'r' resources) is near, else "; " hint. Past the
 * diagnostics' limit the error is only counted: no names are searched, so
 * thousands of bad references cost linear time. */
static void suggest_error(const ref_check *rc, cp_loc loc, const char *msg, const char *hint,
                          const char *name, char kind)
{
    cp_diags *d = rc->d;
    if (cp_diags_full(d)) {
        cp_diag_error(d, loc, "%s", msg);
        return;
    }
    const char **cands = names_of(rc->c, kind);
    const char *s = cp_suggest(name, cands);
    if (s)
        cp_diag_error(d, loc, "%s; did you mean \"%s\"?", msg, s);
    else if (hint)
        cp_diag_error(d, loc, "%s; %s", msg, hint);
    else
        cp_diag_error(d, loc, "%s", msg);
    free(cands);
}

static void check_var(ref_check *rc, const char *const *steps, size_t n, cp_loc loc)
{
    if (n < 2) {
        cp_diag_error(rc->d, loc, "\"var\" needs a name: var.NAME");
        return;
    }
    if (rc->self_var && strcmp(steps[1], rc->self_var)) {
        cp_diag_error(rc->d, loc, "a validation of var.%s can only refer to var.%s", rc->self_var,
                      rc->self_var);
        return;
    }
    if (cp_config_find_variable(rc->c, steps[1])) return;
    char *msg = cp_xasprintf("reference to undeclared variable \"%s\"", steps[1]);
    char *hint = cp_xasprintf("declare it with variable \"%s\" { }", steps[1]);
    suggest_error(rc, loc, msg, hint, steps[1], 'v');
    free(msg);
    free(hint);
}

static void check_local(ref_check *rc, const char *const *steps, size_t n, cp_loc loc)
{
    if (n < 2) {
        cp_diag_error(rc->d, loc, "\"local\" needs a name: local.NAME");
        return;
    }
    if (cp_config_find_local(rc->c, steps[1])) return;
    char *msg = cp_xasprintf("reference to undeclared local value \"%s\"", steps[1]);
    suggest_error(rc, loc, msg, "declare it in a locals block", steps[1], 'l');
    free(msg);
}

static void check_fixed(ref_check *rc, const char *const *steps, size_t n, cp_loc loc,
                        const char *const *allowed, const char *what)
{
    if (n >= 2)
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(*a, steps[1])) return;
    const char *s = n >= 2 ? cp_suggest(steps[1], allowed) : NULL;
    if (s)
        cp_diag_error(rc->d, loc, "%s.%s is not defined; did you mean \"%s\"?", steps[0], steps[1],
                      s);
    else
        cp_diag_error(rc->d, loc, "%s.%s is not defined; %s", steps[0], n >= 2 ? steps[1] : "",
                      what);
}

static void check_meta(ref_check *rc, const char *const *steps, size_t n, cp_loc loc)
{
    static const char *const each[] = { "key", "value", NULL };
    static const char *const count[] = { "index", NULL };
    bool is_each = !strcmp(steps[0], "each");
    if (rc->in_import) {
        if (!is_each)
            cp_diag_error(rc->d, loc,
                          "count.index is not available in an import block; use for_each and "
                          "each.key");
        else if (!rc->in_import->for_each)
            cp_diag_error(rc->d, loc,
                          "each.%s is only available in an import block that sets for_each; add "
                          "for_each = a map, a set or a list to the block",
                          n > 1 ? steps[1] : "…");
        else
            check_fixed(rc, steps, n, loc, each, "use each.key or each.value");
        return;
    }
    if (rc->in_import_for_each) {
        cp_diag_error(rc->d, loc,
                      "%s.%s cannot be used in the for_each of an import block; it is what "
                      "for_each gives to and id",
                      steps[0], n > 1 ? steps[1] : "…");
        return;
    }
    const cp_expr *set = rc->in ? (is_each ? rc->in->for_each : rc->in->count)
                         : rc->in_module
                             ? (is_each ? rc->in_module->for_each : rc->in_module->count)
                             : NULL;
    if (!set) {
        cp_diag_error(rc->d, loc, "%s.%s is only available in a %s that sets %s", steps[0],
                      n > 1 ? steps[1] : "…", rc->in_module ? "module block" : "resource",
                      is_each ? "for_each" : "count");
        return;
    }
    if (is_each)
        check_fixed(rc, steps, n, loc, each, "use each.key or each.value");
    else
        check_fixed(rc, steps, n, loc, count, "use count.index");
}

static void check_resource_ref(ref_check *rc, const char *const *steps, size_t n, cp_loc loc)
{
    bool data = !strcmp(steps[0], "data");
    size_t need = data ? 3 : 2;
    if (n < need) {
        cp_diag_error(rc->d, loc,
                      data ? "data sources are referred to as data.TYPE.NAME"
                           : "unknown name \"%s\"; resources are referred to as TYPE.NAME",
                      steps[0]);
        return;
    }
    char addr[512];
    snprintf(addr, sizeof addr, data ? "data.%s.%s" : "%s.%s", steps[data ? 1 : 0],
             steps[data ? 2 : 1]);
    if (cp__config_index_find(rc->c, addr)) return;
    const cp_schema_lookup *t = rc->c->types;
    bool known_type = t->find(t->ud, steps[data ? 1 : 0], data) != NULL;
    char *msg = known_type ? cp_xasprintf("reference to undeclared %s %s",
                                          data ? "data source" : "resource", addr)
                           : cp_xasprintf("unknown name \"%s\" in %s", steps[0], addr);
    suggest_error(rc, loc, msg, NULL, addr, 'r');
    free(msg);
}

static const char **output_names(const cp_config *c)
{
    const char **names = cp_xcalloc(c->noutputs + 1, sizeof *names);
    for (size_t i = 0; i < c->noutputs; i++) names[i] = c->outputs[i].name;
    return names;
}

static const char **module_names(const cp_config *c)
{
    const char **names = cp_xcalloc(c->nmodules + 1, sizeof *names);
    for (size_t i = 0; i < c->nmodules; i++) names[i] = c->modules[i].name;
    return names;
}

/* module.NAME names a module call; module.NAME.OUTPUT one of its outputs
 * (when the call has no count/for_each: with them, an index comes first). */
static void check_module_ref(ref_check *rc, const char *const *steps, size_t n, cp_loc loc)
{
    if (n < 2) {
        cp_diag_error(rc->d, loc, "\"module\" needs a name: module.NAME.OUTPUT");
        return;
    }
    const cp_config_module *m = cp_config_find_module(rc->c, steps[1]);
    if (!m) {
        const char **names = module_names(rc->c);
        const char *s = cp_suggest(steps[1], names);
        if (s)
            cp_diag_error(rc->d, loc, "reference to undeclared module \"%s\"; did you mean \"%s\"?",
                          steps[1], s);
        else
            cp_diag_error(rc->d, loc,
                          "reference to undeclared module \"%s\"; declare it with module \"%s\" "
                          "{ source = \"./dir\" }",
                          steps[1], steps[1]);
        free(names);
        return;
    }
    if (n < 3 || !m->config || m->count || m->for_each) return;
    if (cp_config_find_output(m->config, steps[2])) return;
    const char **names = output_names(m->config);
    const char *s = cp_suggest(steps[2], names);
    if (s)
        cp_diag_error(rc->d, loc, "module \"%s\" has no output \"%s\"; did you mean \"%s\"?",
                      steps[1], steps[2], s);
    else
        cp_diag_error(rc->d, loc,
                      "module \"%s\" has no output \"%s\"; declare it in %s with output "
                      "\"%s\" { value = … }",
                      steps[1], steps[2], m->source ? m->source : "the module", steps[2]);
    free(names);
}

static void on_ref(void *ud, const char *const *steps, size_t n, cp_loc loc)
{
    static const char *const stack_attrs[] = { "name", "branch", "region", NULL };
    static const char *const path_attrs[] = { "root", "cwd", "module", NULL };
    static const char *const iter_attrs[] = { "key", "value", NULL };
    ref_check *rc = ud;
    const char *root = steps[0];
    if (!strcmp(root, "self") && !rc->self_var) {
        if (!rc->allow_self)
            cp_diag_error(rc->d, loc,
                          "self is only available in a postcondition; refer to the resource by "
                          "its address");
    } else if (is_iterator(rc, root))
        check_fixed(rc, steps, n, loc, iter_attrs, "a dynamic block's iterator has key and value");
    else if (!strcmp(root, "var"))
        check_var(rc, steps, n, loc);
    else if (rc->self_var)
        cp_diag_error(rc->d, loc, "a variable validation can only refer to var.%s", rc->self_var);
    else if (!strcmp(root, "local"))
        check_local(rc, steps, n, loc);
    else if (!strcmp(root, "each") || !strcmp(root, "count"))
        check_meta(rc, steps, n, loc);
    else if (!strcmp(root, "stack"))
        check_fixed(rc, steps, n, loc, stack_attrs, "use stack.name, stack.branch or stack.region");
    else if (!strcmp(root, "path"))
        check_fixed(rc, steps, n, loc, path_attrs, "use path.root or path.cwd");
    else if (!strcmp(root, "module"))
        check_module_ref(rc, steps, n, loc);
    else
        check_resource_ref(rc, steps, n, loc);
}

static void check_body_refs(ref_check *rc, const cp_body *b);

/* for_each in the enclosing scope; the content with the iterator bound. */
static void check_dynamic_refs(ref_check *rc, const cp_block *dyn)
{
    const cp_attr *fe = cp_body_attr(dyn->body, "for_each");
    if (fe) cp_expr_walk_refs(fe->expr, on_ref, rc);
    bool pushed = rc->niters < sizeof rc->iters / sizeof rc->iters[0];
    if (pushed) rc->iters[rc->niters++] = cp__dynamic_iterator(dyn);
    for (size_t i = 0; i < dyn->body->nblocks; i++)
        if (!strcmp(dyn->body->blocks[i]->type, "content"))
            check_body_refs(rc, dyn->body->blocks[i]->body);
    if (pushed) rc->niters--;
}

static void check_body_refs(ref_check *rc, const cp_body *b)
{
    for (size_t i = 0; i < b->nattrs; i++) {
        if (rc->in && !strcmp(b->attrs[i].name, "depends_on")) continue;
        if (rc->in && b == rc->in->body && !strcmp(b->attrs[i].name, "provider")) continue;
        cp_expr_walk_refs(b->attrs[i].expr, on_ref, rc);
    }
    for (size_t i = 0; i < b->nblocks; i++) {
        const cp_block *blk = b->blocks[i];
        if (!strcmp(blk->type, "dynamic"))
            check_dynamic_refs(rc, blk);
        else if (strcmp(blk->type, "lifecycle"))
            check_body_refs(rc, blk->body);
    }
}

static void check_depends_on(ref_check *rc, const cp_config_resource *r)
{
    for (size_t i = 0; i < r->ndepends_on; i++)
        if (!cp__config_index_find(rc->c, r->depends_on[i].address))
            suggest_error(rc, r->depends_on[i].loc, "depends_on names an undeclared resource", NULL,
                          r->depends_on[i].address, 'r');
}

static void check_conditions_refs(ref_check *rc, const cp_config_validation *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cp_expr_walk_refs(v[i].condition, on_ref, rc);
        cp_expr_walk_refs(v[i].error_message, on_ref, rc);
    }
}

/* Lifecycle conditions (self only in postconditions) and the triggers. */
static void check_lifecycle_refs(ref_check *rc, const cp_config_lifecycle *lc)
{
    check_conditions_refs(rc, lc->preconditions, lc->npreconditions);
    rc->allow_self = true;
    check_conditions_refs(rc, lc->postconditions, lc->npostconditions);
    rc->allow_self = false;
    for (size_t i = 0; i < lc->nreplace_triggered_by; i++) {
        const cp_config_trigger *t = &lc->replace_triggered_by[i];
        if (t->index) cp_expr_walk_refs(t->index, on_ref, rc);
        if (!cp__config_index_find(rc->c, t->resource))
            suggest_error(rc, t->loc, "replace_triggered_by names an undeclared resource", NULL,
                          t->resource, 'r');
    }
}

/* A module call's inputs, count and for_each, in the caller's names; its
 * depends_on entries name the caller's resources. */
static void check_module_call(ref_check *rc, const cp_config_module *m)
{
    rc->in_module = m;
    for (size_t i = 0; i < m->body->nattrs; i++) {
        const cp_attr *a = &m->body->attrs[i];
        if (strcmp(a->name, "source") && strcmp(a->name, "depends_on") &&
            strcmp(a->name, "providers") && strcmp(a->name, "version"))
            cp_expr_walk_refs(a->expr, on_ref, rc);
    }
    for (size_t i = 0; i < m->ndepends_on; i++)
        if (!cp__config_index_find(rc->c, m->depends_on[i].address))
            suggest_error(rc, m->depends_on[i].loc, "depends_on names an undeclared resource", NULL,
                          m->depends_on[i].address, 'r');
    rc->in_module = NULL;
}

/* The keys of an import's to (its names are checked against the index). */
static void walk_keys(ref_check *rc, const cp_expr *e)
{
    while (e && (e->kind == CP_E_GETATTR || e->kind == CP_E_INDEX)) {
        if (e->kind == CP_E_INDEX) {
            cp_expr_walk_refs(e->u.index.key, on_ref, rc);
            e = e->u.index.obj;
        } else
            e = e->u.getattr.obj;
    }
}

/* An import's id and the keys of its to, each.* allowed with for_each; its
 * for_each in the stack's names only. */
static void check_import_refs(ref_check *rc, const cp_config_import *im)
{
    rc->in_import_for_each = true;
    if (im->for_each) cp_expr_walk_refs(im->for_each, on_ref, rc);
    rc->in_import_for_each = false;
    rc->in_import = im;
    cp_expr_walk_refs(im->id, on_ref, rc);
    if (im->keyed) walk_keys(rc, im->to_expr);
    rc->in_import = NULL;
}

void cp__config_check_refs(cp_config *c, cp_diags *d)
{
    ref_check rc = { .c = c, .d = d };
    for (size_t i = 0; i < c->nmodules; i++) check_module_call(&rc, &c->modules[i]);
    for (size_t i = 0; i < c->nresources; i++) {
        rc.in = &c->resources[i];
        check_body_refs(&rc, c->resources[i].body);
        check_depends_on(&rc, rc.in);
        check_lifecycle_refs(&rc, &rc.in->lifecycle);
    }
    rc.in = NULL;
    for (size_t i = 0; i < c->nproviders; i++) check_body_refs(&rc, c->providers[i].body);
    for (size_t i = 0; i < c->nchecks; i++)
        check_conditions_refs(&rc, c->checks[i].asserts, c->checks[i].nasserts);
    for (size_t i = 0; i < c->nimports; i++) check_import_refs(&rc, &c->imports[i]);
    for (size_t i = 0; i < c->nlocals; i++) cp_expr_walk_refs(c->locals[i].expr, on_ref, &rc);
    for (size_t i = 0; i < c->noutputs; i++) cp_expr_walk_refs(c->outputs[i].value, on_ref, &rc);
    for (size_t i = 0; i < c->nvariables; i++) {
        const cp_config_variable *v = &c->variables[i];
        rc.self_var = v->name;
        for (size_t j = 0; j < v->nvalidations; j++) {
            cp_expr_walk_refs(v->validations[j].condition, on_ref, &rc);
            cp_expr_walk_refs(v->validations[j].error_message, on_ref, &rc);
        }
    }
}
