/*
 * iam_common.h: what the IAM resource types (iam_*.c) share: the "gone"
 * error code, tag updates through Tag<Kind>/Untag<Kind>, reading
 * URL-encoded policy documents, and the path rule.
 */
#ifndef CP_PROVIDERS_AWS_IAM_COMMON_H
#define CP_PROVIDERS_AWS_IAM_COMMON_H

#include "providers/aws/aws_common.h"

/* {"NoSuchEntity", NULL}: the IAM object does not exist. */
extern const char *const iam_gone[];

/* Brings an entity's tags from old_tags to new_tags: Untag<kind> with the
 * removed keys, Tag<kind> with every new tag (kind "User", "Role",
 * "InstanceProfile", "Policy"; name_param "UserName", "PolicyArn" …). */
int iam_update_tags(cp_provider_call *c, const char *kind, const char *name_param, const char *name,
                    const cp_value *old_tags, const cp_value *new_tags);
/* Tags of the entity in the response (element at path, items "member"),
 * kept as cp_tags_keep_take does against prev_tags. */
cp_value *iam_tags_read(xmlNodePtr root, const char *path, const cp_value *prev_tags);
/* The URL-encoded policy document at path, decoded and kept like
 * cp_json_keep against prev (the state's text). */
cp_value *iam_policy_read(xmlNodePtr root, const char *path, const char *prev);
/* Query call with one "name" parameter; the usual 0 / 1 (gone) / -1. */
int iam_call1(cp_provider_call *c, const char *action, const char *param, const char *value,
              xmlDocPtr *doc);
/* Every `field` text (e.g. "AccessKeyId"; NULL: the item's own text) of
 * the items at `items` ("ListAccessKeysResult/AccessKeyMetadata/member")
 * returned by action(param=value), as a new list of strings in *out.
 * Returns 0, 1 when the owner does not exist (NoSuchEntity), or -1. */
int iam_list(cp_provider_call *c, const char *action, const char *param, const char *value,
             const char *items, const char *field, cp_value **out);
/* Every item of a paginated IAM listing (Marker / IsTruncated followed,
 * MaxItems 1000), kept with the pages it lives in, looked up by name:
 * action "ListRoles" (items "ListRolesResult/Roles/member") or
 * "GetAccountAuthorizationDetails" with filter "Role" (items
 * "GetAccountAuthorizationDetailsResult/RoleDetailList/member"); name_elem
 * "RoleName". For the batch reads of refresh. */
typedef struct iam_listing {
    xmlDocPtr *docs;
    size_t ndocs, n, cap;
    char **names;
    xmlNodePtr *items;
} iam_listing;
int iam_list_all(cp_provider_call *c, const char *action, const char *filter, const char *items,
                 const char *name_elem, iam_listing *out);           /* 0 / -1 */
xmlNodePtr iam_listing_find(const iam_listing *l, const char *name); /* NULL: not listed */
/* iam_list_all of GetAccountAuthorizationDetails for one owner kind ("User",
 * "Role"): every owner's detail (inline and attached policies) by name. */
int iam_list_details(cp_provider_call *c, const char *kind, iam_listing *out); /* 0 / -1 */
void iam_listing_free(iam_listing *l);

/* Paths: "/" or "/a/b/", at most 512 characters. */
const char *iam_validate_path(const cp_value *v);
/* Policy names 1-128 characters of letters, digits and +=,.@_- */
const char *iam_validate_policy_name(const cp_value *v);
/* ARNs: "arn:…". */
const char *iam_validate_arn(const cp_value *v);

/* ---- shared implementations of the look-alike types ---------------------------- */
/* Inline policies (aws_iam_user_policy, aws_iam_role_policy) and managed
 * policy attachments (aws_iam_user_policy_attachment, …_role_…) differ
 * only in the owner: kind "User" or "Role", its parameter and attribute. */
typedef struct iam_owner {
    const char *kind;  /* "User" → PutUserPolicy, AttachUserPolicy … */
    const char *param; /* "UserName" */
    const char *attr;  /* "user" */
    const cp_schema_attr *attrs;
} iam_owner;

int iam_inline_create(const iam_owner *o, cp_provider_call *c, const cp_value *config,
                      cp_value **state);
int iam_inline_read(const iam_owner *o, cp_provider_call *c, const cp_value *state, cp_value **out);
int iam_inline_update(const iam_owner *o, cp_provider_call *c, const cp_value *old,
                      const cp_value *config, cp_value **state);
int iam_inline_delete(const iam_owner *o, cp_provider_call *c, const cp_value *state);
/* Batch read of inline policies (read_batch of aws_iam_role_policy): see iam_inline_policy.c. */
int iam_inline_read_batch(const iam_owner *o, cp_provider_call *c, const cp_value *const *states,
                          size_t n, cp_value **out);
/* find(): read of "<owner>:<name>" (core makes a missing name up first). */
int iam_inline_find(const iam_owner *o, cp_provider_call *c, const cp_value *intent,
                    cp_value **state);

int iam_attach_create(const iam_owner *o, cp_provider_call *c, const cp_value *config,
                      cp_value **state);
int iam_attach_read(const iam_owner *o, cp_provider_call *c, const cp_value *state, cp_value **out);
int iam_attach_delete(const iam_owner *o, cp_provider_call *c, const cp_value *state);
/* Batch read of attachments (read_batch of aws_iam_role_policy_attachment): see
 * iam_policy_attach.c. */
int iam_attach_read_batch(const iam_owner *o, cp_provider_call *c, const cp_value *const *states,
                          size_t n, cp_value **out);
/* find(): read of "<owner>/<policy arn>" (an attach is an idempotent put). */
int iam_attach_find(const iam_owner *o, cp_provider_call *c, const cp_value *intent,
                    cp_value **state);

/* The type functions of one owner's file: <prefix>_create, _read, _update,
 * _delete, _import and _find, each calling the shared implementation with owner. */
#define IAM_INLINE_POLICY_FUNCS(prefix, owner)                                                     \
    static int prefix##_create(cp_provider_call *c, const cp_value *config, cp_value **state)      \
    {                                                                                              \
        return iam_inline_create(&(owner), c, config, state);                                      \
    }                                                                                              \
    static int prefix##_read(cp_provider_call *c, const cp_value *state, cp_value **out)           \
    {                                                                                              \
        return iam_inline_read(&(owner), c, state, out);                                           \
    }                                                                                              \
    static int prefix##_update(cp_provider_call *c, const cp_value *old, const cp_value *config,   \
                               cp_value **state)                                                   \
    {                                                                                              \
        return iam_inline_update(&(owner), c, old, config, state);                                 \
    }                                                                                              \
    static int prefix##_delete(cp_provider_call *c, const cp_value *state)                         \
    {                                                                                              \
        return iam_inline_delete(&(owner), c, state);                                              \
    }                                                                                              \
    static int prefix##_import(cp_provider_call *c, const char *id, cp_value **state)              \
    {                                                                                              \
        return cp_aws_import_via_read(c, prefix##_read, id, state);                                \
    }                                                                                              \
    static int prefix##_find(cp_provider_call *c, const cp_value *intent, cp_value **state)        \
    {                                                                                              \
        return iam_inline_find(&(owner), c, intent, state);                                        \
    }

/* The same for attachments: <prefix>_create, _read, _delete, _import, _find. */
#define IAM_ATTACH_FUNCS(prefix, owner)                                                            \
    static int prefix##_create(cp_provider_call *c, const cp_value *config, cp_value **state)      \
    {                                                                                              \
        return iam_attach_create(&(owner), c, config, state);                                      \
    }                                                                                              \
    static int prefix##_read(cp_provider_call *c, const cp_value *state, cp_value **out)           \
    {                                                                                              \
        return iam_attach_read(&(owner), c, state, out);                                           \
    }                                                                                              \
    static int prefix##_delete(cp_provider_call *c, const cp_value *state)                         \
    {                                                                                              \
        return iam_attach_delete(&(owner), c, state);                                              \
    }                                                                                              \
    static int prefix##_import(cp_provider_call *c, const char *id, cp_value **state)              \
    {                                                                                              \
        return cp_aws_import_via_read(c, prefix##_read, id, state);                                \
    }                                                                                              \
    static int prefix##_find(cp_provider_call *c, const cp_value *intent, cp_value **state)        \
    {                                                                                              \
        return iam_attach_find(&(owner), c, intent, state);                                        \
    }

#endif
