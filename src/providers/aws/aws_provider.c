/*
 * aws_provider.c: the "aws" provider — configuration (one aws_client per
 * run, from the stack's region and the usual AWS environment) and the table
 * of every AWS resource type, gathered from the per-service lists.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/rules.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const cp_resource_type *const *const service_lists[] = {
    cp_aws_types_iam,
    cp_aws_types_s3,
    cp_aws_types_ecr,
    cp_aws_types_ec2,
    cp_aws_types_lambda,
    cp_aws_types_cloudwatch,
    cp_aws_types_logs,
    cp_aws_types_ecs,
    cp_aws_types_elbv2,
    cp_aws_types_rds,
    cp_aws_types_appautoscaling,
    cp_aws_types_autoscaling,
    cp_aws_types_sns,
    cp_aws_types_sqs,
    cp_aws_types_ssm,
    cp_aws_types_s3_config,
    cp_aws_types_secretsmanager,
};

/* All types in one NULL-terminated array, built once at start-up. */
static const cp_resource_type *all_types[512];

__attribute__((constructor)) static void gather_types(void)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof service_lists / sizeof *service_lists; i++)
        for (const cp_resource_type *const *t = service_lists[i]; *t; t++)
            if (n + 1 < sizeof all_types / sizeof *all_types) all_types[n++] = *t;
    all_types[n] = NULL;
}

static int aws_configure(const cp_value *settings, void **client, char **err)
{
    const cp_value *region = cp_map_get(settings, "region");
    const cp_value *cli_region = cp_map_get(settings, "cli_region");
    aws_client_options o = { 0 };
    o.stack_region = region && cp_kind_of(region) == CP_STRING ? cp_string_val(region) : NULL;
    o.cli_region =
        cli_region && cp_kind_of(cli_region) == CP_STRING ? cp_string_val(cli_region) : NULL;
    aws_client *c = aws_client_new(&o, err);
    if (!c) return -1;
    *client = c;
    return 0;
}

static void aws_close(void *client) { aws_client_free(client); }

const cp_provider cp_provider_aws = {
    .name = "aws",
    .types = all_types,
    .configure = aws_configure,
    .close = aws_close,
    .validate_instance = cp_aws_check_rules,
};
