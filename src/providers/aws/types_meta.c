/*
 * types_meta.c: the data sources about the provider itself — who calls
 * (aws_caller_identity, STS) and where (aws_region, aws_partition).
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_caller_identity_data, cp_aws_region_data,
    cp_aws_partition_data;

const cp_resource_type *const cp_aws_types_meta[] = {
    &cp_aws_caller_identity_data,
    &cp_aws_region_data,
    &cp_aws_partition_data,
    NULL,
};
