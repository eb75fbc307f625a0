/*
 * cmd_console.c: `cpstack console` — evaluate expressions against the
 * stack's configuration and its state, as Terraform's console does.
 *
 * Each line of stdin (or each -e EXPR) is parsed as one expression and
 * evaluated as an output would be after the last apply (var., local.,
 * stack., resource attributes from state, data sources in state, the
 * built-in functions); the value is printed the way `terraform console`
 * prints it: strings quoted, lists and maps over several lines, sensitive
 * values as (sensitive value), values known only after apply as
 * (known after apply). A line that fails prints "Error: CAUSE" on stderr
 * and the console goes on with the next; the exit code is 1 if any failed.
 * The state lock is not taken: the console only reads.
 */
#include "apply/apply.h"
#include "cli/commands.h"
#include "cli/engine_cmd.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: cpstack console [flags] [DIR]\n\n"
    "Evaluate expressions against the stack in DIR and its state: one expression per\n"
    "line of stdin (var.x, local.y, aws_s3_bucket.b.arn, functions …); each value is\n"
    "printed as Terraform's console prints it. Errors are one line each; the console\n"
    "goes on, and exits 1 at the end if any expression failed.\n\n"
    "  -e EXPR              evaluate EXPR instead of reading stdin (repeatable)\n"
    "  -var k=v, -var-file FILE   variable values\n"
    "  -branch NAME         the deployment whose state to read\n"
    "  -region REGION       AWS region (default: the stack's, then AWS_REGION)\n";

static void indent(cp_buf *b, int n)
{
    for (int i = 0; i < n; i++) cp_buf_addc(b, ' ');
}

/* Terraform's console form of v. */
static void format_value(cp_buf *b, const cp_value *v, int depth)
{
    if (cp_is_sensitive(v)) {
        cp_buf_adds(b, "(sensitive value)");
        return;
    }
    cp_kind k = cp_kind_of(v);
    if (cp_is_unknown(v) || (k != CP_LIST && k != CP_MAP) || cp_len(v) == 0) {
        if (k == CP_LIST && !cp_is_unknown(v))
            cp_buf_adds(b, "[]");
        else if (k == CP_MAP && !cp_is_unknown(v))
            cp_buf_adds(b, "{}");
        else
            cp_value_render(b, v, false);
        return;
    }
    cp_buf_adds(b, k == CP_LIST ? "[\n" : "{\n");
    size_t width = 0;
    for (size_t i = 0; k == CP_MAP && i < cp_len(v); i++) {
        cp_buf key = { 0 };
        cp_value *s = cp_string(cp_map_key_at(v, i));
        cp_value_render(&key, s, true);
        cp_release(s);
        if (key.len > width) width = key.len;
        cp_buf_free(&key);
    }
    for (size_t i = 0; i < cp_len(v); i++) {
        indent(b, 2 * (depth + 1));
        if (k == CP_MAP) {
            size_t start = b->len;
            cp_value *s = cp_string(cp_map_key_at(v, i));
            cp_value_render(b, s, true);
            cp_release(s);
            indent(b, (int)(width - (b->len - start)));
            cp_buf_adds(b, " = ");
        }
        format_value(b, k == CP_LIST ? cp_list_get(v, i) : cp_map_value_at(v, i), depth + 1);
        cp_buf_adds(b, k == CP_LIST ? ",\n" : "\n");
    }
    indent(b, 2 * depth);
    cp_buf_adds(b, k == CP_LIST ? "]" : "}");
}

static void print_errors(const cp_diags *d)
{
    bool any = false;
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].severity == CP_DIAG_ERROR) {
            fprintf(stderr, "Error: %s\n", d->items[i].msg);
            any = true;
        }
    if (!any) fprintf(stderr, "Error: the expression could not be evaluated\n");
}

/* Evaluate one line; 0, or -1 after printing the error. */
static int eval_line(cp_session *s, const cp_apply_opts *o, const char *text, size_t n)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_arena *arena = cp_arena_new();
    uint32_t id = cp_sources_add(&s->config->sources, "<console>", text, n);
    cp_expr *e = cp_parse_expression(&s->config->sources, id, arena, &d);
    cp_value *v = e && !cp_diags_has_errors(&d) ? cp_apply_eval_expr(o, s->state, e, &d) : NULL;
    int rc = v && !cp_diags_has_errors(&d) ? 0 : -1;
    if (rc == 0) {
        cp_buf b;
        cp_buf_init(&b);
        format_value(&b, v, 0);
        printf("%s\n", b.data);
        fflush(stdout);
        cp_buf_free(&b);
    } else {
        print_errors(&d);
    }
    cp_release(v);
    cp_arena_free(arena);
    cp_diags_free(&d);
    return rc;
}

static bool blank(const char *line) { return line[strspn(line, " \t\r\n")] == '\0'; }

static int read_lines(cp_session *s, const cp_apply_opts *o)
{
    int rc = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool tty = isatty(0);
    for (;;) {
        if (tty) {
            fputs("> ", stdout);
            fflush(stdout);
        }
        if ((n = getline(&line, &cap, stdin)) < 0) break;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (blank(line)) continue;
        if (!strcmp(line, "exit")) break;
        if (eval_line(s, o, line, (size_t)n) != 0) rc = 1;
    }
    free(line);
    return rc;
}

static int run_console(cp_session *s, const cp_strlist *exprs)
{
    cp_apply_opts o = cp_engine_apply_opts(s);
    if (!exprs->len) return read_lines(s, &o);
    int rc = 0;
    for (size_t i = 0; i < exprs->len; i++)
        if (eval_line(s, &o, exprs->items[i], strlen(exprs->items[i])) != 0) rc = 1;
    return rc;
}

int cmd_console(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    cp_engine_flags f;
    cp_engine_flags_init(&f);
    cp_strlist pos = { 0 }, exprs = { 0 };
    const cp_flag flags[] = {
        { "e", CP_FLAG_MULTI, &exprs },
        { "var", CP_FLAG_MULTI, &f.vars },
        { "var-file", CP_FLAG_MULTI, &f.var_files },
        { "chdir", CP_FLAG_STRING, &f.dir },
        { "branch", CP_FLAG_STRING, &f.branch },
        { "region", CP_FLAG_STRING, &f.region },
        { "no-color", CP_FLAG_BOOL, &f.no_color },
        { NULL, 0, NULL },
    };
    cp_session s;
    memset(&s, 0, sizeof s);
    int rc = 1;
    if (cp_parse_flags(argc, argv, flags, &pos) != 0) goto out;
    if (pos.len > 1) {
        fprintf(stderr, "cpstack console: give at most one DIR\n");
        goto out;
    }
    if (pos.len) f.dir = pos.items[0];
    f.lock = false; /* the console only reads */
    if (cp_engine_open(cli, &s, &f, "console") != 0) goto out;
    rc = run_console(&s, &exprs);
out:
    cp_session_close(&s);
    cp_strlist_free(&pos);
    cp_strlist_free(&exprs);
    cp_engine_flags_free(&f);
    return rc;
}
