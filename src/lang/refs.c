/*
 * refs.c: cp_expr_walk_refs, the static references of an expression, for
 * the graph (edges) and for validation (undeclared names).
 *
 * A reference is a root name (CP_E_VAR) followed by its `.name` steps, up
 * to the first index, splat or call: `aws_s3_bucket.logs[0].arn` gives
 * {"aws_s3_bucket", "logs"} and `var.tags["a"]` gives {"var", "tags"}, the
 * same steps cp_eval hands to the lookup function. Names bound by an
 * enclosing `for` (or template %{ for }) are skipped (and shadow outer names of the same root),
 * and so are the items of a splat (`x[*].id` reports x, not the item).
 */
#include "lang/eval.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct scope {
    const char *k, *v;
    const struct scope *next;
} scope;

typedef struct walk {
    cp_ref_fn fn;
    void *ud;
} walk;

static void walk_expr(const walk *w, const scope *sc, const cp_expr *e);

static bool is_bound(const scope *sc, const char *name)
{
    for (; sc; sc = sc->next)
        if ((sc->k && strcmp(sc->k, name) == 0) || (sc->v && strcmp(sc->v, name) == 0)) return true;
    return false;
}

static void walk_list(const walk *w, const scope *sc, const cp_expr_list *l)
{
    for (size_t i = 0; i < l->len; i++) walk_expr(w, sc, l->items[i]);
}

/* A chain of GETATTRs over a VAR: report root + names. Other bottoms are
 * walked as expressions. */
static void walk_traversal(const walk *w, const scope *sc, const cp_expr *e)
{
    size_t n = 1;
    const cp_expr *b = e;
    for (; b->kind == CP_E_GETATTR; b = b->u.getattr.obj) n++;
    if (b->kind != CP_E_VAR) {
        walk_expr(w, sc, b);
        return;
    }
    if (is_bound(sc, b->u.var.name)) return;
    const char **steps = cp_xcalloc(n, sizeof *steps);
    size_t i = n;
    for (const cp_expr *c = e; c->kind == CP_E_GETATTR; c = c->u.getattr.obj)
        steps[--i] = c->u.getattr.name;
    steps[0] = b->u.var.name;
    cp_loc loc = b->loc;
    if (n > 1) { /* from the root to the end of the last name */
        loc.end_line = e->loc.end_line;
        loc.end_col = e->loc.end_col;
        loc.end_offset = e->loc.end_offset;
    }
    w->fn(w->ud, steps, n, loc);
    free(steps);
}

static void walk_for(const walk *w, const scope *sc, const cp_expr *e)
{
    walk_expr(w, sc, e->u.forx.coll);
    scope in = { e->u.forx.key_var, e->u.forx.val_var, sc };
    if (e->u.forx.key) walk_expr(w, &in, e->u.forx.key);
    walk_expr(w, &in, e->u.forx.val);
    if (e->u.forx.cond) walk_expr(w, &in, e->u.forx.cond);
}

static void walk_expr(const walk *w, const scope *sc, const cp_expr *e)
{
    if (!e) return;
    switch (e->kind) {
    case CP_E_LITERAL:
    case CP_E_SPLAT_ITEM:
        break;
    case CP_E_TEMPLATE:
    case CP_E_LIST:
        walk_list(w, sc, &e->u.list);
        break;
    case CP_E_VAR:
    case CP_E_GETATTR:
        walk_traversal(w, sc, e);
        break;
    case CP_E_INDEX:
        walk_expr(w, sc, e->u.index.obj);
        walk_expr(w, sc, e->u.index.key);
        break;
    case CP_E_SPLAT:
        walk_expr(w, sc, e->u.splat.obj);
        walk_expr(w, sc, e->u.splat.each);
        break;
    case CP_E_UNARY:
        walk_expr(w, sc, e->u.unary.a);
        break;
    case CP_E_BINARY:
        walk_expr(w, sc, e->u.binary.a);
        walk_expr(w, sc, e->u.binary.b);
        break;
    case CP_E_COND:
    case CP_E_TMPL_IF:
        walk_expr(w, sc, e->u.cond.pred);
        walk_expr(w, sc, e->u.cond.a);
        walk_expr(w, sc, e->u.cond.b);
        break;
    case CP_E_CALL:
        walk_list(w, sc, &e->u.call.args);
        break;
    case CP_E_OBJECT:
        for (size_t i = 0; i < e->u.object.keys.len; i++) {
            const cp_expr *k = e->u.object.keys.items[i];
            if (k->kind != CP_E_LITERAL) walk_expr(w, sc, k);
            walk_expr(w, sc, e->u.object.vals.items[i]);
        }
        break;
    case CP_E_FOR:
    case CP_E_TMPL_FOR:
        walk_for(w, sc, e);
        break;
    case CP_E_PAREN:
        walk_expr(w, sc, e->u.paren);
        break;
    }
}

void cp_expr_walk_refs(const cp_expr *e, cp_ref_fn fn, void *ud)
{
    walk w = { fn, ud };
    walk_expr(&w, NULL, e);
}
