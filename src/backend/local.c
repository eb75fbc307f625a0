/*
 * local.c: state in local files, the default backend.
 *
 * Layout (dir mode): <dir>/<branch>.cpstate, its previous version
 * <branch>.cpstate.backup and, while a run holds it, <branch>.cpstate.lock.
 * The CLI uses <stack dir>/.cpstack as dir. Path mode uses one given file.
 *
 * A write never leaves a half file, the way SQLite commits: write a temp
 * file in the same directory (mode 0600), fsync it, hard-link the current
 * file to .backup (no copy: the old inode simply gains a name), rename the
 * temp over the state file, fsync the directory. A crash at any moment
 * leaves either the old or the new complete file. Temp files of a killed
 * writer (.<name>.tmp-*) are removed by the next run that takes the lock.
 *
 * The version token is "<inode>-<size>-<mtime ns>": every write makes a new
 * inode, so a writer that read the file can tell if anyone replaced it.
 * Locks are files holding cp_lock_info JSON, made whole before they have
 * their name: written and fsynced as a temp file, then hard-linked to the
 * lock name (link fails when the name exists, as O_EXCL would), so a kill
 * -9 never leaves an empty lock file that no run could read.
 * A lock whose holder ran on this host and no longer exists (kill -9, a
 * crash) is released by the next run, with one line saying so, and so is
 * an empty lock file (left by an older cpstack killed while taking it); any
 * other lock stays until its holder releases it or force-unlock.
 */
#include "backend/local.h"
#include "state/state.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct local {
    char *dir;  /* directory holding the files */
    char *path; /* path mode: the one state file; NULL in dir mode */
    int (*fault)(void *ud, const char *step);
    void *fault_ud;
} local;

static int fault(const local *L, const char *step)
{
    return L->fault ? L->fault(L->fault_ud, step) : 0;
}

/* --- names ----------------------------------------------------------------- */
static int check_branch(const local *L, const char *branch, char **err)
{
    if (L->path) return 0;
    size_t n = branch ? strlen(branch) : 0;
    bool ok = n > 0 && n <= 200 && branch[0] != '.';
    for (size_t i = 0; ok && i < n; i++) {
        char ch = branch[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '-' || ch == '_' || ch == '.';
    }
    if (ok) return 0;
    *err = cp_xasprintf("branch name \"%s\" cannot name a local state file: use 1-200 letters, "
                        "digits, '-', '_' or '.', not starting with '.'",
                        branch ? branch : "");
    return -1;
}

static char *state_path(const local *L, const char *branch)
{
    return L->path ? cp_xstrdup(L->path) : cp_xasprintf("%s/%s.cpstate", L->dir, branch);
}

static char *sibling(const char *path, const char *suffix)
{
    return cp_xasprintf("%s%s", path, suffix);
}

/* "<dir>/.<base>.<kind>-<pid>-<random>" beside path. */
static char *temp_name(const local *L, const char *path, const char *kind)
{
    char *copy = cp_xstrdup(path), uuid[37];
    cp_uuid4(uuid);
    char *t =
        cp_xasprintf("%s/.%s.%s-%ld-%.8s", L->dir, basename(copy), kind, (long)getpid(), uuid);
    free(copy);
    return t;
}

static void token_of(const struct stat *st, char token[CP_TOKEN_MAX])
{
    snprintf(token, CP_TOKEN_MAX, "%ju-%jd-%jd.%09ld", (uintmax_t)st->st_ino, (intmax_t)st->st_size,
             (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

static int ensure_dir(const char *dir, char **err)
{
    char *p = cp_xstrdup(dir);
    for (char *s = p + 1;; s++) {
        bool end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                *err = cp_xasprintf("cannot create state directory %s: %s; check the permissions "
                                    "of its parent",
                                    p, strerror(errno));
                free(p);
                return -1;
            }
            if (end) break;
            *s = '/';
        }
    }
    free(p);
    return 0;
}

/* --- reading ----------------------------------------------------------------- */
/* Read all of fd into out. errno value or 0. */
static int read_fd(int fd, cp_buf *out)
{
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return errno;
        if (r == 0) return 0;
        cp_buf_add(out, chunk, (size_t)r);
    }
}

static int local_read(cp_backend *b, const char *branch, cp_buf *out, bool *found,
                      char token[CP_TOKEN_MAX], char **err)
{
    local *L = b->impl;
    if (check_branch(L, branch, err)) return -1;
    char *path = state_path(L, branch);
    struct stat st;
    int e = 0, fd = open(path, O_RDONLY | O_CLOEXEC);
    *found = fd >= 0;
    token[0] = '\0';
    if (fd < 0 && errno != ENOENT) e = errno;
    if (fd >= 0) {
        e = fstat(fd, &st) != 0 ? errno : read_fd(fd, out);
        if (!e) token_of(&st, token);
        close(fd);
    }
    if (e)
        *err =
            cp_xasprintf("cannot read state file %s: %s; check its permissions", path, strerror(e));
    free(path);
    return e ? -1 : 0;
}

/* --- writing ------------------------------------------------------------------ */
static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return errno;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Write data to a new file tmp, 0600, synced. Sets *step on failure. */
static int write_temp(const local *L, const char *tmp, const char *data, size_t len,
                      char token[CP_TOKEN_MAX], const char **step)
{
    int e = fault(L, *step = "open");
    int fd = e ? -1 : open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return e ? e : errno;
    if (!e) e = fchmod(fd, 0600) != 0 ? errno : 0;
    if (!e && (e = fault(L, *step = "write")) != 0) write_all(fd, data, len / 2);
    if (!e) e = write_all(fd, data, len);
    if (!e) e = fault(L, *step = "fsync");
    if (!e) e = fsync(fd) != 0 ? errno : 0;
    struct stat st;
    if (!e) e = fstat(fd, &st) != 0 ? errno : 0;
    if (!e) token_of(&st, token);
    int ce = fault(L, "close");
    if (close(fd) != 0 && !e) e = errno;
    if (!e && ce) {
        *step = "close";
        e = ce;
    }
    return e;
}

/* Copy src to dst (fallback when hard links are not supported). */
static int copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) return errno;
    cp_buf b;
    cp_buf_init(&b);
    int e = read_fd(in, &b);
    close(in);
    int out = e ? -1 : open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (!e && out < 0) e = errno;
    if (!e) e = write_all(out, b.data ? b.data : "", b.len);
    if (out >= 0 && close(out) != 0 && !e) e = errno;
    cp_buf_free(&b);
    return e;
}

/* Make the current state file (if any) the .backup, atomically. */
static int keep_backup(const local *L, const char *path)
{
    int e = fault(L, "backup");
    if (e) return e;
    char *tmp = temp_name(L, path, "backup"), *bak = sibling(path, ".backup");
    if (access(path, F_OK) != 0) {
        e = errno == ENOENT ? 0 : errno;
        free(tmp);
        free(bak);
        return e;
    }
    if (link(path, tmp) != 0) e = copy_file(path, tmp);
    if (!e && rename(tmp, bak) != 0) e = errno;
    if (e) unlink(tmp);
    free(tmp);
    free(bak);
    return e;
}

static int sync_dir(const local *L)
{
    int e = fault(L, "fsync_dir");
    if (e) return e;
    int fd = open(L->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    e = fsync(fd) != 0 ? errno : 0;
    close(fd);
    return e;
}

static int check_token(const char *path, const char *if_token, char **err)
{
    struct stat st;
    char cur[CP_TOKEN_MAX] = "";
    if (stat(path, &st) == 0)
        token_of(&st, cur);
    else if (errno != ENOENT) {
        *err = cp_xasprintf("cannot check state file %s: %s", path, strerror(errno));
        return -1;
    }
    if (strcmp(cur, if_token) == 0) return 0;
    if (!if_token[0])
        *err = cp_xasprintf("state file %s already exists but this run did not read it; nothing "
                            "was written: run the command again",
                            path);
    else
        *err = cp_xasprintf("state file %s was %s by another process since this run read it; "
                            "nothing was written: run the command again",
                            path, cur[0] ? "replaced" : "deleted");
    return -1;
}

static int local_write(cp_backend *b, const char *branch, const char *data, size_t len,
                       const char *if_token, char new_token[CP_TOKEN_MAX], char **err)
{
    local *L = b->impl;
    if (check_branch(L, branch, err) || ensure_dir(L->dir, err)) return -1;
    char *path = state_path(L, branch), *tmp = temp_name(L, path, "tmp");
    const char *step = "check";
    int e = 0, rc = if_token ? check_token(path, if_token, err) : 0;
    if (!rc) e = write_temp(L, tmp, data, len, new_token, &step);
    if (!rc && !e && (e = keep_backup(L, path)) != 0) step = "backup";
    if (!rc && !e) e = fault(L, step = "rename");
    if (!rc && !e && rename(tmp, path) != 0) e = errno;
    if (rc || e) unlink(tmp);
    if (e)
        *err = cp_xasprintf("cannot write state file %s (%s failed: %s); the previous state "
                            "is unchanged: free disk space or fix permissions, then run again",
                            path, step, strerror(e));
    if (!rc && !e && (e = sync_dir(L)) != 0)
        *err = cp_xasprintf("state file %s was written but syncing %s failed (%s), so a power loss "
                            "could undo it; check the disk, then run again",
                            path, L->dir, strerror(e));
    free(path);
    free(tmp);
    return rc || e ? -1 : 0;
}

/* --- locks ----------------------------------------------------------------- */
/* Read a lock file: 0 ok, ENOENT gone, EINVAL unreadable, else errno. A
 * lock being written right now may look empty for a moment: retry a bit. */
static int read_lock(const char *lock, cp_lock_info *li)
{
    for (int attempt = 0;; attempt++) {
        cp_buf b;
        cp_buf_init(&b);
        int fd = open(lock, O_RDONLY | O_CLOEXEC);
        int e = fd < 0 ? errno : read_fd(fd, &b);
        if (fd >= 0) close(fd);
        if (!e && !cp_lock_info_from_json(b.data ? b.data : "", b.len, li)) e = EINVAL;
        cp_buf_free(&b);
        if (e != EINVAL || attempt == 10) return e;
        struct timespec ts = { 0, 20 * 1000000L };
        nanosleep(&ts, NULL);
    }
}

static int lock_error(char **err, const char *lock, int e)
{
    if (e == EINVAL)
        *err = cp_xasprintf("state is locked, but lock file %s cannot be read (damaged); "
                            "if no cpstack is running on this state, delete that file",
                            lock);
    else
        *err = cp_xasprintf("cannot use lock file %s: %s; check the permissions of its directory",
                            lock, strerror(e));
    return -1;
}

/* Remove temp files left by killed writers of this state (we hold its lock). */
static void clean_temps(const local *L, const char *path)
{
    char *copy = cp_xstrdup(path);
    char *prefix = cp_xasprintf(".%s.", basename(copy));
    DIR *d = opendir(L->dir);
    struct dirent *de;
    size_t n = strlen(prefix);
    while (d && (de = readdir(d)) != NULL) {
        const char *rest = de->d_name + n;
        if (strncmp(de->d_name, prefix, n) != 0) continue;
        if (strncmp(rest, "tmp-", 4) != 0 && strncmp(rest, "backup-", 7) != 0) continue;
        char *victim = cp_xasprintf("%s/%s", L->dir, de->d_name);
        unlink(victim);
        free(victim);
    }
    if (d) closedir(d);
    free(prefix);
    free(copy);
}

/* Write text into a new file at name (O_EXCL): 0 or errno (nothing left). */
static int write_new(const char *name, const char *text)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    int e = write_all(fd, text, strlen(text));
    if (!e && fsync(fd) != 0) e = errno;
    close(fd);
    if (e) unlink(name);
    return e;
}

/* Take lock for mine: 0, EEXIST when it is held, else errno. The whole
 * lock is written under a temp name of the state file (path), which
 * clean_temps removes if a kill leaves it, then linked to its name. */
static int create_lock(const char *path, const char *lock, const cp_lock_info *mine)
{
    char *d = cp_xstrdup(path), *b = cp_xstrdup(path);
    char *tmp = cp_xasprintf("%s/.%s.tmp-lock-%ld", dirname(d), basename(b), (long)getpid());
    free(d);
    free(b);
    char *text = cp_lock_info_to_json(mine);
    unlink(tmp); /* a leftover of a killed run with our pid */
    int e = write_new(tmp, text);
    if (!e && link(tmp, lock) != 0) e = errno;
    if (e == EPERM || e == ENOTSUP) /* no hard links on this file system */
        e = write_new(lock, text);
    unlink(tmp);
    free(text);
    free(tmp);
    return e;
}

/* Release a lock file judged free: take it away under a private name
 * first, so that a lock another run created meanwhile is never removed;
 * still_it(aside, ud) says whether the file taken is the one judged (and
 * says so on stderr), else it is put back. True when the judged lock is
 * gone (so the caller tries again). */
static bool release_aside(const char *lock, const char *why,
                          bool (*still_it)(const char *aside, const void *ud), const void *ud)
{
    char *aside = cp_xasprintf("%s.%s-%ld", lock, why, (long)getpid());
    bool gone = false;
    if (rename(lock, aside) == 0) {
        gone = still_it(aside, ud);
        if (!gone && link(aside, lock) != 0) { /* a third run holds the lock now: its own */
        }
        unlink(aside);
    } else {
        gone = errno == ENOENT; /* another run took it away first: look again */
    }
    free(aside);
    return gone;
}

/* The file still holds h, whose process is dead on this host. */
static bool still_stale(const char *aside, const void *ud)
{
    const cp_lock_info *h = ud;
    cp_lock_info now;
    if (read_lock(aside, &now) == 0 && strcmp(now.id, h->id) != 0) return false;
    fprintf(stderr,
            "Released the stale lock %s of %s@%s (pid %ld, %s since %s): that process is no "
            "longer running\n",
            h->id, h->who, h->host, h->pid, h->operation, h->created);
    return true;
}

/* The file is still empty: left by a run killed while taking the lock
 * (before locks were linked whole), so no one holds it. */
static bool still_empty(const char *aside, const void *ud)
{
    const char *lock = ud;
    struct stat st;
    if (stat(aside, &st) != 0 || st.st_size != 0) return false;
    fprintf(stderr, "Released the empty lock file %s: a run was killed while taking it\n", lock);
    return true;
}

static bool is_empty_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size == 0;
}

static int local_lock(cp_backend *b, const char *branch, const cp_lock_info *mine,
                      cp_lock_info *holder, char **err)
{
    local *L = b->impl;
    if (check_branch(L, branch, err) || ensure_dir(L->dir, err)) return -1;
    char *path = state_path(L, branch), *lock = sibling(path, ".lock");
    int rc = 0;
    for (int attempt = 0; attempt < 5; attempt++) {
        int e = create_lock(path, lock, mine);
        if (!e) {
            clean_temps(L, path);
            rc = 0;
            break;
        }
        if (e == EEXIST) e = read_lock(lock, holder);
        if (e == ENOENT) continue; /* released meanwhile: try again */
        if (!e && cp_lock_is_stale(holder) && release_aside(lock, "stale", still_stale, holder))
            continue;
        if (e == EINVAL && is_empty_file(lock) && release_aside(lock, "empty", still_empty, lock))
            continue;
        rc = e ? lock_error(err, lock, e) : 1;
        break;
    }
    free(path);
    free(lock);
    return rc;
}

static int local_unlock(cp_backend *b, const char *branch, const char *id, cp_lock_info *holder,
                        char **err)
{
    local *L = b->impl;
    if (check_branch(L, branch, err)) return -1;
    char *path = state_path(L, branch), *lock = sibling(path, ".lock");
    int rc, e = read_lock(lock, holder);
    if (e == ENOENT)
        rc = 1;
    else if (e)
        rc = lock_error(err, lock, e);
    else if (strcmp(holder->id, id) != 0)
        rc = 2;
    else if (unlink(lock) != 0 && errno != ENOENT)
        rc = lock_error(err, lock, errno);
    else
        rc = 0;
    free(path);
    free(lock);
    return rc;
}

/* --- branches ------------------------------------------------------------------ */
static void add_branch(cp_branch_info **out, size_t *n, size_t *cap, const char *name,
                       const struct stat *st)
{
    CP_GROW(*out, *n + 1, *cap);
    (*out)[*n].name = cp_xstrdup(name);
    (*out)[*n].modified = (int64_t)st->st_mtim.tv_sec;
    (*out)[*n].size = (uint64_t)st->st_size;
    (*n)++;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const cp_branch_info *)a)->name, ((const cp_branch_info *)b)->name);
}

static int list_path_mode(const local *L, cp_branch_info **out, size_t *n)
{
    struct stat st;
    size_t cap = 0;
    if (stat(L->path, &st) != 0) return 0;
    char *copy = cp_xstrdup(L->path), *base = basename(copy), *dot = strstr(base, ".cpstate");
    if (dot && dot[8] == '\0' && dot != base) *dot = '\0';
    add_branch(out, n, &cap, base, &st);
    free(copy);
    return 0;
}

static int local_list(cp_backend *b, cp_branch_info **out, size_t *n, char **err)
{
    local *L = b->impl;
    if (L->path) return list_path_mode(L, out, n);
    DIR *d = opendir(L->dir);
    if (!d && errno == ENOENT) return 0;
    if (!d) {
        *err = cp_xasprintf("cannot list state directory %s: %s", L->dir, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 8 || strcmp(de->d_name + len - 8, ".cpstate") != 0)
            continue;
        char *full = cp_xasprintf("%s/%s", L->dir, de->d_name),
             *name = cp_xstrndup(de->d_name, len - 8);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) add_branch(out, n, &cap, name, &st);
        free(full);
        free(name);
    }
    closedir(d);
    if (*n) qsort(*out, *n, sizeof **out, by_name);
    return 0;
}

/* Deleting keeps the last state as .backup, so a mistake can be undone. */
static int local_remove(cp_backend *b, const char *branch, char **err)
{
    local *L = b->impl;
    if (check_branch(L, branch, err)) return -1;
    char *path = state_path(L, branch), *bak = sibling(path, ".backup");
    int e = rename(path, bak) != 0 ? errno : sync_dir(L);
    if (e == ENOENT)
        *err = cp_xasprintf("branch %s has no state in %s; nothing to delete", branch, L->dir);
    else if (e)
        *err = cp_xasprintf("cannot delete state file %s: %s", path, strerror(e));
    free(path);
    free(bak);
    return e ? -1 : 0;
}

static char *local_describe(cp_backend *b, const char *branch)
{
    return state_path(b->impl, branch ? branch : "");
}

static void local_close(cp_backend *b)
{
    local *L = b->impl;
    free(L->dir);
    free(L->path);
    free(L);
    free(b);
}

static const cp_backend_ops local_ops = {
    "local",    local_read,   local_write,    local_lock,  local_unlock,
    local_list, local_remove, local_describe, local_close,
};

int cp_backend_local_open(const cp_local_options *opt, cp_backend **out, char **err)
{
    if (!opt || (!opt->dir == !opt->path) || (opt->dir && !opt->dir[0]) ||
        (opt->path && !opt->path[0])) {
        *err = cp_xstrdup(
            "local state backend: set exactly one of a state directory or a state file path");
        return -1;
    }
    local *L = cp_xcalloc(1, sizeof *L);
    if (opt->path) {
        char *copy = cp_xstrdup(opt->path);
        L->dir = cp_xstrdup(dirname(copy));
        L->path = cp_xstrdup(opt->path);
        free(copy);
    } else {
        L->dir = cp_xstrdup(opt->dir);
    }
    L->fault = opt->fault;
    L->fault_ud = opt->fault_ud;
    cp_backend *b = cp_xcalloc(1, sizeof *b);
    b->ops = &local_ops;
    b->impl = L;
    *out = b;
    return 0;
}

/* The registered type: state in <stack dir>/.cpstack, nothing to set. */
static const char *const local_settings[] = { NULL };

static int local_type_open(const cp_value *settings, const cp_backend_env *env, cp_backend **out,
                           char **err)
{
    (void)settings;
    char *dir = cp_xasprintf("%s/.cpstack", env->stack_dir ? env->stack_dir : ".");
    cp_local_options lo = { .dir = dir };
    int rc = cp_backend_local_open(&lo, out, err);
    free(dir);
    return rc;
}

const cp_backend_type cp_backend_type_local = { "local", local_settings, local_type_open };
