/*
 * config_blocks.c: decoding the top-level blocks of a .cp file — stack,
 * variable, locals, resource, data, output — into cp_config entries.
 * Each decoder checks the block's own shape (labels, allowed arguments,
 * duplicates); resource bodies are then checked against provider schemas
 * (config_check.c), and the backend block against the backend types the
 * caller handed to cp_config_load (this file names none).
 */
#include "config/config_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Append a zeroed element; the capacity doubles whenever n reaches a power
 * of two, so 20,000 locals cost 15 reallocs, not 20,000 copies. */
#define APPEND(arr, n)                                                                             \
    (((n) & ((n)-1)) == 0 ? (void)(arr = cp_xrealloc(arr, ((n) ? 2 * (n) : 1) * sizeof *(arr)))    \
                          : (void)0,                                                               \
     memset(&(arr)[n], 0, sizeof *(arr)), &(arr)[(n)++])

const char *cp__expr_static_string(const cp_expr *e)
{
    if (!e) return NULL;
    if (e->kind == CP_E_LITERAL && cp_kind_of(e->u.literal) == CP_STRING)
        return cp_string_val(e->u.literal);
    if (e->kind == CP_E_TEMPLATE && e->u.list.len == 1)
        return cp__expr_static_string(e->u.list.items[0]);
    if (e->kind == CP_E_TEMPLATE && e->u.list.len == 0) return "";
    return NULL;
}

static bool static_bool(const cp_expr *e, bool *out)
{
    if (e && e->kind == CP_E_LITERAL && cp_kind_of(e->u.literal) == CP_BOOL) {
        *out = cp_bool_val(e->u.literal);
        return true;
    }
    return false;
}

/* Checks that every attribute of b is in allowed, and every block type in
 * blocks; reports the others with a suggestion. */
static void check_names(const cp_body *b, const char *what, const char *const *allowed,
                        const char *const *blocks, cp_diags *d)
{
    for (size_t i = 0; i < b->nattrs; i++) {
        const char *n = b->attrs[i].name;
        bool ok = false;
        for (const char *const *a = allowed; a && *a; a++) ok = ok || !strcmp(*a, n);
        if (ok) continue;
        const char *s = cp_suggest(n, allowed);
        cp_diag_error(d, b->attrs[i].name_loc, "unknown argument \"%s\" in %s%s%s%s", n, what,
                      s ? "; did you mean \"" : "", s ? s : "", s ? "\"?" : "");
    }
    for (size_t i = 0; i < b->nblocks; i++) {
        const char *n = b->blocks[i]->type;
        bool ok = false;
        for (const char *const *a = blocks; a && *a; a++) ok = ok || !strcmp(*a, n);
        if (!ok) cp_diag_error(d, b->blocks[i]->type_loc, "unexpected block \"%s\" in %s", n, what);
    }
}

static bool want_labels(const cp_block *b, size_t n, const char *shape, cp_diags *d)
{
    if (b->nlabels == n) return true;
    cp_diag_error(d, b->type_loc, "a %s block takes %zu label%s: %s", b->type, n, n == 1 ? "" : "s",
                  shape);
    return false;
}

static void decode_stack(cp_config *c, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "region", NULL };
    static const char *const blocks[] = { "backend", NULL };
    if (!want_labels(b, 1, "stack \"NAME\" { … }", d)) return;
    if (c->stack_name) {
        cp_diag_error(d, b->type_loc, "duplicate stack block; a stack has exactly one");
        return;
    }
    c->stack_name = b->labels[0];
    check_names(b->body, "the stack block", attrs, blocks, d);
    const cp_attr *region = cp_body_attr(b->body, "region");
    c->region = region ? region->expr : NULL;
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *be = b->body->blocks[i];
        if (strcmp(be->type, "backend") || !want_labels(be, 1, "backend \"NAME\" { … }", d))
            continue;
        if (c->backend.type) {
            cp_diag_error(d, be->type_loc, "duplicate backend block; a stack has at most one");
            continue;
        }
        c->backend.type = be->labels[0];
        c->backend.body = be->body;
        c->backend.loc = be->loc;
        c->backend.label_loc = be->label_locs[0];
    }
}

/* `"local" or "s3"`: the names, quoted, for a message. */
static void quote_names(cp_buf *out, const char *const *names)
{
    for (size_t i = 0; names && names[i]; i++) {
        const char *sep = !i ? "" : names[i + 1] ? ", " : " or ";
        cp_buf_printf(out, "%s\"%s\"", sep, names[i]);
    }
}

static void unknown_backend(const cp_config_backends *bk, const char *name, cp_loc at, cp_diags *d)
{
    const char *const *names = bk ? bk->names : NULL;
    const char *s = names ? cp_suggest(name, names) : NULL;
    if (s) {
        cp_diag_error(d, at, "unknown backend \"%s\"; did you mean \"%s\"?", name, s);
        return;
    }
    cp_buf list;
    cp_buf_init(&list);
    quote_names(&list, names);
    if (list.len)
        cp_diag_error(d, at, "unknown backend \"%s\"; use %s", name, list.data);
    else
        cp_diag_error(d, at, "unknown backend \"%s\"; this cpstack has no backends", name);
    cp_buf_free(&list);
}

void cp__config_check_backend(cp_config *c, const cp_config_backends *backends, cp_diags *d)
{
    if (!c->backend.type) return;
    const char *const *settings =
        backends ? backends->settings(backends->ud, c->backend.type) : NULL;
    if (!settings) {
        unknown_backend(backends, c->backend.type, c->backend.label_loc, d);
        memset(&c->backend, 0, sizeof c->backend);
        return;
    }
    char *what = cp_xasprintf("the backend \"%s\" block", c->backend.type);
    check_names(c->backend.body, what, settings, NULL, d);
    free(what);
}

static void decode_validation(cp_config_variable *v, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "condition", "error_message", NULL };
    check_names(b->body, "a validation block", attrs, NULL, d);
    const cp_attr *cond = cp_body_attr(b->body, "condition");
    const cp_attr *msg = cp_body_attr(b->body, "error_message");
    if (!cond || !msg) {
        cp_diag_error(d, b->type_loc, "a validation block needs both condition and error_message");
        return;
    }
    cp_config_validation *val = APPEND(v->validations, v->nvalidations);
    val->condition = cond->expr;
    val->error_message = msg->expr;
    val->loc = b->loc;
}

static void decode_variable(cp_config *c, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "type",      "default",  "description",
                                         "sensitive", "nullable", NULL };
    static const char *const blocks[] = { "validation", NULL };
    if (!want_labels(b, 1, "variable \"NAME\" { … }", d)) return;
    const cp_config_variable *dup = cp_config_find_variable(c, b->labels[0]);
    if (dup) {
        char *where = cp_loc_string(&c->sources, dup->loc);
        cp_diag_error(d, b->label_locs[0], "duplicate variable \"%s\"; first declared at %s",
                      b->labels[0], where);
        free(where);
        return;
    }
    check_names(b->body, "a variable block", attrs, blocks, d);
    cp_config_variable *v = APPEND(c->variables, c->nvariables);
    v->name = b->labels[0];
    v->loc = b->label_locs[0];
    cp__config_name_add(c, 'v', c->nvariables - 1);
    const cp_attr *a;
    if ((a = cp_body_attr(b->body, "type"))) v->type = cp_type_from_expr(a->expr, d);
    if ((a = cp_body_attr(b->body, "default"))) v->default_expr = a->expr;
    if ((a = cp_body_attr(b->body, "description")))
        v->description = cp__expr_static_string(a->expr);
    if ((a = cp_body_attr(b->body, "sensitive")) && !static_bool(a->expr, &v->sensitive))
        cp_diag_error(d, a->expr->loc, "sensitive must be true or false");
    for (size_t i = 0; i < b->body->nblocks; i++)
        if (!strcmp(b->body->blocks[i]->type, "validation"))
            decode_validation(v, b->body->blocks[i], d);
}

static void decode_locals(cp_config *c, const cp_block *b, cp_diags *d)
{
    if (!want_labels(b, 0, "locals { name = value … }", d)) return;
    for (size_t j = 0; j < b->body->nblocks; j++)
        cp_diag_error(d, b->body->blocks[j]->type_loc,
                      "unexpected block \"%s\" in locals; write name = value",
                      b->body->blocks[j]->type);
    for (size_t j = 0; j < b->body->nattrs; j++) {
        const cp_attr *a = &b->body->attrs[j];
        const cp_config_local *dup = cp_config_find_local(c, a->name);
        if (dup) {
            char *where = cp_loc_string(&c->sources, dup->loc);
            cp_diag_error(d, a->name_loc, "duplicate local \"%s\"; first declared at %s", a->name,
                          where);
            free(where);
            continue;
        }
        cp_config_local *l = APPEND(c->locals, c->nlocals);
        l->name = a->name;
        l->loc = a->name_loc;
        l->expr = a->expr;
        cp__config_name_add(c, 'l', c->nlocals - 1);
    }
}

static void decode_output(cp_config *c, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "value", "description", "sensitive", "depends_on", NULL };
    if (!want_labels(b, 1, "output \"NAME\" { value = … }", d)) return;
    const cp_config_output *dup = cp_config_find_output(c, b->labels[0]);
    if (dup) {
        char *where = cp_loc_string(&c->sources, dup->loc);
        cp_diag_error(d, b->label_locs[0], "duplicate output \"%s\"; first declared at %s",
                      b->labels[0], where);
        free(where);
        return;
    }
    check_names(b->body, "an output block", attrs, NULL, d);
    const cp_attr *value = cp_body_attr(b->body, "value");
    if (!value) {
        cp_diag_error(d, b->type_loc, "output \"%s\" needs a value argument", b->labels[0]);
        return;
    }
    cp_config_output *o = APPEND(c->outputs, c->noutputs);
    o->name = b->labels[0];
    o->loc = b->label_locs[0];
    o->value = value->expr;
    const cp_attr *a;
    if ((a = cp_body_attr(b->body, "description")))
        o->description = cp__expr_static_string(a->expr);
    if ((a = cp_body_attr(b->body, "sensitive")) && !static_bool(a->expr, &o->sensitive))
        cp_diag_error(d, a->expr->loc, "sensitive must be true or false");
}

void cp__config_decode_resource(cp_config *c, const cp_block *b, bool is_data, cp_diags *d);

void cp__config_decode_file(cp_config *c, const cp_file *f, cp_diags *d)
{
    static const char *const kinds[] = { "stack",  "variable", "locals", "resource", "data",
                                         "output", "module",   "check",  "moved",    "removed",
                                         "import", "provider", NULL };
    const cp_body *body = f->body;
    for (size_t i = 0; i < body->nattrs; i++)
        cp_diag_error(d, body->attrs[i].name_loc,
                      "unexpected argument \"%s\" at top level; arguments belong inside a block "
                      "(put it in a locals block, or declare it as a variable)",
                      body->attrs[i].name);
    for (size_t i = 0; i < body->nblocks; i++) {
        const cp_block *b = body->blocks[i];
        if (!strcmp(b->type, "stack") && c->self)
            cp_diag_error(d, b->type_loc,
                          "a stack block in a module (%s); only the root stack has one: "
                          "remove it from the module",
                          c->self->path);
        else if (!strcmp(b->type, "stack"))
            decode_stack(c, b, d);
        else if (!strcmp(b->type, "variable"))
            decode_variable(c, b, d);
        else if (!strcmp(b->type, "locals"))
            decode_locals(c, b, d);
        else if (!strcmp(b->type, "resource"))
            cp__config_decode_resource(c, b, false, d);
        else if (!strcmp(b->type, "data"))
            cp__config_decode_resource(c, b, true, d);
        else if (!strcmp(b->type, "output"))
            decode_output(c, b, d);
        else if (!strcmp(b->type, "module"))
            cp__config_decode_module(c, b, d);
        else if (!strcmp(b->type, "provider"))
            cp__config_decode_provider(c, b, d);
        else if (cp__config_decode_state_block(c, b, d))
            continue;
        else {
            const char *s = cp_suggest(b->type, kinds);
            if (s)
                cp_diag_error(d, b->type_loc, "unknown block type \"%s\"; did you mean \"%s\"?",
                              b->type, s);
            else
                cp_diag_error(d, b->type_loc,
                              "unknown block type \"%s\"; top-level blocks are "
                              "stack, provider, variable, locals, resource, data, output, "
                              "module, check, moved, removed and import",
                              b->type);
        }
    }
}
