/*
 * eval_ops.c: unary and binary operators and the conditional `a ? b : c`,
 * with HCL's semantics: arithmetic and ordering need numbers (a string that
 * reads as a number is converted), && || ! need bools ("true"/"false"
 * strings are converted), == and != compare any two values without
 * conversion. && and || stop early on a known deciding left operand, and
 * the conditional evaluates the branch it selects (the other one only to
 * check that both have compatible types).
 */
#include "lang/eval_internal.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>

static const char *op_symbol(cp_op op)
{
    static const char *sym[] = { "+",  "-", "*",  "/",  "%",  "==", "!=", "<",
                                 "<=", ">", ">=", "&&", "||", "-",  "!" };
    return (unsigned)op <= CP_OP_NOT ? sym[op] : "?";
}

static const char *op_verb(cp_op op)
{
    switch (op) {
    case CP_OP_ADD:
        return "add";
    case CP_OP_SUB:
        return "subtract";
    case CP_OP_MUL:
        return "multiply";
    case CP_OP_DIV:
        return "divide";
    case CP_OP_MOD:
        return "take the remainder of";
    default:
        return "compare";
    }
}

static cp_value *mark2(cp_value *r, const cp_value *a, const cp_value *b)
{
    const cp_value *vals[2] = { a, b };
    return ev_mark_deep_take(r, vals, 2);
}

/* --- numbers ------------------------------------------------------------------ */

static double arith(cp_op op, double x, double y)
{
    switch (op) {
    case CP_OP_ADD:
        return x + y;
    case CP_OP_SUB:
        return x - y;
    case CP_OP_MUL:
        return x * y;
    case CP_OP_DIV:
        return x / y;
    case CP_OP_MOD:
        return fmod(x, y);
    case CP_OP_LT:
        return x < y;
    case CP_OP_LE:
        return x <= y;
    case CP_OP_GT:
        return x > y;
    default:
        return x >= y;
    }
}

/* Report that the operand at `where` is not a number. */
static cp_value *not_numbers(const ev_state *st, const cp_expr *e, const cp_value *a,
                             const cp_value *b, const cp_expr *where, const cp_value *bad)
{
    cp_op op = e->u.binary.op;
    const char *ka = cp_kind_article(cp_kind_of(a)), *kb = cp_kind_article(cp_kind_of(b));
    if (cp_kind_of(bad) == CP_STRING) {
        char *r = cp_value_repr(bad);
        ev_error(st, where->loc, "cannot %s %s and %s: \"%s\" needs two numbers and %s is not one",
                 op_verb(op), ka, kb, op_symbol(op), r);
        free(r);
        return NULL;
    }
    return ev_error(st, where->loc, "cannot %s %s and %s: \"%s\" needs two numbers", op_verb(op),
                    ka, kb, op_symbol(op));
}

static cp_value *numeric(const ev_state *st, const cp_expr *e, const cp_value *a, const cp_value *b)
{
    cp_value *x = cp_is_unknown(a) ? cp_unknown() : cp_to_number(a);
    if (!x) return not_numbers(st, e, a, b, e->u.binary.a, a);
    cp_value *y = cp_is_unknown(b) ? cp_unknown() : cp_to_number(b);
    if (!y) {
        cp_release(x);
        return not_numbers(st, e, a, b, e->u.binary.b, b);
    }
    cp_op op = e->u.binary.op;
    cp_value *r;
    if (cp_is_unknown(x) || cp_is_unknown(y))
        r = cp_unknown();
    else if ((op == CP_OP_DIV || op == CP_OP_MOD) && cp_number_val(y) == 0)
        r = ev_error(st, e->u.binary.b->loc, "division by zero: the right operand of \"%s\" is 0",
                     op_symbol(op));
    else if (op >= CP_OP_LT)
        r = cp_bool(arith(op, cp_number_val(x), cp_number_val(y)) != 0);
    else if (!isfinite(arith(op, cp_number_val(x), cp_number_val(y))))
        r = ev_error(st, e->loc, "the result of \"%s\" is too large to be a number", op_symbol(op));
    else
        r = cp_number(arith(op, cp_number_val(x), cp_number_val(y)));
    cp_release(x);
    cp_release(y);
    return r ? mark2(r, a, b) : NULL;
}

/* --- logic ----------------------------------------------------------------------- */

/* A bool (or "true"/"false") operand, cp_unknown(), or NULL after an error. */
static cp_value *bool_operand(const ev_state *st, const cp_value *v, const cp_expr *x,
                              const char *sym, const char *side)
{
    if (cp_is_unknown(v)) return cp_unknown();
    cp_value *b = cp_to_bool(v);
    if (!b)
        ev_error(st, x->loc, "\"%s\" needs two bools, got %s on the %s", sym,
                 cp_kind_article(cp_kind_of(v)), side);
    return b;
}

static cp_value *logical(const ev_state *st, const cp_expr *e)
{
    bool is_and = e->u.binary.op == CP_OP_AND;
    const char *sym = op_symbol(e->u.binary.op);
    cp_value *a = ev_expr(st, e->u.binary.a);
    if (!a) return NULL;
    cp_value *x = bool_operand(st, a, e->u.binary.a, sym, "left");
    cp_value *r = NULL;
    if (x && !cp_is_unknown(x) && cp_bool_val(x) != is_and) {
        r = cp_bool(!is_and); /* false && …, true || … */
        r = mark2(r, a, NULL);
    } else if (x) {
        cp_value *b = ev_expr(st, e->u.binary.b);
        cp_value *y = b ? bool_operand(st, b, e->u.binary.b, sym, "right") : NULL;
        if (y && !cp_is_unknown(y) && cp_bool_val(y) != is_and)
            r = cp_bool(!is_and);
        else if (y && (cp_is_unknown(x) || cp_is_unknown(y)))
            r = cp_unknown();
        else if (y)
            r = cp_bool(is_and);
        if (r) r = mark2(r, a, b);
        cp_release(b);
        cp_release(y);
    }
    cp_release(x);
    cp_release(a);
    return r;
}

/* --- dispatch ------------------------------------------------------------------------ */

cp_value *ev_binary(const ev_state *st, const cp_expr *e)
{
    cp_op op = e->u.binary.op;
    if (op == CP_OP_AND || op == CP_OP_OR) return logical(st, e);
    cp_value *a = ev_expr(st, e->u.binary.a);
    cp_value *b = ev_expr(st, e->u.binary.b);
    cp_value *r = NULL;
    if (a && b) {
        if (op == CP_OP_EQ || op == CP_OP_NE) {
            if (cp_contains_unknown(a) || cp_contains_unknown(b))
                r = cp_unknown();
            else
                r = cp_bool(cp_equal(a, b) == (op == CP_OP_EQ));
            r = mark2(r, a, b);
        } else {
            r = numeric(st, e, a, b);
        }
    }
    cp_release(a);
    cp_release(b);
    return r;
}

cp_value *ev_unary(const ev_state *st, const cp_expr *e)
{
    cp_value *a = ev_expr(st, e->u.unary.a);
    if (!a) return NULL;
    bool neg = e->u.unary.op == CP_OP_NEG;
    cp_value *x = cp_is_unknown(a) ? cp_unknown() : neg ? cp_to_number(a) : cp_to_bool(a);
    cp_value *r = NULL;
    if (!x)
        ev_error(st, e->u.unary.a->loc, "cannot %s %s: \"%s\" needs a %s",
                 neg ? "negate" : "invert", cp_kind_article(cp_kind_of(a)), neg ? "-" : "!",
                 neg ? "number" : "bool");
    else if (cp_is_unknown(x))
        r = cp_unknown();
    else if (neg)
        r = cp_number(-cp_number_val(x));
    else
        r = cp_bool(!cp_bool_val(x));
    cp_release(x);
    if (r) r = mark2(r, a, NULL);
    cp_release(a);
    return r;
}

/* --- conditional ------------------------------------------------------------------------ */

static bool is_scalar(const cp_value *v)
{
    cp_kind k = cp_kind_of(v);
    return k == CP_STRING || k == CP_NUMBER || k == CP_BOOL;
}

/* Evaluates the branch not taken with its errors discarded: only its type
 * matters. NULL if it fails. */
static cp_value *eval_quietly(const ev_state *st, const cp_expr *e)
{
    cp_diags quiet;
    cp_diags_init(&quiet);
    cp_eval_ctx sub = *st->ctx;
    sub.diags = &quiet;
    ev_state s2 = *st;
    s2.ctx = &sub;
    s2.quiet = true;
    cp_value *v = ev_expr(&s2, e);
    cp_diags_free(&quiet);
    return v;
}

/* HCL unifies the two results: scalars of different kinds become strings;
 * a list against a string (say) is an error. Consumes taken. */
static cp_value *unify_take(const ev_state *st, const cp_expr *e, cp_value *taken,
                            const cp_value *other)
{
    if (!other || cp_is_null(taken) || cp_is_null(other) || cp_is_unknown(taken) ||
        cp_is_unknown(other) || cp_kind_of(taken) == cp_kind_of(other))
        return taken;
    if (is_scalar(taken) && is_scalar(other)) {
        cp_value *s = cp_to_string(taken);
        cp_release(taken);
        return s;
    }
    ev_error(st, e->loc,
             "the two results of this conditional have different types, %s and %s: "
             "make both the same type",
             cp_kind_article(cp_kind_of(taken)), cp_kind_article(cp_kind_of(other)));
    cp_release(taken);
    return NULL;
}

cp_value *ev_cond(const ev_state *st, const cp_expr *e)
{
    cp_value *p = ev_expr(st, e->u.cond.pred);
    if (!p) return NULL;
    cp_value *b = cp_is_unknown(p) ? cp_unknown() : cp_to_bool(p);
    cp_value *r = NULL;
    if (!b) {
        ev_error(st, e->u.cond.pred->loc, "the condition before \"?\" must be a bool, got %s",
                 cp_kind_article(cp_kind_of(p)));
    } else if (cp_is_unknown(b)) {
        cp_value *x = ev_expr(st, e->u.cond.a), *y = ev_expr(st, e->u.cond.b);
        r = x && y ? cp_unknown() : NULL;
        cp_release(x);
        cp_release(y);
    } else {
        bool t = cp_bool_val(b);
        r = ev_expr(st, t ? e->u.cond.a : e->u.cond.b);
        /* One level only: nested conditionals would otherwise cost 2^depth. */
        cp_value *other = r && !st->quiet ? eval_quietly(st, t ? e->u.cond.b : e->u.cond.a) : NULL;
        if (r) r = unify_take(st, e, r, other);
        cp_release(other);
    }
    if (r) r = cp_mark_like_take(r, p);
    cp_release(b);
    cp_release(p);
    return r;
}
