/*
 * types_ec2.c: the ec2 resource types and data sources of the AWS
 * provider, one file each (ec2_<type>.c), with what they share in
 * ec2_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_vpc, cp_aws_subnet, cp_aws_internet_gateway,
    cp_aws_route_table, cp_aws_route_table_association, cp_aws_security_group, cp_aws_key_pair,
    cp_aws_instance, cp_aws_eip, cp_aws_nat_gateway, cp_aws_launch_template, cp_aws_ami_data,
    cp_aws_availability_zones_data, cp_aws_vpc_data, cp_aws_subnet_data, cp_aws_subnets_data,
    cp_aws_security_group_data, cp_aws_vpc_security_group_ingress_rule,
    cp_aws_vpc_security_group_egress_rule, cp_aws_security_group_rule;

const cp_resource_type *const cp_aws_types_ec2[] = {
    &cp_aws_vpc,
    &cp_aws_subnet,
    &cp_aws_internet_gateway,
    &cp_aws_route_table,
    &cp_aws_route_table_association,
    &cp_aws_security_group,
    &cp_aws_vpc_security_group_ingress_rule,
    &cp_aws_vpc_security_group_egress_rule,
    &cp_aws_security_group_rule,
    &cp_aws_key_pair,
    &cp_aws_instance,
    &cp_aws_eip,
    &cp_aws_nat_gateway,
    &cp_aws_launch_template,
    &cp_aws_ami_data,
    &cp_aws_availability_zones_data,
    &cp_aws_vpc_data,
    &cp_aws_subnet_data,
    &cp_aws_subnets_data,
    &cp_aws_security_group_data,
    NULL,
};
