/*
 * types_events.c: the EventBridge (CloudWatch Events) types — rules and
 * their targets.
 */
#include "providers/aws/aws_types.h"

extern const cp_resource_type cp_aws_cloudwatch_event_rule, cp_aws_cloudwatch_event_target;

const cp_resource_type *const cp_aws_types_events[] = {
    &cp_aws_cloudwatch_event_rule,
    &cp_aws_cloudwatch_event_target,
    NULL,
};
