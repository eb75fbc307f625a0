/*
 * types_rds.c: the RDS resource types of the AWS provider, one file each
 * (rds_<type>.c), with the helpers they share in rds_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_db_subnet_group, cp_aws_db_instance;

const cp_resource_type *const cp_aws_types_rds[] = {
    &cp_aws_db_subnet_group,
    &cp_aws_db_instance,
    NULL,
};
