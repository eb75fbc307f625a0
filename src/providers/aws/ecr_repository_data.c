/*
 * ecr_repository_data.c: data source aws_ecr_repository — the repository
 * named `name` (DescribeRepositories, read as the aws_ecr_repository
 * resource reads it): arn, repository_url, registry_id. id = the name.
 */
#include "providers/aws/aws_data.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/ecr_common.h"

#include <string.h>

extern const cp_resource_type cp_aws_ecr_repository;

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = ecr_validate_name,
      .description = "Name of the repository." },
    { .name = "registry_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Account id of the registry; default: the caller's." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the repository." },
    { .name = "repository_url",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "URL to push and pull: <registry>.dkr.ecr.<region>.amazonaws.com/<name>." },
    { .name = "image_tag_mutability",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "MUTABLE or IMMUTABLE." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The repository's tags." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The repository's name." },
    { NULL },
};

static int ecr_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    cp_value *r;
    const char *name = cp_get_str(config, "name"), *reg = cp_get_str(config, "registry_id");
    if (cp_aws_data_read(c, &cp_aws_ecr_repository, name, "ECR repository", &r) != 0) return -1;
    if (reg && strcmp(reg, cp_get_str_or(r, "registry_id", ""))) {
        cp_release(r);
        return cp_fail(c,
                       "%s: no ECR repository named \"%s\" exists in registry %s; check "
                       "registry_id",
                       c->address, name, reg);
    }
    static const char *const keys[] = {
        "arn", "repository_url", "registry_id", "image_tag_mutability", "tags", "id", NULL
    };
    *state = cp_aws_data_state(attrs, config, r, keys);
    cp_release(r);
    return 0;
}

const cp_resource_type cp_aws_ecr_repository_data = {
    .name = "aws_ecr_repository",
    .description = "An ECR repository by name: ARN, URL and registry id (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = ecr_read_data,
};
