/*
 * types_acm.c: the ACM resource types of the AWS provider, one file each
 * (acm_<type>.c), with the calls they share in acm_common.c.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_acm_certificate, cp_aws_acm_certificate_validation,
    cp_aws_acm_certificate_data;

const cp_resource_type *const cp_aws_types_acm[] = {
    &cp_aws_acm_certificate,
    &cp_aws_acm_certificate_validation,
    &cp_aws_acm_certificate_data,
    NULL,
};
