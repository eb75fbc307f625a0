/*
 * types_rds.c: the rds resource types of the AWS provider.
 */
#include "providers/aws/aws_types.h"

const cp_resource_type *const cp_aws_types_rds[] = {
    NULL,
};
