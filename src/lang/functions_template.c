/*
 * functions_template.c: templatefile(path, vars), a file rendered as a
 * string template with ${…} interpolations and %{ if }/%{ for } directives,
 * where the names are the keys of vars (functions may be called too), and
 * templatestring(template, vars), the same for a string (Terraform 1.9's:
 * a template kept in a variable or local, or read by a data source).
 *
 * The file is parsed whole as one template by cp_parse_template (the same
 * template grammar as strings and heredocs) in a private cp_sources, and
 * the result is always a string. Errors inside the template are reported at
 * the call as "templatefile: FILE:LINE:COL: message", with the lines of the
 * template file itself ("templatestring: LINE:COL of the template: …"). A template may call
 * templatefile() again, up to MAX_DEPTH levels (so a template that includes itself is an error, not
 * a crash).
 */
#include "lang/ast.h"
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8

typedef struct tpl_scope {
    const cp_value *vars;
    const char *fname; /* the function rendering it, for messages */
    int depth;         /* 1 for a template called from a stack file */
} tpl_scope;

static cp_value *template_lookup(void *ud, const char *const *steps, size_t nsteps,
                                 size_t *consumed, cp_loc loc, cp_diags *d)
{
    const tpl_scope *sc = ud;
    const cp_value *v = cp_map_get(sc->vars, steps[0]);
    (void)nsteps;
    *consumed = 1;
    if (v) return cp_retain(v);
    cp_diag_error(d, loc, "unknown variable \"%s\": pass it in the map of %s's second argument",
                  steps[0], sc->fname);
    return NULL;
}

/* Reports each error of the private run under the call, by template line.
 * An error of a nested templatefile() already names its file: it is passed
 * on as it is. */
static void report(const cp_fn_call *c, const cp_diags *d)
{
    for (size_t i = 0; i < d->len; i++) {
        const cp_loc *l = &d->items[i].loc;
        if (strncmp(d->items[i].msg, "templatefile: ", 14) == 0) {
            cp_diag_error(c->ctx->diags, c->locs ? c->locs[0] : c->loc, "%s", d->items[i].msg);
            continue;
        }
        if (!strcmp(c->name, "templatestring"))
            cp__fn_arg_error(c, 0, "%u:%u of the template: %s", l->line, l->col, d->items[i].msg);
        else
            cp__fn_arg_error(c, 0, "%s:%u:%u: %s", cp_string_val(c->args[0]), l->line, l->col,
                             d->items[i].msg);
    }
}

/* A template that is one ${ } alone gives that value: make it a string. */
static cp_value *as_string_take(const cp_fn_call *c, cp_value *v)
{
    if (!v || cp_kind_of(v) == CP_STRING || cp_kind_of(v) == CP_UNKNOWN) return v;
    cp_value *s = cp_is_null(v) ? NULL : cp_to_string(v);
    if (!s)
        cp__fn_arg_error(c, 0,
                         "the template gives %s, not a string: use jsonencode() or join() in it",
                         cp_kind_article(cp_kind_of(v)));
    cp_release(v);
    return s;
}

/* Parses and evaluates the template text. */
static cp_value *render(const cp_fn_call *c, const char *text, size_t n, int depth, cp_diags *d)
{
    cp_sources srcs;
    cp_sources_init(&srcs);
    bool file = strcmp(c->name, "templatestring") != 0;
    uint32_t id = cp_sources_add(&srcs, file ? cp_string_val(c->args[0]) : "template", text, n);
    cp_arena *arena = cp_arena_new();
    cp_expr *e = cp_parse_template(&srcs, id, arena, d);
    cp_value *v = NULL;
    if (e && !cp_diags_has_errors(d)) {
        tpl_scope sc = { c->args[1], c->name, depth };
        cp_eval_ctx ctx = { template_lookup, &sc, c->ctx->base_dir, &srcs, d };
        v = cp_eval(&ctx, e);
    }
    cp_arena_free(arena);
    cp_sources_free(&srcs);
    return v;
}

/* How deep this call is in templates rendering templates (1: from a stack
 * file); 0 after the error for too deep. */
static int call_depth(const cp_fn_call *c)
{
    const cp_eval_ctx *outer = c->ctx;
    int depth =
        outer->lookup == template_lookup ? ((const tpl_scope *)outer->lookup_ud)->depth + 1 : 1;
    if (depth <= MAX_DEPTH) return depth;
    cp__fn_error(c, "templates nested more than %d deep: does a template include itself?",
                 MAX_DEPTH);
    return 0;
}

static cp_value *render_text(const cp_fn_call *c, const char *text, size_t n, int depth)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_value *v = render(c, text, n, depth, &d);
    if (!v) report(c, &d);
    cp_diags_free(&d);
    return as_string_take(c, v);
}

cp_value *cp_fn_templatefile(const cp_fn_call *c)
{
    int depth = call_depth(c);
    if (!depth) return NULL;
    size_t n;
    char *text = cp__fn_read_file(c, &n);
    if (!text) return NULL;
    if (!cp__utf8_valid(text, n) || strlen(text) != n) {
        free(text);
        return cp__fn_arg_error(c, 0, "the template is not UTF-8 text");
    }
    cp_value *v = render_text(c, text, n, depth);
    free(text);
    return v;
}

cp_value *cp_fn_templatestring(const cp_fn_call *c)
{
    int depth = call_depth(c);
    if (!depth) return NULL;
    const char *text = cp_string_val(c->args[0]);
    return render_text(c, text, strlen(text), depth);
}
