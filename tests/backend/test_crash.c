/*
 * test_crash.c: kill -9 during state writes, 50 times.
 *
 * Each round starts crashwriter (which writes state after state, half the
 * rounds synchronously and half through the group-commit thread), lets it
 * run a random few milliseconds and kills it with SIGKILL. After every
 * kill the state file must parse, must be byte for byte one of the
 * versions that were written (rebuilt from its generation number), and
 * neither generation nor serial may ever go back. At the end the backup must be a complete version
 * too, and taking the lock must clear the temp files the killed writers left.
 * And kill -9 while the lock is being taken and released, 200 times: the
 * next run must always be able to take it (a dead holder's lock is
 * released; an empty, half-written lock file would stop every run).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "backend/local.h"
#include "backend/store.h"
#include "util/xalloc.h"

#define LINEAGE "7c9e6679-7425-40de-944b-e07fc1f90ae7"
#define ROUNDS  50

/* Start crashwriter and wait until it has read the state and is writing. */
static pid_t start_writer(const char *dir, const char *mode)
{
    const char *exe = getenv("CPSTACK_CRASHWRITER");
    assert_non_null(exe);
    int out[2];
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execl(exe, exe, dir, LINEAGE, mode, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char line[16] = "";
    ssize_t n = read(out[0], line, sizeof line - 1);
    close(out[0]);
    if (n < 5 || strncmp(line, "ready", 5) != 0) fail_msg("crashwriter did not start (%zd)", n);
    return pid;
}

/* The file must be exactly the generation its "gen" output names (with
 * the serial it has). Returns the generation; *serial gets the serial. */
static int64_t check_version(const char *path, int64_t *serial)
{
    size_t len;
    char *text = th_read_file(path, &len), *err = NULL;
    assert_non_null(text);
    cp_state *s = cp_state_parse(text, len, path, &err);
    if (!s) fail_msg("after a kill: %s", err);
    int64_t gen = (int64_t)cp_number_val(cp_state_output(s, "gen", NULL));
    *serial = cp_state_serial(s);
    cp_state *expect = th_crash_state(LINEAGE, gen);
    cp_state_set_serial(expect, *serial);
    cp_buf b;
    cp_buf_init(&b);
    cp_state_serialize(expect, &b);
    if (b.len != len || memcmp(b.data, text, len) != 0)
        fail_msg("%s (serial %lld) is not the version that was written", path, (long long)gen);
    cp_buf_free(&b);
    cp_state_free(expect);
    cp_state_free(s);
    free(text);
    return gen;
}

static size_t count_temps(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;
    while (d && (de = readdir(d)) != NULL) n += strncmp(de->d_name, ".main.cpstate.", 14) == 0;
    if (d) closedir(d);
    return n;
}

static void sleep_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void test_kill_during_writes(void **state)
{
    (void)state;
    char *dir = th_tmpdir(), *path = cp_xasprintf("%s/main.cpstate", dir);
    char *bak = cp_xasprintf("%s.backup", path);
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    print_message("crash test seed %u\n", seed);
    int64_t last = 0, last_serial = 0, serial;
    for (int round = 0; round < ROUNDS; round++) {
        pid_t pid = start_writer(dir, round % 2 == 1 ? "async" : "sync");
        sleep_us(1000 + rand() % 60000);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status)) fail_msg("crashwriter exited by itself (status %d)", status);
        if (access(path, F_OK) != 0) {
            assert_int_equal(last, 0); /* killed before its first write */
            continue;
        }
        int64_t gen = check_version(path, &serial);
        assert_true(gen >= last && serial >= last_serial); /* durable: never goes back */
        last = gen;
        last_serial = serial;
    }
    print_message("crash test: %d kills, %lld generations, %lld writes, %zu temp files left\n",
                  ROUNDS, (long long)last, (long long)last_serial, count_temps(dir));
    assert_true(last_serial >= 2); /* writes did happen (how many depends on disk and load) */
    check_version(bak, &serial);
    /* A kill between "current becomes .backup" and "new file becomes current"
     * leaves both the same version: never newer, and always complete. */
    assert_true(serial <= last_serial);
    assert_int_equal(th_assert_schema_dir(dir), 2); /* state and backup */
    /* The next run that takes the lock clears what the killed writers left. */
    cp_local_options o = { .dir = dir };
    cp_backend *b;
    char *err = NULL;
    assert_int_equal(cp_backend_local_open(&o, &b, &err), 0);
    cp_store *st = cp_store_open(b, "main");
    assert_int_equal(cp_store_lock(st, "apply", 0, &err), 0);
    assert_int_equal(count_temps(dir), 0);
    cp_store_close(st);
    cp_backend_close(b);
    th_rmrf(dir);
    free(dir);
    free(path);
    free(bak);
}

static void test_kill_during_lock(void **state)
{
    (void)state;
    char *dir = th_tmpdir();
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    print_message("lock crash test seed %u\n", seed);
    cp_local_options o = { .dir = dir };
    cp_backend *b;
    char *err = NULL;
    assert_int_equal(cp_backend_local_open(&o, &b, &err), 0);
    cp_store *st = cp_store_open(b, "main");
    for (int round = 0; round < 200; round++) {
        pid_t pid = start_writer(dir, "lock");
        sleep_us(rand() % 3000);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status)) fail_msg("crashwriter exited by itself (status %d)", status);
        if (cp_store_lock(st, "apply", 0, &err) != 0)
            fail_msg("round %d: after a kill the lock cannot be taken: %s", round, err);
        assert_int_equal(cp_store_unlock(st, &err), 0);
    }
    assert_int_equal(count_temps(dir), 0);
    cp_store_close(st);
    cp_backend_close(b);
    th_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_during_lock),
        cmocka_unit_test(test_kill_during_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
