/*
 * engine_cmd.c: the plan/apply/destroy flow shared by those commands (see
 * engine_cmd.h).
 *
 * Ctrl-C, SIGTERM (CI cancellation, timeout) and SIGHUP (a closed
 * terminal) are one thing: the handler only counts them into a
 * volatile sig_atomic_t (the one piece of process-wide mutable state, as a
 * signal handler requires); the engine reads it through the stop (>= 1:
 * start nothing new, cut waits short) and cancel (>= 2: abandon calls in
 * flight) pointers. State is saved and the lock released either way.
 * The pointers are const volatile sig_atomic_t * all the way down (graph
 * walk, plan, apply, provider calls); only the handler writes the flags,
 * worker threads only read them, whole-word loads that see either value.
 */
#include "cli/engine_cmd.h"
#include "apply/apply.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/ui_json.h"
#include "plan/render.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_interrupts; /* signals received, set by on_signal only */
static volatile sig_atomic_t g_cancel;

static void on_signal(int sig)
{
    g_interrupts++;
    if (g_interrupts >= 2) g_cancel = 1;
    static const char m1[] =
        "\nInterrupt received: no new operations will start; "
        "waiting for the ones in flight (press Ctrl-C again to abandon them)\n";
    static const char t1[] = "\nTermination signal received: no new operations will start; "
                             "waiting for the ones in flight, without waiting for new objects "
                             "to be ready (signal again to abandon them)\n";
    static const char m2[] =
        "\nSecond interrupt: abandoning operations in flight; state will be saved\n";
    ssize_t w = g_interrupts >= 2 ? write(2, m2, sizeof m2 - 1)
                : sig == SIGINT   ? write(2, m1, sizeof m1 - 1)
                                  : write(2, t1, sizeof t1 - 1);
    (void)w;
}

/* Catch SIGINT, SIGTERM and SIGHUP from the moment a session may take the
 * lock until the process ends, so that a signal never leaves it behind. */
static void catch_signals(void)
{
    static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++) sigaction(sigs[i], &sa, NULL);
}

void cp_engine_flags_init(cp_engine_flags *f)
{
    memset(f, 0, sizeof *f);
    f->parallelism = 10;
    f->refresh = true;
    f->lock = true;
}

void cp_engine_flags_free(cp_engine_flags *f)
{
    cp_strlist_free(&f->vars);
    cp_strlist_free(&f->var_files);
    cp_strlist_free(&f->targets);
    cp_strlist_free(&f->replace);
    for (size_t i = 0; i < f->nowned; i++) free(f->owned[i]);
    free(f->owned);
}

int cp_engine_parse(int argc, char **argv, cp_engine_flags *f, cp_strlist *pos, bool apply_flags)
{
    const cp_flag flags[] = {
        { "var", CP_FLAG_MULTI, &f->vars },
        { "var-file", CP_FLAG_MULTI, &f->var_files },
        { "target", CP_FLAG_MULTI, &f->targets },
        { "replace", CP_FLAG_MULTI, &f->replace },
        { "lock-timeout", CP_FLAG_STRING, &f->lock_timeout },
        { "lock", CP_FLAG_BOOL, &f->lock },
        { "parallelism", CP_FLAG_INT, &f->parallelism },
        { "refresh", CP_FLAG_BOOL, &f->refresh },
        { "no-color", CP_FLAG_BOOL, &f->no_color },
        { "chdir", CP_FLAG_STRING, &f->dir },
        { "branch", CP_FLAG_STRING, &f->branch },
        { "region", CP_FLAG_STRING, &f->region },
        { "destroy", CP_FLAG_BOOL, &f->destroy },
        { "refresh-only", CP_FLAG_BOOL, &f->refresh_only },
        { apply_flags ? "auto-approve" : "out", apply_flags ? CP_FLAG_BOOL : CP_FLAG_STRING,
          apply_flags ? (void *)&f->auto_approve : (void *)&f->out },
        { "json", CP_FLAG_BOOL, &f->json },
        { "detailed-exitcode", CP_FLAG_BOOL, &f->detailed },
        { NULL, 0, NULL },
    };
    return cp_parse_flags(argc, argv, flags, pos);
}

int cp_engine_open(const cp_cli *cli, cp_session *s, const cp_engine_flags *f,
                   const char *operation)
{
    cp_session_opts o = {
        .cli = cli,
        .dir = f->dir,
        .branch = f->branch,
        .region = f->region,
        .vars = &f->vars,
        .var_files = &f->var_files,
        .lock_timeout = f->lock_timeout,
        .operation = operation,
        .lock = f->lock,
        .no_color = f->no_color,
    };
    catch_signals();
    return cp_session_open(s, &o);
}

static int default_args(const cp_engine_cmd *cmd, cp_engine_flags *f, const cp_strlist *pos)
{
    (void)cmd;
    if (pos->len > 0) f->dir = pos->items[0];
    return 0;
}

int cp_engine_main(const cp_cli *cli, int argc, char **argv, const cp_engine_cmd *cmd)
{
    catch_signals(); /* from the start: a signal before the session still stops cleanly */
    if (cp_wants_help(argc, argv, cmd->usage)) return 0;
    cp_engine_flags f;
    cp_engine_flags_init(&f);
    cp_strlist pos = { 0 };
    cp_session s;
    memset(&s, 0, sizeof s); /* closing a session never opened is a no-op */
    int (*args)(const cp_engine_cmd *, cp_engine_flags *, const cp_strlist *) =
        cmd->args ? cmd->args : default_args;
    int rc = 1;
    bool parsed = cp_engine_parse(argc, argv, &f, &pos, cmd->apply_flags) == 0;
    if (parsed && f.json && !cmd->json_document) cp_ui_json_version();
    if (parsed && args(cmd, &f, &pos) == 0 &&
        (!cmd->operation || cp_engine_open(cli, &s, &f, cmd->operation) == 0))
        rc = cmd->run(cli, &s, &f, &pos);
    cp_session_close(&s);
    cp_strlist_free(&pos);
    cp_engine_flags_free(&f);
    return rc;
}

void cp_engine_error(const cp_engine_flags *f, const char *msg)
{
    if (f->json)
        cp_ui_json_error(msg);
    else
        fprintf(stderr, "cpstack: %s\n", msg);
}

/* Terraform's rule: without configuration files a plan would destroy
 * everything, so only a destroy plan may go on. */
static int check_config_files(const cp_session *s, const cp_engine_flags *f)
{
    if (f->destroy || s->config->nfiles > 0) return 0;
    char *msg = cp_xasprintf("no configuration files (.cp) in %s: planning without them would "
                             "destroy everything the stack manages; add the stack's .cp files "
                             "there, or run cpstack destroy to destroy everything",
                             f->dir ? f->dir : ".");
    cp_engine_error(f, msg);
    free(msg);
    return -1;
}

int cp_engine_plan(cp_session *s, const cp_engine_flags *f, cp_plan **plan, cp_state **refreshed)
{
    *plan = NULL;
    *refreshed = NULL;
    if (check_config_files(s, f) != 0) return -1;
    if (f->refresh_only && (f->destroy || !f->refresh || f->replace.len)) {
        cp_engine_error(f, "-refresh-only cannot be combined with -destroy, -refresh=false or "
                           "-replace; drop one of them");
        return -1;
    }
    cp_plan_opts o = {
        .config = s->config,
        .types = &s->types,
        .variables = s->variables,
        .stack_name = s->config->stack_name ? s->config->stack_name : "stack",
        .branch = s->branch,
        .region = s->region,
        .refresh = f->refresh,
        .destroy = f->destroy,
        .refresh_only = f->refresh_only,
        .targets = f->targets.items,
        .ntargets = f->targets.len,
        .replace = f->replace.items,
        .nreplace = f->replace.len,
        .parallelism = f->parallelism,
        .client = cp_session_client,
        .client_ud = s,
        .cancel = &g_interrupts, /* a refresh only reads: the first signal ends it */
        .progress = f->json || f->quiet ? NULL : stdout,
        .observer = f->json && !f->quiet ? &cp_ui_json_observer : NULL,
    };
    cp_diags d;
    cp_diags_init(&d);
    int rc = cp_plan_make(&o, s->state, plan, refreshed, &d);
    if (d.len && f->json)
        cp_ui_json_diags(&d, &s->config->sources);
    else if (d.len)
        cp_diags_print(&d, &s->config->sources, stderr, s->color);
    cp_diags_free(&d);
    if (rc == 0) cp_plan_sort(*plan);
    return rc;
}

bool cp_cli_stdout_color(bool no_color_flag) { return cp_cli_color(stdout, no_color_flag); }

void cp_engine_render(const cp_plan *p, bool json, bool color)
{
    if (json) {
        cp_ui_json_plan(p, true);
        return;
    }
    cp_buf b;
    cp_buf_init(&b);
    cp_render_plan(&b, p, color);
    fputs(b.data, stdout);
    cp_buf_free(&b);
}

/* Re-plan for a saved plan file and check it still holds. */
int cp_engine_saved_plan(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const char *path,
                         const char *command, cp_plan **p, cp_state **refreshed)
{
    cp_plan *saved = NULL;
    char *lineage = NULL, *err = NULL;
    long long serial = 0;
    if (cp_plan_file_load(path, f, &saved, &lineage, &serial, &err) != 0) {
        fprintf(stderr, "cpstack %s: %s\n", command, err);
        free(err);
        return -1;
    }
    int rc = -1;
    const char *op = strcmp(command, "apply") ? command : f->destroy ? "destroy" : "apply";
    if (cp_engine_open(cli, s, f, op) != 0) goto out;
    /* A state never written (serial 0) gets a new lineage at every load:
     * only its serial tells whether someone wrote one since the plan. */
    bool moved_on = serial != cp_state_serial(s->state) ||
                    (serial != 0 && strcmp(lineage, cp_state_lineage(s->state)) != 0);
    if (moved_on) {
        fprintf(stderr,
                "cpstack %s: the saved plan %s is stale: the state changed since it was made "
                "(serial %lld, now %lld); run cpstack plan again\n",
                command, path, serial, (long long)cp_state_serial(s->state));
        goto out;
    }
    if (cp_engine_plan(s, f, p, refreshed) != 0) goto out;
    char *why = cp_plan_file_compare(saved, *p);
    if (why) {
        fprintf(stderr,
                "cpstack %s: the saved plan %s no longer matches the stack or what exists (%s); "
                "run cpstack plan again\n",
                command, path, why);
        free(why);
        goto out;
    }
    rc = 0;
out:
    cp_plan_free(saved);
    free(lineage);
    return rc;
}

bool cp_engine_approve(const char *question, const char *detail)
{
    printf("\n%s\n  %s\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", question,
           detail);
    fflush(stdout);
    char line[64] = "";
    if (!fgets(line, sizeof line, stdin)) return false;
    line[strcspn(line, "\r\n")] = '\0';
    printf("\n");
    return strcmp(line, "yes") == 0;
}

static void print_outputs(const cp_state *st)
{
    size_t n = cp_state_output_count(st);
    if (!n) return;
    printf("\nOutputs:\n\n");
    for (size_t i = 0; i < n; i++) {
        cp_buf b;
        cp_buf_init(&b);
        if (cp_state_output_sensitive(st, i))
            cp_buf_adds(&b, "<sensitive>");
        else
            cp_value_render(&b, cp_state_output_value(st, i), false);
        printf("%s = %s\n", cp_state_output_name(st, i), b.data);
        cp_buf_free(&b);
    }
}

static void print_failures(const cp_apply_result *r, bool color, bool json)
{
    for (size_t i = 0; i < r->nerrors && json; i++) cp_ui_json_error(r->errors[i]);
    for (size_t i = 0; i < r->nerrors && !json; i++)
        fprintf(stderr, "%sError:%s %s\n", color ? "\033[31m" : "", color ? "\033[0m" : "",
                r->errors[i]);
    if (r->interrupted)
        fprintf(stderr,
                "Apply was interrupted: %zu operation(s) did not start; state records everything "
                "that finished (objects marked pending_create may be half-made and are checked "
                "on the next run)\n",
                r->not_run);
}

/* check blocks against the new state: warnings only (cp_apply_checks). */
static void print_checks(const cp_apply_opts *o, cp_session *s, bool json)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_apply_checks(o, s->state, &d);
    if (d.len && json)
        cp_ui_json_diags(&d, &s->config->sources);
    else if (d.len)
        cp_diags_print(&d, &s->config->sources, stderr, s->color);
    cp_diags_free(&d);
}

static void summary(const cp_apply_result *r, bool destroy, bool ok, size_t imported)
{
    if (destroy && ok)
        printf("\nDestroy complete! Resources: %zu destroyed.\n", r->destroyed);
    else if (ok && imported)
        printf("\nApply complete! Resources: %zu imported, %zu added, %zu changed, %zu "
               "destroyed.\n",
               imported, r->added, r->changed, r->destroyed);
    else if (ok)
        printf("\nApply complete! Resources: %zu added, %zu changed, %zu destroyed.\n", r->added,
               r->changed, r->destroyed);
    else
        printf("\nApply failed after: %zu added, %zu changed, %zu destroyed.\n", r->added,
               r->changed, r->destroyed);
}

cp_apply_opts cp_engine_apply_opts(const cp_session *s)
{
    return (cp_apply_opts){
        .config = s->config,
        .variables = s->variables,
        .stack_name = s->config->stack_name ? s->config->stack_name : "stack",
        .branch = s->branch,
        .region = s->region,
    };
}

int cp_engine_apply_take(cp_session *s, const cp_engine_flags *f, const cp_plan *plan,
                         cp_state *refreshed)
{
    cp_state_free(s->state);
    s->state = refreshed;
    cp_apply_opts o = cp_engine_apply_opts(s);
    o.parallelism = f->parallelism;
    o.client = cp_session_client;
    o.client_ud = s;
    o.stop = &g_interrupts;
    o.cancel = &g_cancel;
    o.store = s->store;
    o.out = f->json ? NULL : stdout;
    o.observer = f->json ? &cp_ui_json_observer : NULL;
    cp_apply_result r;
    int rc = cp_apply_run(&o, plan, s->state, &r);
    cp_diags d;
    cp_diags_init(&d);
    bool targeted_destroy = plan->destroy && f->targets.len > 0; /* outputs stay as they are */
    if (!targeted_destroy && (rc == 0 || !plan->destroy))
        cp_apply_outputs(&o, s->state, plan->destroy && rc == 0, &d);
    cp_diags_free(&d);
    if (rc == 0 && !plan->destroy) print_checks(&o, s, f->json);
    int saved = cp_session_save(s);
    print_failures(&r, s->color, f->json);
    if (f->json && rc == 0 && saved == 0)
        cp_ui_json_apply_summary(r.added, r.changed, r.destroyed, plan->destroy);
    else if (!f->json)
        summary(&r, plan->destroy, rc == 0 && saved == 0, cp_plan_count(plan).import);
    if (rc == 0 && !plan->destroy && f->json)
        cp_ui_json_outputs(s->state);
    else if (rc == 0 && !plan->destroy)
        print_outputs(s->state);
    cp_apply_result_free(&r);
    return rc == 0 && saved == 0 ? 0 : 1;
}
