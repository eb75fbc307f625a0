/*
 * types_s3_config.c: the bucket configuration types of S3 split out of
 * aws_s3_bucket in the Terraform AWS provider v4 (s3_bucket_<config>.c),
 * beside the older ones in types_s3.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_s3_bucket_server_side_encryption_configuration,
    cp_aws_s3_bucket_ownership_controls, cp_aws_s3_bucket_website_configuration,
    cp_aws_s3_bucket_lifecycle_configuration;

const cp_resource_type *const cp_aws_types_s3_config[] = {
    &cp_aws_s3_bucket_server_side_encryption_configuration,
    &cp_aws_s3_bucket_ownership_controls,
    &cp_aws_s3_bucket_website_configuration,
    &cp_aws_s3_bucket_lifecycle_configuration,
    NULL,
};
