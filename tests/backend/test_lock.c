/*
 * test_lock.c: state locking (lock.c with the local backend): the holder
 * message, contention between real processes (fork), many processes racing
 * for one lock, -lock-timeout waiting and expiring, force-unlock with a
 * wrong and a right ID, a stale lock (dead holder on this host) released, unreadable
 * lock files, and the store's lock/unlock.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "backend/local.h"
#include "backend/store.h"
#include "util/xalloc.h"

typedef struct fixture {
    char *dir;
    cp_backend *b;
    char *lock_path;
    pid_t child; /* a lock holder to kill at teardown, even if a test failed */
} fixture;

static cp_backend *open_backend(const char *dir)
{
    cp_local_options o = { .dir = dir };
    cp_backend *b = NULL;
    char *err = NULL;
    if (cp_backend_local_open(&o, &b, &err) != 0) fail_msg("%s", err);
    return b;
}

static int setup(void **state)
{
    fixture *fx = cp_xcalloc(1, sizeof *fx);
    fx->dir = th_tmpdir();
    fx->b = open_backend(fx->dir);
    fx->lock_path = cp_xasprintf("%s/main.cpstate.lock", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    if (fx->child > 0) {
        kill(fx->child, SIGKILL);
        waitpid(fx->child, NULL, 0);
    }
    cp_backend_close(fx->b);
    th_rmrf(fx->dir);
    free(fx->dir);
    free(fx->lock_path);
    free(fx);
    return 0;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static char *expected_message(const cp_lock_info *h, bool stale)
{
    if (stale)
        return cp_xasprintf("state is locked by %s@%s (pid %ld, which is no longer running: the "
                            "lock is stale) running %s since %s, lock ID %s; that process is "
                            "gone, so run: cpstack force-unlock %s",
                            h->who, h->host, h->pid, h->operation, h->created, h->id, h->id);
    return cp_xasprintf("state is locked by %s@%s (pid %ld) running %s since %s, lock ID %s; "
                        "wait for it, or if that process is gone run: cpstack force-unlock %s",
                        h->who, h->host, h->pid, h->operation, h->created, h->id, h->id);
}

static void test_second_lock_fails_at_once(void **state)
{
    fixture *fx = *state;
    cp_lock_info mine, other;
    char *err = NULL;
    assert_int_equal(cp_backend_lock(fx->b, "main", "apply", 0, &mine, &err), 0);
    struct stat st;
    assert_int_equal(stat(fx->lock_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    size_t len;
    char *text = th_read_file(fx->lock_path, &len);
    cp_lock_info onfile;
    assert_true(cp_lock_info_from_json(text, len, &onfile));
    assert_string_equal(onfile.id, mine.id);
    assert_string_equal(onfile.operation, "apply");
    assert_int_equal(onfile.pid, (long)getpid());
    assert_int_equal(strlen(onfile.created), 20); /* 2026-11-23T18:00:00Z */
    assert_int_equal(onfile.created[10], 'T');
    free(text);
    cp_backend *b2 = open_backend(fx->dir);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(cp_backend_lock(b2, "main", "plan", 0, &other, &err), -1);
    assert_true(elapsed_ms(&t0) < 5000); /* no waiting: fails at once */
    char *want = expected_message(&mine, false);
    assert_string_equal(err, want);
    free(want);
    free(err);
    assert_int_equal(cp_backend_lock(b2, "other-branch", "plan", 0, &other, &err), 0);
    assert_int_equal(cp_backend_unlock(b2, "other-branch", other.id, &err), 0);
    assert_int_equal(cp_backend_unlock(fx->b, "main", mine.id, &err), 0);
    assert_int_not_equal(access(fx->lock_path, F_OK), 0);
    cp_backend_close(b2);
}

/* A child that takes the lock, reports its ID through a pipe, then holds
 * it for hold_ms (or until killed when hold_ms < 0), then unlocks. */
static pid_t spawn_holder(fixture *fx, long hold_ms, cp_lock_info *held)
{
    const char *dir = fx->dir;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        cp_backend *b = open_backend(dir);
        cp_lock_info li;
        char *err = NULL;
        if (cp_backend_lock(b, "main", "apply", 0, &li, &err) != 0) _exit(3);
        if (write(fds[1], &li, sizeof li) != (ssize_t)sizeof li) _exit(4);
        if (hold_ms < 0)
            for (;;) pause();
        struct timespec ts = { hold_ms / 1000, (hold_ms % 1000) * 1000000L };
        nanosleep(&ts, NULL);
        _exit(cp_backend_unlock(b, "main", li.id, &err) == 0 ? 0 : 5);
    }
    fx->child = pid;
    close(fds[1]);
    assert_int_equal(read(fds[0], held, sizeof *held), (ssize_t)sizeof *held);
    close(fds[0]);
    return pid;
}

static void test_contention_between_processes(void **state)
{
    fixture *fx = *state;
    cp_lock_info held, mine;
    char *err = NULL;
    pid_t child = spawn_holder(fx, -1, &held);
    assert_int_equal(held.pid, (long)child);
    assert_int_equal(cp_backend_lock(fx->b, "main", "apply", 0, &mine, &err), -1);
    char *want = expected_message(&held, false);
    assert_string_equal(err, want);
    free(want);
    free(err);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    fx->child = 0;
}

static void test_race_many_processes(void **state)
{
    fixture *fx = *state;
    enum { N = 12 };
    pid_t kids[N];
    int go[2], done[2], hold[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    assert_int_equal(pipe(hold), 0);
    for (int i = 0; i < N; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            char c;
            close(go[1]);
            close(hold[1]);
            if (read(go[0], &c, 1) != 0) _exit(9); /* wait for the start signal: EOF */
            cp_backend *b = open_backend(fx->dir);
            cp_lock_info li;
            char *err = NULL;
            char won = cp_backend_lock(b, "main", "apply", 0, &li, &err) == 0 ? 'w' : 'l';
            if (write(done[1], &won, 1) != 1) _exit(8);
            if (read(hold[0], &c, 1) != 0) _exit(9); /* a winner stays alive, holding it */
            _exit(0);
        }
    }
    close(go[0]);
    close(go[1]); /* all start at once */
    close(done[1]);
    int winners = 0;
    for (int i = 0; i < N; i++) {
        char r = 0;
        assert_int_equal(read(done[0], &r, 1), 1);
        winners += r == 'w';
    }
    close(hold[1]);
    for (int i = 0; i < N; i++) {
        int status;
        waitpid(kids[i], &status, 0);
        assert_true(WIFEXITED(status));
    }
    close(done[0]);
    close(hold[0]);
    assert_int_equal(winners, 1);
}

static void test_timeout_waits_for_release(void **state)
{
    fixture *fx = *state;
    cp_lock_info held, mine;
    char *err = NULL;
    pid_t child = spawn_holder(fx, 400, &held);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (cp_backend_lock(fx->b, "main", "apply", 10000, &mine, &err) != 0) fail_msg("%s", err);
    long waited = elapsed_ms(&t0);
    assert_true(waited >= 250 && waited < 30000);
    int status;
    waitpid(child, &status, 0);
    fx->child = 0;
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(cp_backend_unlock(fx->b, "main", mine.id, &err), 0);
}

static void test_timeout_expires(void **state)
{
    fixture *fx = *state;
    cp_lock_info held, mine;
    char *err = NULL;
    pid_t child = spawn_holder(fx, -1, &held);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(cp_backend_lock(fx->b, "main", "apply", 600, &mine, &err), -1);
    long waited = elapsed_ms(&t0);
    assert_true(waited >= 600 && waited < 30000); /* upper bound: busy CI machines */
    const char *prefix = "gave up after waiting 0.6s for the lock: ";
    assert_memory_equal(err, prefix, strlen(prefix));
    char *want = expected_message(&held, false);
    assert_string_equal(err + strlen(prefix), want);
    free(want);
    free(err);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    fx->child = 0;
}

static void test_force_unlock(void **state)
{
    fixture *fx = *state;
    cp_lock_info held;
    char *err = NULL;
    pid_t child = spawn_holder(fx, -1, &held);
    assert_int_equal(cp_backend_force_unlock(fx->b, "main", "3f2a-wrong", &err), -1);
    char *want =
        cp_xasprintf("lock ID 3f2a-wrong does not match the lock on %s/main.cpstate (ID %s, "
                     "held by %s@%s pid %ld running apply since %s); check the ID and run "
                     "again",
                     fx->dir, held.id, held.who, held.host, held.pid, held.created);
    assert_string_equal(err, want);
    free(want);
    free(err);
    assert_int_equal(access(fx->lock_path, F_OK), 0); /* still locked */
    assert_int_equal(cp_backend_force_unlock(fx->b, "main", held.id, &err), 0);
    assert_int_not_equal(access(fx->lock_path, F_OK), 0);
    assert_int_equal(cp_backend_force_unlock(fx->b, "main", held.id, &err), -1);
    want = cp_xasprintf("state %s/main.cpstate is not locked; nothing to unlock", fx->dir);
    assert_string_equal(err, want);
    free(want);
    free(err);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    fx->child = 0;
}

static void test_stale_lock_released(void **state)
{
    fixture *fx = *state;
    cp_lock_info held, mine, again;
    char *err = NULL;
    pid_t child = spawn_holder(fx, -1, &held);
    kill(child, SIGKILL); /* dies holding the lock */
    waitpid(child, NULL, 0);
    fx->child = 0;
    assert_true(cp_lock_is_stale(&held));
    char *want = expected_message(&held, true); /* what a describe of it says */
    assert_non_null(strstr(want, "no longer running"));
    free(want);
    /* Its holder is dead on this host: the next lock releases it and takes it. */
    assert_int_equal(cp_backend_lock(fx->b, "main", "apply", 0, &mine, &err), 0);
    assert_null(err);
    assert_int_equal(access(fx->lock_path, F_OK), 0);
    assert_int_equal(cp_backend_lock(fx->b, "main", "apply", 0, &again, &err), -1); /* ours now */
    free(err);
    err = NULL;
    assert_int_equal(cp_backend_unlock(fx->b, "main", mine.id, &err), 0);
    /* Another host's lock is never judged stale from here. */
    cp_lock_info remote = held;
    snprintf(remote.host, sizeof remote.host, "some-other-host");
    assert_false(cp_lock_is_stale(&remote));
}

static void test_unreadable_lock_file(void **state)
{
    fixture *fx = *state;
    cp_lock_info mine;
    char *err = NULL;
    /* empty: left by a run killed while taking it (before locks were linked
     * whole): released, and taken */
    th_write_file(fx->lock_path, "");
    assert_int_equal(cp_backend_lock(fx->b, "main", "apply", 0, &mine, &err), 0);
    assert_null(err);
    assert_int_equal(cp_backend_unlock(fx->b, "main", mine.id, &err), 0);
    /* damaged: no one can tell who holds it, so it stays */
    th_write_file(fx->lock_path, "{ half a lock");
    assert_int_equal(cp_backend_lock(fx->b, "main", "apply", 0, &mine, &err), -1);
    char *want = cp_xasprintf("state is locked, but lock file %s cannot be read (damaged); if no "
                              "cpstack is running on this state, delete that file",
                              fx->lock_path);
    assert_string_equal(err, want);
    free(want);
    free(err);
    unlink(fx->lock_path);
    assert_false(cp_lock_info_from_json("{\"id\": \"\"}", 10, &mine));
    assert_false(cp_lock_info_from_json("{\"who\": \"x\"}", 12, &mine));
}

static void test_store_lock_cleans_and_releases(void **state)
{
    fixture *fx = *state;
    char *junk = cp_xasprintf("%s/.main.cpstate.tmp-999999-deadbeef", fx->dir), *err = NULL;
    char *other = cp_xasprintf("%s/.dev.cpstate.tmp-999999-deadbeef", fx->dir);
    th_write_file(junk, "{ half");
    th_write_file(other, "{ half");
    cp_store *st = cp_store_open(fx->b, "main");
    assert_null(cp_store_lock_info(st));
    assert_int_equal(cp_store_lock(st, "destroy", 0, &err), 0);
    assert_string_equal(cp_store_lock_info(st)->operation, "destroy");
    assert_int_not_equal(access(junk, F_OK), 0); /* a killed writer's temp: removed */
    assert_int_equal(access(other, F_OK), 0);    /* another branch's: left alone */
    assert_int_equal(access(fx->lock_path, F_OK), 0);
    cp_store_close(st); /* unlocks */
    assert_int_not_equal(access(fx->lock_path, F_OK), 0);
    free(junk);
    free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_second_lock_fails_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contention_between_processes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_many_processes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_waits_for_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_expires, setup, teardown),
        cmocka_unit_test_setup_teardown(test_force_unlock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_lock_released, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_lock_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_lock_cleans_and_releases, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
