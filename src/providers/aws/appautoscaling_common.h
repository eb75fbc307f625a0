/*
 * appautoscaling_common.h: what the Application Auto Scaling types
 * (appautoscaling_target.c, appautoscaling_policy.c) share: the JSON
 * target prefix, "not found" codes, the service namespace rule and the
 * import ids "<service_namespace>/<resource_id>/<scalable_dimension>"
 * (resource ids contain '/' themselves: service/<cluster>/<service>).
 */
#ifndef CP_PROVIDERS_AWS_APPAUTOSCALING_COMMON_H
#define CP_PROVIDERS_AWS_APPAUTOSCALING_COMMON_H

#include "providers/aws/aws_common.h"

#define AAS(op)     "AnyScaleFrontendService." op
#define AAS_SERVICE "application-autoscaling"

extern const char *const aas_gone[];

const char *aas_validate_namespace(const cp_value *v);

/* Calls op (AAS("Describe…")) with body in, page after page (NextToken
 * set in `in` as it goes, removed at the end), and item(ud, x) for every
 * element x of the array `list` of each page. 0, or -1 with c->error set
 * (an item() failure stops the pages). */
typedef int (*aas_item_fn)(void *ud, const json_t *item);
int aas_describe_all(cp_provider_call *c, const char *op, json_t *in, const char *list,
                     aas_item_fn item, void *ud);

/* The batch read both types share (read_batch, provider.h). States are
 * grouped by service_namespace; one Describe names up to 50 of a group
 * (name_of(state): a target's resource id, a policy's name), pages
 * followed. out[i] = fill(x, states[i]) for the listed x that match(x,
 * states[i]); an object the call names but does not list is gone (NULL),
 * as read() finds. States without a namespace (an import's) or a name go
 * to read(). 0 / -1 (c->error set, out[] freed). */
typedef struct aas_batch {
    /* AAS("DescribeScalableTargets"), "ResourceIds", "ScalableTargets" */
    const char *op, *names, *list;
    const char *(*name_of)(const cp_value *state);
    bool (*match)(const json_t *item, const cp_value *state);
    cp_value *(*fill)(const json_t *item, const cp_value *prev);
} aas_batch;
int aas_read_batch(cp_provider_call *c, const aas_batch *b, cp_read_fn read,
                   const cp_value *const *states, size_t n, cp_value **out);

/* Splits "<ns>/<resource id>/<dimension>" into three malloc'd strings: 0 or -1. */
int aas_split_id(const char *id, char **ns, char **resource, char **dimension);

#endif
