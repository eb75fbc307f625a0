/*
 * elbv2_common.h: what the Elastic Load Balancing v2 types (elbv2_*.c:
 * aws_lb, aws_lb_target_group, aws_lb_listener, aws_lb_listener_rule)
 * share: the query call, tags by ARN, the name rule, the ARN suffix, and
 * the listener action block (default_action of a listener and action of a
 * rule have the same shape) as schema, request parameters and state.
 */
#ifndef CP_PROVIDERS_AWS_ELBV2_COMMON_H
#define CP_PROVIDERS_AWS_ELBV2_COMMON_H

#include "providers/aws/aws_common.h"

/* One ELBv2 query call (see cp_aws_query). */
int elbv2_call(cp_provider_call *c, const char *action, const aws_params *p,
               const char *const *gone, xmlDocPtr *doc);

/* One call with a single parameter (e.g. DeleteListener ListenerArn=…). */
int elbv2_call1(cp_provider_call *c, const char *action, const char *param, const char *value,
                const char *const *gone, xmlDocPtr *doc);
/* Sets one attribute (Modify…Attributes, id_param = arn, Attributes.member.1
 * = key and the whole number value). 0 / -1. */
int elbv2_set_attribute(cp_provider_call *c, const char *action, const char *id_param,
                        const char *arn, const char *key, double value);

/* The end of a read: adds the tags of s's "arn" (kept against prev_state's)
 * and gives *out = s and 0, or releases s and -1. */
int elbv2_read_done_take(cp_provider_call *c, cp_value *s, const cp_value *prev_state,
                         cp_value **out);
/* Tags of arn (DescribeTags), kept like cp_tags_keep_take; NULL with c->error set. */
cp_value *elbv2_read_tags(cp_provider_call *c, const char *arn, const cp_value *prev);
/* ---- batch refresh (read_batch of every ELBv2 type) --------------------------------
 * Describe<Kind>s names up to 20 ARNs a call but fails as a whole when one is missing;
 * then every object of the kind is listed (pages of 400; listeners and rules cannot be
 * listed without their parent: each is read by read() instead) and one not listed is
 * confirmed gone by read(). out[i] = a complete state from fill() (tags and attributes
 * that need a call of their own not yet read). 0, or -1 (out[] released). */
typedef struct elbv2_many {
    const char *action;     /* "DescribeTargetGroups" */
    const char *arns_param; /* "TargetGroupArns.member" */
    const char *items;      /* "DescribeTargetGroupsResult/TargetGroups/member" */
    const char *arn_elem;   /* "TargetGroupArn" */
    const char *const *gone;
    const cp_schema_attr *attrs;
    void (*fill)(cp_value *s, xmlNodePtr item, const cp_value *prev);
    cp_read_fn read;
    bool cannot_list; /* listeners, rules: Describe needs the parent's ARN */
} elbv2_many;
int elbv2_describe_many(cp_provider_call *c, const elbv2_many *m, const cp_value *const *states,
                        size_t n, cp_value **out);
/* The tags of every out[i] (its "arn"; NULL entries skipped) by DescribeTags of 20 ARNs a
 * call, kept against states[i]'s like cp_tags_keep_take. 0, or -1 (out[] released). */
int elbv2_tags_many(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out);

/* RemoveTags for keys no longer wanted, AddTags for the new map. 0 / -1. */
int elbv2_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                      const cp_value *new_tags);

/* Load balancer and target group names: 1-32 of a-z A-Z 0-9 '-', no '-' at
 * either end. */
const char *elbv2_validate_name(const cp_value *v);
/* The name to create (and look for after an interrupted create): a name
 * left out is made up before the create as cpstack- and 26 hex digits
 * (plan/recover.c), longer than the 32 characters allowed, so it is cut to
 * 32; a name given in config is at most 32 already (validated). Writes into
 * out and returns it; NULL for NULL. */
const char *elbv2_fit_name(const char *name, char out[33]);
/* "app/web/50dc6c495c0c9188" from a load balancer ARN, "targetgroup/…" from
 * a target group's: the part after the resource type's ':'. New value. */
cp_value *elbv2_arn_suffix(const char *arn);

/* The nested schema of a listener or rule action block. */
extern const cp_schema_attr elbv2_action_attrs[];
/* Adds the actions (a list of action blocks) as prefix.member.N.… params. */
void elbv2_actions_params(aws_params *p, const char *prefix, const cp_value *actions);
/* The action blocks under list (…/DefaultActions or …/Actions) as state. */
cp_value *elbv2_actions_read(xmlNodePtr list);
/* Validate the shape of each action: forward needs target_group_arn,
 * fixed-response a fixed_response block, redirect a redirect block, and
 * those blocks only in actions of their type. v may be NULL or unknown,
 * and parts not known yet pass (validate_config runs at plan time).
 * Returns NULL or the rule broken (static text). */
const char *elbv2_validate_actions(const cp_value *v);

/* find() of an interrupted create: action(param=value) (an answer in gone:
 * none), the first member at items whose match_elem's text is match (any
 * member when match_elem is NULL), read by its arn_elem as id. */
typedef struct elbv2_lookup {
    const char *action, *param, *items, *arn_elem;
    const char *const *gone;
    const char *match_elem;
} elbv2_lookup;
int elbv2_find(cp_provider_call *c, const elbv2_lookup *l, const char *value, const char *match,
               cp_read_fn read, const cp_value *intent, cp_value **state);

#endif
