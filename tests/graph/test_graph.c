/*
 * test_graph.c: unit tests for src/graph's structure functions: building,
 * lookup, duplicate edges, cycle reports (self-loop, 2-cycle, long cycle,
 * cycles inside bigger graphs), topological orders, closures and DOT
 * (checked with `dot -Tsvg` when Graphviz is on PATH).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "graph/graph.h"

/* Graph with n nodes labelled r0, r1, … at main.cp:<10*i+1>. */
static cp_graph *make_graph(int n)
{
    cp_graph *g = cp_graph_new();
    for (int i = 0; i < n; i++) {
        char label[32], where[32];
        snprintf(label, sizeof label, "r%d", i);
        snprintf(where, sizeof where, "main.cp:%d", 10 * i + 1);
        assert_int_equal(cp_graph_add_node(g, label, where, NULL), i);
    }
    return g;
}

static char *cycle_text(cp_graph *g, size_t which)
{
    cp_graph_cycle *c;
    size_t n = cp_graph_cycles(g, &c);
    assert_true(which < n);
    cp_buf b = { 0 };
    cp_graph_cycle_format(g, &c[which], &b);
    cp_graph_cycles_free(c, n);
    return cp_buf_steal(&b);
}

static size_t count_cycles(cp_graph *g)
{
    cp_graph_cycle *c;
    size_t n = cp_graph_cycles(g, &c);
    cp_graph_cycles_free(c, n);
    return n;
}

static void test_build_and_lookup(void **st)
{
    (void)st;
    cp_graph *g = cp_graph_new();
    int x = 42;
    int a = cp_graph_add_node(g, "aws_s3_bucket.logs", "main.cp:3", &x);
    int b = cp_graph_add_node(g, "aws_iam_role.r", NULL, NULL);
    int dup = cp_graph_add_node(g, "aws_s3_bucket.logs", "other.cp:1", NULL);
    assert_int_equal(cp_graph_node_count(g), 3);
    assert_string_equal(cp_graph_label(g, a), "aws_s3_bucket.logs");
    assert_string_equal(cp_graph_where(g, a), "main.cp:3");
    assert_string_equal(cp_graph_where(g, b), "");
    assert_ptr_equal(cp_graph_user(g, a), &x);
    assert_int_equal(cp_graph_find(g, "aws_s3_bucket.logs"), a); /* first wins */
    assert_int_equal(cp_graph_find(g, "aws_iam_role.r"), b);
    assert_int_equal(cp_graph_find(g, "nope"), -1);
    assert_int_not_equal(dup, a);
    cp_graph_free(g);
    cp_graph_free(NULL);
}

static void test_find_many(void **st)
{
    (void)st;
    cp_graph *g = make_graph(5000);
    for (int i = 0; i < 5000; i += 7) {
        char label[32];
        snprintf(label, sizeof label, "r%d", i);
        assert_int_equal(cp_graph_find(g, label), i);
    }
    cp_graph_free(g);
    g = cp_graph_new();
    assert_int_equal(cp_graph_find(g, "x"), -1); /* empty graph */
    cp_graph_free(g);
}

static void test_edges_dedupe(void **st)
{
    (void)st;
    cp_graph *g = make_graph(4);
    cp_graph_add_edge(g, 0, 2);
    cp_graph_add_edge(g, 0, 1);
    cp_graph_add_edge(g, 0, 2);
    cp_graph_add_edge(g, 3, 2);
    assert_int_equal(cp_graph_edge_count(g), 3);
    size_t n;
    const int *d = cp_graph_deps(g, 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(d[0], 1);
    assert_int_equal(d[1], 2);
    d = cp_graph_dependents(g, 2, &n);
    assert_int_equal(n, 2);
    assert_int_equal(d[0], 0);
    assert_int_equal(d[1], 3);
    cp_graph_dependents(g, 1, &n);
    assert_int_equal(n, 1);
    /* adding after indexing re-indexes */
    cp_graph_add_edge(g, 1, 3);
    d = cp_graph_deps(g, 1, &n);
    assert_int_equal(n, 1);
    assert_int_equal(d[0], 3);
    assert_int_equal(cp_graph_edge_count(g), 4);
    cp_graph_free(g);
}

static void test_cycle_self_loop(void **st)
{
    (void)st;
    cp_graph *g = make_graph(3);
    cp_graph_add_edge(g, 1, 0);
    cp_graph_add_edge(g, 2, 2);
    char *s = cycle_text(g, 0);
    assert_string_equal(s, "cycle: r2 (main.cp:21) -> r2");
    free(s);
    assert_int_equal(count_cycles(g), 1);
    cp_graph_free(g);
}

static void test_cycle_two(void **st)
{
    (void)st;
    cp_graph *g = cp_graph_new();
    cp_graph_add_node(g, "aws_security_group.a", "main.cp:3", NULL);
    cp_graph_add_node(g, "aws_security_group.b", "main.cp:9", NULL);
    cp_graph_add_edge(g, 0, 1);
    cp_graph_add_edge(g, 1, 0);
    char *s = cycle_text(g, 0);
    assert_string_equal(s, "cycle: aws_security_group.a (main.cp:3) -> "
                           "aws_security_group.b (main.cp:9) -> aws_security_group.a");
    free(s);
    int *order = (int *)1;
    assert_int_equal(cp_graph_order(g, false, &order), -1);
    assert_null(order);
    cp_graph_free(g);
}

static void test_cycle_long(void **st)
{
    (void)st;
    int n = 10000; /* also proves no recursion depth issue */
    cp_graph *g = make_graph(n);
    for (int i = 0; i < n; i++) cp_graph_add_edge(g, i, (i + 1) % n);
    cp_graph_cycle *c;
    assert_int_equal(cp_graph_cycles(g, &c), 1);
    assert_int_equal(c[0].len, (size_t)n);
    for (int i = 0; i < n; i++) assert_int_equal(c[0].nodes[i], i);
    cp_graph_cycles_free(c, 1);
    cp_graph_free(g);

    g = make_graph(4); /* r0 -> r1 -> r2 -> r3 -> r0 */
    for (int i = 0; i < 4; i++) cp_graph_add_edge(g, i, (i + 1) % 4);
    char *s = cycle_text(g, 0);
    assert_string_equal(s, "cycle: r0 (main.cp:1) -> r1 (main.cp:11) -> r2 (main.cp:21) -> "
                           "r3 (main.cp:31) -> r0");
    free(s);
    cp_graph_free(g);
}

static void test_cycle_in_bigger_graph(void **st)
{
    (void)st;
    cp_graph *g = make_graph(50);
    for (int i = 1; i < 50; i++) cp_graph_add_edge(g, i, i / 2); /* a tree */
    cp_graph_add_edge(g, 20, 30);                                /* 20 -> 30 -> 40 -> 20 */
    cp_graph_add_edge(g, 30, 40);
    cp_graph_add_edge(g, 40, 20);
    cp_graph_add_edge(g, 45, 30); /* leads into the cycle, not part of it */
    char *s = cycle_text(g, 0);
    assert_string_equal(s, "cycle: r20 (main.cp:201) -> r30 (main.cp:301) -> "
                           "r40 (main.cp:401) -> r20");
    free(s);
    assert_int_equal(count_cycles(g), 1);
    /* a second, independent cycle is reported too, after the first */
    cp_graph_add_edge(g, 5, 49); /* a path out of it, not back */
    cp_graph_add_edge(g, 2, 5);  /* the tree has 5 -> 2: now 2 -> 5 too */
    assert_int_equal(count_cycles(g), 2);
    s = cycle_text(g, 0);
    assert_string_equal(s, "cycle: r2 (main.cp:21) -> r5 (main.cp:51) -> r2");
    free(s);
    cp_graph_free(g);
}

static void test_cycle_shortest(void **st)
{
    (void)st;
    cp_graph *g = make_graph(4); /* 0->1->2->3->0 plus a shortcut 0->3 */
    for (int i = 0; i < 4; i++) cp_graph_add_edge(g, i, (i + 1) % 4);
    cp_graph_add_edge(g, 0, 3);
    char *s = cycle_text(g, 0);
    assert_string_equal(s, "cycle: r0 (main.cp:1) -> r3 (main.cp:31) -> r0");
    free(s);
    cp_graph_free(g);
}

static void test_acyclic_has_no_cycles(void **st)
{
    (void)st;
    cp_graph *g = make_graph(6);
    cp_graph_add_edge(g, 5, 0);
    cp_graph_add_edge(g, 5, 1);
    cp_graph_add_edge(g, 1, 0);
    cp_graph_cycle *c = (cp_graph_cycle *)1;
    assert_int_equal(cp_graph_cycles(g, &c), 0);
    assert_null(c);
    cp_graph_free(g);
    g = cp_graph_new();
    assert_int_equal(cp_graph_cycles(g, &c), 0);
    cp_graph_free(g);
}

static void test_cycle_no_location(void **st)
{
    (void)st;
    cp_graph *g = cp_graph_new();
    cp_graph_add_node(g, "local.a", NULL, NULL);
    cp_graph_add_node(g, "local.b", "", NULL);
    cp_graph_add_edge(g, 0, 1);
    cp_graph_add_edge(g, 1, 0);
    char *s = cycle_text(g, 0);
    assert_string_equal(s, "cycle: local.a -> local.b -> local.a");
    free(s);
    cp_graph_free(g);
}

static void assert_order(const int *order, const int *want, int n)
{
    for (int i = 0; i < n; i++) assert_int_equal(order[i], want[i]);
}

static void test_order_stable(void **st)
{
    (void)st;
    cp_graph *g = make_graph(5);
    int *o;
    assert_int_equal(cp_graph_order(g, false, &o), 0);
    assert_order(o, (int[]){ 0, 1, 2, 3, 4 }, 5);
    free(o);
    cp_graph_add_edge(g, 0, 3); /* r0 depends on r3 */
    cp_graph_add_edge(g, 3, 4); /* r3 depends on r4 */
    assert_int_equal(cp_graph_order(g, false, &o), 0);
    assert_order(o, (int[]){ 1, 2, 4, 3, 0 }, 5);
    free(o);
    assert_int_equal(cp_graph_order(g, true, &o), 0);
    assert_order(o, (int[]){ 0, 1, 2, 3, 4 }, 5);
    free(o);
    cp_graph_add_edge(g, 4, 2);
    assert_int_equal(cp_graph_order(g, true, &o), 0);
    assert_order(o, (int[]){ 0, 1, 3, 4, 2 }, 5);
    free(o);
    cp_graph_free(g);
}

/* Random DAG: node i may depend on nodes of lower rank; ids are shuffled. */
static cp_graph *random_dag(int n, int m, unsigned seed, int **rank_out)
{
    srand(seed);
    int *rank = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) rank[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = rand() % (i + 1), t = rank[i];
        rank[i] = rank[j];
        rank[j] = t;
    }
    cp_graph *g = make_graph(n);
    for (int e = 0; e < m; e++) {
        int a = rand() % n, b = rand() % n;
        if (rank[a] > rank[b])
            cp_graph_add_edge(g, a, b);
        else if (rank[a] < rank[b])
            cp_graph_add_edge(g, b, a);
    }
    if (rank_out)
        *rank_out = rank;
    else
        free(rank);
    return g;
}

static void check_order(cp_graph *g, const int *o, bool reverse)
{
    size_t n = cp_graph_node_count(g);
    int *pos = malloc(sizeof(int) * n);
    for (size_t i = 0; i < n; i++) pos[o[i]] = (int)i;
    for (size_t a = 0; a < n; a++) {
        size_t cnt;
        const int *d = cp_graph_deps(g, (int)a, &cnt);
        for (size_t i = 0; i < cnt; i++) {
            if (reverse)
                assert_true(pos[a] < pos[d[i]]);
            else
                assert_true(pos[d[i]] < pos[a]);
        }
    }
    free(pos);
}

static void test_order_random(void **st)
{
    (void)st;
    cp_graph *g = random_dag(10000, 100000, 7, NULL);
    assert_int_equal(count_cycles(g), 0);
    int *o;
    assert_int_equal(cp_graph_order(g, false, &o), 0);
    check_order(g, o, false);
    free(o);
    assert_int_equal(cp_graph_order(g, true, &o), 0);
    check_order(g, o, true);
    free(o);
    cp_graph_free(g);
}

static void test_closure(void **st)
{
    (void)st;
    cp_graph *g = make_graph(7); /* 0 <- 1 <- 2 ; 0 <- 3 ; 4 <- 5 ; 6 alone */
    cp_graph_add_edge(g, 1, 0);
    cp_graph_add_edge(g, 2, 1);
    cp_graph_add_edge(g, 3, 0);
    cp_graph_add_edge(g, 5, 4);
    bool *in = cp_graph_closure(g, (int[]){ 2 }, 1, false);
    bool want1[] = { 1, 1, 1, 0, 0, 0, 0 };
    for (int i = 0; i < 7; i++) assert_int_equal(in[i], want1[i]);
    free(in);
    in = cp_graph_closure(g, (int[]){ 0, 5, 99, -1 }, 4, true);
    bool want2[] = { 1, 1, 1, 1, 0, 1, 0 };
    for (int i = 0; i < 7; i++) assert_int_equal(in[i], want2[i]);
    free(in);
    in = cp_graph_closure(g, NULL, 0, false);
    for (int i = 0; i < 7; i++) assert_false(in[i]);
    free(in);
    cp_graph_free(g);
}

static bool have_dot(void) { return system("command -v dot >/dev/null 2>&1") == 0; }

static void test_dot(void **st)
{
    (void)st;
    cp_graph *g = cp_graph_new();
    cp_graph_add_node(g, "aws_s3_bucket.logs", "main.cp:3", NULL);
    cp_graph_add_node(g, "aws_iam_role.\"quoted\"\\x", "main.cp:9", NULL);
    cp_graph_add_node(g, "data.x[\"k\"]\nnewline", NULL, NULL);
    cp_graph_add_edge(g, 1, 0);
    cp_graph_add_edge(g, 2, 1);
    cp_buf b = { 0 };
    cp_graph_dot(g, "my stack", &b);
    assert_non_null(strstr(b.data, "digraph \"my stack\" {"));
    assert_non_null(strstr(b.data, "n0 [label=\"aws_s3_bucket.logs\", tooltip=\"main.cp:3\"]"));
    assert_non_null(strstr(b.data, "label=\"aws_iam_role.\\\"quoted\\\"\\\\x\""));
    assert_non_null(strstr(b.data, "n1 -> n0;"));
    assert_non_null(strstr(b.data, "n2 -> n1;"));
    if (have_dot()) {
        char path[] = "/tmp/cpstack-dot-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
        close(fd);
        char cmd[256];
        snprintf(cmd, sizeof cmd, "dot -Tsvg %s | grep -q '<svg'", path);
        assert_int_equal(system(cmd), 0);
        unlink(path);
    } else {
        fprintf(stderr, "dot not on PATH: skipping the Graphviz render check\n");
    }
    cp_buf_free(&b);
    cp_graph_free(g);
}

static void test_dot_renders_big(void **st)
{
    (void)st;
    if (!have_dot()) skip();
    cp_graph *g = random_dag(300, 900, 3, NULL);
    cp_buf b = { 0 };
    cp_graph_dot(g, NULL, &b);
    FILE *p = popen("dot -Tsvg >/dev/null", "w");
    assert_non_null(p);
    fwrite(b.data, 1, b.len, p);
    assert_int_equal(pclose(p), 0);
    cp_buf_free(&b);
    cp_graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_lookup),
        cmocka_unit_test(test_find_many),
        cmocka_unit_test(test_edges_dedupe),
        cmocka_unit_test(test_cycle_self_loop),
        cmocka_unit_test(test_cycle_two),
        cmocka_unit_test(test_cycle_long),
        cmocka_unit_test(test_cycle_in_bigger_graph),
        cmocka_unit_test(test_cycle_shortest),
        cmocka_unit_test(test_acyclic_has_no_cycles),
        cmocka_unit_test(test_cycle_no_location),
        cmocka_unit_test(test_order_stable),
        cmocka_unit_test(test_order_random),
        cmocka_unit_test(test_closure),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_dot_renders_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
