/*
 * ecs_common.c: helpers shared by the ECS resource types (see ecs_common.h).
 */
#include "providers/aws/ecs_common.h"

#include <stdio.h>
#include <string.h>

int ecs_call(cp_provider_call *c, const char *op, json_t *body, const char *const *gone,
             json_t **out)
{
    char target[128];
    snprintf(target, sizeof target, ECS_TARGET "%s", op);
    return cp_aws_json(c, "ecs", target, body, gone, out);
}

json_t *ecs_tags_json(const cp_value *tags)
{
    if (!tags || cp_kind_of(tags) != CP_MAP || !cp_len(tags)) return NULL;
    return cp_aws_tags_to_json(tags, "key", "value");
}

cp_value *ecs_tags_read(const json_t *list, const cp_value *prev)
{
    return cp_tags_keep_take(cp_aws_tags_from_json(list, "key", "value"), prev);
}

int ecs_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags)
{
    static const cp_aws_json_tagging t = { "ecs", ECS_TARGET "UntagResource",
                                           ECS_TARGET "TagResource", "key", "value" };
    return cp_aws_json_tags_update(c, &t, arn, old_tags, new_tags);
}

const char *ecs_short_name(const char *s)
{
    const char *slash = s ? strrchr(s, '/') : NULL;
    return slash ? slash + 1 : s;
}

json_t *ecs_strings_json(const cp_value *list)
{
    if (!list || cp_kind_of(list) != CP_LIST) return NULL;
    json_t *a = json_array();
    for (size_t i = 0; i < cp_len(list); i++)
        json_array_append_new(a, json_string(cp_string_val(cp_list_get(list, i))));
    return a;
}

cp_value *ecs_strings_read(const json_t *arr)
{
    cp_value *l = cp_list_new();
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) if (json_is_string(e))
        cp_list_push_take(l, cp_string(json_string_value(e)));
    return l;
}
