/*
 * test_backend.c: the local backend and the store (local.h, store.h): atomic
 * writes that leave the old file intact when any step fails (faults
 * injected through the backend's test hook), mode 0600, the .backup,
 * conditional writes and lineage checks, branch listing and deletion, path
 * mode, the codec hook (as encryption uses it) and group commit.
 * Every state file written here is checked against state.schema.json.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
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

typedef struct fault_plan {
    const char *step; /* fail this step … */
    int err;          /* … with this errno */
    int renames;      /* count of writes that reached the rename */
} fault_plan;

static int fault_hook(void *ud, const char *step)
{
    fault_plan *f = ud;
    if (!strcmp(step, "rename")) f->renames++;
    return f->step && !strcmp(step, f->step) ? f->err : 0;
}

typedef struct fixture {
    char *dir;  /* temp root */
    char *sdir; /* <dir>/.cpstack */
    cp_backend *b;
    fault_plan fault;
} fixture;

static int setup(void **state)
{
    fixture *fx = cp_xcalloc(1, sizeof *fx);
    fx->dir = th_tmpdir();
    fx->sdir = cp_xasprintf("%s/.cpstack", fx->dir);
    cp_local_options o = { .dir = fx->sdir, .fault = fault_hook, .fault_ud = &fx->fault };
    char *err = NULL;
    if (cp_backend_local_open(&o, &fx->b, &err) != 0) fail_msg("%s", err);
    *state = fx;
    return 0;
}

/* Every state file a test left behind must match state.schema.json. */
static int teardown(void **state)
{
    fixture *fx = *state;
    th_assert_schema_dir(fx->dir);
    cp_backend_close(fx->b);
    th_rmrf(fx->dir);
    free(fx->dir);
    free(fx->sdir);
    free(fx);
    return 0;
}

static char *state_file(fixture *fx, const char *branch, const char *suffix)
{
    return cp_xasprintf("%s/%s.cpstate%s", fx->sdir, branch, suffix);
}

/* Write s through a fresh store that first reads the branch. */
static int store_save(fixture *fx, const char *branch, cp_state *s, char **err)
{
    cp_store *st = cp_store_open(fx->b, branch);
    cp_state *old = NULL;
    int rc = cp_store_read(st, &old, err);
    cp_state_free(old);
    if (rc == 0) rc = cp_store_write(st, s, err);
    cp_store_close(st);
    return rc;
}

static cp_state *store_load(fixture *fx, const char *branch)
{
    cp_store *st = cp_store_open(fx->b, branch);
    cp_state *s = NULL;
    char *err = NULL;
    if (cp_store_read(st, &s, &err) != 0) fail_msg("%s", err);
    cp_store_close(st);
    return s;
}

static void test_roundtrip_and_mode(void **state)
{
    fixture *fx = *state;
    mode_t old_umask = umask(0);
    cp_state *s = th_sample_state();
    char *err = NULL;
    assert_null(store_load(fx, "main"));
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    umask(old_umask);
    assert_int_equal(cp_state_serial(s), 1);
    assert_false(cp_state_dirty(s));
    char *path = state_file(fx, "main", "");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(fx->sdir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    th_assert_schema_file(path);
    cp_state *back = store_load(fx, "main");
    assert_int_equal(cp_state_serial(back), 1);
    assert_int_equal(cp_state_count(back), cp_state_count(s));
    assert_string_equal(cp_state_lineage(back), cp_state_lineage(s));
    assert_true(cp_is_sensitive(cp_map_get(
        cp_instance_attrs(cp_state_find_str(back, "aws_db_instance.main")), "password")));
    cp_state_free(back);
    cp_state_free(s);
    free(path);
}

static int64_t serial_of_file(const char *path)
{
    size_t len;
    char *text = th_read_file(path, &len), *err = NULL;
    assert_non_null(text);
    cp_state *s = cp_state_parse(text, len, path, &err);
    if (!s) fail_msg("%s", err);
    int64_t n = cp_state_serial(s);
    cp_state_free(s);
    free(text);
    return n;
}

static void test_backup_kept(void **state)
{
    fixture *fx = *state;
    cp_state *s = th_sample_state();
    char *err = NULL, *path = state_file(fx, "main", ""), *bak = state_file(fx, "main", ".backup");
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    assert_int_not_equal(access(bak, F_OK), 0); /* nothing to back up yet */
    for (int i = 2; i <= 4; i++) {
        cp_state_set_output(s, "n", cp_bool(i % 2), false);
        assert_int_equal(store_save(fx, "main", s, &err), 0);
        assert_int_equal(serial_of_file(path), i);
        assert_int_equal(serial_of_file(bak), i - 1);
        th_assert_schema_file(bak);
    }
    struct stat st;
    assert_int_equal(stat(bak, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    cp_state_free(s);
    free(path);
    free(bak);
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    if (d) closedir(d);
    return n;
}

static void test_failed_write_leaves_old_file(void **state)
{
    fixture *fx = *state;
    static const char *const steps[] = { "open", "write", "fsync", "close", "backup", "rename" };
    cp_state *s = th_sample_state();
    char *err = NULL, *path = state_file(fx, "main", ""), *bak = state_file(fx, "main", ".backup");
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    assert_int_equal(store_save(fx, "main", s, &err), 0); /* now a backup exists */
    size_t len0, blen0, entries = count_entries(fx->sdir);
    char *before = th_read_file(path, &len0), *bbefore = th_read_file(bak, &blen0);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        fx->fault = (fault_plan){ steps[i], ENOSPC, 0 };
        cp_state_set_output(s, "changed", cp_bool(true), false);
        assert_int_equal(store_save(fx, "main", s, &err), -1);
        char *want =
            cp_xasprintf("cannot write state file %s (%s failed: No space left on device); "
                         "the previous state is unchanged: free disk space or fix "
                         "permissions, then run again",
                         path, steps[i]);
        assert_string_equal(err, want);
        free(want);
        free(err);
        err = NULL;
        size_t len1;
        char *after = th_read_file(path, &len1);
        assert_int_equal(len1, len0);
        assert_memory_equal(after, before, len0);
        free(after);
        after = th_read_file(bak, &len1);
        assert_int_equal(len1, blen0);
        assert_memory_equal(after, bbefore, blen0);
        free(after);
        assert_int_equal(count_entries(fx->sdir), entries); /* no temp file left */
    }
    fx->fault = (fault_plan){ 0 };
    free(before);
    free(bbefore);
    free(path);
    free(bak);
    cp_state_free(s);
}

static void test_dir_sync_failure_is_reported(void **state)
{
    fixture *fx = *state;
    cp_state *s = th_sample_state();
    char *err = NULL, *path = state_file(fx, "main", "");
    fx->fault = (fault_plan){ "fsync_dir", EIO, 0 };
    assert_int_equal(store_save(fx, "main", s, &err), -1);
    char *want = cp_xasprintf("state file %s was written but syncing %s failed (Input/output "
                              "error), so a power loss could undo it; check the disk, then run "
                              "again",
                              path, fx->sdir);
    assert_string_equal(err, want);
    free(want);
    free(err);
    fx->fault = (fault_plan){ 0 };
    th_assert_schema_file(path);
    free(path);
    cp_state_free(s);
}

static void test_readonly_dir(void **state)
{
    fixture *fx = *state;
    if (geteuid() == 0) skip(); /* root ignores directory permissions */
    cp_state *s = th_sample_state();
    char *err = NULL, *path = state_file(fx, "main", "");
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    size_t len0, len1;
    char *before = th_read_file(path, &len0);
    assert_int_equal(chmod(fx->sdir, 0500), 0);
    cp_state_set_output(s, "x", cp_null(), false);
    assert_int_equal(store_save(fx, "main", s, &err), -1);
    assert_non_null(
        strstr(err, "(open failed: Permission denied); the previous state is unchanged"));
    free(err);
    chmod(fx->sdir, 0700);
    char *after = th_read_file(path, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    free(before);
    free(after);
    free(path);
    cp_state_free(s);
}

static void test_conditional_writes(void **state)
{
    fixture *fx = *state;
    cp_state *s = th_sample_state();
    char *err = NULL, *path = state_file(fx, "main", "");
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    cp_store *a = cp_store_open(fx->b, "main"), *b = cp_store_open(fx->b, "main");
    cp_state *sa = NULL, *sb = NULL;
    assert_int_equal(cp_store_read(a, &sa, &err), 0);
    assert_int_equal(cp_store_read(b, &sb, &err), 0);
    cp_state_set_output(sb, "by", cp_bool(true), false);
    assert_int_equal(cp_store_write(b, sb, &err), 0);
    cp_state_set_output(sa, "by", cp_bool(false), false);
    int64_t serial = cp_state_serial(sa);
    assert_int_equal(cp_store_write(a, sa, &err), -1);
    char *want = cp_xasprintf("state file %s was replaced by another process since this run read "
                              "it; nothing was written: run the command again",
                              path);
    assert_string_equal(err, want);
    free(want);
    free(err);
    assert_int_equal(cp_state_serial(sa), serial); /* not counted: nothing was written */
    assert_true(cp_state_dirty(sa));
    /* A store that never read may only create. */
    cp_store *c = cp_store_open(fx->b, "main");
    assert_int_equal(cp_store_write(c, sa, &err), -1);
    assert_non_null(strstr(err, "already exists but this run did not read it"));
    free(err);
    cp_store_close(a);
    cp_store_close(b);
    cp_store_close(c);
    cp_state_free(sa);
    cp_state_free(sb);
    cp_state_free(s);
    free(path);
}

static void test_lineage_refused(void **state)
{
    fixture *fx = *state;
    cp_state *s = th_sample_state(), *other = cp_state_new("webserver", "main"), *read = NULL;
    char *err = NULL;
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    cp_store *st = cp_store_open(fx->b, "main");
    assert_int_equal(cp_store_read(st, &read, &err), 0);
    assert_int_equal(cp_store_write(st, other, &err), -1);
    char *path = state_file(fx, "main", "");
    char *want = cp_xasprintf("refusing to write state with lineage %s over %s, which holds a "
                              "different state (lineage %s); check the backend settings and branch",
                              cp_state_lineage(other), path, cp_state_lineage(s));
    assert_string_equal(err, want);
    free(want);
    free(err);
    free(path);
    cp_store_close(st);
    cp_state_free(read);
    cp_state_free(other);
    cp_state_free(s);
}

static void test_list_and_delete(void **state)
{
    fixture *fx = *state;
    const char *branches[] = { "main", "feature-x", "a.b_c" };
    char *err = NULL;
    cp_branch_info *list;
    size_t n;
    assert_int_equal(cp_backend_list(fx->b, &list, &n, &err), 0); /* no directory yet */
    assert_int_equal(n, 0);
    for (size_t i = 0; i < 3; i++) {
        cp_state *s = cp_state_new("web", branches[i]);
        assert_int_equal(store_save(fx, branches[i], s, &err), 0);
        cp_state_free(s);
    }
    assert_int_equal(cp_backend_list(fx->b, &list, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].name, "a.b_c");
    assert_string_equal(list[1].name, "feature-x");
    assert_string_equal(list[2].name, "main");
    assert_true(list[2].size > 100 && list[2].modified > 1700000000);
    cp_branch_info_free(list, n);
    assert_int_equal(cp_backend_delete(fx->b, "feature-x", &err), 0);
    assert_int_equal(cp_backend_list(fx->b, &list, &n, &err), 0);
    assert_int_equal(n, 2);
    cp_branch_info_free(list, n);
    char *bak = state_file(fx, "feature-x", ".backup");
    assert_int_equal(access(bak, F_OK), 0); /* recoverable */
    free(bak);
    assert_int_equal(cp_backend_delete(fx->b, "feature-x", &err), -1);
    char *want = cp_xasprintf("branch feature-x has no state in %s; nothing to delete", fx->sdir);
    assert_string_equal(err, want);
    free(want);
    free(err);
}

static void test_bad_branch_names(void **state)
{
    fixture *fx = *state;
    const char *bad[] = { "../evil", "", ".hidden", "a/b", "sp ace" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cp_store *st = cp_store_open(fx->b, bad[i]);
        cp_state *s = NULL;
        char *err = NULL;
        assert_int_equal(cp_store_read(st, &s, &err), -1);
        char *want = cp_xasprintf("branch name \"%s\" cannot name a local state file: use 1-200 "
                                  "letters, digits, '-', '_' or '.', not starting with '.'",
                                  bad[i]);
        assert_string_equal(err, want);
        free(want);
        free(err);
        cp_store_close(st);
    }
}

static void test_path_mode(void **state)
{
    fixture *fx = *state;
    char *path = cp_xasprintf("%s/custom.cpstate", fx->dir), *err = NULL;
    cp_local_options o = { .path = path };
    cp_backend *b;
    assert_int_equal(cp_backend_local_open(&o, &b, &err), 0);
    cp_store *st = cp_store_open(b, "whatever");
    cp_state *s = th_sample_state();
    assert_int_equal(cp_store_write(st, s, &err), 0);
    cp_store_close(st);
    th_assert_schema_file(path);
    cp_branch_info *list;
    size_t n;
    assert_int_equal(cp_backend_list(b, &list, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "custom");
    cp_branch_info_free(list, n);
    char *where = cp_backend_describe(b, "x");
    assert_string_equal(where, path);
    free(where);
    cp_backend_close(b);
    cp_local_options none = { 0 };
    assert_int_equal(cp_backend_local_open(&none, &b, &err), -1);
    assert_non_null(strstr(err, "set exactly one of"));
    free(err);
    cp_state_free(s);
    free(path);
}

/* --- the codec hook, as state encryption will use it ------------------------ */
static int xor_encode(void *ctx, const char *in, size_t len, cp_buf *out, char **err)
{
    unsigned char key = *(unsigned char *)ctx;
    cp_buf_adds(out, "XOR1");
    for (size_t i = 0; i < len; i++) cp_buf_addc(out, (char)(in[i] ^ key));
    (void)err;
    return 0;
}

static int xor_decode(void *ctx, const char *in, size_t len, cp_buf *out, char **err)
{
    unsigned char key = *(unsigned char *)ctx;
    if (len < 4 || memcmp(in, "XOR1", 4) != 0) {
        *err = cp_xstrdup("state is not encrypted with this codec");
        return -1;
    }
    for (size_t i = 4; i < len; i++) cp_buf_addc(out, (char)(in[i] ^ key));
    if (len > 4 && (unsigned char)(in[4] ^ key) != '{') {
        *err = cp_xstrdup("wrong state encryption key: the state cannot be decrypted");
        return -1;
    }
    return 0;
}

static void set_xor(cp_backend *b, unsigned char k)
{
    unsigned char *key = cp_xmalloc(1);
    *key = k;
    cp_state_codec c = { xor_encode, xor_decode, free, key };
    cp_backend_set_codec(b, &c);
}

static void test_codec(void **state)
{
    fixture *fx = *state;
    set_xor(fx->b, 0x5A);
    cp_state *s = th_sample_state();
    char *err = NULL, *path = state_file(fx, "main", "");
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    size_t len;
    char *raw = th_read_file(path, &len);
    assert_memory_equal(raw, "XOR1", 4);
    assert_null(strstr(raw + 4, "hunter2"));
    free(raw);
    cp_state *back = store_load(fx, "main");
    assert_int_equal(cp_state_count(back), cp_state_count(s));
    cp_state_free(back);
    set_xor(fx->b, 0x33); /* wrong key */
    cp_store *st = cp_store_open(fx->b, "main");
    assert_int_equal(cp_store_read(st, &back, &err), -1);
    assert_string_equal(err, "wrong state encryption key: the state cannot be decrypted");
    free(err);
    cp_store_close(st);
    cp_state_free(s);
    free(path);
}

/* --- group commit -------------------------------------------------------------- */
static cp_instance *counter_instance(const char *addr, int n)
{
    cp_instance *inst = cp_instance_new_str(addr, NULL);
    cp_value *a = cp_map_new();
    cp_map_set_take(a, "n", cp_number(n));
    cp_instance_set_attrs(inst, a);
    cp_release(a);
    return inst;
}

static void test_group_commit(void **state)
{
    fixture *fx = *state;
    enum { UPDATES = 2000 };
    cp_state *s = th_sample_state();
    cp_store *st = cp_store_open(fx->b, "main");
    char *err = NULL;
    uint64_t ticket = 0, first = 0;
    cp_store_attach(st, s);
    for (int i = 0; i < UPDATES; i++) {
        cp_store_state_lock(st);
        cp_state_put_take(s, counter_instance("local_file.f[0]", i));
        ticket = cp_store_changed(st);
        cp_store_state_unlock(st);
        if (i == 0) first = ticket;
    }
    assert_int_equal(cp_store_wait(st, ticket, &err), 0);
    assert_int_equal(cp_store_wait(st, first, &err), 0); /* old tickets are covered */
    assert_int_equal(cp_store_detach(st, &err), 0);
    uint64_t writes = cp_store_writes(st);
    print_message("group commit: %d changes, %llu writes\n", UPDATES, (unsigned long long)writes);
    assert_true(writes >= 1 && writes < UPDATES);
    assert_int_equal(fx->fault.renames, (int)writes);
    assert_int_equal(cp_state_serial(s), (int64_t)writes); /* serial++ per write */
    cp_store_close(st);
    char *path = state_file(fx, "main", "");
    assert_int_equal(serial_of_file(path), (int64_t)writes);
    th_assert_schema_file(path);
    cp_state *back = store_load(fx, "main");
    const cp_instance *f = cp_state_find_str(back, "local_file.f[0]");
    assert_int_equal((int)cp_number_val(cp_map_get(cp_instance_attrs(f), "n")), UPDATES - 1);
    cp_state_free(back);
    cp_state_free(s);
    free(path);
}

/* The create_before_destroy pattern through group commit: depose + intent
 * in one durable change, then the new object, then the old one forgotten.
 * What the background writer writes keeps the deposed object each time. */
static void test_group_commit_deposed(void **state)
{
    fixture *fx = *state;
    cp_state *s = th_sample_state();
    cp_store *st = cp_store_open(fx->b, "main");
    char *err = NULL, key[9];
    cp_addr a;
    assert_true(cp_addr_parse("aws_subnet.private[0]", &a, NULL));
    cp_store_attach(st, s);
    cp_store_state_lock(st);
    assert_true(cp_state_depose(s, &a, key));
    cp_instance *intent = counter_instance("aws_subnet.private[0]", 1);
    cp_instance_set_status(intent, CP_STATUS_PENDING_CREATE);
    cp_state_put_take(s, intent);
    uint64_t t = cp_store_changed(st);
    cp_store_state_unlock(st);
    assert_int_equal(cp_store_wait(st, t, &err), 0);
    cp_state *mid = store_load(fx, "main"); /* durable: both tracked */
    assert_int_equal(cp_instance_status(cp_state_find(mid, &a)), CP_STATUS_PENDING_CREATE);
    const cp_instance *old = cp_state_find_deposed(mid, &a, key);
    assert_non_null(old);
    assert_string_equal(cp_string_val(cp_map_get(cp_instance_attrs(old), "id")), "subnet-0");
    cp_state_free(mid);
    char *path = state_file(fx, "main", "");
    th_assert_schema_file(path);
    cp_store_state_lock(st);
    cp_state_put_take(s, counter_instance("aws_subnet.private[0]", 2));
    t = cp_store_changed(st);
    cp_store_state_unlock(st);
    assert_int_equal(cp_store_wait(st, t, &err), 0);
    mid = store_load(fx, "main"); /* new object: old still deposed */
    assert_non_null(cp_state_find_deposed(mid, &a, key));
    cp_state_free(mid);
    cp_store_state_lock(st);
    assert_true(cp_state_remove_deposed(s, &a, key));
    cp_store_changed(st);
    cp_store_state_unlock(st);
    assert_int_equal(cp_store_detach(st, &err), 0);
    cp_store_close(st);
    cp_state *back = store_load(fx, "main");
    assert_int_equal(cp_state_deposed_count(back), 0);
    assert_int_equal(
        (int)cp_number_val(cp_map_get(cp_instance_attrs(cp_state_find(back, &a)), "n")), 2);
    cp_state_free(back);
    cp_state_free(s);
    cp_addr_clear(&a);
    free(path);
}

/* Parallel workers, each making its change durable before going on (the
 * pending_create pattern): all changes land, in far fewer writes. */
typedef struct worker {
    cp_store *st;
    cp_state *s;
    int id, n, failures;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < w->n; i++) {
        char addr[64], *err = NULL;
        snprintf(addr, sizeof addr, "local_file.w%d[%d]", w->id, i);
        cp_store_state_lock(w->st);
        cp_state_put_take(w->s, counter_instance(addr, i));
        uint64_t t = cp_store_changed(w->st);
        cp_store_state_unlock(w->st);
        if (cp_store_wait(w->st, t, &err) != 0) {
            w->failures++;
            free(err);
        }
    }
    return NULL;
}

static void test_group_commit_parallel_waiters(void **state)
{
    fixture *fx = *state;
    enum { W = 8, EACH = 150 };
    cp_state *s = cp_state_new("web", "main");
    cp_store *st = cp_store_open(fx->b, "main");
    pthread_t th[W];
    worker w[W];
    cp_store_attach(st, s);
    for (int i = 0; i < W; i++) {
        w[i] = (worker){ st, s, i, EACH, 0 };
        pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    for (int i = 0; i < W; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    char *err = NULL;
    assert_int_equal(cp_store_detach(st, &err), 0);
    print_message("parallel: %d durable changes, %llu writes\n", W * EACH,
                  (unsigned long long)cp_store_writes(st));
    assert_true(cp_store_writes(st) <= W * EACH);
    cp_store_close(st);
    cp_state *back = store_load(fx, "main");
    assert_int_equal(cp_state_count(back), W * EACH);
    cp_state_free(back);
    cp_state_free(s);
}

static void put_counter(cp_store *st, cp_state *s, const char *fmt, int i)
{
    char addr[64];
    snprintf(addr, sizeof addr, fmt, i);
    cp_store_state_lock(st);
    cp_state_put_take(s, counter_instance(addr, i));
    cp_store_changed(st);
    cp_store_state_unlock(st);
}

static uint64_t writes_within(cp_store *st, uint64_t want, int ms)
{
    for (int i = 0; i < ms && cp_store_writes(st) < want; i++) usleep(1000);
    return cp_store_writes(st);
}

/* Changes nobody waits for are written once the lag is over, all in one
 * write; a waited change takes the unwaited ones along at once. */
static void test_group_commit_lag(void **state)
{
    fixture *fx = *state;
    cp_state *s = cp_state_new("web", "main");
    cp_store *st = cp_store_open(fx->b, "main");
    char *err = NULL;
    cp_store_set_lag_ms(st, 60000);
    cp_store_attach(st, s);
    for (int i = 0; i < 100; i++) put_counter(st, s, "local_file.lazy[%d]", i);
    usleep(30000);
    assert_int_equal(cp_store_writes(st), 0); /* within the lag: not written yet */
    cp_store_set_lag_ms(st, 20);
    assert_int_equal(writes_within(st, 1, 5000), 1); /* the lag is over: one write */
    cp_state *back = store_load(fx, "main");
    assert_int_equal(cp_state_count(back), 100);
    cp_state_free(back);
    cp_store_set_lag_ms(st, 60000);
    for (int i = 0; i < 50; i++) put_counter(st, s, "local_file.more[%d]", i);
    cp_store_state_lock(st);
    cp_state_put_take(s, counter_instance("local_file.waited", 0));
    uint64_t t = cp_store_changed(st);
    cp_store_state_unlock(st);
    assert_int_equal(cp_store_wait(st, t, &err), 0);
    assert_int_equal(cp_store_writes(st), 2);
    back = store_load(fx, "main");
    assert_int_equal(cp_state_count(back), 151); /* the 50 unwaited rode along */
    cp_state_free(back);
    put_counter(st, s, "local_file.last[%d]", 0);
    assert_int_equal(cp_store_detach(st, &err), 0); /* detach writes the rest at once */
    assert_int_equal(cp_store_writes(st), 3);
    cp_store_close(st);
    back = store_load(fx, "main");
    assert_int_equal(cp_state_count(back), 152);
    cp_state_free(back);
    cp_state_free(s);
}

typedef struct waiter {
    cp_store *st;
    cp_state *s;
    int rc;
} waiter;

static void *waiter_main(void *arg)
{
    waiter *w = arg;
    char *err = NULL;
    cp_store_state_lock(w->st);
    cp_state_put_take(w->s, counter_instance("local_file.first", 1));
    uint64_t t = cp_store_changed(w->st);
    cp_store_state_unlock(w->st);
    w->rc = cp_store_wait(w->st, t, &err);
    free(err);
    return NULL;
}

static long long mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* A waited change does not go out while a hold is open (up to the cap):
 * the change announced by the hold shares its write. */
static void test_group_commit_hold(void **state)
{
    fixture *fx = *state;
    cp_state *s = cp_state_new("web", "main");
    cp_store *st = cp_store_open(fx->b, "main");
    char *err = NULL;
    cp_store_attach(st, s);
    cp_store_hold(st);
    long long t0 = mono_us();
    waiter w = { st, s, -1 };
    pthread_t th;
    pthread_create(&th, NULL, waiter_main, &w);
    usleep(3000);
    uint64_t before = cp_store_writes(st);
    bool in_time = mono_us() - t0 < 15000; /* the hold's cap is 20 ms */
    put_counter(st, s, "local_file.second[%d]", 2);
    cp_store_unhold(st);
    pthread_join(th, NULL);
    assert_int_equal(w.rc, 0);
    if (in_time) {
        assert_int_equal(before, 0);
        assert_int_equal(cp_store_writes(st), 1);
        cp_state *back = store_load(fx, "main");
        assert_int_equal(cp_state_count(back), 2); /* both in the one write */
        cp_state_free(back);
    } else {
        print_message("hold: too slow to judge (loaded machine)\n");
    }
    assert_int_equal(cp_store_detach(st, &err), 0);
    cp_store_close(st);
    cp_state_free(s);
}

static void test_wait_under_state_lock_aborts(void **state)
{
    fixture *fx = *state;
    cp_state *s = cp_state_new("web", "main");
    cp_store *st = cp_store_open(fx->b, "main");
    char *err = NULL;
    cp_store_attach(st, s);
    cp_store_state_lock(st);
    uint64_t t = cp_store_changed(st);
    cp_store_state_unlock(st);
    assert_int_equal(cp_store_wait(st, t, &err), 0); /* writer idle: safe to fork */
    pid_t pid = fork();
    if (pid == 0) {
        fclose(stderr);
        cp_store_state_lock(st);
        cp_store_wait(st, t + 1, &err);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    cp_store_close(st);
    cp_state_free(s);
}

static void test_group_commit_failure(void **state)
{
    fixture *fx = *state;
    cp_state *s = th_sample_state();
    cp_store *st = cp_store_open(fx->b, "main");
    char *err = NULL;
    fx->fault = (fault_plan){ "fsync", EIO, 0 };
    cp_store_attach(st, s);
    cp_store_state_lock(st);
    uint64_t ticket = cp_store_changed(st);
    cp_store_state_unlock(st);
    assert_int_equal(cp_store_wait(st, ticket, &err), -1);
    assert_non_null(
        strstr(err, "(fsync failed: Input/output error); the previous state is unchanged"));
    free(err);
    fx->fault = (fault_plan){ 0 };
    cp_store_state_lock(st);
    cp_state_set_output(s, "again", cp_null(), false);
    ticket = cp_store_changed(st);
    cp_store_state_unlock(st);
    assert_int_equal(cp_store_wait(st, ticket, &err), 0); /* recovers once the disk does */
    assert_int_equal(cp_store_write(st, s, &err), 0);     /* sync write while attached */
    assert_int_equal(cp_store_detach(st, &err), 0);
    cp_store_close(st);
    cp_state_free(s);
}

static void test_corrupt_file_through_store(void **state)
{
    fixture *fx = *state;
    char *err = NULL, *path = state_file(fx, "main", "");
    cp_state *s = th_sample_state();
    assert_int_equal(store_save(fx, "main", s, &err), 0);
    th_write_file(path, "{\"format_version\": 1, \"serial\": 2,");
    cp_store *st = cp_store_open(fx->b, "main");
    cp_state *back = NULL;
    assert_int_equal(cp_store_read(st, &back, &err), -1);
    char *want = cp_xasprintf("state file %s is not valid JSON: string or '}' expected near end "
                              "of file at line 1, column 34 (byte 34); restore the previous "
                              "version from its backup",
                              path);
    assert_string_equal(err, want);
    free(want);
    free(err);
    cp_store_close(st);
    cp_state_free(s);
    unlink(path); /* corrupt on purpose: not for the schema check */
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_and_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_sync_failure_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conditional_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lineage_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_branch_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_codec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_deposed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_parallel_waiters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_lag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_hold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_under_state_lock_aborts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_file_through_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
