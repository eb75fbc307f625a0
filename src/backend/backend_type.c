/*
 * backend_type.c: finding a backend type in a list, and reading the
 * settings a type's open function is given (see backend_type.h). The list
 * itself belongs to whoever builds it (the CLI); this file holds none.
 */
#include "backend/backend_type.h"

#include <string.h>

const cp_backend_type *cp_backend_type_find(const cp_backend_type *const *types, const char *name)
{
    for (const cp_backend_type *const *t = types; t && *t; t++)
        if (!strcmp((*t)->name, name)) return *t;
    return NULL;
}

const char *cp_backend_setting_str(const cp_value *settings, const char *name)
{
    const cp_value *v = settings ? cp_map_get(settings, name) : NULL;
    return v && cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
}

bool cp_backend_setting_bool(const cp_value *settings, const char *name, bool def)
{
    const cp_value *v = settings ? cp_map_get(settings, name) : NULL;
    return v && cp_kind_of(v) == CP_BOOL ? cp_bool_val(v) : def;
}
