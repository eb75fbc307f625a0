/*
 * types_secretsmanager.c: the Secrets Manager resource types of the AWS
 * provider (secretsmanager_<type>.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_secretsmanager_secret, cp_aws_secretsmanager_secret_version;

const cp_resource_type *const cp_aws_types_secretsmanager[] = {
    &cp_aws_secretsmanager_secret,
    &cp_aws_secretsmanager_secret_version,
    NULL,
};
