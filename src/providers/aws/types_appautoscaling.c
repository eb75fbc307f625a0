/*
 * types_appautoscaling.c: the Application Auto Scaling resource types of
 * the AWS provider (appautoscaling_<type>.c, shared helpers in
 * appautoscaling_common.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_appautoscaling_target, cp_aws_appautoscaling_policy;

const cp_resource_type *const cp_aws_types_appautoscaling[] = {
    &cp_aws_appautoscaling_target,
    &cp_aws_appautoscaling_policy,
    NULL,
};
