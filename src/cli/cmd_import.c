/*
 * cmd_import.c: `cpstack import ADDR ID` — adopt an existing object into
 * state through its provider's import function. The stack should declare
 * ADDR so the next plan manages it.
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "Usage: cpstack import [flags] ADDR ID\n\n"
                            "Adopt the existing object ID as ADDR in state.\n\n"
                            "  -var k=v, -var-file FILE, -lock-timeout 30s\n";

static int do_import(cp_session *s, const char *addr_text, const char *id)
{
    cp_addr a;
    char *err = NULL;
    if (!cp_addr_parse(addr_text, &a, &err)) {
        fprintf(stderr, "cpstack import: %s\n", err);
        free(err);
        return 1;
    }
    int rc = 1;
    const cp_provider *prov = NULL;
    const cp_resource_type *rt =
        a.mode == CP_MODE_MANAGED ? cp_plan_type_of(&s->types, &a, &prov) : NULL;
    if (!rt)
        fprintf(
            stderr,
            "cpstack import: %s is not a managed resource type cpstack knows; see cpstack schema\n",
            a.type);
    else if (!rt->import)
        fprintf(stderr,
                "cpstack import: %s cannot be imported; create it with cpstack apply instead\n",
                a.type);
    else if (cp_state_find(s->state, &a))
        fprintf(stderr,
                "cpstack import: %s is already in state; remove it with cpstack state rm first\n",
                addr_text);
    else {
        cp_provider_call call = { .address = addr_text };
        char *at = cp_addr_config_str(&a);
        const cp_config_resource *r = cp_config_find_resource_at(s->config, at);
        free(at);
        const char *instance = r ? r->provider : NULL;
        call.client = cp_session_client(s, prov, instance, &err);
        cp_value *st = NULL;
        if (!call.client) {
            fprintf(stderr, "cpstack import: %s\n", err);
            free(err);
        } else if (rt->import(&call, id, &st) != 0) {
            fprintf(stderr, "cpstack import: %s: %s\n", addr_text,
                    call.error ? call.error : "import failed");
            free(call.error);
        } else {
            cp_instance *inst = cp_instance_new(&a);
            cp_value *m = cp_schema_mark_sensitive(rt->attrs, st, NULL);
            cp_instance_set_attrs(inst, m);
            cp_release(m);
            cp_instance_set_provider(inst, instance);
            cp_state_put_take(s->state, inst);
            rc = cp_session_save(s) == 0 ? 0 : 1;
            if (rc == 0) printf("%s: Import complete [id=%s]\n", addr_text, id);
        }
        cp_release(st);
    }
    cp_addr_clear(&a);
    return rc;
}

static int import_args(const cp_engine_cmd *cmd, cp_engine_flags *f, const cp_strlist *pos)
{
    (void)cmd;
    (void)f;
    if (pos->len == 2) return 0;
    fprintf(stderr,
            "cpstack import: give ADDR and ID, e.g. cpstack import aws_s3_bucket.logs my-bucket\n");
    return -1;
}

static int run_import(const cp_cli *cli, cp_session *s, cp_engine_flags *f, const cp_strlist *pos)
{
    (void)cli;
    (void)f;
    return do_import(s, pos->items[0], pos->items[1]);
}

int cmd_import(const cp_cli *cli, int argc, char **argv)
{
    static const cp_engine_cmd cmd = {
        .usage = usage,
        .apply_flags = true,
        .operation = "import",
        .args = import_args,
        .run = run_import,
    };
    return cp_engine_main(cli, argc, argv, &cmd);
}
