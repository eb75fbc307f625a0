/*
 * config_resource.c: decoding `resource "TYPE" "NAME" { … }` and
 * `data "TYPE" "NAME" { … }` blocks: the type's schema from the loader's
 * lookup (c->types), the meta-arguments (count, for_each, depends_on,
 * lifecycle) and then the schema check of the arguments (config_check.c).
 */
#include "config/config_internal.h"
#include "lang/suggest.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

char *cp__expr_address(const cp_expr *e)
{
    const char *steps[4];
    size_t n = 0;
    while (e && e->kind == CP_E_GETATTR && n < 3) {
        steps[n++] = e->u.getattr.name;
        e = e->u.getattr.obj;
    }
    if (!e || e->kind != CP_E_VAR) return NULL;
    steps[n++] = e->u.var.name;
    bool data = !strcmp(steps[n - 1], "data");
    if (n != (data ? 3u : 2u)) return NULL;
    return data ? cp_xasprintf("data.%s.%s", steps[1], steps[0])
                : cp_xasprintf("%s.%s", steps[1], steps[0]);
}

typedef struct name_list {
    const char **names; /* NULL-terminated once built */
    size_t n, cap;
} name_list;

static void add_name(void *arg, const char *name)
{
    name_list *l = arg;
    CP_GROW(l->names, l->n + 1, l->cap);
    l->names[l->n++] = name;
}

/* The names of every resource type (or data source), for suggestions. */
static const char **type_names(const cp_schema_lookup *t, bool is_data)
{
    name_list l = { 0 };
    t->each(t->ud, is_data, add_name, &l);
    add_name(&l, NULL);
    return l.names;
}

static void unknown_type(const cp_config *c, const cp_block *b, bool is_data, cp_diags *d)
{
    const char **names = type_names(c->types, is_data);
    const char *s = cp_suggest(b->labels[0], names);
    const char *what = is_data ? "data source" : "resource";
    if (s)
        cp_diag_error(d, b->label_locs[0], "unknown %s type \"%s\"; did you mean \"%s\"?", what,
                      b->labels[0], s);
    else
        cp_diag_error(d, b->label_locs[0],
                      "unknown %s type \"%s\"; run 'cpstack schema' for the list", what,
                      b->labels[0]);
    free(names);
}

void cp__config_decode_depends_on(const cp_attr *a, cp_config_ref **refs, size_t *n, cp_diags *d)
{
    if (a->expr->kind != CP_E_LIST) {
        cp_diag_error(d, a->expr->loc,
                      "depends_on takes a list of resources, e.g. [aws_iam_role.x]");
        return;
    }
    for (size_t i = 0; i < a->expr->u.list.len; i++) {
        const cp_expr *e = a->expr->u.list.items[i];
        char *addr = cp__expr_address(e);
        if (!addr) {
            cp_diag_error(d, e->loc,
                          "depends_on entries must name a resource, like aws_s3_bucket.logs");
            continue;
        }
        *refs = cp_xrealloc(*refs, (*n + 1) * sizeof **refs);
        (*refs)[(*n)++] = (cp_config_ref){ addr, e->loc };
    }
}

static void decode_ignore_changes(cp_config_lifecycle *lc, const cp_expr *e, cp_diags *d)
{
    if (e->kind == CP_E_VAR && !strcmp(e->u.var.name, "all")) {
        lc->ignore_all_changes = true;
        return;
    }
    if (e->kind != CP_E_LIST) {
        cp_diag_error(d, e->loc, "ignore_changes takes a list of argument names, or all");
        return;
    }
    for (size_t i = 0; i < e->u.list.len; i++) {
        const cp_expr *it = e->u.list.items[i];
        const char *name = it->kind == CP_E_VAR ? it->u.var.name : cp__expr_static_string(it);
        if (!name) {
            cp_diag_error(d, it->loc, "ignore_changes entries are argument names, like tags");
            continue;
        }
        lc->ignore_changes =
            cp_xrealloc(lc->ignore_changes, (lc->nignore_changes + 1) * sizeof(char *));
        lc->ignore_changes[lc->nignore_changes++] = (char *)name;
    }
}

static void lifecycle_bool(const cp_body *b, const char *name, bool *out, cp_diags *d)
{
    const cp_attr *a = cp_body_attr(b, name);
    if (!a) return;
    if (a->expr->kind == CP_E_LITERAL && cp_kind_of(a->expr->u.literal) == CP_BOOL)
        *out = cp_bool_val(a->expr->u.literal);
    else
        cp_diag_error(d, a->expr->loc, "%s must be true or false (a literal, not an expression)",
                      name);
}

static void decode_lifecycle(cp_config_resource *r, const cp_block *b, cp_diags *d)
{
    static const char *const names[] = { "create_before_destroy", "prevent_destroy",
                                         "ignore_changes", "replace_triggered_by", NULL };
    for (size_t i = 0; i < b->body->nattrs; i++) {
        const char *n = b->body->attrs[i].name;
        if (strcmp(n, names[0]) && strcmp(n, names[1]) && strcmp(n, names[2]) &&
            strcmp(n, names[3])) {
            const char *s = cp_suggest(n, names);
            cp_diag_error(d, b->body->attrs[i].name_loc, "unknown lifecycle setting \"%s\"%s%s%s",
                          n, s ? "; did you mean \"" : "", s ? s : "", s ? "\"?" : "");
        }
    }
    lifecycle_bool(b->body, "create_before_destroy", &r->lifecycle.create_before_destroy, d);
    lifecycle_bool(b->body, "prevent_destroy", &r->lifecycle.prevent_destroy, d);
    const cp_attr *ic = cp_body_attr(b->body, "ignore_changes");
    if (ic) decode_ignore_changes(&r->lifecycle, ic->expr, d);
    cp__config_decode_lifecycle_more(&r->lifecycle, b, d);
}

static void decode_meta(cp_config_resource *r, const cp_block *b, cp_diags *d)
{
    const cp_attr *a;
    r->count = (a = cp_body_attr(b->body, "count")) ? a->expr : NULL;
    r->for_each = (a = cp_body_attr(b->body, "for_each")) ? a->expr : NULL;
    if (r->count && r->for_each)
        cp_diag_error(d, r->for_each->loc, "%s sets both count and for_each; use one of them",
                      r->address);
    if ((a = cp_body_attr(b->body, "depends_on")))
        cp__config_decode_depends_on(a, &r->depends_on, &r->ndepends_on, d);
    for (size_t i = 0; i < b->body->nblocks; i++)
        if (!strcmp(b->body->blocks[i]->type, "lifecycle"))
            decode_lifecycle(r, b->body->blocks[i], d);
}

void cp__config_decode_resource(cp_config *c, const cp_block *b, bool is_data, cp_diags *d);

void cp__config_decode_resource(cp_config *c, const cp_block *b, bool is_data, cp_diags *d)
{
    if (b->nlabels != 2) {
        cp_diag_error(d, b->type_loc, "a %s block takes 2 labels: %s \"TYPE\" \"NAME\" { … }",
                      b->type, b->type);
        return;
    }
    const cp_schema_attr *attrs = c->types->find(c->types->ud, b->labels[0], is_data);
    if (!attrs) unknown_type(c, b, is_data, d);
    c->resources = cp_xrealloc(c->resources, (c->nresources + 1) * sizeof *c->resources);
    cp_config_resource *r = &c->resources[c->nresources++];
    memset(r, 0, sizeof *r);
    r->is_data = is_data;
    r->type = b->labels[0];
    r->name = b->labels[1];
    r->address = is_data ? cp_xasprintf("data.%s.%s", r->type, r->name)
                         : cp_xasprintf("%s.%s", r->type, r->name);
    r->loc = b->label_locs[1];
    r->attrs = attrs;
    r->body = b->body;
    decode_meta(r, b, d);
    if (attrs) cp__config_check_resource(c, r, d);
}
