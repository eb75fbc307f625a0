/*
 * ecr_lifecycle_policy.c: aws_ecr_lifecycle_policy — the lifecycle policy (image expiry rules) of
 * an ECR repository (id = repository name; import by it). Put to create and update, deleted on
 * delete; the shared behaviour is ecr_doc_* in ecr_common.c.
 *
 * No batch read: ECR returns one repository's lifecycle policy a call.
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
      .description = "The lifecycle policy (JSON): rules that expire images. Changes in place." },
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
                                    "LifecyclePolicyNotFoundException", NULL };

static const ecr_doc doc = { "PutLifecyclePolicy",
                             "GetLifecyclePolicy",
                             "DeleteLifecyclePolicy",
                             "lifecyclePolicyText",
                             gone,
                             attrs };

static int lifecycle_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    return ecr_doc_put(&doc, c, config, state);
}

static int lifecycle_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ecr_doc_read(&doc, c, state, out);
}

static int lifecycle_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                            cp_value **state)
{
    return ecr_doc_put(&doc, c, config, state);
}

static int lifecycle_delete(cp_provider_call *c, const cp_value *state)
{
    return ecr_doc_delete(&doc, c, state);
}

static int lifecycle_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, lifecycle_read, id, state);
}

/* An interrupted create is found by its repository, read as its id (a put: the same call twice is
 * one object). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, lifecycle_read, intent, "repository", state);
}

const cp_resource_type cp_aws_ecr_lifecycle_policy = {
    .name = "aws_ecr_lifecycle_policy",
    .description =
        "The lifecycle policy (image expiry rules) of an ECR repository (import by repository name).",
    .attrs = attrs,
    .create = lifecycle_put,
    .read = lifecycle_read,
    .update = lifecycle_update,
    .delete = lifecycle_delete,
    .import = lifecycle_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
