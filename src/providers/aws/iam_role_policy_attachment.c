/*
 * iam_role_policy_attachment.c: aws_iam_role_policy_attachment — a
 * managed policy attached to an IAM role (id = "<role>/<policy arn>";
 * import by that id). Shared behaviour in iam_policy_attach.c.
 */
#include "providers/aws/iam_common.h"

static const cp_schema_attr attrs[] = {
    { .name = "role",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_validate_name_1_64,
      .description = "Name of the IAM role to attach the policy to." },
    { .name = "policy_arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = iam_validate_arn,
      .description = "ARN of the managed policy, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "`<role name>/<policy ARN>` (the import id)." },
    { NULL },
};

static const iam_owner owner = { "Role", "RoleName", "role", attrs };

IAM_ATTACH_FUNCS(role_attach, owner)

static int role_attach_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                                  cp_value **out)
{
    return iam_attach_read_batch(&owner, c, states, n, out);
}

const cp_resource_type cp_aws_iam_role_policy_attachment = {
    .name = "aws_iam_role_policy_attachment",
    .description = "A managed policy attached to an IAM role (import by `<role>/<policy arn>`).",
    .attrs = attrs,
    .create = role_attach_create,
    .read = role_attach_read,
    .read_batch = role_attach_read_batch,
    .delete = role_attach_delete,
    .import = role_attach_import,
    .recovery = CP_RECOVER_ID,
    .find = role_attach_find,
};
