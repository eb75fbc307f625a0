/*
 * schema.c: the pure helpers over schema tables (see schema.h). No state,
 * no provider: a table in, an answer out.
 */
#include "schema/schema.h"

#include <string.h>

const cp_schema_attr *cp_schema_find(const cp_schema_attr *attrs, const char *name)
{
    for (const cp_schema_attr *a = attrs; a && a->name; a++)
        if (strcmp(a->name, name) == 0) return a;
    return NULL;
}

cp_value *cp_schema_mark_sensitive(const cp_schema_attr *schema, const cp_value *attrs,
                                   const cp_value *like)
{
    if (cp_kind_of(attrs) != CP_MAP) return cp_retain(attrs);
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(attrs); i++) {
        const char *k = cp_map_key_at(attrs, i);
        const cp_value *v = cp_map_value_at(attrs, i);
        const cp_schema_attr *a = cp_schema_find(schema, k);
        const cp_value *was = like && cp_kind_of(like) == CP_MAP ? cp_map_get(like, k) : NULL;
        bool secret = (a && (a->flags & CP_SENSITIVE)) || (was && cp_contains_sensitive(was));
        bool mark = secret && !cp_is_sensitive(v) && !cp_is_null(v);
        cp_map_set_take(out, k, mark ? cp_mark_sensitive(v) : cp_retain(v));
    }
    return out;
}
