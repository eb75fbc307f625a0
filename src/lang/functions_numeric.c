/*
 * functions_numeric.c: abs ceil floor pow signum min max sum log parseint.
 * Arguments arrive as numbers (numeric strings already converted).
 * parseint reads digits 0-9, then a-z, then A-Z (bases up to 36 ignore
 * case, as strtoll does); results past 2^53 are refused rather than
 * rounded.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>

static cp_value *finite_or_error(const cp_fn_call *c, double d)
{
    if (isnan(d) || isinf(d)) return cp__fn_error(c, "the result is not a finite number");
    return cp_number(d);
}

cp_value *cp_fn_abs(const cp_fn_call *c) { return cp_number(fabs(cp_number_val(c->args[0]))); }
cp_value *cp_fn_ceil(const cp_fn_call *c) { return cp_number(ceil(cp_number_val(c->args[0]))); }
cp_value *cp_fn_floor(const cp_fn_call *c) { return cp_number(floor(cp_number_val(c->args[0]))); }

cp_value *cp_fn_signum(const cp_fn_call *c)
{
    double d = cp_number_val(c->args[0]);
    return cp_number(d > 0 ? 1 : d < 0 ? -1 : 0);
}

cp_value *cp_fn_pow(const cp_fn_call *c)
{
    return finite_or_error(c, pow(cp_number_val(c->args[0]), cp_number_val(c->args[1])));
}

static cp_value *extreme(const cp_fn_call *c, bool want_max)
{
    double best = cp_number_val(c->args[0]);
    for (size_t i = 1; i < c->nargs; i++) {
        double d = cp_number_val(c->args[i]);
        if (want_max ? d > best : d < best) best = d;
    }
    return cp_number(best);
}

cp_value *cp_fn_min(const cp_fn_call *c) { return extreme(c, false); }
cp_value *cp_fn_max(const cp_fn_call *c) { return extreme(c, true); }

cp_value *cp_fn_sum(const cp_fn_call *c)
{
    const cp_value *l = c->args[0];
    if (cp_len(l) == 0) return cp__fn_arg_error(c, 0, "cannot sum an empty list");
    double s = 0;
    for (size_t i = 0; i < cp_len(l); i++) s += cp_number_val(cp_list_get(l, i));
    return finite_or_error(c, s);
}

cp_value *cp_fn_log(const cp_fn_call *c)
{
    double x = cp_number_val(c->args[0]), base = cp_number_val(c->args[1]);
    if (x < 0) return cp__fn_arg_error(c, 0, "cannot take the logarithm of a negative number");
    if (base <= 0 || base == 1)
        return cp__fn_arg_error(c, 1, "the base must be a positive number other than 1");
    return finite_or_error(c, log(x) / log(base));
}

static int digit_value(char ch, long long base)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (base <= 36) ch = (char)tolower((unsigned char)ch);
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'Z') return ch - 'A' + 36;
    return 99;
}

cp_value *cp_fn_parseint(const cp_fn_call *c)
{
    long long base;
    if (!cp__fn_int_arg(c, 1, 2, 62, &base)) return NULL;
    const char *s = cp_string_val(c->args[0]), *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+') p++;
    double v = 0;
    bool ok = *p != '\0';
    for (; ok && *p; p++) {
        int d = digit_value(*p, base);
        ok = d < base;
        v = v * (double)base + d;
    }
    if (ok && v > 9007199254740992.0)
        return cp__fn_arg_error(c, 0, "the number is too large to be held exactly (past 2^53)");
    if (ok) return cp_number(neg ? -v : v);
    char *shown = cp_is_sensitive(c->args[0]) ? cp_xstrdup("the value") : cp_value_repr(c->args[0]);
    cp__fn_arg_error(c, 0, "%s is not a whole number in base %lld", shown, base);
    free(shown);
    return NULL;
}
