/*
 * graph_internal.h: the representation of cp_graph, shared by the files of
 * src/graph only (graph.c builds it; cycles.c, dot.c and walk.c read it).
 *
 * Invariants once cp__graph_index() has run (indexed == true):
 *   deps[dep_off[n] .. dep_off[n+1])  what n depends on, ascending, distinct
 *   rdeps[rdep_off[n] .. rdep_off[n+1]) what depends on n, ascending, distinct
 * Any addition clears `indexed`; the raw edge list stays the source of truth.
 */
#ifndef CP_GRAPH_GRAPH_INTERNAL_H
#define CP_GRAPH_GRAPH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "graph/graph.h"

typedef struct cp_graph_node {
    char *label;
    char *where;
    void *user;
} cp_graph_node;

typedef struct cp_graph_edge {
    int a, b; /* a depends on b */
} cp_graph_edge;

struct cp_graph {
    cp_graph_node *nodes;
    size_t nnodes, nodes_cap;
    cp_graph_edge *edges; /* as added, duplicates included until indexed */
    size_t nedges, edges_cap;
    /* label -> first node id, open addressing, -1 = empty */
    int *hash;
    size_t hash_cap;
    /* adjacency index (compressed sparse rows) */
    bool indexed;
    size_t *dep_off, *rdep_off; /* nnodes + 1 each */
    int *deps, *rdeps;          /* ndistinct each */
};

/* Build the adjacency index if an addition made it stale. */
void cp__graph_index(cp_graph *g);

/* Successors of n for a walk direction: forward walks notify dependents. */
static inline const int *cp__graph_adj(const cp_graph *g, int n, bool rev, size_t *count)
{
    const size_t *off = rev ? g->rdep_off : g->dep_off;
    const int *arr = rev ? g->rdeps : g->deps;
    *count = off[n + 1] - off[n];
    return arr + off[n];
}

/* A binary min-heap of node ids: ready nodes come out in insertion order. */
typedef struct cp_id_heap {
    int *v;
    size_t len;
} cp_id_heap;

void cp__heap_init(cp_id_heap *h, size_t cap);
void cp__heap_free(cp_id_heap *h);
void cp__heap_push(cp_id_heap *h, int id);
int cp__heap_pop(cp_id_heap *h); /* smallest id; heap must not be empty */

#endif
