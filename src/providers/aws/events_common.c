/*
 * events_common.c: EventBridge helpers shared by the rule and target types
 * (see events_common.h).
 */
#include "providers/aws/events_common.h"

#include <string.h>

const char *events_validate_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    const char *s = cp_string_val(v);
    if (n < 1 || n > 64 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
        return "is 1 to 64 letters, digits and . _ -";
    return NULL;
}

bool events_default_bus(const char *bus) { return !bus || !*bus || !strcmp(bus, "default"); }

void events_set_bus(json_t *in, const char *bus)
{
    if (!events_default_bus(bus)) json_object_set_new(in, "EventBusName", json_string(bus));
}
