/*
 * store.c: cp_store, one branch of one backend as the engine uses it: lock,
 * read, write after every resource operation, unlock (see backend.h).
 *
 * Safety: every write is conditional on the version this store last read
 * or wrote (a state that was never read may only be created, not written
 * over), and a state with another lineage is never written over a stored
 * one. The serial is incremented on each write of a changed state.
 *
 * Group commit: the engine calls cp_store_write_async after each resource;
 * that takes a snapshot (the frozen instances are shared, so it costs a
 * pointer per instance) and wakes one writer thread, which always writes
 * the newest snapshot and skips the ones it superseded. Tickets number the
 * snapshots; done_ticket is the newest durable one. Only the writer thread
 * touches token/lineage while it runs; the mutex guards the hand-over.
 */
#include "state/backend.h"
#include "state/state_internal.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct cp_store {
    cp_backend  *b;
    char        *branch;
    char         token[CP_TOKEN_MAX];
    bool         have_token;      /* false: the branch must not have state yet */
    char        *lineage;         /* of the stored state, NULL if none */
    cp_lock_info lock;
    bool         locked;
    /* group commit */
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    pthread_t    thread;
    bool         running, stopping;
    cp_state    *pending;         /* newest snapshot not yet written */
    uint64_t     pending_ticket, issued, done, failed;
    char        *failed_err;      /* message of the write that failed at `failed` */
};

cp_store *cp_store_open(cp_backend *b, const char *branch)
{
    cp_store *st = cp_xcalloc(1, sizeof *st);
    st->b = b;
    st->branch = cp_xstrdup(branch);
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    return st;
}

/* --- lock ------------------------------------------------------------------ */
int cp_store_lock(cp_store *st, const char *operation, long timeout_ms, char **err)
{
    if (cp_backend_lock(st->b, st->branch, operation, timeout_ms, &st->lock, err) != 0) return -1;
    st->locked = true;
    return 0;
}

int cp_store_unlock(cp_store *st, char **err)
{
    if (!st->locked) return 0;
    st->locked = false;
    return cp_backend_unlock(st->b, st->branch, st->lock.id, err);
}

const cp_lock_info *cp_store_lock_info(const cp_store *st) { return st->locked ? &st->lock : NULL; }

/* --- read -------------------------------------------------------------------- */
int cp_store_read(cp_store *st, cp_state **out, char **err)
{
    cp_buf bytes;
    bool found = false;
    cp_buf_init(&bytes);
    *out = NULL;
    int rc = cp_backend_read(st->b, st->branch, &bytes, &found, st->token, err);
    if (rc == 0 && found) {
        char *where = cp_backend_describe(st->b, st->branch);
        *out = cp_state_parse(bytes.data ? bytes.data : "", bytes.len, where, err);
        free(where);
        rc = *out ? 0 : -1;
    }
    if (rc == 0) {
        st->have_token = true;
        free(st->lineage);
        st->lineage = *out ? cp_xstrdup(cp_state_lineage(*out)) : NULL;
    }
    cp_buf_free(&bytes);
    return rc;
}

/* --- write (the writer thread, or the caller when no thread runs) ----------- */
static int write_now(cp_store *st, const cp_state *s, char **err)
{
    if (st->lineage && strcmp(st->lineage, cp_state_lineage(s)) != 0) {
        char *where = cp_backend_describe(st->b, st->branch);
        *err = cp_xasprintf("refusing to write state with lineage %s over %s, which holds a "
                            "different state (lineage %s); check the backend settings and branch",
                            cp_state_lineage(s), where, st->lineage);
        free(where);
        return -1;
    }
    cp_buf text;
    cp_buf_init(&text);
    cp_state_serialize(s, &text);
    char tok[CP_TOKEN_MAX];
    int rc = cp_backend_write(st->b, st->branch, text.data, text.len,
                              st->have_token ? st->token : "", tok, err);
    cp_buf_free(&text);
    if (rc != 0) return -1;
    memcpy(st->token, tok, sizeof tok);
    st->have_token = true;
    if (!st->lineage) st->lineage = cp_xstrdup(cp_state_lineage(s));
    return 0;
}

/* Serial++ and clean, when s changed since its last write. */
static void bump(cp_state *s)
{
    if (!s->dirty) return;
    s->serial++;
    s->dirty = false;
}

/* A copy for serializing only: shares frozen instances, has no hash index. */
static cp_state *snapshot(const cp_state *src)
{
    cp_state *s = cp_xcalloc(1, sizeof *s);
    s->serial = src->serial;
    s->lineage = cp_xstrdup(src->lineage);
    s->stack = cp_xstrdup(src->stack);
    s->branch = cp_xstrdup(src->branch);
    s->cpstack_version = cp_xstrdup(src->cpstack_version);
    s->cap = src->n ? src->n : 1;
    s->items = cp_xmalloc(s->cap * sizeof *s->items);
    for (size_t i = 0; i < src->n; i++) s->items[i] = cp_instance_retain(src->items[i]);
    s->n = src->n;
    for (size_t i = 0; i < src->nouts; i++)
        cp_state_set_output(s, src->outs[i].name, src->outs[i].value, src->outs[i].sensitive);
    return s;
}

static void *writer_main(void *arg)
{
    cp_store *st = arg;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        while (!st->pending && !st->stopping) pthread_cond_wait(&st->cv, &st->mu);
        if (!st->pending) break;
        cp_state *snap = st->pending;
        uint64_t ticket = st->pending_ticket;
        st->pending = NULL;
        pthread_mutex_unlock(&st->mu);
        char *err = NULL;
        int rc = write_now(st, snap, &err);
        cp_state_free(snap);
        pthread_mutex_lock(&st->mu);
        if (rc == 0) st->done = ticket;
        else { st->failed = ticket; free(st->failed_err); st->failed_err = err; }
        pthread_cond_broadcast(&st->cv);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

int cp_store_write_async(cp_store *st, cp_state *s, uint64_t *ticket, char **err)
{
    pthread_mutex_lock(&st->mu);
    if (!st->running) {
        if (pthread_create(&st->thread, NULL, writer_main, st) != 0) {
            pthread_mutex_unlock(&st->mu);
            *err = cp_xstrdup("cannot start the state writer thread; the system is out of resources");
            return -1;
        }
        st->running = true;
    }
    if (s->dirty || st->issued == 0) {
        bump(s);
        cp_state_free(st->pending);           /* superseded, never written */
        st->pending = snapshot(s);
        st->pending_ticket = ++st->issued;
        pthread_cond_broadcast(&st->cv);
    }
    *ticket = st->issued;
    pthread_mutex_unlock(&st->mu);
    return 0;
}

int cp_store_wait(cp_store *st, uint64_t ticket, char **err)
{
    int rc = 0;
    pthread_mutex_lock(&st->mu);
    while (st->done < ticket && st->failed < ticket) pthread_cond_wait(&st->cv, &st->mu);
    if (st->done < ticket) {
        *err = cp_xstrdup(st->failed_err ? st->failed_err : "state write failed");
        rc = -1;
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int cp_store_write(cp_store *st, cp_state *s, char **err)
{
    if (st->running) {
        uint64_t t;
        return cp_store_write_async(st, s, &t, err) ? -1 : cp_store_wait(st, t, err);
    }
    bool was_dirty = s->dirty;
    bump(s);
    if (write_now(st, s, err) == 0) return 0;
    if (was_dirty) { s->serial--; s->dirty = true; }   /* nothing was written */
    return -1;
}

static void stop_writer(cp_store *st)
{
    pthread_mutex_lock(&st->mu);
    bool running = st->running;
    st->stopping = true;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
    if (running) pthread_join(st->thread, NULL);
    st->running = false;
    st->stopping = false;
}

void cp_store_close(cp_store *st)
{
    if (!st) return;
    stop_writer(st);
    char *err = NULL;
    cp_store_unlock(st, &err);
    free(err);
    free(st->failed_err);
    free(st->branch);
    free(st->lineage);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st);
}
