/*
 * tf_stack.c: the stack block, made of what the root's `terraform` block
 * (its backend) and default `provider "aws"` block (its region) say, and the
 * root variables' values from terraform.tfvars / *.auto.tfvars, which
 * Terraform loads by itself and cpstack does not: they become defaults.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/tf_blocks.h"
#include "util/xalloc.h"

static const char *const s3_keep[] = { "bucket", "key", "region", "encrypt", NULL };

static void backend(tf_file *f, const cp_block *be, tf_context *cx)
{
    const char *name = be->nlabels ? be->labels[0] : "";
    if (strcmp(name, "s3") && strcmp(name, "local")) {
        tf_list(f, be->loc, "terraform { backend … }",
                "cpstack keeps state locally or in S3; the \"%s\" backend is not converted (the "
                "stack uses the local backend)",
                name);
        return;
    }
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_printf(&b, "backend \"%s\" {\n", name);
    for (size_t i = 0; i < be->body->nattrs; i++) {
        const cp_attr *a = &be->body->attrs[i];
        if (!strcmp(name, "s3") && tf_in_list(a->name, s3_keep)) {
            char *t = tf_text(f, a->loc);
            cp_buf_printf(&b, "%s\n", t);
            free(t);
        } else {
            char *what = cp_xasprintf("backend \"%s\": %s", name, a->name ? a->name : "?");
            tf_list(f, a->loc, what, "%s",
                    !strcmp(name, "s3") ? "cpstack's S3 backend locks with an S3 object and "
                                          "takes bucket, key, region and encrypt only"
                                        : "cpstack's local backend keeps state under .cpstack/");
            free(what);
        }
    }
    cp_buf_adds(&b, "}\n");
    if (!strcmp(name, "local"))
        cp_buf_reset(&b); /* the default: nothing to say */
    else
        tf_note(f, be->loc, "backend \"s3\"",
                "became the stack block's backend; cpstack writes its own state objects there "
                "and never touches Terraform's");
    free(cx->backend);
    cx->backend = b.len ? cp_buf_steal(&b) : NULL;
    cp_buf_free(&b);
}

void tf_stack_terraform(tf_file *f, const cp_block *b, tf_context *cx)
{
    for (size_t i = 0; i < b->body->nattrs; i++) {
        const cp_attr *a = &b->body->attrs[i];
        char *what = cp_xasprintf("terraform { %s }", a->name);
        tf_list(f, a->loc, what,
                "Terraform-only: the cpstack binary is the one version of the tool and providers");
        free(what);
    }
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *n = b->body->blocks[i];
        if (!strcmp(n->type, "backend")) {
            backend(f, n, cx);
            continue;
        }
        char *what = cp_xasprintf("terraform { %s }", n->type);
        tf_list(f, n->loc, what, "%s",
                !strcmp(n->type, "required_providers")
                    ? "Terraform-only: cpstack's providers are built in; no versions to pin"
                : !strcmp(n->type, "cloud") ? "cpstack has no HCP Terraform / cloud backend"
                                            : "Terraform-only setting");
        free(what);
    }
    if (!cx->stack_file) {
        cx->stack_file = f;
        cx->stack_at = b->loc.offset;
    }
    tf_remove(f, b->loc);
}

void tf_stack_provider(tf_file *f, const cp_block *b, tf_context *cx)
{
    const cp_attr *region = cp_body_attr(b->body, "region");
    if (region) {
        free(cx->region);
        cx->region = tf_text(f, region->expr->loc);
    }
    /* assume_role or default_tags: the block stays (as the default instance) */
    bool keep = false;
    for (size_t i = 0; i < b->body->nblocks; i++)
        keep = keep || !strcmp(b->body->blocks[i]->type, "assume_role") ||
               !strcmp(b->body->blocks[i]->type, "default_tags");
    if (keep) {
        tf_keep_provider(f, b);
        tf_note(f, b->loc, "provider \"aws\"", "kept for its assume_role / default_tags%s",
                cx->region ? "; its region also "
                             "became the stack block's region"
                           : "");
        return;
    }
    for (size_t i = 0; i < b->body->nattrs; i++) {
        const cp_attr *a = &b->body->attrs[i];
        if (a == region) continue;
        char *what = cp_xasprintf("provider \"aws\": %s", a->name);
        tf_list(f, a->loc, what,
                "cpstack's AWS provider takes credentials and endpoints from the environment "
                "(AWS_PROFILE, AWS_ENDPOINT_URL …)");
        free(what);
    }
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *n = b->body->blocks[i];
        char *what = cp_xasprintf("provider \"aws\": %s { … }", n->type);
        tf_list(f, n->loc, what, "not a setting of cpstack's AWS provider");
        free(what);
    }
    if (cx->region)
        tf_note(f, b->loc, "provider \"aws\"", "its region became the stack block's region");
    tf_remove(f, b->loc);
}

char *tf_stack_block(const tf_context *cx, const char *name)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_add_quoted(&b, name, strlen(name), 0);
    char *quoted = cp_buf_steal(&b);
    cp_buf_printf(&b, "stack %s {\n", quoted);
    free(quoted);
    if (cx->region) cp_buf_printf(&b, "region = %s\n", cx->region);
    if (cx->backend) cp_buf_adds(&b, cx->backend);
    cp_buf_adds(&b, "}\n\n");
    return cp_buf_steal(&b);
}

/* --- tfvars --------------------------------------------------------------- */

static void load_one(tf_context *cx, const char *dir, const char *name, cp_migrate_report *r)
{
    char *path = cp_xasprintf("%s/%s", dir, name);
    tf_file f = { .rel = (char *)name, .report = r };
    cp_sources_init(&f.srcs);
    char *err = NULL;
    f.id = cp_sources_load(&f.srcs, path, &err);
    cp_diags d;
    cp_diags_init(&d);
    if (!f.id) {
        cp_migrate_list(r, name, name, "cannot be read: %s", err ? err : "?");
    } else {
        f.ast = cp_parse_source(&f.srcs, f.id, &d);
        if (cp_diags_has_errors(&d))
            cp_migrate_list(r, name, name,
                            "has syntax cpstack does not parse; pass it with -var-file");
        for (size_t i = 0; f.ast && i < f.ast->body->nattrs; i++) {
            const cp_attr *a = &f.ast->body->attrs[i];
            CP_GROW(cx->vars, cx->nvars + 1, cx->capvars);
            char *where = cp_xasprintf("%s:%u", name, a->loc.line);
            cx->vars[cx->nvars++] =
                (tf_tfvar){ cp_xstrdup(a->name), tf_text(&f, a->expr->loc), where, false };
        }
        for (size_t i = 0; f.ast && i < f.ast->body->nblocks; i++)
            tf_list(&f, f.ast->body->blocks[i]->loc, f.ast->body->blocks[i]->type,
                    "a block in a variables file");
    }
    cp_diags_free(&d);
    if (f.ast) cp_file_free(f.ast);
    cp_sources_free(&f.srcs);
    free(err);
    free(path);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int auto_tfvars(const struct dirent *e)
{
    size_t n = strlen(e->d_name), k = strlen(".auto.tfvars");
    return n > k && !strcmp(e->d_name + n - k, ".auto.tfvars");
}

void tf_load_tfvars(tf_context *cx, const char *dir, cp_migrate_report *r)
{
    char *main_vars = cp_xasprintf("%s/terraform.tfvars", dir);
    FILE *fp = fopen(main_vars, "r");
    if (fp) {
        fclose(fp);
        load_one(cx, dir, "terraform.tfvars", r);
    }
    free(main_vars);
    struct dirent **list = NULL;
    int n = scandir(dir, &list, auto_tfvars, by_name);
    for (int i = 0; i < n; i++) {
        load_one(cx, dir, list[i]->d_name, r);
        free(list[i]);
    }
    free(list);
}

void tf_apply_tfvars(tf_file *f, const cp_block *b, tf_context *cx)
{
    const tf_tfvar *v = NULL; /* the last one wins, as in Terraform */
    for (size_t i = 0; i < cx->nvars; i++)
        if (!strcmp(cx->vars[i].name, b->labels[0])) {
            v = &cx->vars[i];
            cx->vars[i].used = true;
        }
    if (!v) return;
    const cp_attr *sens = cp_body_attr(b->body, "sensitive");
    if (sens && sens->expr->kind == CP_E_LITERAL && cp_kind_of(sens->expr->u.literal) == CP_BOOL &&
        cp_bool_val(sens->expr->u.literal)) {
        char *what = cp_xasprintf("variable \"%s\"", b->labels[0]);
        tf_list(f, b->loc, what,
                "sensitive: its value in %s is not written into the stack's files; pass it with "
                "-var or -var-file (or CPSTACK_VAR_%s)",
                v->where, b->labels[0]);
        free(what);
        return;
    }
    const cp_attr *def = cp_body_attr(b->body, "default");
    if (def)
        tf_edit(f, def->expr->loc.offset, def->expr->loc.end_offset, v->text);
    else {
        const char *src = cp_sources_get(&f->srcs, f->id)->text;
        uint32_t at = b->loc.end_offset - 1; /* the closing brace */
        while (at > b->loc.offset && (src[at - 1] == ' ' || src[at - 1] == '\t')) at--;
        char *text = cp_xasprintf("%sdefault = %s\n", src[at - 1] == '\n' ? "" : "\n", v->text);
        tf_edit(f, at, at, text);
        free(text);
    }
    char *what = cp_xasprintf("variable \"%s\"", b->labels[0]);
    tf_note(f, b->loc, what, "its value from %s became the default (cpstack loads no tfvars)",
            v->where);
    free(what);
}

void tf_context_free(tf_context *cx)
{
    free(cx->region);
    free(cx->backend);
    for (size_t i = 0; i < cx->nvars; i++) {
        free(cx->vars[i].name);
        free(cx->vars[i].text);
        free(cx->vars[i].where);
    }
    free(cx->vars);
}
