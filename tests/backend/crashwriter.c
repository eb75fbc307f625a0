/*
 * crashwriter.c: the victim of the crash test (test_crash.c). It changes
 * one live state generation after generation and persists it as fast as it
 * can, the way apply persists after every resource, until it is killed
 * with SIGKILL.
 *
 *   crashwriter DIR LINEAGE sync|async|lock
 *
 * It continues from the generation (output "gen") found in DIR/main.cpstate.
 * The content of generation g is th_crash_state(LINEAGE, g), so the test
 * can rebuild any version and compare it byte for byte with what it finds
 * after a kill. "sync" writes after each generation with cp_store_write;
 * "async" attaches the state to the store's group-commit writer thread.
 * "lock" takes and releases the branch's lock, again and again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "backend/local.h"
#include "backend/store.h"

static int fail(const char *what, char *err)
{
    fprintf(stderr, "crashwriter: %s: %s\n", what, err ? err : "?");
    free(err);
    return 1;
}

/* Make live's content that of generation gen (its serial is left alone). */
static void become(cp_state *live, const char *lineage, int64_t gen)
{
    cp_state *next = th_crash_state(lineage, gen);
    while (cp_state_count(live) > cp_state_count(next)) {
        cp_addr a;
        cp_addr_copy(&a, cp_instance_addr(cp_state_at(live, cp_state_count(live) - 1)));
        cp_state_remove(live, &a);
        cp_addr_clear(&a);
    }
    for (size_t i = 0; i < cp_state_count(next); i++)
        cp_state_put_take(live, cp_instance_retain(cp_state_at(next, i)));
    cp_state_set_output(live, "gen", cp_state_output(next, "gen", NULL), false);
    cp_state_free(next);
}

static int write_loop(cp_store *st, cp_state *live, const char *lineage, int64_t gen, bool async)
{
    char *err = NULL;
    if (async) cp_store_attach(st, live);
    for (;;) {
        if (async) cp_store_state_lock(st);
        become(live, lineage, ++gen);
        if (async) {
            cp_store_changed(st);
            cp_store_state_unlock(st);
        } else if (cp_store_write(st, live, &err) != 0) {
            return fail("write", err);
        }
    }
}

static int lock_loop(cp_store *st)
{
    char *err = NULL;
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        if (cp_store_lock(st, "apply", 0, &err) != 0) return fail("lock", err);
        if (cp_store_unlock(st, &err) != 0) return fail("unlock", err);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: crashwriter DIR LINEAGE sync|async|lock\n");
        return 2;
    }
    cp_local_options o = { .dir = argv[1] };
    cp_backend *b = NULL;
    char *err = NULL;
    if (cp_backend_local_open(&o, &b, &err) != 0) return fail("open", err);
    cp_store *st = cp_store_open(b, "main");
    if (strcmp(argv[3], "lock") == 0) return lock_loop(st);
    cp_state *live = NULL;
    if (cp_store_read(st, &live, &err) != 0) return fail("read", err);
    int64_t gen = live ? (int64_t)cp_number_val(cp_state_output(live, "gen", NULL)) : 0;
    if (!live) {
        live = cp_state_new("crash", "main");
        cp_state_set_lineage(live, argv[2]);
    }
    printf("ready\n");
    fflush(stdout);
    return write_loop(st, live, argv[2], gen, strcmp(argv[3], "async") == 0);
}
