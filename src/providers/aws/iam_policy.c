/*
 * iam_policy.c: aws_iam_policy — a customer managed IAM policy (id = its
 * ARN). A new document becomes a new default policy version (the oldest
 * non-default version is dropped first when the limit of 5 is reached);
 * delete removes the non-default versions, which IAM requires.
 *
 * No batch read yet: GetAccountAuthorizationDetails (LocalManagedPolicy) has every
 * version's document, but the emulator answers that call for roles only, so it is untested.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/iam_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = iam_validate_policy_name,
      .description =
          "Name of the policy: 1-128 letters, digits and +=,.@_-. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "path",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"/\"",
      .validate = iam_validate_path,
      .description = "Path of the policy, starting and ending with /. Default /." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Description of the policy." },
    { .name = "policy",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_JSON,
      .validate = cp_validate_json,
      .description =
          "The policy document (JSON). A change adds a new default version (at most 5 are kept)." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the policy." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the policy." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the policy." },
    { .name = "policy_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Stable unique id IAM assigned to the policy (ANPA…)." },
    { NULL },
};

static int policy_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    xmlDocPtr doc, vdoc;
    *out = NULL;
    const char *arn = cp_get_str(state, "id");
    int rc = iam_call1(c, "GetPolicy", "PolicyArn", arn, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr pol = aws_xml_find(aws_xml_root(doc), "GetPolicyResult/Policy");
    char *version = aws_xml_text(pol, "DefaultVersionId");
    aws_params *p = aws_params_new();
    aws_params_add(p, "PolicyArn", arn);
    aws_params_add(p, "VersionId", version ? version : "v1");
    rc = cp_aws_query(c, "iam", "GetPolicyVersion", p, iam_gone, &vdoc);
    aws_params_free(p);
    free(version);
    if (rc == 0) {
        cp_value *s = cp_state_complete(attrs, state);
        cp_set_xml(s, "name", pol, "PolicyName");
        cp_set_xml(s, "path", pol, "Path");
        cp_set_xml(s, "description", pol, "Description");
        cp_set_xml(s, "arn", pol, "Arn");
        cp_set_xml(s, "policy_id", pol, "PolicyId");
        cp_set_take(s, "tags", iam_tags_read(pol, "Tags", cp_map_get(state, "tags")));
        cp_set_take(s, "policy",
                    iam_policy_read(aws_xml_root(vdoc),
                                    "GetPolicyVersionResult/PolicyVersion/Document",
                                    cp_get_str(state, "policy")));
        xmlFreeDoc(vdoc);
        *out = s;
    }
    xmlFreeDoc(doc);
    return rc < 0 ? -1 : 0;
}

static int policy_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "PolicyName", cp_get_str(config, "name"));
    aws_params_add(p, "Path", cp_get_str(config, "path") ? cp_get_str(config, "path") : "/");
    aws_params_add(p, "PolicyDocument", cp_get_str(config, "policy"));
    if (cp_get_str(config, "description"))
        aws_params_add(p, "Description", cp_get_str(config, "description"));
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_query(c, "iam", "CreatePolicy", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "CreatePolicyResult/Policy/Arn");
    xmlFreeDoc(doc);
    rc = policy_read(c, s, state);
    cp_release(s);
    return rc;
}

/* Non-default versions of the policy (a new list in *out), oldest first. */
static int old_versions(cp_provider_call *c, const char *arn, cp_value **out)
{
    xmlDocPtr doc;
    *out = NULL;
    int rc = iam_call1(c, "ListPolicyVersions", "PolicyArn", arn, &doc);
    if (rc != 0) return rc;
    cp_value *l = cp_list_new();
    xmlNodePtr it = aws_xml_find(aws_xml_root(doc), "ListPolicyVersionsResult/Versions/member");
    for (; it; it = aws_xml_next(it)) {
        char *def = aws_xml_text(it, "IsDefaultVersion"), *id = aws_xml_text(it, "VersionId");
        if (id && !(def && strcmp(def, "true") == 0)) cp_list_push_take(l, cp_string(id));
        free(def);
        free(id);
    }
    xmlFreeDoc(doc);
    *out = l;
    return 0;
}

static int delete_version(cp_provider_call *c, const char *arn, const char *version)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "PolicyArn", arn);
    aws_params_add(p, "VersionId", version);
    int rc = cp_aws_query(c, "iam", "DeletePolicyVersion", p, iam_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

static int new_version(cp_provider_call *c, const char *arn, const char *doc)
{
    cp_value *old;
    if (old_versions(c, arn, &old) != 0) return -1;
    int rc = cp_len(old) >= 4 ? delete_version(c, arn, cp_string_val(cp_list_get(old, 0))) : 0;
    cp_release(old);
    if (rc != 0) return -1;
    aws_params *p = aws_params_new();
    aws_params_add(p, "PolicyArn", arn);
    aws_params_add(p, "PolicyDocument", doc);
    aws_params_add(p, "SetAsDefault", "true");
    rc = cp_aws_query(c, "iam", "CreatePolicyVersion", p, NULL, NULL);
    aws_params_free(p);
    return rc;
}

static int policy_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    if (cp_changed(old, config, "policy") && new_version(c, arn, cp_get_str(config, "policy")) != 0)
        return -1;
    if (cp_changed(old, config, "tags") &&
        iam_update_tags(c, "Policy", "PolicyArn", arn, cp_get_map(old, "tags"),
                        cp_get_map(config, "tags")))
        return -1;
    return cp_aws_reread(c, policy_read, attrs, config, arn, state);
}

static int policy_delete(cp_provider_call *c, const cp_value *state)
{
    const char *arn = cp_get_str(state, "id");
    cp_value *old;
    int rc = old_versions(c, arn, &old);
    for (size_t i = 0; rc == 0 && i < cp_len(old); i++)
        rc = delete_version(c, arn, cp_string_val(cp_list_get(old, i)));
    cp_release(old);
    if (rc != 0) return rc < 0 ? -1 : 0;
    return iam_call1(c, "DeletePolicy", "PolicyArn", arn, NULL) < 0 ? -1 : 0;
}

static int policy_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, policy_read, id, state);
}

/* An interrupted create is found by its path and name among the account's
 * own policies (its ARN ends in ":policy<path><name>"). */
static int policy_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    const char *name = cp_get_str(intent, "name"), *path = cp_get_str_or(intent, "path", "/");
    if (!name)
        return cp_fail(c, "%s: the intent of the interrupted create has no name", c->address);
    cp_value *arns;
    int rc = iam_list(c, "ListPolicies", "Scope", "Local", "ListPoliciesResult/Policies/member",
                      "Arn", &arns);
    if (rc != 0) return -1;
    char *tail = cp_xasprintf(":policy%s%s", path, name);
    size_t nt = strlen(tail);
    for (size_t i = 0; rc == 0 && !*state && i < cp_len(arns); i++) {
        const char *arn = cp_string_val(cp_list_get(arns, i));
        size_t n = strlen(arn);
        if (n >= nt && !strcmp(arn + n - nt, tail))
            rc = cp_aws_find_with_id(c, policy_read, intent, arn, state);
    }
    free(tail);
    cp_release(arns);
    return rc;
}

const cp_resource_type cp_aws_iam_policy = {
    .name = "aws_iam_policy",
    .description =
        "A customer managed IAM policy (import by ARN)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = policy_create,
    .read = policy_read,
    .update = policy_update,
    .delete = policy_delete,
    .import = policy_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = policy_find,
};
