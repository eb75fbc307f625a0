/*
 * ecs_common.h: what the ECS resource types (ecs_*.c: aws_ecs_cluster,
 * aws_ecs_task_definition, aws_ecs_service) share: the JSON target prefix,
 * tags by ARN (ECS spells them key / value), and the short name at the end
 * of an ECS ARN.
 */
#ifndef CP_PROVIDERS_AWS_ECS_COMMON_H
#define CP_PROVIDERS_AWS_ECS_COMMON_H

#include "providers/aws/aws_common.h"

#define ECS_TARGET "AmazonEC2ContainerServiceV20141113."

/* One ECS call: target is the operation ("CreateCluster"). See cp_aws_json. */
int ecs_call(cp_provider_call *c, const char *op, json_t *body, const char *const *gone,
             json_t **out);

/* The JSON tag list [{"key", "value"}] of a tags map, or NULL when empty. */
json_t *ecs_tags_json(const cp_value *tags);
/* Tags from a response's "tags" list, kept like cp_tags_keep_take. */
cp_value *ecs_tags_read(const json_t *list, const cp_value *prev);
/* UntagResource removed keys, TagResource the new map. 0 / -1. */
int ecs_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags);

/* "web" from "arn:aws:ecs:…:cluster/web" (or s itself when it has no '/'). */
const char *ecs_short_name(const char *s);
/* A string attribute taken as a JSON array of strings (NULL when unset). */
json_t *ecs_strings_json(const cp_value *list);
/* A JSON array of strings as a list value. */
cp_value *ecs_strings_read(const json_t *arr);

#endif
