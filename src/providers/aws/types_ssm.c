/*
 * types_ssm.c: the SSM resource types and data sources of the AWS provider
 * (ssm_<type>.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_ssm_parameter, cp_aws_ssm_parameter_data;

const cp_resource_type *const cp_aws_types_ssm[] = {
    &cp_aws_ssm_parameter,
    &cp_aws_ssm_parameter_data,
    NULL,
};
