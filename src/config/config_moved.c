/*
 * config_moved.c: the top-level blocks that are about state rather than
 * about what to build — `moved { from, to }`, `removed { from, lifecycle {
 * destroy } }`, `import { for_each, to, id }` — and `check "NAME" { assert { … } }`.
 *
 * Decoding keeps addresses in the canonical text form state uses
 * ("type.name", "type.name[0]", "type.name[\"k\"]"): plan parses them.
 * Checks that need the resource index (a moved `from` or a removed
 * resource still declared, an import into nothing declared) run after it
 * is built (cp__config_check_state_blocks). An import's for_each, and keys
 * of its to that are expressions, are evaluated by the planner
 * (cp_config_import_target); nothing else here evaluates or touches state.
 */
#include "config/config_internal.h"
#include "config/config_eval.h"
#include "lang/suggest.h"
#include "addrs/address.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PUSH(arr, n) (arr = cp_xrealloc(arr, ((n) + 1) * sizeof *(arr)), &(arr)[(n)++])

/* How traversal_text writes an index key k into out; false: e is not an
 * address. */
typedef bool (*key_text_fn)(void *ud, const cp_expr *k, cp_buf *out);

/* A literal key: a string or a whole number. */
static bool static_key(void *ud, const cp_expr *k, cp_buf *out)
{
    (void)ud;
    const char *str = cp__expr_static_string(k);
    if (str && !strpbrk(str, "\"\\")) {
        cp_buf_printf(out, "[\"%s\"]", str);
        return true;
    }
    if (k->kind != CP_E_LITERAL || cp_kind_of(k->u.literal) != CP_NUMBER) return false;
    double n = cp_number_val(k->u.literal);
    if (n < 0 || n != floor(n) || n >= 1e15) return false;
    cp_buf_printf(out, "[%.0f]", n);
    return true;
}

/* The traversal e as text ("module.m[\"k\"].aws_x.y[0]"), or false when it
 * is not one: names, attributes and index keys written by kf. */
static bool traversal_text(const cp_expr *e, cp_buf *out, key_text_fn kf, void *ud)
{
    if (!e) return false;
    if (e->kind == CP_E_VAR) {
        cp_buf_adds(out, e->u.var.name);
        return true;
    }
    if (e->kind == CP_E_GETATTR) {
        if (!traversal_text(e->u.getattr.obj, out, kf, ud)) return false;
        cp_buf_printf(out, ".%s", e->u.getattr.name);
        return true;
    }
    if (e->kind != CP_E_INDEX || !traversal_text(e->u.index.obj, out, kf, ud)) return false;
    return kf(ud, e->u.index.key, out);
}

/* The managed instance or module path text names (malloc'd), or NULL. */
static char *canonical_address(const char *text)
{
    char *out = NULL;
    cp_addr a;
    if (!*text) return NULL;
    if (cp_addr_parse(text, &a, NULL)) {
        if (a.mode == CP_MODE_MANAGED) out = cp_addr_str(&a);
        cp_addr_clear(&a);
    } else if (cp_addr_parse_module(text, &out, NULL)) {
        /* a whole module call or instance: "module.a", "module.a[0]" */
    }
    return out;
}

char *cp__expr_instance_address(const cp_expr *e)
{
    cp_buf b = { 0 };
    char *out = traversal_text(e, &b, static_key, NULL) && b.len ? canonical_address(b.data) : NULL;
    cp_buf_free(&b);
    return out;
}

/* A literal key as itself, any other expression as [0] (*ud set): the
 * shape of a keyed import's to. */
static bool shape_key(void *ud, const cp_expr *k, cp_buf *out)
{
    if (static_key(NULL, k, out)) return true;
    *(bool *)ud = true;
    cp_buf_adds(out, "[0]");
    return true;
}

/* A key evaluated in the context ud. */
static bool eval_key(void *ud, const cp_expr *k, cp_buf *out)
{
    const cp_eval_ctx *ctx = ud;
    cp_value *v = cp_eval(ctx, k);
    if (!v) return false;
    bool ok = false;
    if (cp_is_unknown(v) || cp_contains_unknown(v))
        cp_diag_error(ctx->diags, k->loc,
                      "import: this key of to is known only after apply; use a value known at "
                      "plan time (each.key, each.value, a literal, a variable or a local)");
    else if (cp_kind_of(v) == CP_STRING) {
        cp_buf_addc(out, '[');
        cp_buf_add_quoted(out, cp_string_val(v), strlen(cp_string_val(v)), CP_QUOTE_JSON);
        cp_buf_addc(out, ']');
        ok = true;
    } else if (cp_kind_of(v) == CP_NUMBER && cp_number_val(v) >= 0 &&
               cp_number_val(v) == floor(cp_number_val(v)) && cp_number_val(v) < 1e15) {
        cp_buf_printf(out, "[%.0f]", cp_number_val(v));
        ok = true;
    } else
        cp_diag_error(ctx->diags, k->loc,
                      "import: a key of to must be a string or a whole number >= 0, not %s",
                      cp_kind_article(cp_kind_of(v)));
    cp_release(v);
    return ok;
}

char *cp_config_import_target(const cp_config_import *im, const cp_eval_ctx *ctx)
{
    cp_buf b = { 0 };
    char *out = NULL;
    if (traversal_text(im->to_expr, &b, eval_key, (void *)ctx)) {
        cp_addr a;
        char *err = NULL;
        if (cp_addr_parse(b.data, &a, &err)) {
            out = cp_addr_str(&a);
            cp_addr_clear(&a);
        } else
            cp_diag_error(ctx->diags, im->to_loc, "import: %s", err);
        free(err);
    }
    cp_buf_free(&b);
    return out;
}

/* Allowed names of a block's body; others are reported with a suggestion. */
static void only(const cp_body *b, const char *what, const char *const *attrs,
                 const char *const *blocks, cp_diags *d)
{
    for (size_t i = 0; i < b->nattrs; i++) {
        const char *n = b->attrs[i].name;
        bool ok = false;
        for (const char *const *a = attrs; *a; a++) ok = ok || !strcmp(*a, n);
        if (ok) continue;
        const char *s = cp_suggest(n, attrs);
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

static bool no_labels(const cp_block *b, cp_diags *d)
{
    if (!b->nlabels) return true;
    cp_diag_error(d, b->label_locs[0], "a %s block takes no labels: %s { … }", b->type, b->type);
    return false;
}

/* The address in argument `name` of b (malloc'd), or NULL after an error. */
static char *address_arg(const cp_block *b, const char *name, cp_loc *loc, cp_diags *d)
{
    const cp_attr *a = cp_body_attr(b->body, name);
    if (!a) {
        cp_diag_error(d, b->type_loc, "a %s block needs %s = a resource address, like %s", b->type,
                      name, "aws_s3_bucket.logs");
        return NULL;
    }
    *loc = a->expr->loc;
    char *addr = cp__expr_instance_address(a->expr);
    if (!addr)
        cp_diag_error(d, a->expr->loc,
                      "%s of %s %s block must be a managed resource or one of its instances, "
                      "written without quotes: aws_s3_bucket.logs, aws_s3_bucket.logs[0], "
                      "aws_s3_bucket.logs[\"key\"] or module.NAME.aws_s3_bucket.logs",
                      name, strchr("aeiou", b->type[0]) ? "an" : "a", b->type);
    return addr;
}

static void decode_moved(cp_config *c, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "from", "to", NULL };
    if (!no_labels(b, d)) return;
    only(b->body, "a moved block", attrs, NULL, d);
    cp_loc fl = b->loc, tl = b->loc;
    char *from = address_arg(b, "from", &fl, d), *to = address_arg(b, "to", &tl, d);
    if (!from || !to) {
        free(from);
        free(to);
        return;
    }
    cp_config_moved *m = PUSH(c->moved, c->nmoved);
    *m = (cp_config_moved){ from, to, b->type_loc, fl, tl };
}

static void decode_removed(cp_config *c, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "from", NULL };
    static const char *const blocks[] = { "lifecycle", NULL };
    static const char *const lc_attrs[] = { "destroy", NULL };
    if (!no_labels(b, d)) return;
    only(b->body, "a removed block", attrs, blocks, d);
    cp_loc fl = b->loc;
    char *from = address_arg(b, "from", &fl, d);
    if (!from) return;
    cp_config_removed *r = PUSH(c->removed, c->nremoved);
    *r = (cp_config_removed){ from, b->type_loc, fl, true };
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *lc = b->body->blocks[i];
        if (strcmp(lc->type, "lifecycle")) continue;
        only(lc->body, "the lifecycle block of a removed block", lc_attrs, NULL, d);
        const cp_attr *a = cp_body_attr(lc->body, "destroy");
        if (!a) continue;
        if (a->expr->kind == CP_E_LITERAL && cp_kind_of(a->expr->u.literal) == CP_BOOL)
            r->destroy = cp_bool_val(a->expr->u.literal);
        else
            cp_diag_error(d, a->expr->loc, "destroy must be true or false (a literal)");
    }
}

/* A keyed import's to, from its shape (shape_key's text, "" when to is
 * not a traversal): the resource's address without keys, or NULL after an
 * error. */
static char *keyed_resource(const cp_attr *to, const char *shape, cp_diags *d)
{
    char *out = NULL;
    cp_addr a;
    if (*shape && cp_addr_parse(shape, &a, NULL)) {
        if (a.mode == CP_MODE_MANAGED) out = cp_addr_config_str(&a);
        cp_addr_clear(&a);
    }
    if (!out)
        cp_diag_error(d, to->expr->loc,
                      "to of an import block must be a managed resource instance, written "
                      "without quotes: aws_s3_bucket.logs, aws_s3_bucket.logs[each.key] or "
                      "module.NAME[each.key].aws_s3_bucket.logs");
    return out;
}

static void decode_import(cp_config *c, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "to", "id", "for_each", "provider", NULL };
    if (!no_labels(b, d)) return;
    only(b->body, "an import block", attrs, NULL, d);
    const cp_attr *id = cp_body_attr(b->body, "id");
    const cp_attr *fe = cp_body_attr(b->body, "for_each");
    const cp_attr *toa = cp_body_attr(b->body, "to");
    if (!id)
        cp_diag_error(d, b->type_loc,
                      "an import block needs id = the object's id in its provider, like "
                      "id = \"my-bucket\"");
    cp_loc tl = b->loc;
    char *to = NULL;
    bool dynamic = false;
    if (toa && toa->expr->kind != CP_E_VAR && toa->expr->kind != CP_E_GETATTR &&
        toa->expr->kind != CP_E_INDEX)
        toa = NULL; /* not a traversal: address_arg says how to write one */
    /* a key that is an expression (each.key, var.k) is evaluated at plan */
    cp_buf shape = { 0 };
    if (toa && !traversal_text(toa->expr, &shape, shape_key, &dynamic)) shape.len = 0;
    if (toa && (fe || dynamic)) {
        tl = toa->expr->loc;
        to = keyed_resource(toa, shape.len ? shape.data : "", d);
    } else
        to = address_arg(b, "to", &tl, d);
    cp_buf_free(&shape);
    if (!to || !id) {
        free(to);
        return;
    }
    cp_config_import *im = PUSH(c->imports, c->nimports);
    const cp_attr *pa = cp_body_attr(b->body, "provider");
    *im = (cp_config_import){ to,
                              id->expr,
                              b->type_loc,
                              tl,
                              fe ? fe->expr : NULL,
                              toa ? toa->expr : NULL,
                              pa ? pa->expr : NULL,
                              fe || dynamic };
}

static void decode_assert(cp_config_check *ck, const cp_block *b, cp_diags *d)
{
    static const char *const attrs[] = { "condition", "error_message", NULL };
    only(b->body, "an assert block", attrs, NULL, d);
    const cp_attr *cond = cp_body_attr(b->body, "condition");
    const cp_attr *msg = cp_body_attr(b->body, "error_message");
    if (!cond || !msg) {
        cp_diag_error(d, b->type_loc, "an assert block needs both condition and error_message");
        return;
    }
    cp_config_validation *v = PUSH(ck->asserts, ck->nasserts);
    *v = (cp_config_validation){ cond->expr, msg->expr, cond->expr->loc };
}

static void decode_check(cp_config *c, const cp_block *b, cp_diags *d)
{
    static const char *const none[] = { NULL };
    static const char *const blocks[] = { "assert", NULL };
    if (b->nlabels != 1) {
        cp_diag_error(d, b->type_loc,
                      "a check block takes 1 label: check \"NAME\" { assert { … } }");
        return;
    }
    for (size_t i = 0; i < c->nchecks; i++)
        if (!strcmp(c->checks[i].name, b->labels[0])) {
            cp_diag_error(d, b->label_locs[0], "duplicate check \"%s\"", b->labels[0]);
            return;
        }
    for (size_t i = 0; i < b->body->nblocks; i++)
        if (!strcmp(b->body->blocks[i]->type, "data"))
            cp_diag_error(d, b->body->blocks[i]->type_loc,
                          "a data block inside a check block is not supported; declare the data "
                          "source at top level and refer to it from the assert");
    only(b->body, "a check block", none, blocks, d);
    cp_config_check *ck = PUSH(c->checks, c->nchecks);
    *ck = (cp_config_check){ b->labels[0], b->label_locs[0], NULL, 0 };
    size_t n = 0;
    for (size_t i = 0; i < b->body->nblocks; i++)
        if (!strcmp(b->body->blocks[i]->type, "assert")) {
            decode_assert(ck, b->body->blocks[i], d);
            n++;
        }
    if (!n && !c->had_syntax_errors)
        cp_diag_error(d, b->type_loc,
                      "check \"%s\" needs at least one assert { condition, "
                      "error_message } block",
                      b->labels[0]);
}

bool cp__config_decode_state_block(cp_config *c, const cp_block *b, cp_diags *d)
{
    if (!strcmp(b->type, "moved"))
        decode_moved(c, b, d);
    else if (!strcmp(b->type, "removed"))
        decode_removed(c, b, d);
    else if (!strcmp(b->type, "import"))
        decode_import(c, b, d);
    else if (!strcmp(b->type, "check"))
        decode_check(c, b, d);
    else
        return false;
    return true;
}

/* --- checks that need the resource index ------------------------------- */

/* The config address of an address's resource ("module.m.type.name":
 * module and instance keys dropped; malloc'd), or of a module path alone
 * ("module.m"). */
static char *resource_part(const char *addr)
{
    cp_addr a;
    if (!cp_addr_parse(addr, &a, NULL)) return cp_addr_module_strip_keys(addr);
    char *out = cp_addr_config_str(&a);
    cp_addr_clear(&a);
    return out;
}

/* The resource type of an address, "module" for a module path (malloc'd). */
static char *type_part(const char *addr)
{
    cp_addr a;
    if (!cp_addr_parse(addr, &a, NULL)) return cp_xstrdup("module");
    char *out = cp_xstrdup(a.type);
    cp_addr_clear(&a);
    return out;
}

/* True if addr names a resource or module call as a whole: no instance key
 * at its end (module.a[0].aws_x.y names a resource; aws_x.y[0] does not). */
static bool names_whole(const char *addr)
{
    size_t n = strlen(addr);
    return n && addr[n - 1] != ']';
}

static void still_declared(const cp_config *c, const char *res, cp_loc at, const char *fmt,
                           cp_diags *d)
{
    const cp_config_resource *r = cp__config_index_find(c, res);
    if (!r) return;
    char *where = cp_loc_string(&c->sources, r->loc);
    cp_diag_error(d, at, fmt, res, where);
    free(where);
}

static void check_moved(const cp_config *c, const cp_config_moved *m, cp_diags *d)
{
    char *tf = type_part(m->from), *tt = type_part(m->to);
    if (!strcmp(m->from, m->to))
        cp_diag_error(d, m->to_loc, "moved: from and to are the same address, %s; remove the block",
                      m->from);
    else if (strcmp(tf, tt))
        cp_diag_error(d, m->to_loc,
                      "moved: %s and %s are different resource types; an object can only move "
                      "to an address of its own type (%s)",
                      m->from, m->to, tf);
    else if (names_whole(m->from) && !strchr(m->from, '['))
        still_declared(c, m->from, m->from_loc,
                       "moved: %s is still declared at %s; remove its resource block (the moved "
                       "block says it is now elsewhere)",
                       d);
    for (size_t i = 0; c->moved + i < m; i++)
        if (!strcmp(c->moved[i].from, m->from))
            cp_diag_error(d, m->from_loc, "moved: %s is moved twice; keep one moved block for it",
                          m->from);
    free(tf);
    free(tt);
}

static void check_import(const cp_config *c, const cp_config_import *im, cp_diags *d)
{
    char *res = im->keyed ? cp_xstrdup(im->to) : resource_part(im->to);
    const cp_config_resource *r = cp__config_index_find(c, res);
    if (!r)
        cp_diag_error(d, im->to_loc,
                      "import: %s is not declared; add a resource block for it, so that the "
                      "imported object is managed",
                      res);
    else if (im->provider)
        cp__config_check_import_provider(c, im->provider, r, d);
    for (size_t i = 0; c->imports + i < im; i++)
        if (!im->keyed && !c->imports[i].keyed && !strcmp(c->imports[i].to, im->to))
            cp_diag_error(d, im->to_loc, "import: %s is imported twice; keep one import block",
                          im->to);
    free(res);
}

void cp__config_check_state_blocks(const cp_config *c, cp_diags *d)
{
    for (size_t i = 0; i < c->nmoved; i++) check_moved(c, &c->moved[i], d);
    for (size_t i = 0; i < c->nremoved; i++) {
        char *res = resource_part(c->removed[i].from);
        still_declared(c, res, c->removed[i].from_loc,
                       "removed: %s is still declared at %s; remove its resource block too", d);
        free(res);
    }
    if (c->self)
        for (size_t i = 0; i < c->nimports; i++)
            cp_diag_error(d, c->imports[i].loc,
                          "import blocks belong in the root stack, not in a module; move it there "
                          "and write to = module.NAME.TYPE.NAME");
}

void cp__config_check_imports(const cp_config *c, cp_diags *d)
{
    for (size_t i = 0; i < c->nimports; i++) check_import(c, &c->imports[i], d);
}

void cp__config_free_state_blocks(cp_config *c)
{
    for (size_t i = 0; i < c->nchecks; i++) free(c->checks[i].asserts);
    free(c->checks);
    for (size_t i = 0; i < c->nmoved; i++) {
        free(c->moved[i].from);
        free(c->moved[i].to);
    }
    free(c->moved);
    for (size_t i = 0; i < c->nremoved; i++) free(c->removed[i].from);
    free(c->removed);
    for (size_t i = 0; i < c->nimports; i++) free(c->imports[i].to);
    free(c->imports);
}
