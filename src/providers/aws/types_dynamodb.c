/*
 * types_dynamodb.c: the DynamoDB resource types of the AWS provider
 * (dynamodb_<type>.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_dynamodb_table;

const cp_resource_type *const cp_aws_types_dynamodb[] = {
    &cp_aws_dynamodb_table,
    NULL,
};
