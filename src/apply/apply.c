/*
 * apply.c: building the instance-level action graph of a plan and walking
 * it (see apply.h).
 *
 * Nodes: one per create / update / read / delete; a replace gives a delete
 * node and a create node, ordered by create_before_destroy. Edges come from
 * the resource-level dependencies each change carries: a create or update
 * waits for the creates/updates of what it depends on; a delete of Y waits
 * for the deletes of everything that depended on Y. Lookups go through an
 * index of nodes sorted by resource address (type.name without the key).
 */
#include "apply/apply_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct idx_entry {
    char *res; /* resource address without key */
    int node;
    bool is_delete;
} idx_entry;

typedef struct node_index {
    idx_entry *e;
    size_t n;
} node_index;

static char *resource_of(const cp_addr *a)
{
    return cp_addr_config_str(a); /* as dependencies name it: module keys dropped too */
}

static int cmp_entry(const void *a, const void *b)
{
    const idx_entry *x = a, *y = b;
    int c = strcmp(x->res, y->res);
    return c ? c : x->node - y->node;
}

static void index_build(applier *A, node_index *ix)
{
    ix->n = A->nnodes;
    ix->e = cp_xcalloc(ix->n + 1, sizeof *ix->e);
    for (size_t i = 0; i < A->nnodes; i++) {
        ix->e[i].res = resource_of(&A->nodes[i].ch->addr);
        ix->e[i].node = (int)i;
        ix->e[i].is_delete = A->nodes[i].op == OP_DELETE;
    }
    qsort(ix->e, ix->n, sizeof *ix->e, cmp_entry);
}

static void index_free(node_index *ix)
{
    for (size_t i = 0; i < ix->n; i++) free(ix->e[i].res);
    free(ix->e);
}

/* First entry for resource res (or ix->n). */
static size_t index_find(const node_index *ix, const char *res)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(ix->e[mid].res, res) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void add_node(applier *A, const cp_change *ch, anode_op op, bool half)
{
    anode *n = &A->nodes[A->nnodes++];
    memset(n, 0, sizeof *n);
    n->ch = ch;
    n->op = op;
    n->replace_half = half;
}

static void build_nodes(applier *A)
{
    A->nodes = cp_xcalloc(2 * A->plan->nchanges + 1, sizeof *A->nodes);
    for (size_t i = 0; i < A->plan->nchanges; i++) {
        const cp_change *c = &A->plan->changes[i];
        switch (c->action) {
        case CP_ACTION_CREATE:
            add_node(A, c, OP_CREATE, false);
            break;
        case CP_ACTION_UPDATE:
            add_node(A, c, OP_UPDATE, false);
            break;
        case CP_ACTION_DELETE:
            add_node(A, c, OP_DELETE, false);
            break;
        case CP_ACTION_READ:
            add_node(A, c, OP_READ, false);
            break;
        case CP_ACTION_REPLACE:
            add_node(A, c, OP_DELETE, true);
            add_node(A, c, OP_CREATE, true);
            break;
        case CP_ACTION_NOOP:
            break;
        }
    }
    A->g = cp_graph_new();
    for (size_t i = 0; i < A->nnodes; i++)
        cp_graph_add_node(A->g, A->nodes[i].ch->address, NULL, &A->nodes[i]);
}

static void link_node(applier *A, const node_index *ix, int id)
{
    anode *n = &A->nodes[id];
    const cp_change *ch = n->ch;
    for (size_t d = 0; d < ch->ndeps; d++) {
        for (size_t k = index_find(ix, ch->deps[d]);
             k < ix->n && !strcmp(ix->e[k].res, ch->deps[d]); k++) {
            const idx_entry *e = &ix->e[k];
            if (e->node == id) continue;
            if (n->op != OP_DELETE && !e->is_delete) cp_graph_add_edge(A->g, id, e->node);
            if (n->op == OP_DELETE && e->is_delete) cp_graph_add_edge(A->g, e->node, id);
        }
    }
}

static void link_replace_halves(applier *A)
{
    for (size_t i = 0; i + 1 < A->nnodes; i++) {
        anode *del = &A->nodes[i], *cre = &A->nodes[i + 1];
        if (!del->replace_half || del->op != OP_DELETE || cre->ch != del->ch) continue;
        if (del->ch->create_before_destroy)
            cp_graph_add_edge(A->g, (int)i, (int)i + 1);
        else
            cp_graph_add_edge(A->g, (int)i + 1, (int)i);
    }
}

static void build_graph(applier *A)
{
    build_nodes(A);
    node_index ix;
    index_build(A, &ix);
    for (size_t i = 0; i < A->nnodes; i++) link_node(A, &ix, (int)i);
    link_replace_halves(A);
    index_free(&ix);
}

static void add_error(cp_apply_result *res, char *msg)
{
    res->errors = cp_xrealloc(res->errors, (res->nerrors + 1) * sizeof(char *));
    res->errors[res->nerrors++] = msg;
}

static void collect_results(applier *A, const cp_walk_result *wr, cp_apply_result *res)
{
    for (size_t i = 0; i < A->nnodes; i++) {
        anode *n = &A->nodes[i];
        if (wr->status[i] == CP_WALK_FAILED)
            add_error(res, cp_prefixed(n->ch->address, n->error ? n->error : "failed"));
        else if (wr->status[i] == CP_WALK_SKIPPED && wr->cause[i] >= 0)
            add_error(res, cp_xasprintf("%s: not applied because %s failed", n->ch->address,
                                        A->nodes[wr->cause[i]].ch->address));
        free(n->error);
    }
    res->failed = wr->failed;
    res->skipped = wr->skipped;
    res->not_run = wr->not_run;
    res->interrupted = wr->stopped;
}

/* Import blocks read their objects at plan time into the state apply
 * saves: say so, as they become managed here. */
static void say_imports(applier *A)
{
    for (size_t i = 0; i < A->plan->nchanges; i++) {
        const cp_change *c = &A->plan->changes[i];
        if (c->import_id) cp_apply_say(A, "%s: Import complete [id=%s]", c->address, c->import_id);
    }
}

int cp_apply_run(const cp_apply_opts *o, const cp_plan *plan, cp_state *state, cp_apply_result *res)
{
    memset(res, 0, sizeof *res);
    applier A = { .o = o, .plan = plan, .state = state };
    pthread_mutex_init(&A.mu, NULL);
    pthread_mutex_init(&A.out_mu, NULL);
    build_graph(&A);
    say_imports(&A);
    if (o->store) cp_store_attach(o->store, state);
    cp_apply_ticker_start(&A);
    cp_walk_opts wo = { .parallelism = o->parallelism > 0 ? o->parallelism : 10, .stop = o->stop };
    cp_walk_result wr;
    int rc = cp_graph_walk(A.g, &wo, cp_apply_node, &A, &wr);
    cp_apply_ticker_stop(&A);
    collect_results(&A, &wr, res);
    char *err = NULL;
    if (o->store && cp_store_detach(o->store, &err) != 0) {
        add_error(res, cp_xasprintf("saving state failed: %s", err));
        free(err);
        rc = -1;
    }
    cp_walk_result_free(&wr);
    res->added = atomic_load(&A.added);
    res->changed = atomic_load(&A.changed);
    res->destroyed = atomic_load(&A.destroyed);
    cp_graph_free(A.g);
    free(A.nodes);
    pthread_mutex_destroy(&A.mu);
    pthread_mutex_destroy(&A.out_mu);
    return rc == 0 && !res->interrupted ? 0 : -1;
}

void cp_apply_result_free(cp_apply_result *res)
{
    for (size_t i = 0; i < res->nerrors; i++) free(res->errors[i]);
    free(res->errors);
    memset(res, 0, sizeof *res);
}
