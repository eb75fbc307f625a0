/*
 * cycles.c: finding and describing dependency cycles (see graph.h).
 *
 * Tarjan's algorithm (iterative, so a 10,000-long chain cannot overflow the
 * C stack) splits the graph into strongly connected components in O(V + E).
 * Every component with more than one node, or with a self-loop, holds a
 * cycle; a breadth-first search inside it from its first-added node gives
 * the shortest cycle through that node, which is what we report: short,
 * complete and the same on every run.
 */
#include "graph/graph_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct tarjan {
    cp_graph *g;
    int *index, *low, *comp; /* per node; comp = component id or -1 */
    bool *on_stack;
    int *stack; /* Tarjan's node stack */
    size_t sp;
    int *call;   /* DFS call stack: nodes */
    size_t *pos; /* per node: next edge to look at */
    int next_index, ncomp;
} tarjan;

/* Pop the component rooted at v; returns its smallest node id. */
static int pop_component(tarjan *t, int v)
{
    int w, first = v;
    do {
        w = t->stack[--t->sp];
        t->on_stack[w] = false;
        t->comp[w] = t->ncomp;
        if (w < first) first = w;
    } while (w != v);
    t->ncomp++;
    return first;
}

static void visit(tarjan *t, int v)
{
    t->index[v] = t->low[v] = t->next_index++;
    t->stack[t->sp++] = v;
    t->on_stack[v] = true;
}

static bool has_self_loop(cp_graph *g, int v)
{
    size_t cnt, lo = 0, hi;
    const int *d = cp__graph_adj(g, v, false, &cnt);
    for (hi = cnt; lo < hi;) { /* deps are sorted */
        size_t mid = lo + (hi - lo) / 2;
        if (d[mid] == v) return true;
        if (d[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* DFS from root; cyclic components are recorded through their first node in roots. */
static void strongconnect(tarjan *t, int root, bool *is_root)
{
    size_t csp = 0, cnt;
    t->call[csp++] = root;
    visit(t, root);
    while (csp) {
        int v = t->call[csp - 1];
        const int *d = cp__graph_adj(t->g, v, false, &cnt);
        if (t->pos[v] < cnt) {
            int w = d[t->pos[v]++];
            if (t->index[w] < 0) {
                visit(t, w);
                t->call[csp++] = w;
            } else if (t->on_stack[w] && t->index[w] < t->low[v])
                t->low[v] = t->index[w];
            continue;
        }
        csp--;
        if (csp && t->low[v] < t->low[t->call[csp - 1]]) t->low[t->call[csp - 1]] = t->low[v];
        if (t->low[v] != t->index[v]) continue;
        size_t before = t->sp;
        int first = pop_component(t, v);
        bool nontrivial = before - t->sp > 1;
        if (nontrivial || has_self_loop(t->g, v)) is_root[first] = true;
    }
}

/* Shortest cycle through start inside its component, by BFS over deps.
 * parent and queue are scratch arrays of node_count entries. */
static cp_graph_cycle shortest_cycle(cp_graph *g, const int *comp, int start, int *parent,
                                     int *queue)
{
    size_t head = 0, tail = 0, cnt;
    int last = start;
    parent[start] = start;
    queue[tail++] = start;
    while (head < tail) {
        int u = queue[head++];
        const int *d = cp__graph_adj(g, u, false, &cnt);
        size_t i;
        for (i = 0; i < cnt; i++) {
            int w = d[i];
            if (w == start) break;
            if (comp[w] != comp[start] || parent[w] >= 0) continue;
            parent[w] = u;
            queue[tail++] = w;
        }
        if (i < cnt) {
            last = u;
            break;
        }
    }
    size_t len = 1;
    for (int v = last; v != start; v = parent[v]) len++;
    cp_graph_cycle c = { cp_xmalloc(len * sizeof(int)), len };
    for (int v = last, i = (int)len - 1; i >= 0; v = parent[v], i--) c.nodes[i] = v;
    for (size_t i = 0; i < tail; i++) parent[queue[i]] = -1; /* reset scratch */
    return c;
}

static void tarjan_init(tarjan *t, cp_graph *g)
{
    size_t n = g->nnodes + 1;
    memset(t, 0, sizeof *t);
    t->g = g;
    t->index = cp_xmalloc(n * sizeof(int));
    t->low = cp_xmalloc(n * sizeof(int));
    t->comp = cp_xmalloc(n * sizeof(int));
    t->on_stack = cp_xcalloc(n, sizeof(bool));
    t->stack = cp_xmalloc(n * sizeof(int));
    t->call = cp_xmalloc(n * sizeof(int));
    t->pos = cp_xcalloc(n, sizeof(size_t));
    memset(t->index, 0xff, n * sizeof(int));
    memset(t->comp, 0xff, n * sizeof(int));
}

static void tarjan_free(tarjan *t)
{
    free(t->index);
    free(t->low);
    free(t->comp);
    free(t->on_stack);
    free(t->stack);
    free(t->call);
    free(t->pos);
}

size_t cp_graph_cycles(cp_graph *g, cp_graph_cycle **out)
{
    cp__graph_index(g);
    size_t n = g->nnodes, found = 0, cap = 0;
    tarjan t;
    tarjan_init(&t, g);
    bool *is_root = cp_xcalloc(n + 1, sizeof(bool));
    for (size_t v = 0; v < n; v++)
        if (t.index[v] < 0) strongconnect(&t, (int)v, is_root);
    cp_graph_cycle *cycles = NULL;
    int *parent = t.low, *queue = t.stack; /* reuse: Tarjan is done */
    memset(parent, 0xff, (n + 1) * sizeof(int));
    for (size_t v = 0; v < n; v++) {
        if (!is_root[v]) continue;
        CP_GROW(cycles, found + 1, cap);
        cycles[found++] = shortest_cycle(g, t.comp, (int)v, parent, queue);
    }
    free(is_root);
    tarjan_free(&t);
    *out = cycles;
    return found;
}

void cp_graph_cycles_free(cp_graph_cycle *cycles, size_t n)
{
    if (!cycles) return;
    for (size_t i = 0; i < n; i++) free(cycles[i].nodes);
    free(cycles);
}

static void add_step(const cp_graph *g, int v, bool with_where, cp_buf *out)
{
    cp_buf_adds(out, g->nodes[v].label);
    if (with_where && g->nodes[v].where[0]) cp_buf_printf(out, " (%s)", g->nodes[v].where);
}

void cp_graph_cycle_format(const cp_graph *g, const cp_graph_cycle *c, cp_buf *out)
{
    cp_buf_adds(out, "cycle: ");
    for (size_t i = 0; i < c->len; i++) {
        add_step(g, c->nodes[i], true, out);
        cp_buf_adds(out, " -> ");
    }
    if (c->len) add_step(g, c->nodes[0], false, out);
}
