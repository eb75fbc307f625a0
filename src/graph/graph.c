/*
 * graph.c: building a cp_graph, its adjacency index, label lookup,
 * topological orders and transitive closures (see graph.h).
 *
 * Edges are appended to a flat list; the first query after a change turns
 * that list into two compressed adjacency arrays (what each node depends
 * on, what depends on it) with a counting sort, dropping duplicates. All
 * of it is O(V + E) apart from sorting each node's own edge bucket.
 */
#include "graph/graph_internal.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- nodes and label lookup ------------------------------------------------ */

static uint64_t hash_label(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void hash_insert(cp_graph *g, int id)
{
    size_t mask = g->hash_cap - 1;
    size_t i = hash_label(g->nodes[id].label) & mask;
    for (; g->hash[i] >= 0; i = (i + 1) & mask)
        if (strcmp(g->nodes[g->hash[i]].label, g->nodes[id].label) == 0) return;
    g->hash[i] = id;
}

static void hash_grow(cp_graph *g)
{
    free(g->hash);
    g->hash_cap = g->hash_cap ? g->hash_cap * 2 : 64;
    g->hash = cp_xmalloc(g->hash_cap * sizeof *g->hash);
    memset(g->hash, 0xff, g->hash_cap * sizeof *g->hash); /* all -1 */
    for (size_t i = 0; i < g->nnodes; i++) hash_insert(g, (int)i);
}

cp_graph *cp_graph_new(void) { return cp_xcalloc(1, sizeof(cp_graph)); }

static void free_index(cp_graph *g)
{
    free(g->dep_off);
    free(g->rdep_off);
    free(g->deps);
    free(g->rdeps);
    g->dep_off = g->rdep_off = NULL;
    g->deps = g->rdeps = NULL;
    g->indexed = false;
}

void cp_graph_free(cp_graph *g)
{
    if (!g) return;
    for (size_t i = 0; i < g->nnodes; i++) {
        free(g->nodes[i].label);
        free(g->nodes[i].where);
    }
    free(g->nodes);
    free(g->edges);
    free(g->hash);
    free_index(g);
    free(g);
}

int cp_graph_add_node(cp_graph *g, const char *label, const char *where, void *user)
{
    if (g->nnodes >= (size_t)INT32_MAX) {
        fprintf(stderr, "cpstack: graph: too many nodes\n");
        abort();
    }
    CP_GROW(g->nodes, g->nnodes + 1, g->nodes_cap);
    int id = (int)g->nnodes++;
    g->nodes[id].label = cp_xstrdup(label ? label : "");
    g->nodes[id].where = cp_xstrdup(where ? where : "");
    g->nodes[id].user = user;
    if (2 * g->nnodes > g->hash_cap)
        hash_grow(g);
    else
        hash_insert(g, id);
    g->indexed = false;
    return id;
}

static void check_id(const cp_graph *g, int n, const char *what)
{
    if (n < 0 || (size_t)n >= g->nnodes) {
        fprintf(stderr, "cpstack: graph: %s: node %d out of range (0..%zu)\n", what, n, g->nnodes);
        abort();
    }
}

void cp_graph_add_edge(cp_graph *g, int a, int b)
{
    check_id(g, a, "add_edge");
    check_id(g, b, "add_edge");
    CP_GROW(g->edges, g->nedges + 1, g->edges_cap);
    g->edges[g->nedges++] = (cp_graph_edge){ a, b };
    g->indexed = false;
}

size_t cp_graph_node_count(const cp_graph *g) { return g->nnodes; }

const char *cp_graph_label(const cp_graph *g, int n)
{
    check_id(g, n, "label");
    return g->nodes[n].label;
}

const char *cp_graph_where(const cp_graph *g, int n)
{
    check_id(g, n, "where");
    return g->nodes[n].where;
}

void *cp_graph_user(const cp_graph *g, int n)
{
    check_id(g, n, "user");
    return g->nodes[n].user;
}

int cp_graph_find(const cp_graph *g, const char *label)
{
    if (!g->hash_cap) return -1;
    size_t mask = g->hash_cap - 1;
    for (size_t i = hash_label(label) & mask; g->hash[i] >= 0; i = (i + 1) & mask)
        if (strcmp(g->nodes[g->hash[i]].label, label) == 0) return g->hash[i];
    return -1;
}

/* --- the adjacency index ------------------------------------------------------ */

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/* Bucket edge targets by source (counting sort): *off gets nnodes+1 offsets. */
static int *bucket_edges(const cp_graph *g, size_t **off)
{
    size_t n = g->nnodes;
    size_t *o = cp_xcalloc(n + 1, sizeof *o);
    for (size_t i = 0; i < g->nedges; i++) o[g->edges[i].a + 1]++;
    for (size_t i = 0; i < n; i++) o[i + 1] += o[i];
    size_t *fill = cp_xmalloc((n + 1) * sizeof *fill);
    memcpy(fill, o, (n + 1) * sizeof *fill);
    int *to = cp_xmalloc((g->nedges + 1) * sizeof *to);
    for (size_t i = 0; i < g->nedges; i++) to[fill[g->edges[i].a]++] = g->edges[i].b;
    free(fill);
    *off = o;
    return to;
}

/* Sort each bucket and drop duplicates, compacting in place. */
static size_t dedupe_buckets(size_t n, size_t *off, int *to)
{
    size_t w = 0;
    for (size_t v = 0; v < n; v++) {
        size_t start = off[v], end = off[v + 1];
        qsort(to + start, end - start, sizeof *to, cmp_int);
        off[v] = w;
        for (size_t i = start; i < end; i++)
            if (i == start || to[i] != to[i - 1]) to[w++] = to[i];
    }
    off[n] = w;
    return w;
}

/* Reverse adjacency from forward; scanning sources in order keeps buckets sorted. */
static void build_reverse(cp_graph *g, size_t m)
{
    size_t n = g->nnodes;
    g->rdep_off = cp_xcalloc(n + 1, sizeof *g->rdep_off);
    g->rdeps = cp_xmalloc((m + 1) * sizeof *g->rdeps);
    for (size_t i = 0; i < m; i++) g->rdep_off[g->deps[i] + 1]++;
    for (size_t i = 0; i < n; i++) g->rdep_off[i + 1] += g->rdep_off[i];
    size_t *fill = cp_xmalloc((n + 1) * sizeof *fill);
    memcpy(fill, g->rdep_off, (n + 1) * sizeof *fill);
    for (size_t a = 0; a < n; a++)
        for (size_t i = g->dep_off[a]; i < g->dep_off[a + 1]; i++)
            g->rdeps[fill[g->deps[i]]++] = (int)a;
    free(fill);
}

void cp__graph_index(cp_graph *g)
{
    if (g->indexed) return;
    free_index(g);
    g->deps = bucket_edges(g, &g->dep_off);
    size_t m = dedupe_buckets(g->nnodes, g->dep_off, g->deps);
    build_reverse(g, m);
    /* Keep only the distinct edges so memory follows what is used. */
    for (size_t a = 0; a < g->nnodes; a++)
        for (size_t i = g->dep_off[a]; i < g->dep_off[a + 1]; i++)
            g->edges[i] = (cp_graph_edge){ (int)a, g->deps[i] };
    g->nedges = m;
    g->indexed = true;
}

size_t cp_graph_edge_count(cp_graph *g)
{
    cp__graph_index(g);
    return g->nedges;
}

const int *cp_graph_deps(cp_graph *g, int n, size_t *count)
{
    check_id(g, n, "deps");
    cp__graph_index(g);
    return cp__graph_adj(g, n, false, count);
}

const int *cp_graph_dependents(cp_graph *g, int n, size_t *count)
{
    check_id(g, n, "dependents");
    cp__graph_index(g);
    return cp__graph_adj(g, n, true, count);
}

/* --- the id heap ------------------------------------------------------------------ */

void cp__heap_init(cp_id_heap *h, size_t cap)
{
    h->v = cp_xmalloc((cap + 1) * sizeof *h->v);
    h->len = 0;
}

void cp__heap_free(cp_id_heap *h)
{
    free(h->v);
    h->v = NULL;
    h->len = 0;
}

void cp__heap_push(cp_id_heap *h, int id)
{
    size_t i = h->len++;
    while (i > 0 && h->v[(i - 1) / 2] > id) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = id;
}

int cp__heap_pop(cp_id_heap *h)
{
    int top = h->v[0], last = h->v[--h->len];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->len) break;
        if (c + 1 < h->len && h->v[c + 1] < h->v[c]) c++;
        if (h->v[c] >= last) break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->len) h->v[i] = last;
    return top;
}

/* --- orders and closures ------------------------------------------------------------ */

/* Kahn's algorithm with a min-heap: prerequisites are deps (forward) or
 * dependents (reverse); finishing a node releases the other side. */
int cp_graph_order(cp_graph *g, bool reverse, int **order)
{
    cp__graph_index(g);
    size_t n = g->nnodes, done = 0, cnt;
    size_t *pending = cp_xmalloc((n + 1) * sizeof *pending);
    int *out = cp_xmalloc((n + 1) * sizeof *out);
    cp_id_heap ready;
    cp__heap_init(&ready, n);
    for (size_t v = 0; v < n; v++) {
        cp__graph_adj(g, (int)v, reverse, &cnt); /* reverse: wait for dependents */
        pending[v] = cnt;
        if (!cnt) cp__heap_push(&ready, (int)v);
    }
    while (ready.len) {
        int v = cp__heap_pop(&ready);
        out[done++] = v;
        const int *next = cp__graph_adj(g, v, !reverse, &cnt);
        for (size_t i = 0; i < cnt; i++)
            if (--pending[next[i]] == 0) cp__heap_push(&ready, next[i]);
    }
    cp__heap_free(&ready);
    free(pending);
    if (done < n) {
        free(out);
        *order = NULL;
        return -1;
    }
    *order = out;
    return 0;
}

bool *cp_graph_closure(cp_graph *g, const int *seeds, size_t nseeds, bool dependents)
{
    cp__graph_index(g);
    size_t n = g->nnodes, top = 0, cnt;
    bool *in = cp_xcalloc(n + 1, sizeof *in);
    int *stack = cp_xmalloc((n + 1) * sizeof *stack);
    for (size_t i = 0; i < nseeds; i++) {
        int s = seeds[i];
        if (s < 0 || (size_t)s >= n || in[s]) continue;
        in[s] = true;
        stack[top++] = s;
    }
    while (top) {
        const int *next = cp__graph_adj(g, stack[--top], dependents, &cnt);
        for (size_t i = 0; i < cnt; i++)
            if (!in[next[i]]) {
                in[next[i]] = true;
                stack[top++] = next[i];
            }
    }
    free(stack);
    return in;
}
