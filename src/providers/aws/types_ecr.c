/*
 * types_ecr.c: the ecr resource types of the AWS provider, one file each
 * (ecr_<type>.c), with the helpers they share in ecr_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_ecr_repository, cp_aws_ecr_lifecycle_policy,
    cp_aws_ecr_repository_policy, cp_aws_ecr_repository_data;

const cp_resource_type *const cp_aws_types_ecr[] = {
    &cp_aws_ecr_repository,
    &cp_aws_ecr_lifecycle_policy,
    &cp_aws_ecr_repository_policy,
    &cp_aws_ecr_repository_data,
    NULL,
};
