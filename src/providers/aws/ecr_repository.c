/*
 * ecr_repository.c: aws_ecr_repository — a private ECR repository (id =
 * name). Tag mutability and scan-on-push change in place; tags through
 * TagResource/UntagResource. With force_delete, delete removes the images
 * too. ECR_TARGET (ecr_common.h) prefixes every JSON operation.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/ecr_common.h"
#include "util/xalloc.h"

#include <stdlib.h>

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

/* The state of repo (a DescribeRepositories item), tags not yet read. */
static cp_value *repo_state(const json_t *repo, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "name", json_string_value(json_object_get(repo, "repositoryName")));
    cp_set_str(s, "arn", json_string_value(json_object_get(repo, "repositoryArn")));
    cp_set_str(s, "registry_id", json_string_value(json_object_get(repo, "registryId")));
    cp_set_str(s, "repository_url", json_string_value(json_object_get(repo, "repositoryUri")));
    cp_set_str(s, "image_tag_mutability",
               json_string_value(json_object_get(repo, "imageTagMutability")));
    cp_set_take(s, "image_scanning_configuration", scan_block(repo));
    cp_set_bool(s, "force_delete", cp_get_bool(state, "force_delete", false));
    return s;
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
    cp_value *s = repo_state(repo, state);
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

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeRepositories names up to 100 repositories a call, but fails as a whole when one
 * of them is missing; then the region's repositories are listed instead (pages of 1000)
 * and one not listed is confirmed gone by read(). Tags: one Tagging API call,
 * ListTagsForResource only where it disagrees with the state (batch.h). */
#define REPOS_PER_CALL 100

static void match_repos(const json_t *res, const cp_value *const *states, size_t n, cp_value **out)
{
    size_t k;
    json_t *repo;
    json_array_foreach(json_object_get(res, "repositories"), k, repo)
    {
        const char *name = json_string_value(json_object_get(repo, "repositoryName"));
        for (size_t i = 0; name && i < n; i++)
            if (!out[i] && cp_get_str(states[i], "id") &&
                !strcmp(cp_get_str(states[i], "id"), name))
                out[i] = repo_state(repo, states[i]);
    }
}

/* Names (body with repositoryNames) or every repository (body without): pages followed.
 * 0, 1 when a named repository does not exist, -1. */
static int describe_into(cp_provider_call *c, json_t *in_take, const cp_value *const *states,
                         size_t n, cp_value **out)
{
    int rc = 0;
    char *token = NULL;
    do {
        if (token) json_object_set_new(in_take, "nextToken", json_string(token));
        free(token);
        token = NULL;
        json_t *res = NULL;
        rc = cp_aws_json(c, "ecr", ECR_TARGET "DescribeRepositories", in_take, ecr_gone, &res);
        if (rc != 0) break;
        match_repos(res, states, n, out);
        const char *next = json_string_value(json_object_get(res, "nextToken"));
        if (next && *next) token = cp_xstrdup(next);
        json_decref(res);
    } while (token);
    json_decref(in_take);
    return rc;
}

static int describe_chunk(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++)
        if (cp_get_str(states[i], "id"))
            json_array_append_new(names, json_string(cp_get_str(states[i], "id")));
    int rc = describe_into(c, json_pack("{s:o}", "repositoryNames", names), states, n, out);
    if (rc != 1) return rc;
    for (size_t i = 0; i < n; i++) { /* one is missing: list them all instead */
        cp_release(out[i]);
        out[i] = NULL;
    }
    rc = describe_into(c, json_pack("{s:i}", "maxResults", 1000), states, n, out);
    return rc == 0 ? cp_aws_read_rest(c, repo_read, states, NULL, n, out) : -1;
}

/* The repository's tags from ECR (cp_aws_batch_tags' fallback). */
static cp_value *repo_tags(cp_provider_call *c, const char *arn, const cp_value *state)
{
    return ecr_read_tags(c, arn, cp_map_get(state, "tags"));
}

static int repo_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                           cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += REPOS_PER_CALL)
        if (describe_chunk(c, states + k, n - k < REPOS_PER_CALL ? n - k : REPOS_PER_CALL,
                           out + k) != 0)
            return cp_aws_batch_fail(out, n);
    return cp_aws_batch_tags(c, states, n, out, repo_tags);
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
    .read_batch = repo_read_batch,
    .update = repo_update,
    .delete = repo_delete,
    .import = repo_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
