/*
 * iam_user.c: aws_iam_user — an IAM user (id = user name). Renames and
 * path changes are made in place with UpdateUser. With force_destroy,
 * delete first removes the user's access keys, inline policies and
 * attached managed policies, which IAM otherwise refuses to orphan.
 *
 * No batch read yet: ListUsers has no tags, GetAccountAuthorizationDetails (User)
 * has them, but the emulator answers that call for roles only, so it is untested.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/iam_common.h"

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = cp_validate_name_1_64,
      .description =
          "Name of the user: 1-64 letters, digits and +=,.@_-. A change renames the user in place." },
    { .name = "path",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"/\"",
      .validate = iam_validate_path,
      .description = "Path of the user, starting and ending with /, e.g. /ops/. Default /." },
    { .name = "force_destroy",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "On delete, first remove the user's access keys, inline policies and attached policies." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the user." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the user." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the user." },
    { .name = "unique_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Stable unique id IAM assigned to the user (AIDA…)." },
    { NULL },
};

static int user_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    xmlDocPtr doc;
    *out = NULL;
    int rc = iam_call1(c, "GetUser", "UserName", cp_get_str(state, "id"), &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr u = aws_xml_find(aws_xml_root(doc), "GetUserResult/User");
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_xml(s, "id", u, "UserName");
    cp_set_xml(s, "name", u, "UserName");
    cp_set_xml(s, "path", u, "Path");
    cp_set_xml(s, "arn", u, "Arn");
    cp_set_xml(s, "unique_id", u, "UserId");
    cp_set_bool(s, "force_destroy", cp_get_bool(state, "force_destroy", false));
    cp_set_take(s, "tags", iam_tags_read(u, "Tags", cp_map_get(state, "tags")));
    xmlFreeDoc(doc);
    *out = s;
    return 0;
}

static int user_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "UserName", cp_get_str(config, "name"));
    aws_params_add(p, "Path", cp_get_str(config, "path") ? cp_get_str(config, "path") : "/");
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_query(c, "iam", "CreateUser", p, NULL, NULL);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    return cp_aws_reread(c, user_read, attrs, config, cp_get_str(config, "name"), state);
}

static int user_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    if (cp_changed(old, config, "name") || cp_changed(old, config, "path")) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "UserName", name);
        if (cp_changed(old, config, "name"))
            aws_params_add(p, "NewUserName", cp_get_str(config, "name"));
        if (cp_changed(old, config, "path"))
            aws_params_add(p, "NewPath", cp_get_str(config, "path"));
        int rc = cp_aws_query(c, "iam", "UpdateUser", p, NULL, NULL);
        aws_params_free(p);
        if (rc != 0) return -1;
        name = cp_get_str(config, "name");
    }
    if (cp_changed(old, config, "tags") &&
        iam_update_tags(c, "User", "UserName", name, cp_get_map(old, "tags"),
                        cp_get_map(config, "tags")))
        return -1;
    return cp_aws_reread(c, user_read, attrs, config, name, state);
}

/* Removes what IAM will not let a user be deleted with; for force_destroy. */
static int user_empty(cp_provider_call *c, const char *name)
{
    static const struct {
        const char *list, *items, *field, *del, *param;
    } parts[] = {
        { "ListAccessKeys", "ListAccessKeysResult/AccessKeyMetadata/member", "AccessKeyId",
          "DeleteAccessKey", "AccessKeyId" },
        { "ListUserPolicies", "ListUserPoliciesResult/PolicyNames/member", NULL, "DeleteUserPolicy",
          "PolicyName" },
        { "ListAttachedUserPolicies", "ListAttachedUserPoliciesResult/AttachedPolicies/member",
          "PolicyArn", "DetachUserPolicy", "PolicyArn" },
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        cp_value *l;
        int rc = iam_list(c, parts[i].list, "UserName", name, parts[i].items, parts[i].field, &l);
        if (rc != 0) return rc < 0 ? -1 : 0;
        for (size_t j = 0; rc == 0 && j < cp_len(l); j++) {
            aws_params *p = aws_params_new();
            aws_params_add(p, "UserName", name);
            aws_params_add(p, parts[i].param, cp_string_val(cp_list_get(l, j)));
            rc = cp_aws_query(c, "iam", parts[i].del, p, iam_gone, NULL) < 0 ? -1 : 0;
            aws_params_free(p);
        }
        cp_release(l);
        if (rc != 0) return -1;
    }
    return 0;
}

static int user_delete(cp_provider_call *c, const cp_value *state)
{
    const char *name = cp_get_str(state, "id");
    if (cp_get_bool(state, "force_destroy", false) && user_empty(c, name) != 0) return -1;
    return iam_call1(c, "DeleteUser", "UserName", name, NULL) < 0 ? -1 : 0;
}

static int user_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, user_read, id, state);
}

/* An interrupted create is found by its name (= its id). */
static int user_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, user_read, intent, "name", state);
}

const cp_resource_type cp_aws_iam_user = {
    .name = "aws_iam_user",
    .description = "An IAM user (import by user name).",
    .attrs = attrs,
    .create = user_create,
    .read = user_read,
    .update = user_update,
    .delete = user_delete,
    .import = user_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = user_find,
};
