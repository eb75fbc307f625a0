/*
 * config_eval.c: evaluating a resource body against its schema into the
 * map a provider sees (see config_eval.h).
 */
#include "config/config_eval.h"
#include "config/config_internal.h"
#include "lang/value_json.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static cp_value *default_value(const cp_schema_attr *s)
{
    if (!s->default_json) return cp_null();
    json_error_t jerr;
    json_t *j = json_loads(s->default_json, JSON_DECODE_ANY, &jerr);
    if (!j) return cp_null();
    cp_value *v = cp_value_from_json(j);
    json_decref(j);
    return v;
}

static cp_value *convert_scalar(const cp_value *v, cp_attr_type t, char **err)
{
    static cp_type str = { CP_TY_STRING, NULL, NULL, NULL, 0 };
    static cp_type num = { CP_TY_NUMBER, NULL, NULL, NULL, 0 };
    static cp_type bol = { CP_TY_BOOL, NULL, NULL, NULL, 0 };
    const cp_type *ty = t == CP_AT_STRING ? &str : t == CP_AT_NUMBER ? &num : &bol;
    return cp_type_convert(v, ty, err);
}

/* Converts v (borrowed) to the schema type; returns a new value or NULL with *err. */
static cp_value *convert(const cp_value *v, const cp_schema_attr *s, char **err)
{
    if (cp_is_null(v) || cp_is_unknown(v)) return cp_retain(v);
    switch (s->type) {
    case CP_AT_STRING:
    case CP_AT_NUMBER:
    case CP_AT_BOOL:
        return convert_scalar(v, s->type, err);
    case CP_AT_LIST:
    case CP_AT_MAP: {
        cp_kind want = s->type == CP_AT_LIST ? CP_LIST : CP_MAP;
        if (cp_kind_of(v) != want) {
            *err = cp_xasprintf("must be a %s, got %s", cp_kind_name(want),
                                cp_kind_name(cp_kind_of(v)));
            return NULL;
        }
        if (s->elem != CP_AT_STRING && s->elem != CP_AT_NUMBER && s->elem != CP_AT_BOOL)
            return cp_retain(v);
        cp_value *out = want == CP_LIST ? cp_list_new() : cp_map_new();
        for (size_t i = 0; i < cp_len(v); i++) {
            const cp_value *e = want == CP_LIST ? cp_list_get(v, i) : cp_map_value_at(v, i);
            cp_value *ce =
                cp_is_null(e) || cp_is_unknown(e) ? cp_retain(e) : convert_scalar(e, s->elem, err);
            if (!ce) {
                cp_release(out);
                return NULL;
            }
            if (want == CP_LIST)
                cp_list_push_take(out, ce);
            else
                cp_map_set_take(out, cp_map_key_at(v, i), ce);
        }
        return cp_mark_like_take(out, v);
    }
    default:
        return cp_retain(v);
    }
}

static cp_value *eval_body(const cp_body *b, const cp_schema_attr *attrs, const cp_eval_ctx *ctx,
                           bool *ok);

/* Written blocks and dynamic ones, in source order; an unknown for_each of
 * a dynamic block makes the whole list unknown. */
static cp_value *eval_blocks(const cp_body *b, const cp_schema_attr *s, const cp_eval_ctx *ctx,
                             bool *ok)
{
    cp_value *list = cp_list_new();
    bool known = true;
    for (size_t i = 0; i < b->nblocks; i++) {
        const cp_block *blk = b->blocks[i];
        if (!strcmp(blk->type, s->name))
            cp_list_push_take(list, eval_body(blk->body, s->block, ctx, ok));
        else if (!strcmp(blk->type, "dynamic") && blk->nlabels == 1 &&
                 !strcmp(blk->labels[0], s->name))
            known = cp__config_eval_dynamic(blk, s, ctx, ok, list) && known;
    }
    if (known) return list;
    cp_release(list);
    return cp_unknown();
}

static cp_value *eval_attr(const cp_attr *a, const cp_schema_attr *s, const cp_eval_ctx *ctx,
                           bool *ok)
{
    cp_value *raw = cp_eval(ctx, a->expr);
    if (!raw) {
        *ok = false;
        return cp_null();
    }
    char *err = NULL;
    cp_value *v = convert(raw, s, &err);
    if (!v) {
        cp_diag_error(ctx->diags, a->expr->loc, "\"%s\" %s", s->name, err);
        free(err);
        *ok = false;
        v = cp_null();
    } else if (s->validate && cp_is_wholly_known(v) && !cp_is_null(v)) {
        const char *msg = s->validate(v);
        if (msg) {
            cp_diag_error(ctx->diags, a->expr->loc, "invalid %s: %s", s->name, msg);
            *ok = false;
        }
    }
    cp_release(raw);
    return v;
}

static cp_value *eval_body(const cp_body *b, const cp_schema_attr *attrs, const cp_eval_ctx *ctx,
                           bool *ok)
{
    cp_value *m = cp_map_new();
    for (const cp_schema_attr *s = attrs; s->name; s++) {
        cp_value *v;
        const cp_attr *a;
        if (s->type == CP_AT_BLOCKS)
            v = eval_blocks(b, s, ctx, ok);
        else if ((a = cp_body_attr(b, s->name)))
            v = eval_attr(a, s, ctx, ok);
        else if (s->flags & (CP_REQUIRED | CP_OPTIONAL))
            v = default_value(s);
        else
            v = cp_null();
        if (s->flags & CP_SENSITIVE && !cp_is_null(v)) {
            cp_value *mv = cp_mark_sensitive(v);
            cp_release(v);
            v = mv;
        }
        cp_map_set_take(m, s->name, v);
    }
    return m;
}

cp_value *cp__config_eval_block_body(const cp_body *b, const cp_schema_attr *attrs,
                                     const cp_eval_ctx *ctx, bool *ok)
{
    return eval_body(b, attrs, ctx, ok);
}

cp_value *cp_config_eval_provider(const cp_config_provider *p, const cp_schema_attr *settings,
                                  const cp_eval_ctx *ctx)
{
    static const cp_schema_attr none[] = { { NULL } };
    bool ok = true;
    cp_value *v = eval_body(p->body, settings ? settings : none, ctx, &ok);
    if (ok) return v;
    cp_release(v);
    return NULL;
}

cp_value *cp_config_eval_body(const cp_config_resource *r, const cp_eval_ctx *ctx)
{
    bool ok = true;
    cp_value *v = eval_body(r->body, r->attrs, ctx, &ok);
    if (ok) return v;
    cp_release(v);
    return NULL;
}
