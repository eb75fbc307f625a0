/*
 * types_iam.c: the iam resource types of the AWS provider, one file each
 * (iam_<type>.c), with the helpers they share in iam_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_iam_user;

const cp_resource_type *const cp_aws_types_iam[] = {
    &cp_aws_iam_user,
    NULL,
};
