/*
 * types_elbv2.c: the Elastic Load Balancing v2 resource types of the AWS
 * provider, one file each (elbv2_<type>.c), with the helpers they share in
 * elbv2_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_lb, cp_aws_lb_target_group, cp_aws_lb_listener,
    cp_aws_lb_listener_rule, cp_aws_lb_data;

const cp_resource_type *const cp_aws_types_elbv2[] = {
    &cp_aws_lb,          &cp_aws_lb_target_group,
    &cp_aws_lb_listener, &cp_aws_lb_listener_rule,
    &cp_aws_lb_data,     NULL,
};
