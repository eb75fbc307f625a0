/*
 * test_modules.c: loading module calls — a stack written to a scratch
 * directory as several files (root and module directories), loaded with a
 * fake schema lookup. Checks the loaded tree (calls, paths, the module
 * configs' variables and outputs), the root's flattened resources with
 * their module and "module.NAME." addresses, the graph's module nodes and
 * edges, and each load error's exact text at file:line:col (module files
 * included: every file is in the root's sources).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "config/config_graph.h"
#include "util/xalloc.h"

static const cp_schema_attr bucket_attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "id" },
    { .name = "bucket", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "name" },
    { NULL },
};

static const cp_schema_attr *fake_find(void *ud, const char *type, bool is_data)
{
    (void)ud;
    return !is_data && !strcmp(type, "fake_bucket") ? bucket_attrs : NULL;
}

static void fake_each(void *ud, bool is_data, void (*fn)(void *arg, const char *name), void *arg)
{
    (void)ud;
    if (!is_data) fn(arg, "fake_bucket");
}

static const cp_schema_attr fake_settings[] = {
    { .name = "region", .type = CP_AT_STRING, .flags = CP_OPTIONAL, .description = "region" },
    { NULL },
};

static const cp_schema_attr *fake_provider(void *ud, const char *name)
{
    (void)ud;
    return !strcmp(name, "fake") ? fake_settings : NULL;
}

static void fake_providers(void *ud, void (*fn)(void *arg, const char *name), void *arg)
{
    (void)ud;
    fn(arg, "fake");
}

/* --- a scratch stack of several files ------------------------------------ */

typedef struct file_spec {
    const char *path; /* relative to the stack directory; its folders are made */
    const char *text;
} file_spec;

typedef struct loaded {
    char *dir;
    cp_config *c;
    cp_diags d;
} loaded;

static void write_file(const char *dir, const file_spec *f)
{
    char *path = cp_xasprintf("%s/%s", dir, f->path);
    for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    FILE *fh = fopen(path, "w");
    assert_non_null(fh);
    fputs(f->text, fh);
    fclose(fh);
    free(path);
}

static void load(loaded *L, const file_spec *files)
{
    L->dir = cp_xstrdup("/tmp/cpstack-modules-XXXXXX");
    assert_non_null(mkdtemp(L->dir));
    for (const file_spec *f = files; f->path; f++) write_file(L->dir, f);
    cp_schema_lookup types = { .find = fake_find,
                               .each = fake_each,
                               .provider_settings = fake_provider,
                               .each_provider = fake_providers,
                               .ud = NULL };
    cp_diags_init(&L->d);
    L->c = cp_config_load(L->dir, &types, NULL, &L->d);
    assert_non_null(L->c);
}

static void unload(loaded *L)
{
    char *cmd = cp_xasprintf("rm -rf '%s'", L->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(L->dir);
    cp_config_free(L->c);
    cp_diags_free(&L->d);
}

/* Every diagnostic as "file:line:col: message", scratch dir stripped, one a line. */
static char *all_diags(const loaded *L)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    char *prefix = cp_xasprintf("%s/", L->dir);
    size_t n = strlen(prefix);
    for (size_t i = 0; i < L->d.len; i++) {
        char *where = cp_loc_string(&L->c->sources, L->d.items[i].loc);
        cp_buf_printf(&b, "%s: %s\n", where, L->d.items[i].msg);
        free(where);
    }
    char *s = cp_buf_steal(&b);
    for (char *p; (p = strstr(s, prefix));) memmove(p, p + n, strlen(p + n) + 1);
    free(prefix);
    return s;
}

static void expect_errors(const file_spec *files, const char *want)
{
    loaded L;
    load(&L, files);
    char *got = all_diags(&L);
    assert_string_equal(got, want);
    free(got);
    unload(&L);
}

/* --- tests ---------------------------------------------------------------- */

static const file_spec nested[] = {
    { "main.cp", "module \"net\" {\n"
                 "  source   = \"./modules/net\"\n"
                 "  for_each = toset([\"a\", \"b\"])\n"
                 "  name     = each.key\n"
                 "}\n"
                 "output \"ids\" {\n"
                 "  value = { for k, m in module.net : k => m.id }\n"
                 "}\n" },
    { "modules/net/main.cp", "variable \"name\" {\n"
                             "  type = string\n"
                             "}\n"
                             "resource \"fake_bucket\" \"b\" {\n"
                             "  bucket     = var.name\n"
                             "}\n"
                             "module \"sub\" {\n"
                             "  source = \"../sub\"\n"
                             "  bucket = fake_bucket.b.id\n"
                             "}\n"
                             "output \"id\" {\n"
                             "  value = module.sub.id\n"
                             "}\n" },
    { "modules/sub/main.cp", "variable \"bucket\" {\n"
                             "}\n"
                             "resource \"fake_bucket\" \"s\" {\n"
                             "  bucket     = \"${var.bucket}-${path.module}\"\n"
                             "  depends_on = [fake_bucket.t]\n"
                             "}\n"
                             "resource \"fake_bucket\" \"t\" {\n"
                             "  bucket = \"t\"\n"
                             "}\n"
                             "output \"id\" {\n"
                             "  value = fake_bucket.s.id\n"
                             "}\n" },
    { NULL, NULL },
};

static void test_nested_tree(void **st)
{
    (void)st;
    loaded L;
    load(&L, nested);
    char *errs = all_diags(&L);
    assert_string_equal(errs, "");
    free(errs);
    const cp_config *c = L.c;
    assert_int_equal(c->nmodules, 1);
    const cp_config_module *net = cp_config_find_module(c, "net");
    assert_non_null(net);
    assert_string_equal(net->path, "module.net");
    assert_non_null(net->for_each);
    assert_null(net->parent);
    assert_non_null(cp_config_find_variable(net->config, "name"));
    assert_non_null(cp_config_find_output(net->config, "id"));
    const cp_config_module *sub = cp_config_find_module(net->config, "sub");
    assert_non_null(sub);
    assert_string_equal(sub->path, "module.net.module.sub");
    assert_ptr_equal(sub->parent, net);
    assert_ptr_equal(sub->config->self, sub);
    /* every resource is in the root, after its module's path */
    assert_int_equal(c->nresources, 3);
    assert_int_equal(net->config->nresources, 0);
    const cp_config_resource *b = cp_config_find_resource_at(c, "module.net.fake_bucket.b");
    const cp_config_resource *s =
        cp_config_find_resource_at(c, "module.net.module.sub.fake_bucket.s");
    assert_non_null(b);
    assert_non_null(s);
    assert_ptr_equal(b->module, net);
    assert_ptr_equal(s->module, sub);
    assert_string_equal(s->type, "fake_bucket");
    assert_string_equal(s->name, "s");
    assert_int_equal(s->ndepends_on, 1);
    assert_string_equal(s->depends_on[0].address, "module.net.module.sub.fake_bucket.t");
    assert_null(cp_config_find_resource(c, false, "fake_bucket", "b")); /* not in the root */
    char *where = cp_loc_string(&c->sources, s->loc);
    assert_non_null(strstr(where, "/modules/net/../sub/main.cp:3:"));
    free(where);
    unload(&L);
}

static bool has_edge(cp_graph *g, const char *from, const char *to)
{
    int f = cp_graph_find(g, from), t = cp_graph_find(g, to);
    if (f < 0 || t < 0) fail_msg("no node %s or %s", from, to);
    size_t n;
    const int *deps = cp_graph_deps(g, f, &n);
    for (size_t i = 0; i < n; i++)
        if (deps[i] == t) return true;
    return false;
}

static void test_graph_through_modules(void **st)
{
    (void)st;
    loaded L;
    load(&L, nested);
    cp_config_node *nodes = NULL;
    cp_graph *g = cp_config_graph(L.c, &nodes, &L.d);
    assert_non_null(g);
    /* the caller's output waits for the module's output, which waits for
     * the nested module's, which waits for its resource */
    assert_true(has_edge(g, "output.ids", "module.net.output.id"));
    assert_true(has_edge(g, "module.net.output.id", "module.net.module.sub.output.id"));
    assert_true(
        has_edge(g, "module.net.module.sub.output.id", "module.net.module.sub.fake_bucket.s"));
    /* an input waits for what it refers to in the caller, and for the call */
    assert_true(has_edge(g, "module.net.module.sub.var.bucket", "module.net.fake_bucket.b"));
    assert_true(has_edge(g, "module.net.module.sub.var.bucket", "module.net.module.sub"));
    assert_true(has_edge(g, "module.net.fake_bucket.b", "module.net.var.name"));
    assert_true(has_edge(g, "module.net.fake_bucket.b", "module.net"));
    assert_true(has_edge(g, "module.net.module.sub", "module.net"));
    assert_true(
        has_edge(g, "module.net.module.sub.fake_bucket.s", "module.net.module.sub.fake_bucket.t"));
    assert_false(has_edge(g, "module.net.fake_bucket.b", "module.net.module.sub.fake_bucket.s"));
    cp_graph_free(g);
    free(nodes);
    unload(&L);
}

static void test_input_errors(void **st)
{
    (void)st;
    const file_spec files[] = {
        { "main.cp", "module \"m\" {\n"
                     "  source = \"./m\"\n"
                     "  nmae   = \"x\"\n"
                     "  extra  = 1\n"
                     "}\n"
                     "locals {\n"
                     "  a = module.m.idd\n"
                     "  b = module.n.id\n"
                     "}\n" },
        { "m/main.cp", "variable \"name\" {\n"
                       "}\n"
                       "variable \"opt\" {\n"
                       "  default = 1\n"
                       "}\n"
                       "output \"id\" {\n"
                       "  value = var.name\n"
                       "}\n" },
        { NULL, NULL },
    };
    expect_errors(files,
                  "main.cp:3:3: module \"m\" (./m) has no variable \"nmae\"; did you mean "
                  "\"name\"?\n"
                  "main.cp:4:3: module \"m\" (./m) has no variable \"extra\"; declare it in the "
                  "module with variable \"extra\" { }, or remove the input\n"
                  "main.cp:1:8: module \"m\" needs input \"name\": ./m declares variable \"name\" "
                  "without a default; add name = VALUE to the module block\n"
                  "main.cp:7:7: module \"m\" has no output \"idd\"; did you mean \"id\"?\n"
                  "main.cp:8:7: reference to undeclared module \"n\"; declare it with module "
                  "\"n\" { source = \"./dir\" }\n");
}

static void test_source_errors(void **st)
{
    (void)st;
    const file_spec files[] = {
        { "main.cp", "module \"a\" {\n"
                     "  source = \"hashicorp/consul/aws\"\n"
                     "}\n"
                     "module \"b\" {\n"
                     "}\n"
                     "module \"c\" {\n"
                     "  source = \"./c\"\n"
                     "  count = 1\n"
                     "  for_each = {}\n"
                     "  providers = {}\n"
                     "}\n"
                     "module \"a\" {\n"
                     "  source = \"./c\"\n"
                     "}\n" },
        { "c/main.cp", "variable \"x\" {\n"
                       "  default = 1\n"
                       "}\n" },
        { NULL, NULL },
    };
    expect_errors(files, "main.cp:2:12: module sources other than local paths (./ or ../) are not "
                         "supported yet\n"
                         "main.cp:4:1: module \"b\" needs a source argument: source = \"./dir\"\n"
                         "main.cp:9:14: module.c sets both count and for_each; use one of them\n"
                         "main.cp:12:8: duplicate module \"a\"; first declared at main.cp:1:8\n");
}

/* provider = fake.ALIAS and providers = { … } resolve to the root's
 * instance keys, through two levels of modules; without a map a module
 * uses its caller's default instance. */
static void test_provider_instances(void **st)
{
    (void)st;
    const file_spec files[] = {
        { "main.cp", "provider \"fake\" {\n"
                     "  alias  = \"west\"\n"
                     "  region = \"us-west-2\"\n"
                     "}\n"
                     "resource \"fake_bucket\" \"home\" {\n"
                     "  bucket = \"home\"\n"
                     "}\n"
                     "resource \"fake_bucket\" \"away\" {\n"
                     "  provider = fake.west\n"
                     "  bucket   = \"away\"\n"
                     "}\n"
                     "module \"outer\" {\n"
                     "  source    = \"./outer\"\n"
                     "  providers = { fake = fake.west, \"fake.second\" = fake.west }\n"
                     "}\n"
                     "module \"plain\" {\n"
                     "  source = \"./inner\"\n"
                     "}\n" },
        { "outer/main.cp", "module \"inner\" {\n"
                           "  source = \"../inner\"\n"
                           "}\n"
                           "resource \"fake_bucket\" \"o\" {\n"
                           "  provider = fake.second\n"
                           "  bucket   = \"o\"\n"
                           "}\n" },
        { "inner/main.cp", "resource \"fake_bucket\" \"i\" {\n"
                           "  bucket = \"i\"\n"
                           "}\n" },
        { NULL, NULL },
    };
    loaded L;
    load(&L, files);
    assert_int_equal(L.d.len, 0);
    assert_int_equal(L.c->nproviders, 1);
    assert_string_equal(L.c->providers[0].key, "fake.west");
    const struct {
        const char *address, *provider;
    } want[] = {
        { "fake_bucket.home", NULL },
        { "fake_bucket.away", "fake.west" },
        { "module.outer.fake_bucket.o", "fake.west" },
        { "module.outer.module.inner.fake_bucket.i", "fake.west" },
        { "module.plain.fake_bucket.i", NULL },
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const cp_config_resource *r = cp_config_find_resource_at(L.c, want[i].address);
        assert_non_null(r);
        if (want[i].provider)
            assert_string_equal(r->provider, want[i].provider);
        else
            assert_null(r->provider);
    }
    unload(&L);
}

static void test_module_shape_errors(void **st)
{
    (void)st;
    const file_spec files[] = {
        { "main.cp", "module \"self\" {\n"
                     "  source = \"./loop\"\n"
                     "}\n"
                     "module \"each\" {\n"
                     "  source = \"./loop\"\n"
                     "  k      = each.key\n"
                     "}\n" },
        { "loop/main.cp", "stack \"inner\" {\n"
                          "}\n"
                          "variable \"k\" {\n"
                          "  default = \"\"\n"
                          "}\n"
                          "module \"again\" {\n"
                          "  source = \"./\"\n"
                          "}\n" },
        { NULL, NULL },
    };
    loaded L;
    load(&L, files);
    char *got = all_diags(&L);
    /* a module calling itself stops at the depth limit, once per chain */
    assert_non_null(strstr(got, "modules nest more than 16 deep at module.self.module.again"));
    assert_non_null(strstr(got, "loop/main.cp:1:1: a stack block in a module (module.self); "
                                "only the root stack has one: remove it from the module\n"));
    assert_non_null(strstr(got, "main.cp:6:12: each.key is only available in a module block "
                                "that sets for_each\n"));
    free(got);
    unload(&L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_tree),         cmocka_unit_test(test_graph_through_modules),
        cmocka_unit_test(test_input_errors),        cmocka_unit_test(test_source_errors),
        cmocka_unit_test(test_module_shape_errors), cmocka_unit_test(test_provider_instances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
