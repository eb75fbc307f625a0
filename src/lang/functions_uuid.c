/*
 * functions_uuid.c: uuid (random, version 4) and uuidv5 (name-based, SHA-1)
 * with libuuid. uuidv5's namespace is "dns", "url", "oid", "x500" or a
 * UUID in its usual text form. uuid() gives a different value each call.
 */
#include "lang/functions_internal.h"

#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

static cp_value *text_of(const uuid_t u)
{
    char s[37];
    uuid_unparse_lower(u, s);
    return cp_string(s);
}

cp_value *cp_fn_uuid(const cp_fn_call *c)
{
    (void)c;
    uuid_t u;
    uuid_generate_random(u);
    return text_of(u);
}

cp_value *cp_fn_uuidv5(const cp_fn_call *c)
{
    const char *ns = cp_string_val(c->args[0]);
    uuid_t space, out;
    bool named =
        !strcmp(ns, "dns") || !strcmp(ns, "url") || !strcmp(ns, "oid") || !strcmp(ns, "x500");
    const uuid_t *tpl = named ? uuid_get_template(ns) : NULL;
    if (tpl)
        uuid_copy(space, *tpl);
    else if (uuid_parse(ns, space) != 0) {
        char *shown = cp_value_repr(c->args[0]);
        cp__fn_arg_error(c, 0,
                         "%s is not a namespace: give \"dns\", \"url\", \"oid\", \"x500\" or a "
                         "UUID",
                         shown);
        free(shown);
        return NULL;
    }
    uuid_generate_sha1(out, space, cp_string_val(c->args[1]), cp_string_len(c->args[1]));
    return text_of(out);
}
