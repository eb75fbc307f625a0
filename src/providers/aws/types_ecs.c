/*
 * types_ecs.c: the ECS resource types of the AWS provider, one file each
 * (ecs_<type>.c), with the helpers they share in ecs_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_ecs_cluster, cp_aws_ecs_task_definition, cp_aws_ecs_service;

const cp_resource_type *const cp_aws_types_ecs[] = {
    &cp_aws_ecs_cluster,
    &cp_aws_ecs_task_definition,
    &cp_aws_ecs_service,
    NULL,
};
