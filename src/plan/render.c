/*
 * render.c: the human form of a plan (see render.h).
 *
 * One recursive walk, render_object(), prints the attributes of a resource
 * or nested block given its before and after maps (either may be NULL):
 * scalar attributes on one line, lists and maps opened over several lines
 * with per-element symbols, nested blocks as `name { … }`. Every line is
 * "<indent><symbol> <text>", the symbol being '+', '~', '-' or ' '.
 * Unchanged attributes of an update are hidden except the identifying ones
 * and counted in a "# (N unchanged attributes hidden)" line.
 */
#include "plan/render.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"
#define C_RED    "\033[31m"

typedef struct rctx {
    cp_buf *out;
    bool color;
    const cp_change *ch;
    bool all; /* show every attribute and block (an object of state, not a change) */
} rctx;

bool cp_render_use_color(FILE *stream)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return false;
    return isatty(fileno(stream)) != 0;
}

static const char *sym_color(char s)
{
    return s == '+' ? C_GREEN : s == '~' ? C_YELLOW : s == '-' ? C_RED : "";
}

static void put_sym(rctx *r, int indent, char s)
{
    for (int i = 0; i < indent; i++) cp_buf_addc(r->out, ' ');
    if (r->color && s != ' ')
        cp_buf_printf(r->out, "%s%c%s ", sym_color(s), s, C_RESET);
    else
        cp_buf_printf(r->out, "%c ", s);
}

static void pad_to(cp_buf *b, size_t have, size_t width)
{
    for (size_t i = have; i < width; i++) cp_buf_addc(b, ' ');
}

static bool absent(const cp_value *v) { return !v || cp_is_null(v); }

static const cp_value *get(const cp_value *m, const char *k)
{
    return m && cp_kind_of(m) == CP_MAP ? cp_map_get(m, k) : NULL;
}

static bool is_sens(const cp_schema_attr *a, const cp_value *v)
{
    return (a && (a->flags & CP_SENSITIVE)) || (v && cp_contains_sensitive(v));
}

static void value_text(cp_buf *b, const cp_schema_attr *a, const cp_value *v)
{
    if (!v) {
        cp_buf_adds(b, "null");
        return;
    }
    if (is_sens(a, v) && !cp_is_unknown(v)) {
        cp_buf_adds(b, "(sensitive value)");
        return;
    }
    cp_value_render(b, v, false);
}

static bool same(const cp_schema_attr *a, const cp_value *x, const cp_value *y)
{
    if (absent(x) && absent(y)) return true;
    if (absent(x) || absent(y)) return false;
    if (a) return cp_attr_equal(a, x, y);
    return !cp_contains_unknown(x) && !cp_contains_unknown(y) && cp_equal(x, y);
}

static char pick_sym(const cp_schema_attr *a, const cp_value *b, const cp_value *v)
{
    if (absent(b) && absent(v)) return 0;
    if (absent(b)) return '+';
    if (absent(v)) return '-';
    return same(a, b, v) ? ' ' : '~';
}

/* A known, non-sensitive, non-empty list or map is shown over several lines. */
static bool multiline(const cp_schema_attr *a, const cp_value *v)
{
    if (absent(v) || is_sens(a, v) || cp_is_unknown(v)) return false;
    cp_kind k = cp_kind_of(v);
    return (k == CP_LIST || k == CP_MAP) && cp_len(v) > 0;
}

static void close_line(rctx *r, int indent, const char *tail, const char *suffix)
{
    for (int i = 0; i < indent; i++) cp_buf_addc(r->out, ' ');
    cp_buf_printf(r->out, "%s%s\n", tail, suffix);
}

static void hidden_line(rctx *r, int indent, size_t n, const char *what)
{
    if (!n) return;
    for (int i = 0; i < indent + 2; i++) cp_buf_addc(r->out, ' ');
    cp_buf_printf(r->out, "# (%zu unchanged %s%s hidden)\n", n, what, n == 1 ? "" : "s");
}

static void key_text(cp_buf *b, const char *k)
{
    cp_value *s = cp_string(k);
    cp_value_render(b, s, true);
    cp_release(s);
}

static void render_map_body(rctx *r, const cp_value *b, const cp_value *v, int indent, char sym)
{
    size_t width = 0, hidden = 0;
    cp_value *keys = cp_map_new();
    for (int side = 0; side < 2; side++) {
        const cp_value *m = side ? v : b;
        for (size_t i = 0; m && cp_kind_of(m) == CP_MAP && i < cp_len(m); i++)
            cp_map_set_take(keys, cp_map_key_at(m, i), cp_null());
    }
    for (size_t i = 0; i < cp_len(keys); i++) {
        size_t w = strlen(cp_map_key_at(keys, i)) + 2;
        if (w > width) width = w;
    }
    for (size_t i = 0; i < cp_len(keys); i++) {
        const char *k = cp_map_key_at(keys, i);
        const cp_value *bk = get(b, k), *vk = get(v, k);
        char s = sym == '~' ? pick_sym(NULL, bk, vk) : sym;
        if (!s) continue;
        if (s == ' ') {
            hidden++;
            continue;
        }
        put_sym(r, indent, s);
        size_t start = r->out->len;
        key_text(r->out, k);
        pad_to(r->out, r->out->len - start, width);
        cp_buf_adds(r->out, " = ");
        value_text(r->out, NULL, s == '+' ? vk : bk);
        if (s == '~') {
            cp_buf_adds(r->out, " -> ");
            value_text(r->out, NULL, vk);
        }
        if (s == '-' && sym == '~') cp_buf_adds(r->out, " -> null");
        cp_buf_addc(r->out, '\n');
    }
    hidden_line(r, indent, hidden, "element");
    cp_release(keys);
}

static bool list_has(const cp_value *l, const cp_value *x)
{
    for (size_t i = 0; l && cp_kind_of(l) == CP_LIST && i < cp_len(l); i++)
        if (cp_equal(cp_list_get(l, i), x)) return true;
    return false;
}

static void list_item(rctx *r, int indent, char s, const cp_value *x)
{
    put_sym(r, indent, s);
    value_text(r->out, NULL, x);
    cp_buf_adds(r->out, ",\n");
}

static void render_list_body(rctx *r, const cp_value *b, const cp_value *v, int indent, char sym)
{
    if (sym != '~') {
        const cp_value *l = sym == '-' ? b : v;
        for (size_t i = 0; i < cp_len(l); i++) list_item(r, indent, sym, cp_list_get(l, i));
        return;
    }
    for (size_t i = 0; cp_kind_of(b) == CP_LIST && i < cp_len(b); i++)
        if (!list_has(v, cp_list_get(b, i))) list_item(r, indent, '-', cp_list_get(b, i));
    for (size_t i = 0; cp_kind_of(v) == CP_LIST && i < cp_len(v); i++) {
        const cp_value *x = cp_list_get(v, i);
        list_item(r, indent, list_has(b, x) && !cp_is_unknown(x) ? ' ' : '+', x);
    }
}

static void render_coll(rctx *r, const cp_value *b, const cp_value *v, int indent, char sym)
{
    const cp_value *shape = sym == '-' ? b : v;
    bool is_map = cp_kind_of(shape) == CP_MAP;
    cp_buf_adds(r->out, is_map ? "{\n" : "[\n");
    if (is_map)
        render_map_body(r, b, v, indent + 4, sym);
    else
        render_list_body(r, b, v, indent + 4, sym);
}

static bool coll_diffable(char s, const cp_value *b, const cp_value *v)
{
    if (s == ' ') return false;
    if (s == '+') return multiline(NULL, v);
    if (s == '-') return multiline(NULL, b);
    return multiline(NULL, b) && multiline(NULL, v) && cp_kind_of(b) == cp_kind_of(v);
}

static void render_attr(rctx *r, const cp_schema_attr *a, const char *name, const cp_value *b,
                        const cp_value *v, char s, int indent, size_t width, bool top)
{
    const char *force =
        top && r->ch && cp_change_forces(r->ch, name) ? " # forces replacement" : "";
    put_sym(r, indent, s);
    cp_buf_adds(r->out, name);
    pad_to(r->out, strlen(name), width);
    cp_buf_adds(r->out, " = ");
    if (!is_sens(a, s == '-' ? b : v) && !(s == '~' && is_sens(a, b)) && coll_diffable(s, b, v)) {
        render_coll(r, b, v, indent, s);
        const bool is_map = cp_kind_of(s == '-' ? b : v) == CP_MAP;
        close_line(r, indent + 2, is_map ? "}" : "]", s == '-' ? " -> null" : force);
        return;
    }
    if (s == '~' && is_sens(a, b) && is_sens(a, v))
        value_text(r->out, a, v);
    else if (s == '~') {
        value_text(r->out, a, b);
        cp_buf_adds(r->out, " -> ");
        value_text(r->out, a, v);
    } else if (s == '-') {
        value_text(r->out, a, b);
        cp_buf_adds(r->out, " -> null");
    } else
        value_text(r->out, a, v);
    cp_buf_printf(r->out, "%s\n", force);
}

static void render_object(rctx *r, const cp_schema_attr *attrs, const cp_value *b,
                          const cp_value *v, int indent, bool top, char whole);

static void render_block(rctx *r, const cp_schema_attr *a, const cp_value *b, const cp_value *v,
                         char s, int indent, bool top)
{
    const char *force =
        top && r->ch && cp_change_forces(r->ch, a->name) ? " # forces replacement" : "";
    put_sym(r, indent, s);
    cp_buf_printf(r->out, "%s {%s\n", a->name, force);
    render_object(r, a->block, s == '+' ? NULL : b, s == '-' ? NULL : v, indent + 4, false, s);
    close_line(r, indent + 2, "}", "");
}

static bool elem_same(const cp_value *x, const cp_value *y)
{
    return !cp_contains_unknown(x) && !cp_contains_unknown(y) && cp_equal(x, y);
}

static const cp_value *list_at(const cp_value *l, size_t i)
{
    return l && cp_kind_of(l) == CP_LIST && i < cp_len(l) ? cp_list_get(l, i) : NULL;
}

static size_t render_blocks(rctx *r, const cp_schema_attr *a, const cp_value *b, const cp_value *v,
                            int indent, bool top, char whole)
{
    size_t nb = b && cp_kind_of(b) == CP_LIST ? cp_len(b) : 0;
    size_t nv = v && cp_kind_of(v) == CP_LIST ? cp_len(v) : 0, hidden = 0;
    bool unordered = (a->flags & CP_UNORDERED) || whole == '+' || whole == '-';
    if (r->all) {
        for (size_t i = 0; i < nv; i++)
            render_block(r, a, list_at(v, i), list_at(v, i), ' ', indent, top);
        return 0;
    }
    if (v && cp_is_unknown(v)) { /* a dynamic block whose for_each is not known yet */
        put_sym(r, indent, nb && whole != '+' ? '~' : '+');
        cp_buf_printf(r->out, "%s = (known after apply)\n", a->name);
        return 0;
    }
    if (unordered) {
        for (size_t i = 0; i < nb; i++)
            if (!list_has(v, list_at(b, i)))
                render_block(r, a, list_at(b, i), NULL, '-', indent, top);
        for (size_t i = 0; i < nv; i++) {
            const cp_value *x = list_at(v, i);
            if (list_has(b, x) && elem_same(x, x))
                hidden++;
            else
                render_block(r, a, NULL, x, '+', indent, top);
        }
        return hidden;
    }
    for (size_t i = 0; i < (nb > nv ? nb : nv); i++) {
        const cp_value *x = list_at(b, i), *y = list_at(v, i);
        if (x && y && elem_same(x, y)) {
            hidden++;
            continue;
        }
        render_block(r, a, x, y, !x ? '+' : !y ? '-' : '~', indent, top);
    }
    return hidden;
}

static bool always_shown(const char *name)
{
    return !strcmp(name, "id") || !strcmp(name, "name") || !strcmp(name, "tags");
}

/* The union of keys of b and v, sorted (a fresh map used as a sorted set). */
static cp_value *key_union(const cp_value *b, const cp_value *v)
{
    cp_value *keys = cp_map_new();
    for (int side = 0; side < 2; side++) {
        const cp_value *m = side ? v : b;
        for (size_t i = 0; m && cp_kind_of(m) == CP_MAP && i < cp_len(m); i++)
            cp_map_set_take(keys, cp_map_key_at(m, i), cp_null());
    }
    return keys;
}

static const cp_schema_attr *block_attr(const cp_schema_attr *attrs, const char *k)
{
    const cp_schema_attr *a = cp_diff_schema_find(attrs, k);
    return a && a->type == CP_AT_BLOCKS && a->block ? a : NULL;
}

static char attr_sym(const cp_schema_attr *a, const cp_value *b, const cp_value *v, char whole)
{
    char s = pick_sym(a, b, v);
    if (s && (whole == '+' || whole == '-')) s = whole;
    return s;
}

static void render_object(rctx *r, const cp_schema_attr *attrs, const cp_value *b,
                          const cp_value *v, int indent, bool top, char whole)
{
    cp_value *keys = key_union(b, v);
    size_t width = 0, hidden = 0, hidden_blocks = 0;
    for (size_t i = 0; i < cp_len(keys); i++) {
        const char *k = cp_map_key_at(keys, i);
        if (block_attr(attrs, k)) continue;
        const cp_schema_attr *a = cp_diff_schema_find(attrs, k);
        char s = attr_sym(a, get(b, k), get(v, k), whole);
        if (s && (s != ' ' || always_shown(k) || r->all) && strlen(k) > width) width = strlen(k);
    }
    for (size_t i = 0; i < cp_len(keys); i++) {
        const char *k = cp_map_key_at(keys, i);
        const cp_schema_attr *a = cp_diff_schema_find(attrs, k);
        if (block_attr(attrs, k)) continue;
        char s = attr_sym(a, get(b, k), get(v, k), whole);
        if (!s) continue;
        if (s == ' ' && !always_shown(k) && !r->all) {
            hidden++;
            continue;
        }
        render_attr(r, a, k, get(b, k), get(v, k), s, indent, width, top);
    }
    for (size_t i = 0; i < cp_len(keys); i++) {
        const cp_schema_attr *a = block_attr(attrs, cp_map_key_at(keys, i));
        if (a)
            hidden_blocks +=
                render_blocks(r, a, get(b, a->name), get(v, a->name), indent, top, whole);
    }
    hidden_line(r, indent, hidden, "attribute");
    hidden_line(r, indent, hidden_blocks, "block");
    cp_release(keys);
}

/* --- one change -------------------------------------------------------- */

static const char *header_text(const cp_change *c)
{
    if (c->forget) return "will no longer be managed by cpstack";
    if (c->action == CP_ACTION_NOOP && c->import_id) return "will be imported";
    if (c->action == CP_ACTION_REPLACE && c->trigger)
        return "will be replaced due to changes in replace_triggered_by";
    switch (c->action) {
    case CP_ACTION_CREATE:
        return "will be created";
    case CP_ACTION_UPDATE:
        return "will be updated in-place";
    case CP_ACTION_REPLACE:
        return c->reason && !strcmp(c->reason, "requested") ? "will be replaced, as requested"
                                                            : "must be replaced";
    case CP_ACTION_DELETE:
        return "will be destroyed";
    case CP_ACTION_READ:
        return "will be read during apply";
    case CP_ACTION_NOOP:
        return "has no changes";
    }
    return "";
}

static void head_symbol(rctx *r, const cp_change *c)
{
    const char *s = "  ";
    switch (c->action) {
    case CP_ACTION_CREATE:
        s = "  +";
        break;
    case CP_ACTION_UPDATE:
        s = "  ~";
        break;
    case CP_ACTION_DELETE:
        s = "  -";
        break;
    case CP_ACTION_READ:
        s = " <=";
        break;
    case CP_ACTION_REPLACE:
        s = c->create_before_destroy ? "+/-" : "-/+";
        break;
    case CP_ACTION_NOOP:
        s = "   ";
        break;
    }
    if (!r->color) {
        cp_buf_adds(r->out, s);
        return;
    }
    for (const char *p = s; *p; p++) {
        if (*p == ' ')
            cp_buf_addc(r->out, ' ');
        else
            cp_buf_printf(r->out, "%s%c%s", sym_color(*p == '<' || *p == '=' ? '+' : *p), *p,
                          C_RESET);
    }
}

static char whole_sym(cp_action a)
{
    return a == CP_ACTION_CREATE || a == CP_ACTION_READ ? '+' : a == CP_ACTION_DELETE ? '-' : '~';
}

/* Moved, imported, triggered: one note line each, under the header. */
static void notes(cp_buf *out, const cp_change *c, bool moved_header)
{
    if (c->moved_from && !moved_header) cp_buf_printf(out, "  # (moved from %s)\n", c->moved_from);
    if (c->import_id && c->action != CP_ACTION_NOOP)
        cp_buf_printf(out, "  # (imported from \"%s\")\n", c->import_id);
    if (c->trigger) cp_buf_printf(out, "  # (replace triggered by %s)\n", c->trigger);
    if (c->forget)
        cp_buf_adds(out, "  # (its removed block says destroy = false: the object stays, only "
                         "state forgets it)\n");
}

void cp_render_change(cp_buf *out, const cp_change *c, bool color)
{
    rctx r = { out, color, c, false };
    bool moved_header = c->moved_from && c->action == CP_ACTION_NOOP && !c->import_id;
    if (moved_header)
        cp_buf_printf(out, "%s  # %s has moved to %s%s\n", color ? C_BOLD : "", c->moved_from,
                      c->address, color ? C_RESET : "");
    else
        cp_buf_printf(out, "%s  # %s%s%s%s %s%s\n", color ? C_BOLD : "", c->address,
                      c->instance ? " (provider " : "", c->instance ? c->instance : "",
                      c->instance ? ")" : "", header_text(c), color ? C_RESET : "");
    notes(out, c, moved_header);
    if (c->action == CP_ACTION_DELETE && c->reason)
        cp_buf_printf(out, "  # (%s)\n", c->reason);
    else if (c->action == CP_ACTION_CREATE && c->reason)
        cp_buf_printf(out, "  # (%s)\n", c->reason);
    head_symbol(&r, c);
    cp_buf_printf(out, " %s \"%s\" \"%s\" {\n", c->is_data ? "data" : "resource", c->type, c->name);
    const cp_schema_attr *attrs = c->rtype ? c->rtype->attrs : NULL;
    char whole = whole_sym(c->action);
    render_object(&r, attrs, whole == '+' ? NULL : c->before, whole == '-' ? NULL : c->after, 6,
                  true, whole);
    cp_buf_adds(out, "    }\n");
}

/* --- drift: objects changed outside cpstack ---------------------------- */

void cp_render_drift_one(cp_buf *out, const cp_drift *d, bool color)
{
    rctx r = { out, color, NULL, false };
    cp_buf_printf(out, "%s  # %s %s%s\n", color ? C_BOLD : "", d->address,
                  d->after ? "has changed" : "has been deleted", color ? C_RESET : "");
    put_sym(&r, 2, d->after ? '~' : '-');
    cp_buf_printf(out, "resource \"%s\" \"%s\" {\n", d->type, d->name);
    render_object(&r, d->rtype ? d->rtype->attrs : NULL, d->before, d->after, 6, true,
                  d->after ? '~' : '-');
    cp_buf_adds(out, "    }\n");
}

void cp_render_drift(cp_buf *out, const cp_plan *p, bool color)
{
    if (!p->ndrift) return;
    cp_buf_printf(out, "\n%sNote: Objects changed outside cpstack%s\n\n", color ? C_BOLD : "",
                  color ? C_RESET : "");
    cp_buf_adds(out, "cpstack found these changes made outside cpstack since the last apply\n"
                     "(refresh read them; state still holds what cpstack last saw):\n\n");
    for (size_t i = 0; i < p->ndrift; i++) {
        cp_render_drift_one(out, &p->drift[i], color);
        cp_buf_addc(out, '\n');
    }
    if (p->refresh_only)
        cp_buf_adds(out, "This is a refresh-only plan: cpstack will not undo these changes. Apply "
                         "it\nto record them in state without changing any real object.\n");
    else
        cp_buf_adds(out, "Unless the configuration was changed to match, the plan below includes "
                         "actions\nto undo or respond to these changes.\n\n");
    for (int i = 0; i < 77; i++) cp_buf_adds(out, "\u2500");
    cp_buf_adds(out, "\n\n");
}

/* --- an object of state (show) --------------------------------------- */

void cp_render_object(cp_buf *out, const char *address, const cp_addr *a,
                      const cp_resource_type *rt, const cp_value *attrs, bool color)
{
    rctx r = { out, color, NULL, true };
    cp_buf_printf(out, "%s# %s:%s\n", color ? C_BOLD : "", address, color ? C_RESET : "");
    cp_buf_printf(out, "%s \"%s\" \"%s\" {\n", a->mode == CP_MODE_DATA ? "data" : "resource",
                  a->type, a->name);
    render_object(&r, rt ? rt->attrs : NULL, attrs, attrs, 2, false, ' ');
    cp_buf_adds(out, "}\n");
}

/* --- the whole plan ---------------------------------------------------- */

void cp_render_summary(cp_buf *out, const cp_plan *p)
{
    cp_plan_counts n = cp_plan_count(p);
    cp_buf_adds(out, "Plan: ");
    if (n.import) cp_buf_printf(out, "%zu to import, ", n.import);
    cp_buf_printf(out, "%zu to add, %zu to change, %zu to destroy", n.add, n.change, n.destroy);
    if (n.forget) cp_buf_printf(out, ", %zu to forget", n.forget);
    cp_buf_adds(out, ".\n");
}

/* A change shown in the plan: an action, or a move, import or forget. */
static bool shown(const cp_change *c)
{
    return c->action != CP_ACTION_NOOP || c->moved_from || c->import_id || c->forget;
}

static bool output_changed(const cp_output_change *o)
{
    if (!o->before || !o->after) return true;
    return cp_contains_unknown(o->after) || !cp_equal(o->before, o->after);
}

static void render_outputs(rctx *r, const cp_plan *p)
{
    size_t width = 0, n = 0;
    for (size_t i = 0; i < p->noutputs; i++)
        if (output_changed(&p->outputs[i])) {
            n++;
            if (strlen(p->outputs[i].name) > width) width = strlen(p->outputs[i].name);
        }
    if (!n) return;
    cp_buf_adds(r->out, "\nChanges to Outputs:\n");
    for (size_t i = 0; i < p->noutputs; i++) {
        const cp_output_change *o = &p->outputs[i];
        if (!output_changed(o)) continue;
        char s = !o->before ? '+' : !o->after ? '-' : '~';
        static const cp_schema_attr sens = { .name = "", .flags = CP_SENSITIVE };
        render_attr(r, o->sensitive ? &sens : NULL, o->name, o->before, o->after, s, 2, width,
                    false);
    }
}

static void render_legend(rctx *r, const cp_plan *p)
{
    bool seen[6] = { false };
    for (size_t i = 0; i < p->nchanges; i++) seen[p->changes[i].action] = true;
    if (!seen[CP_ACTION_CREATE] && !seen[CP_ACTION_UPDATE] && !seen[CP_ACTION_DELETE] &&
        !seen[CP_ACTION_REPLACE] && !seen[CP_ACTION_READ])
        return; /* only moves, imports or forgets: no symbols to explain */
    cp_buf_adds(r->out, "Resource actions are indicated with the following symbols:\n");
    if (seen[CP_ACTION_CREATE]) {
        put_sym(r, 2, '+');
        cp_buf_adds(r->out, "create\n");
    }
    if (seen[CP_ACTION_UPDATE]) {
        put_sym(r, 2, '~');
        cp_buf_adds(r->out, "update in-place\n");
    }
    if (seen[CP_ACTION_DELETE]) {
        put_sym(r, 2, '-');
        cp_buf_adds(r->out, "destroy\n");
    }
    if (seen[CP_ACTION_REPLACE]) cp_buf_adds(r->out, "-/+ destroy and then create replacement\n");
    if (seen[CP_ACTION_READ]) cp_buf_adds(r->out, " <= read (data resources)\n");
    cp_buf_addc(r->out, '\n');
}

void cp_render_plan(cp_buf *out, const cp_plan *p, bool color)
{
    rctx r = { out, color, NULL, false };
    cp_plan_counts n = cp_plan_count(p);
    cp_render_drift(out, p, color);
    if (p->refresh_only) {
        if (!p->ndrift)
            cp_buf_adds(out, "\nNo changes. Your infrastructure still matches what state records: "
                             "refresh\nfound no object changed outside cpstack.\n");
        return;
    }
    if (!n.add && !n.change && !n.destroy && !n.read && !n.import && !n.move && !n.forget) {
        if (cp_plan_has_changes(p)) {
            render_outputs(&r, p);
            cp_buf_adds(out, "\nYou can apply this plan to save these new output values, "
                             "without changing any real infrastructure.\n");
        } else {
            cp_buf_adds(out, "\nNo changes. Your infrastructure matches the configuration.\n");
        }
        return;
    }
    render_legend(&r, p);
    cp_buf_adds(out, "cpstack will perform the following actions:\n\n");
    for (size_t i = 0; i < p->nchanges; i++) {
        if (!shown(&p->changes[i])) continue;
        cp_render_change(out, &p->changes[i], color);
        cp_buf_addc(out, '\n');
    }
    if (color) cp_buf_adds(out, C_BOLD);
    cp_render_summary(out, p);
    if (color) {
        out->len--;
        cp_buf_adds(out, C_RESET "\n");
    }
    render_outputs(&r, p);
}
