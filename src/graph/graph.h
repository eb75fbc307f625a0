/*
 * graph.h: a generic directed acyclic graph of work items, and a parallel
 * walker over it.
 *
 * The graph knows nothing of resources. A node is an int id (0, 1, 2, … in
 * insertion order) with a label ("aws_s3_bucket.logs"), a location
 * ("main.cp:3") and a caller-owned user pointer. An edge "a depends on b"
 * means b must finish before a starts (and, walking in reverse for deletes,
 * a must finish before b starts).
 *
 * Everything is O(V + E): edges are kept in compact adjacency arrays
 * (rebuilt lazily after additions, duplicates dropped), ties in orders are
 * broken by insertion order so every output is deterministic.
 *
 * Ownership and threads:
 *   - The graph copies labels and locations; user pointers stay the caller's.
 *   - Functions taking a non-const cp_graph may build the adjacency index,
 *     so they must not run concurrently with each other or with additions.
 *     During cp_graph_walk the index is built before workers start, and the
 *     callbacks may call any function of this header that does not add.
 */
#ifndef CP_GRAPH_GRAPH_H
#define CP_GRAPH_GRAPH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct cp_graph cp_graph;

/* --- building ------------------------------------------------------------ */
cp_graph *cp_graph_new(void);
void cp_graph_free(cp_graph *g); /* NULL is a no-op */
/* Add a node; label and where (may be NULL) are copied. Returns its id. */
int cp_graph_add_node(cp_graph *g, const char *label, const char *where, void *user);
/* a depends on b. Duplicate edges count once; a == b is a self-loop (a cycle).
 * Ids out of range abort: that is a programming error. */
void cp_graph_add_edge(cp_graph *g, int a, int b);

/* --- inspection ---------------------------------------------------------- */
size_t cp_graph_node_count(const cp_graph *g);
size_t cp_graph_edge_count(cp_graph *g); /* distinct edges */
const char *cp_graph_label(const cp_graph *g, int n);
const char *cp_graph_where(const cp_graph *g, int n); /* "" when none */
void *cp_graph_user(const cp_graph *g, int n);
/* The first node added with this label, or -1. O(1). */
int cp_graph_find(const cp_graph *g, const char *label);
/* Borrowed arrays, ascending ids, valid until the graph changes. */
const int *cp_graph_deps(cp_graph *g, int n, size_t *count);       /* n depends on these */
const int *cp_graph_dependents(cp_graph *g, int n, size_t *count); /* these depend on n */

/* --- cycles ------------------------------------------------------------------ */
/* One cycle, in order: nodes[0] depends on nodes[1] … nodes[len-1] depends
 * on nodes[0]. A self-loop has len 1. */
typedef struct cp_graph_cycle {
    int *nodes;
    size_t len;
} cp_graph_cycle;

/* Find the cycles: one per strongly connected component that contains a
 * cycle, each the shortest cycle through that component's first-added node,
 * ordered by that node. Returns how many (0: acyclic) and sets *out
 * (malloc'd, NULL when none; free with cp_graph_cycles_free). */
size_t cp_graph_cycles(cp_graph *g, cp_graph_cycle **out);
void cp_graph_cycles_free(cp_graph_cycle *cycles, size_t n);
/* Append "cycle: a (main.cp:3) -> b (main.cp:9) -> a" (no newline). */
void cp_graph_cycle_format(const cp_graph *g, const cp_graph_cycle *c, cp_buf *out);

/* --- orders and subsets ------------------------------------------------------------ */
/* Topological order: each node after everything it depends on (reverse:
 * before), ties broken by insertion order. Returns 0 and *order (malloc'd,
 * node_count ids), or -1 and *order = NULL when the graph has a cycle. */
int cp_graph_order(cp_graph *g, bool reverse, int **order);
/* The seeds plus everything they transitively depend on (dependents: plus
 * everything that transitively depends on them). Returns a malloc'd array of
 * node_count bools, usable as cp_walk_opts.only. Bad seed ids are ignored. */
bool *cp_graph_closure(cp_graph *g, const int *seeds, size_t nseeds, bool dependents);

/* --- DOT ---------------------------------------------------------------------------- */
/* Append a `digraph` for Graphviz: one box per node labelled with its label
 * (and its location as tooltip), an arrow from each node to what it
 * depends on. name is the graph's title (NULL: "cpstack"). */
void cp_graph_dot(cp_graph *g, const char *name, cp_buf *out);

/* --- parallel walk ------------------------------------------------------------------ */
typedef enum cp_walk_status {
    CP_WALK_NOT_RUN = 0, /* never started: stopped, or stuck behind a cycle */
    CP_WALK_OK,          /* callback returned 0 */
    CP_WALK_FAILED,      /* callback returned non-zero */
    CP_WALK_SKIPPED,     /* not run because an ancestor failed (see cause) */
    CP_WALK_EXCLUDED     /* not in cp_walk_opts.only */
} cp_walk_status;

/* Runs on a worker thread, without any walker lock held. Returns 0 on
 * success; anything else marks the node failed. */
typedef int (*cp_walk_fn)(void *ctx, int node, void *user);

typedef struct cp_walk_opts {
    int parallelism;  /* worker threads, at most this many callbacks at once; < 1 means 1 */
    bool reverse;     /* dependents first (deletes) */
    const bool *only; /* NULL: every node; else walk only nodes marked true
                         (prerequisites outside the set count as done) */
    const volatile sig_atomic_t
        *stop; /* NULL, or non-zero: start nothing new; in-flight ones finish */
} cp_walk_opts;

typedef struct cp_walk_result {
    cp_walk_status *status; /* per node */
    int *cause;             /* per node: for SKIPPED the failed ancestor, else -1 */
    size_t ok, failed, skipped, not_run, excluded;
    bool stopped; /* the stop flag was seen */
} cp_walk_result;

/* Run fn for every node (in `only`), a node starting only once all its
 * prerequisites finished OK; when one fails its dependents are skipped
 * (transitively) while independent branches go on. Returns 0 when every
 * walked node is OK, else -1. res is filled either way (free it with
 * cp_walk_result_free). Nodes on or behind a cycle stay NOT_RUN: check
 * cp_graph_cycles first. opts may be NULL (parallelism 1, forward). With
 * one worker nodes start in cp_graph_order's order; with more, the ready
 * node with the longest chain waiting on it starts first. */
int cp_graph_walk(cp_graph *g, const cp_walk_opts *opts, cp_walk_fn fn, void *ctx,
                  cp_walk_result *res);
void cp_walk_result_free(cp_walk_result *res);
const char *cp_walk_status_name(cp_walk_status s); /* "ok", "failed", … */

#endif
