/*
 * config_dynamic.c: `dynamic "NAME" { for_each = …  iterator = X  content { … } }`
 * inside resource and data bodies (and inside other dynamic blocks' content).
 *
 * Checking (before evaluation): the label names a nested block of the
 * schema (config_check.c finds it), the dynamic block itself takes only
 * for_each (required), iterator (a bare name) and one content block; the
 * content is checked against the nested block's schema like a written
 * block. Evaluation: for_each (a list, set or map) gives one block per
 * element, its content evaluated with the iterator (default: NAME) bound to
 * { key, value }: the index and element of a list, the key and value of a
 * map. An unknown for_each makes the whole list of blocks unknown (known
 * after apply), as Terraform does. This file touches no state or provider.
 */
#include "config/config_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *cp__dynamic_iterator(const cp_block *dyn)
{
    const cp_attr *it = cp_body_attr(dyn->body, "iterator");
    if (it && it->expr->kind == CP_E_VAR) return it->expr->u.var.name;
    return dyn->nlabels == 1 ? dyn->labels[0] : "";
}

bool cp__config_has_dynamic(const cp_body *b, const char *name)
{
    for (size_t i = 0; i < b->nblocks; i++) {
        const cp_block *blk = b->blocks[i];
        if (!strcmp(blk->type, "dynamic") && blk->nlabels == 1 && !strcmp(blk->labels[0], name))
            return true;
    }
    return false;
}

static void check_dynamic_attrs(const cp_block *dyn, cp_diags *d)
{
    static const char *const allowed[] = { "for_each", "iterator", NULL };
    const char *name = dyn->labels[0];
    for (size_t i = 0; i < dyn->body->nattrs; i++) {
        const cp_attr *a = &dyn->body->attrs[i];
        if (!strcmp(a->name, "for_each")) continue;
        if (!strcmp(a->name, "iterator")) {
            if (a->expr->kind != CP_E_VAR)
                cp_diag_error(d, a->expr->loc,
                              "iterator of dynamic \"%s\" must be a bare name, like iterator = %s",
                              name, name);
            continue;
        }
        if (!strcmp(a->name, "labels")) {
            cp_diag_error(d, a->name_loc,
                          "dynamic \"%s\": labels are not supported here, the %s block takes "
                          "none; remove it",
                          name, name);
            continue;
        }
        const char *s = cp_suggest(a->name, allowed);
        if (s)
            cp_diag_error(d, a->name_loc,
                          "unknown argument \"%s\" in dynamic \"%s\"; did you mean \"%s\"?",
                          a->name, name, s);
        else
            cp_diag_error(d, a->name_loc,
                          "unknown argument \"%s\" in dynamic \"%s\"; the %s block's own "
                          "arguments go in content { … }",
                          a->name, name, name);
    }
    if (!cp_body_attr(dyn->body, "for_each"))
        cp_diag_error(d, dyn->type_loc,
                      "dynamic \"%s\" needs a for_each argument: the list, set or map to make "
                      "one %s block per element of",
                      name, name);
}

void cp__config_check_dynamic(const cp_block *dyn, const cp_schema_attr *s, const char *owner,
                              bool partial, cp_diags *d)
{
    const char *name = dyn->labels[0];
    check_dynamic_attrs(dyn, d);
    size_t ncontent = 0;
    for (size_t i = 0; i < dyn->body->nblocks; i++) {
        const cp_block *blk = dyn->body->blocks[i];
        if (strcmp(blk->type, "content")) {
            cp_diag_error(d, blk->type_loc,
                          "unexpected block \"%s\" in dynamic \"%s\"; write the %s block's "
                          "arguments and blocks inside content { … }",
                          blk->type, name, name);
            continue;
        }
        if (++ncontent > 1) {
            cp_diag_error(d, blk->type_loc, "dynamic \"%s\" takes one content block, not several",
                          name);
            continue;
        }
        if (blk->nlabels) cp_diag_error(d, blk->label_locs[0], "a content block takes no labels");
        char *inner = cp_xasprintf("%s block of %s", name, owner);
        cp__config_check_body(blk->body, s->block, inner, false, blk->type_loc, partial, d);
        free(inner);
    }
    if (!ncontent && !partial)
        cp_diag_error(d, dyn->type_loc,
                      "dynamic \"%s\" needs a content block: content { … } holds the arguments "
                      "of each %s block",
                      name, name);
}

/* --- evaluation --------------------------------------------------------- */

typedef struct iter_scope {
    const cp_eval_ctx *parent;
    const char *name;
    cp_value *iter; /* { key, value } */
} iter_scope;

static cp_value *iter_lookup(void *ud, const char *const *steps, size_t nsteps, size_t *consumed,
                             cp_loc loc, cp_diags *d)
{
    iter_scope *is = ud;
    if (strcmp(steps[0], is->name))
        return is->parent->lookup(is->parent->lookup_ud, steps, nsteps, consumed, loc, d);
    if (nsteps >= 2) {
        const cp_value *v = cp_map_get(is->iter, steps[1]);
        if (!v) {
            cp_diag_error(d, loc, "%s.%s is not defined; use %s.key or %s.value", is->name,
                          steps[1], is->name, is->name);
            return NULL;
        }
        *consumed = 2;
        return cp_retain(v);
    }
    *consumed = 1;
    return cp_retain(is->iter);
}

static const cp_block *content_of(const cp_block *dyn)
{
    for (size_t i = 0; i < dyn->body->nblocks; i++)
        if (!strcmp(dyn->body->blocks[i]->type, "content")) return dyn->body->blocks[i];
    return NULL;
}

static void eval_one(const cp_block *content, const cp_schema_attr *s, const cp_eval_ctx *ctx,
                     const char *name, cp_value *key, const cp_value *val, bool *ok, cp_value *list)
{
    iter_scope is = { ctx, name, cp_map_new() };
    cp_map_set_take(is.iter, "key", key);
    cp_map_set_take(is.iter, "value", cp_retain(val));
    cp_eval_ctx inner = *ctx;
    inner.lookup = iter_lookup;
    inner.lookup_ud = &is;
    cp_list_push_take(list, cp__config_eval_block_body(content->body, s->block, &inner, ok));
    cp_release(is.iter);
}

bool cp__config_eval_dynamic(const cp_block *dyn, const cp_schema_attr *s, const cp_eval_ctx *ctx,
                             bool *ok, cp_value *list)
{
    const cp_attr *fe = cp_body_attr(dyn->body, "for_each");
    const cp_block *content = content_of(dyn);
    if (!fe || !content) return true;
    cp_value *coll = cp_eval(ctx, fe->expr);
    if (!coll) {
        *ok = false;
        return true;
    }
    bool known = !cp_is_unknown(coll);
    cp_kind k = cp_kind_of(coll);
    const char *name = cp__dynamic_iterator(dyn);
    if (known && k == CP_MAP) {
        for (size_t i = 0; i < cp_len(coll); i++)
            eval_one(content, s, ctx, name, cp_string(cp_map_key_at(coll, i)),
                     cp_map_value_at(coll, i), ok, list);
    } else if (known && k == CP_LIST) {
        for (size_t i = 0; i < cp_len(coll); i++)
            eval_one(content, s, ctx, name, cp_number((double)i), cp_list_get(coll, i), ok, list);
    } else if (known) {
        cp_diag_error(ctx->diags, fe->expr->loc,
                      "for_each of dynamic \"%s\" must be a list, set or map, not %s", s->name,
                      cp_kind_name(k));
        *ok = false;
    }
    cp_release(coll);
    return known;
}
