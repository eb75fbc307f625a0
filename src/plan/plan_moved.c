/*
 * plan_moved.c: the stack's moved blocks and removed blocks, carried out on
 * the refreshed state before the planner walks the config (see
 * plan_blocks.h), and the notes they leave on the plan's changes.
 *
 * moved: a resource address moves every instance of it, keys kept
 * (aws_x.a -> aws_x.b); an instance address moves that one instance, so
 * count and for_each keys can be renamed (aws_x.a[0] -> aws_x.a["web"])
 * and a resource can gain or lose count (aws_x.a -> aws_x.a[0]). Either
 * side may be inside a module (aws_x.a -> module.m.aws_x.a: refactoring
 * into a module), and a module path moves everything inside it
 * (module.a -> module.b, module.a[0] -> module.a["x"]). Moves run
 * in the order written, so a chain A -> B, B -> C written in that order
 * ends at C. A move whose target is already in state is skipped with a
 * warning (both objects stay where they are). Deposed objects move with
 * their instance.
 * removed with destroy = false (of a resource, an instance or a whole
 * module): the instances leave state (the objects
 * stay in the cloud); with destroy = true nothing happens here — they are
 * not in config, so the planner destroys them like any other orphan.
 */
#include "plan/plan_blocks.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void cp__plan_pairs_free(cp_plan_pairs *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->a[i]);
        free(p->b[i]);
    }
    free(p->a);
    free(p->b);
    memset(p, 0, sizeof *p);
}

static void pairs_add(cp_plan_pairs *p, char *a_take, char *b_take)
{
    p->a = cp_xrealloc(p->a, (p->n + 1) * sizeof *p->a);
    p->b = cp_xrealloc(p->b, (p->n + 1) * sizeof *p->b);
    p->a[p->n] = a_take;
    p->b[p->n++] = b_take;
}

/* Record src -> dst; a chain (A -> B, then B -> C) is noted as A -> C. */
static void note_move(cp_plan_pairs *done, const cp_addr *src, const cp_addr *dst)
{
    char *s = cp_addr_str(src), *t = cp_addr_str(dst);
    for (size_t i = 0; i < done->n; i++)
        if (!strcmp(done->b[i], s)) {
            free(done->b[i]);
            done->b[i] = t;
            free(s);
            return;
        }
    pairs_add(done, s, t);
}

/* A fresh copy of from (current or deposed) at address to. */
static cp_instance *copy_to(const cp_instance *from, const cp_addr *to)
{
    cp_instance *n = cp_instance_new(to);
    cp_instance_set_attrs(n, cp_instance_attrs(from));
    cp_instance_set_status(n, cp_instance_status(from));
    cp_instance_set_schema_version(n, cp_instance_schema_version(from));
    cp_instance_set_provider(n, cp_instance_provider(from));
    cp_instance_set_deposed_key(n, cp_instance_deposed_key(from));
    for (size_t i = 0; i < cp_instance_dep_count(from); i++)
        cp_instance_add_dep_str(n, cp_instance_dep(from, i), NULL);
    return n;
}

/* Move the current object at src and its deposed objects to dst. */
static void move_one(cp_state *st, const cp_addr *src, const cp_addr *dst, cp_plan_pairs *done)
{
    size_t first, nd = cp_state_deposed_range(st, src, &first);
    cp_instance **dep = cp_xcalloc(nd + 1, sizeof *dep);
    for (size_t i = 0; i < nd; i++) dep[i] = copy_to(cp_state_deposed_at(st, first + i), dst);
    for (size_t i = 0; i < nd; i++)
        cp_state_remove_deposed(st, src, cp_instance_deposed_key(dep[i]));
    const cp_instance *cur = cp_state_find(st, src);
    cp_instance *n = cur ? copy_to(cur, dst) : NULL;
    if (n) {
        cp_state_remove(st, src);
        cp_state_put_take(st, n);
        note_move(done, src, dst);
    }
    for (size_t i = 0; i < nd; i++) cp_state_put_take(st, dep[i]);
    free(dep);
}

static bool occupied(const cp_state *st, const cp_addr *a)
{
    size_t first;
    return cp_state_find(st, a) || cp_state_deposed_range(st, a, &first) > 0;
}

static void skipped(const cp_config_moved *m, const char *from, const char *to, cp_diags *d)
{
    cp_diag_warning(d, m->loc,
                    "moved: %s was not moved to %s, which state already holds; remove one of "
                    "them (cpstack state rm) and plan again",
                    from, to);
}

/* Every instance of resource `from` to the same key of resource `to`. */
static void move_resource(cp_state *st, const cp_config_moved *m, const cp_addr *from,
                          const cp_addr *to, cp_plan_pairs *done, cp_diags *d)
{
    size_t first, n = cp_state_resource_range(st, from, &first);
    cp_addr *keys = cp_xcalloc(n + 1, sizeof *keys);
    for (size_t i = 0; i < n; i++)
        cp_addr_copy(&keys[i], cp_instance_addr(cp_state_at(st, first + i)));
    for (size_t i = 0; i < n; i++) {
        cp_addr dst;
        cp_addr_init(&dst, CP_MODE_MANAGED, to->type, to->name, keys[i].key_kind, keys[i].key_int,
                     keys[i].key_str);
        cp_addr_set_module(&dst, to->module);
        if (occupied(st, &dst)) {
            char *s = cp_addr_str(&keys[i]), *t = cp_addr_str(&dst);
            skipped(m, s, t, d);
            free(s);
            free(t);
        } else
            move_one(st, &keys[i], &dst, done);
        cp_addr_clear(&dst);
        cp_addr_clear(&keys[i]);
    }
    free(keys);
}

/* Every object inside module path `from` to the same place under `to`
 * (moved { from = module.a  to = module.b }). */
static void move_module(cp_state *st, const cp_config_moved *m, cp_plan_pairs *done, cp_diags *d)
{
    size_t n = cp_state_count(st);
    cp_addr *srcs = cp_xcalloc(n + 1, sizeof *srcs);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const cp_addr *a = cp_instance_addr(cp_state_at(st, i));
        if (a->mode == CP_MODE_MANAGED && cp_addr_module_matches(m->from, a->module, true))
            cp_addr_copy(&srcs[k++], a);
    }
    for (size_t i = 0; i < k; i++) {
        char *mod = cp_addr_module_rebase(srcs[i].module, m->from, m->to);
        cp_addr dst;
        cp_addr_copy(&dst, &srcs[i]);
        cp_addr_set_module(&dst, mod);
        if (occupied(st, &dst)) {
            char *s = cp_addr_str(&srcs[i]), *t = cp_addr_str(&dst);
            skipped(m, s, t, d);
            free(s);
            free(t);
        } else
            move_one(st, &srcs[i], &dst, done);
        free(mod);
        cp_addr_clear(&dst);
        cp_addr_clear(&srcs[i]);
    }
    free(srcs);
}

static void carry_out(cp_state *st, const cp_config_moved *m, cp_plan_pairs *done, cp_diags *d)
{
    cp_addr from, to;
    char *fm = NULL, *tm = NULL;
    if (cp_addr_parse_module(m->from, &fm, NULL) && cp_addr_parse_module(m->to, &tm, NULL)) {
        move_module(st, m, done, d);
        free(fm);
        free(tm);
        return;
    }
    free(fm);
    free(tm);
    if (!cp_addr_parse(m->from, &from, NULL)) return;
    if (!cp_addr_parse(m->to, &to, NULL)) {
        cp_addr_clear(&from);
        return;
    }
    if (from.key_kind == CP_KEY_NONE && to.key_kind == CP_KEY_NONE)
        move_resource(st, m, &from, &to, done, d);
    else if (cp_state_find(st, &from)) {
        if (occupied(st, &to))
            skipped(m, m->from, m->to, d);
        else
            move_one(st, &from, &to, done);
    }
    cp_addr_clear(&from);
    cp_addr_clear(&to);
}

void cp__plan_moves(const cp_config *c, cp_state *st, cp_plan_pairs *done, cp_diags *d)
{
    for (size_t i = 0; i < c->nmoved; i++) carry_out(st, &c->moved[i], done, d);
}

void cp__plan_forget(const cp_plan_opts *o, cp_state *st, cp_plan *p)
{
    const cp_config *c = o->config;
    for (size_t i = 0; i < c->nremoved; i++) {
        if (c->removed[i].destroy) continue;
        cp_addr res;
        char *mod = NULL;
        bool whole_module = false;
        if (!cp_addr_parse(c->removed[i].from, &res, NULL)) {
            if (!cp_addr_parse_module(c->removed[i].from, &mod, NULL)) continue;
            whole_module = true;
            free(mod);
        }
        size_t first = 0,
               n = whole_module ? cp_state_count(st) : cp_state_resource_range(st, &res, &first);
        for (size_t k = n; k-- > 0;) {
            const cp_instance *inst = cp_state_at(st, first + k);
            const cp_addr *a = cp_instance_addr(inst);
            if (whole_module && (a->mode != CP_MODE_MANAGED ||
                                 !cp_addr_module_matches(c->removed[i].from, a->module, true)))
                continue;
            if (!whole_module && res.key_kind != CP_KEY_NONE && !cp_addr_matches(&res, a)) continue;
            char *s = cp_addr_str(a);
            cp_change *ch = cp_plan_add(p, s, a->type, a->name, CP_ACTION_NOOP,
                                        cp_instance_attrs(inst), cp_instance_attrs(inst));
            free(s);
            ch->forget = true;
            ch->rtype = cp_plan_type_of(o->types, a, &ch->provider);
            cp_addr copy;
            cp_addr_copy(&copy, a);
            cp_state_remove(st, &copy);
            cp_addr_clear(&copy);
        }
        if (!whole_module) cp_addr_clear(&res);
    }
}

/* The to of the import block that imported into `to` (a keyed block names
 * its resource without keys). */
static cp_loc import_loc(const cp_config *c, const char *to)
{
    char *res = NULL;
    cp_addr a;
    if (cp_addr_parse(to, &a, NULL)) {
        res = cp_addr_config_str(&a);
        cp_addr_clear(&a);
    }
    cp_loc at = { 0 };
    for (size_t i = 0; i < c->nimports && !at.line; i++)
        if (!strcmp(c->imports[i].to, c->imports[i].keyed ? (res ? res : "") : to))
            at = c->imports[i].to_loc;
    free(res);
    return at;
}

void cp__plan_note(const cp_config *cfg, cp_plan *p, const cp_plan_pairs *moves,
                   const cp_plan_pairs *imports, cp_diags *d)
{
    for (size_t i = 0; i < moves->n; i++) {
        cp_change *c = cp_plan_find_current(p, moves->b[i]);
        if (c && !c->moved_from) c->moved_from = cp_xstrdup(moves->a[i]);
    }
    for (size_t i = 0; i < imports->n; i++) {
        cp_change *c = cp_plan_find_current(p, imports->a[i]);
        if (c && c->action == CP_ACTION_DELETE)
            cp_diag_error(d, import_loc(cfg, imports->a[i]),
                          "import: %s is not an instance the stack declares (check its count or "
                          "for_each key), so the imported object would be destroyed; fix the "
                          "import block's to",
                          imports->a[i]);
        else if (c && !c->import_id)
            c->import_id = cp_xstrdup(imports->b[i]);
    }
}
