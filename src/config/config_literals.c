/*
 * config_literals.c: the value rules of the schema lookup (its check hook:
 * a provider's validate_instance, for AWS AWS's input rules) applied at validate time to the values
 * a resource body writes as literals, so `cpstack validate` catches a value AWS would reject
 * without evaluating anything.
 *
 * Invariants: the config handed to the provider holds every schema
 * argument; a literal of the schema's type keeps its value, an absent
 * argument is null, and every other expression is unknown (so its rules
 * pass: plan checks it again once evaluated). Nothing here reports twice
 * what config_check.c reports (type errors make the value unknown).
 */
#include "config/config_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static cp_value *literal_of(const cp_expr *e, cp_attr_type want, cp_attr_type elem);

static cp_value *literal_list(const cp_expr *e, cp_attr_type elem)
{
    cp_value *l = cp_list_new();
    for (size_t i = 0; i < e->u.list.len; i++)
        cp_list_push_take(l, literal_of(e->u.list.items[i], elem, CP_AT_ANY));
    return l;
}

static cp_value *literal_map(const cp_expr *e, cp_attr_type elem)
{
    cp_value *m = cp_map_new();
    for (size_t i = 0; i < e->u.object.keys.len; i++) {
        const char *k = cp__expr_static_string(e->u.object.keys.items[i]);
        if (!k) {
            cp_release(m);
            return cp_unknown();
        }
        cp_map_set_take(m, k, literal_of(e->u.object.vals.items[i], elem, CP_AT_ANY));
    }
    return m;
}

/* The value of a literal expression of the wanted type, else unknown. */
static cp_value *literal_of(const cp_expr *e, cp_attr_type want, cp_attr_type elem)
{
    const char *s = cp__expr_static_string(e);
    if (want == CP_AT_STRING && s) return cp_string(s);
    if (e->kind == CP_E_LITERAL) {
        cp_kind k = cp_kind_of(e->u.literal);
        if ((want == CP_AT_NUMBER && k == CP_NUMBER) || (want == CP_AT_BOOL && k == CP_BOOL))
            return cp_retain(e->u.literal);
    }
    if (want == CP_AT_LIST && e->kind == CP_E_LIST) return literal_list(e, elem);
    if (want == CP_AT_MAP && e->kind == CP_E_OBJECT) return literal_map(e, elem);
    return cp_unknown();
}

static cp_value *literal_body(const cp_body *b, const cp_schema_attr *attrs);

/* A literal the schema's own rule rejects was reported by config_check.c:
 * unknown here, so it is not reported twice. */
static cp_value *unless_reported(const cp_schema_attr *s, cp_value *v)
{
    if (!s->validate || cp_is_null(v) || !cp_is_wholly_known(v) || !s->validate(v)) return v;
    cp_release(v);
    return cp_unknown();
}

static cp_value *literal_blocks(const cp_body *b, const cp_schema_attr *s)
{
    cp_value *l = cp_list_new();
    for (size_t i = 0; i < b->nblocks; i++)
        if (!strcmp(b->blocks[i]->type, s->name))
            cp_list_push_take(l, literal_body(b->blocks[i]->body, s->block));
    return l;
}

static cp_value *literal_body(const cp_body *b, const cp_schema_attr *attrs)
{
    cp_value *m = cp_map_new();
    for (const cp_schema_attr *s = attrs; s->name; s++) {
        const cp_attr *a = cp_body_attr(b, s->name);
        cp_value *v;
        if (s->type == CP_AT_BLOCKS)
            v = literal_blocks(b, s);
        else if (a)
            v = unless_reported(s, literal_of(a->expr, s->type, s->elem));
        else
            v = s->default_json || (s->flags & CP_COMPUTED) ? cp_unknown() : cp_null();
        cp_map_set_take(m, s->name, v);
    }
    return m;
}

void cp__config_check_literal_rules(const cp_config *c, const cp_config_resource *r, cp_diags *d)
{
    if (!r->attrs || !c->types->check) return;
    cp_value *cfg = literal_body(r->body, r->attrs);
    char *where = NULL;
    char *why = c->types->check(c->types->ud, r->type, r->is_data, cfg, &where);
    cp_release(cfg);
    if (!why) return;
    cp_loc at = where ? cp_body_path_loc(r->body, where, r->loc) : r->loc;
    cp_diag_error(d, at, "%s: %s", r->address, why);
    free(where);
    free(why);
}
