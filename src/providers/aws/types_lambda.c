/*
 * types_lambda.c: the lambda resource types of the AWS provider, one file
 * each (lambda_<type>.c), with the helpers they share in lambda_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_lambda_function, cp_aws_lambda_permission;

const cp_resource_type *const cp_aws_types_lambda[] = {
    &cp_aws_lambda_function,
    &cp_aws_lambda_permission,
    NULL,
};
