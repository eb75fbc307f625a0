/*
 * iam_role_policy.c: aws_iam_role_policy — an inline policy of an IAM
 * role (id = "<role>:<name>"; import by that id). The behaviour is
 * shared with the other inline policy type in iam_inline_policy.c.
 */
#include "providers/aws/iam_common.h"

static const cp_schema_attr attrs[] = {
    { .name = "role",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_validate_name_1_64,
      .description = "Name of the IAM role the policy is embedded in." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = iam_validate_policy_name,
      .description =
          "Name of the policy: 1-128 letters, digits and +=,.@_-. Default: cpstack- and a random suffix." },
    { .name = "policy",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_JSON,
      .validate = cp_validate_json,
      .description = "The policy document (JSON, e.g. from jsonencode()). Changes in place." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "`<role name>:<policy name>` (the import id)." },
    { NULL },
};

static const iam_owner owner = { "Role", "RoleName", "role", attrs };

IAM_INLINE_POLICY_FUNCS(role_policy, owner)

static int role_policy_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                                  cp_value **out)
{
    return iam_inline_read_batch(&owner, c, states, n, out);
}

const cp_resource_type cp_aws_iam_role_policy = {
    .name = "aws_iam_role_policy",
    .description =
        "An inline policy of an IAM role (import by `<role>:<name>`)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = role_policy_create,
    .read = role_policy_read,
    .update = role_policy_update,
    .delete = role_policy_delete,
    .import = role_policy_import,
    .read_batch = role_policy_read_batch,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = role_policy_find,
};
