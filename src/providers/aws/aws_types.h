/*
 * aws_types.h: the per-service lists of resource types that make up the AWS
 * provider. Each types_<service>.c defines one NULL-terminated list; a new
 * type is one file plus one line in its service's list.
 */
#ifndef CP_PROVIDERS_AWS_TYPES_H
#define CP_PROVIDERS_AWS_TYPES_H

#include "providers/provider.h"

extern const cp_resource_type *const cp_aws_types_iam[];
extern const cp_resource_type *const cp_aws_types_s3[];
extern const cp_resource_type *const cp_aws_types_ecr[];
extern const cp_resource_type *const cp_aws_types_ec2[];
extern const cp_resource_type *const cp_aws_types_lambda[];
extern const cp_resource_type *const cp_aws_types_cloudwatch[];
extern const cp_resource_type *const cp_aws_types_logs[];
extern const cp_resource_type *const cp_aws_types_ecs[];
extern const cp_resource_type *const cp_aws_types_elbv2[];
extern const cp_resource_type *const cp_aws_types_rds[];
extern const cp_resource_type *const cp_aws_types_appautoscaling[];
extern const cp_resource_type *const cp_aws_types_autoscaling[];
extern const cp_resource_type *const cp_aws_types_sns[];
extern const cp_resource_type *const cp_aws_types_meta[];
extern const cp_resource_type *const cp_aws_types_acm[];
extern const cp_resource_type *const cp_aws_types_route53[];
extern const cp_resource_type *const cp_aws_types_sqs[];
extern const cp_resource_type *const cp_aws_types_ssm[];
extern const cp_resource_type *const cp_aws_types_s3_config[];
extern const cp_resource_type *const cp_aws_types_secretsmanager[];
extern const cp_resource_type *const cp_aws_types_dynamodb[];
extern const cp_resource_type *const cp_aws_types_events[];

extern const cp_provider cp_provider_aws;

#endif
