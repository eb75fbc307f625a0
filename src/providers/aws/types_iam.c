/*
 * types_iam.c: the iam resource types of the AWS provider, one file each
 * (iam_<type>.c), with the helpers they share in iam_common.c and the
 * shared behaviour of look-alike types in iam_inline_policy.c and
 * iam_policy_attach.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_iam_user, cp_aws_iam_access_key, cp_aws_iam_user_policy,
    cp_aws_iam_user_policy_attachment, cp_aws_iam_role, cp_aws_iam_role_policy,
    cp_aws_iam_role_policy_attachment, cp_aws_iam_policy, cp_aws_iam_instance_profile,
    cp_aws_iam_policy_document_data, cp_aws_iam_role_data;

const cp_resource_type *const cp_aws_types_iam[] = {
    &cp_aws_iam_user,
    &cp_aws_iam_access_key,
    &cp_aws_iam_user_policy,
    &cp_aws_iam_user_policy_attachment,
    &cp_aws_iam_role,
    &cp_aws_iam_role_policy,
    &cp_aws_iam_role_policy_attachment,
    &cp_aws_iam_policy,
    &cp_aws_iam_instance_profile,
    &cp_aws_iam_policy_document_data,
    &cp_aws_iam_role_data,
    NULL,
};
