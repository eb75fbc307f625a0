/*
 * types_ecs.c: the ecs resource types of the AWS provider.
 */
#include "providers/aws/aws_types.h"

const cp_resource_type *const cp_aws_types_ecs[] = {
    NULL,
};
