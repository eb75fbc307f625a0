/*
 * test_eval_refs.c: cp_expr_walk_refs in depth: which steps each form of
 * reference yields (the same steps cp_eval hands to the lookup), scoping of
 * `for` names (both variables, nesting, shadowing, the collection itself
 * being outside the scope), splat items, every expression kind that can
 * hold a reference, and the locations reported. A second check evaluates
 * each expression with a lookup that records its steps, and compares them
 * with the walk.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

static void collect(void *ud, const char *const *steps, size_t n, cp_loc loc)
{
    cp_buf *b = ud;
    (void)loc;
    if (b->len) cp_buf_addc(b, ' ');
    for (size_t i = 0; i < n; i++) cp_buf_printf(b, "%s%s", i ? "." : "", steps[i]);
}

static char *refs(tctx *t, const char *src)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    cp_expr_walk_refs(tctx_parse(t, src), collect, &b);
    return cp_buf_steal(&b);
}

#define EXPECT_REFS(t, src, want)                                                                  \
    do {                                                                                           \
        char *got_ = refs((t), (src));                                                             \
        if (strcmp(got_, (want)) != 0) print_error("  source: %s\n", (src));                       \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_steps(void **state)
{
    tctx *t = *state;
    EXPECT_REFS(t, "var.a", "var.a");
    EXPECT_REFS(t, "var", "var");
    EXPECT_REFS(t, "var.a.b.c", "var.a.b.c");
    EXPECT_REFS(t, "var.a[0].b", "var.a");
    EXPECT_REFS(t, "var.a.0.b", "var.a"); /* .0 is an index, like [0] */
    EXPECT_REFS(t, "var.a[\"k\"].b", "var.a");
    EXPECT_REFS(t, "var.a[*].b", "var.a");
    EXPECT_REFS(t, "var.a.*.b", "var.a");
    EXPECT_REFS(t, "aws_instance.web[count.index].id", "aws_instance.web count.index");
    EXPECT_REFS(t, "aws_instance.web[each.key].private_ip", "aws_instance.web each.key");
    EXPECT_REFS(t, "data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p.json");
    EXPECT_REFS(t, "stack.branch", "stack.branch");
    EXPECT_REFS(t, "path.module", "path.module");
    EXPECT_REFS(t, "module.x.y", "module.x.y");
}

static void test_kinds(void **state)
{
    tctx *t = *state;
    EXPECT_REFS(t, "\"plain\"", "");
    EXPECT_REFS(t, "[var.a, [local.b], { c = var.c }]", "var.a local.b var.c");
    EXPECT_REFS(t, "{ (var.k) = 1, \"${local.j}\" = 2 }", "var.k local.j");
    EXPECT_REFS(t, "-var.a + var.b * (var.c - 1)", "var.a var.b var.c");
    EXPECT_REFS(t, "!var.a || var.b && var.c", "var.a var.b var.c");
    EXPECT_REFS(t, "var.p ? var.a : var.b", "var.p var.a var.b");
    EXPECT_REFS(t, "join(var.sep, concat(var.l, [local.x]))", "var.sep var.l local.x");
    EXPECT_REFS(t, "max(var.nums...)", "var.nums");
    EXPECT_REFS(t, "can(var.a.b)", "var.a.b");
    EXPECT_REFS(t, "var.m[var.k][local.i]", "var.m var.k local.i");
    EXPECT_REFS(t, "<<EOT\n${var.a}\n${upper(local.b)}\nEOT\n", "var.a local.b");
    EXPECT_REFS(t, "[var.a, var.a]", "var.a var.a"); /* every use is reported */
}

static void test_for_scopes(void **state)
{
    tctx *t = *state;
    EXPECT_REFS(t, "[for x in var.l : x]", "var.l");
    EXPECT_REFS(t, "[for i, x in var.l : i + x]", "var.l");
    EXPECT_REFS(t, "[for x in var.l : x.a.b]", "var.l");
    EXPECT_REFS(t, "[for x in var.l : var.x]", "var.l var.x");
    EXPECT_REFS(t, "{for k, v in var.m : k => v if v != local.skip}", "var.m local.skip");
    EXPECT_REFS(t, "{for k, v in var.m : upper(k) => [v, var.extra]...}", "var.m var.extra");
    /* the collection is evaluated outside the loop's own scope */
    EXPECT_REFS(t, "[for x in x : x]", "x");
    /* nesting: inner names shadow, outer names stay bound inside */
    EXPECT_REFS(t, "[for a in var.l : [for b in a : [a, b, c]]]", "var.l c");
    EXPECT_REFS(t, "[for a in var.l : [for b in a.children : b]]", "var.l");
    EXPECT_REFS(t, "[for a in var.l : a][0]", "var.l");
    /* a name bound in one for is free in a sibling */
    EXPECT_REFS(t, "[[for a in var.l : a], a]", "var.l a");
    /* bound names may shadow roots */
    EXPECT_REFS(t, "[for var in var.l : var.name]", "var.l");
    EXPECT_REFS(t, "[for each in local.x : each.key]", "local.x");
}

static void test_splat_items(void **state)
{
    tctx *t = *state;
    EXPECT_REFS(t, "aws_instance.web[*].id", "aws_instance.web");
    EXPECT_REFS(t, "aws_instance.web[*].tags[var.k]", "aws_instance.web var.k");
    EXPECT_REFS(t, "[for s in aws_subnet.a[*].id : s]", "aws_subnet.a");
    EXPECT_REFS(t, "concat(aws_subnet.a[*].id, aws_subnet.b.*.id)", "aws_subnet.a aws_subnet.b");
}

/* Evaluation asks the lookup for the same steps the walk reports. */
static cp_value *recording(void *ud, const char *const *steps, size_t n, size_t *consumed,
                           cp_loc loc, cp_diags *d)
{
    (void)loc;
    (void)d;
    collect(ud, steps, n, loc);
    *consumed = n;
    cp_value *m = cp_map_new();
    cp_map_set_take(m, "x", cp_number(1));
    cp_value *l = cp_list_new();
    cp_list_push_take(l, m);
    return l;
}

static void test_walk_matches_lookup(void **state)
{
    tctx *t = *state;
    static const char *const srcs[] = {
        "var.a",
        "var.a.b[0].c",
        "length(var.l) + local.n[0].x",
        "[for x in var.l : x.x]",
        "var.p[0].x == 1 ? var.a : var.b",
        "\"${var.a[0].x}-${local.b[0].x}\"",
        "aws_thing.many[*].x",
        "{ k = data.t.n.attr }",
    };
    cp_eval_ctx saved = t->ctx;
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        cp_buf seen;
        cp_buf_init(&seen);
        cp_buf_adds(&seen, "");
        t->ctx.lookup = recording;
        t->ctx.lookup_ud = &seen;
        cp_value *v = cp_eval(&t->ctx, tctx_parse(t, srcs[i]));
        cp_release(v);
        char *walked = refs(t, srcs[i]);
        if (strcmp(walked, seen.data) != 0) print_error("  source: %s\n", srcs[i]);
        assert_string_equal(walked, seen.data);
        free(walked);
        cp_buf_free(&seen);
    }
    t->ctx = saved;
}

static void collect_loc(void *ud, const char *const *steps, size_t n, cp_loc loc)
{
    cp_buf *b = ud;
    (void)steps;
    (void)n;
    cp_buf_printf(b, "%s%u:%u-%u:%u", b->len ? " " : "", loc.line, loc.col, loc.end_line,
                  loc.end_col);
}

static void test_locations(void **state)
{
    tctx *t = *state;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    cp_expr_walk_refs(tctx_parse(t, "[\n  var.first,\n  aws_x.y[0].z,\n  local.last.a.b\n]"),
                      collect_loc, &b);
    assert_string_equal(b.data, "2:3-2:12 3:3-3:10 4:3-4:17");
    cp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_for_scopes),
        cmocka_unit_test(test_splat_items),
        cmocka_unit_test(test_walk_matches_lookup),
        cmocka_unit_test(test_locations),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
