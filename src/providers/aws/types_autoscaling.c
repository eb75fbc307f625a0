/*
 * types_autoscaling.c: the EC2 Auto Scaling resource types of the AWS
 * provider (autoscaling_<type>.c). Launch templates are EC2's
 * (ec2_launch_template.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_autoscaling_group;

const cp_resource_type *const cp_aws_types_autoscaling[] = {
    &cp_aws_autoscaling_group,
    NULL,
};
