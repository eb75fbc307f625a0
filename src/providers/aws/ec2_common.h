/*
 * ec2_common.h: what the EC2 resource types (ec2_*.c) share.
 *
 * Reads go through one path, ec2_read_many(): a Describe call filtered by
 * id (Filter.1.Name=vpc-id …), one call per page of up to 200 ids. A filter
 * never fails with InvalidXxx.NotFound the way an id list does, so an id
 * missing from the answer simply means the object is gone (NULL). Where
 * the API has no id filter (DescribeLaunchTemplates) ids go in an id list
 * (id_param.N) and its NotFound error marks the object gone. read()
 * is ec2_read_many() of one state, read_batch() of many.
 *
 * Also: tags (TagSpecification on create, CreateTags/DeleteTags diffs),
 * lists as EC2 query params, deletes that retry DependencyViolation while
 * dependents are still going away, ARNs, base64 and the EC2 validators.
 */
#ifndef CP_PROVIDERS_AWS_EC2_COMMON_H
#define CP_PROVIDERS_AWS_EC2_COMMON_H

#include "providers/aws/aws_common.h"

/* How a type's objects are described and turned into state. */
typedef struct ec2_describe {
    const char *action; /* "DescribeVpcs" */
    const char *filter; /* "vpc-id" */
    /* Instead of the filter, ids in id_param.N (LaunchTemplateId.N, where
     * the API has no id filter); a call failing with one of id_gone means
     * an id is gone (each id is then read alone). NULL: use the filter. */
    const char *id_param;
    const char *const *id_gone;
    const char *items;   /* "vpcSet/item" (below the response root) */
    const char *nested;  /* "instancesSet/item" inside each item, or NULL */
    const char *id_elem; /* "vpcId": the element holding the state's id */
    /* Builds the new state of one object from its item (parent: the outer
     * item when nested, else NULL) and the previous state. Returns 0, or
     * -1 with c->error set. May make further calls. */
    int (*fill)(cp_provider_call *c, xmlNodePtr item, xmlNodePtr parent, const cp_value *prev,
                cp_value **out);
    /* Optional: true when the item describes an object that is gone
     * (an instance "terminated", a NAT gateway "deleted"). */
    bool (*gone)(xmlNodePtr item);
} ec2_describe;

/* out[i] = the refreshed state of states[i] (by its "id"), NULL when gone.
 * On failure every out[i] is NULL and c->error is set. */
int ec2_read_many(cp_provider_call *c, const ec2_describe *d, const cp_value *const *states,
                  size_t n, cp_value **out);
int ec2_read_one(cp_provider_call *c, const ec2_describe *d, const cp_value *state, cp_value **out);
/* Read the object with this id (state {"id": id} plus extra, may be NULL). */
int ec2_read_id(cp_provider_call *c, const ec2_describe *d, const char *id, const cp_value *extra,
                cp_value **out);

/* cp_aws_finish_take naming the object by its id ("vpc-0abc… vanished …"). */
int ec2_finish_take(cp_provider_call *c, int rc, cp_read_fn read, cp_value *s, cp_value **state);

/* One EC2 call: the usual 0 / 1 (gone) / -1 of cp_aws_query. */
int ec2_call(cp_provider_call *c, const char *action, const aws_params *p, const char *const *gone,
             xmlDocPtr *doc);
/* action(param=id), retrying DependencyViolation for up to 5 minutes while
 * dependents go away; an object already gone (codes in gone) is fine. */
int ec2_delete(cp_provider_call *c, const char *action, const char *param, const char *id,
               const char *const *gone);

/* --- recovery (provider.h: find) ---------------------------------------------------- */
/* The first object (not gone) Describe finds with the filters (name, value
 * pairs, NULL-terminated; a NULL value fails: nothing to look for), read as
 * ec2_read_id(intent) gives it; *state NULL when none. */
int ec2_find_by(cp_provider_call *c, const ec2_describe *d, const char *const *filters,
                const cp_value *intent, cp_value **state);
/* ec2_find_by the tag CP_INTENT_KEY = the intent's UUID. */
int ec2_find_by_intent(cp_provider_call *c, const ec2_describe *d, const cp_value *intent,
                       cp_value **state);
/* ec2_tag_spec of config's tags plus the intent tag (so find can see it). */
void ec2_tag_spec_intent(aws_params *p, const char *rtype, const cp_value *config);

/* --- tags ------------------------------------------------------------------------ */
/* TagSpecification.1.ResourceType = rtype and its tags (nothing when none). */
void ec2_tag_spec(aws_params *p, const char *rtype, const cp_value *tags);
/* The item's tagSet as a state value (cp_tags_keep_take against prev_tags). */
cp_value *ec2_tags_read(xmlNodePtr item, const cp_value *prev_tags);
/* DeleteTags of removed keys, CreateTags of the new map; no call when equal. */
int ec2_tags_update(cp_provider_call *c, const char *id, const cp_value *old_state,
                    const cp_value *config);

/* --- values ---------------------------------------------------------------------- */
/* "true"/"false" parameter. */
void ec2_params_bool(aws_params *p, const char *key, bool b);
/* arn:<partition>:ec2:<region>:<account>:<what> (new string value). */
cp_value *ec2_arn(cp_provider_call *c, const char *account, const char *what);
/* Base64 of s (malloc'd). */
char *ec2_base64(const char *s, size_t n);
/* A fresh unique name "<prefix><26 hex digits>" (malloc'd), for name_prefix. */
char *ec2_unique_name(const char *prefix);

/* A rule's protocol as AWS spells it: "-1" for all / -1 / null, names for
 * 6, 17, 1 and 58, anything else as given. */
const char *ec2_protocol_norm(const char *p);

/* --- validators (the rule is the message) ------------------------------------------- */
const char *ec2_validate_cidr(const cp_value *v);     /* IPv4 a.b.c.d/n */
const char *ec2_validate_port(const cp_value *v);     /* -1 .. 65535 */
const char *ec2_validate_protocol(const cp_value *v); /* tcp udp icmp icmpv6 all -1 0-255 */
const char *ec2_validate_tenancy(const cp_value *v);  /* default dedicated host */

#endif
