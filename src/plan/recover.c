/*
 * recover.c: the recovery key of an interrupted create (see recover.h):
 * what the intent records before the call, and the look-up afterwards.
 *
 * The look-up never guesses: a type with find() answers found / not found /
 * cannot tell; a type without one is read by the id its intent holds; with
 * neither, the answer is "cannot tell" with what to look for and the
 * commands that settle it, never "nothing there".
 */
#include "plan/recover.h"
#include "state/state.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str_of(const cp_value *m, const char *key)
{
    const cp_value *v = m && cp_kind_of(m) == CP_MAP ? cp_map_get(m, key) : NULL;
    return v && cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
}

/* "<prefix><26 hex digits>", as the Terraform AWS provider makes names up. */
static cp_value *made_up_name(const char *prefix)
{
    char u[37], hex[27];
    cp_uuid4(u);
    size_t k = 0;
    for (const char *s = u; *s && k < 26; s++)
        if (*s != '-') hex[k++] = *s;
    hex[k] = '\0';
    char *name = cp_xasprintf("%s%s", prefix ? prefix : "cpstack-", hex);
    cp_value *v = cp_string(name);
    free(name);
    return v;
}

cp_value *cp_recover_prepare(const cp_resource_type *rt, const cp_value *cfg)
{
    if (!rt || rt->recovery == CP_RECOVER_NONE || cp_kind_of(cfg) != CP_MAP) return cp_retain(cfg);
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(cfg); i++)
        cp_map_set_take(out, cp_map_key_at(cfg, i), cp_retain(cp_map_value_at(cfg, i)));
    char u[37];
    cp_uuid4(u);
    cp_map_set_take(out, CP_INTENT_KEY, cp_string(u));
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    cp_map_set_take(out, CP_INTENT_AT_KEY, cp_string(at));
    const char *attr = rt->recovery == CP_RECOVER_NAME ? rt->recovery_name : NULL;
    if (attr && !str_of(cfg, attr)) {
        const char *prefix = rt->recovery_prefix ? str_of(cfg, rt->recovery_prefix) : NULL;
        cp_map_set_take(out, attr, made_up_name(prefix));
    }
    return out;
}

cp_value *cp_recover_strip(const cp_value *state)
{
    if (!state || cp_kind_of(state) != CP_MAP ||
        (!cp_map_get(state, CP_INTENT_KEY) && !cp_map_get(state, CP_INTENT_AT_KEY)))
        return state ? cp_retain(state) : NULL;
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(state); i++)
        if (strcmp(cp_map_key_at(state, i), CP_INTENT_KEY) != 0 &&
            strcmp(cp_map_key_at(state, i), CP_INTENT_AT_KEY) != 0)
            cp_map_set_take(out, cp_map_key_at(state, i), cp_retain(cp_map_value_at(state, i)));
    return out;
}

char *cp_recover_describe(const cp_resource_type *rt, const cp_value *intent)
{
    const char *id = str_of(intent, "id"), *uuid = str_of(intent, CP_INTENT_KEY);
    const char *name = rt && rt->recovery_name ? str_of(intent, rt->recovery_name) : NULL;
    cp_recovery_key k = rt ? rt->recovery : CP_RECOVER_ID;
    if (k == CP_RECOVER_NAME && name) return cp_xasprintf("%s %s", rt->recovery_name, name);
    if (k == CP_RECOVER_TOKEN && uuid)
        return cp_xasprintf("ClientToken or tag %s=%s", CP_INTENT_KEY, uuid);
    if (k == CP_RECOVER_TAG && uuid) return cp_xasprintf("tag %s=%s", CP_INTENT_KEY, uuid);
    if (id) return cp_xasprintf("id %s", id);
    return cp_xstrdup(uuid ? uuid : "its configuration");
}

static int cannot_tell(const cp_resource_type *rt, cp_provider_call *c, const cp_value *intent)
{
    char *what = cp_recover_describe(rt, intent);
    const char *a = c->address ? c->address : "?";
    free(c->error);
    c->error = cp_xasprintf("%s: a create was interrupted and cpstack cannot tell whether it made "
                            "the object; look for the %s with the provider's console or CLI, then "
                            "run cpstack state rm %s, and if it exists cpstack import %s ID",
                            a, what, a, a);
    free(what);
    return -1;
}

int cp_recover_find(const cp_resource_type *rt, cp_provider_call *c, const cp_value *intent,
                    cp_value **state)
{
    *state = NULL;
    if (!rt) return cannot_tell(rt, c, intent);
    if (rt->recovery == CP_RECOVER_NONE) return 0;
    cp_value *found = NULL;
    int rc;
    if (rt->find)
        rc = rt->find(c, intent, &found);
    else if (rt->read && str_of(intent, "id"))
        rc = rt->read(c, intent, &found);
    else
        return cannot_tell(rt, c, intent);
    if (rc != 0) {
        cp_release(found);
        if (!c->error) return cannot_tell(rt, c, intent);
        return -1;
    }
    *state = cp_recover_strip(found);
    cp_release(found);
    return 0;
}
