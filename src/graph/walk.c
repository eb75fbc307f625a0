/*
 * walk.c: the parallel graph walker behind `apply` (see graph.h).
 *
 * Classic in-degree scheduling, O(V + E) overall: every walked node counts
 * its unfinished prerequisites (what it depends on, or in reverse mode what
 * depends on it); a node whose count reaches zero joins a ready heap. N
 * workers — the calling thread plus N-1 pthreads — take ready nodes and run
 * the callback without any lock held, then report back under the one
 * mutex; the worker that settles a node takes the next ready one itself,
 * so a dependent starts the moment its last prerequisite returns.
 *
 * Which ready node first: with one worker, the lowest id (exactly the
 * topological order of cp_graph_order). With more, the critical path: the
 * node with the longest chain of walked nodes still waiting on it (its
 * height), then the lowest id. Starting long chains early keeps all N
 * workers busy to the end instead of leaving one chain to run alone after
 * the independent work is done. The heap holds ranks (position in that
 * order), computed once before the walk.
 *
 * A failed node does not release its successors: they are marked blocked
 * by it, and when their count reaches zero they are skipped instead of run,
 * passing the same cause on. Independent branches never notice. The stop
 * flag is checked each time a worker is about to start a node; since every
 * start follows either the beginning of the walk or a completion, no
 * polling is needed. The walk ends when every node is settled, or when
 * nothing is ready or running (stopped, or the rest sits on a cycle).
 */
#include "graph/graph_internal.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk {
    cp_graph *g;
    bool rev;
    const bool *only;
    const volatile sig_atomic_t *stop;
    cp_walk_fn fn;
    void *ctx;
    cp_walk_result *res;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t *pending;  /* unfinished prerequisites per node */
    int *blocked_by;  /* failed ancestor per node, or -1 */
    int *work;        /* scratch stack for settling nodes */
    int *rank;        /* node -> priority (smaller first) */
    int *by_rank;     /* priority -> node */
    cp_id_heap ready; /* ranks of ready nodes */
    size_t remaining; /* walked nodes not yet settled */
    int in_flight;
    int idle;  /* workers waiting for a ready node */
    bool quit; /* stop seen: start nothing more */
} walk;

static bool walked(const walk *w, int v) { return !w->only || w->only[v]; }

/* height[v]: the longest chain of walked nodes from v to one nothing waits
 * on (1 for such a node; 0 on or behind a cycle). Peels nodes whose
 * successors are all done, from the end of the walk back. */
static size_t *heights(const walk *w, size_t n)
{
    size_t *h = cp_xcalloc(n + 1, sizeof *h), *left = cp_xcalloc(n + 1, sizeof *left), top = 0;
    int *stack = w->work;
    for (size_t v = 0; v < n; v++) {
        if (!walked(w, (int)v)) continue;
        size_t cnt;
        const int *next = cp__graph_adj(w->g, (int)v, !w->rev, &cnt);
        for (size_t i = 0; i < cnt; i++) left[v] += walked(w, next[i]);
        if (!left[v]) {
            h[v] = 1;
            stack[top++] = (int)v;
        }
    }
    while (top) {
        int v = stack[--top];
        size_t cnt;
        const int *pre = cp__graph_adj(w->g, v, w->rev, &cnt);
        for (size_t i = 0; i < cnt; i++) {
            int p = pre[i];
            if (!walked(w, p)) continue;
            if (h[p] < h[v] + 1) h[p] = h[v] + 1;
            if (!--left[p]) stack[top++] = p;
        }
    }
    free(left);
    return h;
}

/* rank / by_rank: by id with one worker, else tallest first, then by id
 * (a counting sort on the height, stable in id). */
static void rank_nodes(walk *w, size_t n, size_t workers)
{
    w->rank = cp_xmalloc((n + 1) * sizeof *w->rank);
    w->by_rank = cp_xmalloc((n + 1) * sizeof *w->by_rank);
    if (workers <= 1) {
        for (size_t v = 0; v < n; v++) w->rank[v] = w->by_rank[v] = (int)v;
        return;
    }
    size_t *h = heights(w, n), *first = cp_xcalloc(n + 2, sizeof *first);
    for (size_t v = 0; v < n; v++) first[n - h[v]]++; /* bucket n - h: tallest first */
    for (size_t b = 0, at = 0; b <= n; b++) {
        size_t c = first[b];
        first[b] = at;
        at += c;
    }
    for (size_t v = 0; v < n; v++) {
        size_t r = first[n - h[v]]++;
        w->rank[v] = (int)r;
        w->by_rank[r] = (int)v;
    }
    free(first);
    free(h);
}

static void make_ready(walk *w, int v) { cp__heap_push(&w->ready, w->rank[v]); }

static void walk_init(walk *w, size_t n, size_t workers)
{
    w->pending = cp_xcalloc(n + 1, sizeof *w->pending);
    w->blocked_by = cp_xmalloc((n + 1) * sizeof *w->blocked_by);
    w->work = cp_xmalloc((n + 1) * sizeof *w->work);
    memset(w->blocked_by, 0xff, (n + 1) * sizeof *w->blocked_by);
    rank_nodes(w, n, workers);
    cp__heap_init(&w->ready, n);
    for (size_t v = 0; v < n; v++) {
        if (!walked(w, (int)v)) {
            w->res->status[v] = CP_WALK_EXCLUDED;
            continue;
        }
        size_t cnt;
        const int *pre = cp__graph_adj(w->g, (int)v, w->rev, &cnt);
        for (size_t i = 0; i < cnt; i++) w->pending[v] += walked(w, pre[i]);
        if (!w->pending[v]) make_ready(w, (int)v);
        w->remaining++;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
}

static void walk_destroy(walk *w)
{
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    cp__heap_free(&w->ready);
    free(w->pending);
    free(w->blocked_by);
    free(w->work);
    free(w->rank);
    free(w->by_rank);
}

/* The failed node behind a settled node, or -1 when it succeeded. */
static int failure_of(const walk *w, int v)
{
    switch (w->res->status[v]) {
    case CP_WALK_FAILED:
        return v;
    case CP_WALK_SKIPPED:
        return w->res->cause[v];
    default:
        return -1;
    }
}

/* Tell v's successors it is settled; cascade skips. Mutex held. */
static void settle(walk *w, int v, cp_walk_status st)
{
    size_t top = 0, cnt;
    w->res->status[v] = st;
    w->remaining--;
    w->work[top++] = v;
    while (top) {
        int m = w->work[--top], cause = failure_of(w, m);
        const int *next = cp__graph_adj(w->g, m, !w->rev, &cnt);
        for (size_t i = 0; i < cnt; i++) {
            int s = next[i];
            if (!walked(w, s)) continue;
            if (cause >= 0 && w->blocked_by[s] < 0) w->blocked_by[s] = cause;
            if (--w->pending[s]) continue;
            if (w->blocked_by[s] < 0) {
                make_ready(w, s);
                continue;
            }
            w->res->status[s] = CP_WALK_SKIPPED;
            w->res->cause[s] = w->blocked_by[s];
            w->remaining--;
            w->work[top++] = s;
        }
    }
}

/* Next node to run, or -1 when this worker should exit. Mutex held. */
static int next_node(walk *w)
{
    while (!w->ready.len && w->remaining && w->in_flight && !w->quit) {
        w->idle++;
        pthread_cond_wait(&w->cv, &w->mu);
        w->idle--;
    }
    if (w->quit || !w->remaining || !w->ready.len) return -1;
    if (w->stop && __atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
        w->quit = true;
        w->res->stopped = true;
        pthread_cond_broadcast(&w->cv);
        return -1;
    }
    w->in_flight++;
    return w->by_rank[cp__heap_pop(&w->ready)];
}

/* After a settle (mutex held): this worker takes the next ready node
 * itself, so wake one idle worker per further ready node; all of them
 * when the walk is over (nothing left, or nothing ready nor running). A
 * chain thus runs on one worker with no wake-up at all. */
static void wake_others(walk *w)
{
    if (!w->remaining || (!w->ready.len && !w->in_flight)) {
        pthread_cond_broadcast(&w->cv);
        return;
    }
    for (size_t k = 1; k < w->ready.len && (int)k <= w->idle; k++) pthread_cond_signal(&w->cv);
}

static void *worker(void *arg)
{
    walk *w = arg;
    pthread_mutex_lock(&w->mu);
    for (int v; (v = next_node(w)) >= 0;) {
        pthread_mutex_unlock(&w->mu);
        int rc = w->fn(w->ctx, v, w->g->nodes[v].user);
        pthread_mutex_lock(&w->mu);
        w->in_flight--;
        settle(w, v, rc == 0 ? CP_WALK_OK : CP_WALK_FAILED);
        wake_others(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Run the workers: n-1 threads plus this one. */
static void run_workers(walk *w, size_t n)
{
    pthread_t *tids = cp_xmalloc((n + 1) * sizeof *tids);
    size_t started = 0;
    while (started + 1 < n && pthread_create(&tids[started], NULL, worker, w) == 0) started++;
    worker(w);
    for (size_t i = 0; i < started; i++) pthread_join(tids[i], NULL);
    free(tids);
}

static void count_results(cp_walk_result *res, size_t n)
{
    for (size_t v = 0; v < n; v++) {
        switch (res->status[v]) {
        case CP_WALK_OK:
            res->ok++;
            break;
        case CP_WALK_FAILED:
            res->failed++;
            break;
        case CP_WALK_SKIPPED:
            res->skipped++;
            break;
        case CP_WALK_EXCLUDED:
            res->excluded++;
            break;
        default:
            res->not_run++;
            break;
        }
    }
}

int cp_graph_walk(cp_graph *g, const cp_walk_opts *opts, cp_walk_fn fn, void *ctx,
                  cp_walk_result *res)
{
    cp_walk_opts none = { 1, false, NULL, NULL };
    if (!opts) opts = &none;
    cp__graph_index(g);
    size_t n = g->nnodes;
    memset(res, 0, sizeof *res);
    res->status = cp_xcalloc(n + 1, sizeof *res->status);
    res->cause = cp_xmalloc((n + 1) * sizeof *res->cause);
    memset(res->cause, 0xff, (n + 1) * sizeof *res->cause);

    walk w = { .g = g,
               .rev = opts->reverse,
               .only = opts->only,
               .stop = opts->stop,
               .fn = fn,
               .ctx = ctx,
               .res = res };
    size_t workers = opts->parallelism < 1 ? 1 : (size_t)opts->parallelism;
    walk_init(&w, n, workers);
    if (workers > w.remaining) workers = w.remaining;
    if (workers) run_workers(&w, workers);
    walk_destroy(&w);
    count_results(res, n);
    return res->ok + res->excluded == n ? 0 : -1;
}

void cp_walk_result_free(cp_walk_result *res)
{
    if (!res) return;
    free(res->status);
    free(res->cause);
    res->status = NULL;
    res->cause = NULL;
}

const char *cp_walk_status_name(cp_walk_status s)
{
    static const char *const names[] = { "not run", "ok", "failed", "skipped", "excluded" };
    return (unsigned)s <= CP_WALK_EXCLUDED ? names[s] : "?";
}
