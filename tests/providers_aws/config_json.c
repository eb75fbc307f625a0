/*
 * config_json.c: a JSON text as a cp_value config for the rule tests (see
 * config_json.h).
 */
#include "config_json.h"

#include <string.h>

cp_value *cpt_config_from_json(const json_t *j)
{
    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        return strcmp(s, "?") ? cp_string(s) : cp_unknown();
    }
    if (json_is_number(j)) return cp_number(json_number_value(j));
    if (json_is_boolean(j)) return cp_bool(json_is_true(j));
    if (json_is_array(j)) {
        cp_value *l = cp_list_new();
        for (size_t i = 0; i < json_array_size(j); i++)
            cp_list_push_take(l, cpt_config_from_json(json_array_get(j, i)));
        return l;
    }
    if (json_is_object(j)) {
        cp_value *m = cp_map_new();
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) cp_map_set_take(m, k, cpt_config_from_json(v));
        return m;
    }
    return cp_null();
}
