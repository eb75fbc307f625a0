/*
 * apply_internal.h: what the files of src/apply share: the run (`applier`)
 * and its action nodes. Not for use outside src/apply.
 *
 * Threads: workers of the graph walker run the operations. The working
 * state is guarded by `mu`; progress output by `out_mu`. Each node writes
 * only its own fields (error, timing), read by the main thread after the
 * walk.
 */
#ifndef CP_APPLY_INTERNAL_H
#define CP_APPLY_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "apply/apply.h"
#include "graph/graph.h"
#include "plan/scope.h"

typedef enum anode_op { OP_CREATE, OP_UPDATE, OP_DELETE, OP_READ } anode_op;

typedef struct anode {
    const cp_change *ch;
    anode_op op;
    bool replace_half; /* one half of a replace */
    char *error;       /* malloc'd on failure */
    struct timespec started;
    atomic_int running;  /* 1 while the provider call is in flight */
    int reported;        /* "Still …" periods already printed */
    char deposed_key[9]; /* delete half of a create_before_destroy replace: the key
                            its create half deposed the old object under ("": none) */
} anode;

typedef struct applier {
    const cp_apply_opts *o;
    const cp_plan *plan;
    cp_state *state;
    pthread_mutex_t mu;     /* guards state when there is no store */
    pthread_mutex_t out_mu; /* guards progress output */
    anode *nodes;
    size_t nnodes;
    cp_graph *g;
    atomic_size_t added, changed, destroyed;
    /* progress ticker */
    pthread_t ticker;
    pthread_cond_t tick_cv;
    bool ticker_stop;
} applier;

/* apply_ops.c: run one node (the walker's callback). */
/* "create", "update", "delete" or "read" (the JSON UI's action names). */
const char *cp_apply_op_action(anode_op op);
int cp_apply_node(void *ctx, int node, void *user);
/* apply_eval.c: the config of a change evaluated against the live state. */
cp_value *cp_apply_eval(applier *A, const cp_change *ch, char **err);
/* apply_eval.c: the change's preconditions (self NULL, before its
 * operation) or postconditions (self: the object made or read); 0 when all
 * hold, else -1 with *err (malloc'd). */
int cp_apply_conditions(applier *A, const cp_change *ch, const cp_value *self, char **err);
/* apply_progress.c */
void cp_apply_say(applier *A, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cp_apply_ticker_start(applier *A);
void cp_apply_ticker_stop(applier *A);
double cp_apply_elapsed(const struct timespec *since);
/* The state lock: the store's when persisting, else A->mu. */
void cp_apply_lock(applier *A);
void cp_apply_unlock(applier *A);
/* After a change (lock held): a ticket for cp_apply_wait (0: no store). */
uint64_t cp_apply_changed(applier *A);
/* A change to be waited for is coming (a create's intent): its write
 * waits for it; unhold once it is made (cp_store_hold). */
void cp_apply_hold(applier *A);
void cp_apply_unhold(applier *A);
/* Wait (lock NOT held) until the change with this ticket is durable. */
int cp_apply_wait(applier *A, uint64_t ticket, char **err);

#endif
