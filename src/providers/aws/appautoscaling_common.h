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

/* Splits "<ns>/<resource id>/<dimension>" into three malloc'd strings: 0 or -1. */
int aas_split_id(const char *id, char **ns, char **resource, char **dimension);

#endif
