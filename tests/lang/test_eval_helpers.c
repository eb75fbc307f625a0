/*
 * test_eval_helpers.c: the scope and the parse-and-evaluate helpers of
 * test_eval_helpers.h.
 *
 * The lookup function plays the config layer's part: var.X, local.X,
 * each.key/value and count.index consume two steps; a resource reference
 * aws_thing.NAME consumes two; data.TYPE.NAME three. The scope itself is
 * written as an object expression and evaluated with no lookup, then the
 * values source cannot express (sensitive, unknown) are added.
 */
#include "test_eval_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

static const char scope_src[] =
    "{\n"
    "  var = {\n"
    "    name = \"web\", count = 3, num_str = \"5\", flag = true, nothing = null,\n"
    "    tags = { Env = \"prod\", Team = \"core\" },\n"
    "    list = [\"a\", \"b\", \"c\"], nums = [3, 1, 2], ports = [80, 443],\n"
    "    empty = [], empty_map = {}, zones = [\"eu-west-1a\", \"eu-west-1b\"],\n"
    "    nested = { a = { b = [1, { c = \"deep\" }] } },\n"
    "    users = { alice = { role = \"admin\", age = 30 }, bob = { role = \"dev\", age = 25 } },\n"
    "  }\n"
    "  local = { prefix = \"web-main\" }\n"
    "  each = { key = \"k1\", value = \"v1\" }\n"
    "  count = { index = 1 }\n"
    "  aws_thing = {\n"
    "    one = { id = \"i-1\", arn = \"arn:aws:thing:1\", tags = { Name = \"one\" } },\n"
    "    many = [{ id = \"i-a\", ip = \"10.0.0.1\" }, { id = \"i-b\", ip = \"10.0.0.2\" }],\n"
    "  }\n"
    "  data = { aws_ami = { al2 = { id = \"ami-123\" } } }\n"
    "}\n";

/* A copy of map m with key set to v (consumed). */
static cp_value *with(const cp_value *m, const char *key, cp_value *v)
{
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(m); i++)
        cp_map_set_take(out, cp_map_key_at(m, i), cp_retain(cp_map_value_at(m, i)));
    cp_map_set_take(out, key, v);
    return out;
}

static cp_value *sensitive_take(cp_value *v)
{
    cp_value *s = cp_mark_sensitive(v);
    cp_release(v);
    return s;
}

/* Adds what source cannot say: sensitive and unknown values. */
static cp_value *add_marks(cp_value *scope)
{
    const cp_value *var = cp_map_get(scope, "var");
    cp_value *maybe = cp_list_new(), *secret_list = cp_list_new(), *secret_in = cp_list_new();
    cp_list_push_take(maybe, cp_number(1));
    cp_list_push_take(maybe, cp_unknown());
    cp_list_push_take(secret_list, cp_string("x"));
    cp_list_push_take(secret_list, cp_string("y"));
    cp_list_push_take(secret_in, cp_string("pub"));
    cp_list_push_take(secret_in, sensitive_take(cp_string("priv")));
    cp_value *v1 = with(var, "secret", sensitive_take(cp_string("hunter2")));
    cp_value *v2 = with(v1, "unknown", cp_unknown());
    cp_value *v3 = with(v2, "maybe", maybe);
    cp_value *v4 = with(v3, "secret_list", sensitive_take(secret_list));
    cp_value *v5 = with(v4, "secret_in", secret_in);
    cp_value *v6 = with(v5, "secret_num", sensitive_take(cp_number(42)));
    cp_release(v1);
    cp_release(v2);
    cp_release(v3);
    cp_release(v4);
    cp_release(v5);
    const cp_value *things = cp_map_get(scope, "aws_thing");
    cp_value *pending = with(cp_map_get(things, "one"), "id", cp_unknown());
    cp_value *t2 = with(things, "pending", pending);
    cp_value *s1 = with(scope, "var", v6);
    cp_value *s2 = with(s1, "aws_thing", t2);
    cp_release(s1);
    cp_release(scope);
    return s2;
}

static cp_value *lookup(void *ud, const char *const *steps, size_t n, size_t *consumed, cp_loc loc,
                        cp_diags *d)
{
    tctx *t = ud;
    const cp_value *root = cp_map_get(t->scope, steps[0]);
    if (!root) {
        cp_diag_error(d, loc, "unknown name \"%s\"", steps[0]);
        return NULL;
    }
    size_t want = strcmp(steps[0], "data") == 0 ? 3 : 2;
    if (n < want) {
        cp_diag_error(d, loc, "\"%s\" needs a name after it, like %s.NAME", steps[0], steps[0]);
        return NULL;
    }
    const cp_value *v = root;
    for (size_t i = 1; i < want; i++) {
        v = cp_map_get(v, steps[i]);
        if (!v) {
            cp_diag_error(d, loc, "undeclared %s \"%s\"", steps[0], steps[i]);
            return NULL;
        }
    }
    *consumed = want;
    return cp_retain(v);
}

tctx *tctx_new(void)
{
    tctx *t = cp_xcalloc(1, sizeof *t);
    cp_sources_init(&t->srcs);
    cp_diags_init(&t->diags);
    t->arena = cp_arena_new();
    char tmpl[] = "/tmp/cp_eval_test_XXXXXX";
    t->dir = cp_xstrdup(mkdtemp(tmpl));
    t->ctx = (cp_eval_ctx){ NULL, NULL, t->dir, &t->srcs, &t->diags };
    t->scope = cp_map_new();
    cp_value *s = ev(t, scope_src);
    assert_non_null(s);
    cp_release(t->scope);
    t->scope = add_marks(s);
    t->ctx.lookup = lookup;
    t->ctx.lookup_ud = t;
    return t;
}

void tctx_free(tctx *t)
{
    char *cmd = cp_xasprintf("rm -rf '%s'", t->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(t->dir);
    cp_release(t->scope);
    cp_arena_free(t->arena);
    cp_diags_free(&t->diags);
    cp_sources_free(&t->srcs);
    free(t);
}

void tctx_write(tctx *t, const char *name, const char *data, size_t len)
{
    char *path = cp_xasprintf("%s/%s", t->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    free(path);
}

cp_expr *tctx_parse(tctx *t, const char *src)
{
    uint32_t id = cp_sources_add(&t->srcs, "main.cp", src, strlen(src));
    cp_diags pd;
    cp_diags_init(&pd);
    cp_expr *e = cp_parse_expression(&t->srcs, id, t->arena, &pd);
    if (!e) print_error("parse error in %s: %s\n", src, pd.len ? pd.items[0].msg : "?");
    cp_diags_free(&pd);
    assert_non_null(e);
    return e;
}

cp_value *ev(tctx *t, const char *src)
{
    cp_expr *e = tctx_parse(t, src);
    cp_diags_free(&t->diags);
    cp_diags_init(&t->diags);
    cp_value *v = cp_eval(&t->ctx, e);
    if (v)
        assert_int_equal(t->diags.errors, 0);
    else
        assert_true(t->diags.errors > 0);
    return v;
}

char *value_str(const cp_value *v)
{
    cp_buf b;
    cp_buf_init(&b);
    if (cp_is_sensitive(v)) cp_buf_adds(&b, "(sensitive) ");
    cp_value_render(&b, v, true);
    return cp_buf_steal(&b);
}

static char *diag_line(tctx *t, const cp_diag *d)
{
    char *where = cp_loc_string(&t->srcs, d->loc);
    char *s = cp_xasprintf("%s: %s", where, d->msg);
    free(where);
    return s;
}

char *ev_str(tctx *t, const char *src)
{
    cp_value *v = ev(t, src);
    if (!v) {
        char *line = diag_line(t, &t->diags.items[0]);
        char *s = cp_xasprintf("ERROR: %s", line);
        free(line);
        return s;
    }
    char *s = value_str(v);
    cp_release(v);
    return s;
}

char *tctx_errors(tctx *t)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    for (size_t i = 0; i < t->diags.len; i++) {
        char *line = diag_line(t, &t->diags.items[i]);
        cp_buf_printf(&b, "%s\n", line);
        free(line);
    }
    return cp_buf_steal(&b);
}

int tctx_setup(void **state)
{
    *state = tctx_new();
    return 0;
}

int tctx_teardown(void **state)
{
    tctx_free(*state);
    return 0;
}
