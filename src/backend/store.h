/*
 * store.h: one branch of one backend as the engine uses it (store.c): take
 * the lock, read the state, write it after every resource operation
 * (serial++ when changed; refused if someone else wrote in between or the
 * lineage differs), unlock. cp_store_attach/changed/wait add group commit
 * for parallel apply (see below).
 *
 * The store sits above both src/state (the model and its JSON form, which
 * do no I/O) and backend.h (which moves bytes and knows no cp_state): it is
 * the one place that joins them.
 *
 * Errors: 0 on success, or -1 after setting *err to a malloc'd one-line
 * message, as in backend.h.
 */
#ifndef CP_BACKEND_STORE_H
#define CP_BACKEND_STORE_H

#include <stdint.h>

#include "backend/backend.h"
#include "state/state.h"

/* --- the store --------------------------------------------------------------- */
typedef struct cp_store cp_store;

/* Borrows b, which must outlive the store. */
cp_store *cp_store_open(cp_backend *b, const char *branch);
/* Detaches (flushing) and unlocks if still locked; NULL is a no-op. */
void cp_store_close(cp_store *st);
int cp_store_lock(cp_store *st, const char *operation, long timeout_ms, char **err);
int cp_store_unlock(cp_store *st, char **err);
const cp_lock_info *cp_store_lock_info(const cp_store *st); /* NULL: not locked */
/* *out = the stored state, or NULL when the branch has none yet (then
 * start from cp_state_new). Remembers its version and lineage. */
int cp_store_read(cp_store *st, cp_state **out, char **err);
/* Write s now and wait for it: if it is dirty, serial++ and mark it clean;
 * the write is conditional on the version last read or written here, and
 * refused if s has another lineage than the stored state. On an attached
 * store, s must be the attached state (do not hold the state lock). */
int cp_store_write(cp_store *st, cp_state *s, char **err);

/* Group commit, for apply, which persists after every resource while
 * workers run in parallel. cp_store_attach hands the live state to a
 * background writer thread. From then on change s only while holding
 * cp_store_state_lock, and after each change call cp_store_changed (still
 * holding it): that is O(1) and returns a ticket. The writer copies s
 * under the same lock once per WRITE (not per change), serializes and
 * writes it, so N changes cost far fewer than N writes and the engine
 * never waits for the disk unless it asks to:
 *   - a change nobody waits for is written within the store's lag
 *     (CP_STORE_LAG_MS, cp_store_set_lag_ms) of being made, together with
 *     every other change made by then;
 *   - cp_store_wait(ticket) blocks until a write that includes the change
 *     is durable (use it after recording pending_create and before the
 *     create); that write goes out at once, after gathering the changes
 *     being made around it (a fraction of a millisecond, and while any
 *     cp_store_hold is open, at most a few milliseconds). Never call it
 *     while holding the state lock. If that write failed, it returns -1
 *     with the write's message.
 * Every write is a copy of the whole state: a durable change carries every
 * change made before it. cp_store_hold announces a change about to be
 * made and waited for (a create evaluating its intent), so that creates
 * starting together share one write; cp_store_unhold ends it (after
 * cp_store_changed). cp_store_detach flushes every change, stops the
 * thread and reports the last failure, if any. */
#define CP_STORE_LAG_MS 200
void cp_store_attach(cp_store *st, cp_state *s);
void cp_store_state_lock(cp_store *st);
void cp_store_state_unlock(cp_store *st);
uint64_t cp_store_changed(cp_store *st);
int cp_store_wait(cp_store *st, uint64_t ticket, char **err);
void cp_store_hold(cp_store *st);
void cp_store_unhold(cp_store *st);
void cp_store_set_lag_ms(cp_store *st, long ms);
int cp_store_detach(cp_store *st, char **err);
/* Writes completed by this store so far (for progress output and benches). */
uint64_t cp_store_writes(cp_store *st);

#endif
