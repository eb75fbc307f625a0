/*
 * test_walk.c: unit tests for the parallel walker (src/graph/walk.c):
 * dependency order, failure propagation with causes, the concurrency bound
 * (in-flight callbacks counted with atomics), the stop flag, reverse walks,
 * `only` subsets, cycles, critical path first with several workers, and a 10,000-node /
 * 100,000-edge random DAG run with every node exactly once and after its dependencies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "graph/graph.h"

/* What the test callback sees and records. */
typedef struct rec {
    cp_graph *g;
    bool reverse;
    int *runs;                    /* per node: how many times run */
    int *done;                    /* per node: 1 once finished (atomic) */
    int *seq;                     /* per node: start sequence number */
    int next_seq;                 /* atomic */
    int violations;               /* atomic: started before a prerequisite finished */
    int in_flight, max_in_flight; /* atomic */
    const bool *fail;             /* per node: return failure */
    int sleep_us;
    int stop_at; /* node that sets *stop, or -1 */
    volatile sig_atomic_t *stop;
    long long stop_set_ns; /* when the stop flag was set (atomic) */
    int late_starts;       /* atomic: starts well after stop was set */
} rec;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static rec *rec_new(cp_graph *g)
{
    size_t n = cp_graph_node_count(g) + 1;
    rec *r = calloc(1, sizeof *r);
    r->g = g;
    r->runs = calloc(n, sizeof(int));
    r->done = calloc(n, sizeof(int));
    r->seq = calloc(n, sizeof(int));
    r->stop_at = -1;
    return r;
}

static void rec_free(rec *r)
{
    free(r->runs);
    free(r->done);
    free(r->seq);
    free(r);
}

static void check_prereqs(rec *r, int node)
{
    size_t cnt;
    const int *pre =
        r->reverse ? cp_graph_dependents(r->g, node, &cnt) : cp_graph_deps(r->g, node, &cnt);
    for (size_t i = 0; i < cnt; i++)
        if (!__atomic_load_n(&r->done[pre[i]], __ATOMIC_ACQUIRE))
            __atomic_add_fetch(&r->violations, 1, __ATOMIC_RELAXED);
}

static void note_stop(rec *r)
{
    long long set = __atomic_load_n(&r->stop_set_ns, __ATOMIC_ACQUIRE);
    if (set && now_ns() - set > 20000000LL) /* 20 ms of slack */
        __atomic_add_fetch(&r->late_starts, 1, __ATOMIC_RELAXED);
}

static int cb(void *ctx, int node, void *user)
{
    rec *r = ctx;
    (void)user;
    int now = __atomic_add_fetch(&r->in_flight, 1, __ATOMIC_ACQ_REL);
    int max = __atomic_load_n(&r->max_in_flight, __ATOMIC_RELAXED);
    while (now > max && !__atomic_compare_exchange_n(&r->max_in_flight, &max, now, false,
                                                     __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
    }
    note_stop(r);
    r->seq[node] = __atomic_fetch_add(&r->next_seq, 1, __ATOMIC_ACQ_REL);
    __atomic_add_fetch(&r->runs[node], 1, __ATOMIC_RELAXED);
    check_prereqs(r, node);
    if (node == r->stop_at) {
        __atomic_store_n(r->stop, 1, __ATOMIC_RELAXED);
        __atomic_store_n(&r->stop_set_ns, now_ns(), __ATOMIC_RELEASE);
    }
    if (r->sleep_us) usleep((useconds_t)r->sleep_us);
    __atomic_sub_fetch(&r->in_flight, 1, __ATOMIC_ACQ_REL);
    __atomic_store_n(&r->done[node], 1, __ATOMIC_RELEASE);
    return r->fail && r->fail[node] ? 1 : 0;
}

static cp_graph *make_graph(int n)
{
    cp_graph *g = cp_graph_new();
    for (int i = 0; i < n; i++) {
        char label[32];
        snprintf(label, sizeof label, "r%d", i);
        cp_graph_add_node(g, label, "main.cp:1", NULL);
    }
    return g;
}

static void test_empty(void **st)
{
    (void)st;
    cp_graph *g = cp_graph_new();
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, NULL, cb, NULL, &res), 0);
    assert_int_equal(res.ok + res.failed + res.skipped + res.not_run, 0);
    cp_walk_result_free(&res);
    cp_graph_free(g);
}

static void test_order_single_worker(void **st)
{
    (void)st;
    cp_graph *g = make_graph(6);
    cp_graph_add_edge(g, 0, 4);
    cp_graph_add_edge(g, 4, 5);
    cp_graph_add_edge(g, 2, 1);
    rec *r = rec_new(g);
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, NULL, cb, r, &res), 0);
    int *order;
    assert_int_equal(cp_graph_order(g, false, &order), 0);
    for (int i = 0; i < 6; i++) assert_int_equal(r->seq[order[i]], i);
    assert_int_equal(res.ok, 6);
    assert_int_equal(r->violations, 0);
    free(order);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static int sum_cb(void *ctx, int node, void *user)
{
    (void)node;
    __atomic_add_fetch((int *)ctx, *(int *)user, __ATOMIC_RELAXED);
    return 0;
}

static void test_user_pointer(void **st)
{
    (void)st;
    cp_graph *g = cp_graph_new();
    int vals[3] = { 10, 20, 30 };
    for (int i = 0; i < 3; i++) cp_graph_add_node(g, "x", NULL, &vals[i]);
    int sum = 0;
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, &(cp_walk_opts){ .parallelism = 0 }, sum_cb, &sum, &res), 0);
    assert_int_equal(sum, 60);
    cp_walk_result_free(&res);
    cp_graph_free(g);
}

/* 0 <- 1 <- 2 (chain); 3 alone; 4 depends on 3 and 0; 5 depends on 2 and 4. */
static cp_graph *failure_graph(void)
{
    cp_graph *g = make_graph(7);
    cp_graph_add_edge(g, 1, 0);
    cp_graph_add_edge(g, 2, 1);
    cp_graph_add_edge(g, 4, 3);
    cp_graph_add_edge(g, 4, 0);
    cp_graph_add_edge(g, 5, 2);
    cp_graph_add_edge(g, 5, 4);
    return g; /* 6 alone */
}

static void test_failure_propagation(void **st)
{
    (void)st;
    cp_graph *g = failure_graph();
    bool fail[7] = { [1] = true };
    rec *r = rec_new(g);
    r->fail = fail;
    cp_walk_opts o = { .parallelism = 3 };
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), -1);
    cp_walk_status want[7] = { CP_WALK_OK, CP_WALK_FAILED,  CP_WALK_SKIPPED, CP_WALK_OK,
                               CP_WALK_OK, CP_WALK_SKIPPED, CP_WALK_OK };
    for (int i = 0; i < 7; i++) assert_int_equal(res.status[i], want[i]);
    assert_int_equal(res.cause[2], 1);
    assert_int_equal(res.cause[5], 1);
    assert_int_equal(res.cause[4], -1);
    assert_int_equal(r->runs[2] + r->runs[5], 0);
    assert_int_equal(res.ok, 4);
    assert_int_equal(res.failed, 1);
    assert_int_equal(res.skipped, 2);
    assert_int_equal(res.not_run, 0);
    assert_string_equal(cp_walk_status_name(res.status[5]), "skipped");
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_failure_root(void **st)
{
    (void)st;
    cp_graph *g = failure_graph();
    bool fail[7] = { [0] = true, [3] = true };
    rec *r = rec_new(g);
    r->fail = fail;
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, &(cp_walk_opts){ .parallelism = 1 }, cb, r, &res), -1);
    assert_int_equal(res.failed, 2);
    assert_int_equal(res.skipped, 4);
    assert_int_equal(res.ok, 1); /* only r6 */
    assert_int_equal(res.cause[1], 0);
    assert_int_equal(res.cause[2], 0);
    assert_int_equal(res.cause[4], 0); /* first failure to reach it */
    assert_int_equal(res.cause[5], 0);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_concurrency_bound(void **st)
{
    (void)st;
    for (int par = 1; par <= 8; par *= 2) {
        cp_graph *g = make_graph(200);
        for (int i = 100; i < 200; i++) cp_graph_add_edge(g, i, i - 100);
        rec *r = rec_new(g);
        r->sleep_us = 500;
        cp_walk_result res;
        assert_int_equal(cp_graph_walk(g, &(cp_walk_opts){ .parallelism = par }, cb, r, &res), 0);
        assert_true(r->max_in_flight <= par);
        if (par > 1) assert_true(r->max_in_flight >= 2);
        assert_int_equal(r->violations, 0);
        assert_int_equal(res.ok, 200);
        cp_walk_result_free(&res);
        rec_free(r);
        cp_graph_free(g);
    }
}

/* With several workers the longest chain goes first: 20 independent nodes
 * (ids 0-19) and a chain 20 <- 21 <- ... <- 29 on 2 workers. Lowest id
 * first would run the 20 independent nodes, then the chain alone on one
 * worker (20 + 10 slots); critical path first starts the chain at once and
 * keeps both workers busy (15 slots). */
static void test_critical_path_first(void **st)
{
    (void)st;
    cp_graph *g = make_graph(30);
    for (int i = 21; i < 30; i++) cp_graph_add_edge(g, i, i - 1);
    rec *r = rec_new(g);
    r->sleep_us = 3000;
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, &(cp_walk_opts){ .parallelism = 2 }, cb, r, &res), 0);
    assert_int_equal(res.ok, 30);
    assert_int_equal(r->violations, 0);
    assert_true(r->seq[20] <= 1);  /* the chain's head is the first node taken */
    assert_true(r->seq[28] <= 20); /* links run back to back (lowest id first: 28) */
    assert_true(r->seq[0] <= 2);   /* the other worker starts independent work at once */
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

/* The same in reverse (deletes): what nothing waits on first means the
 * chain's far end, the node the longest reverse chain starts from. */
static void test_critical_path_reverse(void **st)
{
    (void)st;
    cp_graph *g = make_graph(30);
    for (int i = 21; i < 30; i++) cp_graph_add_edge(g, i, i - 1);
    rec *r = rec_new(g);
    r->reverse = true;
    cp_walk_result res;
    assert_int_equal(
        cp_graph_walk(g, &(cp_walk_opts){ .parallelism = 2, .reverse = true }, cb, r, &res), 0);
    assert_int_equal(res.ok, 30);
    assert_int_equal(r->violations, 0);
    assert_true(r->seq[29] <= 1);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_stop_single(void **st)
{
    (void)st;
    cp_graph *g = make_graph(10);
    volatile sig_atomic_t stop = 0;
    rec *r = rec_new(g);
    r->stop_at = 3;
    r->stop = &stop;
    cp_walk_result res;
    cp_walk_opts o = { .parallelism = 1, .stop = &stop };
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), -1);
    assert_true(res.stopped);
    for (int i = 0; i < 10; i++)
        assert_int_equal(res.status[i], i <= 3 ? CP_WALK_OK : CP_WALK_NOT_RUN);
    assert_int_equal(res.not_run, 6);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_stop_in_flight_finish(void **st)
{
    (void)st;
    cp_graph *g = make_graph(100);
    volatile sig_atomic_t stop = 0;
    rec *r = rec_new(g);
    r->stop_at = 0;
    r->stop = &stop;
    r->sleep_us = 30000;
    cp_walk_result res;
    cp_walk_opts o = { .parallelism = 4, .stop = &stop };
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), -1);
    int started = 0;
    for (int i = 0; i < 100; i++) started += r->runs[i];
    assert_int_equal((int)res.ok, started); /* every in-flight one finished */
    assert_true(res.ok >= 1 && res.ok <= 4);
    assert_int_equal(res.not_run, 100 - res.ok);
    assert_int_equal(r->late_starts, 0);
    assert_true(res.stopped);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_stop_before_start(void **st)
{
    (void)st;
    cp_graph *g = make_graph(5);
    volatile sig_atomic_t stop = 1;
    rec *r = rec_new(g);
    cp_walk_result res;
    cp_walk_opts o = { .parallelism = 2, .stop = &stop };
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), -1);
    assert_int_equal(res.not_run, 5);
    assert_int_equal(r->next_seq, 0);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_reverse(void **st)
{
    (void)st;
    cp_graph *g = make_graph(4); /* 2 -> 1 -> 0, 3 alone */
    cp_graph_add_edge(g, 2, 1);
    cp_graph_add_edge(g, 1, 0);
    rec *r = rec_new(g);
    r->reverse = true;
    cp_walk_result res;
    cp_walk_opts o = { .parallelism = 1, .reverse = true };
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), 0);
    assert_true(r->seq[2] < r->seq[1]);
    assert_true(r->seq[1] < r->seq[0]);
    assert_int_equal(r->violations, 0);
    cp_walk_result_free(&res);
    rec_free(r);

    bool fail[4] = { [2] = true }; /* deleting a dependent failed: keep its deps */
    r = rec_new(g);
    r->reverse = true;
    r->fail = fail;
    o.parallelism = 4;
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), -1);
    assert_int_equal(res.status[1], CP_WALK_SKIPPED);
    assert_int_equal(res.status[0], CP_WALK_SKIPPED);
    assert_int_equal(res.cause[0], 2);
    assert_int_equal(res.status[3], CP_WALK_OK);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_only_subset(void **st)
{
    (void)st;
    cp_graph *g = failure_graph();
    bool *only = cp_graph_closure(g, (int[]){ 4 }, 1, false); /* -target r4 */
    rec *r = rec_new(g);
    cp_walk_result res;
    cp_walk_opts o = { .parallelism = 2, .only = only };
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), 0);
    assert_int_equal(res.ok, 3); /* r0, r3, r4 */
    assert_int_equal(res.excluded, 4);
    assert_int_equal(r->runs[1] + r->runs[2] + r->runs[5] + r->runs[6], 0);
    assert_int_equal(res.status[6], CP_WALK_EXCLUDED);
    assert_int_equal(r->violations, 0);
    cp_walk_result_free(&res);
    rec_free(r);
    free(only);
    cp_graph_free(g);
}

static void test_cycle_not_run(void **st)
{
    (void)st;
    cp_graph *g = make_graph(5); /* 1 <-> 2, 3 depends on 2, 0 and 4 free */
    cp_graph_add_edge(g, 1, 2);
    cp_graph_add_edge(g, 2, 1);
    cp_graph_add_edge(g, 3, 2);
    rec *r = rec_new(g);
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, &(cp_walk_opts){ .parallelism = 3 }, cb, r, &res), -1);
    assert_int_equal(res.ok, 2);
    assert_int_equal(res.not_run, 3);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

/* Random DAG over shuffled ids: an edge always goes from higher to lower rank. */
static cp_graph *random_dag(int n, int m, unsigned seed)
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
    free(rank);
    return g;
}

static void big_walk(bool reverse, int par)
{
    cp_graph *g = random_dag(10000, 110000, 11);
    assert_true(cp_graph_edge_count(g) >= 100000);
    rec *r = rec_new(g);
    r->reverse = reverse;
    cp_walk_result res;
    long long t0 = now_ns();
    cp_walk_opts o = { .parallelism = par, .reverse = reverse };
    assert_int_equal(cp_graph_walk(g, &o, cb, r, &res), 0);
    long long ms = (now_ns() - t0) / 1000000;
    for (int i = 0; i < 10000; i++) assert_int_equal(r->runs[i], 1);
    assert_int_equal(r->violations, 0);
    assert_true(r->max_in_flight <= par);
    assert_int_equal(res.ok, 10000);
    fprintf(stderr, "10,000 nodes / %zu edges, %s, parallelism %d: %lld ms\n",
            cp_graph_edge_count(g), reverse ? "reverse" : "forward", par, ms);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

static void test_big_random_dag(void **st)
{
    (void)st;
    big_walk(false, 8);
    big_walk(true, 10);
    big_walk(false, 1);
}

static void test_big_failure_counts(void **st)
{
    (void)st;
    cp_graph *g = random_dag(10000, 100000, 5);
    bool *fail = calloc(10000, sizeof(bool));
    for (int i = 0; i < 10000; i += 997) fail[i] = true;
    rec *r = rec_new(g);
    r->fail = fail;
    cp_walk_result res;
    assert_int_equal(cp_graph_walk(g, &(cp_walk_opts){ .parallelism = 6 }, cb, r, &res), -1);
    assert_int_equal(res.ok + res.failed + res.skipped, 10000);
    /* every skipped node has a failed node as cause, reachable through its deps */
    int *fails = malloc(sizeof(int) * 10000);
    size_t nf = 0;
    for (int i = 0; i < 10000; i++)
        if (res.status[i] == CP_WALK_FAILED) fails[nf++] = i;
    bool *blocked = cp_graph_closure(g, fails, nf, true);
    for (int i = 0; i < 10000; i++) {
        if (res.status[i] == CP_WALK_SKIPPED) {
            assert_int_equal(res.status[res.cause[i]], CP_WALK_FAILED);
            assert_int_equal(r->runs[i], 0);
        }
        if (res.status[i] != CP_WALK_FAILED)
            assert_int_equal(blocked[i], res.status[i] == CP_WALK_SKIPPED);
    }
    free(blocked);
    free(fails);
    free(fail);
    cp_walk_result_free(&res);
    rec_free(r);
    cp_graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_order_single_worker),
        cmocka_unit_test(test_user_pointer),
        cmocka_unit_test(test_failure_propagation),
        cmocka_unit_test(test_failure_root),
        cmocka_unit_test(test_concurrency_bound),
        cmocka_unit_test(test_critical_path_first),
        cmocka_unit_test(test_critical_path_reverse),
        cmocka_unit_test(test_stop_single),
        cmocka_unit_test(test_stop_in_flight_finish),
        cmocka_unit_test(test_stop_before_start),
        cmocka_unit_test(test_reverse),
        cmocka_unit_test(test_only_subset),
        cmocka_unit_test(test_cycle_not_run),
        cmocka_unit_test(test_big_random_dag),
        cmocka_unit_test(test_big_failure_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
