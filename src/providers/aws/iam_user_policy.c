/*
 * iam_user_policy.c: aws_iam_user_policy — an inline policy of an IAM
 * user (id = "<user>:<name>"; import by that id). The behaviour is
 * shared with the other inline policy type in iam_inline_policy.c.
 *
 * No batch read yet: the role variant's (GetAccountAuthorizationDetails) would
 * serve with the User filter, which the emulator does not answer, so it is untested.
 */
#include "providers/aws/iam_common.h"

static const cp_schema_attr attrs[] = {
    { .name = "user",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_validate_name_1_64,
      .description = "Name of the IAM user the policy is embedded in." },
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
      .description = "`<user name>:<policy name>` (the import id)." },
    { NULL },
};

static const iam_owner owner = { "User", "UserName", "user", attrs };

IAM_INLINE_POLICY_FUNCS(user_policy, owner)

const cp_resource_type cp_aws_iam_user_policy = {
    .name = "aws_iam_user_policy",
    .description =
        "An inline policy of an IAM user (import by `<user>:<name>`)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = user_policy_create,
    .read = user_policy_read,
    .update = user_policy_update,
    .delete = user_policy_delete,
    .import = user_policy_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = user_policy_find,
};
