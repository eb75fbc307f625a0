/*
 * tf_walk.c: the Terraform constructs inside expressions — every
 * expression node is visited; `terraform.workspace` becomes `stack.branch`
 * (an edit on its byte range), any other `terraform.` value is listed and
 * becomes null, and calls of functions cpstack lacks are listed.
 */
#include <stdlib.h>
#include <string.h>

#include "lang/functions.h"
#include "migrate/tf_internal.h"
#include "util/xalloc.h"

static void visit_list(tf_file *f, const cp_expr_list *l)
{
    for (size_t i = 0; i < l->len; i++) tf_walk_expr(f, l->items[i]);
}

static bool is_terraform_attr(const cp_expr *e)
{
    return e->kind == CP_E_GETATTR && e->u.getattr.obj->kind == CP_E_VAR &&
           !strcmp(e->u.getattr.obj->u.var.name, "terraform");
}

void tf_walk_expr(tf_file *f, const cp_expr *e)
{
    if (!e) return;
    switch (e->kind) {
    case CP_E_LITERAL:
    case CP_E_SPLAT_ITEM:
        return;
    case CP_E_VAR:
        if (!strcmp(e->u.var.name, "terraform"))
            tf_list(f, e->loc, "terraform",
                    "a Terraform-only value; cpstack has no `terraform` object");
        return;
    case CP_E_GETATTR:
        if (is_terraform_attr(e)) {
            if (!strcmp(e->u.getattr.name, "workspace")) {
                tf_edit(f, e->loc.offset, e->loc.end_offset, "stack.branch");
                tf_note(f, e->loc, "terraform.workspace",
                        "became `stack.branch` (a cpstack branch plays the workspace's part)");
            } else {
                char *what = cp_xasprintf("terraform.%s", e->u.getattr.name);
                tf_list(f, e->loc, what,
                        "a Terraform-only value with no cpstack counterpart; replaced by null");
                tf_edit(f, e->loc.offset, e->loc.end_offset, "null");
                free(what);
            }
            return;
        }
        tf_walk_expr(f, e->u.getattr.obj);
        return;
    case CP_E_INDEX:
        tf_walk_expr(f, e->u.index.obj);
        tf_walk_expr(f, e->u.index.key);
        return;
    case CP_E_SPLAT:
        tf_walk_expr(f, e->u.splat.obj);
        tf_walk_expr(f, e->u.splat.each);
        return;
    case CP_E_UNARY:
        tf_walk_expr(f, e->u.unary.a);
        return;
    case CP_E_BINARY:
        tf_walk_expr(f, e->u.binary.a);
        tf_walk_expr(f, e->u.binary.b);
        return;
    case CP_E_COND:
    case CP_E_TMPL_IF:
        tf_walk_expr(f, e->u.cond.pred);
        tf_walk_expr(f, e->u.cond.a);
        tf_walk_expr(f, e->u.cond.b);
        return;
    case CP_E_CALL:
        if (!cp_function_exists(e->u.call.name)) {
            char *what = cp_xasprintf("%s()", e->u.call.name);
            tf_list(f, e->loc, what,
                    "cpstack has no such function (see cpstack functions); rewrite the "
                    "expression");
            free(what);
        }
        visit_list(f, &e->u.call.args);
        return;
    case CP_E_TEMPLATE:
    case CP_E_LIST:
        visit_list(f, &e->u.list);
        return;
    case CP_E_OBJECT:
        visit_list(f, &e->u.object.keys);
        visit_list(f, &e->u.object.vals);
        return;
    case CP_E_FOR:
    case CP_E_TMPL_FOR:
        tf_walk_expr(f, e->u.forx.coll);
        tf_walk_expr(f, e->u.forx.key);
        tf_walk_expr(f, e->u.forx.val);
        tf_walk_expr(f, e->u.forx.cond);
        return;
    case CP_E_PAREN:
        tf_walk_expr(f, e->u.paren);
        return;
    }
}

void tf_walk_body(tf_file *f, const cp_body *b)
{
    for (size_t i = 0; i < b->nattrs; i++) tf_walk_expr(f, b->attrs[i].expr);
    for (size_t i = 0; i < b->nblocks; i++) tf_walk_body(f, b->blocks[i]->body);
}
