/*
 * iam_instance_profile.c: aws_iam_instance_profile — the container that
 * hands an IAM role to EC2 instances (id = profile name). The role is
 * swapped in place. A role created moments ago may not be visible to IAM
 * yet (NoSuchEntity): adding it is retried for a bounded time.
 *
 * No batch read yet: ListInstanceProfiles lists profiles with their roles but not
 * their tags (ListInstanceProfileTags is per profile), so it would save little.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/iam_common.h"

#include <stdlib.h>
#include <string.h>

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = iam_validate_policy_name,
      .description =
          "Name of the instance profile: 1-128 letters, digits and +=,.@_-. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "path",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"/\"",
      .validate = iam_validate_path,
      .description = "Path of the instance profile, starting and ending with /. Default /." },
    { .name = "role",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = cp_validate_name_1_64,
      .description = "Name of the role the profile carries (at most one). Changes in place." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the instance profile." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the instance profile." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the instance profile." },
    { .name = "unique_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Stable unique id IAM assigned to the profile (AIPA…)." },
    { .name = "create_date",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "When the instance profile was created (ISO 8601)." },
    { NULL },
};

typedef struct role_op {
    const char *action, *profile, *role;
} role_op;

static int role_call(cp_provider_call *c, void *ud, aws_error *err)
{
    const role_op *o = ud;
    aws_params *p = aws_params_new();
    aws_params_add(p, "InstanceProfileName", o->profile);
    aws_params_add(p, "RoleName", o->role);
    xmlDocPtr doc = NULL;
    int rc = aws_query_call(cp_aws_client(c), "iam", o->action, p, &doc, err);
    xmlFreeDoc(doc);
    aws_params_free(p);
    return rc;
}

/* Does the profile hold this role already? */
static bool holds_role(cp_provider_call *c, const char *profile, const char *role)
{
    xmlDocPtr doc;
    if (iam_call1(c, "GetInstanceProfile", "InstanceProfileName", profile, &doc) != 0) return false;
    char *has = aws_xml_text(aws_xml_root(doc),
                             "GetInstanceProfileResult/InstanceProfile/Roles/member/RoleName");
    bool yes = has && strcmp(has, role) == 0;
    free(has);
    xmlFreeDoc(doc);
    return yes;
}

/* Add (retrying while a new role propagates) or remove (gone is fine). A
 * profile holds one role, so an add whose first answer was lost is refused
 * on the retry with LimitExceeded: that is success if the role is the one. */
static int set_role(cp_provider_call *c, const char *action, const char *profile, const char *role)
{
    role_op o = { action, profile, role };
    aws_error err = { 0 };
    bool add = strcmp(action, "AddRoleToInstanceProfile") == 0;
    int rc = cp_aws_retry_codes(c, add ? iam_gone : NULL, 30, role_call, &o, &err);
    if (rc == 0 || (!add && aws_error_is(&err, "NoSuchEntity")) ||
        (add && aws_error_is(&err, "LimitExceeded") && holds_role(c, profile, role))) {
        aws_error_clear(&err);
        return 0;
    }
    return cp_aws_fail(c, &err, action);
}

static int profile_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    xmlDocPtr doc;
    *out = NULL;
    int rc =
        iam_call1(c, "GetInstanceProfile", "InstanceProfileName", cp_get_str(state, "id"), &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr ip = aws_xml_find(aws_xml_root(doc), "GetInstanceProfileResult/InstanceProfile");
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_xml(s, "name", ip, "InstanceProfileName");
    cp_set_xml(s, "path", ip, "Path");
    cp_set_xml(s, "arn", ip, "Arn");
    cp_set_xml(s, "unique_id", ip, "InstanceProfileId");
    cp_set_xml(s, "create_date", ip, "CreateDate");
    cp_set_xml(s, "role", ip, "Roles/member/RoleName");
    cp_set_take(s, "tags", iam_tags_read(ip, "Tags", cp_map_get(state, "tags")));
    xmlFreeDoc(doc);
    *out = s;
    return 0;
}

static int profile_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "name"), *role = cp_get_str(config, "role");
    aws_params *p = aws_params_new();
    aws_params_add(p, "InstanceProfileName", name);
    aws_params_add(p, "Path", cp_get_str(config, "path") ? cp_get_str(config, "path") : "/");
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_query(c, "iam", "CreateInstanceProfile", p, NULL, NULL);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", name);
    if (role && set_role(c, "AddRoleToInstanceProfile", name, role) != 0) {
        cp_set_str(s, "role", NULL);
        *state = s; /* the profile exists: keep it in state */
        return -1;
    }
    rc = profile_read(c, s, state);
    cp_release(s);
    return rc;
}

static int profile_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                          cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    const char *was = cp_get_str(old, "role"), *role = cp_get_str(config, "role");
    if (cp_changed(old, config, "role")) {
        if (was && set_role(c, "RemoveRoleFromInstanceProfile", name, was) != 0) return -1;
        if (role && set_role(c, "AddRoleToInstanceProfile", name, role) != 0) return -1;
    }
    if (cp_changed(old, config, "tags") &&
        iam_update_tags(c, "InstanceProfile", "InstanceProfileName", name, cp_get_map(old, "tags"),
                        cp_get_map(config, "tags")))
        return -1;
    return cp_aws_reread(c, profile_read, attrs, config, name, state);
}

static int profile_delete(cp_provider_call *c, const cp_value *state)
{
    const char *name = cp_get_str(state, "id"), *role = cp_get_str(state, "role");
    if (role && set_role(c, "RemoveRoleFromInstanceProfile", name, role) != 0) return -1;
    return iam_call1(c, "DeleteInstanceProfile", "InstanceProfileName", name, NULL) < 0 ? -1 : 0;
}

static int profile_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, profile_read, id, state);
}

/* An interrupted create is found by its name (= its id). */
static int profile_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, profile_read, intent, "name", state);
}

const cp_resource_type cp_aws_iam_instance_profile = {
    .name = "aws_iam_instance_profile",
    .description =
        "An IAM instance profile carrying one role (import by name)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = profile_create,
    .read = profile_read,
    .update = profile_update,
    .delete = profile_delete,
    .import = profile_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = profile_find,
};
