/*
 * functions_convert.c: tostring tonumber tobool tolist tomap toset. null
 * converts to null; anything else must convert (HCL's rules: number ↔
 * string, "true"/"false" ↔ bool) or it is an error naming what was given.
 * There is no set kind of value: a set is a list without repeats, sorted.
 * sensitive(v) marks a value sensitive (unknown ones too); nonsensitive(v)
 * takes the value's own mark off (marks of its elements stay), and
 * issensitive(v) tells whether it has one. Both are FN_UNMARKS: their
 * result is not marked because the argument was.
 */
#include "lang/functions_internal.h"

#include <stdlib.h>

static cp_value *cannot(const cp_fn_call *c, const char *to, const char *hint)
{
    const cp_value *v = c->args[0];
    if (cp_kind_of(v) != CP_STRING)
        return cp__fn_arg_error(c, 0, "cannot convert %s to %s%s", cp_kind_article(cp_kind_of(v)),
                                to, hint);
    char *r = cp_value_repr(v);
    cp__fn_arg_error(c, 0, "cannot convert the string %s to %s%s", r, to, hint);
    free(r);
    return NULL;
}

cp_value *cp_fn_tostring(const cp_fn_call *c)
{
    if (cp_is_null(c->args[0])) return cp_null();
    cp_value *s = cp_to_string(c->args[0]);
    return s ? s : cannot(c, "a string", ": use jsonencode() or join() for lists and maps");
}

cp_value *cp_fn_tonumber(const cp_fn_call *c)
{
    if (cp_is_null(c->args[0])) return cp_null();
    cp_value *n = cp_to_number(c->args[0]);
    return n ? n : cannot(c, "a number", "");
}

cp_value *cp_fn_tobool(const cp_fn_call *c)
{
    if (cp_is_null(c->args[0])) return cp_null();
    cp_value *b = cp_to_bool(c->args[0]);
    return b ? b : cannot(c, "a bool", ": only true, false, \"true\" and \"false\" convert");
}

cp_value *cp_fn_tolist(const cp_fn_call *c)
{
    cp_kind k = cp_kind_of(c->args[0]);
    if (k == CP_NULL || k == CP_LIST) return cp_retain(c->args[0]);
    return cannot(c, "a list", k == CP_MAP ? ": use values() or keys() for a map" : "");
}

cp_value *cp_fn_tomap(const cp_fn_call *c)
{
    cp_kind k = cp_kind_of(c->args[0]);
    if (k == CP_NULL || k == CP_MAP) return cp_retain(c->args[0]);
    return cannot(c, "a map", k == CP_LIST ? ": use zipmap() to pair keys with values" : "");
}

cp_value *cp_fn_toset(const cp_fn_call *c)
{
    cp_kind k = cp_kind_of(c->args[0]);
    if (k == CP_NULL) return cp_null();
    if (k == CP_LIST) return cp__set_of(c->args[0]);
    return cannot(c, "a set", "");
}

cp_value *cp_fn_sensitive(const cp_fn_call *c) { return cp_mark_sensitive(c->args[0]); }

cp_value *cp_fn_nonsensitive(const cp_fn_call *c) { return cp_unmark(c->args[0]); }

cp_value *cp_fn_issensitive(const cp_fn_call *c)
{
    if (cp_is_sensitive(c->args[0])) return cp_bool(true);
    return cp_is_unknown(c->args[0]) ? cp_unknown() : cp_bool(false);
}
