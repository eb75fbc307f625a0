/*
 * ast.c: the arena that owns a parse, and the node constructors called by
 * grammar/parser.y's actions (declared in ast_build.h).
 *
 * The arena is a bump allocator over zeroed chunks (growing from 4 KiB to
 * 4 MiB), so a 300,000-line file costs a few dozen mallocs and a one-line
 * expression (a -var value, a template, a fuzz input) zeroes little; literal
 * values created during the parse are kept in a list and released when the
 * arena is freed. Constructors do the small rewrites the grammar leaves:
 * `true`/`false`/`null` names become literals, splats absorb the traversals
 * that follow them, plain templates collapse to one string literal, object
 * keys that are bare names become strings, and duplicate attributes in one
 * body are reported.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ast.h"
#include "lang/ast_build.h"
#include "util/xalloc.h"

/* ---- arena -------------------------------------------------------------- */

typedef struct cp_chunk {
    struct cp_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} cp_chunk;

struct cp_arena {
    cp_chunk *head;
    size_t next_cap;
    cp_value **vals;
    size_t nvals, capvals;
};

enum { ARENA_FIRST = 4 * 1024, ARENA_MAX = 4 * 1024 * 1024 };

cp_arena *cp_arena_new(void)
{
    cp_arena *a = cp_xcalloc(1, sizeof *a);
    a->next_cap = ARENA_FIRST;
    return a;
}

void cp_arena_free(cp_arena *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->nvals; i++) cp_release(a->vals[i]);
    free(a->vals);
    for (cp_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *cp_arena_alloc(cp_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7; /* 8: enough for pointers and doubles */
    cp_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = a->next_cap;
        if (a->next_cap < ARENA_MAX) a->next_cap *= 2;
        if (cap < n) cap = n;
        c = cp_xcalloc(1, sizeof *c + cap);
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *cp_arena_strndup(cp_arena *a, const char *s, size_t n)
{
    char *p = cp_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    return p;
}

cp_value *cp_arena_keep_value(cp_arena *a, cp_value *v)
{
    CP_GROW(a->vals, a->nvals + 1, a->capvals);
    a->vals[a->nvals++] = v;
    return v;
}

/* ---- helpers ------------------------------------------------------------ */

/* Bytes a node of this kind needs: the common head plus its own union
 * member only (a reference like a.b.c is three small nodes, and big stacks
 * have millions of them). Nodes never change kind after creation. */
#define NODE_SIZE(member) (offsetof(cp_expr, u) + sizeof(((cp_expr *)0)->u.member))

static size_t node_size(cp_expr_kind kind)
{
    switch (kind) {
    case CP_E_LITERAL:
        return NODE_SIZE(literal);
    case CP_E_TEMPLATE:
    case CP_E_LIST:
        return NODE_SIZE(list);
    case CP_E_TMPL_IF:
        return NODE_SIZE(cond);
    case CP_E_TMPL_FOR:
        return NODE_SIZE(forx);
    case CP_E_VAR:
        return NODE_SIZE(var);
    case CP_E_GETATTR:
        return NODE_SIZE(getattr);
    case CP_E_INDEX:
        return NODE_SIZE(index);
    case CP_E_SPLAT:
        return NODE_SIZE(splat);
    case CP_E_SPLAT_ITEM:
        return offsetof(cp_expr, u);
    case CP_E_UNARY:
        return NODE_SIZE(unary);
    case CP_E_BINARY:
        return NODE_SIZE(binary);
    case CP_E_COND:
        return NODE_SIZE(cond);
    case CP_E_CALL:
        return NODE_SIZE(call);
    case CP_E_OBJECT:
        return NODE_SIZE(object);
    case CP_E_FOR:
        return NODE_SIZE(forx);
    case CP_E_PAREN:
        return NODE_SIZE(paren);
    }
    return sizeof(cp_expr);
}

static cp_expr *node(cp_parser *ps, cp_expr_kind kind, cp_loc loc)
{
    cp_expr *e = cp_arena_alloc(ps->arena, node_size(kind));
    ps->nodes++;
    e->kind = kind;
    e->loc = loc;
    return e;
}

static cp_expr *literal(cp_parser *ps, cp_loc loc, cp_value *v)
{
    cp_expr *e = node(ps, CP_E_LITERAL, loc);
    e->u.literal = cp_arena_keep_value(ps->arena, v);
    return e;
}

static cp_loc span(cp_loc a, cp_loc b)
{
    a.end_line = b.end_line;
    a.end_col = b.end_col;
    a.end_offset = b.end_offset;
    return a;
}

/* Chain links and attributes under construction are dead once copied into
 * their final arrays: they are recycled through free lists, which keeps a
 * big file's arena to the size of its tree. */
static void *pool_get(void **freelist, cp_arena *a, size_t size)
{
    void *p = *freelist;
    if (!p) return cp_arena_alloc(a, size);
    *freelist = *(void **)p;
    memset(p, 0, size);
    return p;
}

static void pool_put(void **freelist, void *p)
{
    *(void **)p = *freelist;
    *freelist = p;
}

static void chain_recycle(cp_parser *ps, cp_chain *c)
{
    for (cp_link *l = c ? c->head : NULL, *next; l; l = next) {
        next = l->next;
        pool_put(&ps->free_links, l);
    }
    if (c) *c = (cp_chain){ 0 };
}

void cp_chain_add(cp_parser *ps, cp_chain *c, void *a, void *b, cp_loc loc)
{
    cp_link *l = pool_get(&ps->free_links, ps->arena, sizeof *l);
    l->a = a;
    l->b = b;
    l->loc = loc;
    if (c->tail)
        c->tail->next = l;
    else
        c->head = l;
    c->tail = l;
    c->len++;
}

static cp_expr_list to_list(cp_parser *ps, const cp_chain *c, bool second)
{
    cp_expr_list out = { NULL, 0 };
    if (!c || !c->len) return out;
    out.items = cp_arena_alloc(ps->arena, c->len * sizeof *out.items);
    for (cp_link *l = c->head; l; l = l->next) out.items[out.len++] = second ? l->b : l->a;
    return out;
}

/* ---- expressions -------------------------------------------------------- */

cp_expr *cp_ast_number(cp_parser *ps, cp_loc loc, double n)
{
    return literal(ps, loc, cp_number(n));
}

cp_expr *cp_ast_name(cp_parser *ps, cp_loc loc, cp_tok name)
{
    if (strcmp(name.s, "true") == 0) return literal(ps, loc, cp_bool(true));
    if (strcmp(name.s, "false") == 0) return literal(ps, loc, cp_bool(false));
    if (strcmp(name.s, "null") == 0) return literal(ps, loc, cp_null());
    cp_expr *e = node(ps, CP_E_VAR, loc);
    e->u.var.name = name.s;
    return e;
}

/* Shared with ast_template.c. */
cp_expr *cp_ast_new_node(cp_parser *ps, cp_expr_kind kind, cp_loc loc)
{
    return node(ps, kind, loc);
}

cp_expr *cp_ast_string(cp_parser *ps, cp_loc loc, const char *s, size_t n)
{
    return literal(ps, loc, cp_string_n(s, n));
}

cp_expr_list cp_ast_list_take(cp_parser *ps, cp_chain *c)
{
    cp_expr_list l = to_list(ps, c, false);
    chain_recycle(ps, c);
    return l;
}

void cp_ast_chain_free(cp_parser *ps, cp_chain *c) { chain_recycle(ps, c); }

cp_expr *cp_ast_unary(cp_parser *ps, cp_loc loc, cp_op op, cp_expr *a)
{
    cp_expr *e = node(ps, CP_E_UNARY, loc);
    e->u.unary.op = op;
    e->u.unary.a = a;
    return e;
}

cp_expr *cp_ast_binary(cp_parser *ps, cp_loc loc, cp_op op, cp_expr *a, cp_expr *b)
{
    cp_expr *e = node(ps, CP_E_BINARY, loc);
    e->u.binary.op = op;
    e->u.binary.a = a;
    e->u.binary.b = b;
    return e;
}

cp_expr *cp_ast_cond(cp_parser *ps, cp_loc loc, cp_expr *p, cp_expr *a, cp_expr *b)
{
    cp_expr *e = node(ps, CP_E_COND, loc);
    e->u.cond.pred = p;
    e->u.cond.a = a;
    e->u.cond.b = b;
    return e;
}

cp_expr *cp_ast_call(cp_parser *ps, cp_loc loc, cp_tok name, cp_loc name_loc, cp_chain *args,
                     int expand)
{
    cp_expr *e = node(ps, CP_E_CALL, loc);
    e->u.call.name = name.s;
    e->u.call.name_loc = name_loc;
    e->u.call.args = to_list(ps, args, false);
    chain_recycle(ps, args);
    e->u.call.expand_last = expand;
    return e;
}

cp_expr *cp_ast_list(cp_parser *ps, cp_loc loc, cp_chain *items)
{
    cp_expr *e = node(ps, CP_E_LIST, loc);
    e->u.list = to_list(ps, items, false);
    chain_recycle(ps, items);
    return e;
}

cp_expr *cp_ast_object(cp_parser *ps, cp_loc loc, cp_chain *items)
{
    cp_expr *e = node(ps, CP_E_OBJECT, loc);
    e->u.object.keys = to_list(ps, items, false);
    e->u.object.vals = to_list(ps, items, true);
    chain_recycle(ps, items);
    for (size_t i = 0; i < e->u.object.keys.len; i++) {
        cp_expr *k = e->u.object.keys.items[i];
        if (k->kind == CP_E_VAR)
            e->u.object.keys.items[i] = literal(ps, k->loc, cp_string(k->u.var.name));
    }
    return e;
}

cp_expr *cp_ast_for(cp_parser *ps, cp_loc loc, const cp_forhead *h, cp_expr *key, cp_expr *val,
                    int group, cp_expr *cond)
{
    cp_expr *e = node(ps, CP_E_FOR, loc);
    e->u.forx.key_var = h->k.s;
    e->u.forx.val_var = h->v.s;
    e->u.forx.coll = h->coll;
    e->u.forx.key = key;
    e->u.forx.val = val;
    e->u.forx.cond = cond;
    e->u.forx.is_map = key != NULL;
    e->u.forx.group = group;
    return e;
}

cp_expr *cp_ast_paren(cp_parser *ps, cp_loc loc, cp_expr *a)
{
    cp_expr *e = node(ps, CP_E_PAREN, loc);
    e->u.paren = a;
    return e;
}

/* ---- traversals ----------------------------------------------------------- */

static cp_expr *getattr(cp_parser *ps, cp_loc loc, cp_expr *obj, cp_tok name, cp_loc name_loc)
{
    cp_expr *e = node(ps, CP_E_GETATTR, loc);
    e->u.getattr.obj = obj;
    e->u.getattr.name = name.s;
    e->u.getattr.name_loc = name_loc;
    return e;
}

static cp_expr *index_of(cp_parser *ps, cp_loc loc, cp_expr *obj, cp_expr *key)
{
    cp_expr *e = node(ps, CP_E_INDEX, loc);
    e->u.index.obj = obj;
    e->u.index.key = key;
    return e;
}

cp_post cp_ast_post_attr(cp_parser *ps, cp_loc loc, cp_post p, cp_tok name, cp_loc name_loc)
{
    if (p.splat) {
        cp_expr *each = p.e->u.splat.each;
        p.e->u.splat.each = getattr(ps, span(each->loc, loc), each, name, name_loc);
        p.e->loc = span(p.e->loc, loc);
        return p;
    }
    return (cp_post){ getattr(ps, loc, p.e, name, name_loc), 0 };
}

cp_post cp_ast_post_index(cp_parser *ps, cp_loc loc, cp_post p, cp_expr *key)
{
    if (p.splat == '*') {
        cp_expr *each = p.e->u.splat.each;
        p.e->u.splat.each = index_of(ps, span(each->loc, loc), each, key);
        p.e->loc = span(p.e->loc, loc);
        return p;
    }
    return (cp_post){ index_of(ps, loc, p.e, key), 0 };
}

cp_post cp_ast_post_splat(cp_parser *ps, cp_loc loc, cp_post p, int kind)
{
    cp_expr *e = node(ps, CP_E_SPLAT, loc);
    e->u.splat.obj = p.e;
    e->u.splat.each = node(ps, CP_E_SPLAT_ITEM, loc);
    return (cp_post){ e, kind };
}

/* ---- nesting depth ---------------------------------------------------------- */

/* An explicit stack of (node, depth): the check itself must not recurse. */
typedef struct depth_walk {
    struct {
        const cp_expr *e;
        uint32_t depth;
    } * items;
    size_t len, cap;
} depth_walk;

static void depth_push(depth_walk *w, const cp_expr *e, uint32_t depth)
{
    if (!e) return;
    CP_GROW(w->items, w->len + 1, w->cap);
    w->items[w->len].e = e;
    w->items[w->len].depth = depth;
    w->len++;
}

static void depth_push_list(depth_walk *w, const cp_expr_list *l, uint32_t depth)
{
    for (size_t i = 0; i < l->len; i++) depth_push(w, l->items[i], depth);
}

static void depth_push_children(depth_walk *w, const cp_expr *e, uint32_t d)
{
    switch (e->kind) {
    case CP_E_LITERAL:
    case CP_E_VAR:
    case CP_E_SPLAT_ITEM:
        break;
    case CP_E_TEMPLATE:
    case CP_E_LIST:
        depth_push_list(w, &e->u.list, d);
        break;
    case CP_E_GETATTR:
        depth_push(w, e->u.getattr.obj, d);
        break;
    case CP_E_INDEX:
        depth_push(w, e->u.index.obj, d);
        depth_push(w, e->u.index.key, d);
        break;
    case CP_E_SPLAT:
        depth_push(w, e->u.splat.obj, d);
        depth_push(w, e->u.splat.each, d);
        break;
    case CP_E_UNARY:
        depth_push(w, e->u.unary.a, d);
        break;
    case CP_E_BINARY:
        depth_push(w, e->u.binary.a, d);
        depth_push(w, e->u.binary.b, d);
        break;
    case CP_E_COND:
    case CP_E_TMPL_IF:
        depth_push(w, e->u.cond.pred, d);
        depth_push(w, e->u.cond.a, d);
        depth_push(w, e->u.cond.b, d);
        break;
    case CP_E_CALL:
        depth_push_list(w, &e->u.call.args, d);
        break;
    case CP_E_OBJECT:
        depth_push_list(w, &e->u.object.keys, d);
        depth_push_list(w, &e->u.object.vals, d);
        break;
    case CP_E_FOR:
    case CP_E_TMPL_FOR:
        depth_push(w, e->u.forx.coll, d);
        depth_push(w, e->u.forx.key, d);
        depth_push(w, e->u.forx.val, d);
        depth_push(w, e->u.forx.cond, d);
        break;
    case CP_E_PAREN:
        depth_push(w, e->u.paren, d);
        break;
    }
}

/* Children are pushed in source order; reversed, the leftmost is visited
 * first, so `1 + 1 + …` is reported where it begins. */
static void depth_reverse_from(depth_walk *w, size_t from)
{
    for (size_t i = from, j = w->len; i + 1 < j; i++, j--) {
        const cp_expr *e = w->items[i].e;
        uint32_t d = w->items[i].depth;
        w->items[i] = w->items[j - 1];
        w->items[j - 1].e = e;
        w->items[j - 1].depth = d;
    }
}

/* The first node (leftmost) deeper than CP_MAX_NESTING, or NULL. */
static const cp_expr *too_deep(const cp_expr *root)
{
    depth_walk w = { 0 };
    const cp_expr *found = NULL;
    depth_push(&w, root, 1);
    while (w.len && !found) {
        w.len--;
        const cp_expr *e = w.items[w.len].e;
        uint32_t d = w.items[w.len].depth;
        if (d > CP_MAX_NESTING)
            found = e;
        else {
            size_t from = w.len;
            depth_push_children(&w, e, d + 1);
            depth_reverse_from(&w, from);
        }
    }
    free(w.items);
    return found;
}

cp_expr *cp_ast_root(cp_parser *ps, cp_expr *e)
{
    size_t made = ps->nodes - ps->nodes_checked;
    ps->nodes_checked = ps->nodes;
    if (!e || made <= CP_MAX_NESTING) return e; /* too few nodes to be too deep */
    const cp_expr *deep = too_deep(e);
    if (!deep) return e;
    cp_diag_error(ps->diags, deep->loc,
                  "expression nested too deeply (more than %d levels); split it with locals",
                  CP_MAX_NESTING);
    return literal(ps, e->loc, cp_null());
}

/* ---- bodies --------------------------------------------------------------- */

cp_attr *cp_ast_attr(cp_parser *ps, cp_loc loc, cp_tok name, cp_loc name_loc, cp_expr *e)
{
    cp_attr *a = pool_get(&ps->free_attrs, ps->arena, sizeof *a);
    a->name = name.s;
    a->name_loc = name_loc;
    a->expr = cp_ast_root(ps, e);
    a->loc = loc;
    return a;
}

const char *cp_ast_label_text(cp_parser *ps, cp_expr *tmpl)
{
    /* "${1}" collapses to the number itself: not a label either */
    if (tmpl->kind == CP_E_LITERAL && cp_kind_of(tmpl->u.literal) == CP_STRING)
        return cp_string_val(tmpl->u.literal);
    cp_diag_error(ps->diags, tmpl->loc,
                  "a block label must be plain text; remove the \"${ }\" from it");
    return "";
}

cp_block *cp_ast_block(cp_parser *ps, cp_loc loc, cp_tok type, cp_loc type_loc, cp_chain *labels,
                       cp_body *body)
{
    cp_block *b = cp_arena_alloc(ps->arena, sizeof *b);
    b->type = type.s;
    b->type_loc = type_loc;
    b->nlabels = labels->len;
    if (labels->len) {
        b->labels = cp_arena_alloc(ps->arena, labels->len * sizeof *b->labels);
        b->label_locs = cp_arena_alloc(ps->arena, labels->len * sizeof *b->label_locs);
        size_t i = 0;
        for (cp_link *l = labels->head; l; l = l->next, i++) {
            b->labels[i] = l->a;
            b->label_locs[i] = l->loc;
        }
        chain_recycle(ps, labels);
    }
    if (body->depth >= CP_MAX_NESTING) {
        cp_diag_error(ps->diags, type_loc,
                      "blocks nested too deeply (more than %d levels); flatten them",
                      CP_MAX_NESTING);
        body = cp_ast_body(ps, body->loc, NULL);
    }
    b->body = body;
    b->loc = loc;
    return b;
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Report an attribute set twice in one body (hash set for big bodies). */
static void check_duplicates(cp_parser *ps, const cp_body *b)
{
    if (b->nattrs < 2) return;
    size_t cap = 16;
    while (cap < b->nattrs * 2) cap *= 2;
    const cp_attr **set = cp_xcalloc(cap, sizeof *set);
    for (size_t i = 0; i < b->nattrs; i++) {
        const cp_attr *a = &b->attrs[i];
        size_t j = (size_t)name_hash(a->name) & (cap - 1);
        while (set[j] && strcmp(set[j]->name, a->name) != 0) j = (j + 1) & (cap - 1);
        if (set[j])
            cp_diag_error(ps->diags, a->name_loc,
                          "attribute \"%s\" is already set at %u:%u; remove one of them", a->name,
                          set[j]->name_loc.line, set[j]->name_loc.col);
        else
            set[j] = a;
    }
    free(set);
}

cp_body *cp_ast_body(cp_parser *ps, cp_loc loc, cp_chain *items)
{
    cp_body *b = cp_arena_alloc(ps->arena, sizeof *b);
    b->loc = loc;
    if (!items) return b;
    for (cp_link *l = items->head; l; l = l->next) {
        if (l->a) b->nattrs++;
        if (l->b) b->nblocks++;
    }
    b->attrs = cp_arena_alloc(ps->arena, (b->nattrs ? b->nattrs : 1) * sizeof *b->attrs);
    b->blocks = cp_arena_alloc(ps->arena, (b->nblocks ? b->nblocks : 1) * sizeof *b->blocks);
    size_t na = 0, nb = 0;
    for (cp_link *l = items->head; l; l = l->next) {
        if (l->a) {
            b->attrs[na++] = *(cp_attr *)l->a;
            pool_put(&ps->free_attrs, l->a);
        }
        if (l->b) {
            cp_block *blk = l->b;
            b->blocks[nb++] = blk;
            if (blk->body->depth + 1 > b->depth) b->depth = blk->body->depth + 1;
        }
    }
    chain_recycle(ps, items);
    check_duplicates(ps, b);
    return b;
}

const cp_attr *cp_body_attr(const cp_body *b, const char *name)
{
    if (!b) return NULL;
    for (size_t i = 0; i < b->nattrs; i++)
        if (strcmp(b->attrs[i].name, name) == 0) return &b->attrs[i];
    return NULL;
}

/* The index-th block of type name[0..n) in b, else a dynamic block making them. */
static const cp_block *nth_block(const cp_body *b, const char *name, size_t n, size_t index,
                                 bool *dynamic)
{
    const cp_block *dyn = NULL;
    for (size_t i = 0; b && i < b->nblocks; i++) {
        const cp_block *k = b->blocks[i];
        if (strlen(k->type) == n && !strncmp(k->type, name, n) && index-- == 0) return k;
        if (!strcmp(k->type, "dynamic") && k->nlabels == 1 && strlen(k->labels[0]) == n &&
            !strncmp(k->labels[0], name, n) && !dyn)
            dyn = k;
    }
    *dynamic = dyn != NULL;
    return dyn;
}

cp_loc cp_body_path_loc(const cp_body *b, const char *path, cp_loc fallback)
{
    size_t n = strcspn(path, ".[");
    for (size_t i = 0; b && i < b->nattrs; i++)
        if (strlen(b->attrs[i].name) == n && !strncmp(b->attrs[i].name, path, n))
            return b->attrs[i].expr->loc;
    const char *rest = path + n;
    size_t index = 0;
    if (*rest == '[' && rest[1] >= '0' && rest[1] <= '9') {
        index = strtoul(rest + 1, NULL, 10);
        rest += strcspn(rest, "]");
        if (*rest) rest++;
    }
    bool dynamic = false;
    const cp_block *k = nth_block(b, path, n, index, &dynamic);
    if (!k) return fallback;
    if (dynamic || *rest != '.') return k->type_loc;
    return cp_body_path_loc(k->body, rest + 1, k->type_loc);
}
