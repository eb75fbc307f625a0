/*
 * ecr_common.h: what the ECR resource types (ecr_*.c) share: the JSON
 * target prefix, the "gone" codes, tags and the repository name rule.
 */
#ifndef CP_PROVIDERS_AWS_ECR_COMMON_H
#define CP_PROVIDERS_AWS_ECR_COMMON_H

#include "providers/aws/aws_common.h"

#define ECR_TARGET "AmazonEC2ContainerRegistry_V20150921."

/* {"RepositoryNotFoundException", NULL}. */
extern const char *const ecr_gone[];

/* Tags of the repository arn (ListTagsForResource) kept like cp_tags_keep_take;
 * NULL with c->error set on failure. */
cp_value *ecr_read_tags(cp_provider_call *c, const char *arn, const cp_value *prev);
/* UntagResource removed keys, TagResource the new tags. */
int ecr_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags);
/* Repository names: 2-256 characters, lower case, digits and ._-/ between. */
const char *ecr_validate_name(const cp_value *v);

/* The shared implementation of aws_ecr_lifecycle_policy and
 * aws_ecr_repository_policy: one JSON document on a repository (id =
 * repository name), put to create and update, deleted on delete. */
typedef struct ecr_doc {
    const char *put, *get, *del; /* operations: "PutLifecyclePolicy" … */
    const char *field;           /* request and response field: "lifecyclePolicyText" */
    const char *const *gone;     /* repository or document missing */
    const cp_schema_attr *attrs;
} ecr_doc;

int ecr_doc_put(const ecr_doc *d, cp_provider_call *c, const cp_value *config, cp_value **state);
int ecr_doc_read(const ecr_doc *d, cp_provider_call *c, const cp_value *state, cp_value **out);
int ecr_doc_delete(const ecr_doc *d, cp_provider_call *c, const cp_value *state);

#endif
