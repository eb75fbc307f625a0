/*
 * tf_blocks.c: the top-level blocks of one .tf file, judged on the AST.
 * Blocks cpstack has (resource and data of known types, variable, locals,
 * output, local module calls, moved, import, removed, check) are kept, their
 * Terraform-only parts removed and listed; the root's `terraform` and
 * default `provider "aws"` blocks are taken apart into the stack block
 * (tf_stack); everything else is removed and listed with the reason.
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/tf_blocks.h"
#include "util/xalloc.h"

/* Attributes and nested blocks of b not in the lists are removed and listed. */
static void keep_only(tf_file *f, const cp_block *b, const char *const *attrs,
                      const char *const *blocks, const char *reason)
{
    for (size_t i = 0; i < b->body->nattrs; i++) {
        const cp_attr *a = &b->body->attrs[i];
        if (tf_in_list(a->name, attrs)) continue;
        char *what = cp_xasprintf("%s %s", b->type, a->name);
        tf_list(f, a->loc, what, "%s", reason);
        free(what);
        tf_remove(f, a->loc);
    }
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *n = b->body->blocks[i];
        if (tf_in_list(n->type, blocks)) continue;
        char *what = cp_xasprintf("%s { %s { … } }", b->type, n->type);
        tf_list(f, n->loc, what, "%s", reason);
        free(what);
        tf_remove(f, n->loc);
    }
}

void tf_keep_provider(tf_file *f, const cp_block *b)
{
    static const char *const attrs[] = { "alias", "region", NULL };
    static const char *const blocks[] = { "assume_role", "default_tags", NULL };
    static const char *const role[] = { "role_arn", "session_name", "external_id", NULL };
    static const char *const tags[] = { "tags", NULL };
    keep_only(f, b, attrs, blocks,
              "not a setting of cpstack's AWS provider, which takes credentials and endpoints "
              "from the environment (AWS_PROFILE, AWS_ENDPOINT_URL …)");
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *n = b->body->blocks[i];
        if (!strcmp(n->type, "assume_role"))
            keep_only(f, n, role, NULL,
                      "cpstack's assume_role takes role_arn, session_name "
                      "and external_id");
        else if (!strcmp(n->type, "default_tags"))
            keep_only(f, n, tags, NULL, "cpstack's default_tags takes tags");
    }
    tf_walk_body(f, b->body);
}

static char *block_what(const cp_block *b)
{
    cp_buf w;
    cp_buf_init(&w);
    cp_buf_adds(&w, b->type);
    for (size_t i = 0; i < b->nlabels; i++) cp_buf_printf(&w, " \"%s\"", b->labels[i]);
    return cp_buf_steal(&w);
}

static void drop_block(tf_file *f, const cp_block *b, const char *reason)
{
    char *what = block_what(b);
    tf_list(f, b->loc, what, "%s", reason);
    free(what);
    tf_remove(f, b->loc);
}

/* Resource bodies: provisioners and connections go. */
static void resource_body(tf_file *f, const cp_block *b)
{
    for (size_t i = 0; i < b->body->nblocks; i++) {
        const cp_block *n = b->body->blocks[i];
        if (!strcmp(n->type, "provisioner") || !strcmp(n->type, "connection")) {
            char *what = cp_xasprintf("%s.%s: %s%s%s", b->labels[0], b->labels[1], n->type,
                                      n->nlabels ? " " : "", n->nlabels ? n->labels[0] : "");
            tf_list(f, n->loc, what,
                    "cpstack runs no provisioners; run the step outside cpstack (user data, a CI "
                    "job) and delete the block");
            free(what);
            tf_remove(f, n->loc);
        } else
            tf_walk_body(f, n->body);
    }
    for (size_t i = 0; i < b->body->nattrs; i++) {
        const cp_attr *a = &b->body->attrs[i];
        tf_walk_expr(f, a->expr); /* provider = aws.ALIAS is kept as it is */
    }
}

/* Where cpstack's default differs from the Terraform AWS provider's and a
 * change replaces or rewrites the object: the argument a resource of the
 * type leaves out gets Terraform's value, so the objects Terraform made
 * plan no change (a security group's description forces a new group). */
static const struct {
    const char *type, *attr, *value;
} tf_defaults[] = {
    { "aws_security_group", "description", "Managed by Terraform" },
    { "aws_db_subnet_group", "description", "Managed by Terraform" },
    { "aws_route53_zone", "comment", "Managed by Terraform" },
};

static void terraform_defaults(tf_file *f, const cp_block *b)
{
    for (size_t i = 0; i < sizeof tf_defaults / sizeof tf_defaults[0]; i++) {
        if (strcmp(b->labels[0], tf_defaults[i].type)) continue;
        if (cp_body_attr(b->body, tf_defaults[i].attr)) return;
        char *text = tf_text(f, b->loc), *brace = strchr(text, '{');
        if (brace) {
            uint32_t at = b->loc.offset + (uint32_t)(brace - text) + 1;
            char *line = cp_xasprintf("\n%s = \"%s\"", tf_defaults[i].attr, tf_defaults[i].value);
            tf_edit(f, at, at, line);
            free(line);
            char *what = cp_xasprintf("%s.%s: %s", b->labels[0], b->labels[1], tf_defaults[i].attr);
            tf_note(f, b->loc, what,
                    "set to \"%s\", the Terraform provider's default the object was made with "
                    "(cpstack's default differs)",
                    tf_defaults[i].value);
            free(what);
        }
        free(text);
        return;
    }
}

static void resource(tf_file *f, const cp_block *b, bool is_data, const tf_context *cx)
{
    if (b->nlabels != 2) return drop_block(f, b, "a resource or data block takes two labels");
    if (is_data && !strcmp(b->labels[0], "terraform_remote_state"))
        return drop_block(f, b,
                          "another Terraform state's outputs: give them to this stack as "
                          "variables (or migrate that stack too and read its outputs)");
    if (!cx->types->find(cx->types->ud, b->labels[0], is_data))
        return drop_block(f, b,
                          is_data ? "cpstack has no such data source (see cpstack schema); "
                                    "references to it must be replaced"
                                  : "cpstack has no such resource type (see cpstack schema); its "
                                    "objects stay in Terraform's state only");
    if (is_data)
        f->report->data++;
    else {
        f->report->resources++;
        terraform_defaults(f, b);
    }
    resource_body(f, b);
}

static bool local_source(const cp_attr *src, char **path)
{
    if (!src || src->expr->kind != CP_E_LITERAL || cp_kind_of(src->expr->u.literal) != CP_STRING)
        return false;
    const char *s = cp_string_val(src->expr->u.literal);
    if (strncmp(s, "./", 2) && strncmp(s, "../", 3)) return false;
    *path = cp_xstrdup(s);
    return true;
}

static void module_call(tf_file *f, const cp_block *b)
{
    static const char *const attrs[] = { "version", NULL };
    char *path = NULL;
    if (!local_source(cp_body_attr(b->body, "source"), &path))
        return drop_block(f, b,
                          "the module's source is not a local folder (registry, git, http …); "
                          "copy the module into the stack and call it by ./path");
    free(path);
    f->report->modules++;
    for (size_t i = 0; i < b->body->nattrs; i++) {
        const cp_attr *a = &b->body->attrs[i];
        if (tf_in_list(a->name, attrs)) {
            char *what = cp_xasprintf("module \"%s\": %s", b->labels[0], a->name);
            tf_list(f, a->loc, what, "a local module has no version");
            free(what);
            tf_remove(f, a->loc);
        } else
            tf_walk_expr(f, a->expr);
    }
}

static void variable(tf_file *f, const cp_block *b, tf_context *cx)
{
    static const char *const attrs[] = { "type",      "default",  "description",
                                         "sensitive", "nullable", NULL };
    static const char *const blocks[] = { "validation", NULL };
    keep_only(f, b, attrs, blocks, "cpstack variables have no such setting");
    tf_walk_body(f, b->body);
    f->report->variables++;
    if (f->root && b->nlabels == 1) tf_apply_tfvars(f, b, cx);
}

static void output(tf_file *f, const cp_block *b)
{
    static const char *const attrs[] = { "value", "description", "sensitive", "depends_on", NULL };
    keep_only(f, b, attrs, NULL, "cpstack outputs have no such setting");
    tf_walk_body(f, b->body);
    f->report->outputs++;
}

static void provider(tf_file *f, const cp_block *b, tf_context *cx)
{
    const char *name = b->nlabels ? b->labels[0] : "";
    if (!strcmp(name, "random") || !strcmp(name, "local") || !strcmp(name, "terraform") ||
        !strcmp(name, "null")) {
        char *what = block_what(b);
        tf_note(f, b->loc, what, "removed: cpstack's %s provider needs no configuration", name);
        free(what);
        tf_remove(f, b->loc);
        return;
    }
    if (strcmp(name, "aws"))
        return drop_block(
            f, b, "cpstack has no such provider (it has aws, random, local, null and terraform)");
    if (!f->root) {
        char *what = block_what(b);
        tf_list(f, b->loc, what,
                "cpstack takes provider blocks in the stack's root only; declare it there and "
                "pass it to the module call with providers = { aws = aws.NAME }");
        free(what);
        tf_remove(f, b->loc);
        return;
    }
    if (cp_body_attr(b->body, "alias")) {
        tf_keep_provider(f, b);
        char *what = block_what(b);
        tf_note(f, b->loc, what, "kept: a provider instance (provider = aws.NAME selects it)");
        free(what);
        return;
    }
    tf_stack_provider(f, b, cx);
}

static void other_block(tf_file *f, const cp_block *b, tf_context *cx)
{
    if (!strcmp(b->type, "terraform") && f->root) return tf_stack_terraform(f, b, cx);
    if (!strcmp(b->type, "terraform"))
        return drop_block(f, b, "a module's terraform block holds only Terraform's version rules");
    if (!strcmp(b->type, "provider")) return provider(f, b, cx);
    if (!strcmp(b->type, "moved") || !strcmp(b->type, "import") || !strcmp(b->type, "removed") ||
        !strcmp(b->type, "check") || !strcmp(b->type, "locals"))
        return tf_walk_body(f, b->body);
    drop_block(f, b, "a Terraform block type cpstack does not have");
}

void tf_convert_blocks(tf_file *f, tf_context *cx)
{
    const cp_body *body = f->ast->body;
    for (size_t i = 0; i < body->nattrs; i++) {
        tf_list(f, body->attrs[i].loc, body->attrs[i].name, "an argument outside any block");
        tf_remove(f, body->attrs[i].loc);
    }
    for (size_t i = 0; i < body->nblocks; i++) {
        const cp_block *b = body->blocks[i];
        if (!strcmp(b->type, "resource"))
            resource(f, b, false, cx);
        else if (!strcmp(b->type, "data"))
            resource(f, b, true, cx);
        else if (!strcmp(b->type, "module"))
            module_call(f, b);
        else if (!strcmp(b->type, "variable"))
            variable(f, b, cx);
        else if (!strcmp(b->type, "output"))
            output(f, b);
        else
            other_block(f, b, cx);
    }
}
