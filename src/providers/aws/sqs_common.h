/*
 * sqs_common.h: what the SQS types (sqs_queue.c, sqs_queue_policy.c)
 * share: the "no such queue" codes, the queue URL rule and the attribute
 * calls of SQS's query protocol (attributes travel as strings,
 * Attribute.N.Name / .Value; a GetQueueAttributes answer is a list of
 * Attribute {Name, Value}).
 */
#ifndef CP_PROVIDERS_AWS_SQS_COMMON_H
#define CP_PROVIDERS_AWS_SQS_COMMON_H

#include "providers/aws/aws_common.h"

#include <jansson.h>
#include <stdbool.h>

/* The error codes of a queue that does not exist (SQS's query and JSON names). */
extern const char *const sqs_gone[];

/* Whether id looks like a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>):
 * what import and queue_url take. */
bool sqs_is_url(const char *id);
/* validate of a queue_url argument. */
const char *sqs_validate_url(const cp_value *v);

/* Adds a {name: text} object as Attribute.N.Name / Attribute.N.Value. */
void sqs_attribute_params(aws_params *p, const json_t *values);

/* GetQueueAttributes(QueueUrl=url, AttributeName.1=name; "All" for every one): 0 with
 * *attrs a new {name: text} object (an attribute the queue does not have is left out),
 * 1 when the queue is gone (*attrs NULL), -1 with c->error set. */
int sqs_get_attributes(cp_provider_call *c, const char *url, const char *name, json_t **attrs);
/* SetQueueAttributes(QueueUrl=url, the {name: text} attrs): 0, 1 when it failed with one of
 * the gone codes (gone NULL: none is), -1 with c->error set. */
int sqs_set_attributes(cp_provider_call *c, const char *url, const json_t *attrs,
                       const char *const *gone);

#endif
