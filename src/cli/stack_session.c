/*
 * stack_session.c: loading what an engine command needs (see
 * stack_session.h): config, variables, branch (cli/branch.h), region,
 * the state backend (the type the stack's backend block names, else the
 * default, from cli/backends.h; with encryption at rest when
 * CPSTACK_STATE_PASSPHRASE is set) and the state.
 */
#include "cli/stack_session.h"
#include "cli/cli_util.h"
#include "config/config_eval.h"
#include "plan/scope.h"
#include "backend/codec_encrypt.h"
#include "cli/backends.h"
#include "cli/branch.h"
#include "cli/stack_reader.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

long cp_session_parse_duration(const char *text)
{
    if (!text || !*text) return 0;
    char *end;
    double n = strtod(text, &end);
    if (end == text || n < 0) return -1;
    if (!*end || !strcmp(end, "s")) return (long)(n * 1000);
    if (!strcmp(end, "ms")) return (long)n;
    if (!strcmp(end, "m")) return (long)(n * 60000);
    return -1;
}

/* The deployment branch: -branch, CPSTACK_BRANCH, CI variables, git, or
 * "default" (cli/branch.h), made safe for AWS names. */
static char *pick_branch(const char *flag, const char *dir)
{
    char *raw = cp_branch_detect(flag, dir, NULL, NULL);
    char *safe = cp_branch_sanitize(raw, CP_BRANCH_MAX_LEN);
    free(raw);
    return safe;
}

static int eval_variables(cp_session *s, const cp_session_opts *o, const char **files)
{
    if (o->no_variables) {
        /* defaults and the environment only, quietly: a state command needs
         * no -var, but a region = var.region with a default still works */
        cp_var_inputs quiet = { .environ = environ };
        cp_diags d;
        cp_diags_init(&d);
        s->variables = cp_config_eval_variables(s->config, &quiet, &d);
        if (!s->variables || cp_diags_has_errors(&d)) {
            cp_release(s->variables);
            s->variables = cp_map_new();
        }
        cp_diags_free(&d);
        s->quiet_settings = true;
        return 0;
    }
    cp_var_inputs in = {
        .assignments = o->vars ? o->vars->items : NULL,
        .nassignments = o->vars ? o->vars->len : 0,
        .files = files,
        .nfiles = o->var_files ? o->var_files->len : 0,
        .environ = environ,
    };
    cp_diags d;
    cp_diags_init(&d);
    s->variables = cp_config_eval_variables(s->config, &in, &d);
    if (d.len) cp_diags_print(&d, &s->config->sources, stderr, s->color);
    int rc = s->variables && !cp_diags_has_errors(&d) ? 0 : -1;
    cp_diags_free(&d);
    return rc;
}

/* Evaluate a stack-level setting (region, backend arguments): it may use
 * variables and stack.*, not resources. NULL after printing errors. */
static cp_value *eval_setting(cp_session *s, const cp_expr *e)
{
    cp_scope scope;
    cp_scope_init(&scope, s->config, s->variables, s->config->stack_name, s->branch, NULL);
    cp_scope_env env = { &scope, NULL, NULL, -1, NULL };
    cp_diags d;
    cp_diags_init(&d);
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, &d, &ctx);
    cp_value *v = cp_eval(&ctx, e);
    if (d.len) cp_diags_print(&d, &s->config->sources, stderr, s->color);
    cp_diags_free(&d);
    cp_scope_free(&scope);
    return v;
}

/* True when the region expression names only variables that have a value
 * (a state command evaluates no -var: an unset one leaves the region to
 * AWS_REGION rather than printing an error about a flag it does not take). */
static bool region_known(const cp_session *s)
{
    const cp_expr *e = s->config->region;
    return e->kind != CP_E_GETATTR || e->u.getattr.obj->kind != CP_E_VAR ||
           strcmp(e->u.getattr.obj->u.var.name, "var") != 0 ||
           cp_map_get(s->variables, e->u.getattr.name) != NULL;
}

static void eval_region(cp_session *s, const char *flag)
{
    const char *env = getenv("AWS_REGION");
    if (flag && *flag) {
        s->region = cp_xstrdup(flag);
        return;
    }
    if (s->config->region && !(s->quiet_settings && !region_known(s))) {
        cp_value *v = eval_setting(s, s->config->region);
        if (v && cp_kind_of(v) == CP_STRING) s->region = cp_xstrdup(cp_string_val(v));
        cp_release(v);
    }
    if (!s->region && env && *env) s->region = cp_xstrdup(env);
}

/* The backend block's arguments, evaluated: a map (empty without a
 * block), or NULL after printing errors. */
static cp_value *backend_settings(cp_session *s)
{
    const cp_body *body = s->config->backend.body;
    cp_value *m = cp_map_new();
    for (size_t i = 0; body && i < body->nattrs; i++) {
        cp_value *v = eval_setting(s, body->attrs[i].expr);
        if (!v) {
            cp_release(m);
            return NULL;
        }
        cp_map_set_take(m, body->attrs[i].name, v);
    }
    return m;
}

/* The backend the stack's block names (config checked the name against
 * the same list), or the default. 1 when errors were already printed. */
static int open_typed_backend(cp_session *s, char **err)
{
    const char *name = s->config->backend.type;
    const cp_backend_type *t = cp_cli_backend_type(name);
    if (!t) {
        *err = cp_xasprintf("unknown backend \"%s\"", name);
        return -1;
    }
    cp_value *settings = backend_settings(s);
    if (!settings) return 1;
    cp_backend_env env = { .stack_dir = s->config->dir ? s->config->dir : ".",
                           .region = s->region };
    int rc = t->open(settings, &env, &s->backend, err);
    cp_release(settings);
    return rc;
}

/* State encryption at rest when CPSTACK_STATE_PASSPHRASE is set. */
static int set_encryption(cp_session *s, char **err)
{
    const char *pass = getenv("CPSTACK_STATE_PASSPHRASE");
    if (!pass || !*pass) return 0;
    cp_state_codec codec;
    if (cp_codec_encrypt_new(pass, &codec, err) != 0) return -1;
    cp_backend_set_codec(s->backend, &codec);
    return 0;
}

static int open_backend(cp_session *s, const cp_session_opts *o)
{
    char *err = NULL;
    int rc = open_typed_backend(s, &err);
    if (rc > 0) return -1;
    if (rc == 0) rc = set_encryption(s, &err);
    if (rc != 0) {
        fprintf(stderr, "cpstack: %s\n", err);
        free(err);
        return -1;
    }
    s->store = cp_store_open(s->backend, s->branch);
    if (o->lock) {
        long ms = cp_session_parse_duration(o->lock_timeout);
        if (ms < 0) {
            fprintf(stderr,
                    "cpstack: -lock-timeout takes a duration such as 30s or 2m, not \"%s\"\n",
                    o->lock_timeout);
            return -1;
        }
        if (cp_store_lock(s->store, o->operation, ms, &err) != 0) {
            fprintf(stderr, "cpstack: %s\n", err);
            free(err);
            return -1;
        }
    }
    return 0;
}

/* Does the state's branch name this branch? (Also as it was written before
 * branch names were made safe for AWS.) An empty name is an old file's. */
static bool same_branch(const char *stored, const char *branch)
{
    if (!stored[0] || !strcmp(stored, branch)) return true;
    char *safe = cp_branch_sanitize(stored, CP_BRANCH_MAX_LEN);
    bool same = !strcmp(safe, branch);
    free(safe);
    return same;
}

/* A state read for this stack and branch must say it is theirs: two stacks
 * given the same backend key (or a copied state file) would otherwise plan
 * to delete each other's objects. */
static int check_owner(cp_session *s, const char *stack, bool any_owner)
{
    const char *st = cp_state_stack(s->state), *br = cp_state_branch(s->state);
    bool ours = (!st[0] || !strcmp(st, stack)) && same_branch(br, s->branch);
    if (ours || any_owner) return 0;
    char *where = cp_backend_describe(s->backend, s->branch);
    fprintf(stderr,
            "cpstack: the state in %s belongs to stack \"%s\" branch \"%s\", not to this stack "
            "\"%s\" branch \"%s\"; refusing to use it: give each stack its own state location "
            "(backend key or directory), or if you renamed the stack, put its old name back\n",
            where ? where : "the backend", st, br, stack, s->branch);
    free(where);
    return -1;
}

static int read_state(cp_session *s, bool any_owner)
{
    char *err = NULL;
    if (cp_store_read(s->store, &s->state, &err) != 0) {
        fprintf(stderr, "cpstack: %s\n", err);
        free(err);
        return -1;
    }
    const char *stack = s->config->stack_name ? s->config->stack_name : "stack";
    if (!s->state) s->state = cp_state_new(stack, s->branch);
    return check_owner(s, stack, any_owner);
}

/* Engine commands run inside the stack directory (like terraform -chdir),
 * so relative paths in the stack (file(), source = "site/logo.png",
 * source_dir) mean the same wherever cpstack was started. Returns the path
 * to load from there. */
static const char *enter_stack_dir(const char *dir)
{
    struct stat st;
    if (!dir || !strcmp(dir, ".")) return ".";
    if (stat(dir, &st) != 0) return dir; /* config loading reports it */
    const char *slash = strrchr(dir, '/');
    if (S_ISDIR(st.st_mode)) return chdir(dir) == 0 ? "." : dir;
    if (!slash) return dir;
    char *parent = cp_xstrndup(dir, (size_t)(slash - dir) + (slash == dir));
    int rc = chdir(parent);
    free(parent);
    return rc == 0 ? slash + 1 : dir;
}

/* -var-file paths are the user's, relative to where cpstack was started:
 * made absolute before entering the stack directory. */
static char **absolute_paths(const cp_strlist *l)
{
    size_t n = l ? l->len : 0;
    char **out = cp_xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        char *abs = realpath(l->items[i], NULL);
        out[i] = abs ? abs : cp_xstrdup(l->items[i]); /* missing: reported later */
    }
    return out;
}

int cp_session_open(cp_session *s, const cp_session_opts *o)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->color = cp_cli_color(stderr, o->no_color);
    char **var_files = absolute_paths(o->var_files);
    s->types = cp_registry_types(o->cli->providers);
    s->config = cp_cli_load_config(o->cli, enter_stack_dir(o->dir), o->no_color);
    int rc = -1;
    if (s->config) {
        s->branch = pick_branch(o->branch, s->config->dir ? s->config->dir : ".");
        rc = eval_variables(s, o, (const char **)var_files);
    }
    for (char **p = var_files; *p; p++) free(*p);
    free(var_files);
    if (rc != 0) return -1;
    eval_region(s, o->region);
    if (open_backend(s, o) != 0) return -1;
    return read_state(s, o->any_owner);
}

/* The host handed to providers that take one (called with s->mu held):
 * it reads other stacks' state the way this stack's backend is set. */
static const cp_provider_host *session_host(cp_session *s)
{
    if (!s->reader) {
        cp_value *settings = s->config->backend.body ? backend_settings(s) : NULL;
        s->reader =
            cp_stack_reader_new(s->config->dir, s->region, s->config->backend.type, settings);
        cp_release(settings);
        s->host = cp_stack_reader_host(s->reader);
    }
    return &s->host;
}

static bool same_instance(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The provider block configuring instance ("aws.west", or NULL: the
 * unaliased block) of p, or NULL. */
static const cp_config_provider *provider_block(const cp_session *s, const cp_provider *p,
                                                const char *instance)
{
    const char *alias = instance ? strchr(instance, '.') : NULL;
    return cp_config_find_provider(s->config, p->name, alias ? alias + 1 : NULL);
}

/* The block's settings evaluated like the stack's (variables and stack.*);
 * NULL with *err. */
static cp_value *provider_config(cp_session *s, const cp_provider *p, const cp_config_provider *b,
                                 char **err)
{
    cp_scope scope;
    cp_scope_init(&scope, s->config, s->variables, s->config->stack_name, s->branch, s->region);
    cp_scope_env env = { &scope, NULL, NULL, -1, NULL };
    cp_diags d;
    cp_diags_init(&d);
    cp_eval_ctx ctx;
    cp_scope_ctx(&env, &d, &ctx);
    cp_value *v = cp_config_eval_provider(b, p->settings, &ctx);
    if (!v || cp_diags_has_errors(&d)) {
        char *where = cp_loc_string(&s->config->sources, b->loc);
        *err = cp_xasprintf("provider %s (%s): %s", b->key, where,
                            d.len ? d.items[0].msg : "its settings could not be evaluated");
        free(where);
        cp_release(v);
        v = NULL;
    } else if (cp_contains_unknown(v)) {
        *err = cp_xasprintf("provider %s: its settings use values known only after apply; a "
                            "provider block may use variables and stack.* only",
                            b->key);
        cp_release(v);
        v = NULL;
    }
    cp_diags_free(&d);
    cp_scope_free(&scope);
    return v;
}

static void *configure(cp_session *s, const cp_provider *p, const char *instance, char **err)
{
    const cp_config_provider *b = provider_block(s, p, instance);
    if (instance && !b) {
        *err = cp_xasprintf("provider %s is not declared in the stack (state names it); add "
                            "provider \"%s\" { alias = \"%s\" … } back, or run destroy before "
                            "removing it",
                            instance, p->name,
                            strchr(instance, '.') ? strchr(instance, '.') + 1 : instance);
        return NULL;
    }
    cp_value *cfg = b ? provider_config(s, p, b, err) : NULL;
    if (b && !cfg) return NULL;
    cp_value *settings = cp_map_new();
    cp_map_set_take(settings, "region", s->region ? cp_string(s->region) : cp_null());
    cp_map_set_take(settings, "stack",
                    cp_string(s->config->stack_name ? s->config->stack_name : ""));
    cp_map_set_take(settings, "branch", cp_string(s->branch));
    cp_map_set_take(settings, "alias", b && b->alias ? cp_string(b->alias) : cp_null());
    cp_map_set_take(settings, "config", cfg ? cfg : cp_null());
    void *c = NULL;
    int rc = p->configure_host ? p->configure_host(settings, session_host(s), &c, err)
             : p->configure    ? p->configure(settings, &c, err)
                               : 0;
    cp_release(settings);
    if (rc != 0) return NULL;
    return c ? c : (void *)p; /* providers without a client still get a non-NULL one */
}

void *cp_session_client(void *ud, const cp_provider *p, const char *instance, char **err)
{
    cp_session *s = ud;
    void *client = NULL;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->nclients; i++)
        if (s->providers[i] == p && same_instance(s->instances[i], instance)) {
            client = s->clients[i];
            goto out;
        }
    if (s->nclients == CP_SESSION_MAX_PROVIDERS) {
        *err = cp_xasprintf("too many provider instances (at most %d)", CP_SESSION_MAX_PROVIDERS);
        goto out;
    }
    client = configure(s, p, instance, err);
    if (!client) goto out;
    s->providers[s->nclients] = p;
    s->instances[s->nclients] = instance ? cp_xstrdup(instance) : NULL;
    s->clients[s->nclients++] = client;
out:
    pthread_mutex_unlock(&s->mu);
    return client;
}

int cp_session_save(cp_session *s)
{
    char *err = NULL;
    if (cp_store_write(s->store, s->state, &err) == 0) return 0;
    fprintf(stderr, "cpstack: saving state failed: %s\n", err);
    free(err);
    return -1;
}

void cp_session_close(cp_session *s)
{
    for (size_t i = 0; i < s->nclients; i++) {
        if (s->providers[i]->close && s->clients[i] != (void *)s->providers[i])
            s->providers[i]->close(s->clients[i]);
        free(s->instances[i]);
    }
    cp_stack_reader_free(s->reader);
    cp_store_close(s->store);
    cp_backend_close(s->backend);
    cp_state_free(s->state);
    cp_release(s->variables);
    if (s->config) cp_config_free(s->config);
    free(s->branch);
    free(s->region);
    pthread_mutex_destroy(&s->mu);
    memset(s, 0, sizeof *s);
}
