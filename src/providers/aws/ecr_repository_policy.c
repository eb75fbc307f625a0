/*
 * ecr_repository_policy.c: aws_ecr_repository_policy — the access policy of an ECR repository (id =
 * repository name; import by it). Put to create and update, deleted on delete; the shared behaviour
 * is ecr_doc_* in ecr_common.c.
 *
 * No batch read: ECR returns one repository's policy a call.
 */
#include "providers/aws/ecr_common.h"

static const cp_schema_attr attrs[] = {
    { .name = "repository",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = ecr_validate_name,
      .description = "Name of the repository." },
    { .name = "policy",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_JSON,
      .validate = cp_validate_json,
      .description = "The repository policy (JSON): who may pull and push. Changes in place." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the repository." },
    { .name = "registry_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Account id of the registry holding the repository." },
    { NULL },
};

static const char *const gone[] = { "RepositoryNotFoundException",
                                    "RepositoryPolicyNotFoundException", NULL };

static const ecr_doc doc = { "SetRepositoryPolicy",
                             "GetRepositoryPolicy",
                             "DeleteRepositoryPolicy",
                             "policyText",
                             gone,
                             attrs };

static int repo_policy_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    return ecr_doc_put(&doc, c, config, state);
}

static int repo_policy_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ecr_doc_read(&doc, c, state, out);
}

static int repo_policy_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                              cp_value **state)
{
    return ecr_doc_put(&doc, c, config, state);
}

static int repo_policy_delete(cp_provider_call *c, const cp_value *state)
{
    return ecr_doc_delete(&doc, c, state);
}

static int repo_policy_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, repo_policy_read, id, state);
}

/* An interrupted create is found by its repository, read as its id (a put: the same call twice is
 * one object). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, repo_policy_read, intent, "repository", state);
}

const cp_resource_type cp_aws_ecr_repository_policy = {
    .name = "aws_ecr_repository_policy",
    .description = "The access policy of an ECR repository (import by repository name).",
    .attrs = attrs,
    .create = repo_policy_put,
    .read = repo_policy_read,
    .update = repo_policy_update,
    .delete = repo_policy_delete,
    .import = repo_policy_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
