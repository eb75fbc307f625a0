/*
 * events_common.h: what aws_cloudwatch_event_rule and _target share: the
 * EventBridge JSON call and the bus part of their ids.
 */
#ifndef CP_PROVIDERS_AWS_EVENTS_COMMON_H
#define CP_PROVIDERS_AWS_EVENTS_COMMON_H

#include "providers/aws/aws_common.h"

#define EVENTS(op) "AWSEvents." op

/* Rule and target ids: 1 to 64 letters, digits and . - _ */
const char *events_validate_name(const cp_value *v);
/* True when bus names the default bus (NULL, "default"). */
bool events_default_bus(const char *bus);
/* Sets EventBusName in `in` unless bus is the default one. */
void events_set_bus(json_t *in, const char *bus);

#endif
