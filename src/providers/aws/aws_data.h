/*
 * aws_data.h: what the AWS data sources that look one object up by name
 * (aws_ecr_repository, aws_s3_bucket, aws_iam_role, aws_lb) share: the
 * object read through its resource type's own read(), so the data source
 * and the resource always agree on what AWS holds, and a one-line error
 * when nothing has that name.
 */
#ifndef CP_PROVIDERS_AWS_DATA_H
#define CP_PROVIDERS_AWS_DATA_H

#include "providers/aws/aws_common.h"

/* rt->read of the state {"id": id}: 0 with *out (a state of rt), or -1
 * with "<address>: no <what> named "<id>" exists …" (or rt's error). */
int cp_aws_data_read(cp_provider_call *c, const cp_resource_type *rt, const char *id,
                     const char *what, cp_value **out);
/* A state of attrs from config with the NULL-terminated keys copied from from. */
cp_value *cp_aws_data_state(const cp_schema_attr *attrs, const cp_value *config,
                            const cp_value *from, const char *const *keys);

#endif
