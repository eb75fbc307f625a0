/*
 * types_cloudwatch.c: the cloudwatch resource types of the AWS provider
 * (cloudwatch_<type>.c; log groups are in types_logs.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_cloudwatch_metric_alarm;

const cp_resource_type *const cp_aws_types_cloudwatch[] = {
    &cp_aws_cloudwatch_metric_alarm,
    NULL,
};
