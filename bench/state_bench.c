/*
 * state_bench.c: how fast state is at 10,000 resources.
 *
 *   state_bench [DIR]            (default: a fresh directory under /tmp)
 *
 * Builds a state of 10,000 instances with 15 attributes each (strings,
 * numbers, a bool, a tags map, a list, a sensitive password), then prints:
 * a cold save (every instance encoded), a warm save after one resource
 * changed (what apply does after each resource; cached encodings reused),
 * a load, the peak RSS of a process that only loads, and an apply-like run
 * of 10,000 updates through the group-commit writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/local.h"
#include "backend/store.h"
#include "util/xalloc.h"

#define N 10000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (user + system): steadier than wall time on
 * a busy machine. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static cp_value *attrs_for(int i, int gen)
{
    cp_value *a = cp_map_new(), *tags = cp_map_new(), *sgs = cp_list_new(), *pw;
    cp_map_set_take(tags, "Name", cp_stringf("web-%d", i));
    cp_map_set_take(tags, "Team", cp_string("platform"));
    cp_map_set_take(tags, "Env", cp_string("production"));
    cp_list_push_take(sgs, cp_stringf("sg-%08x", i * 7919));
    cp_list_push_take(sgs, cp_stringf("sg-%08x", i * 104729));
    pw = cp_stringf("pw-%d-%d-correct-horse-battery-staple", i, gen);
    cp_map_set_take(a, "id", cp_stringf("i-%017x", i));
    cp_map_set_take(a, "arn", cp_stringf("arn:aws:ec2:eu-west-1:123456789012:instance/i-%017x", i));
    cp_map_set_take(a, "ami", cp_string("ami-0abcdef1234567890"));
    cp_map_set_take(a, "instance_type", cp_string("t3.nano"));
    cp_map_set_take(a, "availability_zone", cp_string("eu-west-1a"));
    cp_map_set_take(a, "private_ip", cp_stringf("10.0.%d.%d", (i / 250) % 250, i % 250));
    cp_map_set_take(a, "public_dns", cp_stringf("ec2-%d.eu-west-1.compute.amazonaws.com", i));
    cp_map_set_take(a, "monitoring", cp_bool(i % 2));
    cp_map_set_take(a, "cpu_core_count", cp_number(2));
    cp_map_set_take(a, "root_volume_size", cp_number(8 + i % 100));
    cp_map_set_take(a, "user_data_hash", cp_stringf("%064x", i));
    cp_map_set_take(a, "tags", tags);
    cp_map_set_take(a, "vpc_security_group_ids", sgs);
    cp_map_set_take(a, "password", cp_mark_sensitive(pw));
    cp_map_set_take(a, "generation", cp_number(gen));
    cp_release(pw);
    return a;
}

static void put(cp_state *s, int i, int gen)
{
    char addr[64];
    snprintf(addr, sizeof addr, "aws_instance.web[%d]", i);
    cp_instance *inst = cp_instance_new_str(addr, NULL);
    cp_value *a = attrs_for(i, gen);
    cp_instance_set_attrs(inst, a);
    cp_release(a);
    if (i) cp_instance_add_dep_str(inst, "aws_security_group.web", NULL);
    cp_state_put_take(s, inst);
}

static void must(int rc, char *err)
{
    if (rc == 0) return;
    fprintf(stderr, "state_bench: %s\n", err);
    exit(1);
}

/* Child mode: only load, so its peak RSS is the load's. */
static int load_only(const char *dir)
{
    cp_local_options o = { .dir = dir };
    cp_backend *b;
    char *err = NULL;
    must(cp_backend_local_open(&o, &b, &err), err);
    cp_store *st = cp_store_open(b, "main");
    cp_state *s = NULL;
    double t = now(), c = cpu();
    must(cp_store_read(st, &s, &err), err);
    printf("load (read + parse + marks):   %8.1f ms  (cpu %6.1f ms)  %zu resources\n",
           (now() - t) * 1e3, (cpu() - c) * 1e3, cp_state_count(s));
    printf("peak RSS of a load-only run:   %8.1f MB\n", peak_rss_kb() / 1024.0);
    cp_state_free(s);
    cp_store_close(st);
    cp_backend_close(b);
    return 0;
}

static void run_load_child(const char *self, const char *dir)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl(self, self, "--load-only", dir, (char *)NULL);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
}

/* 10,000 resource updates, each announced to the group-commit writer the
 * way apply does after every resource, then wait until all are durable. */
static void apply_like(cp_store *st, cp_state *s)
{
    char *err = NULL;
    uint64_t ticket = 0, writes0 = cp_store_writes(st);
    double t = now(), c = cpu();
    cp_store_attach(st, s);
    for (int i = 0; i < N; i++) {
        cp_store_state_lock(st);
        put(s, i, 2);
        ticket = cp_store_changed(st);
        cp_store_state_unlock(st);
    }
    double queued = now() - t;
    must(cp_store_wait(st, ticket, &err), err);
    must(cp_store_detach(st, &err), err);
    printf("apply-like: %d updates via group commit: %.1f ms to make them, %.1f ms until all "
           "durable, %llu writes (cpu %.1f ms)\n",
           N, queued * 1e3, (now() - t) * 1e3, (unsigned long long)(cp_store_writes(st) - writes0),
           (cpu() - c) * 1e3);
}

static void save_figures(cp_store *st, cp_state *s, const char *path)
{
    char *err = NULL;
    double t = now(), c = cpu();
    must(cp_store_write(st, s, &err), err);
    printf("save, cold (all encoded):      %8.1f ms  (cpu %6.1f ms)\n", (now() - t) * 1e3,
           (cpu() - c) * 1e3);
    struct stat sb;
    stat(path, &sb);
    printf("file size:                     %8.1f MB\n", sb.st_size / 1048576.0);
    enum { WARM = 20 };
    t = now();
    c = cpu();
    for (int k = 0; k < WARM; k++) {
        put(s, k * 37, 1); /* one resource changed */
        must(cp_store_write(st, s, &err), err);
    }
    printf("save, warm (1 resource changed): %6.1f ms  (cpu %6.1f ms) per save, mean of %d\n",
           (now() - t) * 1e3 / WARM, (cpu() - c) * 1e3 / WARM, WARM);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--load-only") == 0) return load_only(argv[2]);
    char *dir = argc > 1 ? cp_xstrdup(argv[1]) : cp_xstrdup("/tmp/cpstate-bench-XXXXXX");
    if (argc == 1 && !mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char *path = cp_xasprintf("%s/main.cpstate", dir), *err = NULL;
    double t = now();
    cp_state *s = cp_state_new("bench", "main");
    for (int i = 0; i < N; i++) put(s, i, 0);
    printf("build %d resources x 15 attrs: %8.1f ms\n", N, (now() - t) * 1e3);
    cp_local_options o = { .dir = dir };
    cp_backend *b;
    must(cp_backend_local_open(&o, &b, &err), err);
    cp_store *st = cp_store_open(b, "main");
    unlink(path);
    save_figures(st, s, path);
    run_load_child(argv[0], dir);
    apply_like(st, s);
    printf("peak RSS of this process:      %8.1f MB\n", peak_rss_kb() / 1024.0);
    cp_store_close(st);
    cp_backend_close(b);
    cp_state_free(s);
    if (argc == 1) {
        char *bak = cp_xasprintf("%s.backup", path);
        unlink(bak);
        unlink(path);
        rmdir(dir);
        free(bak);
    }
    free(path);
    free(dir);
    return 0;
}
