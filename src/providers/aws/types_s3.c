/*
 * types_s3.c: the s3 resource types of the AWS provider, one file each
 * (s3_<type>.c), with the helpers they share in s3_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_s3_bucket, cp_aws_s3_bucket_policy,
    cp_aws_s3_bucket_public_access_block, cp_aws_s3_bucket_versioning,
    cp_aws_s3_bucket_notification, cp_aws_s3_object, cp_aws_s3_bucket_data;

const cp_resource_type *const cp_aws_types_s3[] = {
    &cp_aws_s3_bucket,
    &cp_aws_s3_bucket_policy,
    &cp_aws_s3_bucket_public_access_block,
    &cp_aws_s3_bucket_versioning,
    &cp_aws_s3_bucket_notification,
    &cp_aws_s3_object,
    &cp_aws_s3_bucket_data,
    NULL,
};
