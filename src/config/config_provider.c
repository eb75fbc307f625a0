/*
 * config_provider.c: provider configurations — `provider "NAME" { alias = "A" … }`
 * blocks, the `provider = NAME.ALIAS` meta-argument of resources and data
 * sources, and `providers = { NAME = NAME.ALIAS }` in module blocks.
 *
 * A provider block is generic here: its NAME must be a provider the
 * loader's lookup knows, its settings must be the ones that provider
 * declares (provider_settings), and alias is core's. What the settings mean
 * is the provider's business (its configure function gets the evaluated
 * body). Resolution runs once a config's blocks are all decoded: every
 * resource gets the key of the root's provider instance that owns it (NULL:
 * the default one), through the providers maps of the module calls above
 * it, so that plan and apply need no module knowledge to pick a client.
 *
 * Invariants: only the root config has provider blocks; keys are unique
 * ("aws", "aws.west"); a resource's provider is NULL or a key of the root.
 */
#include "config/config_internal.h"
#include "lang/suggest.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const cp_schema_attr alias_attr = {
    .name = "alias",
    .type = CP_AT_STRING,
    .flags = CP_OPTIONAL,
    .description = "names a second configuration of the provider (provider = NAME.ALIAS)",
};

const cp_config_provider *cp_config_find_provider(const cp_config *c, const char *name,
                                                  const char *alias)
{
    for (size_t i = 0; i < c->nproviders; i++) {
        const cp_config_provider *p = &c->providers[i];
        if (strcmp(p->name, name)) continue;
        if (!alias ? !p->alias : p->alias && !strcmp(p->alias, alias)) return p;
    }
    return NULL;
}

typedef struct names {
    const char **v; /* NULL-terminated once built */
    size_t n, cap;
} names;

static void add_name(void *arg, const char *name)
{
    names *l = arg;
    CP_GROW(l->v, l->n + 2, l->cap);
    l->v[l->n++] = name;
    l->v[l->n] = NULL;
}

static void unknown_provider(const cp_config *c, const char *name, cp_loc at, cp_diags *d)
{
    names l = { 0 };
    if (c->types->each_provider) c->types->each_provider(c->types->ud, add_name, &l);
    const char *s = l.v ? cp_suggest(name, l.v) : NULL;
    if (s) {
        cp_diag_error(d, at, "unknown provider \"%s\"; did you mean \"%s\"?", name, s);
    } else {
        cp_buf list;
        cp_buf_init(&list);
        for (size_t i = 0; i < l.n; i++)
            cp_buf_printf(&list, "%s%s", i == 0 ? "" : i + 1 == l.n ? " and " : ", ", l.v[i]);
        cp_diag_error(d, at, "unknown provider \"%s\"; cpstack has the providers %s", name,
                      l.n ? list.data : "none");
        cp_buf_free(&list);
    }
    free(l.v);
}

static bool valid_alias(const char *a)
{
    if (!isalpha((unsigned char)*a)) return false;
    for (; *a; a++)
        if (!isalnum((unsigned char)*a) && *a != '_' && *a != '-') return false;
    return true;
}

/* The settings schema plus alias, as one {NULL}-terminated table (malloc'd). */
static cp_schema_attr *with_alias(const cp_schema_attr *settings)
{
    size_t n = 0;
    while (settings[n].name) n++;
    cp_schema_attr *t = cp_xcalloc(n + 2, sizeof *t);
    memcpy(t, settings, n * sizeof *t);
    t[n] = alias_attr;
    return t;
}

static const char *decode_alias(const cp_block *b, cp_diags *d)
{
    const cp_attr *a = cp_body_attr(b->body, "alias");
    if (!a) return NULL;
    const char *s = cp__expr_static_string(a->expr);
    if (!s || !valid_alias(s)) {
        cp_diag_error(d, a->expr->loc,
                      "alias must be a literal name of letters, digits, '_' and '-', starting "
                      "with a letter, like alias = \"west\"");
        return NULL;
    }
    return s;
}

static bool not_duplicate(const cp_config *c, const cp_block *b, const char *alias, cp_diags *d)
{
    const cp_config_provider *dup = cp_config_find_provider(c, b->labels[0], alias);
    if (!dup) return true;
    char *where = cp_loc_string(&c->sources, dup->loc);
    if (alias)
        cp_diag_error(d, b->label_locs[0],
                      "duplicate provider \"%s\" with alias \"%s\"; first declared at %s",
                      b->labels[0], alias, where);
    else
        cp_diag_error(d, b->label_locs[0],
                      "duplicate provider \"%s\" block without alias; first declared at %s: give "
                      "one of them alias = \"NAME\"",
                      b->labels[0], where);
    free(where);
    return false;
}

void cp__config_decode_provider(cp_config *c, const cp_block *b, cp_diags *d)
{
    if (b->nlabels != 1) {
        cp_diag_error(d, b->type_loc, "a provider block takes 1 label: provider \"NAME\" { … }");
        return;
    }
    const char *name = b->labels[0];
    if (c->self) {
        cp_diag_error(d, b->type_loc,
                      "a provider block in a module (%s); only the root stack has them: pass one "
                      "with providers = { %s = %s.ALIAS } in the module block",
                      c->self->path, name, name);
        return;
    }
    const cp_schema_attr *settings =
        c->types->provider_settings ? c->types->provider_settings(c->types->ud, name) : NULL;
    if (!settings) {
        unknown_provider(c, name, b->label_locs[0], d);
        return;
    }
    char *owner = cp_xasprintf("provider \"%s\"", name);
    cp_schema_attr *schema = with_alias(settings);
    cp__config_check_body(b->body, schema, owner, false, b->type_loc, false, d);
    free(schema);
    free(owner);
    const char *alias = decode_alias(b, d);
    if (cp_body_attr(b->body, "alias") && !alias) return;
    if (!not_duplicate(c, b, alias, d)) return;
    c->providers = cp_xrealloc(c->providers, (c->nproviders + 1) * sizeof *c->providers);
    c->providers[c->nproviders++] = (cp_config_provider){
        .name = name,
        .alias = alias,
        .key = alias ? cp_xasprintf("%s.%s", name, alias) : cp_xstrdup(name),
        .body = b->body,
        .loc = b->label_locs[0],
    };
}

/* ---- resolution ---- */

/* NAME or NAME.ALIAS from a reference expression; false when e is neither. */
static bool split_ref(const cp_expr *e, const char **name, const char **alias)
{
    *alias = NULL;
    if (e->kind == CP_E_GETATTR && e->u.getattr.obj->kind == CP_E_VAR) {
        *name = e->u.getattr.obj->u.var.name;
        *alias = e->u.getattr.name;
        return true;
    }
    if (e->kind == CP_E_VAR) {
        *name = e->u.var.name;
        return true;
    }
    return false;
}

static const cp_config *root_of(const cp_config *c)
{
    while (c->self) c = c->self->caller;
    return c;
}

/* The aliases of provider name declared in the root, for suggestions. */
static const char **root_keys(const cp_config *root, const char *name)
{
    names l = { 0 };
    for (size_t i = 0; i < root->nproviders; i++)
        if (root->providers[i].alias && !strcmp(root->providers[i].name, name))
            add_name(&l, root->providers[i].key);
    return l.v;
}

static void undeclared(const cp_config *c, const char *key, const char *name, cp_loc at,
                       cp_diags *d)
{
    const char **keys = root_keys(root_of(c), name);
    const char *s = keys ? cp_suggest(key, keys) : NULL;
    if (s)
        cp_diag_error(d, at, "provider %s is not declared; did you mean %s?", key, s);
    else
        cp_diag_error(d, at,
                      "provider %s is not declared; declare it with provider \"%s\" { alias = "
                      "\"%s\" … }",
                      key, name, strchr(key, '.') + 1);
    free(keys);
}

/* The root key meant by name[.alias] in config c; *ok false after an error. */
static const char *resolve(const cp_config *c, const char *name, const char *alias, cp_loc at,
                           bool *ok, cp_diags *d)
{
    char *key = alias ? cp_xasprintf("%s.%s", name, alias) : cp_xstrdup(name);
    const char *out = NULL;
    const cp_config_module *m = c->self;
    if (!m) {
        const cp_config_provider *p = alias ? cp_config_find_provider(c, name, alias) : NULL;
        if (alias && !p) {
            undeclared(c, key, name, at, d);
            *ok = false;
        }
        out = p ? p->key : NULL;
        free(key);
        return out;
    }
    for (size_t i = 0; i < m->nproviders; i++)
        if (!strcmp(m->providers[i].local, key)) {
            free(key);
            return m->providers[i].key;
        }
    if (!alias) {
        free(key);
        return resolve(m->caller, name, NULL, at, ok, d); /* the caller's default */
    }
    cp_diag_error(d, at,
                  "provider %s is not passed to %s; add %s = %s.ALIAS to providers = { … } in its "
                  "module block",
                  key, m->path, key, name);
    *ok = false;
    free(key);
    return NULL;
}

/* The provider a resource type belongs to: the part of its name before the
 * first '_' (as Terraform infers it). */
static char *type_provider(const char *type)
{
    const char *u = strchr(type, '_');
    return u ? cp_xstrndup(type, (size_t)(u - type)) : cp_xstrdup(type);
}

static void resolve_resource(const cp_config *c, cp_config_resource *r, cp_diags *d)
{
    const cp_attr *a = cp_body_attr(r->body, "provider");
    char *want = type_provider(r->type);
    const char *name = want, *alias = NULL;
    cp_loc at = r->loc;
    r->provider_expr = a ? a->expr : NULL;
    if (a && !split_ref(a->expr, &name, &alias)) {
        cp_diag_error(d, a->expr->loc,
                      "%s: provider must name a provider configuration, like provider = %s.ALIAS",
                      r->address, want);
        free(want);
        return;
    }
    if (a) at = a->expr->loc;
    if (a && strcmp(name, want)) {
        cp_diag_error(d, a->expr->loc,
                      "%s: provider = %s%s%s names provider \"%s\", but %s belongs to provider "
                      "\"%s\"",
                      r->address, name, alias ? "." : "", alias ? alias : "", name, r->type, want);
        free(want);
        return;
    }
    bool ok = true;
    r->provider = resolve(c, name, alias, at, &ok, d);
    free(want);
}

static void add_map(cp_config_module *m, char *local, const char *key, cp_loc at)
{
    m->providers = cp_xrealloc(m->providers, (m->nproviders + 1) * sizeof *m->providers);
    m->providers[m->nproviders++] = (cp_config_provider_map){ local, key, at };
}

/* The left side of one providers entry: aws or aws.x (or "aws.x"). */
static char *map_local(const cp_expr *k)
{
    const char *s = cp__expr_static_string(k);
    if (s) return cp_xstrdup(s);
    const char *name, *alias;
    if (!split_ref(k, &name, &alias)) return NULL;
    return alias ? cp_xasprintf("%s.%s", name, alias) : cp_xstrdup(name);
}

static void resolve_module_map(const cp_config *c, cp_config_module *m, cp_diags *d)
{
    const cp_attr *a = cp_body_attr(m->body, "providers");
    if (!a) return;
    m->has_providers = true;
    if (a->expr->kind != CP_E_OBJECT) {
        cp_diag_error(d, a->expr->loc,
                      "providers takes a map of provider configurations, like providers = { aws "
                      "= aws.west }");
        return;
    }
    for (size_t i = 0; i < a->expr->u.object.keys.len; i++) {
        const cp_expr *k = a->expr->u.object.keys.items[i];
        const cp_expr *v = a->expr->u.object.vals.items[i];
        char *local = map_local(k);
        const char *name, *alias;
        if (!local || !split_ref(v, &name, &alias)) {
            cp_diag_error(d, local ? v->loc : k->loc,
                          "providers entries are NAME = NAME.ALIAS, like aws = aws.west");
            free(local);
            continue;
        }
        size_t n = strcspn(local, ".");
        if (strlen(name) != n || strncmp(local, name, n)) {
            cp_diag_error(d, v->loc, "providers: %s cannot stand for %s%s%s: the names differ",
                          local, name, alias ? "." : "", alias ? alias : "");
            free(local);
            continue;
        }
        bool ok = true;
        const char *key = resolve(c, name, alias, v->loc, &ok, d);
        if (ok)
            add_map(m, local, key, k->loc);
        else
            free(local);
    }
}

void cp__config_check_import_provider(const cp_config *c, const cp_expr *provider,
                                      const cp_config_resource *r, cp_diags *d)
{
    const char *name = NULL, *alias = NULL;
    char *want = type_provider(r->type);
    if (!split_ref(provider, &name, &alias) || strcmp(name, want) != 0) {
        cp_diag_error(d, provider->loc,
                      "import: provider must name a provider configuration of %s, like "
                      "provider = %s.ALIAS",
                      want, want);
        free(want);
        return;
    }
    free(want);
    bool ok = true;
    const char *key = resolve(c, name, alias, provider->loc, &ok, d);
    if (!ok) return;
    if ((key == NULL) != (r->provider == NULL) || (key && strcmp(key, r->provider) != 0))
        cp_diag_error(d, provider->loc,
                      "import: provider = %s%s%s differs from the provider of %s (%s); an import "
                      "reads through the resource's own provider: make them the same or remove "
                      "provider",
                      name, alias ? "." : "", alias ? alias : "", r->address,
                      r->provider ? r->provider : name);
}

void cp__config_resolve_providers(cp_config *c, cp_diags *d)
{
    for (size_t i = 0; i < c->nmodules; i++) resolve_module_map(c, &c->modules[i], d);
    for (size_t i = 0; i < c->nresources; i++) resolve_resource(c, &c->resources[i], d);
}

void cp__config_free_providers(cp_config *c)
{
    for (size_t i = 0; i < c->nproviders; i++) free(c->providers[i].key);
    free(c->providers);
    for (size_t i = 0; i < c->nmodules; i++) {
        for (size_t k = 0; k < c->modules[i].nproviders; k++)
            free(c->modules[i].providers[k].local);
        free(c->modules[i].providers);
    }
}
