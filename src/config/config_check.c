/*
 * config_check.c: checking a resource body against its type's schema,
 * before anything is evaluated: unknown arguments and blocks (with "did you
 * mean"), missing required arguments, computed-only attributes set by hand,
 * literals of the wrong type, validation rules on literal values, and the
 * block count limits (max_items).
 */
#include "config/config_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const meta_args[] = { "count", "for_each", "depends_on", "provider", NULL };

static bool is_meta(const char *name, bool top)
{
    if (!top) return false;
    for (const char *const *m = meta_args; *m; m++)
        if (!strcmp(*m, name)) return true;
    return false;
}

static const char **schema_names(const cp_schema_attr *attrs, bool blocks)
{
    size_t n = 0;
    for (const cp_schema_attr *a = attrs; a->name; a++) n++;
    const char **names = cp_xcalloc(n + 1, sizeof *names);
    size_t k = 0;
    for (const cp_schema_attr *a = attrs; a->name; a++)
        if ((a->type == CP_AT_BLOCKS) == blocks) names[k++] = a->name;
    return names;
}

static void unknown_name(const char *what, const char *name, cp_loc loc,
                         const cp_schema_attr *attrs, bool blocks, const char *owner, cp_diags *d)
{
    const char **names = schema_names(attrs, blocks);
    const char *s = cp_suggest(name, names);
    if (s)
        cp_diag_error(d, loc, "%s does not take %s \"%s\"; did you mean \"%s\"?", owner, what, name,
                      s);
    else
        cp_diag_error(
            d, loc, "%s does not take %s \"%s\"; 'cpstack schema' lists the arguments of each type",
            owner, what, name);
    free(names);
}

/* The type a literal expression has, or -1 when it is not a literal. */
static int literal_type(const cp_expr *e)
{
    switch (e->kind) {
    case CP_E_LITERAL:
        switch (cp_kind_of(e->u.literal)) {
        case CP_STRING:
            return CP_AT_STRING;
        case CP_NUMBER:
            return CP_AT_NUMBER;
        case CP_BOOL:
            return CP_AT_BOOL;
        default:
            return -1;
        }
    case CP_E_TEMPLATE:
        return CP_AT_STRING;
    case CP_E_LIST:
        return CP_AT_LIST;
    case CP_E_OBJECT:
        return CP_AT_MAP;
    default:
        return -1;
    }
}

static const char *type_word(int t)
{
    switch (t) {
    case CP_AT_STRING:
        return "a string";
    case CP_AT_NUMBER:
        return "a number";
    case CP_AT_BOOL:
        return "a bool";
    case CP_AT_LIST:
        return "a list";
    case CP_AT_MAP:
        return "a map";
    default:
        return "a value";
    }
}

/* Strings convert to numbers and bools (HCL does), so only flag the
 * combinations that can never work. */
static bool literal_fits(int lit, cp_attr_type want)
{
    if (lit < 0 || want == CP_AT_ANY) return true;
    if (lit == (int)want) return true;
    if (lit == CP_AT_STRING) return want == CP_AT_NUMBER || want == CP_AT_BOOL;
    if (lit == CP_AT_NUMBER || lit == CP_AT_BOOL) return want == CP_AT_STRING;
    return false;
}

static void check_literal_rule(const cp_schema_attr *s, const cp_attr *a, cp_diags *d)
{
    if (!s->validate || a->expr->kind != CP_E_LITERAL) {
        const char *str = cp__expr_static_string(a->expr);
        if (!s->validate || !str) return;
        cp_value *v = cp_string(str);
        const char *msg = s->validate(v);
        if (msg) cp_diag_error(d, a->expr->loc, "invalid %s \"%s\": %s", s->name, str, msg);
        cp_release(v);
        return;
    }
    const char *msg = s->validate(a->expr->u.literal);
    if (msg) cp_diag_error(d, a->expr->loc, "invalid %s: %s", s->name, msg);
}

/* A literal string where a number or bool is wanted must convert ("80", "true"). */
static bool string_converts(const cp_expr *e, cp_attr_type want)
{
    const char *str = cp__expr_static_string(e);
    if (!str || (want != CP_AT_NUMBER && want != CP_AT_BOOL)) return true;
    if (want == CP_AT_BOOL) return !strcmp(str, "true") || !strcmp(str, "false");
    char *end;
    strtod(str, &end);
    return *str && !*end;
}

static void check_attr(const cp_schema_attr *s, const cp_attr *a, const char *owner, cp_diags *d)
{
    if (!(s->flags & (CP_REQUIRED | CP_OPTIONAL))) {
        cp_diag_error(d, a->name_loc,
                      "%s: \"%s\" is computed by the provider and cannot be set; remove it", owner,
                      s->name);
        return;
    }
    int lit = literal_type(a->expr);
    if (!literal_fits(lit, s->type)) {
        cp_diag_error(d, a->expr->loc, "%s: \"%s\" must be %s, not %s", owner, s->name,
                      type_word(s->type), type_word(lit));
        return;
    }
    if (!string_converts(a->expr, s->type)) {
        cp_diag_error(d, a->expr->loc, "%s: \"%s\" must be %s; \"%s\" is not one", owner, s->name,
                      type_word(s->type), cp__expr_static_string(a->expr));
        return;
    }
    check_literal_rule(s, a, d);
}

static void check_blocks(const cp_body *b, const cp_schema_attr *s, const char *owner, cp_loc where,
                         bool partial, cp_diags *d)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nblocks; i++) {
        const cp_block *blk = b->blocks[i];
        if (strcmp(blk->type, s->name)) continue;
        if (blk->nlabels)
            cp_diag_error(d, blk->label_locs[0], "a %s block takes no labels", s->name);
        if (++n > (size_t)s->max_items && s->max_items)
            cp_diag_error(d, blk->type_loc, "%s: at most %d \"%s\" block%s allowed", owner,
                          s->max_items, s->name, s->max_items == 1 ? " is" : "s are");
        char *inner = cp_xasprintf("%s block of %s", s->name, owner);
        cp__config_check_body(blk->body, s->block, inner, false, blk->type_loc, partial, d);
        free(inner);
    }
    if (n == 0 && (s->flags & CP_REQUIRED) && !partial && !cp__config_has_dynamic(b, s->name))
        cp_diag_error(d, where, "%s needs a \"%s\" block", owner, s->name);
}

/* A dynamic block names the block type it makes in its one label. */
static bool dynamic_labels(const cp_block *blk, cp_diags *d)
{
    if (blk->nlabels == 1) return true;
    cp_diag_error(d, blk->type_loc,
                  "a dynamic block takes 1 label, the block type it makes: "
                  "dynamic \"NAME\" { for_each = …  content { … } }");
    return false;
}

void cp__config_check_body(const cp_body *b, const cp_schema_attr *attrs, const char *owner,
                           bool top, cp_loc where, bool partial, cp_diags *d)
{
    for (size_t i = 0; i < b->nattrs; i++) {
        const cp_attr *a = &b->attrs[i];
        if (is_meta(a->name, top)) continue;
        const cp_schema_attr *s = cp_schema_find(attrs, a->name);
        if (!s)
            unknown_name("argument", a->name, a->name_loc, attrs, false, owner, d);
        else if (s->type == CP_AT_BLOCKS)
            cp_diag_error(d, a->name_loc, "%s: \"%s\" is a block; write %s { … } without \"=\"",
                          owner, a->name, a->name);
        else
            check_attr(s, a, owner, d);
    }
    for (size_t i = 0; i < b->nblocks; i++) {
        const cp_block *blk = b->blocks[i];
        if (top && !strcmp(blk->type, "lifecycle")) continue;
        bool dyn = !strcmp(blk->type, "dynamic");
        if (dyn && !dynamic_labels(blk, d)) continue;
        const char *bt = dyn ? blk->labels[0] : blk->type;
        cp_loc at = dyn ? blk->label_locs[0] : blk->type_loc;
        const cp_schema_attr *s = cp_schema_find(attrs, bt);
        if (!s)
            unknown_name("block", bt, at, attrs, true, owner, d);
        else if (s->type != CP_AT_BLOCKS)
            cp_diag_error(d, at, "%s: \"%s\" is an argument; write %s = …", owner, bt, bt);
        else if (dyn)
            cp__config_check_dynamic(blk, s, owner, partial, d);
    }
    for (const cp_schema_attr *s = attrs; s->name; s++) {
        if (s->type == CP_AT_BLOCKS) {
            check_blocks(b, s, owner, where, partial, d);
            continue;
        }
        if ((s->flags & CP_REQUIRED) && !partial && !cp_body_attr(b, s->name))
            cp_diag_error(d, where, "%s is missing the required argument \"%s\"", owner, s->name);
    }
}

void cp__config_check_resource(const cp_config *c, const cp_config_resource *r, cp_diags *d)
{
    /* After a syntax error the body may be missing parts: "missing required
     * argument" would only repeat the syntax error, so those are skipped. */
    cp__config_check_body(r->body, r->attrs, r->address, true, r->loc, c->had_syntax_errors, d);
    if (!c->had_syntax_errors) cp__config_check_literal_rules(c, r, d);
}
