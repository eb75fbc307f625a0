/*
 * cmd_migrate.c: `cpstack migrate terraform SRC [DEST]` — a Terraform root
 * module and its state turned into a cpstack stack and its state.
 *
 * The configuration is converted by src/migrate (on the AST, re-printed by
 * the formatter). The state: each managed object of the tfstate whose type
 * cpstack has is read through its provider (the read that plan's refresh
 * makes), starting from the tfstate's attributes that the type's schema
 * knows, so that the state holds what cpstack itself would have recorded and
 * the first plan shows no change. -offline skips the reads (the attributes
 * are kept as Terraform wrote them; the first plan refreshes them). Objects
 * of other types, gone objects and failed reads are listed, not imported.
 * Nothing under SRC is written; DEST must be new or empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/stack_session.h"
#include "migrate/migrate.h"
#include "plan/plan.h"
#include "state/state.h"
#include "util/xalloc.h"

static const char usage[] =
    "Usage: cpstack migrate terraform [flags] SRC [DEST]\n\n"
    "Convert the Terraform root module in SRC (.tf files, terraform.tfvars and\n"
    "*.auto.tfvars, local modules) into a cpstack stack in DEST (default SRC-cpstack;\n"
    "it must be new or empty), and its state (SRC/terraform.tfstate, format 4) into\n"
    "DEST's state, each object read through its provider. What cannot be converted\n"
    "is listed by file:line with the reason, printed and written to DEST/MIGRATION.md.\n"
    "SRC is never modified. See docs/migrate.md.\n\n"
    "  -state FILE      the Terraform state to import (default SRC/terraform.tfstate)\n"
    "  -name NAME       the stack's name (default: SRC's folder name)\n"
    "  -branch NAME     the branch whose state is written (default: detected)\n"
    "  -offline         do not read objects from AWS; keep Terraform's attributes\n"
    "  -var k=v, -var-file FILE   values for variables the stack needs to load\n";

typedef struct mig_flags {
    const char *state, *name, *branch;
    bool offline;
    cp_strlist vars, var_files, pos;
} mig_flags;

static char *entry_where(const char *state_path, const cp_tfstate_entry *e)
{
    char *addr = cp_addr_str(&e->addr);
    char *w = cp_xasprintf("%s: %s", state_path, addr);
    free(addr);
    return w;
}

/* The attributes cpstack keeps for e: read through the provider unless
 * offline. 0 with *out, or -1 after listing why not. */
static int object_attrs(cp_session *s, const cp_resource_type *rt, const cp_provider *prov,
                        const cp_tfstate_entry *e, const mig_flags *f, const char *where,
                        cp_migrate_report *r, cp_value **out)
{
    cp_value *attrs = cp_migrate_state_attrs(rt->attrs, e->attrs);
    char *id = cp_migrate_state_id(e->addr.type, e->attrs);
    if (id) cp_map_set_take(attrs, "id", cp_string_take(id));
    if (f->offline || !rt->read) {
        *out = attrs;
        return 0;
    }
    char *addr = cp_addr_str(&e->addr), *err = NULL;
    cp_provider_call call = { .address = addr };
    char *instance = cp_migrate_provider_instance(e->provider);
    call.client = cp_session_client(s, prov, instance, &err);
    free(instance);
    cp_value *read = NULL;
    int rc = -1;
    if (!call.client)
        cp_migrate_list(r, where, e->addr.type, "not imported: %s", err);
    else if (rt->read(&call, attrs, &read) != 0)
        cp_migrate_list(r, where, e->addr.type, "not imported: reading it failed: %s",
                        call.error ? call.error : "?");
    else if (!read)
        cp_migrate_list(r, where, e->addr.type,
                        "not imported: the object no longer exists (Terraform's state is stale)");
    else {
        *out = read;
        rc = 0;
    }
    free(call.error);
    free(err);
    free(addr);
    cp_release(attrs);
    return rc;
}

static void import_entry(cp_session *s, const cp_tfstate_entry *e, const mig_flags *f,
                         const char *state_path, cp_migrate_report *r)
{
    if (e->addr.mode == CP_MODE_DATA) { /* read again by every plan */
        r->state_data++;
        return;
    }
    char *where = entry_where(state_path, e);
    const cp_provider *prov = NULL;
    const cp_resource_type *rt = cp_plan_type_of(&s->types, &e->addr, &prov);
    cp_value *attrs = NULL;
    if (e->deposed) {
        cp_migrate_list(r, where, e->addr.type,
                        "not imported: a deposed object (key %s) left by a create_before_destroy "
                        "replacement; delete it in AWS or with Terraform",
                        e->deposed);
        r->state_listed++;
    } else if (!rt) {
        cp_migrate_list(r, where, e->addr.type,
                        "not imported: cpstack has no such resource type; the object stays "
                        "managed by Terraform only");
        r->state_listed++;
    } else if (object_attrs(s, rt, prov, e, f, where, r, &attrs) != 0)
        r->state_listed++;
    else {
        cp_instance *inst = cp_instance_new(&e->addr);
        char *instance = cp_migrate_provider_instance(e->provider);
        cp_instance_set_provider(inst, instance);
        free(instance);
        cp_value *m = cp_schema_mark_sensitive(rt->attrs, attrs, NULL);
        cp_instance_set_attrs(inst, m);
        cp_release(m);
        if (e->tainted) cp_instance_set_status(inst, CP_STATUS_TAINTED);
        for (size_t i = 0; i < e->ndeps; i++) cp_instance_add_dep_str(inst, e->deps[i], NULL);
        cp_state_put_take(s->state, inst);
        r->state_ok++;
    }
    cp_release(attrs);
    free(where);
}

static void import_outputs(cp_session *s, const cp_tfstate *t)
{
    for (size_t i = 0; i < cp_len(t->outputs); i++) {
        const char *name = cp_map_key_at(t->outputs, i);
        bool sensitive = cp_map_get(t->sensitive_outputs, name) != NULL;
        cp_value *v = sensitive ? cp_mark_sensitive(cp_map_value_at(t->outputs, i))
                                : cp_retain(cp_map_value_at(t->outputs, i));
        cp_state_set_output(s->state, name, v, sensitive);
        cp_release(v);
    }
}

static int import_state(const cp_cli *cli, const char *dest, const cp_tfstate *t,
                        const mig_flags *f, const char *state_path, cp_migrate_report *r)
{
    cp_session s;
    cp_session_opts so = { .cli = cli,
                           .dir = dest,
                           .branch = f->branch,
                           .vars = &f->vars,
                           .var_files = &f->var_files,
                           .operation = "migrate",
                           .lock = true };
    if (cp_session_open(&s, &so) != 0) {
        fprintf(stderr,
                "cpstack migrate: the converted stack in %s does not load (above); state "
                "not imported — fix the files, then run cpstack import for each object\n",
                dest);
        return 1;
    }
    int rc = 1;
    if (cp_state_count(s.state))
        fprintf(stderr, "cpstack migrate: %s already has state for branch %s; nothing imported\n",
                dest, s.branch);
    else {
        for (size_t i = 0; i < t->len; i++) import_entry(&s, &t->entries[i], f, state_path, r);
        import_outputs(&s, t);
        if (t->lineage) cp_state_set_lineage(s.state, t->lineage);
        rc = cp_session_save(&s) == 0 ? 0 : 1;
        if (rc == 0)
            fprintf(stderr,
                    "cpstack migrate: state written for branch \"%s\"; plan and apply it with "
                    "-branch %s (Terraform's default workspace is \"default\": names built from "
                    "terraform.workspace want -branch default)\n",
                    s.branch, s.branch);
    }
    cp_session_close(&s);
    return rc;
}

/* Without a state to import, the converted stack is still loaded once so
 * that what needs a hand fix shows now (0, or 1 after the errors). */
static int check_loads(const cp_cli *cli, const char *dest)
{
    cp_config *c = cp_cli_load_config(cli, dest, false);
    if (c) {
        cp_config_free(c);
        return 0;
    }
    fprintf(stderr,
            "cpstack migrate: the converted stack in %s does not load yet (above); fix "
            "it with MIGRATION.md's list, then run cpstack validate there\n",
            dest);
    return 1;
}

static int write_report(const cp_migrate_report *r, const char *src, const char *dest)
{
    cp_buf md;
    cp_buf_init(&md);
    cp_migrate_report_render(r, src, &md);
    fputs(md.data, stdout);
    char *path = cp_xasprintf("%s/MIGRATION.md", dest);
    FILE *fp = fopen(path, "w");
    int rc = fp && fwrite(md.data, 1, md.len, fp) == md.len ? 0 : -1;
    if (fp && fclose(fp) != 0) rc = -1;
    if (rc != 0) fprintf(stderr, "cpstack migrate: cannot write %s\n", path);
    free(path);
    cp_buf_free(&md);
    return rc;
}

static int run(const cp_cli *cli, mig_flags *f)
{
    char *src = cp_xstrdup(f->pos.items[1]);
    size_t n = strlen(src);
    while (n > 1 && src[n - 1] == '/') src[--n] = 0; /* "infra/" names infra-cpstack */
    char *dest = f->pos.len > 2 ? cp_xstrdup(f->pos.items[2]) : cp_xasprintf("%s-cpstack", src);
    char *state_path = f->state ? cp_xstrdup(f->state) : cp_xasprintf("%s/terraform.tfstate", src);
    struct stat st;
    bool have_state = f->state || stat(state_path, &st) == 0;
    cp_tfstate t = { 0 };
    char *err = NULL;
    int rc = 1;
    cp_migrate_report r;
    cp_migrate_report_init(&r);
    cp_schema_lookup types = cp_registry_schemas(cli->providers);
    cp_migrate_opts o = { .src = src, .dest = dest, .stack_name = f->name, .types = &types };
    if (have_state && cp_tfstate_load(state_path, &t, &err) != 0)
        fprintf(stderr, "cpstack migrate: %s\n", err);
    else if (cp_migrate_config(&o, &r, &err) != 0)
        fprintf(stderr, "cpstack migrate: %s\n", err);
    else {
        char *abs = realpath(dest, NULL); /* the session works from inside DEST */
        if (abs) {
            free(dest);
            dest = abs;
        }
        rc = have_state ? import_state(cli, dest, &t, f, state_path, &r) : check_loads(cli, dest);
        if (!have_state)
            cp_migrate_note(&r, state_path, "terraform.tfstate",
                            "none found: only the configuration was converted (give -state FILE)");
        if (write_report(&r, src, dest) != 0) rc = 1;
        if (rc == 0)
            printf("\nThe stack is in %s; run `cpstack plan` there (imported objects show no "
                   "change).\n",
                   dest);
    }
    free(err);
    cp_tfstate_free(&t);
    cp_migrate_report_free(&r);
    free(state_path);
    free(dest);
    free(src);
    return rc;
}

int cmd_migrate(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    mig_flags f = { 0 };
    const cp_flag flags[] = {
        { "state", CP_FLAG_STRING, &f.state },
        { "name", CP_FLAG_STRING, &f.name },
        { "branch", CP_FLAG_STRING, &f.branch },
        { "offline", CP_FLAG_BOOL, &f.offline },
        { "var", CP_FLAG_MULTI, &f.vars },
        { "var-file", CP_FLAG_MULTI, &f.var_files },
        { NULL, 0, NULL },
    };
    int rc = 1;
    if (cp_parse_flags(argc, argv, flags, &f.pos) != 0)
        ;
    else if (f.pos.len < 2 || f.pos.len > 3 || strcmp(f.pos.items[0], "terraform"))
        fprintf(stderr, "cpstack migrate: give `terraform SRC [DEST]`, e.g. cpstack migrate "
                        "terraform ./infra ./infra-cpstack\n");
    else
        rc = run(cli, &f);
    cp_strlist_free(&f.vars);
    cp_strlist_free(&f.var_files);
    cp_strlist_free(&f.pos);
    return rc;
}
