/*
 * backend.h: where state bytes live, and their locks. A backend moves
 * BYTES (never a cp_state): it knows nothing of the state model above it,
 * as OpenTofu keeps internal/backend apart from internal/states.
 *
 * Two layers, lowest first:
 *
 *  1. cp_backend_ops: what a backend implements, one blob per branch, with
 *     a version token for conditional writes (local: inode/size/mtime; S3:
 *     the ETag, written with If-Match), one lock object per branch (local:
 *     O_CREAT|O_EXCL file; S3: PUT with If-None-Match: *), branch listing
 *     and deletion. local.c and s3.c implement it; backend_type.h is how
 *     each registers (a name, its settings and an open function).
 *  2. cp_backend: an opened backend plus an optional codec, a transform of
 *     the bytes at rest (codec_encrypt.h plugs AES-256-GCM in here; no
 *     codec = plain JSON). cp_backend_read/write apply it; the lock loop
 *     (lock.c) is generic.
 *
 * store.h builds on this: one branch's cp_state read, written with group
 * commit, and locked through a backend.
 *
 * Errors: functions return 0 on success, or -1 after setting *err to a
 * malloc'd one-line message (cause and what to do). Lock contention is an
 * error whose message names the holder (see cp_lock_describe).
 */
#ifndef CP_BACKEND_BACKEND_H
#define CP_BACKEND_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define CP_TOKEN_MAX 128 /* version token size, with its NUL */

/* --- locks (lock.c) ------------------------------------------------------ */
typedef struct cp_lock_info {
    char id[37];  /* random UUID: what force-unlock takes */
    char who[64]; /* user name */
    char host[256];
    long pid;
    char operation[32]; /* "apply", "plan", "destroy", … */
    char created[32];   /* RFC 3339 UTC: 2026-11-23T18:00:00Z */
} cp_lock_info;

/* A new lock description for this process (fresh random ID, now). */
void cp_lock_info_init(cp_lock_info *li, const char *operation);
/* JSON text of a lock (what lock files and lock objects hold), and back.
 * from_json returns false when text is not a complete lock document. */
char *cp_lock_info_to_json(const cp_lock_info *li);
bool cp_lock_info_from_json(const char *text, size_t len, cp_lock_info *li);
/* True when the holder ran on this host and its pid no longer exists. */
bool cp_lock_is_stale(const cp_lock_info *holder);
/* The one-line "state is locked by …" message for a held lock. */
void cp_lock_describe(cp_buf *out, const cp_lock_info *holder);

/* --- what a backend implements ------------------------------------------ */
typedef struct cp_backend cp_backend;

typedef struct cp_branch_info {
    char *name;       /* owned */
    int64_t modified; /* Unix seconds of the last write */
    uint64_t size;    /* bytes at rest */
} cp_branch_info;

typedef struct cp_backend_ops {
    const char *kind; /* "local", "s3" */
    /* The bytes of branch's state into out. *found = false (and token "")
     * when it has none yet. token: the version read, for write's if_token. */
    int (*read)(cp_backend *b, const char *branch, cp_buf *out, bool *found,
                char token[CP_TOKEN_MAX], char **err);
    /* Replace branch's state atomically, only if its version is still
     * if_token ("" = must not exist yet; NULL = unconditionally). The new
     * version goes to new_token. A failed write leaves the old state. */
    int (*write)(cp_backend *b, const char *branch, const char *data, size_t len,
                 const char *if_token, char new_token[CP_TOKEN_MAX], char **err);
    /* One attempt: 0 = taken; 1 = held by someone else, *holder filled;
     * -1 = error (including a lock object that cannot be read). */
    int (*lock)(cp_backend *b, const char *branch, const cp_lock_info *mine, cp_lock_info *holder,
                char **err);
    /* Remove the lock if its ID is id: 0 = removed; 1 = there is no lock;
     * 2 = held under another ID (*holder filled); -1 = error. */
    int (*unlock)(cp_backend *b, const char *branch, const char *id, cp_lock_info *holder,
                  char **err);
    /* Branches that have state, sorted by name. */
    int (*list)(cp_backend *b, cp_branch_info **out, size_t *n, char **err);
    /* Delete branch's state (a backend may keep a recoverable copy). */
    int (*remove)(cp_backend *b, const char *branch, char **err);
    /* Where branch's state lives, for messages (malloc'd). */
    char *(*describe)(cp_backend *b, const char *branch);
    void (*close)(cp_backend *b);
} cp_backend_ops;

/* A transform of the bytes at rest, e.g. encryption. decode must fail with
 * a clear message (wrong key, not encrypted, damaged) rather than return
 * garbage. */
typedef struct cp_state_codec {
    int (*encode)(void *ctx, const char *in, size_t len, cp_buf *out, char **err);
    int (*decode)(void *ctx, const char *in, size_t len, cp_buf *out, char **err);
    void (*free)(void *ctx); /* may be NULL */
    void *ctx;
} cp_state_codec;

struct cp_backend {
    const cp_backend_ops *ops;
    void *impl;           /* the backend's own data */
    cp_state_codec codec; /* all NULL: bytes are stored as they are */
};

/* --- using an opened backend ---------------------------------------------- */
/* Use codec for the bytes at rest (takes ownership of codec->ctx). */
void cp_backend_set_codec(cp_backend *b, const cp_state_codec *codec);
void cp_backend_close(cp_backend *b); /* NULL is a no-op */

/* The ops through the codec, plus the generic lock loop. */
int cp_backend_read(cp_backend *b, const char *branch, cp_buf *out, bool *found,
                    char token[CP_TOKEN_MAX], char **err);
int cp_backend_write(cp_backend *b, const char *branch, const char *data, size_t len,
                     const char *if_token, char new_token[CP_TOKEN_MAX], char **err);
int cp_backend_list(cp_backend *b, cp_branch_info **out, size_t *n, char **err);
void cp_branch_info_free(cp_branch_info *list, size_t n);
int cp_backend_delete(cp_backend *b, const char *branch, char **err);
char *cp_backend_describe(cp_backend *b, const char *branch);
/* Take branch's lock as *mine (filled by cp_lock_info_init(operation)).
 * timeout_ms = 0: fail at once when held; otherwise retry until it passes.
 * The error for a held lock is cp_lock_describe's line. */
int cp_backend_lock(cp_backend *b, const char *branch, const char *operation, long timeout_ms,
                    cp_lock_info *mine, char **err);
/* Release our lock (id from cp_backend_lock). */
int cp_backend_unlock(cp_backend *b, const char *branch, const char *id, char **err);
/* cpstack force-unlock ID: remove the lock only if its ID is id. */
int cp_backend_force_unlock(cp_backend *b, const char *branch, const char *id, char **err);

#endif
