/*
 * functions_numeric.c: abs ceil floor pow signum min max sum. Arguments
 * arrive as numbers (numeric strings already converted).
 */
#include "lang/functions_internal.h"

#include <math.h>

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
