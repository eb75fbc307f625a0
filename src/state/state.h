/*
 * state.h: the state model — what cpstack believes exists for one stack on
 * one branch — and its JSON form.
 *
 * A cp_state holds a header (format version, serial, lineage, stack, branch,
 * cpstack version), resource instances and outputs. The plan layer diffs it
 * against config; the apply layer updates it after every resource operation
 * and hands it to a store (backend/store.h) to persist through a backend.
 * Nothing here does I/O: bytes in, bytes out.
 *
 * INSTANCES. A cp_instance is one object of a resource: its address
 * (address.h), a status, attributes (a cp_value map whose values carry their
 * sensitive marks), its direct dependencies (canonical addresses; transitive
 * ones are derived by the graph layer, never stored) and the provider schema
 * version its attributes follow. Instances are reference counted like
 * cp_values and follow the same rule: functions borrow their arguments and
 * return new references; *_take functions consume the one named. A fresh
 * instance (cp_instance_new / cp_instance_copy) may be changed with the
 * setters; once put into a state it is frozen and shared (setters abort),
 * so a state copy or a background writer can hold it without locking.
 * To change one: copy it, set, put the copy back.
 *
 * STATUS and the crash story. Before a create the engine puts the instance
 * with CP_STATUS_PENDING_CREATE (planned attributes, no id yet) and persists
 * it; after the create it puts the real object with CP_STATUS_OK. A run that
 * is killed in between leaves "pending_create" in the file, so the next plan
 * knows an object may exist half-made. CP_STATUS_TAINTED marks an object
 * that exists but failed to finish (it is replaced on the next apply).
 *
 * DEPOSED OBJECTS. With create_before_destroy, a replacement makes the new
 * object while the old one still exists. Before the create the engine
 * moves the old object out of the address's place into the address's
 * deposed objects (cp_state_depose, under a random 8-hex-digit key) in the
 * same persisted change that records the create intent, so a crash between
 * the create and the delete leaves the old object tracked; the delete then
 * removes it (cp_state_remove_deposed). A deposed object is a frozen
 * cp_instance whose cp_instance_deposed_key is not NULL. Deposed objects
 * are kept apart from current ones: cp_state_find/at/count/remove and
 * cp_state_resource_range never see them, and an address may have deposed
 * objects with or without a current one. The JSON form keeps them with the
 * resource instance ("deposed", src/state/README.md).
 *
 * ORDER AND LOOKUP. Instances are kept sorted by cp_addr_compare (so files
 * and listings are stable and the instances of one resource are adjacent)
 * and indexed by a hash table, so find/put/remove stay fast at 10,000+.
 *
 * SERIAL. Every mutator marks the state dirty; the store (backend/store.h)
 * increments the serial when it writes a dirty state (cp_store_write) and
 * clears the flag. Lineage is a random UUID v4 set when a state is first created and
 * kept for life: two files with different lineages are different states.
 *
 * A cp_state is not thread-safe: one thread (or the caller's mutex) owns it.
 * Frozen instances may be read from any thread.
 */
#ifndef CP_STATE_STATE_H
#define CP_STATE_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/value.h"
#include "addrs/address.h"
#include "util/buf.h"

#define CP_STATE_FORMAT_VERSION 1 /* the format this cpstack writes */

typedef enum cp_status {
    CP_STATUS_OK,
    CP_STATUS_PENDING_CREATE, /* a create was started; the object may exist */
    CP_STATUS_TAINTED,        /* exists but is broken: replace on next apply */
    CP_STATUS_UNSETTLED       /* made, but its create stopped waiting (a signal): the
                               * next plan reads it again, even with -refresh=false */
} cp_status;

const char *cp_status_name(cp_status s); /* "ok", "pending_create", … */
bool cp_status_parse(const char *name, cp_status *out);

/* --- instances ------------------------------------------------------------ */
typedef struct cp_instance cp_instance;

cp_instance *cp_instance_new(const cp_addr *addr); /* status ok, attrs {} */
/* Parse addr; NULL and *err (malloc'd) if it is not a valid address. */
cp_instance *cp_instance_new_str(const char *addr, char **err);
cp_instance *cp_instance_copy(const cp_instance *inst); /* fresh and changeable */
cp_instance *cp_instance_retain(const cp_instance *inst);
void cp_instance_release(cp_instance *inst); /* NULL is a no-op */

/* Setters: only on a fresh instance (not yet put into a state). */
void cp_instance_set_status(cp_instance *inst, cp_status status);
void cp_instance_set_attrs(cp_instance *inst, const cp_value *attrs); /* a map; retained */
void cp_instance_set_schema_version(cp_instance *inst, int64_t version);
/* The provider instance that owns it, as "aws.west" for provider "aws" { alias = "west" };
 * NULL (the default) for the provider's default instance. */
void cp_instance_set_provider(cp_instance *inst, const char *provider);
void cp_instance_add_dep(cp_instance *inst, const cp_addr *dep); /* sorted, unique */
bool cp_instance_add_dep_str(cp_instance *inst, const char *dep, char **err);
void cp_instance_clear_deps(cp_instance *inst);
/* NULL makes it a current object; a key makes it a deposed one. */
void cp_instance_set_deposed_key(cp_instance *inst, const char *key);

const cp_addr *cp_instance_addr(const cp_instance *inst);
const char *cp_instance_addr_str(const cp_instance *inst); /* canonical, borrowed */
cp_status cp_instance_status(const cp_instance *inst);
const cp_value *cp_instance_attrs(const cp_instance *inst); /* borrowed map */
int64_t cp_instance_schema_version(const cp_instance *inst);
const char *cp_instance_provider(const cp_instance *inst); /* NULL: the default */
size_t cp_instance_dep_count(const cp_instance *inst);
const char *cp_instance_deposed_key(const cp_instance *inst);   /* NULL: current */
const char *cp_instance_dep(const cp_instance *inst, size_t i); /* canonical address */

/* --- the state -------------------------------------------------------------- */
typedef struct cp_state cp_state;

/* An empty state with a fresh lineage and serial 0. */
cp_state *cp_state_new(const char *stack, const char *branch);
void cp_state_free(cp_state *s); /* NULL is a no-op */
/* An independent copy (instances are frozen, so they are shared safely). */
cp_state *cp_state_copy(const cp_state *s);
/* A copy only for serializing and reading in order (a store's writer
 * thread takes one per write): it shares the instances like cp_state_copy
 * but builds no hash index, so it is cheap; do not find, put or remove on
 * it. */
cp_state *cp_state_snapshot(const cp_state *s);

int64_t cp_state_serial(const cp_state *s);
const char *cp_state_lineage(const cp_state *s);
const char *cp_state_stack(const cp_state *s);
const char *cp_state_branch(const cp_state *s);
/* The cpstack version that wrote the loaded file ("" for a new state). */
const char *cp_state_cpstack_version(const cp_state *s);
void cp_state_set_serial(cp_state *s, int64_t serial);
void cp_state_set_lineage(cp_state *s, const char *lineage);
void cp_state_set_stack(cp_state *s, const char *stack);
void cp_state_set_branch(cp_state *s, const char *branch);

/* Dirty: changed since load or the last cp_state_mark_clean. */
bool cp_state_dirty(const cp_state *s);
void cp_state_mark_clean(cp_state *s);
void cp_state_mark_dirty(cp_state *s); /* a write that failed: still to be written */

/* Put an instance, replacing one with the same address; consumes inst and
 * freezes it. An instance with a deposed key is put among the deposed
 * objects instead (replacing one with the same address and key). */
void cp_state_put_take(cp_state *s, cp_instance *inst);
/* Borrowed pointers, valid until the instance is replaced or removed. */
const cp_instance *cp_state_find(const cp_state *s, const cp_addr *addr);
const cp_instance *cp_state_find_str(const cp_state *s, const char *addr); /* NULL if invalid */
bool cp_state_remove(cp_state *s, const cp_addr *addr);                    /* false if absent */

/* Instances in cp_addr_compare order: for (i < count) cp_state_at(s, i). */
size_t cp_state_count(const cp_state *s);
const cp_instance *cp_state_at(const cp_state *s, size_t i);
/* The instances of one resource (key ignored) are at [*first, *first + n). */
size_t cp_state_resource_range(const cp_state *s, const cp_addr *resource, size_t *first);

/* Deposed objects (see DEPOSED OBJECTS above), sorted by address then key:
 * for (i < count) cp_state_deposed_at(s, i). */
size_t cp_state_deposed_count(const cp_state *s);
const cp_instance *cp_state_deposed_at(const cp_state *s, size_t i);
const cp_instance *cp_state_find_deposed(const cp_state *s, const cp_addr *addr, const char *key);
/* The deposed objects of one instance address are at [*first, *first + n). */
size_t cp_state_deposed_range(const cp_state *s, const cp_addr *addr, size_t *first);
bool cp_state_remove_deposed(cp_state *s, const cp_addr *addr, const char *key);
/* Move the current object at addr among the deposed objects under a new
 * random key, written to key (9 bytes, NUL-terminated); the address then
 * has no current object. False (nothing changed) when there is none. */
bool cp_state_depose(cp_state *s, const cp_addr *addr, char key[9]);
/* Put deposed object `key` back as the current object of addr (its
 * replacement made nothing). False when it is absent or addr has a current
 * object. */
bool cp_state_restore_deposed(cp_state *s, const cp_addr *addr, const char *key);

/* Outputs, kept sorted by name. A sensitive output's value is held marked
 * sensitive; an output whose value contains any sensitive mark is sensitive. */
void cp_state_set_output(cp_state *s, const char *name, const cp_value *value, bool sensitive);
bool cp_state_remove_output(cp_state *s, const char *name);
const cp_value *cp_state_output(const cp_state *s, const char *name, bool *sensitive);
size_t cp_state_output_count(const cp_state *s);
const char *cp_state_output_name(const cp_state *s, size_t i);
const cp_value *cp_state_output_value(const cp_state *s, size_t i);
bool cp_state_output_sensitive(const cp_state *s, size_t i);

/* --- sensitive paths (marks <-> lists of paths) --------------------------- */
/* The paths of every marked value inside v, depth first in key order: a
 * list of paths, each a list of steps (map key: string, list index: number).
 * A mark on v itself gives the empty path []. */
cp_value *cp_sensitive_paths(const cp_value *v);
/* v with a sensitive mark added at each path (paths naming nothing are
 * ignored). Returns false and *err when paths is not a list of paths. */
bool cp_apply_sensitive_paths(const cp_value *v, const cp_value *paths, cp_value **out, char **err);

/* --- JSON form (state_json.c; format in src/state/README.md) --------------- */
/* Serialize to JSON text (pretty, stable, ends with a newline). */
void cp_state_serialize(const cp_state *s, cp_buf *out);
/* Parse text; `source` names it in messages (a path or "s3://…"). Older
 * formats are upgraded, newer ones refused. NULL and *err (one line) on error. */
cp_state *cp_state_parse(const char *text, size_t len, const char *source, char **err);
/* The same through json_t (for -json output and tests). */
json_t *cp_state_to_json(const cp_state *s);
cp_state *cp_state_from_json(const json_t *doc, const char *source, char **err);
/* Upgrade a parsed document of any older format to the current one in
 * place (exposed for tests). Returns false and *err for newer or unknown. */
bool cp_state_json_upgrade(json_t *doc, const char *source, char **err);

/* --- misc ------------------------------------------------------------------- */
/* A random UUID v4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx") from the kernel's
 * CSPRNG (getrandom, falling back to /dev/urandom). */
void cp_uuid4(char out[37]);
/* The cpstack version this library writes into state files. */
const char *cp_state_writer_version(void);

#endif
