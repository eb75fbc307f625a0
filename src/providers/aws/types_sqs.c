/*
 * types_sqs.c: the SQS resource types of the AWS provider (sqs_<type>.c).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_sqs_queue, cp_aws_sqs_queue_policy;

const cp_resource_type *const cp_aws_types_sqs[] = {
    &cp_aws_sqs_queue,
    &cp_aws_sqs_queue_policy,
    NULL,
};
