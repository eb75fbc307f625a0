/*
 * aws_data.c: the look-up-by-name helpers of the AWS data sources (see
 * aws_data.h).
 */
#include "providers/aws/aws_data.h"

int cp_aws_data_read(cp_provider_call *c, const cp_resource_type *rt, const char *id,
                     const char *what, cp_value **out)
{
    *out = NULL;
    if (!id || !*id) return cp_fail(c, "%s: no %s is named; set its name", c->address, what);
    cp_value *key = cp_map_new();
    cp_set_str(key, "id", id);
    int rc = rt->read(c, key, out);
    cp_release(key);
    if (rc != 0) return -1;
    if (*out) return 0;
    return cp_fail(c,
                   "%s: no %s named \"%s\" exists in this account and region; check the name "
                   "(or create it first)",
                   c->address, what, id);
}

cp_value *cp_aws_data_state(const cp_schema_attr *attrs, const cp_value *config,
                            const cp_value *from, const char *const *keys)
{
    cp_value *s = cp_state_start(attrs, config);
    for (const char *const *k = keys; *k; k++) {
        const cp_value *v = cp_map_get(from, *k);
        cp_set_take(s, *k, v ? cp_retain(v) : cp_null());
    }
    return s;
}
