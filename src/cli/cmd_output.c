/*
 * cmd_output.c: `cpstack output [NAME] [-json] [-raw]` — the outputs
 * recorded in state by the last apply, as Terraform prints them: the list
 * shows sensitive outputs as <sensitive>; an output asked for by name, -raw
 * and -json show the value in clear (the user asked for it); -json gives
 * {"NAME": {"sensitive", "type", "value"}} (ui_json.h: cp_ui_output_json).
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"
#include "cli/ui_json.h"
#include "plan/render.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "Usage: cpstack output [flags] [NAME]\n\n"
                            "Show the stack's outputs (sensitive ones as <sensitive>; asked\n"
                            "for by NAME, with -json or -raw, values are shown in clear).\n\n"
                            "  -json   as JSON: {\"NAME\": {\"sensitive\", \"type\", \"value\"}},\n"
                            "          or NAME's value alone\n"
                            "  -raw    NAME's value as plain text (a string, number or bool)\n"
                            "  -branch NAME   the deployment whose outputs to show\n";

static void print_one(const char *name, const cp_value *v, bool sens, bool all)
{
    cp_buf b;
    cp_buf_init(&b);
    if (sens && all)
        cp_buf_adds(&b, "<sensitive>");
    else
        cp_value_render(&b, v, true); /* asked for by name: shown, as Terraform does */
    if (all)
        printf("%s = %s\n", name, b.data);
    else
        printf("%s\n", b.data);
    cp_buf_free(&b);
}

/* -raw: strings as they are, numbers and bools as text; nothing else. */
static int print_raw(const char *name, const cp_value *v)
{
    cp_kind k = cp_kind_of(v);
    if (k == CP_STRING) {
        fputs(cp_string_val(v), stdout);
        return 0;
    }
    if (k != CP_NUMBER && k != CP_BOOL) {
        fprintf(stderr,
                "cpstack output: -raw prints only strings, numbers and bools, and output \"%s\" is "
                "%s; use -json for it\n",
                name,
                cp_is_null(v)  ? "null"
                : k == CP_LIST ? "a list"
                               : "a map");
        return 1;
    }
    cp_buf b = { 0 };
    cp_value_render(&b, v, true);
    fputs(b.data ? b.data : "", stdout);
    cp_buf_free(&b);
    return 0;
}

static void print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_ENCODE_ANY);
    printf("\n");
    json_decref(j);
}

static int show(const cp_state *st, const char *name, bool json, bool raw)
{
    bool sens = false;
    const cp_value *v = name ? cp_state_output(st, name, &sens) : NULL;
    if (name && !v) {
        fprintf(
            stderr,
            "cpstack output: no output \"%s\" in state; run cpstack apply first or check the name\n",
            name);
        return 1;
    }
    if (name && raw) return print_raw(name, v);
    if (json && name) {
        json_t *j = cp_ui_output_json(v, sens, true);
        json_t *val = json_incref(json_object_get(j, "value"));
        json_decref(j);
        print_json(val);
        return 0;
    }
    if (json) {
        json_t *j = json_object();
        for (size_t i = 0; i < cp_state_output_count(st); i++)
            json_object_set_new(j, cp_state_output_name(st, i),
                                cp_ui_output_json(cp_state_output_value(st, i),
                                                  cp_state_output_sensitive(st, i), true));
        print_json(j);
        return 0;
    }
    if (name) {
        print_one(name, v, sens, false);
        return 0;
    }
    if (!cp_state_output_count(st))
        fprintf(stderr, "cpstack output: the state has no outputs; declare output blocks and run "
                        "cpstack apply\n");
    for (size_t i = 0; i < cp_state_output_count(st); i++)
        print_one(cp_state_output_name(st, i), cp_state_output_value(st, i),
                  cp_state_output_sensitive(st, i), true);
    return 0;
}

int cmd_output(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    bool json = false, raw = false, no_color = false;
    const char *dir = NULL, *branch = NULL;
    cp_strlist pos = { 0 };
    const cp_flag flags[] = {
        { "json", CP_FLAG_BOOL, &json },         { "raw", CP_FLAG_BOOL, &raw },
        { "no-color", CP_FLAG_BOOL, &no_color }, { "chdir", CP_FLAG_STRING, &dir },
        { "branch", CP_FLAG_STRING, &branch },   { NULL, 0, NULL },
    };
    int rc = 1;
    cp_session s;
    memset(&s, 0, sizeof s);
    if (cp_parse_flags(argc, argv, flags, &pos) != 0) goto out;
    if (raw && pos.len != 1) {
        fprintf(stderr, "cpstack output: -raw needs the NAME of one output\n");
        goto out;
    }
    cp_session_opts o = {
        .cli = cli, .dir = dir, .branch = branch, .no_variables = true, .no_color = no_color
    };
    if (cp_session_open(&s, &o) != 0) goto out;
    rc = show(s.state, pos.len ? pos.items[0] : NULL, json, raw);
out:
    if (s.config || s.store) cp_session_close(&s);
    cp_strlist_free(&pos);
    return rc;
}
