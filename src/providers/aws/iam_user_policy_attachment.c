/*
 * iam_user_policy_attachment.c: aws_iam_user_policy_attachment — a
 * managed policy attached to an IAM user (id = "<user>/<policy arn>";
 * import by that id). Shared behaviour in iam_policy_attach.c.
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
      .description = "Name of the IAM user to attach the policy to." },
    { .name = "policy_arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = iam_validate_arn,
      .description = "ARN of the managed policy, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "`<user name>/<policy ARN>` (the import id)." },
    { NULL },
};

static const iam_owner owner = { "User", "UserName", "user", attrs };

IAM_ATTACH_FUNCS(user_attach, owner)

const cp_resource_type cp_aws_iam_user_policy_attachment = {
    .name = "aws_iam_user_policy_attachment",
    .description = "A managed policy attached to an IAM user (import by `<user>/<policy arn>`).",
    .attrs = attrs,
    .create = user_attach_create,
    .read = user_attach_read,
    .delete = user_attach_delete,
    .import = user_attach_import,
    .recovery = CP_RECOVER_ID,
    .find = user_attach_find,
};
