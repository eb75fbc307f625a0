/*
 * store.c: cp_store, one branch of one backend as the engine uses it: lock,
 * read, write after every resource operation, unlock (see store.h).
 *
 * It lives with the backends, above src/state: it joins the state model
 * (cp_state and its JSON form, which do no I/O) to a backend that moves
 * the bytes, and uses only the public API of both.
 *
 * Safety: every write is conditional on the version this store last read
 * or wrote (a state that was never read may only be created, not written
 * over), and a state with another lineage is never written over a stored
 * one. The serial is incremented on each write of a changed state.
 *
 * Group commit: cp_store_attach starts one writer thread for the live
 * state. Changes are announced with cp_store_changed, which only bumps
 * `issued` (tickets number changes). A write takes the state lock, notes
 * t = issued (every change up to t is in the state, since changes are
 * announced under that lock), bumps the serial and copies the state
 * (frozen instances are shared: one pointer each), releases the lock, then
 * serializes and writes the copy and sets done = t (or failed = t). Lock
 * order: state_mu before mu, never the reverse; the writer holds neither
 * while it writes.
 *
 * When the writer writes (writer_next): at once when someone waits
 * (wanted > taken), after a short gathering so that waits that start
 * together share the write; otherwise when the oldest unwritten change is
 * lag_us old; and at detach. A chain of creates whose intents must be
 * durable thus costs one write per link (the completion of A rides along
 * with the intent of its dependent B), and work that waits for nothing
 * (completions, deletes, intents that need not be durable) costs one write
 * per lag, however many changes it makes.
 *
 * Invariant (what recovery relies on): writes are whole snapshots taken in
 * ticket order, so when change t is durable, so is every change before t.
 * A dependent starts only after what it depends on completed, so a
 * dependent's durable intent carries those completions: nothing outside
 * cpstack is ever made from a value that a crash could take back. A
 * completion nobody waits for may be lost in a crash (within the lag);
 * then its own intent (durable for every type that needs one) makes the
 * next plan find the object, and a type without a durable intent is one
 * whose create may simply run again (provider.h: no_durable_intent).
 */
#include "backend/store.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The gathering of a waited-for write (see writer_next): no change for
 * GATHER_US, at most GATHER_MAX_US, or HOLD_MAX_US while a hold is open. */
#define GATHER_US     300
#define GATHER_MAX_US 3000
#define HOLD_MAX_US   20000

struct cp_store {
    cp_backend *b;
    char *branch;
    char token[CP_TOKEN_MAX];
    bool have_token; /* false: the branch must not have state yet */
    char *lineage;   /* of the stored state, NULL if none */
    cp_lock_info lock;
    bool locked;
    /* group commit */
    pthread_mutex_t state_mu; /* guards `live` (held by the engine to change it) */
    cp_state *live;           /* the attached state, or NULL */
    pthread_t state_owner;    /* who holds state_mu, to catch wait-under-lock */
    bool state_held;
    pthread_mutex_t mu;  /* guards the fields below */
    pthread_cond_t cv;   /* waiters: done or failed moved */
    pthread_cond_t wake; /* the writer: something to write, or a deadline moved */
    pthread_t thread;
    bool running, stopping;
    uint64_t issued, taken, done, failed; /* change tickets */
    uint64_t wanted;                      /* the newest ticket someone waits for */
    struct timespec oldest;               /* when the oldest change not yet taken was made */
    struct timespec last_change;          /* when the newest change was made */
    struct timespec wanted_at;            /* when the wait behind `wanted` began */
    int holds;                            /* changes announced by cp_store_hold */
    long lag_us;                          /* how long an unwaited change may stay unwritten */
    char *failed_err;                     /* message of the write that failed at `failed` */
    uint64_t writes;                      /* completed writes */
};

cp_store *cp_store_open(cp_backend *b, const char *branch)
{
    cp_store *st = cp_xcalloc(1, sizeof *st);
    st->b = b;
    st->branch = cp_xstrdup(branch);
    pthread_mutex_init(&st->state_mu, NULL);
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&st->wake, &ca);
    pthread_condattr_destroy(&ca);
    st->lag_us = CP_STORE_LAG_MS * 1000L;
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
    __atomic_add_fetch(&st->writes, 1, __ATOMIC_RELAXED);
    if (!st->lineage) st->lineage = cp_xstrdup(cp_state_lineage(s));
    return 0;
}

/* Serial++ and clean, when s changed since its last write. */
static void bump(cp_state *s)
{
    if (!cp_state_dirty(s)) return;
    cp_state_set_serial(s, cp_state_serial(s) + 1);
    cp_state_mark_clean(s);
}

/* --- group commit -------------------------------------------------------------- */
static struct timespec now_mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

static struct timespec plus_us(struct timespec t, long us)
{
    t.tv_sec += us / 1000000;
    t.tv_nsec += (us % 1000000) * 1000;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static bool reached(struct timespec now, struct timespec t)
{
    return now.tv_sec > t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec);
}

static struct timespec earlier(struct timespec a, struct timespec b)
{
    return reached(a, b) ? b : a;
}

void cp_store_state_lock(cp_store *st)
{
    pthread_mutex_lock(&st->state_mu);
    __atomic_store_n(&st->state_owner, pthread_self(), __ATOMIC_RELAXED);
    __atomic_store_n(&st->state_held, true, __ATOMIC_RELEASE);
}

void cp_store_state_unlock(cp_store *st)
{
    __atomic_store_n(&st->state_held, false, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&st->state_mu);
}

uint64_t cp_store_changed(cp_store *st)
{
    struct timespec now = now_mono();
    pthread_mutex_lock(&st->mu);
    uint64_t t = ++st->issued;
    st->last_change = now;
    if (t == st->taken + 1) { /* the oldest unwritten change: the lag starts now */
        st->oldest = now;
        pthread_cond_signal(&st->wake);
    }
    pthread_mutex_unlock(&st->mu);
    return t;
}

void cp_store_hold(cp_store *st)
{
    pthread_mutex_lock(&st->mu);
    st->holds++;
    pthread_mutex_unlock(&st->mu);
}

void cp_store_unhold(cp_store *st)
{
    pthread_mutex_lock(&st->mu);
    if (st->holds && !--st->holds) pthread_cond_signal(&st->wake);
    pthread_mutex_unlock(&st->mu);
}

void cp_store_set_lag_ms(cp_store *st, long ms)
{
    pthread_mutex_lock(&st->mu);
    st->lag_us = ms < 0 ? 0 : ms * 1000;
    pthread_cond_signal(&st->wake);
    pthread_mutex_unlock(&st->mu);
}

/* Under the state lock: the newest ticket and a copy of the state. */
static cp_state *take_snapshot(cp_store *st, uint64_t *ticket)
{
    cp_store_state_lock(st);
    pthread_mutex_lock(&st->mu);
    *ticket = st->issued;
    st->taken = *ticket;
    pthread_mutex_unlock(&st->mu);
    bump(st->live);
    cp_state *snap = cp_state_snapshot(st->live);
    cp_store_state_unlock(st);
    return snap;
}

typedef enum next_step { STEP_EXIT, STEP_WRITE, STEP_IDLE, STEP_SLEEP } next_step;

/* What the writer does now (mu held); STEP_SLEEP: until *until. A waited-for
 * change is written once the changes around it have gathered (no change
 * for GATHER_US and no hold open, or the cap after the wait began); any
 * other change at most lag_us after it was made; everything at detach. */
static next_step writer_next(cp_store *st, struct timespec *until)
{
    if (st->issued == st->taken) return st->stopping ? STEP_EXIT : STEP_IDLE;
    if (st->stopping) return STEP_WRITE;
    struct timespec now = now_mono();
    if (st->wanted > st->taken) {
        struct timespec cap = plus_us(st->wanted_at, st->holds ? HOLD_MAX_US : GATHER_MAX_US);
        *until = st->holds ? cap : earlier(cap, plus_us(st->last_change, GATHER_US));
    } else {
        *until = plus_us(st->oldest, st->lag_us);
    }
    return reached(now, *until) ? STEP_WRITE : STEP_SLEEP;
}

/* One write of everything changed so far; mu held on entry and exit. */
static void write_once(cp_store *st)
{
    pthread_mutex_unlock(&st->mu);
    uint64_t ticket;
    cp_state *snap = take_snapshot(st, &ticket);
    char *err = NULL;
    int rc = write_now(st, snap, &err);
    cp_state_free(snap);
    pthread_mutex_lock(&st->mu);
    if (rc == 0)
        st->done = ticket;
    else {
        st->failed = ticket;
        free(st->failed_err);
        st->failed_err = err;
    }
    pthread_cond_broadcast(&st->cv);
}

static void *writer_main(void *arg)
{
    cp_store *st = arg;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        struct timespec until;
        next_step step = writer_next(st, &until);
        if (step == STEP_EXIT) break;
        if (step == STEP_WRITE)
            write_once(st);
        else if (step == STEP_IDLE)
            pthread_cond_wait(&st->wake, &st->mu);
        else
            pthread_cond_timedwait(&st->wake, &st->mu, &until);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

void cp_store_attach(cp_store *st, cp_state *s)
{
    pthread_mutex_lock(&st->mu);
    if (st->running) {
        pthread_mutex_unlock(&st->mu);
        fprintf(stderr, "cpstack: internal error: cp_store_attach on an attached store\n");
        abort();
    }
    st->live = s;
    st->running = pthread_create(&st->thread, NULL, writer_main, st) == 0;
    pthread_mutex_unlock(&st->mu);
    if (!st->running) {
        fprintf(stderr, "cpstack: cannot start the state writer thread: out of resources\n");
        abort();
    }
}

int cp_store_wait(cp_store *st, uint64_t ticket, char **err)
{
    if (__atomic_load_n(&st->state_held, __ATOMIC_ACQUIRE) &&
        pthread_equal(__atomic_load_n(&st->state_owner, __ATOMIC_RELAXED), pthread_self())) {
        fprintf(stderr, "cpstack: internal error: cp_store_wait while holding the state lock\n");
        abort();
    }
    int rc = 0;
    pthread_mutex_lock(&st->mu);
    if (ticket > st->wanted) {
        if (st->wanted <= st->taken) st->wanted_at = now_mono(); /* a new urgent write */
        st->wanted = ticket;
        pthread_cond_signal(&st->wake);
    }
    while (st->done < ticket && st->failed < ticket && st->running)
        pthread_cond_wait(&st->cv, &st->mu);
    if (st->done < ticket) {
        *err = cp_xstrdup(st->failed_err ? st->failed_err
                                         : "state was not written: the state writer has stopped");
        rc = -1;
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int cp_store_write(cp_store *st, cp_state *s, char **err)
{
    if (st->live) {
        cp_store_state_lock(st);
        uint64_t t = cp_store_changed(st);
        cp_store_state_unlock(st);
        return cp_store_wait(st, t, err);
    }
    bool was_dirty = cp_state_dirty(s);
    bump(s);
    if (write_now(st, s, err) == 0) return 0;
    if (was_dirty) { /* nothing was written: as it was before */
        cp_state_set_serial(s, cp_state_serial(s) - 1);
        cp_state_mark_dirty(s);
    }
    return -1;
}

uint64_t cp_store_writes(cp_store *st) { return __atomic_load_n(&st->writes, __ATOMIC_RELAXED); }

int cp_store_detach(cp_store *st, char **err)
{
    pthread_mutex_lock(&st->mu);
    bool running = st->running;
    st->stopping = true;
    pthread_cond_signal(&st->wake);
    pthread_mutex_unlock(&st->mu);
    if (running) pthread_join(st->thread, NULL); /* the writer drains every change first */
    pthread_mutex_lock(&st->mu);
    int rc = 0;
    if (running && st->done < st->issued) {
        *err =
            cp_xstrdup(st->failed_err ? st->failed_err : "the last state changes were not written");
        rc = -1;
    }
    st->running = st->stopping = false;
    st->live = NULL;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
    return rc;
}

void cp_store_close(cp_store *st)
{
    if (!st) return;
    char *err = NULL;
    if (cp_store_detach(st, &err) != 0) free(err);
    err = NULL;
    cp_store_unlock(st, &err);
    free(err);
    free(st->failed_err);
    free(st->branch);
    free(st->lineage);
    pthread_mutex_destroy(&st->state_mu);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    pthread_cond_destroy(&st->wake);
    free(st);
}
