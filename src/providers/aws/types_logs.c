/*
 * types_logs.c: the CloudWatch Logs resource types of the AWS provider
 * (logs_<type>.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_cloudwatch_log_group;

const cp_resource_type *const cp_aws_types_logs[] = {
    &cp_aws_cloudwatch_log_group,
    NULL,
};
