/*
 * functions_format.c: format() and formatlist(), printf-style:
 *
 *   %%  a percent sign          %s  a string (numbers, bools converted)
 *   %d  a whole number          %f %e %g  a number, as in C
 *   %x %X %o  a whole number in hexadecimal / octal
 *   %t  a bool                  %q  a string, quoted and escaped (JSON)
 *   %v  any value in its natural form (lists and maps as JSON)
 *   %#v any value as JSON
 *
 * with flags - + space 0 #, a width, a .precision (characters for %s) and
 * an explicit argument index %[2]s. Each argument must be used.
 */
#include "lang/functions_internal.h"
#include "lang/value_json.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec {
    char flags[8];
    int width, prec; /* -1: none */
    size_t argi;     /* which argument */
    char verb;
} spec;

typedef struct fmt_run {
    const cp_fn_call *c;
    cp_value *const *args;
    size_t nargs, next;
    bool *used;
    cp_buf out;
} fmt_run;

static bool has_flag(const spec *sp, char f) { return strchr(sp->flags, f) != NULL; }

/* Pads s[0..n) (chars characters long) to the spec's width. */
static void pad(fmt_run *r, const spec *sp, const char *s, size_t n, size_t chars)
{
    size_t fill = sp->width > 0 && (size_t)sp->width > chars ? (size_t)sp->width - chars : 0;
    if (!has_flag(sp, '-'))
        for (size_t i = 0; i < fill; i++) cp_buf_addc(&r->out, ' ');
    cp_buf_add(&r->out, s, n);
    if (has_flag(sp, '-'))
        for (size_t i = 0; i < fill; i++) cp_buf_addc(&r->out, ' ');
}

/* --- verbs --------------------------------------------------------------------- */

static bool verb_error(fmt_run *r, const spec *sp, const char *need, const cp_value *v)
{
    cp__fn_arg_error(r->c, sp->argi + 1, "%%%c needs %s, got %s (argument %zu)", sp->verb, need,
                     cp_kind_article(cp_kind_of(v)), sp->argi + 2);
    return false;
}

static bool put_string(fmt_run *r, const spec *sp, const cp_value *v)
{
    cp_value *s = cp_to_string(v);
    if (!s) return verb_error(r, sp, "a string", v);
    const char *p = cp_string_val(s);
    size_t n = cp_string_len(s), chars = cp__utf8_count(p, n);
    if (sp->prec >= 0 && (size_t)sp->prec < chars) {
        size_t i = 0;
        for (int k = 0; k < sp->prec; k++) i += cp__utf8_step(p + i, n - i);
        n = i;
        chars = (size_t)sp->prec;
    }
    pad(r, sp, p, n, chars);
    cp_release(s);
    return true;
}

/* Builds a C printf spec like "%-08.3f" for one number. */
static void c_spec(char *out, size_t cap, const spec *sp, const char *conv)
{
    int n = snprintf(out, cap, "%%%s", sp->flags);
    if (sp->width >= 0) n += snprintf(out + n, cap - (size_t)n, "%d", sp->width);
    if (sp->prec >= 0) n += snprintf(out + n, cap - (size_t)n, ".%d", sp->prec);
    snprintf(out + n, cap - (size_t)n, "%s", conv);
}

static bool put_number(fmt_run *r, const spec *sp, const cp_value *v)
{
    cp_value *x = cp_to_number(v);
    if (!x) return verb_error(r, sp, "a number", v);
    double d = cp_number_val(x);
    cp_release(x);
    char cs[64];
    bool integral = strchr("dxXo", sp->verb) != NULL;
    if (integral && (d != floor(d) || fabs(d) > 9e18)) {
        char *shown = cp_value_repr(v);
        cp__fn_arg_error(r->c, sp->argi + 1, "%%%c needs a whole number, got %s (argument %zu)",
                         sp->verb, shown, sp->argi + 2);
        free(shown);
        return false;
    }
    if (integral && sp->verb != 'd' && d < 0) {
        cp_buf_addc(&r->out, '-');
        d = -d;
    }
    char conv[4] = { 'l', 'l', sp->verb, 0 };
    c_spec(cs, sizeof cs, sp, integral ? conv : (char[]){ sp->verb, 0 });
    if (integral)
        cp_buf_printf(&r->out, cs, (long long)d);
    else
        cp_buf_printf(&r->out, cs, d);
    return true;
}

static bool put_value(fmt_run *r, const spec *sp, const cp_value *v, bool as_json)
{
    cp_kind k = cp_kind_of(v);
    if (!as_json && (k == CP_STRING || k == CP_NUMBER || k == CP_BOOL)) return put_string(r, sp, v);
    json_t *j = cp_value_to_json(v, true);
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    json_decref(j);
    pad(r, sp, s, strlen(s), cp__utf8_count(s, strlen(s)));
    free(s);
    return true;
}

static bool put(fmt_run *r, const spec *sp)
{
    const cp_value *v = r->args[sp->argi];
    if (cp_is_null(v) && sp->verb != 'v') {
        cp__fn_arg_error(r->c, sp->argi + 1, "%%%c cannot format null (argument %zu)", sp->verb,
                         sp->argi + 2);
        return false;
    }
    switch (sp->verb) {
    case 's':
        return put_string(r, sp, v);
    case 'q': {
        cp_value *s = cp_to_string(v);
        if (!s) return verb_error(r, sp, "a string", v);
        cp_buf q;
        cp_buf_init(&q);
        cp_buf_add_quoted(&q, cp_string_val(s), cp_string_len(s), CP_QUOTE_JSON);
        pad(r, sp, q.data, q.len, cp__utf8_count(q.data, q.len));
        cp_buf_free(&q);
        cp_release(s);
        return true;
    }
    case 't': {
        cp_value *b = cp_to_bool(v);
        if (!b) return verb_error(r, sp, "a bool", v);
        const char *t = cp_bool_val(b) ? "true" : "false";
        pad(r, sp, t, strlen(t), strlen(t));
        cp_release(b);
        return true;
    }
    case 'v':
        return put_value(r, sp, v, has_flag(sp, '#'));
    default:
        return put_number(r, sp, v);
    }
}

/* --- parsing the format -------------------------------------------------------------- */

/* Parses one spec after '%' at *p; false after reporting. */
static bool parse_spec(fmt_run *r, const char **p, spec *sp, size_t at)
{
    const char *s = *p;
    size_t nf = 0;
    memset(sp, 0, sizeof *sp);
    sp->width = sp->prec = -1;
    while (*s && strchr("-+ 0#", *s) && nf < sizeof sp->flags - 1) sp->flags[nf++] = *s++;
    if (*s == '[') {
        char *end;
        long idx = strtol(s + 1, &end, 10);
        if (*end != ']' || idx < 1 || (size_t)idx > r->nargs) {
            cp__fn_arg_error(r->c, 0,
                             "bad argument index in the format at offset %zu: %%[n] "
                             "needs 1 <= n <= %zu",
                             at, r->nargs);
            return false;
        }
        r->next = (size_t)idx - 1;
        s = end + 1;
    }
    if (*s >= '0' && *s <= '9') sp->width = (int)strtol(s, (char **)&s, 10) % 10000;
    if (*s == '.') sp->prec = (int)strtol(s + 1, (char **)&s, 10) % 10000;
    sp->verb = *s;
    if (!*s || !strchr("sdfeEgGxXoqtv", *s)) {
        cp__fn_arg_error(r->c, 0,
                         "unknown verb \"%%%.1s\" in the format at offset %zu: use one of "
                         "%%s %%d %%f %%q %%v %%t %%%%",
                         *s ? s : "", at);
        return false;
    }
    if (r->next >= r->nargs) {
        cp__fn_arg_error(r->c, 0,
                         "the format needs more arguments than the %zu given (\"%%%c\" "
                         "at offset %zu)",
                         r->nargs, *s, at);
        return false;
    }
    sp->argi = r->next++;
    r->used[sp->argi] = true;
    *p = s + 1;
    return true;
}

static bool run_format(fmt_run *r, const char *fmt)
{
    for (const char *p = fmt; *p;) {
        if (*p != '%') {
            cp_buf_addc(&r->out, *p++);
            continue;
        }
        if (p[1] == '%') {
            cp_buf_addc(&r->out, '%');
            p += 2;
            continue;
        }
        spec sp;
        size_t at = (size_t)(p - fmt);
        p++;
        if (!parse_spec(r, &p, &sp, at) || !put(r, &sp)) return false;
    }
    for (size_t i = 0; i < r->nargs; i++)
        if (!r->used[i]) {
            cp__fn_arg_error(r->c, i + 1,
                             "argument %zu is not used by the format: remove it or "
                             "add a verb for it",
                             i + 2);
            return false;
        }
    return true;
}

cp_value *cp__format(const cp_fn_call *c, const char *fmt, cp_value *const *args, size_t nargs)
{
    fmt_run r = { c, args, nargs, 0, cp_xcalloc(nargs + 1, sizeof(bool)), { 0 } };
    cp_buf_adds(&r.out, "");
    bool ok = run_format(&r, fmt);
    cp_value *v = ok ? cp_string_n(r.out.data, r.out.len) : NULL;
    cp_buf_free(&r.out);
    free(r.used);
    return v;
}

cp_value *cp_fn_format(const cp_fn_call *c)
{
    return cp__format(c, cp_string_val(c->args[0]), c->args + 1, c->nargs - 1);
}

/* --- formatlist ------------------------------------------------------------------------ */

/* The common length of the list arguments; false after reporting. */
static bool list_length(const cp_fn_call *c, size_t *len, bool *any)
{
    *any = false;
    for (size_t i = 1; i < c->nargs; i++) {
        if (cp_kind_of(c->args[i]) != CP_LIST) continue;
        size_t n = cp_len(c->args[i]);
        if (*any && n != *len) {
            cp__fn_arg_error(c, i,
                             "argument %zu has %zu elements but an earlier list has %zu: "
                             "all lists must have the same length",
                             i + 1, n, *len);
            return false;
        }
        *len = n;
        *any = true;
    }
    return true;
}

cp_value *cp_fn_formatlist(const cp_fn_call *c)
{
    size_t len = 1, n = c->nargs - 1;
    bool any;
    if (!list_length(c, &len, &any)) return NULL;
    cp_value **row = cp_xcalloc(n + 1, sizeof *row);
    cp_value *out = cp_list_new();
    for (size_t k = 0; k < len && out; k++) {
        for (size_t i = 0; i < n; i++) {
            const cp_value *a = c->args[i + 1];
            row[i] = (cp_value *)(cp_kind_of(a) == CP_LIST ? cp_list_get(a, k) : a);
        }
        cp_value *s = cp__format(c, cp_string_val(c->args[0]), row, n);
        if (s)
            cp_list_push_take(out, s);
        else {
            cp_release(out);
            out = NULL;
        }
    }
    free(row);
    return out;
}
