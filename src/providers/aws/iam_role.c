/*
 * iam_role.c: aws_iam_role — an IAM role (id = role name). The trust
 * policy, description, session length and tags change in place; name and
 * path force a new role. Delete first takes the role out of its instance
 * profiles and, with force_detach_policies, removes its policies (IAM
 * refuses to delete a role that still has them).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/iam_common.h"

#include <stdio.h>

static const char *validate_session(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 3600 && n <= 43200 ? NULL : "max_session_duration is 3600 to 43200 seconds";
}

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = cp_validate_name_1_64,
      .description =
          "Name of the role: 1-64 letters, digits and +=,.@_-. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "assume_role_policy",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_JSON,
      .validate = cp_validate_json,
      .description =
          "Trust policy (JSON): who may assume the role, e.g. the ec2.amazonaws.com service." },
    { .name = "path",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"/\"",
      .validate = iam_validate_path,
      .description = "Path of the role, starting and ending with /. Default /." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the role." },
    { .name = "max_session_duration",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "3600",
      .validate = validate_session,
      .description =
          "Maximum session length in seconds when the role is assumed: 3600 to 43200. Default 3600." },
    { .name = "force_detach_policies",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "On delete, first remove the role's inline policies and detach its managed policies." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the role." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the role." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the role." },
    { .name = "unique_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Stable unique id IAM assigned to the role (AROA…)." },
    { .name = "create_date",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "When the role was created (ISO 8601)." },
    { NULL },
};

/* The state from a Role element r (GetRole, ListRoles); tags from the
 * Tags element below tags_from (GetRole's role, or a role detail). */
static cp_value *role_state(xmlNodePtr r, xmlNodePtr tags_from, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_xml(s, "name", r, "RoleName");
    cp_set_xml(s, "path", r, "Path");
    cp_set_xml(s, "description", r, "Description");
    cp_set_xml_num(s, "max_session_duration", r, "MaxSessionDuration", 3600);
    cp_set_xml(s, "arn", r, "Arn");
    cp_set_xml(s, "unique_id", r, "RoleId");
    cp_set_xml(s, "create_date", r, "CreateDate");
    cp_set_bool(s, "force_detach_policies", cp_get_bool(state, "force_detach_policies", false));
    cp_set_take(
        s, "assume_role_policy",
        iam_policy_read(r, "AssumeRolePolicyDocument", cp_get_str(state, "assume_role_policy")));
    cp_set_take(s, "tags", iam_tags_read(tags_from, "Tags", cp_map_get(state, "tags")));
    return s;
}

static int role_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    xmlDocPtr doc;
    *out = NULL;
    int rc = iam_call1(c, "GetRole", "RoleName", cp_get_str(state, "id"), &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr r = aws_xml_find(aws_xml_root(doc), "GetRoleResult/Role");
    *out = role_state(r, r, state);
    xmlFreeDoc(doc);
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * ListRoles (pages of 1000) has every attribute kept but the tags (AWS leaves Tags out of
 * listings); GetAccountAuthorizationDetails for roles (pages of 1000) has the tags but no
 * description or session length. So any number of roles cost two calls per 1000 roles in
 * the account. A role in neither listing is read by GetRole (gone, or just made). */
static int role_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                           cp_value **out)
{
    iam_listing roles, details;
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    int rc = iam_list_all(c, "ListRoles", NULL, "ListRolesResult/Roles/member", "RoleName", &roles);
    if (rc == 0)
        rc = iam_list_details(c, "Role", &details);
    else
        details = (iam_listing){ 0 };
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *name = cp_get_str(states[i], "id");
        xmlNodePtr r = iam_listing_find(&roles, name), d = iam_listing_find(&details, name);
        if (r && d) out[i] = role_state(r, d, states[i]);
    }
    iam_listing_free(&roles);
    iam_listing_free(&details);
    if (rc != 0) return cp_aws_batch_fallback(c, role_read, states, n, out);
    if (cp_aws_read_rest(c, role_read, states, NULL, n, out) != 0) return cp_aws_batch_fail(out, n);
    return 0;
}

static int role_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "RoleName", cp_get_str(config, "name"));
    aws_params_add(p, "AssumeRolePolicyDocument", cp_get_str(config, "assume_role_policy"));
    aws_params_add(p, "Path", cp_get_str(config, "path") ? cp_get_str(config, "path") : "/");
    if (cp_get_str(config, "description"))
        aws_params_add(p, "Description", cp_get_str(config, "description"));
    char dur[32];
    snprintf(dur, sizeof dur, "%.0f", cp_get_num(config, "max_session_duration", 3600));
    aws_params_add(p, "MaxSessionDuration", dur);
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_query(c, "iam", "CreateRole", p, NULL, NULL);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    return cp_aws_reread(c, role_read, attrs, config, cp_get_str(config, "name"), state);
}

static int role_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    int rc = 0;
    if (cp_changed(old, config, "assume_role_policy")) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "RoleName", name);
        aws_params_add(p, "PolicyDocument", cp_get_str(config, "assume_role_policy"));
        rc = cp_aws_query(c, "iam", "UpdateAssumeRolePolicy", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && (cp_changed(old, config, "description") ||
                    cp_changed(old, config, "max_session_duration"))) {
        char dur[32];
        snprintf(dur, sizeof dur, "%.0f", cp_get_num(config, "max_session_duration", 3600));
        aws_params *p = aws_params_new();
        aws_params_add(p, "RoleName", name);
        aws_params_add(p, "Description",
                       cp_get_str(config, "description") ? cp_get_str(config, "description") : "");
        aws_params_add(p, "MaxSessionDuration", dur);
        rc = cp_aws_query(c, "iam", "UpdateRole", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = iam_update_tags(c, "Role", "RoleName", name, cp_get_map(old, "tags"),
                             cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, role_read, attrs, config, name, state);
}

/* Calls action(RoleName=role, param=each item of list action) for every item. */
static int role_each(cp_provider_call *c, const char *role, const char *list, const char *items,
                     const char *field, const char *action, const char *param)
{
    cp_value *l;
    int rc = iam_list(c, list, "RoleName", role, items, field, &l);
    for (size_t i = 0; rc == 0 && i < cp_len(l); i++) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "RoleName", role);
        aws_params_add(p, param, cp_string_val(cp_list_get(l, i)));
        rc = cp_aws_query(c, "iam", action, p, iam_gone, NULL) < 0 ? -1 : 0;
        aws_params_free(p);
    }
    cp_release(l);
    return rc < 0 ? -1 : 0;
}

static int role_delete(cp_provider_call *c, const cp_value *state)
{
    const char *name = cp_get_str(state, "id");
    if (role_each(c, name, "ListInstanceProfilesForRole",
                  "ListInstanceProfilesForRoleResult/InstanceProfiles/member",
                  "InstanceProfileName", "RemoveRoleFromInstanceProfile",
                  "InstanceProfileName") != 0)
        return -1;
    if (cp_get_bool(state, "force_detach_policies", false) &&
        (role_each(c, name, "ListRolePolicies", "ListRolePoliciesResult/PolicyNames/member", NULL,
                   "DeleteRolePolicy", "PolicyName") != 0 ||
         role_each(c, name, "ListAttachedRolePolicies",
                   "ListAttachedRolePoliciesResult/AttachedPolicies/member", "PolicyArn",
                   "DetachRolePolicy", "PolicyArn") != 0))
        return -1;
    return iam_call1(c, "DeleteRole", "RoleName", name, NULL) < 0 ? -1 : 0;
}

static int role_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, role_read, id, state);
}

/* An interrupted create is found by its name (= its id). */
static int role_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, role_read, intent, "name", state);
}

const cp_resource_type cp_aws_iam_role = {
    .name = "aws_iam_role",
    .description =
        "An IAM role with its trust policy (import by role name)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = role_create,
    .read = role_read,
    .update = role_update,
    .delete = role_delete,
    .import = role_import,
    .read_batch = role_read_batch,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = role_find,
};
