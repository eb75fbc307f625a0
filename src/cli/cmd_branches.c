/*
 * cmd_branches.c: `cpstack branches [DIR]` — the deployments of a stack that
 * have state in its backend (local or S3), with how many resources each
 * manages and when its state was last written.
 */
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/stack_session.h"
#include "backend/codec_encrypt.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "Usage: cpstack branches [flags] [DIR]\n\n"
    "Lists the branches (deployments) of the stack in DIR that have state, with\n"
    "their resource counts and last write time. The current one is marked *.\n\n"
    "  -no-color   no colour in error output\n";

/* True when branch's state is encrypted and no passphrase was given. */
static bool locked_away(cp_backend *b, const char *branch)
{
    if (b->codec.decode) return false;
    cp_buf data = { 0 };
    bool found = false;
    char token[CP_TOKEN_MAX], *err = NULL;
    bool enc = b->ops->read(b, branch, &data, &found, token, &err) == 0 && found &&
               cp_state_is_encrypted(data.data, data.len);
    free(err);
    cp_buf_free(&data);
    return enc;
}

/* Resource count of one branch's state, or -1 when it cannot be read. */
static long count_resources(cp_backend *b, const char *branch)
{
    cp_buf data = { 0 };
    bool found = false;
    char token[CP_TOKEN_MAX], *err = NULL;
    long n = -1;
    if (cp_backend_read(b, branch, &data, &found, token, &err) == 0 && found) {
        cp_state *st = cp_state_parse(data.data, data.len, branch, &err);
        if (st) n = (long)cp_state_count(st);
        cp_state_free(st);
    }
    free(err);
    cp_buf_free(&data);
    return n;
}

static void print_branch(cp_session *s, const cp_branch_info *bi)
{
    char when[32] = "-";
    time_t t = (time_t)bi->modified;
    struct tm tm;
    if (t > 0 && gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", &tm);
    long n = count_resources(s->backend, bi->name);
    char count[32];
    if (n < 0)
        snprintf(count, sizeof count,
                 locked_away(s->backend, bi->name) ? "encrypted" : "unreadable");
    else
        snprintf(count, sizeof count, "%ld resource%s", n, n == 1 ? "" : "s");
    printf("%c %-32s %-16s last written %s\n", strcmp(bi->name, s->branch) ? ' ' : '*', bi->name,
           count, when);
}

int cmd_branches(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    bool no_color = false;
    cp_flag flags[] = { { "no-color", CP_FLAG_BOOL, &no_color }, { NULL, 0, NULL } };
    cp_strlist pos = { 0 };
    if (cp_parse_flags(argc, argv, flags, &pos) < 0) return 1;
    cp_session s;
    cp_session_opts o = { .dir = pos.len ? pos.items[0] : NULL,
                          .no_variables = true,
                          .any_owner = true,
                          .no_color = no_color,
                          .cli = cli };
    int rc = 1;
    if (cp_session_open(&s, &o) == 0) {
        cp_branch_info *list = NULL;
        size_t n = 0;
        char *err = NULL;
        if (cp_backend_list(s.backend, &list, &n, &err) != 0) {
            fprintf(stderr, "cpstack branches: %s\n", err);
            free(err);
        } else {
            if (n == 0) printf("No branch of this stack has state yet.\n");
            for (size_t i = 0; i < n; i++) print_branch(&s, &list[i]);
            cp_branch_info_free(list, n);
            rc = 0;
        }
    }
    cp_session_close(&s);
    cp_strlist_free(&pos);
    return rc;
}
