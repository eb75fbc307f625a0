/*
 * types_route53.c: the Route 53 resource types of the AWS provider, one
 * file each (route53_<type>.c), with the calls they share in
 * route53_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_route53_zone, cp_aws_route53_record, cp_aws_route53_zone_data;

const cp_resource_type *const cp_aws_types_route53[] = {
    &cp_aws_route53_zone,
    &cp_aws_route53_record,
    &cp_aws_route53_zone_data,
    NULL,
};
