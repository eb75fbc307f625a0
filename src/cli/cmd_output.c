/*
 * cmd_output.c: `cpstack output [NAME] [-json] [-raw]` — the outputs
 * recorded in state by the last apply. Sensitive outputs are shown as
 * <sensitive> (null in -json) unless asked for by name with -raw.
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"
#include "plan/render.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "Usage: cpstack output [flags] [NAME]\n\n"
                            "Show the stack's outputs.\n\n"
                            "  -json   as JSON\n"
                            "  -raw    NAME's value as plain text (strings without quotes)\n"
                            "  -branch NAME   the deployment whose outputs to show\n";

static void print_one(const char *name, const cp_value *v, bool sens, bool all)
{
    cp_buf b;
    cp_buf_init(&b);
    if (sens)
        cp_buf_adds(&b, "<sensitive>");
    else
        cp_value_render(&b, v, false);
    if (all)
        printf("%s = %s\n", name, b.data);
    else
        printf("%s\n", b.data);
    cp_buf_free(&b);
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
    if (name && raw) {
        if (cp_kind_of(v) == CP_STRING)
            printf("%s\n", cp_string_val(v));
        else {
            cp_buf b = { 0 };
            cp_value_render(&b, v, true);
            printf("%s\n", b.data ? b.data : "");
            cp_buf_free(&b);
        }
        return 0;
    }
    if (json) {
        json_t *j = json_object();
        for (size_t i = 0; i < cp_state_output_count(st); i++) {
            const char *n = cp_state_output_name(st, i);
            if (name && strcmp(n, name)) continue;
            bool s = cp_state_output_sensitive(st, i);
            json_object_set_new(
                j, n,
                json_pack("{s:o,s:b}", "value",
                          s ? json_null() : cp_render_value_json(cp_state_output_value(st, i)),
                          "sensitive", s));
        }
        json_dumpf(name ? json_object_get(json_object_get(j, name), "value") : j, stdout,
                   JSON_SORT_KEYS | JSON_INDENT(2) | JSON_ENCODE_ANY);
        printf("\n");
        json_decref(j);
        return 0;
    }
    if (name) {
        print_one(name, v, sens, false);
        return 0;
    }
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
