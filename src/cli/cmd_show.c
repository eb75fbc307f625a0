/*
 * cmd_show.c: `cpstack show [PLANFILE | DIR]` — the whole state, or a
 * saved plan, for people or (-json) as one document in the shape of
 * Terraform's `show -json`.
 *
 * A plan file holds no values (plan_file.c), so showing one makes the plan
 * again from its saved flags against the current state and refuses, as
 * `apply PLANFILE` does, when the state moved on or the changes differ.
 * The state is shown without taking the lock; sensitive values appear as
 * "(sensitive value)", and as null marked in sensitive_values in -json.
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"
#include "plan/render.h"

#include <stdio.h>
#include <sys/stat.h>

static const char usage[] =
    "Usage: cpstack show [flags] [PLANFILE | DIR]\n\n"
    "Show the whole state of the stack in DIR (default: current directory), or the\n"
    "plan saved with `cpstack plan -out PLANFILE` (made again from its saved flags;\n"
    "refused when the state or the stack changed since).\n\n"
    "  -json                one JSON document: format_version and values.root_module\n"
    "                       (state), or resource_changes, resource_drift,\n"
    "                       output_changes, planned_values and prior_state (plan);\n"
    "                       sensitive values are null, marked in sensitive_values\n"
    "                       (unlike Terraform: read them with cpstack output -json)\n"
    "  -branch NAME         the deployment (default: CPSTACK_BRANCH, CI variables, git branch)\n"
    "  -no-color            no ANSI colour\n";

static void print_json_take(json_t *j)
{
    json_dumpf(j, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(j);
}

static void show_outputs(cp_buf *b, const cp_state *st)
{
    size_t n = cp_state_output_count(st);
    if (!n) return;
    cp_buf_adds(b, "\nOutputs:\n\n");
    for (size_t i = 0; i < n; i++) {
        cp_buf_printf(b, "%s = ", cp_state_output_name(st, i));
        if (cp_state_output_sensitive(st, i))
            cp_buf_adds(b, "(sensitive value)");
        else
            cp_value_render(b, cp_state_output_value(st, i), false);
        cp_buf_addc(b, '\n');
    }
}

static int show_state(const cp_session *s, const cp_engine_flags *f)
{
    if (f->json) {
        print_json_take(cp_state_render_json(s->state));
        return 0;
    }
    if (!cp_state_count(s->state) && !cp_state_output_count(s->state)) {
        printf("No state: branch %s of the stack has no objects and no outputs yet.\n", s->branch);
        return 0;
    }
    bool color = cp_cli_stdout_color(f->no_color);
    cp_buf b;
    cp_buf_init(&b);
    for (size_t i = 0; i < cp_state_count(s->state); i++) {
        const cp_instance *inst = cp_state_at(s->state, i);
        const cp_addr *a = cp_instance_addr(inst);
        if (i) cp_buf_addc(&b, '\n');
        cp_render_object(&b, cp_instance_addr_str(inst), a, cp_plan_type_of(&s->types, a, NULL),
                         cp_instance_attrs(inst), color);
    }
    show_outputs(&b, s->state);
    fputs(b.data ? b.data : "", stdout);
    cp_buf_free(&b);
    return 0;
}

static int show_plan(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const char *path)
{
    bool json = f->json;
    f->json = false; /* the re-plan's errors as text on stderr, */
    f->quiet = json; /* its progress only without -json */
    cp_plan *p = NULL;
    cp_state *refreshed = NULL;
    int rc = cp_engine_saved_plan(cli, s, f, path, "show", &p, &refreshed);
    if (rc == 0) {
        if (json)
            print_json_take(cp_plan_render_json(p, refreshed));
        else
            cp_engine_render(p, false, cp_cli_stdout_color(f->no_color));
    }
    cp_plan_free(p);
    cp_state_free(refreshed);
    return rc == 0 ? 0 : 1;
}

/* [PLANFILE | DIR]: a directory is the stack, anything else a plan file. */
static int show_args(const cp_engine_cmd *cmd, cp_engine_flags *f, const cp_strlist *pos)
{
    (void)cmd;
    struct stat st;
    if (pos->len > 1) {
        fprintf(stderr, "cpstack show: give at most one PLANFILE or DIR\n");
        return -1;
    }
    if (pos->len == 1 && stat(pos->items[0], &st) == 0 && S_ISDIR(st.st_mode))
        f->dir = pos->items[0];
    else if (pos->len == 1 && stat(pos->items[0], &st) != 0) {
        fprintf(stderr, "cpstack show: no plan file or directory %s; check the path\n",
                pos->items[0]);
        return -1;
    }
    return 0;
}

static int run_show(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const cp_strlist *pos)
{
    if (pos->len == 1 && f->dir != pos->items[0]) return show_plan(cli, s, f, pos->items[0]);
    f->lock = false; /* reading state only */
    if (cp_engine_open(cli, s, f, "show") != 0) return 1;
    return show_state(s, f);
}

int cmd_show(const cp_cli *cli, int argc, char **argv)
{
    static const cp_engine_cmd cmd = {
        .usage = usage,
        .json_document = true,
        .args = show_args,
        .run = run_show,
    };
    return cp_engine_main(cli, argc, argv, &cmd);
}
