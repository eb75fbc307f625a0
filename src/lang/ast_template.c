/*
 * ast_template.c: templates in the syntax tree. The parser hands over a
 * template as a flat chain of parts (text literals, ${ } expressions and
 * directive markers, see grammar/parser.y); this file nests the directives
 * into CP_E_TMPL_IF and CP_E_TMPL_FOR nodes and reports the unbalanced
 * ones: an %{ endif } or %{ endfor } that closes nothing or the wrong
 * thing, a second %{ else }, an %{ else } in a %{ for }, and a directive
 * left open at the end of the template.
 *
 * It only builds nodes (through ast.c's constructors) and reports
 * diagnostics. The nesting uses an explicit stack, never recursion, so any
 * depth of directives is safe here; cp_ast_root bounds the depth later.
 * Strip markers (~) are already applied to the text by the lexer.
 */
#include <stdlib.h>

#include "lang/ast_build.h"
#include "util/xalloc.h"

typedef struct cp_tdir {
    cp_tdir_kind kind;
    cp_loc loc; /* from "%{" to "}" */
    cp_expr *e;
    const char *k, *v;
} cp_tdir;

/* An open %{ if } or %{ for } (open NULL: the template itself). */
typedef struct tframe {
    const cp_tdir *open;
    const cp_tdir *els;   /* its %{ else }, once seen */
    cp_chain body, other; /* parts before and after the %{ else } */
} tframe;

typedef struct nester {
    cp_parser *ps;
    tframe *st;
    size_t n, cap;
    bool bad;
} nester;

void cp_ast_tmpl_text(cp_parser *ps, cp_chain *parts, cp_loc loc, cp_tok text)
{
    cp_chain_add(ps, parts, cp_ast_string(ps, loc, text.s, text.n), NULL, loc);
}

void cp_ast_tmpl_expr(cp_parser *ps, cp_chain *parts, cp_expr *e)
{
    cp_chain_add(ps, parts, e, NULL, e->loc);
}

void cp_ast_tmpl_dir(cp_parser *ps, cp_chain *parts, cp_tdir_kind kind, cp_loc open, cp_loc close,
                     cp_expr *e, const char *k, const char *v)
{
    cp_tdir *d = cp_arena_alloc(ps->arena, sizeof *d);
    d->kind = kind;
    d->loc = open;
    d->loc.end_line = close.end_line;
    d->loc.end_col = close.end_col;
    d->loc.end_offset = close.end_offset;
    d->e = e;
    d->k = k;
    d->v = v;
    cp_chain_add(ps, parts, NULL, d, d->loc);
}

/* Reports "<before><where the open directive is><after>" at at. */
static void nest_error(nester *w, cp_loc at, const char *before, const cp_tdir *open,
                       const char *after)
{
    char *where = open ? cp_loc_string(w->ps->srcs, open->loc) : NULL;
    cp_diag_error(w->ps->diags, at, "%s%s%s", before, where ? where : "", after);
    free(where);
    w->bad = true;
}

static tframe *top(nester *w) { return &w->st[w->n - 1]; }

static cp_chain *current(tframe *f) { return f->els ? &f->other : &f->body; }

/* A directive's body: a template node, rendered as a string even when it
 * is one ${ } alone. */
static cp_expr *body_node(cp_parser *ps, cp_chain *c, cp_loc loc)
{
    cp_expr *e = cp_ast_new_node(ps, CP_E_TEMPLATE, loc);
    e->u.list = cp_ast_list_take(ps, c);
    return e;
}

/* Closes the top frame with d (an %{ endif } or %{ endfor } that matches). */
static void close_top(nester *w, const cp_tdir *d)
{
    tframe f = *top(w);
    w->n--;
    cp_loc loc = f.open->loc;
    loc.end_line = d->loc.end_line;
    loc.end_col = d->loc.end_col;
    loc.end_offset = d->loc.end_offset;
    bool is_if = f.open->kind == CP_TD_IF;
    cp_expr *e = cp_ast_new_node(w->ps, is_if ? CP_E_TMPL_IF : CP_E_TMPL_FOR, loc);
    if (is_if) {
        e->u.cond.pred = f.open->e;
        e->u.cond.a = body_node(w->ps, &f.body, f.open->loc);
        e->u.cond.b = f.els ? body_node(w->ps, &f.other, f.els->loc) : NULL;
    } else {
        e->u.forx.key_var = f.open->k;
        e->u.forx.val_var = f.open->v;
        e->u.forx.coll = f.open->e;
        e->u.forx.val = body_node(w->ps, &f.body, f.open->loc);
    }
    cp_chain_add(w->ps, current(top(w)), e, NULL, loc);
}

static void on_else(nester *w, const cp_tdir *d)
{
    tframe *f = top(w);
    if (!f->open)
        nest_error(w, d->loc,
                   "%{ else } without an open %{ if }; add the %{ if COND } it belongs to", NULL,
                   "");
    else if (f->open->kind == CP_TD_FOR)
        nest_error(w, d->loc, "%{ else } inside the %{ for } at ", f->open,
                   "; only %{ if } takes an %{ else }");
    else if (f->els)
        nest_error(w, d->loc, "a second %{ else } for the %{ if } at ", f->open,
                   "; an %{ if } takes one %{ else } (nest another %{ if } inside it)");
    else
        f->els = d;
}

static void on_end(nester *w, const cp_tdir *d)
{
    bool endif = d->kind == CP_TD_ENDIF;
    const cp_tdir *open = top(w)->open;
    if (open && (open->kind == CP_TD_IF) == endif) {
        close_top(w, d);
        return;
    }
    if (!open && endif)
        nest_error(w, d->loc,
                   "%{ endif } without an open %{ if }; remove it or add the "
                   "%{ if COND } it closes",
                   NULL, "");
    else if (!open)
        nest_error(w, d->loc,
                   "%{ endfor } without an open %{ for }; remove it or add the "
                   "%{ for NAME in LIST } it closes",
                   NULL, "");
    else {
        nest_error(w, d->loc,
                   endif ? "%{ endif } cannot close the %{ for } at "
                         : "%{ endfor } cannot close the %{ if } at ",
                   open,
                   endif ? "; close that one with %{ endfor } first"
                         : "; close that one with %{ endif } first");
        /* Taken as closing it all the same: one error, not a second one
         * about the directive left open. */
        cp_ast_chain_free(w->ps, &top(w)->body);
        cp_ast_chain_free(w->ps, &top(w)->other);
        w->n--;
    }
}

static void on_part(nester *w, const cp_link *l)
{
    const cp_tdir *d = l->b;
    if (!d) {
        cp_chain_add(w->ps, current(top(w)), l->a, NULL, l->loc);
        return;
    }
    switch (d->kind) {
    case CP_TD_IF:
    case CP_TD_FOR:
        CP_GROW(w->st, w->n + 1, w->cap);
        w->st[w->n++] = (tframe){ .open = d };
        break;
    case CP_TD_ELSE:
        on_else(w, d);
        break;
    case CP_TD_ENDIF:
    case CP_TD_ENDFOR:
        on_end(w, d);
        break;
    }
}

/* Nests the directives of parts (consumed) into the root chain *out;
 * false after reporting an error. */
static bool nest(cp_parser *ps, cp_chain *parts, cp_loc end, cp_chain *out)
{
    nester w = { ps, NULL, 0, 0, false };
    CP_GROW(w.st, 1, w.cap);
    w.st[w.n++] = (tframe){ 0 };
    for (const cp_link *l = parts->head; l; l = l->next) on_part(&w, l);
    cp_ast_chain_free(ps, parts);
    for (size_t i = w.n; i-- > 1;) {
        bool is_if = w.st[i].open->kind == CP_TD_IF;
        nest_error(&w, end,
                   is_if ? "missing %{ endif } for the %{ if } at "
                         : "missing %{ endfor } for the %{ for } at ",
                   w.st[i].open, "");
    }
    for (size_t i = 1; i < w.n; i++) {
        cp_ast_chain_free(ps, &w.st[i].body);
        cp_ast_chain_free(ps, &w.st[i].other);
    }
    *out = w.st[0].body;
    free(w.st);
    return !w.bad;
}

static bool has_directive(const cp_chain *parts)
{
    for (const cp_link *l = parts->head; l; l = l->next)
        if (l->b) return true;
    return false;
}

cp_expr *cp_ast_template(cp_parser *ps, cp_loc loc, cp_chain *parts, cp_loc end)
{
    cp_chain root = *parts;
    *parts = (cp_chain){ 0 };
    if (has_directive(&root) && !nest(ps, &root, end, &root)) {
        cp_ast_chain_free(ps, &root);
        return cp_ast_string(ps, loc, "", 0);
    }
    if (root.len == 0) return cp_ast_string(ps, loc, "", 0);
    cp_expr *first = root.head->a;
    if (root.len == 1 && first->kind == CP_E_LITERAL) {
        first->loc = loc;
        cp_ast_chain_free(ps, &root);
        return first;
    }
    cp_expr *e = cp_ast_new_node(ps, CP_E_TEMPLATE, loc);
    e->u.list = cp_ast_list_take(ps, &root);
    return e;
}
