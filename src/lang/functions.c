/*
 * functions.c: the built-in function table and the checks every call goes
 * through before a cp_fn_<name> runs (see functions_internal.h):
 *
 *   1. the name exists (else a "did you mean" from suggest.c);
 *   2. the argument count fits;
 *   3. each known argument converts to its parameter type (all bad
 *      arguments are reported, each under its own location);
 *   4. an unknown argument (or, for most functions, an unknown part of one)
 *      gives an unknown result without running the function;
 *   5. the result is marked sensitive if an argument was (not for the
 *      FN_UNMARKS functions, nonsensitive and issensitive).
 *
 * The table is const and sorted; there is no mutable global state.
 */
#include "lang/functions_internal.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct cp_fn_def {
    const char *name;
    cp_fn_impl impl;
    unsigned char min, max, flags;
    unsigned char params[4];
    size_t nparams;
} cp_fn_def;

#define CP_FN_NPARAMS(...) (sizeof((unsigned char[]){ __VA_ARGS__ }))
#define CP_FN(n, mn, mx, fl, ...)                                                                  \
    { #n, cp_fn_##n, mn, mx, fl, { __VA_ARGS__ }, CP_FN_NPARAMS(__VA_ARGS__) },
static const cp_fn_def fn_table[] = {
#include "lang/functions_list.h"
};
#undef CP_FN

#define CP_FN(n, ...) #n,
static const char *const fn_names[] = {
#include "lang/functions_list.h"
    NULL
};
#undef CP_FN

#define FN_COUNT (sizeof fn_table / sizeof fn_table[0])

static const cp_fn_def *find_fn(const char *name)
{
    size_t lo = 0, hi = FN_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(fn_table[mid].name, name);
        if (c == 0) return &fn_table[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool cp_function_exists(const char *name) { return find_fn(name) != NULL; }
const char *const *cp_function_names(void) { return fn_names; }

/* --- errors ------------------------------------------------------------------ */

static void fn_verror(const cp_eval_ctx *ctx, const char *name, cp_loc loc, const char *fmt,
                      va_list ap)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_vprintf(&b, fmt, ap);
    cp_diag_error(ctx->diags, loc, "%s: %s", name, b.data);
    cp_buf_free(&b);
}

cp_value *cp__fn_error(const cp_fn_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fn_verror(c->ctx, c->name, c->loc, fmt, ap);
    va_end(ap);
    return NULL;
}

cp_value *cp__fn_arg_error(const cp_fn_call *c, size_t i, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fn_verror(c->ctx, c->name, c->locs ? c->locs[i] : c->loc, fmt, ap);
    va_end(ap);
    return NULL;
}

cp_value *cp__unknown_function(const cp_eval_ctx *ctx, const char *name, cp_loc loc)
{
    const char *near = cp_suggest(name, fn_names);
    if (near)
        cp_diag_error(ctx->diags, loc, "unknown function \"%s\": did you mean \"%s\"?", name, near);
    else
        cp_diag_error(ctx->diags, loc,
                      "unknown function \"%s\": there is no built-in function "
                      "of that name",
                      name);
    return NULL;
}

static char *num_text(double d)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_number_format(&b, d);
    return cp_buf_steal(&b);
}

bool cp__fn_int_arg(const cp_fn_call *c, size_t i, double lo, double hi, long long *out)
{
    double d = cp_number_val(c->args[i]);
    if (d == floor(d) && d >= lo && d <= hi) {
        *out = (long long)d;
        return true;
    }
    char *got = cp_is_sensitive(c->args[i]) ? cp_xstrdup("(sensitive value)") : num_text(d);
    char *bound = num_text(d < lo ? lo : hi);
    if (d != floor(d))
        cp__fn_arg_error(c, i, "argument %zu must be a whole number, got %s", i + 1, got);
    else if (d < lo && lo == 0)
        cp__fn_arg_error(c, i, "argument %zu must not be negative, got %s", i + 1, got);
    else
        cp__fn_arg_error(c, i, "argument %zu must be at %s %s, got %s", i + 1,
                         d < lo ? "least" : "most", bound, got);
    free(got);
    free(bound);
    return false;
}

/* --- argument checks ----------------------------------------------------------- */

static const char *param_name(int t)
{
    static const char *names[] = {
        "any value",         "a string",          "a number", "a bool", "a list",
        "a list of strings", "a list of numbers", "a map",    "a map",  "a string, a list or a map"
    };
    return names[t];
}

/* Converts a known scalar to t (A_STR, A_NUM or A_BOOL); NULL if it can't. */
static cp_value *to_scalar(const cp_value *v, int t)
{
    return t == A_STR ? cp_to_string(v) : t == A_NUM ? cp_to_number(v) : cp_to_bool(v);
}

/* A list whose elements are converted to strings or numbers; NULL with
 * *bad set to the first element that cannot be. */
static cp_value *convert_elems(const cp_value *l, int elem_t, size_t *bad)
{
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(l); i++) {
        const cp_value *e = cp_list_get(l, i);
        cp_value *x = cp_is_unknown(e) ? cp_unknown() : to_scalar(e, elem_t);
        if (!x) {
            *bad = i;
            cp_release(out);
            return NULL;
        }
        cp_list_push_take(out, x);
    }
    return cp_mark_like_take(out, l);
}

static cp_value *arg_mismatch(const cp_fn_call *c, size_t i, int t, const cp_value *v)
{
    const char *got = cp_kind_name(cp_kind_of(v));
    if (cp_kind_of(v) != CP_STRING)
        return cp__fn_arg_error(c, i, "argument %zu must be %s, got %s", i + 1, param_name(t), got);
    char *r = cp_value_repr(v);
    cp__fn_arg_error(c, i, "argument %zu must be %s, got string %s", i + 1, param_name(t), r);
    free(r);
    return NULL;
}

/* Converts argument i (known) to type t; NULL after reporting. */
static cp_value *convert_arg(const cp_fn_call *c, size_t i, int t)
{
    const cp_value *v = c->args[i];
    cp_kind k = cp_kind_of(v);
    switch (t) {
    case A_ANY:
        return cp_retain(v);
    case A_STR:
    case A_NUM:
    case A_BOOL: {
        cp_value *x = to_scalar(v, t);
        return x ? x : arg_mismatch(c, i, t, v);
    }
    case A_LIST_STR:
    case A_LIST_NUM: {
        if (k != CP_LIST) return arg_mismatch(c, i, t, v);
        size_t bad = 0;
        cp_value *x = convert_elems(v, t == A_LIST_STR ? A_STR : A_NUM, &bad);
        if (x) return x;
        return cp__fn_arg_error(c, i, "argument %zu must be %s, but element %zu is %s", i + 1,
                                param_name(t), bad,
                                cp_kind_article(cp_kind_of(cp_list_get(v, bad))));
    }
    case A_LIST:
        return k == CP_LIST ? cp_retain(v) : arg_mismatch(c, i, t, v);
    case A_MAP:
        return k == CP_MAP ? cp_retain(v) : arg_mismatch(c, i, t, v);
    case A_MAP_OR_NULL:
        return k == CP_MAP || k == CP_NULL ? cp_retain(v) : arg_mismatch(c, i, t, v);
    default:
        return k == CP_STRING || k == CP_LIST || k == CP_MAP ? cp_retain(v)
                                                             : arg_mismatch(c, i, t, v);
    }
}

static int param_type(const cp_fn_def *f, size_t i)
{
    return f->params[i < f->nparams ? i : f->nparams - 1];
}

static bool check_arity(const cp_fn_call *c, const cp_fn_def *f)
{
    size_t n = c->nargs;
    if (n >= f->min && (f->max == CP_FN_VARIADIC || n <= f->max)) return true;
    const char *s = f->min == 1 ? "" : "s";
    if (f->max == CP_FN_VARIADIC)
        cp__fn_error(c, "needs at least %d argument%s, got %zu", f->min, s, n);
    else if (f->min == f->max)
        cp__fn_error(c, "needs %d argument%s, got %zu", f->min, s, n);
    else
        cp__fn_error(c, "needs %d to %d arguments, got %zu", f->min, f->max, n);
    return false;
}

/* --- the call -------------------------------------------------------------------- */

static bool any_unknown(cp_value *const *v, size_t n, bool deep)
{
    for (size_t i = 0; i < n; i++)
        if (cp_is_unknown(v[i]) || (deep && cp_contains_unknown(v[i]))) return true;
    return false;
}

static cp_value *mark_result_take(cp_value *r, cp_value *const *args, size_t n, bool shallow)
{
    for (size_t i = 0; r && i < n; i++) {
        if (shallow ? cp_is_sensitive(args[i]) : cp_contains_sensitive(args[i])) {
            cp_value *m = cp_mark_sensitive(r);
            cp_release(r);
            return m;
        }
    }
    return r;
}

static cp_value *run(const cp_fn_def *f, const cp_fn_call *raw, cp_value **conv)
{
    bool structural = f->flags & FN_STRUCT;
    size_t n = raw->nargs;
    cp_value *r;
    if (!(f->flags & FN_SEES_UNKNOWN) && any_unknown(conv, n, !structural)) {
        r = cp_unknown();
    } else {
        cp_fn_call c = *raw;
        c.args = conv;
        r = f->impl(&c);
    }
    if (f->flags & FN_UNMARKS) return r;
    return mark_result_take(r, raw->args, n, structural);
}

cp_value *cp__call(const cp_eval_ctx *ctx, const char *name, cp_loc loc, cp_value *const *args,
                   const cp_loc *locs, size_t nargs)
{
    const cp_fn_def *f = find_fn(name);
    if (!f) return cp__unknown_function(ctx, name, loc);
    cp_fn_call c = { ctx, f->name, loc, args, locs, nargs };
    if (!check_arity(&c, f)) return NULL;
    cp_value **conv = cp_xcalloc(nargs + 1, sizeof *conv);
    bool ok = true;
    for (size_t i = 0; i < nargs; i++) {
        conv[i] =
            cp_is_unknown(args[i]) ? cp_retain(args[i]) : convert_arg(&c, i, param_type(f, i));
        if (!conv[i]) ok = false;
    }
    cp_value *r = ok ? run(f, &c, conv) : NULL;
    for (size_t i = 0; i < nargs; i++) cp_release(conv[i]);
    free(conv);
    return r;
}

cp_value *cp_call_function(const cp_eval_ctx *ctx, const char *name, cp_loc loc,
                           cp_value *const *args, size_t nargs)
{
    return cp__call(ctx, name, loc, args, NULL, nargs);
}

/* try() and can() take expressions and are evaluated in eval_call.c; called
 * with values, there is nothing left to catch. */
cp_value *cp_fn_try(const cp_fn_call *c) { return cp_retain(c->args[0]); }
cp_value *cp_fn_can(const cp_fn_call *c)
{
    (void)c;
    return cp_bool(true);
}
