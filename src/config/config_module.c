/*
 * config_module.c: module calls — `module "NAME" { source = "./dir" … }`.
 *
 * Decoding checks the block's shape (source, count/for_each, depends_on;
 * every other argument is an input). Loading reads the module's directory
 * (relative to the caller's) into its own cp_config with the same checks as
 * the root, its files registered in the root's sources so that every
 * location prints; its inputs are then matched against its variables
 * (unknown inputs, missing required ones). Flattening moves every
 * module's resources into the root config with "module.NAME." before
 * their address, depends_on entries made absolute the same way.
 *
 * May touch: the config being loaded and the module configs it owns.
 * Invariants: only local sources ("./", "../"); a module's cp_config
 * shares the root's sources (never frees them) and, once flattened, holds
 * no resources; nesting is at most MAX_DEPTH deep (a module calling
 * itself is reported, not followed forever).
 */
#include "config/config_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_DEPTH = 16 };

static const char *const meta_args[] = { "source",    "count",   "for_each", "depends_on",
                                         "providers", "version", NULL };

static bool is_meta(const char *name)
{
    for (const char *const *m = meta_args; *m; m++)
        if (!strcmp(*m, name)) return true;
    return false;
}

const cp_config_module *cp_config_find_module(const cp_config *c, const char *name)
{
    for (size_t i = 0; i < c->nmodules; i++)
        if (!strcmp(c->modules[i].name, name)) return &c->modules[i];
    return NULL;
}

static bool is_local_source(const char *s)
{
    return !strncmp(s, "./", 2) || !strncmp(s, "../", 3) || !strcmp(s, ".") || !strcmp(s, "..");
}

static void decode_source(cp_config_module *m, const cp_block *b, cp_diags *d)
{
    const cp_attr *a = cp_body_attr(b->body, "source");
    if (!a) {
        cp_diag_error(d, b->type_loc, "module \"%s\" needs a source argument: source = \"./dir\"",
                      m->name);
        return;
    }
    const char *s = cp__expr_static_string(a->expr);
    if (!s) {
        cp_diag_error(d, a->expr->loc,
                      "the source of module \"%s\" must be a literal string such as \"./dir\"",
                      m->name);
        return;
    }
    if (!is_local_source(s)) {
        cp_diag_error(d, a->expr->loc,
                      "module sources other than local paths (./ or ../) are not supported yet");
        return;
    }
    m->source = s;
}

static void decode_meta(cp_config_module *m, const cp_block *b, cp_diags *d)
{
    const cp_attr *a;
    m->count = (a = cp_body_attr(b->body, "count")) ? a->expr : NULL;
    m->for_each = (a = cp_body_attr(b->body, "for_each")) ? a->expr : NULL;
    if (m->count && m->for_each)
        cp_diag_error(d, m->for_each->loc, "%s sets both count and for_each; use one of them",
                      m->path);
    if ((a = cp_body_attr(b->body, "depends_on")))
        cp__config_decode_depends_on(a, &m->depends_on, &m->ndepends_on, d);
    if ((a = cp_body_attr(b->body, "version")))
        cp_diag_error(d, a->name_loc,
                      "version applies to registry modules, which are not supported yet; "
                      "remove it");
    for (size_t i = 0; i < b->body->nblocks; i++)
        cp_diag_error(d, b->body->blocks[i]->type_loc,
                      "unexpected block \"%s\" in a module block; inputs are arguments: name = "
                      "value",
                      b->body->blocks[i]->type);
}

void cp__config_decode_module(cp_config *c, const cp_block *b, cp_diags *d)
{
    if (b->nlabels != 1) {
        cp_diag_error(d, b->type_loc,
                      "a module block takes 1 label: module \"NAME\" { source = \"./dir\" }");
        return;
    }
    const cp_config_module *dup = cp_config_find_module(c, b->labels[0]);
    if (dup) {
        char *where = cp_loc_string(&c->sources, dup->loc);
        cp_diag_error(d, b->label_locs[0], "duplicate module \"%s\"; first declared at %s",
                      b->labels[0], where);
        free(where);
        return;
    }
    c->modules = cp_xrealloc(c->modules, (c->nmodules + 1) * sizeof *c->modules);
    cp_config_module *m = &c->modules[c->nmodules++];
    memset(m, 0, sizeof *m);
    m->name = b->labels[0];
    m->loc = b->label_locs[0];
    m->body = b->body;
    m->parent = c->self;
    m->path = c->self ? cp_xasprintf("%s.module.%s", c->self->path, m->name)
                      : cp_xasprintf("module.%s", m->name);
    decode_source(m, b, d);
    decode_meta(m, b, d);
}

/* ---- loading ---- */

static size_t depth_of(const cp_config_module *m)
{
    size_t n = 0;
    for (; m; m = m->parent) n++;
    return n;
}

static const char **variable_names(const cp_config *c)
{
    const char **names = cp_xcalloc(c->nvariables + 1, sizeof *names);
    for (size_t i = 0; i < c->nvariables; i++) names[i] = c->variables[i].name;
    return names;
}

/* Every input names a variable of the module; every variable without a
 * default is given. */
static void check_inputs(const cp_config_module *m, cp_diags *d)
{
    const cp_config *mc = m->config;
    const char **names = variable_names(mc);
    for (size_t i = 0; i < m->body->nattrs; i++) {
        const cp_attr *a = &m->body->attrs[i];
        if (is_meta(a->name) || cp_config_find_variable(mc, a->name)) continue;
        const char *s = cp_suggest(a->name, names);
        if (s)
            cp_diag_error(d, a->name_loc,
                          "module \"%s\" (%s) has no variable \"%s\"; did you mean \"%s\"?",
                          m->name, m->source, a->name, s);
        else
            cp_diag_error(d, a->name_loc,
                          "module \"%s\" (%s) has no variable \"%s\"; declare it in the module "
                          "with variable \"%s\" { }, or remove the input",
                          m->name, m->source, a->name, a->name);
    }
    free(names);
    for (size_t i = 0; i < mc->nvariables; i++) {
        const cp_config_variable *v = &mc->variables[i];
        if (v->default_expr || cp_body_attr(m->body, v->name)) continue;
        cp_diag_error(d, m->loc,
                      "module \"%s\" needs input \"%s\": %s declares variable \"%s\" without a "
                      "default; add %s = VALUE to the module block",
                      m->name, v->name, m->source, v->name, v->name);
    }
}

static char *module_dir(const cp_config *caller, const char *source)
{
    if (!caller->dir || !strcmp(caller->dir, "."))
        return cp_xstrdup(!strncmp(source, "./", 2) && source[2] ? source + 2 : source);
    return cp_xasprintf("%s/%s", caller->dir, source);
}

static const cp_attr *source_attr(const cp_config_module *m)
{
    return cp_body_attr(m->body, "source");
}

static void load_one(cp_config *c, cp_config_module *m, cp_diags *d)
{
    const cp_attr *src = source_attr(m);
    if (depth_of(m) > MAX_DEPTH) {
        cp_diag_error(d, src->expr->loc,
                      "modules nest more than %d deep at %s; does a module call itself?", MAX_DEPTH,
                      m->path);
        return;
    }
    char *dir = module_dir(c, m->source);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cp_diag_error(d, src->expr->loc,
                      "module \"%s\": no directory at %s; source is a path relative to the "
                      "directory of the calling module",
                      m->name, !c->dir || !strcmp(c->dir, ".") ? m->source : dir);
        free(dir);
        return;
    }
    cp_config *mc = cp_xcalloc(1, sizeof *mc);
    mc->self = m;
    mc->types = c->types;
    mc->sources = c->sources; /* lent for the load, then handed back */
    m->caller = c;            /* before the load: its provider = … resolve through the caller */
    cp__config_load_into(mc, dir, NULL, d);
    c->sources = mc->sources;
    mc->types = NULL;
    m->config = mc;
    free(dir);
    check_inputs(m, d);
}

void cp__config_load_modules(cp_config *c, cp_diags *d)
{
    for (size_t i = 0; i < c->nmodules; i++)
        if (c->modules[i].source)
            load_one(c, &c->modules[i], d);
        else
            c->modules[i].caller = c;
}

/* ---- flattening ---- */

static void move_resources(cp_config *root, cp_config_module *m)
{
    cp_config *mc = m->config;
    for (size_t i = 0; i < mc->nmodules; i++)
        if (mc->modules[i].config) move_resources(root, &mc->modules[i]);
    root->resources = cp_xrealloc(root->resources,
                                  (root->nresources + mc->nresources + 1) * sizeof(*mc->resources));
    for (size_t i = 0; i < mc->nresources; i++) {
        cp_config_resource *r = &root->resources[root->nresources++];
        *r = mc->resources[i];
        r->module = m;
        char *local = r->address;
        r->address = cp_xasprintf("%s.%s", m->path, local);
        free(local);
        for (size_t k = 0; k < r->ndepends_on; k++) {
            char *dep = r->depends_on[k].address;
            r->depends_on[k].address = cp_xasprintf("%s.%s", m->path, dep);
            free(dep);
        }
    }
    free(mc->resources);
    mc->resources = NULL;
    mc->nresources = 0;
    cp__config_index_drop_resources(mc);
}

/* Module configs read the root's sources table as it is after every load. */
static void share_sources(const cp_config *root, cp_config *c)
{
    for (size_t i = 0; i < c->nmodules; i++) {
        cp_config *mc = c->modules[i].config;
        if (!mc) continue;
        mc->sources = root->sources;
        share_sources(root, mc);
    }
}

void cp__config_flatten_modules(cp_config *root, cp_diags *d)
{
    if (!root->nmodules) return;
    share_sources(root, root);
    for (size_t i = 0; i < root->nmodules; i++)
        if (root->modules[i].config) move_resources(root, &root->modules[i]);
    cp__config_index_build(root, d);
}

void cp__config_free_modules(cp_config *c)
{
    for (size_t i = 0; i < c->nmodules; i++) {
        cp_config_module *m = &c->modules[i];
        cp_config_free(m->config);
        free(m->path);
        for (size_t k = 0; k < m->ndepends_on; k++) free(m->depends_on[k].address);
        free(m->depends_on);
    }
    free(c->modules);
    c->modules = NULL;
    c->nmodules = 0;
}
