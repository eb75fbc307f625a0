/*
 * ecr_repository.c: aws_ecr_repository — a private ECR repository (id =
 * name). Tag mutability and scan-on-push change in place; tags through
 * TagResource/UntagResource. With force_delete, delete removes the images
 * too. ECR_TARGET (ecr_common.h) prefixes every JSON operation.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ecr_common.h"

#include <string.h>

static const char *validate_mutability(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "MUTABLE") || !strcmp(s, "IMMUTABLE")
               ? NULL
               : "image_tag_mutability is \"MUTABLE\" or \"IMMUTABLE\"";
}

static const cp_schema_attr scan_attrs[] = {
    { .name = "scan_on_push",
      .type = CP_AT_BOOL,
      .flags = CP_REQUIRED,
      .description = "Scan each image for vulnerabilities when it is pushed." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = ecr_validate_name,
      .description =
          "Name of the repository: 2-256 lowercase letters and digits separated by . _ - or /." },
    { .name = "image_tag_mutability",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"MUTABLE\"",
      .validate = validate_mutability,
      .description =
          "MUTABLE or IMMUTABLE (a pushed tag cannot be moved to another image). Default MUTABLE." },
    { .name = "image_scanning_configuration",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .block = scan_attrs,
      .max_items = 1,
      .description = "Image scanning settings (one block)." },
    { .name = "force_delete",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "On delete, delete the repository even if it still holds images." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the repository." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the repository." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the repository." },
    { .name = "registry_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Account id of the registry holding the repository." },
    { .name = "repository_url",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description =
          "URL to docker push/pull: `<account>.dkr.ecr.<region>.amazonaws.com/<name>`." },
    { NULL },
};

static cp_value *scan_block(const json_t *repo)
{
    cp_value *m = cp_map_new(), *l = cp_list_new();
    json_t *scan =
        json_object_get(json_object_get(repo, "imageScanningConfiguration"), "scanOnPush");
    cp_set_bool(m, "scan_on_push", json_is_true(scan));
    cp_list_push_take(l, m);
    return l;
}

static int repo_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    json_t *in = json_pack("{s:[s]}", "repositoryNames", cp_get_str(state, "id")), *res;
    int rc = cp_aws_json(c, "ecr", ECR_TARGET "DescribeRepositories", in, ecr_gone, &res);
    json_decref(in);
    if (rc != 0) return rc < 0 ? -1 : 0;
    json_t *repo = json_array_get(json_object_get(res, "repositories"), 0);
    const char *arn = json_string_value(json_object_get(repo, "repositoryArn"));
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "name", json_string_value(json_object_get(repo, "repositoryName")));
    cp_set_str(s, "arn", arn);
    cp_set_str(s, "registry_id", json_string_value(json_object_get(repo, "registryId")));
    cp_set_str(s, "repository_url", json_string_value(json_object_get(repo, "repositoryUri")));
    cp_set_str(s, "image_tag_mutability",
               json_string_value(json_object_get(repo, "imageTagMutability")));
    cp_set_take(s, "image_scanning_configuration", scan_block(repo));
    cp_set_bool(s, "force_delete", cp_get_bool(state, "force_delete", false));
    cp_value *tags = arn ? ecr_read_tags(c, arn, cp_map_get(state, "tags")) : cp_null();
    json_decref(res);
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

static int repo_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "name");
    const char *mut = cp_get_str(config, "image_tag_mutability");
    json_t *in = json_pack(
        "{s:s, s:s, s:{s:b}}", "repositoryName", name, "imageTagMutability", mut ? mut : "MUTABLE",
        "imageScanningConfiguration", "scanOnPush",
        cp_get_bool(cp_get_block(config, "image_scanning_configuration"), "scan_on_push", false));
    const cp_value *tags = cp_get_map(config, "tags");
    if (tags && cp_len(tags))
        json_object_set_new(in, "tags", cp_aws_tags_to_json(tags, "Key", "Value"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_json(c, "ecr", ECR_TARGET "CreateRepository", in, NULL, NULL);
    aws_set_no_resend(false);
    json_decref(in);
    if (rc != 0) return -1;
    return cp_aws_reread(c, repo_read, attrs, config, name, state);
}

static int repo_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    json_t *in = NULL;
    int rc = 0;
    if (cp_changed(old, config, "image_tag_mutability")) {
        in = json_pack("{s:s, s:s}", "repositoryName", name, "imageTagMutability",
                       cp_get_str(config, "image_tag_mutability"));
        rc = cp_aws_json(c, "ecr", ECR_TARGET "PutImageTagMutability", in, NULL, NULL);
        json_decref(in);
    }
    const cp_value *scan = cp_get_block(config, "image_scanning_configuration");
    if (rc == 0 && scan && cp_changed(old, config, "image_scanning_configuration")) {
        in = json_pack("{s:s, s:{s:b}}", "repositoryName", name, "imageScanningConfiguration",
                       "scanOnPush", cp_get_bool(scan, "scan_on_push", false));
        rc = cp_aws_json(c, "ecr", ECR_TARGET "PutImageScanningConfiguration", in, NULL, NULL);
        json_decref(in);
    }
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = ecr_update_tags(c, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                             cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, repo_read, attrs, config, name, state);
}

static int repo_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *in = json_pack("{s:s, s:b}", "repositoryName", cp_get_str(state, "id"), "force",
                           cp_get_bool(state, "force_delete", false));
    int rc = cp_aws_json(c, "ecr", ECR_TARGET "DeleteRepository", in, ecr_gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int repo_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, repo_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, repo_read, intent, "name", state);
}

const cp_resource_type cp_aws_ecr_repository = {
    .name = "aws_ecr_repository",
    .description = "A private ECR repository (import by name).",
    .attrs = attrs,
    .create = repo_create,
    .read = repo_read,
    .update = repo_update,
    .delete = repo_delete,
    .import = repo_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
