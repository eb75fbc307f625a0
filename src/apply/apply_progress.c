/*
 * apply_progress.c: progress lines during apply, and persisting state.
 *
 * Lines are printed whole under out_mu so parallel workers never interleave
 * inside a line. A ticker thread wakes when the next provider call in
 * flight completes another full period (at least once a second, to see
 * calls that just started) and prints "ADDR: Still creating... [10s
 * elapsed]", on time rather than up to a second late. The state lock wrappers are
 * here too: with a store, its lock (the writer copies under it).
 */
#include "apply/apply_internal.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

double cp_apply_elapsed(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

void cp_apply_say(applier *A, const char *fmt, ...)
{
    if (!A->o->out) return;
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&A->out_mu);
    vfprintf(A->o->out, fmt, ap);
    fputc('\n', A->o->out);
    fflush(A->o->out);
    pthread_mutex_unlock(&A->out_mu);
    va_end(ap);
}

void cp_apply_lock(applier *A)
{
    if (A->o->store)
        cp_store_state_lock(A->o->store);
    else
        pthread_mutex_lock(&A->mu);
}

void cp_apply_unlock(applier *A)
{
    if (A->o->store)
        cp_store_state_unlock(A->o->store);
    else
        pthread_mutex_unlock(&A->mu);
}

uint64_t cp_apply_changed(applier *A) { return A->o->store ? cp_store_changed(A->o->store) : 0; }

void cp_apply_hold(applier *A)
{
    if (A->o->store) cp_store_hold(A->o->store);
}

void cp_apply_unhold(applier *A)
{
    if (A->o->store) cp_store_unhold(A->o->store);
}

int cp_apply_wait(applier *A, uint64_t ticket, char **err)
{
    return A->o->store && ticket ? cp_store_wait(A->o->store, ticket, err) : 0;
}

static const char *verb(anode_op op)
{
    switch (op) {
    case OP_CREATE:
        return "creating";
    case OP_UPDATE:
        return "modifying";
    case OP_DELETE:
        return "destroying";
    case OP_READ:
        return "reading";
    }
    return "working";
}

/* Report every call in flight that completed another period; returns the
 * seconds until the next one is due (at most 1). */
static double tick(applier *A, int period)
{
    double next = 1.0;
    for (size_t i = 0; i < A->nnodes; i++) {
        anode *n = &A->nodes[i];
        if (!atomic_load(&n->running)) continue;
        double el = cp_apply_elapsed(&n->started);
        int periods = (int)(el / period);
        double due = (double)(periods + 1) * period - el;
        if (due < next) next = due;
        if (periods <= n->reported) continue;
        n->reported = periods;
        if (A->o->observer) {
            cp_event ev = { .kind = CP_EVENT_APPLY_PROGRESS,
                            .address = n->ch->address,
                            .action = cp_apply_op_action(n->op),
                            .elapsed = periods * period };
            cp_observe(A->o->observer, &ev);
        }
        cp_apply_say(A, "%s: Still %s... [%ds elapsed]", n->ch->address, verb(n->op),
                     periods * period);
    }
    return next;
}

static void *ticker_main(void *arg)
{
    applier *A = arg;
    int period = A->o->progress_seconds > 0 ? A->o->progress_seconds : 10;
    double wait = 1.0;
    pthread_mutex_lock(&A->out_mu);
    while (!A->ticker_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long ns = until.tv_nsec + (long)(wait * 1e9) + 1000000; /* 1 ms past due */
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&A->tick_cv, &A->out_mu, &until);
        if (A->ticker_stop) break;
        pthread_mutex_unlock(&A->out_mu);
        wait = tick(A, period);
        pthread_mutex_lock(&A->out_mu);
    }
    pthread_mutex_unlock(&A->out_mu);
    return NULL;
}

void cp_apply_ticker_start(applier *A)
{
    pthread_cond_init(&A->tick_cv, NULL);
    A->ticker_stop = false;
    if (A->o->out || A->o->observer) pthread_create(&A->ticker, NULL, ticker_main, A);
}

void cp_apply_ticker_stop(applier *A)
{
    if (A->o->out || A->o->observer) {
        pthread_mutex_lock(&A->out_mu);
        A->ticker_stop = true;
        pthread_cond_signal(&A->tick_cv);
        pthread_mutex_unlock(&A->out_mu);
        pthread_join(A->ticker, NULL);
    }
    pthread_cond_destroy(&A->tick_cv);
}
