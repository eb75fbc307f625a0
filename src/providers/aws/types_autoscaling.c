/*
 * types_autoscaling.c: the autoscaling resource types of the AWS provider.
 */
#include "providers/aws/aws_types.h"

const cp_resource_type *const cp_aws_types_autoscaling[] = {
    NULL,
};
