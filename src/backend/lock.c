/*
 * lock.c: state locks, independent of where they are stored.
 *
 * A lock names its holder (random ID, user, host, pid, operation, RFC 3339
 * time) so a blocked user sees at once who holds it and how to clear it.
 * Backends store a lock as the JSON of cp_lock_info; this file builds that
 * JSON, the "state is locked by …" line, the stale check (holder on this
 * host whose pid is gone: reported, never silently stolen) and the retry
 * loop for -lock-timeout, which works the same for every backend.
 */
#include "backend/backend.h"
#include "state/state.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void copy_field(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static void current_user(char *out, size_t size)
{
    const char *u = getenv("USER");
    if (u && *u) {
        copy_field(out, size, u);
        return;
    }
    struct passwd pw, *res = NULL;
    char buf[1024];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &res) == 0 && res) {
        copy_field(out, size, pw.pw_name);
        return;
    }
    snprintf(out, size, "uid%ld", (long)geteuid());
}

static void rfc3339_now(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cp_lock_info_init(cp_lock_info *li, const char *operation)
{
    memset(li, 0, sizeof *li);
    cp_uuid4(li->id);
    current_user(li->who, sizeof li->who);
    if (gethostname(li->host, sizeof li->host - 1) != 0)
        copy_field(li->host, sizeof li->host, "unknown");
    li->pid = (long)getpid();
    copy_field(li->operation, sizeof li->operation, operation ? operation : "unknown");
    rfc3339_now(li->created, sizeof li->created);
}

char *cp_lock_info_to_json(const cp_lock_info *li)
{
    json_t *j =
        json_pack("{s:s,s:s,s:s,s:I,s:s,s:s}", "id", li->id, "who", li->who, "host", li->host,
                  "pid", (json_int_t)li->pid, "operation", li->operation, "created", li->created);
    char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
    json_decref(j);
    if (!text) return cp_xasprintf("{\"id\": \"%s\"}", li->id);
    char *out = cp_xasprintf("%s\n", text);
    free(text);
    return out;
}

bool cp_lock_info_from_json(const char *text, size_t len, cp_lock_info *li)
{
    json_t *j = json_loadb(text, len, 0, NULL);
    const char *id = NULL, *who = "", *host = "", *op = "", *created = "";
    json_int_t pid = 0;
    memset(li, 0, sizeof *li);
    bool ok = j &&
              json_unpack(j, "{s:s,s?s,s?s,s?I,s?s,s?s}", "id", &id, "who", &who, "host", &host,
                          "pid", &pid, "operation", &op, "created", &created) == 0 &&
              id[0];
    if (ok) {
        copy_field(li->id, sizeof li->id, id);
        copy_field(li->who, sizeof li->who, who);
        copy_field(li->host, sizeof li->host, host);
        li->pid = (long)pid;
        copy_field(li->operation, sizeof li->operation, op);
        copy_field(li->created, sizeof li->created, created);
    }
    json_decref(j);
    return ok;
}

bool cp_lock_is_stale(const cp_lock_info *holder)
{
    char host[256] = "";
    if (holder->pid <= 0 || gethostname(host, sizeof host - 1) != 0) return false;
    if (strcmp(host, holder->host) != 0) return false;
    return kill((pid_t)holder->pid, 0) != 0 && errno == ESRCH;
}

void cp_lock_describe(cp_buf *out, const cp_lock_info *h)
{
    bool stale = cp_lock_is_stale(h);
    cp_buf_printf(out, "state is locked by %s@%s (pid %ld%s) running %s since %s, lock ID %s; ",
                  h->who, h->host, h->pid,
                  stale ? ", which is no longer running: the lock is stale" : "", h->operation,
                  h->created, h->id);
    if (stale)
        cp_buf_printf(out, "that process is gone, so run: cpstack force-unlock %s", h->id);
    else
        cp_buf_printf(out, "wait for it, or if that process is gone run: cpstack force-unlock %s",
                      h->id);
}

/* Microseconds: whole milliseconds would let a wait end up to 1 ms early. */
static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void held_error(char **err, const cp_lock_info *holder, long timeout_ms)
{
    cp_buf b;
    cp_buf_init(&b);
    if (timeout_ms > 0 && timeout_ms % 1000 == 0)
        cp_buf_printf(&b, "gave up after waiting %lds for the lock: ", timeout_ms / 1000);
    else if (timeout_ms > 0)
        cp_buf_printf(&b, "gave up after waiting %.1fs for the lock: ", timeout_ms / 1000.0);
    cp_lock_describe(&b, holder);
    *err = cp_buf_steal(&b);
}

int cp_backend_lock(cp_backend *b, const char *branch, const char *operation, long timeout_ms,
                    cp_lock_info *mine, char **err)
{
    cp_lock_info_init(mine, operation);
    long long start = now_us();
    long delay = 50;
    for (;;) {
        cp_lock_info holder;
        int rc = b->ops->lock(b, branch, mine, &holder, err);
        if (rc <= 0) return rc;
        long long left_us = (long long)timeout_ms * 1000 - (now_us() - start);
        if (left_us <= 0) {
            held_error(err, &holder, timeout_ms);
            return -1;
        }
        long left_ms = (long)((left_us + 999) / 1000);
        sleep_ms(delay < left_ms ? delay : left_ms);
        delay = delay * 2 > 1000 ? 1000 : delay * 2;
    }
}

static int unlock_common(cp_backend *b, const char *branch, const char *id, bool force, char **err)
{
    cp_lock_info holder;
    int rc = b->ops->unlock(b, branch, id, &holder, err);
    if (rc <= 0) return rc;
    char *where = cp_backend_describe(b, branch);
    if (rc == 1 && force) {
        *err = cp_xasprintf("state %s is not locked; nothing to unlock", where);
    } else if (rc == 1) {
        rc = 0; /* our lock is already gone (force-unlocked): nothing to do */
    } else {
        *err =
            cp_xasprintf("lock ID %s does not match the lock on %s (ID %s, held by %s@%s pid %ld "
                         "running %s since %s); check the ID and run again",
                         id, where, holder.id, holder.who, holder.host, holder.pid,
                         holder.operation, holder.created);
    }
    free(where);
    return rc == 0 ? 0 : -1;
}

int cp_backend_unlock(cp_backend *b, const char *branch, const char *id, char **err)
{
    return unlock_common(b, branch, id, false, err);
}

int cp_backend_force_unlock(cp_backend *b, const char *branch, const char *id, char **err)
{
    return unlock_common(b, branch, id, true, err);
}
