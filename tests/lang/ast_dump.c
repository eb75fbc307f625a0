/*
 * ast_dump.c: see ast_dump.h. Only used by tests, so shapes can be checked
 * with one string comparison.
 */
#include "ast_dump.h"

static const char *op_name(cp_op op)
{
    static const char *names[] = { "+",  "-", "*",  "/",  "%",  "==",  "!=", "<",
                                   "<=", ">", ">=", "&&", "||", "neg", "!" };
    return names[op];
}

static void dump_list(cp_buf *out, const cp_expr_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, l->items[i]);
    }
}

static void dump_literal(cp_buf *out, const cp_value *v)
{
    if (cp_kind_of(v) == CP_STRING) {
        cp_buf_addc(out, '"');
        for (const char *s = cp_string_val(v); *s; s++) {
            if (*s == '\n')
                cp_buf_adds(out, "\\n");
            else if (*s == '"')
                cp_buf_adds(out, "\\\"");
            else
                cp_buf_addc(out, *s);
        }
        cp_buf_addc(out, '"');
    } else {
        cp_value_render(out, v, true);
    }
}

static void dump_for(cp_buf *out, const cp_expr *e)
{
    cp_buf_printf(out, "(for %s %s ", e->u.forx.key_var ? e->u.forx.key_var : "_",
                  e->u.forx.val_var);
    ast_dump_expr(out, e->u.forx.coll);
    if (e->u.forx.is_map) {
        cp_buf_adds(out, " ");
        ast_dump_expr(out, e->u.forx.key);
        cp_buf_adds(out, " =>");
    }
    cp_buf_adds(out, " ");
    ast_dump_expr(out, e->u.forx.val);
    if (e->u.forx.group) cp_buf_adds(out, "...");
    if (e->u.forx.cond) {
        cp_buf_adds(out, " if ");
        ast_dump_expr(out, e->u.forx.cond);
    }
    cp_buf_addc(out, ')');
}

void ast_dump_expr(cp_buf *out, const cp_expr *e)
{
    if (!e) {
        cp_buf_adds(out, "NULL");
        return;
    }
    switch (e->kind) {
    case CP_E_LITERAL:
        dump_literal(out, e->u.literal);
        break;
    case CP_E_TEMPLATE:
        cp_buf_adds(out, "(tmpl");
        dump_list(out, &e->u.list);
        cp_buf_addc(out, ')');
        break;
    case CP_E_VAR:
        cp_buf_adds(out, e->u.var.name);
        break;
    case CP_E_GETATTR:
        cp_buf_adds(out, "(. ");
        ast_dump_expr(out, e->u.getattr.obj);
        cp_buf_printf(out, " %s)", e->u.getattr.name);
        break;
    case CP_E_INDEX:
        cp_buf_adds(out, "([] ");
        ast_dump_expr(out, e->u.index.obj);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.index.key);
        cp_buf_addc(out, ')');
        break;
    case CP_E_SPLAT:
        cp_buf_adds(out, "(splat ");
        ast_dump_expr(out, e->u.splat.obj);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.splat.each);
        cp_buf_addc(out, ')');
        break;
    case CP_E_SPLAT_ITEM:
        cp_buf_addc(out, '@');
        break;
    case CP_E_UNARY:
        cp_buf_printf(out, "(%s ", op_name(e->u.unary.op));
        ast_dump_expr(out, e->u.unary.a);
        cp_buf_addc(out, ')');
        break;
    case CP_E_BINARY:
        cp_buf_printf(out, "(%s ", op_name(e->u.binary.op));
        ast_dump_expr(out, e->u.binary.a);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.binary.b);
        cp_buf_addc(out, ')');
        break;
    case CP_E_COND:
        cp_buf_adds(out, "(?: ");
        ast_dump_expr(out, e->u.cond.pred);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.cond.a);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.cond.b);
        cp_buf_addc(out, ')');
        break;
    case CP_E_CALL:
        cp_buf_printf(out, "(call %s", e->u.call.name);
        dump_list(out, &e->u.call.args);
        cp_buf_adds(out, e->u.call.expand_last ? "...)" : ")");
        break;
    case CP_E_LIST:
        cp_buf_addc(out, '[');
        dump_list(out, &e->u.list);
        cp_buf_adds(out, " ]");
        break;
    case CP_E_OBJECT:
        cp_buf_addc(out, '{');
        for (size_t i = 0; i < e->u.object.keys.len; i++) {
            cp_buf_addc(out, ' ');
            ast_dump_expr(out, e->u.object.keys.items[i]);
            cp_buf_addc(out, '=');
            ast_dump_expr(out, e->u.object.vals.items[i]);
        }
        cp_buf_adds(out, " }");
        break;
    case CP_E_FOR:
        dump_for(out, e);
        break;
    case CP_E_PAREN:
        cp_buf_adds(out, "(paren ");
        ast_dump_expr(out, e->u.paren);
        cp_buf_addc(out, ')');
        break;
    case CP_E_TMPL_IF:
        cp_buf_adds(out, "(%if ");
        ast_dump_expr(out, e->u.cond.pred);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.cond.a);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.cond.b);
        cp_buf_addc(out, ')');
        break;
    case CP_E_TMPL_FOR:
        cp_buf_printf(out, "(%%for %s%s%s ", e->u.forx.key_var ? e->u.forx.key_var : "",
                      e->u.forx.key_var ? "," : "", e->u.forx.val_var);
        ast_dump_expr(out, e->u.forx.coll);
        cp_buf_addc(out, ' ');
        ast_dump_expr(out, e->u.forx.val);
        cp_buf_addc(out, ')');
        break;
    }
}

void ast_dump_body(cp_buf *out, const cp_body *b)
{
    for (size_t i = 0; i < b->nattrs; i++) {
        cp_buf_printf(out, "%s=", b->attrs[i].name);
        ast_dump_expr(out, b->attrs[i].expr);
        cp_buf_adds(out, "; ");
    }
    for (size_t i = 0; i < b->nblocks; i++) {
        const cp_block *bl = b->blocks[i];
        cp_buf_adds(out, bl->type);
        for (size_t j = 0; j < bl->nlabels; j++) cp_buf_printf(out, " \"%s\"", bl->labels[j]);
        cp_buf_adds(out, " { ");
        ast_dump_body(out, bl->body);
        cp_buf_adds(out, "} ");
    }
}
