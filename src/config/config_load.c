/*
 * config_load.c: reading a stack's files and sorting their top-level blocks
 * into a cp_config (see config.h). Block-specific decoding lives in
 * config_blocks.c; checks against the schemas (of the lookup the caller
 * hands cp_config_load) in config_check.c;
 * reference checks in config_refs.c.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "util/xalloc.h"

#include <assert.h>
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The .cp files of a directory, sorted by name (malloc'd paths). */
static char **list_stack_files(const char *dir, size_t *n, cp_diags *d)
{
    DIR *dh = opendir(dir);
    char **paths = NULL;
    size_t len = 0, cap = 0;
    *n = 0;
    if (!dh) {
        cp_diag_error(d, (cp_loc){ 0 }, "cannot open stack directory %s: %m", dir);
        return NULL;
    }
    for (struct dirent *e; (e = readdir(dh));) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".cp")) continue;
        CP_GROW(paths, len + 1, cap);
        paths[len++] =
            strcmp(dir, ".") ? cp_xasprintf("%s/%s", dir, e->d_name) : cp_xstrdup(e->d_name);
    }
    closedir(dh);
    if (len) qsort(paths, len, sizeof *paths, cmp_str);
    *n = len;
    return paths;
}

static void parse_one(cp_config *c, const char *path, cp_diags *d)
{
    char *err = NULL;
    uint32_t id = cp_sources_load(&c->sources, path, &err);
    if (!id) {
        cp_diag_error(d, (cp_loc){ 0 }, "%s", err);
        free(err);
        return;
    }
    c->files = cp_xrealloc(c->files, (c->nfiles + 1) * sizeof *c->files);
    c->files[c->nfiles++] = cp_parse_source(&c->sources, id, d);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? cp_xstrndup(path, (size_t)(slash - path) + (slash == path)) : cp_xstrdup(".");
}

static void read_files(cp_config *c, const char *path, cp_diags *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        cp_diag_error(d, (cp_loc){ 0 }, "cannot read %s: %m; give a stack directory or a .cp file",
                      path);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        c->dir = dir_of(path);
        parse_one(c, path, d);
        return;
    }
    c->dir = cp_xstrdup(path);
    size_t n;
    char **paths = list_stack_files(path, &n, d);
    if (paths && n == 0)
        cp_diag_error(d, (cp_loc){ 0 }, "no .cp files in %s; a stack is a directory of .cp files",
                      path);
    for (size_t i = 0; i < n; i++) {
        parse_one(c, paths[i], d);
        free(paths[i]);
    }
    free(paths);
}

void cp__config_load_into(cp_config *c, const char *path, const cp_config_backends *backends,
                          cp_diags *d)
{
    read_files(c, path, d);
    c->had_syntax_errors = cp_diags_has_errors(d);
    for (size_t i = 0; i < c->nfiles; i++) cp__config_decode_file(c, c->files[i], d);
    cp__config_check_backend(c, backends, d);
    cp__config_resolve_providers(c, d);
    cp__config_load_modules(c, d);
    cp__config_index_build(c, d);
    cp__config_check_state_blocks(c, d);
    cp__config_check_refs(c, d);
}

cp_config *cp_config_load(const char *path, const cp_schema_lookup *types,
                          const cp_config_backends *backends, cp_diags *d)
{
    assert(types && types->find && types->each);
    cp_config *c = cp_xcalloc(1, sizeof *c);
    c->types = types;
    cp_sources_init(&c->sources);
    cp__config_load_into(c, path, backends, d);
    cp__config_flatten_modules(c, d);
    cp__config_check_imports(c, d); /* into module resources too */
    c->types = NULL;
    return c;
}

void cp_config_free(cp_config *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nvariables; i++) {
        cp_type_free(c->variables[i].type);
        free(c->variables[i].validations);
    }
    for (size_t i = 0; i < c->nresources; i++) {
        cp_config_resource *r = &c->resources[i];
        free(r->address);
        for (size_t j = 0; j < r->ndepends_on; j++) free(r->depends_on[j].address);
        free(r->depends_on);
        free(r->lifecycle.ignore_changes);
        cp__config_free_lifecycle_more(&r->lifecycle);
    }
    cp__config_free_state_blocks(c);
    cp__config_index_free(c);
    cp__config_free_providers(c);
    cp__config_free_modules(c);
    free(c->variables);
    free(c->locals);
    free(c->resources);
    free(c->outputs);
    for (size_t i = 0; i < c->nfiles; i++) cp_file_free(c->files[i]);
    free(c->files);
    if (!c->self) cp_sources_free(&c->sources); /* a module's are the root's */
    free(c->dir);
    free(c);
}

const cp_config_variable *cp_config_find_variable(const cp_config *c, const char *name)
{
    size_t at = cp__config_name_find(c, 'v', name);
    return at == SIZE_MAX ? NULL : &c->variables[at];
}

const cp_config_local *cp_config_find_local(const cp_config *c, const char *name)
{
    size_t at = cp__config_name_find(c, 'l', name);
    return at == SIZE_MAX ? NULL : &c->locals[at];
}

const cp_config_resource *cp_config_find_resource(const cp_config *c, bool is_data,
                                                  const char *type, const char *name)
{
    char *addr =
        is_data ? cp_xasprintf("data.%s.%s", type, name) : cp_xasprintf("%s.%s", type, name);
    const cp_config_resource *r = cp__config_index_find(c, addr);
    free(addr);
    return r;
}

const cp_config_resource *cp_config_find_resource_at(const cp_config *root, const char *address)
{
    return cp__config_index_find(root, address);
}

const cp_config_output *cp_config_find_output(const cp_config *c, const char *name)
{
    for (size_t i = 0; i < c->noutputs; i++)
        if (!strcmp(c->outputs[i].name, name)) return &c->outputs[i];
    return NULL;
}
