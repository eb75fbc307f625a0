/*
 * sns_common.h: what the SNS types (sns_topic.c, sns_topic_subscription.c)
 * share: the "not found" codes and reading an attribute map
 * (<Attributes><entry><key>…</key><value>…</value></entry>…).
 */
#ifndef CP_PROVIDERS_AWS_SNS_COMMON_H
#define CP_PROVIDERS_AWS_SNS_COMMON_H

#include "providers/aws/aws_common.h"

extern const char *const sns_gone[];

/* Calls action(param=arn) and returns its attribute map (a new map in
 * *attrs): 0, 1 when gone (*attrs NULL), -1 with c->error set. */
int sns_get_attributes(cp_provider_call *c, const char *action, const char *param, const char *arn,
                       cp_value **attrs);
/* Calls action(arn_param=arn, AttributeName=name, AttributeValue=value): 0 or -1. */
int sns_set_attribute(cp_provider_call *c, const char *action, const char *arn_param,
                      const char *arn, const char *name, const char *value);

/* find() of an interrupted create: the ARN (malloc'd, or NULL when none)
 * of the first member at items of action(param=value, paginated) whose
 * fields match: pairs of element name and wanted text, NULL-terminated;
 * a wanted text starting with ':' matches the end of that element. 0 / -1. */
int sns_find_arn(cp_provider_call *c, const char *action, const char *param, const char *value,
                 const char *items, const char *arn_elem, const char *const *fields, char **arn);

#endif
