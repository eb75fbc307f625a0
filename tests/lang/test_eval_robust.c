/*
 * test_eval_robust.c: the evaluator against odd and hostile input: trees
 * built by hand (shapes the parser never makes), numeric overflow, deep
 * nesting, large collections, a template that includes itself, and a few
 * thousand random expressions, each of which must give either a value and
 * no error or no value and at least one error (never both, never a crash;
 * the sanitizer build checks for leaks and undefined behaviour).
 */
#include "test_eval_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

/* --- hand-built trees ---------------------------------------------------------- */

static cp_expr *node(tctx *t, cp_expr_kind k)
{
    cp_expr *e = cp_arena_alloc(t->arena, sizeof *e);
    e->kind = k;
    e->loc = (cp_loc){ .line = 1, .col = 1, .end_line = 1, .end_col = 2 };
    return e;
}

static cp_expr *lit(tctx *t, cp_value *v)
{
    cp_expr *e = node(t, CP_E_LITERAL);
    e->u.literal = cp_arena_keep_value(t->arena, v);
    return e;
}

static char *eval_tree(tctx *t, const cp_expr *e)
{
    cp_diags_free(&t->diags);
    cp_diags_init(&t->diags);
    cp_value *v = cp_eval(&t->ctx, e);
    if (v) {
        assert_int_equal(t->diags.errors, 0);
        char *s = value_str(v);
        cp_release(v);
        return s;
    }
    assert_true(t->diags.errors > 0);
    return cp_xasprintf("ERROR: %s", t->diags.items[0].msg);
}

#define EXPECT_TREE(t, e, want)                                                                    \
    do {                                                                                           \
        char *got_ = eval_tree((t), (e));                                                          \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_hand_built(void **state)
{
    tctx *t = *state;
    /* a splat without a per-item expression yields the items */
    cp_expr *list = node(t, CP_E_LIST);
    cp_expr *items[2] = { lit(t, cp_number(1)), lit(t, cp_number(2)) };
    list->u.list.items = items;
    list->u.list.len = 2;
    cp_expr *splat = node(t, CP_E_SPLAT);
    splat->u.splat.obj = list;
    EXPECT_TREE(t, splat, "[1, 2]");
    /* a splat item outside a splat */
    EXPECT_TREE(t, node(t, CP_E_SPLAT_ITEM), "ERROR: [*] item used outside a splat expression");
    /* an expression kind the evaluator does not know */
    cp_expr *odd = node(t, (cp_expr_kind)99);
    EXPECT_TREE(t, odd, "ERROR: cannot evaluate this expression (kind 99)");
    /* a template of only literal parts */
    cp_expr *tmpl = node(t, CP_E_TEMPLATE);
    cp_expr *parts[2] = { lit(t, cp_string("a")), lit(t, cp_string("b")) };
    tmpl->u.list.items = parts;
    tmpl->u.list.len = 2;
    EXPECT_TREE(t, tmpl, "\"ab\"");
    /* an empty template */
    cp_expr *empty = node(t, CP_E_TEMPLATE);
    EXPECT_TREE(t, empty, "\"\"");
    /* an object key given as a non-paren expression */
    cp_expr *obj = node(t, CP_E_OBJECT);
    cp_expr *keys[1] = { lit(t, cp_number(7)) }, *vals[1] = { lit(t, cp_bool(true)) };
    obj->u.object.keys.items = keys;
    obj->u.object.vals.items = vals;
    obj->u.object.keys.len = obj->u.object.vals.len = 1;
    EXPECT_TREE(t, obj, "{ \"7\" = true }");
    /* no lookup function at all */
    cp_expr *var = node(t, CP_E_VAR);
    var->u.var.name = "var";
    cp_eval_ctx saved = t->ctx;
    t->ctx.lookup = NULL;
    EXPECT_TREE(t, var,
                "ERROR: cannot use \"var\" here: no names can be referred to in this expression");
    t->ctx = saved;
}

/* A lookup claiming more (or fewer) steps than it was given is clamped. */
static cp_value *greedy(void *ud, const char *const *steps, size_t n, size_t *consumed, cp_loc loc,
                        cp_diags *d)
{
    (void)ud;
    (void)steps;
    (void)loc;
    (void)d;
    *consumed = strcmp(steps[0], "zero") == 0 ? 0 : n + 5;
    cp_value *m = cp_map_new();
    cp_map_set_take(m, "b", cp_number(2));
    return m;
}

static void test_lookup_clamped(void **state)
{
    tctx *t = *state;
    cp_eval_ctx saved = t->ctx;
    t->ctx.lookup = greedy;
    EXPECT(t, "a.b.c", "{ b = 2 }");
    EXPECT(t, "zero.b", "2");
    t->ctx = saved;
}

/* --- limits ----------------------------------------------------------------------- */

static void test_number_limits(void **state)
{
    tctx *t = *state;
    EXPECT(t, "1e308 * 10", "ERROR: main.cp:1:1: the result of \"*\" is too large to be a number");
    EXPECT(t, "-1e308 - 1e308",
           "ERROR: main.cp:1:1: the result of \"-\" is too large to be a number");
    EXPECT(t, "1e308 + 1", "1e+308");
    EXPECT(t, "9007199254740993", "9007199254740992");
    EXPECT(t, "0.000001", "1e-06");
    EXPECT(t, "1/3", "0.3333333333333333");
    EXPECT(t, "2/3 * 3", "2");
}

static void test_deep_and_large(void **state)
{
    tctx *t = *state;
    /* 24 levels of balanced conditionals: linear, not 2^24 */
    cp_buf b;
    cp_buf_init(&b);
    for (int i = 0; i < 24; i++) cp_buf_adds(&b, "true ? (");
    cp_buf_adds(&b, "1");
    for (int i = 0; i < 24; i++) cp_buf_adds(&b, ") : (false ? 2 : 3)");
    clock_t start = clock();
    EXPECT(t, b.data, "1");
    assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
    cp_buf_free(&b);
    /* big collections */
    EXPECT(t, "length([for i in range(100000) : i * 2])", "100000");
    EXPECT(t, "length({for i in range(20000) : \"k${i}\" => i})", "20000");
    EXPECT(t, "sum(range(1001))", "500500");
    EXPECT(t, "length(distinct([for i in range(50000) : i % 7]))", "7");
    EXPECT(t, "length(join(\",\", [for i in range(10000) : \"x\"]))", "19999");
    EXPECT(t, "length(flatten([for i in range(1000) : [i, [i]]]))", "2000");
    /* deep nesting of lists */
    cp_buf_init(&b);
    for (int i = 0; i < 200; i++) cp_buf_addc(&b, '[');
    for (int i = 0; i < 200; i++) cp_buf_addc(&b, ']');
    cp_buf_adds(&b, " == ");
    for (int i = 0; i < 200; i++) cp_buf_addc(&b, '[');
    for (int i = 0; i < 200; i++) cp_buf_addc(&b, ']');
    EXPECT(t, b.data, "true");
    cp_buf_free(&b);
}

static void test_template_recursion(void **state)
{
    tctx *t = *state;
    const char self[] = "x${templatefile(\"self.tpl\", {})}";
    tctx_write(t, "self.tpl", self, sizeof self - 1);
    cp_value *v = ev(t, "templatefile(\"self.tpl\", {})");
    assert_null(v);
    char *all = tctx_errors(t);
    assert_non_null(strstr(all, "templatefile: templates nested more than 8 deep: does a template "
                                "include itself?"));
    free(all);
    const char two[] = "[${templatefile(\"one.tpl\", { v = v })}]";
    const char one[] = "${v}";
    tctx_write(t, "two.tpl", two, sizeof two - 1);
    tctx_write(t, "one.tpl", one, sizeof one - 1);
    EXPECT(t, "templatefile(\"two.tpl\", { v = 5 })", "\"[5]\"");
    const char outer[] = "a\n${templatefile(\"inner.tpl\", {})}";
    const char inner[] = "b\nc ${missing}";
    tctx_write(t, "outer.tpl", outer, sizeof outer - 1);
    tctx_write(t, "inner.tpl", inner, sizeof inner - 1);
    EXPECT(t, "templatefile(\"outer.tpl\", {})",
           "ERROR: main.cp:1:14: templatefile: inner.tpl:2:5: unknown variable \"missing\": pass "
           "it in the map of templatefile's second argument");
}

/* --- random expressions ---------------------------------------------------------- */

static const char *const atoms[] = {
    "1",
    "0",
    "-2.5",
    "\"s\"",
    "\"5\"",
    "\"\"",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "var.name",
    "var.count",
    "var.list",
    "var.tags",
    "var.nothing",
    "var.unknown",
    "var.secret",
    "var.maybe",
    "var.users",
    "var.nope",
    "aws_thing.many",
    "each.key",
    "count.index",
    "var.secret_list",
    "var.nested",
};
static const char *const binops[] = { "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||" };
static const char *const fns[] = { "length",   "upper",   "join",    "keys",    "tostring",
                                   "tonumber", "concat",  "merge",   "flatten", "jsonencode",
                                   "coalesce", "element", "lookup",  "max",     "sort",
                                   "distinct", "try",     "can",     "format",  "split",
                                   "reverse",  "toset",   "compact", "values" };

static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void gen(cp_buf *b, unsigned *s, int depth)
{
    unsigned r = next_rand(s) % (depth > 4 ? 1 : 10);
    switch (r) {
    case 0:
        cp_buf_adds(b, atoms[next_rand(s) % (sizeof atoms / sizeof *atoms)]);
        return;
    case 1:
    case 2:
        cp_buf_addc(b, '(');
        gen(b, s, depth + 1);
        cp_buf_printf(b, " %s ", binops[next_rand(s) % (sizeof binops / sizeof *binops)]);
        gen(b, s, depth + 1);
        cp_buf_addc(b, ')');
        return;
    case 3:
        cp_buf_printf(b, "%s(", fns[next_rand(s) % (sizeof fns / sizeof *fns)]);
        for (unsigned i = 0, n = next_rand(s) % 3; i <= n; i++) {
            if (i) cp_buf_adds(b, ", ");
            gen(b, s, depth + 1);
        }
        cp_buf_addc(b, ')');
        return;
    case 4:
        cp_buf_adds(b, "[for x in ");
        gen(b, s, depth + 1);
        cp_buf_adds(b, " : x if x != null]");
        return;
    case 5:
        gen(b, s, depth + 1);
        cp_buf_adds(b, "[");
        gen(b, s, depth + 1);
        cp_buf_adds(b, "]");
        return;
    case 6:
        cp_buf_adds(b, "(");
        gen(b, s, depth + 1);
        cp_buf_adds(b, " ? ");
        gen(b, s, depth + 1);
        cp_buf_adds(b, " : ");
        gen(b, s, depth + 1);
        cp_buf_adds(b, ")");
        return;
    case 7:
        cp_buf_adds(b, "\"<${");
        gen(b, s, depth + 1);
        cp_buf_adds(b, "}>\"");
        return;
    case 8:
        cp_buf_adds(b, "[");
        gen(b, s, depth + 1);
        cp_buf_adds(b, ", ");
        gen(b, s, depth + 1);
        cp_buf_adds(b, "][*]");
        return;
    default:
        cp_buf_adds(b, "{ a = ");
        gen(b, s, depth + 1);
        cp_buf_adds(b, ", (\"k\") = ");
        gen(b, s, depth + 1);
        cp_buf_adds(b, " }.a");
        return;
    }
}

static void test_random_expressions(void **state)
{
    tctx *t = *state;
    unsigned seed = 20261123;
    size_t values = 0, errors = 0;
    for (int i = 0; i < 3000; i++) {
        cp_buf b;
        cp_buf_init(&b);
        gen(&b, &seed, 0);
        cp_value *v = ev(t, b.data); /* ev asserts value XOR errors */
        if (v) {
            values++;
            assert_true(cp_is_sensitive(v) || !cp_contains_sensitive(v) ||
                        cp_kind_of(v) >= CP_LIST);
            cp_release(v);
        } else {
            errors++;
            for (size_t k = 0; k < t->diags.len; k++) {
                assert_null(strstr(t->diags.items[k].msg, "hunter2"));
                assert_true(t->diags.items[k].loc.line >= 1);
            }
        }
        cp_buf_free(&b);
    }
    assert_true(values > 300);
    assert_true(errors > 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_built),         cmocka_unit_test(test_lookup_clamped),
        cmocka_unit_test(test_number_limits),      cmocka_unit_test(test_deep_and_large),
        cmocka_unit_test(test_template_recursion), cmocka_unit_test(test_random_expressions),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
