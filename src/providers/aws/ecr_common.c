/*
 * ecr_common.c: helpers shared by the ECR resource types (see ecr_common.h).
 */
#include "providers/aws/ecr_common.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *const ecr_gone[] = { "RepositoryNotFoundException", NULL };

cp_value *ecr_read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    json_t *in = json_pack("{s:s}", "resourceArn", arn), *out = NULL;
    int rc = cp_aws_json(c, "ecr", ECR_TARGET "ListTagsForResource", in, ecr_gone, &out);
    json_decref(in);
    if (rc < 0) return NULL;
    cp_value *m = rc == 0 ? cp_aws_tags_from_json(json_object_get(out, "tags"), "Key", "Value")
                          : cp_map_new();
    json_decref(out);
    return cp_tags_keep_take(m, prev);
}

int ecr_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags)
{
    static const cp_aws_json_tagging t = { "ecr", ECR_TARGET "UntagResource",
                                           ECR_TARGET "TagResource", "Key", "Value" };
    return cp_aws_json_tags_update(c, &t, arn, old_tags, new_tags);
}

const char *ecr_validate_name(const cp_value *v)
{
    static const char *rule =
        "repository names are 2-256 characters of lower-case letters and digits, "
        "separated by single '.', '_', '-' or '/' (e.g. \"team/app-web\")";
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n < 2 || n > 256 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
        return rule;
    for (size_t i = 0; i < n; i++) {
        bool sep = strchr("._-/", s[i]) != NULL;
        if (isupper((unsigned char)s[i]) || (!sep && !isalnum((unsigned char)s[i]))) return rule;
        if (sep && strchr("._-/", s[i + 1]) && s[i] == s[i + 1]) return rule;
    }
    return NULL;
}

static int doc_call(const ecr_doc *d, cp_provider_call *c, const char *op, const char *repo,
                    const char *doc, json_t **out)
{
    char target[128];
    snprintf(target, sizeof target, ECR_TARGET "%s", op);
    json_t *in = json_pack("{s:s}", "repositoryName", repo);
    if (doc) json_object_set_new(in, d->field, json_string(doc));
    int rc = cp_aws_json(c, "ecr", target, in, d->gone, out);
    json_decref(in);
    return rc;
}

int ecr_doc_put(const ecr_doc *d, cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *repo = cp_get_str(config, "repository");
    json_t *out = NULL;
    if (doc_call(d, c, d->put, repo, cp_get_str(config, "policy"), &out) != 0)
        return c->error
                   ? -1
                   : cp_fail(c, "%s: no ECR repository \"%s\"; create it first", c->address, repo);
    cp_value *s = cp_state_start(d->attrs, config);
    cp_set_str(s, "id", repo);
    cp_set_str(s, "registry_id", json_string_value(json_object_get(out, "registryId")));
    json_decref(out);
    *state = s;
    return 0;
}

int ecr_doc_read(const ecr_doc *d, cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *repo = cp_get_str(state, "id");
    json_t *res = NULL;
    int rc = doc_call(d, c, d->get, repo, NULL, &res);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *s = cp_state_complete(d->attrs, state);
    cp_set_str(s, "repository", repo);
    cp_set_str(s, "registry_id", json_string_value(json_object_get(res, "registryId")));
    cp_set_take(s, "policy",
                cp_json_keep(cp_get_str(state, "policy"),
                             json_string_value(json_object_get(res, d->field))));
    json_decref(res);
    *out = s;
    return 0;
}

int ecr_doc_delete(const ecr_doc *d, cp_provider_call *c, const cp_value *state)
{
    return doc_call(d, c, d->del, cp_get_str(state, "id"), NULL, NULL) < 0 ? -1 : 0;
}
