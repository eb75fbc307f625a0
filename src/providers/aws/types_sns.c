/*
 * types_sns.c: the SNS resource types of the AWS provider, one file each
 * (sns_<type>.c), with the helpers they share in sns_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_sns_topic, cp_aws_sns_topic_subscription;

const cp_resource_type *const cp_aws_types_sns[] = {
    &cp_aws_sns_topic,
    &cp_aws_sns_topic_subscription,
    NULL,
};
