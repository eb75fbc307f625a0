/*
 * types_s3.c: the s3 resource types of the AWS provider.
 */
#include "providers/aws/aws_types.h"

const cp_resource_type *const cp_aws_types_s3[] = {
    NULL,
};
