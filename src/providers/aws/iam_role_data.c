/*
 * iam_role_data.c: data source aws_iam_role — the role named `name`
 * (GetRole, read as the aws_iam_role resource reads it): arn, unique_id,
 * path, assume_role_policy (decoded JSON) and the rest. id = the name.
 */
#include "providers/aws/aws_data.h"
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_iam_role;

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = cp_validate_name_1_64,
      .description = "Name of the role." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the role." },
    { .name = "unique_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The role's stable unique id (AROA…)." },
    { .name = "path",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Path of the role, e.g. /." },
    { .name = "assume_role_policy",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED | CP_JSON,
      .description = "The trust policy (JSON)." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Description of the role." },
    { .name = "max_session_duration",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Longest session, in seconds." },
    { .name = "create_date",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "When the role was made (ISO 8601)." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The role's tags." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "The role's name." },
    { NULL },
};

static int role_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    cp_value *r;
    if (cp_aws_data_read(c, &cp_aws_iam_role, cp_get_str(config, "name"), "IAM role", &r) != 0)
        return -1;
    static const char *const keys[] = { "arn",         "unique_id",
                                        "path",        "assume_role_policy",
                                        "description", "max_session_duration",
                                        "create_date", "tags",
                                        "id",          NULL };
    *state = cp_aws_data_state(attrs, config, r, keys);
    cp_release(r);
    return 0;
}

const cp_resource_type cp_aws_iam_role_data = {
    .name = "aws_iam_role",
    .description = "An IAM role by name: ARN, unique id, path and trust policy (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = role_read_data,
};
